"""Monthly performance pay (月绩效工资) = performance cap × performance coefficient.

Seed 004 §7: the cap (绩效上限额) by position, grade and tier is the base of
the monthly performance pay, and ``月绩效工资 = 绩效上限额 × 绩效系数``, the
coefficient being the month's appraisal result (total / full score, as the
appraisal reports it, 4 decimals).

`monthly_performance_pay` reads the employee's tier and cap on a date from a
`caps.CapTable`, bounds the coefficient (`CoefficientBound`), multiplies
exactly and rounds once. The `PerformancePayLine` it returns carries every
value that made the amount: tier resolution, cap row, coefficient given,
coefficient used, which bound applied, exact and rounded amounts.

Choices where the seeds are silent:

- **The coefficient is bounded, by default to [0, 1].** A 绩效上限额 is by
  its name an upper limit, so by default pay never exceeds the cap even when
  bonus points lift a total above the full score (the appraisal leaves that
  cap to pay). A center that rewards over-achievement configures
  ``CoefficientBound(ceiling=Decimal("1.2"))``, or ``ceiling=None`` for no
  ceiling; a guaranteed minimum is ``floor=Decimal("0.5")``. The line says
  whether the floor or the ceiling applied.
- **A negative coefficient is refused**, not floored: an appraisal never
  produces one, so it can only be a mistake upstream.
- **One cap per month, no proration.** The caller passes the date the cap
  and tier are read at (`as_of`); a tier move or a new cap row effective
  after it waits for the next month it covers.
- The exact amount ``cap × coefficient`` is rounded once by
  `money.round_money` (half-up to the currency's minor unit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from services.payroll_bridge.domain.caps import CapRow, CapTable, TierMove, TierResolution
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money, require_decimal, require_non_negative

__all__ = [
    "DEFAULT_COEFFICIENT_BOUND",
    "BoundApplied",
    "CoefficientBound",
    "PerformancePayLine",
    "monthly_performance_pay",
]


class BoundApplied(StrEnum):
    NONE = "none"
    FLOOR = "floor"
    CEILING = "ceiling"


@dataclass(frozen=True, slots=True)
class CoefficientBound:
    """The range a performance coefficient is held to before it multiplies the cap.

    Default [0, 1]: pay never exceeds the cap. ``ceiling=None`` means no ceiling.
    """

    floor: Decimal = Decimal(0)
    ceiling: Decimal | None = Decimal(1)

    def __post_init__(self) -> None:
        require_non_negative("bound.floor", self.floor)
        if self.ceiling is not None and require_decimal("bound.ceiling", self.ceiling) < self.floor:
            raise PayInputError(
                "bound.ceiling", f"{self.ceiling} must not be below the floor {self.floor}"
            )

    def apply(self, coefficient: Decimal) -> tuple[Decimal, BoundApplied]:
        """The coefficient held within the bound, and which bound (if any) held it."""
        if coefficient < self.floor:
            return self.floor, BoundApplied.FLOOR
        if self.ceiling is not None and coefficient > self.ceiling:
            return self.ceiling, BoundApplied.CEILING
        return coefficient, BoundApplied.NONE


DEFAULT_COEFFICIENT_BOUND = CoefficientBound()


@dataclass(frozen=True, slots=True)
class PerformancePayLine:
    """A month's performance pay for one employee, with everything that made it."""

    position: str
    grade: str
    as_of: date
    tier: TierResolution
    cap: CapRow
    """The cap row in force on `as_of` for the resolved tier; `cap.amount` is the cap."""
    coefficient: Decimal
    """As given (the appraisal's coefficient)."""
    bound: CoefficientBound
    coefficient_used: Decimal
    bound_applied: BoundApplied
    raw_amount: Money
    """cap × coefficient used, exact."""
    amount: Money
    """raw amount after the one rounding rule: the figure payroll takes."""

    @property
    def detail(self) -> str:
        bound = ""
        if self.bound_applied is not BoundApplied.NONE:
            bound = f" (coefficient {self.coefficient} held to its {self.bound_applied.value})"
        clamp = (
            f", tier {self.tier.raw_tier} clamped to {self.tier.tier}" if self.tier.clamped else ""
        )
        return (
            f"cap {self.cap.amount} ({self.position}/{self.grade} tier {self.tier.tier}"
            f"{clamp}, from {self.cap.valid_from.isoformat()}) × coefficient "
            f"{self.coefficient_used}{bound} = {self.raw_amount.amount} → {self.amount}"
        )


def monthly_performance_pay(
    table: CapTable,
    *,
    position: str,
    grade: str,
    base_tier: int,
    moves: Iterable[TierMove] = (),
    coefficient: Decimal,
    as_of: date,
    bound: CoefficientBound = DEFAULT_COEFFICIENT_BOUND,
) -> PerformancePayLine:
    """cap (position, grade, resolved tier, as of `as_of`) × bounded coefficient, rounded once."""
    given = require_non_negative("coefficient", coefficient)
    resolution = table.resolve_tier(position, grade, base_tier=base_tier, moves=moves, on=as_of)
    cap = table.cap(position, grade, resolution.tier, as_of)
    used, applied = bound.apply(given)
    raw = cap.amount.times(used)
    return PerformancePayLine(
        position=position,
        grade=grade,
        as_of=as_of,
        tier=resolution,
        cap=cap,
        coefficient=given,
        bound=bound,
        coefficient_used=used,
        bound_applied=applied,
        raw_amount=raw,
        amount=raw.rounded(),
    )
