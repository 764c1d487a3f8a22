"""The performance cap table (绩效上限额) and an employee's tier on a date.

Seed 004 §7: the performance cap is set per position and grade (等级, the
employee's job grade, not the appraisal grade A–E), in tiers; it is the base
of the monthly performance pay. Accepted consequences move an employee up or
down one tier ("上调/下降一个等级的绩效上限额"); HR's accepted moves are the
appraisal service's `CapTierChange` rows (a delta and the date it applies from).

A `CapRow` is one cap: (position, grade, tier) → amount, in force from
`valid_from` (inclusive) until `valid_to` (exclusive; None = open-ended).
A `CapTable` holds the rows and checks them together.

An employee's tier on a date is
``base tier + Σ deltas of the moves effective on or before that date``,
clamped to the tiers the table has for the position × grade on that date.

Choices where the seeds are silent:

- **One row per key at a time.** Rows of the same (position, grade, tier)
  may not overlap in time; touching is fine (one's `valid_to` equal to the
  next one's `valid_from`). A change of cap is a new row, never an edit.
- **Amounts** are above 0 and already money (no more decimals than the
  currency's minor unit); the rows of one position × grade share a currency.
- **Tiers** are integers from 1 to 99 the center numbers as it likes, higher =
  higher cap by convention (not checked), and consecutive: on any date the tiers in
  force for a position × grade have no gap (1, 2, 3, not 1, 3), so "one tier
  up" always names a tier that exists.
- **The clamp applies to the sum, not step by step.** The raw tier
  ``base + Σ deltas`` is clamped to [lowest, highest] tier in force on the
  date. So a move up at the top tier is not lost: it cancels a later move
  down (top tier 3, base 3, +1 then −1 → raw 3 → tier 3). The result shows
  the raw tier, the range and whether the clamp applied. A base tier outside
  the range is clamped the same way.
- **Dates** are plain `datetime.date` values (a `datetime` is refused); no
  proration within a month: the caller names the one date the cap is read at.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money

__all__ = [
    "CapRow",
    "CapTable",
    "CapTableInvalid",
    "NoCapInForce",
    "TierMove",
    "TierResolution",
    "require_date",
    "require_int",
]


MIN_TIER, MAX_TIER = 1, 99


class CapTableInvalid(PayInputError):
    """Rows of a cap table contradict each other (overlap, gap in tiers, mixed currency)."""


class NoCapInForce(PayInputError):
    """The table has no cap for this position × grade (× tier) on the date asked."""


def require_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PayInputError(name, f"must be an integer, got {value!r}")
    return value


def require_tier(name: str, value: object) -> int:
    """A tier number from MIN_TIER to MAX_TIER: a cap row's, and an employee's base tier."""
    tier = require_int(name, value)
    if not MIN_TIER <= tier <= MAX_TIER:
        raise PayInputError(name, f"must be from {MIN_TIER} to {MAX_TIER}, got {tier}")
    return tier


def require_date(name: str, value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise PayInputError(name, f"must be a date (not a datetime), got {value!r}")
    return value


def _require_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PayInputError(name, f"must be a non-empty string, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class CapRow:
    """A performance cap for one (position, grade, tier), in force over [valid_from, valid_to)."""

    position: str
    grade: str
    """The employee's job grade (等级), as the org data names it; not the appraisal grade."""
    tier: int
    amount: Money
    valid_from: date
    valid_to: date | None = None
    """Exclusive; None while the row is open-ended."""

    def __post_init__(self) -> None:
        _require_text("position", self.position)
        _require_text("grade", self.grade)
        require_tier("tier", self.tier)
        if not isinstance(self.amount, Money):
            raise PayInputError("amount", f"must be Money, got {type(self.amount).__name__}")
        if self.amount.amount <= 0:
            raise PayInputError("amount", f"must be more than 0, got {self.amount}")
        if not self.amount.is_rounded:
            raise PayInputError(
                "amount", f"{self.amount} has more decimals than {self.amount.currency} pays in"
            )
        require_date("valid_from", self.valid_from)
        if self.valid_to is not None:
            require_date("valid_to", self.valid_to)
            if self.valid_to <= self.valid_from:
                raise PayInputError(
                    "valid_to", f"{self.valid_to} must be after valid_from {self.valid_from}"
                )

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.position, self.grade, self.tier)

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


@dataclass(frozen=True, slots=True)
class TierMove:
    """An accepted tier move (a `CapTierChange`): `delta` tiers from `effective_from` on."""

    delta: int
    effective_from: date
    reference: str = ""
    """What decided it, e.g. the consequence recommendation's key."""

    def __post_init__(self) -> None:
        if require_int("delta", self.delta) == 0:
            raise PayInputError("delta", "a tier move must move: got 0")
        require_date("effective_from", self.effective_from)


@dataclass(frozen=True, slots=True)
class TierResolution:
    """How an employee's tier on `on` came about."""

    on: date
    base_tier: int
    moves_counted: tuple[TierMove, ...]
    """Moves effective on or before `on`, in date order."""
    moves_pending: tuple[TierMove, ...]
    """Moves effective after `on`: listed, not counted."""
    raw_tier: int
    """base tier + Σ counted deltas, before the clamp."""
    lowest_tier: int
    highest_tier: int
    tier: int
    """raw tier clamped to [lowest_tier, highest_tier]."""

    @property
    def clamped(self) -> bool:
        return self.tier != self.raw_tier


Group = tuple[str, str]


@dataclass(frozen=True, slots=True)
class CapTable:
    """Every cap row; built once, checked as a whole, read as of a date."""

    rows: tuple[CapRow, ...]
    _groups: Mapping[Group, tuple[CapRow, ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        rows = tuple(self.rows)
        object.__setattr__(self, "rows", rows)
        for index, row in enumerate(rows):
            if not isinstance(row, CapRow):
                raise PayInputError(f"rows[{index}]", f"must be a CapRow, got {type(row).__name__}")
        indexed = list(enumerate(rows))
        groups: dict[Group, list[tuple[int, CapRow]]] = {}
        for index, row in indexed:
            groups.setdefault((row.position, row.grade), []).append((index, row))
        for group_rows in groups.values():
            _check_currency(group_rows)
            _check_overlaps(group_rows)
            _check_consecutive_tiers(group_rows)
        object.__setattr__(
            self,
            "_groups",
            MappingProxyType({g: tuple(r for _, r in rs) for g, rs in groups.items()}),
        )

    @classmethod
    def of(cls, rows: Iterable[CapRow]) -> CapTable:
        return cls(tuple(rows))

    def tiers(self, position: str, grade: str, on: date) -> tuple[int, ...]:
        """The tiers in force for position × grade on `on`, lowest first (may be empty)."""
        require_date("on", on)
        rows = self._groups.get((position, grade), ())
        return tuple(sorted(r.tier for r in rows if r.in_force(on)))

    def cap(self, position: str, grade: str, tier: int, on: date) -> CapRow:
        """The row in force for (position, grade, tier) on `on`."""
        require_int("tier", tier)
        require_date("on", on)
        for row in self._groups.get((position, grade), ()):
            if row.tier == tier and row.in_force(on):
                return row
        raise NoCapInForce(
            "cap", f"no performance cap for {position}/{grade} tier {tier} on {on.isoformat()}"
        )

    def resolve_tier(
        self,
        position: str,
        grade: str,
        *,
        base_tier: int,
        moves: Iterable[TierMove] = (),
        on: date,
    ) -> TierResolution:
        """base tier + Σ deltas effective on or before `on`, clamped to the tiers in force."""
        require_int("base_tier", base_tier)
        require_date("on", on)
        given = tuple(moves)
        for index, move in enumerate(given):
            if not isinstance(move, TierMove):
                raise PayInputError(
                    f"moves[{index}]", f"must be a TierMove, got {type(move).__name__}"
                )
        ordered = sorted(given, key=lambda m: m.effective_from)
        counted = tuple(m for m in ordered if m.effective_from <= on)
        pending = tuple(m for m in ordered if m.effective_from > on)
        tiers = self.tiers(position, grade, on)
        if not tiers:
            raise NoCapInForce(
                "cap", f"no performance cap for {position}/{grade} on {on.isoformat()}"
            )
        raw = base_tier + sum(m.delta for m in counted)
        lowest, highest = tiers[0], tiers[-1]
        return TierResolution(
            on=on,
            base_tier=base_tier,
            moves_counted=counted,
            moves_pending=pending,
            raw_tier=raw,
            lowest_tier=lowest,
            highest_tier=highest,
            tier=min(max(raw, lowest), highest),
        )


def _where(index: int) -> str:
    return f"rows[{index}]"


def _check_currency(rows: list[tuple[int, CapRow]]) -> None:
    first = rows[0][1]
    for index, row in rows[1:]:
        if row.amount.currency != first.amount.currency:
            raise CapTableInvalid(
                f"{_where(index)}.amount",
                f"{row.position}/{row.grade} mixes {first.amount.currency} and "
                f"{row.amount.currency}; one position × grade pays in one currency",
            )


def _check_overlaps(rows: list[tuple[int, CapRow]]) -> None:
    by_tier = sorted(rows, key=lambda ir: (ir[1].tier, ir[1].valid_from))
    for (_, earlier), (index, later) in itertools.pairwise(by_tier):
        if earlier.tier != later.tier:
            continue
        if earlier.valid_to is None or earlier.valid_to > later.valid_from:
            until = "open-ended" if earlier.valid_to is None else f"until {earlier.valid_to}"
            raise CapTableInvalid(
                _where(index),
                f"{later.position}/{later.grade} tier {later.tier} from {later.valid_from} "
                f"overlaps the row from {earlier.valid_from} ({until})",
            )


def _check_consecutive_tiers(rows: list[tuple[int, CapRow]]) -> None:
    # The set of tiers in force only changes at a row's valid_from or valid_to,
    # so checking each of those dates checks every date.
    boundaries = sorted(
        {r.valid_from for _, r in rows} | {r.valid_to for _, r in rows if r.valid_to}
    )
    for on in boundaries:
        in_force = [(i, r) for i, r in rows if r.in_force(on)]
        tiers = sorted(r.tier for _, r in in_force)
        # From the gaps between neighbours: never a range over the whole span of tiers.
        missing = [t for low, high in itertools.pairwise(tiers) for t in range(low + 1, high)]
        if missing:
            index, row = max(in_force, key=lambda ir: ir[1].valid_from)
            raise CapTableInvalid(
                _where(index),
                f"{row.position}/{row.grade} on {on.isoformat()} has tiers {tiers}: "
                f"tier(s) {missing} missing; tiers must be consecutive",
            )
