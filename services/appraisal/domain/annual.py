"""The annual performance coefficient (年度绩效系数) from a year's appraisal results.

Seed 004 §7.2 and DOMAIN.md §5: the annual grades are force-distributed on the
annual performance coefficient, and the year-end bonus is company completion
rate × annual performance coefficient × annual bonus coefficient × base pay.
The seed does not say how the year's coefficient follows from its months.

Choices where the seed is silent:

- **An annual appraisal takes precedence.** Seed 004 §3 runs monthly appraisals
  and an annual one (年度考评); when a center runs the annual appraisal, its
  result's coefficient is the year's coefficient and the months are not mixed
  in: blending them would count the year twice.
- **Otherwise the mean of the appraised months.** The annual coefficient is
  the plain mean of the monthly coefficients of the months the employee was
  appraised, each month weighted equally; a month without a result (not yet
  eligible, on long leave) is left out rather than counted as 0. The mean is
  exact, then rounded once to 4 decimals, half-up (`round_coefficient`).
- **Too few months, no coefficient.** With fewer than `min_months` appraised
  months (default 6: half a year) and no annual result there is no annual
  coefficient: the result says why, and the employee is left out of the
  forced distribution and the bonus until HR decides.
- Only filed (final) results belong in `monthly`; the caller leaves drafts and
  results under appeal out. Coefficients above 1 (bonus items) are kept as
  they are; pay applies its own cap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR
from decimal import Decimal
from enum import StrEnum

from services.appraisal.domain.scoring import AppraisalInputError, require_finite, round_coefficient
from services.common.periods import Granularity, Period

__all__ = [
    "DEFAULT_MIN_MONTHS",
    "AnnualBasis",
    "AnnualCoefficient",
    "MonthlyResult",
    "annual_coefficient",
]

DEFAULT_MIN_MONTHS = 6
"""Appraised months a year needs for an annual coefficient without an annual appraisal."""

_ZERO = Decimal(0)


class AnnualBasis(StrEnum):
    """Where the annual coefficient comes from."""

    ANNUAL_APPRAISAL = "annual_appraisal"
    MONTHLY_MEAN = "monthly_mean"
    NONE = "none"  # too few appraised months and no annual appraisal


@dataclass(frozen=True, slots=True)
class MonthlyResult:
    """A filed monthly appraisal result: the month and its performance coefficient."""

    period: Period
    coefficient: Decimal


@dataclass(frozen=True, slots=True)
class AnnualCoefficient:
    year: int
    coefficient: Decimal | None
    """Rounded to 4 decimals, half-up; None when the year has none (see `reason`)."""
    basis: AnnualBasis
    months_used: tuple[Period, ...]
    """The months whose coefficients made the mean, in order; empty unless the basis is the mean."""
    explanation: str
    """How the coefficient was reached, or why there is none."""

    @property
    def reason(self) -> str | None:
        """Why there is no coefficient; None when there is one."""
        return self.explanation if self.coefficient is None else None


def annual_coefficient(
    year: int,
    monthly: Sequence[MonthlyResult],
    *,
    annual_result: Decimal | None = None,
    min_months: int = DEFAULT_MIN_MONTHS,
) -> AnnualCoefficient:
    """The year's coefficient: the annual appraisal's, else the mean of enough appraised months.

    `annual_result` is the coefficient of an annual appraisal (its total / full
    score). Errors name the input: ``year``, ``min_months``, ``annual_result``,
    ``monthly[i].period`` (not a month, outside the year, twice) or
    ``monthly[i].coefficient`` (not finite, negative).
    """
    if not MINYEAR <= year <= MAXYEAR:
        raise AppraisalInputError("year", f"must be from {MINYEAR} to {MAXYEAR}, got {year}")
    if not 1 <= min_months <= 12:
        raise AppraisalInputError("min_months", f"must be from 1 to 12, got {min_months}")
    months = _checked_months(year, monthly)
    if annual_result is not None and _decimal("annual_result", annual_result) < 0:
        raise AppraisalInputError("annual_result", f"must not be negative, got {annual_result}")

    appraised = f"{len(months)} appraised month{'' if len(months) == 1 else 's'}"
    if annual_result is not None:
        coefficient = round_coefficient(annual_result)
        months_note = (
            f"it takes precedence over the {appraised}" if months else "no month was appraised"
        )
        return AnnualCoefficient(
            year,
            coefficient,
            AnnualBasis.ANNUAL_APPRAISAL,
            (),
            f"annual appraisal result {coefficient} for {year}; {months_note}",
        )
    if len(months) < min_months:
        return AnnualCoefficient(
            year,
            None,
            AnnualBasis.NONE,
            (),
            f"no annual coefficient for {year}: {appraised}, fewer than the {min_months} "
            "needed, and no annual appraisal result",
        )
    ordered = sorted(months, key=lambda m: m.period.start)
    exact_sum = sum((m.coefficient for m in ordered), _ZERO)
    coefficient = round_coefficient(exact_sum / len(ordered))
    listed = ", ".join(f"{m.period} {m.coefficient}" for m in ordered)
    return AnnualCoefficient(
        year,
        coefficient,
        AnnualBasis.MONTHLY_MEAN,
        tuple(m.period for m in ordered),
        f"mean of the {appraised} of {year} ({listed}): {exact_sum} / {len(ordered)} "
        f"= {coefficient}, rounded half-up to 4 decimals",
    )


def _checked_months(year: int, monthly: Sequence[MonthlyResult]) -> list[MonthlyResult]:
    seen: set[Period] = set()
    for i, result in enumerate(monthly):
        where = f"monthly[{i}]"
        period = result.period
        if period.granularity is not Granularity.MONTH:
            raise AppraisalInputError(f"{where}.period", f"{period} is not a month")
        if period.start.year != year:
            raise AppraisalInputError(f"{where}.period", f"{period} is not in {year}")
        if period in seen:
            raise AppraisalInputError(f"{where}.period", f"{period} appears more than once")
        seen.add(period)
        if _decimal(f"{where}.coefficient", result.coefficient) < 0:
            raise AppraisalInputError(
                f"{where}.coefficient", f"must not be negative, got {result.coefficient}"
            )
    return list(monthly)


def _decimal(name: str, value: Decimal) -> Decimal:
    if not isinstance(value, Decimal):
        raise AppraisalInputError(name, f"must be a Decimal, got {type(value).__name__}")
    return require_finite(name, value)
