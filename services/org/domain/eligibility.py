"""Who is appraised for a period (seed 003 适用范围; DOMAIN.md §2).

Seed 003 excludes from appraisal:

1. probation staff (试用期员工);
2. temporary staff and external part-time staff (临时员工和外部兼职人员);
3. anyone on maternity leave for the whole appraisal period (整个考核期间休产假);
4. anyone on leave for more than half (超过1/2) of the working days in *each*
   month of the period (考核期内每月休假均超过1/2);
5. and, as a note: confirmed (转正) on or before the 10th of a month (10日含),
   assessed from that month; after the 10th, from the next month.

Choices this module makes where the seed is silent (each documented on the
matching `Ineligibility` member):

- Status is the status as at the end of the period, as HRIS reports it.
- Leave is counted in working days of the center's `WorkCalendar`;
  overlapping spans count each day once; all leave kinds count towards rule 4,
  maternity included. A month with no working days cannot exceed half.
- Rule 3 needs maternity leave on every working day of the period; a period
  with no working days never triggers it.
- Rule 5 applies to the day someone became regular: `confirmation_date`, or
  `hire_date` for someone hired directly as regular. For a quarter or a year,
  someone is eligible if their first assessable month falls within (or
  before) the period; the appraisal then covers only the assessable months
  (see `first_assessable_month`). For a month this is exactly the seed's rule.
- Leavers and people hired after the period are not appraised for it.

All reasons that apply are returned, so HR sees the whole picture at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.common.periods import Granularity, Period
from services.org.domain.calendar import WorkCalendar
from services.org.domain.model import EmploymentStatus, LeaveKind

__all__ = [
    "EligibilityDecision",
    "EmploymentFacts",
    "Ineligibility",
    "LeaveSpan",
    "decide_eligibility",
    "first_assessable_month",
]

CONFIRMATION_CUTOFF_DAY = 10
"""Confirmed on or before this day of the month: assessed from that month (seed 003)."""


class Ineligibility(StrEnum):
    """Why someone is not appraised for a period; values are stable reason codes."""

    PROBATION = "probation"
    """Still on probation (试用期) at the end of the period (seed 003 rule 1)."""

    TEMPORARY = "temporary"
    """Temporary staff (临时员工) at the end of the period (seed 003 rule 2)."""

    PART_TIME_EXTERNAL = "part_time_external"
    """External part-time staff (外部兼职人员) at the end of the period (seed 003 rule 2)."""

    NOT_YET_EMPLOYED = "not_yet_employed"
    """Hired after the period's last day: nothing to appraise."""

    TERMINATED = "terminated"
    """Status terminated at the end of the period, or `termination_date` (the last
    day employed) on or before the period's last day. A leaver's last period is
    settled at exit, not in the next month's cycle, when they are gone."""

    MATERNITY_WHOLE_PERIOD = "maternity_whole_period"
    """Maternity leave (产假) covers every working day of the period (seed 003 rule 3)."""

    LEAVE_OVER_HALF_EACH_MONTH = "leave_over_half_each_month"
    """Leave of any kind covers more than half the working days of every month of the
    period (seed 003 rule 3); exactly half does not exclude."""

    CONFIRMED_AFTER_CUTOFF = "confirmed_after_cutoff"
    """Became regular within the period but after the 10th of its last month, so
    the first assessable month is after the period (seed 003 note 4)."""


@dataclass(frozen=True, slots=True)
class EmploymentFacts:
    """What HRIS says about one employee, as at the end of the period."""

    status: EmploymentStatus
    hire_date: date
    confirmation_date: date | None = None
    """End of probation (转正); None if never on probation or not yet confirmed."""
    termination_date: date | None = None
    """Last day employed; None while employed."""


@dataclass(frozen=True, slots=True)
class LeaveSpan:
    """One leave, `start` to `end` inclusive, as HRIS records it."""

    kind: LeaveKind
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"leave ends ({self.end}) before it starts ({self.start})")


@dataclass(frozen=True, slots=True)
class EligibilityDecision:
    """Whether someone is appraised for a period, and every reason if not."""

    eligible: bool
    reasons: tuple[Ineligibility, ...] = ()

    def __post_init__(self) -> None:
        if self.eligible == bool(self.reasons):
            raise ValueError("eligible exactly when there are no reasons")


def first_assessable_month(facts: EmploymentFacts) -> Period | None:
    """The first month someone is appraised in under the 10th-of-month rule.

    None when there is no date they became (or will become) regular: probation
    without a confirmation date, temporary, external part-time staff.
    """
    regular_since = _regular_since(facts)
    if regular_since is None:
        return None
    month = Period.of(Granularity.MONTH, regular_since)
    return month if regular_since.day <= CONFIRMATION_CUTOFF_DAY else month.next()


def decide_eligibility(
    facts: EmploymentFacts,
    leaves: Sequence[LeaveSpan],
    period: Period,
    calendar: WorkCalendar,
) -> EligibilityDecision:
    """Apply the seed 003 rules for one employee and one month, quarter or year."""
    if period.granularity is Granularity.DAY:
        raise ValueError(f"appraisal periods are months, quarters or years, not {period}")

    reasons: set[Ineligibility] = set()
    reasons.update(_status_reasons(facts, period))
    reasons.update(_leave_reasons(leaves, period, calendar))
    ordered = tuple(r for r in Ineligibility if r in reasons)
    return EligibilityDecision(eligible=not ordered, reasons=ordered)


def _regular_since(facts: EmploymentFacts) -> date | None:
    if facts.confirmation_date is not None:
        return facts.confirmation_date
    if facts.status is EmploymentStatus.REGULAR:
        # Hired directly as regular: the 10th-of-month rule applies to the hire date.
        return facts.hire_date
    return None


def _status_reasons(facts: EmploymentFacts, period: Period) -> Iterable[Ineligibility]:
    by_status = {
        EmploymentStatus.PROBATION: Ineligibility.PROBATION,
        EmploymentStatus.TEMPORARY: Ineligibility.TEMPORARY,
        EmploymentStatus.PART_TIME_EXTERNAL: Ineligibility.PART_TIME_EXTERNAL,
        EmploymentStatus.TERMINATED: Ineligibility.TERMINATED,
    }
    if facts.status in by_status:
        yield by_status[facts.status]
    if facts.hire_date > period.end:
        yield Ineligibility.NOT_YET_EMPLOYED
    if facts.termination_date is not None and facts.termination_date <= period.end:
        yield Ineligibility.TERMINATED
    regular_since = _regular_since(facts)
    first_month = first_assessable_month(facts)
    if (
        regular_since is not None
        and first_month is not None
        and regular_since <= period.end
        and first_month.start > period.end
    ):
        yield Ineligibility.CONFIRMED_AFTER_CUTOFF


def _leave_reasons(
    leaves: Sequence[LeaveSpan], period: Period, calendar: WorkCalendar
) -> Iterable[Ineligibility]:
    working_days = calendar.working_days(period.start, period.end)
    maternity = _days_covered((s for s in leaves if s.kind is LeaveKind.MATERNITY), period)
    if working_days and all(d in maternity for d in working_days):
        yield Ineligibility.MATERNITY_WHOLE_PERIOD

    on_leave = _days_covered(leaves, period)

    def over_half(month: Period) -> bool:
        month_days = calendar.working_days(month.start, month.end)
        leave_days = sum(1 for d in month_days if d in on_leave)
        return leave_days * 2 > len(month_days)  # strictly more than half (超过1/2)

    if all(over_half(m) for m in period.months()):
        yield Ineligibility.LEAVE_OVER_HALF_EACH_MONTH


def _days_covered(spans: Iterable[LeaveSpan], period: Period) -> frozenset[date]:
    """Days of `period` under any span, so overlapping spans count once."""
    days: set[date] = set()
    for span in spans:
        first, last = max(span.start, period.start), min(span.end, period.end)
        days.update(date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1))
    return frozenset(days)
