"""``check_eligibility`` through the database: seed 003's rules on stored org, leave, calendar."""

from __future__ import annotations

from typing import Any

import pytest

from services.common.db import UnitOfWorkFactory
from services.common.errors import FailedPrecondition, InvalidArgument, NotFound
from services.common.periods import Period
from services.org import service
from services.org.domain.eligibility import Ineligibility
from services.org.domain.model import EmploymentStatus, LeaveKind
from services.org.service import CalendarDay
from tests.integration.org_factories import (
    HR,
    HRIS,
    add_employees,
    d,
    employee,
    fields,
    leave,
    seed_tree,
)

MARCH = Period.parse("2026-03")
JUNE = Period.parse("2026-06")  # 22 weekdays, Mon 1 … Tue 30


def reasons(uows: UnitOfWorkFactory, emp_id: str, period: Period) -> tuple[Ineligibility, ...]:
    decision = service.check_eligibility(uows(), emp_id, period)
    assert decision.eligible == (not decision.reasons)
    return decision.reasons


def one(
    uows: UnitOfWorkFactory, status: EmploymentStatus = EmploymentStatus.REGULAR, **kw: Any
) -> str:
    seed_tree(uows)
    add_employees(uows, employee("E1", status=status, **kw))
    return "E1"


def on_leave(
    uows: UnitOfWorkFactory, start: str, end: str, kind: LeaveKind = LeaveKind.PERSONAL, **kw: Any
) -> None:
    service.upsert_leaves(
        uows(), HRIS, [leave(f"L-{start}", "E1", d(start), d(end), kind=kind, **kw)]
    )


def test_regular_employee_is_eligible(uow_factory: UnitOfWorkFactory) -> None:
    assert reasons(uow_factory, one(uow_factory), MARCH) == ()


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (EmploymentStatus.PROBATION, Ineligibility.PROBATION),
        (EmploymentStatus.TEMPORARY, Ineligibility.TEMPORARY),
        (EmploymentStatus.PART_TIME_EXTERNAL, Ineligibility.PART_TIME_EXTERNAL),
    ],
)
def test_status_excludes(
    uow_factory: UnitOfWorkFactory, status: EmploymentStatus, reason: Ineligibility
) -> None:
    assert reasons(uow_factory, one(uow_factory, status), MARCH) == (reason,)


def test_maternity_leave_for_the_whole_month_excludes(uow_factory: UnitOfWorkFactory) -> None:
    emp = one(uow_factory)
    on_leave(uow_factory, "2026-02-20", "2026-04-10", LeaveKind.MATERNITY)
    assert reasons(uow_factory, emp, MARCH) == (
        Ineligibility.MATERNITY_WHOLE_PERIOD,
        Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,
    )


def test_maternity_leave_missing_one_working_day_is_not_the_whole_period(
    uow_factory: UnitOfWorkFactory,
) -> None:
    emp = one(uow_factory)
    on_leave(uow_factory, "2026-03-03", "2026-04-10", LeaveKind.MATERNITY)  # from Tue 3rd
    assert reasons(uow_factory, emp, MARCH) == (Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,)


def test_leave_over_half_counts_working_days_of_the_stored_calendar(
    uow_factory: UnitOfWorkFactory,
) -> None:
    emp = one(uow_factory)
    on_leave(uow_factory, "2026-06-01", "2026-06-15")  # 11 of June's 22 weekdays
    assert reasons(uow_factory, emp, JUNE) == ()  # exactly half does not exclude
    dragon_boat = CalendarDay(d("2026-06-19"), working=False, name="端午节")
    service.set_calendar_year(uow_factory(), HR, 2026, [dragon_boat])
    assert reasons(uow_factory, emp, JUNE) == (Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,)


def test_cancelled_leave_does_not_count(uow_factory: UnitOfWorkFactory) -> None:
    emp = one(uow_factory)
    on_leave(uow_factory, "2026-06-01", "2026-06-30", cancelled=True)
    assert reasons(uow_factory, emp, JUNE) == ()


@pytest.mark.parametrize(
    ("confirmed", "march", "april"),
    [
        ("2026-03-10", (), ()),
        ("2026-03-11", (Ineligibility.CONFIRMED_AFTER_CUTOFF,), ()),
    ],
    ids=["on-the-10th", "on-the-11th"],
)
def test_confirmation_on_the_10th_counts_that_month_after_it_the_next(
    uow_factory: UnitOfWorkFactory,
    confirmed: str,
    march: tuple[Ineligibility, ...],
    april: tuple[Ineligibility, ...],
) -> None:
    emp = one(uow_factory, hired=d("2025-12-11"), confirmed=d(confirmed))
    assert reasons(uow_factory, emp, MARCH) == march
    assert reasons(uow_factory, emp, Period.parse("2026-04")) == april


def test_status_is_read_as_of_the_period_end(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    hired = d("2026-01-05")
    add_employees(
        uow_factory,
        employee("E1", status=EmploymentStatus.PROBATION, hired=hired, since=hired),
        employee("E1", hired=hired, confirmed=d("2026-03-02"), since=d("2026-03-02")),
        employee("E1", status=EmploymentStatus.TEMPORARY, hired=hired, since=d("2026-05-15")),
    )
    months = ("2026-02", "2026-03", "2026-04", "2026-05")
    assert {m: reasons(uow_factory, "E1", Period.parse(m)) for m in months} == {
        "2026-02": (Ineligibility.PROBATION,),
        "2026-03": (),
        "2026-04": (),
        "2026-05": (Ineligibility.TEMPORARY,),
    }


def test_unknown_employee_is_not_found(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFound):
        service.check_eligibility(uow_factory(), "NOBODY", MARCH)


def test_employee_without_a_record_by_the_period_end_fails_precondition(
    uow_factory: UnitOfWorkFactory,
) -> None:
    emp = one(uow_factory, since=d("2026-04-01"))
    with pytest.raises(FailedPrecondition):
        service.check_eligibility(uow_factory(), emp, MARCH)


def test_a_day_period_is_invalid(uow_factory: UnitOfWorkFactory) -> None:
    emp = one(uow_factory)
    with pytest.raises(InvalidArgument) as caught:
        service.check_eligibility(uow_factory(), emp, Period.parse("2026-03-05"))
    assert fields(caught.value.violations) == ["period"]


def test_quarter_needs_leave_over_half_in_every_month(uow_factory: UnitOfWorkFactory) -> None:
    emp = one(uow_factory)
    on_leave(uow_factory, "2026-04-01", "2026-05-31")
    q2 = Period.parse("2026-Q2")
    assert reasons(uow_factory, emp, q2) == ()
    on_leave(uow_factory, "2026-06-01", "2026-06-16")  # 12 of 22
    assert reasons(uow_factory, emp, q2) == (Ineligibility.LEAVE_OVER_HALF_EACH_MONTH,)
