"""Bracket schedules for incentive pay, such as seed 003's bid-team bonus.

Seed 003 (投标管理科绩效激励管理办法, 第五条): the bid team's monthly bonus is
a per-mille rate of the month's total won amount (月度中标项目总金额), the
rate rising by bracket, and nothing is paid below a threshold (起付点) of
4500万:

    (0, 4500]      0.5‰
    (4500, 6500]   0.55‰
    (6500, 8500]   0.6‰
    (8500, 10000]  0.7‰
    [10000, ∞)     0.8‰        (amounts in 万元, i.e. 10 000 yuan)

A `BracketSchedule` is a threshold, brackets (each a lower bound and a rate)
and a mode:

- **flat**: the whole amount at the rate of the bracket it falls in (seed
  003's reading: 9000万 pays 9000万 × 0.7‰ = 6.3万);
- **progressive**: each slice of the amount at its own bracket's rate, like
  income tax (9000万 pays 4500 × 0.5‰ + 2000 × 0.55‰ + 2000 × 0.6‰ +
  500 × 0.7‰ = 4.9万).

`bracket_incentive` returns an `IncentiveResult` with one `BracketSlice` per
bracket (its part of the amount, rate and exact pay, and whether it counted),
the exact sum and the amount rounded once. `SEED_003_BID_TEAM` is the
seed's schedule in yuan.

Choices where the seeds are silent (or garbled):

- **Rates are per mille by default** (``Decimal("0.55")`` is 0.55‰), as
  the seed writes them; a schedule may say `RateUnit.PERCENT` instead. Rates
  are not negative; a rate may fall in a higher bracket (not checked).
- **A bracket runs from its lower bound (exclusive) to the next bracket's
  lower bound (inclusive)**, the seed's ``(4500, 6500]`` notation: an amount
  exactly on a bound belongs to the lower bracket. The seed's last row says
  ``[10000, ∞)``, contradicting its own ``(8500, 10000]``; the majority
  notation wins, so exactly 10000万 pays 0.7‰. Bounds rise strictly; the
  first may be above 0 (an amount at or below it is in no bracket and earns
  nothing).
- **The threshold is a gate, not a deductible.** Nothing is paid unless the
  amount is strictly above the threshold ("paid only above"; exactly 4500万
  pays nothing); above it, the whole amount is computed by the schedule. So
  in flat mode seed 003's first bracket never pays, while in progressive mode
  its 0.5‰ applies to the first 4500万 once the amount passes the threshold.
- The won amount is money in the schedule's currency and not negative.
- The seed's sample columns (bonus 4–6.825万, per person 1333–2275 元) do not
  reconcile with its bracket column, and the per-person split is another
  rule; neither is implemented here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import (
    Money,
    exact_subtract,
    require_currency,
    require_non_negative,
    sum_money,
)

__all__ = [
    "SEED_003_BID_TEAM",
    "Bracket",
    "BracketMode",
    "BracketSchedule",
    "BracketSlice",
    "IncentiveResult",
    "RateUnit",
    "bracket_incentive",
]

_ZERO = Decimal(0)


class RateUnit(StrEnum):
    PER_MILLE = "per_mille"  # ‰
    PERCENT = "percent"  # %

    @property
    def scale(self) -> Decimal:
        """What one unit of rate is as a fraction: 0.001 per mille, 0.01 percent."""
        return Decimal("0.001") if self is RateUnit.PER_MILLE else Decimal("0.01")


class BracketMode(StrEnum):
    FLAT = "flat"
    PROGRESSIVE = "progressive"


@dataclass(frozen=True, slots=True)
class Bracket:
    """Amounts above `lower` (up to the next bracket's lower bound) earn `rate`."""

    lower: Decimal
    rate: Decimal

    def __post_init__(self) -> None:
        require_non_negative("lower", self.lower)
        require_non_negative("rate", self.rate)


@dataclass(frozen=True, slots=True)
class BracketSchedule:
    brackets: tuple[Bracket, ...]
    currency: str
    threshold: Decimal = _ZERO
    """Nothing is paid unless the amount is strictly above it."""
    mode: BracketMode = BracketMode.FLAT
    unit: RateUnit = RateUnit.PER_MILLE

    def __post_init__(self) -> None:
        brackets = tuple(self.brackets)
        object.__setattr__(self, "brackets", brackets)
        if not brackets:
            raise PayInputError("brackets", "a schedule needs at least one bracket")
        for index, bracket in enumerate(brackets):
            if not isinstance(bracket, Bracket):
                raise PayInputError(
                    f"brackets[{index}]", f"must be a Bracket, got {type(bracket).__name__}"
                )
        for index, (below, above) in enumerate(itertools.pairwise(brackets), start=1):
            if above.lower <= below.lower:
                raise PayInputError(
                    f"brackets[{index}].lower",
                    f"{above.lower} must be above the previous lower bound {below.lower}",
                )
        require_currency(self.currency)
        require_non_negative("threshold", self.threshold)
        for name, kind in (("mode", BracketMode), ("unit", RateUnit)):
            value = getattr(self, name)
            try:
                object.__setattr__(self, name, kind(value))
            except ValueError:
                choices = ", ".join(kind)
                raise PayInputError(name, f"must be one of {choices}, got {value!r}") from None

    def upper(self, index: int) -> Decimal | None:
        """The upper bound (inclusive) of bracket `index`; None for the last."""
        return self.brackets[index + 1].lower if index + 1 < len(self.brackets) else None

    def bracket_of(self, amount: Decimal) -> int | None:
        """The bracket `amount` falls in (lower < amount ≤ upper), or None below the first."""
        found = None
        for index, bracket in enumerate(self.brackets):
            if amount > bracket.lower:
                found = index
        return found


SEED_003_BID_TEAM = BracketSchedule(
    brackets=(
        Bracket(Decimal(0), Decimal("0.5")),
        Bracket(Decimal(45_000_000), Decimal("0.55")),
        Bracket(Decimal(65_000_000), Decimal("0.6")),
        Bracket(Decimal(85_000_000), Decimal("0.7")),
        Bracket(Decimal(100_000_000), Decimal("0.8")),
    ),
    currency="CNY",
    threshold=Decimal(45_000_000),
    mode=BracketMode.FLAT,
    unit=RateUnit.PER_MILLE,
)
"""Seed 003's bid-team schedule (2017), in yuan: 起付点 4500万, flat."""


@dataclass(frozen=True, slots=True)
class BracketSlice:
    """One bracket's part of an incentive."""

    index: int
    lower: Decimal
    upper: Decimal | None
    rate: Decimal
    base: Money
    """The part of the amount this bracket's rate applies to (flat: all of it, or 0)."""
    amount: Money
    """base × rate, exact."""
    counted: bool


@dataclass(frozen=True, slots=True)
class IncentiveResult:
    schedule: BracketSchedule
    won: Money
    """The amount the schedule applies to (seed 003: the month's total won amount)."""
    above_threshold: bool
    bracket: int | None
    """The bracket the amount falls in (None at or below the first lower bound)."""
    slices: tuple[BracketSlice, ...]
    raw_amount: Money
    """Σ slice amounts, exact."""
    amount: Money
    """raw amount after the one rounding rule."""


def bracket_incentive(schedule: BracketSchedule, won: Money) -> IncentiveResult:
    """The incentive `schedule` pays on `won`, with a slice per bracket."""
    if not isinstance(won, Money):
        raise PayInputError("won", f"must be Money, got {type(won).__name__}")
    if won.currency != schedule.currency:
        raise PayInputError(
            "won.currency", f"{won.currency} differs from the schedule's {schedule.currency}"
        )
    amount = require_non_negative("won", won.amount)
    above = amount > schedule.threshold
    bracket = schedule.bracket_of(amount)
    slices = []
    for index, spec in enumerate(schedule.brackets):
        upper = schedule.upper(index)
        if not above:
            base = _ZERO
        elif schedule.mode is BracketMode.FLAT:
            base = amount if index == bracket else _ZERO
        else:
            top = amount if upper is None else min(amount, upper)
            base = max(exact_subtract(top, spec.lower), _ZERO)
        base_money = Money(base, schedule.currency)
        slices.append(
            BracketSlice(
                index=index,
                lower=spec.lower,
                upper=upper,
                rate=spec.rate,
                base=base_money,
                amount=base_money.times(spec.rate, schedule.unit.scale),
                counted=base > 0,
            )
        )
    raw = sum_money((s.amount for s in slices), schedule.currency)
    return IncentiveResult(
        schedule=schedule,
        won=won,
        above_threshold=above,
        bracket=bracket,
        slices=tuple(slices),
        raw_amount=raw,
        amount=raw.rounded(),
    )
