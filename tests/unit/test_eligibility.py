from datetime import date, timedelta

import pytest

from services.common.periods import Period
from services.org.domain.calendar import WorkCalendar
from services.org.domain.eligibility import (
    EligibilityDecision,
    EmploymentFacts,
    Ineligibility,
    LeaveSpan,
    decide_eligibility,
    first_assessable_month,
)
from services.org.domain.model import EmploymentStatus, LeaveKind

# Test calendar: 1-7 Oct 2026 off, Sat 10 Oct worked. Working days:
# Oct 18 (22 weekdays - 5 weekday holidays + 1), Nov 21, Dec 23.
CENTER = WorkCalendar(
    holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
    makeup_workdays=frozenset({date(2026, 9, 27), date(2026, 10, 10)}),
)
PLAIN = WorkCalendar()
OCTOBER = Period.parse("2026-10")
Q4 = Period.parse("2026-Q4")

REGULAR = EmploymentFacts(
    status=EmploymentStatus.REGULAR,
    hire_date=date(2024, 3, 1),
    confirmation_date=date(2024, 6, 1),
)


def regular_confirmed_on(day: date) -> EmploymentFacts:
    return EmploymentFacts(
        status=EmploymentStatus.REGULAR, hire_date=date(2026, 4, 1), confirmation_date=day
    )


def leave(start: date, end: date, kind: LeaveKind = LeaveKind.PERSONAL) -> LeaveSpan:
    return LeaveSpan(kind=kind, start=start, end=end)


def reasons(facts, leaves, period, calendar=CENTER):
    return decide_eligibility(facts, leaves, period, calendar).reasons


def test_regular_employee_without_leave_is_eligible():
    decision = decide_eligibility(REGULAR, [], OCTOBER, CENTER)
    assert decision == EligibilityDecision(eligible=True, reasons=())


# -- status ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (EmploymentStatus.PROBATION, Ineligibility.PROBATION),
        (EmploymentStatus.TEMPORARY, Ineligibility.TEMPORARY),
        (EmploymentStatus.PART_TIME_EXTERNAL, Ineligibility.PART_TIME_EXTERNAL),
    ],
)
def test_probation_temporary_and_external_part_time_are_excluded(status, reason):
    facts = EmploymentFacts(status=status, hire_date=date(2026, 9, 1))
    decision = decide_eligibility(facts, [], OCTOBER, CENTER)
    assert not decision.eligible
    assert decision.reasons == (reason,)


def test_hired_after_the_period_is_not_yet_employed():
    facts = EmploymentFacts(status=EmploymentStatus.REGULAR, hire_date=date(2026, 11, 1))
    assert reasons(facts, [], OCTOBER) == (Ineligibility.NOT_YET_EMPLOYED,)


def test_termination_on_the_last_day_of_the_period_excludes():
    facts = EmploymentFacts(
        status=EmploymentStatus.TERMINATED,
        hire_date=date(2024, 3, 1),
        termination_date=date(2026, 10, 31),
    )
    assert reasons(facts, [], OCTOBER) == (Ineligibility.TERMINATED,)


def test_termination_date_within_the_period_excludes_even_if_status_lags():
    facts = EmploymentFacts(
        status=EmploymentStatus.REGULAR,
        hire_date=date(2024, 3, 1),
        termination_date=date(2026, 11, 15),
    )
    assert reasons(facts, [], Q4) == (Ineligibility.TERMINATED,)
    assert reasons(facts, [], OCTOBER) == ()


# -- confirmation (转正) on or before the 10th -------------------------------


def test_confirmed_on_the_10th_is_assessed_from_that_month():
    facts = regular_confirmed_on(date(2026, 10, 10))
    assert first_assessable_month(facts) == OCTOBER
    assert decide_eligibility(facts, [], OCTOBER, CENTER).eligible


def test_confirmed_on_the_11th_is_assessed_from_the_next_month():
    facts = regular_confirmed_on(date(2026, 10, 11))
    assert first_assessable_month(facts) == Period.parse("2026-11")
    assert reasons(facts, [], OCTOBER) == (Ineligibility.CONFIRMED_AFTER_CUTOFF,)
    assert reasons(facts, [], Period.parse("2026-11")) == ()


def test_hired_directly_as_regular_uses_the_hire_date_for_the_cutoff():
    after = EmploymentFacts(status=EmploymentStatus.REGULAR, hire_date=date(2026, 10, 11))
    on = EmploymentFacts(status=EmploymentStatus.REGULAR, hire_date=date(2026, 10, 10))
    assert reasons(after, [], OCTOBER) == (Ineligibility.CONFIRMED_AFTER_CUTOFF,)
    assert reasons(on, [], OCTOBER) == ()


def test_quarter_includes_someone_first_assessable_in_its_last_month():
    facts = regular_confirmed_on(date(2026, 11, 20))
    assert first_assessable_month(facts) == Period.parse("2026-12")
    assert reasons(facts, [], Q4) == ()


def test_quarter_excludes_someone_confirmed_after_the_10th_of_its_last_month():
    facts = regular_confirmed_on(date(2026, 12, 11))
    assert reasons(facts, [], Q4) == (Ineligibility.CONFIRMED_AFTER_CUTOFF,)
    assert reasons(facts, [], Period.parse("2027-Q1")) == ()


def test_year_includes_someone_confirmed_by_the_10th_of_december():
    assert reasons(regular_confirmed_on(date(2026, 12, 10)), [], Period.parse("2026")) == ()


def test_still_on_probation_with_a_future_confirmation_date_is_only_probation():
    facts = EmploymentFacts(
        status=EmploymentStatus.PROBATION,
        hire_date=date(2026, 8, 1),
        confirmation_date=date(2026, 11, 1),
    )
    assert reasons(facts, [], OCTOBER) == (Ineligibility.PROBATION,)
    assert first_assessable_month(facts) == Period.parse("2026-11")


def test_no_first_assessable_month_without_a_date_of_becoming_regular():
    facts = EmploymentFacts(status=EmploymentStatus.TEMPORARY, hire_date=date(2026, 8, 1))
    assert first_assessable_month(facts) is None


# -- leave over half of the working days of each month -----------------------


def test_leave_of_exactly_half_the_working_days_does_not_exclude():
    # 8, 9, 10 (make-up Sat), 12-16, 19 Oct = 9 of 18 working days.
    assert reasons(REGULAR, [leave(date(2026, 10, 8), date(2026, 10, 19))], OCTOBER) == ()


def test_leave_of_half_plus_one_working_day_excludes():
    # ... plus Tue 20 Oct = 10 of 18.
    spans = [leave(date(2026, 10, 8), date(2026, 10, 20))]
    assert reasons(REGULAR, spans, OCTOBER) == (Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,)


def test_holidays_and_makeup_days_change_the_leave_count():
    spans = [leave(date(2026, 10, 8), date(2026, 10, 20))]
    # Plain weekdays: 9 of 22 days, not over half; the center calendar: 10 of 18.
    assert reasons(REGULAR, spans, OCTOBER, PLAIN) == ()
    assert reasons(REGULAR, spans, OCTOBER, CENTER) == (Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,)


def test_only_working_days_of_leave_count():
    # 19 calendar days, but the holiday week and weekends are not working days: 9 of 18.
    assert reasons(REGULAR, [leave(date(2026, 10, 1), date(2026, 10, 19))], OCTOBER) == ()


def test_overlapping_leave_spans_are_counted_once():
    spans = [
        leave(date(2026, 10, 8), date(2026, 10, 16), LeaveKind.ANNUAL),  # 8 working days
        leave(date(2026, 10, 12), date(2026, 10, 19), LeaveKind.SICK),  # 6, 5 of them shared
    ]
    assert reasons(REGULAR, spans, OCTOBER) == ()  # union: 9 of 18


def test_leave_outside_the_period_does_not_count():
    spans = [
        leave(date(2026, 9, 1), date(2026, 9, 30)),
        leave(date(2026, 11, 1), date(2026, 11, 30)),
    ]
    assert reasons(REGULAR, spans, OCTOBER) == ()


Q4_OVER_HALF_EVERY_MONTH = [
    leave(date(2026, 10, 8), date(2026, 10, 20)),  # 10 of 18
    leave(date(2026, 11, 2), date(2026, 11, 16)),  # 11 of 21
    leave(date(2026, 12, 1), date(2026, 12, 16)),  # 12 of 23
]


def test_quarter_with_leave_over_half_in_every_month_excludes():
    assert reasons(REGULAR, Q4_OVER_HALF_EVERY_MONTH, Q4) == (
        Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,
    )


def test_quarter_with_one_month_at_or_under_half_is_eligible():
    spans = [*Q4_OVER_HALF_EVERY_MONTH[:2], leave(date(2026, 12, 1), date(2026, 12, 15))]  # 11/23
    assert reasons(REGULAR, spans, Q4) == ()


def test_month_without_working_days_never_exceeds_half():
    all_of_february = frozenset(date(2026, 2, 1) + timedelta(days=i) for i in range(28))
    closed = WorkCalendar(holidays=all_of_february)
    decision = decide_eligibility(REGULAR, [], Period.parse("2026-02"), closed)
    assert decision.eligible


# -- maternity leave over the whole period -----------------------------------


def test_maternity_leave_over_the_whole_period_excludes():
    spans = [leave(date(2026, 9, 1), date(2027, 1, 31), LeaveKind.MATERNITY)]
    assert reasons(REGULAR, spans, Q4) == (
        Ineligibility.MATERNITY_WHOLE_PERIOD,
        Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,
    )


def test_maternity_leave_missing_one_working_day_is_not_the_whole_period():
    # Starts Fri 9 Oct: Thu 8 Oct, the first working day after the holiday, is worked.
    spans = [leave(date(2026, 10, 9), date(2027, 1, 31), LeaveKind.MATERNITY)]
    assert reasons(REGULAR, spans, Q4) == (Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,)


def test_maternity_leave_from_the_first_working_day_covers_the_period():
    spans = [leave(date(2026, 10, 8), date(2026, 10, 31), LeaveKind.MATERNITY)]
    # With the holiday week off, 8 Oct is October's first working day; without it, not.
    assert Ineligibility.MATERNITY_WHOLE_PERIOD in reasons(REGULAR, spans, OCTOBER, CENTER)
    assert Ineligibility.MATERNITY_WHOLE_PERIOD not in reasons(REGULAR, spans, OCTOBER, PLAIN)


def test_other_leave_does_not_make_up_a_maternity_period():
    spans = [
        leave(date(2026, 10, 8), date(2026, 10, 8), LeaveKind.ANNUAL),
        leave(date(2026, 10, 9), date(2026, 10, 31), LeaveKind.MATERNITY),
    ]
    assert reasons(REGULAR, spans, OCTOBER) == (Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,)


# -- combined and invalid input ----------------------------------------------


def test_all_reasons_are_collected_in_a_stable_order():
    facts = EmploymentFacts(
        status=EmploymentStatus.PROBATION,
        hire_date=date(2026, 6, 1),
        termination_date=date(2026, 10, 31),
    )
    spans = [leave(date(2026, 10, 1), date(2026, 10, 31), LeaveKind.MATERNITY)]
    decision = decide_eligibility(facts, spans, OCTOBER, CENTER)
    assert not decision.eligible
    assert decision.reasons == (
        Ineligibility.PROBATION,
        Ineligibility.TERMINATED,
        Ineligibility.MATERNITY_WHOLE_PERIOD,
        Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,
    )


def test_a_day_is_not_an_appraisal_period():
    with pytest.raises(ValueError, match="months, quarters or years"):
        decide_eligibility(REGULAR, [], Period.parse("2026-10-08"), CENTER)


def test_leave_ending_before_it_starts_is_rejected():
    with pytest.raises(ValueError, match="before it starts"):
        leave(date(2026, 10, 9), date(2026, 10, 8))


def test_decision_must_be_consistent():
    with pytest.raises(ValueError):
        EligibilityDecision(eligible=True, reasons=(Ineligibility.PROBATION,))
    with pytest.raises(ValueError):
        EligibilityDecision(eligible=False, reasons=())
