"""Money for pay: exact decimal amounts in a currency, and the one rounding rule.

DOMAIN.md §5: money is exact decimal, never float, with one rounding rule
applied at one place. Here that place is the line: a rule computes its exact
amount (`Money` may hold more decimals than the currency has) and the line's
amount is `round_money` of it, once. A batch total is the sum of the rounded
lines, never the rounding of an exact sum, so the lines always add up to it.

Choices where the seeds are silent:

- **Half-up, away from zero.** `round_money` quantizes to the currency's minor
  unit with `decimal.ROUND_HALF_UP`, which settles a tie away from zero:
  0.005 → 0.01 and −0.005 → −0.01 (not −0.00). A negative amount rounds to the
  negative of its magnitude's rounding, so an adjustment of −x never differs
  from x by rounding. A zero result is always ``0.00``, never ``-0.00``.
- **Minor units from a small table** (`MINOR_UNITS`): CNY, HKD, USD, EUR, GBP
  2 decimals; JPY 0. A currency outside the table is refused rather than
  rounded to a guessed 2 decimals: a figure that cannot be rounded correctly
  must not reach payroll. Adding a currency is adding a row.
- **Exact or refused.** Sums, differences and products are computed in a
  60-digit context that traps `decimal.Inexact`; a result that would need
  rounding there is refused with a `PayInputError` instead of being rounded
  silently the way Python's default 28-digit context would.
- **No floats.** Every amount, rate and coefficient must be a `Decimal` (an
  ``int`` is accepted and converted exactly); a ``float`` or ``bool`` is
  refused with a `PayInputError` naming the input. Text is accepted only
  through `parse_decimal` and `Money.of`. NaN and infinities are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, InvalidOperation
from types import MappingProxyType

from services.payroll_bridge.domain.errors import PayInputError

__all__ = [
    "MINOR_UNITS",
    "Money",
    "exact_add",
    "exact_product",
    "exact_subtract",
    "minor_unit",
    "parse_decimal",
    "quantum",
    "require_currency",
    "require_decimal",
    "require_non_negative",
    "round_money",
    "sum_money",
]

MINOR_UNITS: Mapping[str, int] = MappingProxyType(
    {"CNY": 2, "HKD": 2, "USD": 2, "EUR": 2, "GBP": 2, "JPY": 0}
)
"""Decimals of each currency this product pays in (ISO 4217 minor units)."""

_EXACT_DIGITS = 60
_EXACT = Context(prec=_EXACT_DIGITS, rounding=ROUND_HALF_UP, traps=[Inexact, InvalidOperation])
_ROUNDING = Context(prec=_EXACT_DIGITS, rounding=ROUND_HALF_UP, traps=[InvalidOperation])
_CURRENCY = re.compile(r"[A-Z]{3}")
_ZERO = Decimal(0)


def require_decimal(name: str, value: object) -> Decimal:
    """`value` as a finite Decimal; an int is converted exactly, a float, bool or text refused."""
    if isinstance(value, bool):
        raise PayInputError(name, f"must be a Decimal, got a bool ({value})")
    if isinstance(value, float):
        raise PayInputError(name, f"must be a Decimal, not a float ({value!r}); use Decimal('…')")
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise PayInputError(name, f"must be a Decimal, got {type(value).__name__}")
    if not value.is_finite():
        raise PayInputError(name, f"must be a finite number, got {value}")
    return value


def require_non_negative(name: str, value: object) -> Decimal:
    number = require_decimal(name, value)
    if number < 0:
        raise PayInputError(name, f"must not be negative, got {number}")
    return number


def parse_decimal(name: str, text: str) -> Decimal:
    """A decimal written as text (``"1234.50"``), for inputs read from files or requests."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise PayInputError(name, f"is not a decimal number: {text!r}") from None
    return require_decimal(name, value)


def require_currency(currency: object, name: str = "currency") -> str:
    """An ISO 4217 code (three upper-case letters) that `MINOR_UNITS` knows."""
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
        raise PayInputError(
            name, f"must be an ISO 4217 code of 3 upper-case letters, got {currency!r}"
        )
    if currency not in MINOR_UNITS:
        known = ", ".join(sorted(MINOR_UNITS))
        raise PayInputError(name, f"{currency} has no minor unit configured (known: {known})")
    return currency


def minor_unit(currency: str) -> int:
    """How many decimals `currency` pays in: 2 for CNY, 0 for JPY."""
    return MINOR_UNITS[require_currency(currency)]


def quantum(currency: str) -> Decimal:
    """The smallest amount of `currency`: ``0.01`` for CNY, ``1`` for JPY."""
    return Decimal(1).scaleb(-minor_unit(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """The one rounding rule: half-up (ties away from zero) to the currency's minor unit.

    ``round_money(Decimal("0.005"), "CNY") == Decimal("0.01")``,
    ``round_money(Decimal("-0.005"), "CNY") == Decimal("-0.01")``,
    ``round_money(Decimal("2.5"), "JPY") == Decimal("3")``.
    """
    value = require_decimal("amount", amount)
    try:
        rounded = value.quantize(quantum(currency), context=_ROUNDING)
    except InvalidOperation:
        raise PayInputError("amount", _too_many_digits(str(value))) from None
    return rounded.copy_abs() if rounded.is_zero() else rounded


def exact_add(a: Decimal, b: Decimal) -> Decimal:
    try:
        return _EXACT.add(a, b)
    except Inexact:
        raise PayInputError("amount", _too_many_digits(f"{a} + {b}")) from None


def exact_subtract(a: Decimal, b: Decimal) -> Decimal:
    try:
        return _EXACT.subtract(a, b)
    except Inexact:
        raise PayInputError("amount", _too_many_digits(f"{a} − {b}")) from None


def exact_product(*factors: Decimal) -> Decimal:
    """The exact product of `factors` (1 for none); refused if it needs over 60 digits."""
    product = Decimal(1)
    for factor in factors:
        try:
            product = _EXACT.multiply(product, factor)
        except Inexact:
            shown = " × ".join(str(f) for f in factors)
            raise PayInputError("amount", _too_many_digits(shown)) from None
    return product


def _too_many_digits(expression: str) -> str:
    return f"{expression} needs more than {_EXACT_DIGITS} significant digits to be exact"


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in a currency; it may hold more decimals than the currency until rounded.

    Equal amounts are equal whatever their exponent (``1.0 CNY == 1.00 CNY``).
    Arithmetic between two `Money` values needs the same currency.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", require_decimal("amount", self.amount))
        require_currency(self.currency)

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str) -> Money:
        """Money from a Decimal, an int or text (``Money.of("1234.50", "CNY")``); never a float."""
        if isinstance(amount, str):
            return cls(parse_decimal("amount", amount), currency)
        return cls(require_decimal("amount", amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0).quantize(quantum(currency)), currency)

    def __add__(self, other: Money) -> Money:
        return Money(exact_add(self.amount, self._same_currency(other).amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(exact_subtract(self.amount, self._same_currency(other).amount), self.currency)

    def __neg__(self) -> Money:
        return Money(self.amount.copy_negate(), self.currency)

    def times(self, *factors: Decimal) -> Money:
        """This amount multiplied exactly by `factors` (a coefficient, a rate): not rounded."""
        checked = [require_decimal(f"factors[{i}]", f) for i, f in enumerate(factors)]
        return Money(exact_product(self.amount, *checked), self.currency)

    def rounded(self) -> Money:
        """This amount after the one rounding rule (`round_money`)."""
        return Money(round_money(self.amount, self.currency), self.currency)

    @property
    def is_rounded(self) -> bool:
        """True when rounding would not change the amount (``12.30`` or ``12.3`` CNY)."""
        return round_money(self.amount, self.currency) == self.amount

    @property
    def is_zero(self) -> bool:
        return self.amount.is_zero()

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def _same_currency(self, other: Money) -> Money:
        if not isinstance(other, Money):
            raise PayInputError("amount", f"must be Money, got {type(other).__name__}")
        if other.currency != self.currency:
            raise PayInputError("currency", f"cannot combine {self.currency} with {other.currency}")
        return other


def sum_money(items: Iterable[Money], currency: str) -> Money:
    """The exact sum of `items`, all in `currency` (0 in it for none)."""
    total = Money(_ZERO, currency)
    for item in items:
        total = total + item
    return total
