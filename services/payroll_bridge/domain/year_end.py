"""Year-end bonus (年终奖金), seed 004 §7.

``年终奖金 = 公司总体业绩完成率 × 年度绩效系数 × 年度奖金系数 × 基本工资``:
company completion rate × annual performance coefficient × annual bonus
coefficient × base pay (基本工资 = 岗位工资 + 绩效工资). An employee graded
E (不称职) for the year gets none ("年度考核不称职者免年度奖").

The year's company-wide inputs are `YearEndParameters`; `year_end_bonus`
computes one employee's `YearEndLine`, which carries every factor, where the
bonus coefficient came from, the exact and the rounded amounts, and, when
nothing is paid, why (`YearEndOutcome`).

Choices where the seeds are silent:

- **Rates are fractions.** The completion rate is 1 for 100 % (1.05 for
  105 %); it is not capped, only refused when negative. The coefficients are
  as recorded (the annual performance coefficient as the appraisal reports
  it).
- **The bonus coefficient is set per year**, by job grade (等级, the same
  grade as the cap table's, not the appraisal grade) and by position. A
  position's coefficient wins over its grade's: naming a position is a
  deliberate exception to the grade scale. An employee whose position and
  grade both have none is refused (`NoBonusCoefficient`), never paid 0: a
  missing row is a configuration gap, not a decision.
- **No annual coefficient → no bonus**, with the reason on the line (e.g. a
  new joiner not appraised for the year), amount 0.
- **Grade E comes first:** an E is not paid even with a coefficient, and the
  bonus coefficient is then not looked up. Other grades (A–D) do not enter
  the formula; they act through the annual coefficient.
- **Base pay is the caller's figure**, in the parameters' currency and not
  negative: the seeds define it (岗位工资 + 绩效工资) but not which month's
  figure; the service decides and the line shows what it used.
- The exact product is rounded once by `money.round_money`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from services.appraisal.domain.results import Grade
from services.payroll_bridge.domain.caps import require_int
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import (
    Money,
    require_currency,
    require_non_negative,
)

__all__ = [
    "BonusCoefficientSource",
    "NoBonusCoefficient",
    "YearEndLine",
    "YearEndOutcome",
    "YearEndParameters",
    "year_end_bonus",
]


class NoBonusCoefficient(PayInputError):
    """The year's parameters set no bonus coefficient for the employee's position or grade."""


class YearEndOutcome(StrEnum):
    PAID = "paid"
    GRADE_E = "grade_e"  # 年度考核不称职者免年度奖
    NO_ANNUAL_COEFFICIENT = "no_annual_coefficient"


class BonusCoefficientSource(StrEnum):
    POSITION = "position"
    GRADE = "grade"


def _frozen_coefficients(name: str, values: Mapping[str, Decimal]) -> Mapping[str, Decimal]:
    if not isinstance(values, Mapping):
        raise PayInputError(name, f"must be a mapping, got {type(values).__name__}")
    checked: dict[str, Decimal] = {}
    for key, value in values.items():
        if not isinstance(key, str) or not key:
            raise PayInputError(name, f"keys must be non-empty strings, got {key!r}")
        checked[key] = require_non_negative(f"{name}[{key}]", value)
    return MappingProxyType(checked)


@dataclass(frozen=True, slots=True)
class YearEndParameters:
    """The year's company-wide inputs, set once per year."""

    year: int
    completion_rate: Decimal
    """公司总体业绩完成率 as a fraction: 1 is 100 %."""
    bonus_coefficient_by_grade: Mapping[str, Decimal]
    """年度奖金系数 by job grade (等级)."""
    bonus_coefficient_by_position: Mapping[str, Decimal]
    """年度奖金系数 by position; wins over the grade's."""
    currency: str

    def __post_init__(self) -> None:
        require_int("year", self.year)
        require_non_negative("completion_rate", self.completion_rate)
        for name in ("bonus_coefficient_by_grade", "bonus_coefficient_by_position"):
            object.__setattr__(self, name, _frozen_coefficients(name, getattr(self, name)))
        require_currency(self.currency)

    def bonus_coefficient(
        self, *, position: str, grade: str
    ) -> tuple[Decimal, BonusCoefficientSource]:
        """The position's coefficient if set, else the grade's; refused if neither is."""
        if position in self.bonus_coefficient_by_position:
            return self.bonus_coefficient_by_position[position], BonusCoefficientSource.POSITION
        if grade in self.bonus_coefficient_by_grade:
            return self.bonus_coefficient_by_grade[grade], BonusCoefficientSource.GRADE
        raise NoBonusCoefficient(
            "bonus_coefficient",
            f"{self.year} sets no bonus coefficient for position {position!r} or grade {grade!r}",
        )


@dataclass(frozen=True, slots=True)
class YearEndLine:
    """One employee's year-end bonus, with every factor and, if unpaid, why."""

    year: int
    position: str
    grade: str
    annual_grade: Grade | None
    outcome: YearEndOutcome
    reason: str
    completion_rate: Decimal
    annual_coefficient: Decimal | None
    bonus_coefficient: Decimal | None
    """None when nothing is paid (it is not looked up)."""
    bonus_coefficient_source: BonusCoefficientSource | None
    base_pay: Money
    raw_amount: Money
    """completion rate × annual coefficient × bonus coefficient × base pay, exact (0 if unpaid)."""
    amount: Money
    """raw amount after the one rounding rule."""

    @property
    def paid(self) -> bool:
        return self.outcome is YearEndOutcome.PAID


def year_end_bonus(
    parameters: YearEndParameters,
    *,
    position: str,
    grade: str,
    annual_grade: Grade | None,
    annual_coefficient: Decimal | None,
    base_pay: Money,
) -> YearEndLine:
    """One employee's year-end bonus for `parameters.year`."""
    if annual_grade is not None and not isinstance(annual_grade, Grade):
        raise PayInputError("annual_grade", f"must be a Grade, got {annual_grade!r}")
    coefficient = (
        None
        if annual_coefficient is None
        else require_non_negative("annual_coefficient", annual_coefficient)
    )
    if not isinstance(base_pay, Money):
        raise PayInputError("base_pay", f"must be Money, got {type(base_pay).__name__}")
    if base_pay.currency != parameters.currency:
        raise PayInputError(
            "base_pay.currency",
            f"{base_pay.currency} differs from the year's currency {parameters.currency}",
        )
    if base_pay.amount < 0:
        raise PayInputError("base_pay", f"must not be negative, got {base_pay}")

    def unpaid(outcome: YearEndOutcome, reason: str) -> YearEndLine:
        zero = Money.zero(parameters.currency)
        return YearEndLine(
            year=parameters.year,
            position=position,
            grade=grade,
            annual_grade=annual_grade,
            outcome=outcome,
            reason=reason,
            completion_rate=parameters.completion_rate,
            annual_coefficient=coefficient,
            bonus_coefficient=None,
            bonus_coefficient_source=None,
            base_pay=base_pay,
            raw_amount=zero,
            amount=zero,
        )

    if annual_grade is Grade.E:
        return unpaid(YearEndOutcome.GRADE_E, "annual grade E (不称职): no year-end bonus")
    if coefficient is None:
        return unpaid(
            YearEndOutcome.NO_ANNUAL_COEFFICIENT,
            f"no annual performance coefficient for {parameters.year}: no year-end bonus",
        )
    bonus, source = parameters.bonus_coefficient(position=position, grade=grade)
    raw = base_pay.times(parameters.completion_rate, coefficient, bonus)
    keyed_by = position if source is BonusCoefficientSource.POSITION else grade
    return YearEndLine(
        year=parameters.year,
        position=position,
        grade=grade,
        annual_grade=annual_grade,
        outcome=YearEndOutcome.PAID,
        reason=(
            f"completion rate {parameters.completion_rate} × annual coefficient {coefficient}"
            f" × bonus coefficient {bonus} ({source.value} {keyed_by}) × base pay {base_pay}"
        ),
        completion_rate=parameters.completion_rate,
        annual_coefficient=coefficient,
        bonus_coefficient=bonus,
        bonus_coefficient_source=source,
        base_pay=base_pay,
        raw_amount=raw,
        amount=raw.rounded(),
    )
