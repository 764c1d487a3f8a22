"""A batch's lines, totals and content hash.

A batch is what payroll takes for a period: one rounded line per employee,
kind and reference. Its total per currency is the sum of its rounded lines
(never a rounding of exact amounts), and `batch_hash` fingerprints its
content, so anyone can tell whether two batches hold the same figures.

Choices where the seeds are silent:

- **A line's key** is (employee id, kind, reference), e.g.
  ``("E042", "performance_pay", "2024-05")``; an adjustment's reference names
  what it adjusts. A batch with two lines of the same key is refused.
- **Amounts are rounded** (refused otherwise) and may be negative (adjustments).
- **The canonical form** hashed with SHA-256 is UTF-8 JSON (no spaces, no
  ASCII escaping) of ``{"format": "ccperf.payroll.batch/1", "lines": [...]}``,
  each line ``[employee_id, kind, reference, currency, amount]``, sorted by
  key; the amount is written with exactly the currency's decimals (``12.30``,
  ``-0.01``, ``0.00``; JPY ``1200``). So the order lines are given in does
  not matter, ``12.3`` and ``12.30`` hash the same, and any change of any
  key, currency or amount changes the hash. The format tag changes if the
  form ever does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from enum import StrEnum

from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money, exact_add, quantum, sum_money

__all__ = [
    "BATCH_HASH_FORMAT",
    "BatchLine",
    "BatchSummary",
    "LineKind",
    "LineRow",
    "batch_hash",
    "batch_summary",
    "batch_totals",
    "canonical_amount",
    "canonical_form",
]

BATCH_HASH_FORMAT = "ccperf.payroll.batch/1"


class LineKind(StrEnum):
    PERFORMANCE_PAY = "performance_pay"
    YEAR_END_BONUS = "year_end_bonus"
    INCENTIVE = "incentive"
    ADJUSTMENT = "adjustment"


@dataclass(frozen=True, slots=True)
class BatchLine:
    employee_id: str
    kind: LineKind
    reference: str
    """What the line is for: the period (``2024-05``), the year, or the adjusted line."""
    amount: Money
    """Rounded."""

    def __post_init__(self) -> None:
        for name in ("employee_id", "reference"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise PayInputError(name, f"must be a non-empty string, got {value!r}")
        try:
            object.__setattr__(self, "kind", LineKind(self.kind))
        except ValueError:
            raise PayInputError("kind", f"unknown line kind {self.kind!r}") from None
        if not isinstance(self.amount, Money):
            raise PayInputError("amount", f"must be Money, got {type(self.amount).__name__}")
        if not self.amount.is_rounded:
            raise PayInputError(
                "amount", f"{self.amount} is not rounded to {self.amount.currency}'s minor unit"
            )

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.employee_id, self.kind.value, self.reference)


def canonical_amount(money: Money) -> str:
    """The amount with exactly the currency's decimals, never ``-0``: ``12.30``, ``1200``."""
    value = money.amount.quantize(quantum(money.currency))
    if value.is_zero():
        value = value.copy_abs()
    return f"{value:f}"


def _checked(lines: Iterable[BatchLine]) -> list[BatchLine]:
    given = list(lines)
    seen: dict[tuple[str, str, str], int] = {}
    for index, line in enumerate(given):
        if not isinstance(line, BatchLine):
            raise PayInputError(
                f"lines[{index}]", f"must be a BatchLine, got {type(line).__name__}"
            )
        if line.key in seen:
            raise PayInputError(
                f"lines[{index}]", f"same key {line.key} as lines[{seen[line.key]}]"
            )
        seen[line.key] = index
    return given


def canonical_form(lines: Iterable[BatchLine]) -> bytes:
    """The bytes `batch_hash` hashes (see the module's docstring)."""
    ordered = sorted(_checked(lines), key=lambda line: line.key)
    rows = [[*line.key, line.amount.currency, canonical_amount(line.amount)] for line in ordered]
    document = {"format": BATCH_HASH_FORMAT, "lines": rows}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def batch_hash(lines: Iterable[BatchLine]) -> str:
    """SHA-256 (hex) of the batch's canonical form: same content, same hash, in any order."""
    return hashlib.sha256(canonical_form(lines)).hexdigest()


def batch_totals(lines: Iterable[BatchLine]) -> dict[str, Money]:
    """The sum of the rounded lines per currency, currencies in alphabetical order."""
    checked = _checked(lines)
    currencies = sorted({line.amount.currency for line in checked})
    return {
        currency: sum_money(
            (ln.amount for ln in checked if ln.amount.currency == currency), currency
        )
        for currency in currencies
    }


LineRow = tuple[str, str, str, Decimal, str]
"""A line as a database row: (employee_id, kind, reference, amount, currency)."""


@dataclass(frozen=True, slots=True)
class BatchSummary:
    content_hash: str
    totals: dict[str, Money]
    line_count: int


def batch_summary(rows: Iterable[LineRow]) -> BatchSummary:
    """`batch_hash` and `batch_totals` of lines given as rows, with the same checks.

    What freezing a batch needs, without a `BatchLine` and two `Money` per line (a
    month of 100,000 lines spent over a second there): the same bytes are hashed, the
    same sums returned and the same `PayInputError` raised as for the `BatchLine`s of
    the rows. A row the quick test below does not pass (the first of each currency,
    anything odd) goes through `BatchLine`, which refuses it or normalises it.
    """
    quanta: dict[str, Decimal] = {}
    seen: dict[tuple[str, str, str], int] = {}
    sums: dict[str, Decimal] = {}
    canonical = []
    for index, row in enumerate(rows):
        employee_id, kind, reference, amount, currency = row
        q = quanta.get(currency) if type(amount) is Decimal else None
        try:
            value = amount.quantize(q, context=_QUANTIZE) if q is not None else None
        except InvalidOperation:
            value = None
        if (
            value is None or value != amount or kind not in _KINDS
            or type(employee_id) is not str or not employee_id.strip()
            or type(reference) is not str or not reference.strip()
        ):  # fmt: skip
            line = BatchLine(employee_id, kind, reference, Money(amount, currency))  # type: ignore[arg-type]
            (employee_id, kind, reference), money = line.key, line.amount
            amount, currency = money.amount, money.currency
            q = quanta[currency] = quantum(currency)
            value = amount.quantize(q, context=_QUANTIZE)
        key = (employee_id, kind, reference)
        if key in seen:
            raise PayInputError(f"lines[{index}]", f"same key {key} as lines[{seen[key]}]")
        seen[key] = index
        sums[currency] = exact_add(sums.get(currency, _ZERO), amount)
        canonical.append([*key, currency, f"{value.copy_abs() if value.is_zero() else value:f}"])
    canonical.sort()  # keys are unique: the order of the keys
    document = {"format": BATCH_HASH_FORMAT, "lines": canonical}
    form = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return BatchSummary(
        content_hash=hashlib.sha256(form.encode()).hexdigest(),
        totals={currency: Money(sums[currency], currency) for currency in sorted(sums)},
        line_count=len(canonical),
    )


_ZERO = Decimal(0)
_KINDS = frozenset(kind.value for kind in LineKind)
_QUANTIZE = Context(prec=60, traps=[InvalidOperation])
