"""Leave records and the working-day calendar on Postgres."""

from __future__ import annotations

import datetime as dt

import pytest

from services.common.db import UnitOfWorkFactory
from services.common.errors import InvalidArgument
from services.common.pagination import PageRequest
from services.org import service
from services.org.domain.model import LeaveKind
from services.org.models import Leave
from services.org.service import CalendarDay, LeaveInput, UpsertCounts
from tests.integration.org_factories import HR, HRIS, count, d, fields, leave, seed_people

# --- leave ----------------------------------------------------------------------------


def leaves_of(
    uows: UnitOfWorkFactory, emp_id: str, start: str | None = None, end: str | None = None
) -> list[tuple[str, dt.date, dt.date, bool]]:
    page = service.list_leaves(
        uows(),
        HR,
        employee_id=emp_id,
        start=d(start) if start else None,
        end=d(end) if end else None,
        page=PageRequest(100, None),
        filters=[],
    )
    return [(x.id, x.start_date, x.end_date, x.cancelled) for x in page.items]


def test_leave_is_created_and_listed(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    counts = service.upsert_leaves(
        uow_factory(),
        HRIS,
        [
            leave("L1", "A1", d("2026-03-02"), d("2026-03-04")),
            leave("L2", "A2", *[d("2026-03-05")] * 2),
        ],
    )
    assert counts == UpsertCounts(created=2)
    assert leaves_of(uow_factory, "A1") == [("L1", d("2026-03-02"), d("2026-03-04"), False)]


def test_leave_update_changes_the_row_and_reupsert_is_unchanged(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_people(uow_factory)
    service.upsert_leaves(
        uow_factory(), HRIS, [leave("L1", "A1", d("2026-03-02"), d("2026-03-04"))]
    )
    longer = leave("L1", "A1", d("2026-03-02"), d("2026-03-06"), kind=LeaveKind.SICK)
    assert service.upsert_leaves(uow_factory(), HRIS, [longer]) == UpsertCounts(updated=1)
    assert service.upsert_leaves(uow_factory(), HRIS, [longer]) == UpsertCounts(unchanged=1)
    assert leaves_of(uow_factory, "A1") == [("L1", d("2026-03-02"), d("2026-03-06"), False)]
    assert count(uow_factory, Leave) == 1


def test_cancelled_leave_is_kept_and_marked(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    service.upsert_leaves(
        uow_factory(), HRIS, [leave("L1", "A1", d("2026-03-02"), d("2026-03-04"))]
    )
    cancel = leave("L1", "A1", d("2026-03-02"), d("2026-03-04"), cancelled=True)
    assert service.upsert_leaves(uow_factory(), HRIS, [cancel]) == UpsertCounts(updated=1)
    assert leaves_of(uow_factory, "A1") == [("L1", d("2026-03-02"), d("2026-03-04"), True)]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-02-01", "2026-02-28", ["FEB"]),
        ("2026-01-09", "2026-02-02", ["FEB", "JAN"]),  # both edges touch: inclusive
        ("2026-01-10", "2026-02-01", []),  # the gap between them
        ("2026-03-03", None, ["MAR"]),
        (None, "2026-01-05", ["JAN"]),
        (None, None, ["FEB", "JAN", "MAR"]),
    ],
)
def test_leave_listing_returns_leaves_overlapping_the_range(
    uow_factory: UnitOfWorkFactory, start: str | None, end: str | None, expected: list[str]
) -> None:
    seed_people(uow_factory)
    spans = {"JAN": ("2026-01-05", "2026-01-09"), "FEB": ("2026-02-02", "2026-02-06")}
    spans["MAR"] = ("2026-03-02", "2026-03-03")
    service.upsert_leaves(
        uow_factory(), HRIS, [leave(k, "A1", d(a), d(b)) for k, (a, b) in spans.items()]
    )
    assert [row[0] for row in leaves_of(uow_factory, "A1", start, end)] == expected


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (leave("L2", "A1", d("2026-03-05"), d("2026-03-04")), "leaves[1].end_date"),
        (leave("L2", "NOBODY", d("2026-03-05"), d("2026-03-05")), "leaves[1].employee_id"),
        (leave("L1", "A2", d("2026-03-05"), d("2026-03-05")), "leaves[1]"),
    ],
    ids=["end-before-start", "unknown-employee", "duplicate-id"],
)
def test_invalid_leave_names_the_field_and_writes_nothing(
    uow_factory: UnitOfWorkFactory, bad: LeaveInput, field: str
) -> None:
    seed_people(uow_factory)
    with pytest.raises(InvalidArgument) as caught:
        service.upsert_leaves(uow_factory(), HRIS, [leave("L1", "A1", *[d("2026-03-02")] * 2), bad])
    assert fields(caught.value.violations) == [field]
    assert count(uow_factory, Leave) == 0


# --- calendar -------------------------------------------------------------------------


def holiday(day: str, name: str = "国庆节") -> CalendarDay:
    return CalendarDay(d(day), working=False, name=name)


def makeup(day: str, name: str = "调休") -> CalendarDay:
    return CalendarDay(d(day), working=True, name=name)


NATIONAL_DAY_2026 = [
    makeup("2026-09-27"),  # Sunday
    *(holiday(x) for x in ("2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07")),
    makeup("2026-10-10"),  # Saturday
]
WEEKDAYS_2026 = 261  # 2026 starts on a Thursday: 52 weeks and one Thursday


def test_setting_a_year_stores_its_exceptions_and_counts_working_days(
    uow_factory: UnitOfWorkFactory,
) -> None:
    result = service.set_calendar_year(uow_factory(), HR, 2026, NATIONAL_DAY_2026)
    assert result.working_days == WEEKDAYS_2026 - 5 + 2
    stored = service.get_calendar_year(uow_factory(), 2026)
    assert stored.exceptions == sorted(NATIONAL_DAY_2026, key=lambda x: x.day)
    assert stored.working_days == 258


def test_a_year_without_exceptions_has_every_weekday(uow_factory: UnitOfWorkFactory) -> None:
    assert service.get_calendar_year(uow_factory(), 2026).working_days == WEEKDAYS_2026


def test_replacing_a_year_removes_the_old_exceptions(uow_factory: UnitOfWorkFactory) -> None:
    service.set_calendar_year(uow_factory(), HR, 2026, NATIONAL_DAY_2026)
    new_year = holiday("2026-01-01", "元旦")
    result = service.set_calendar_year(uow_factory(), HR, 2026, [new_year])
    assert (result.exceptions, result.working_days) == ([new_year], WEEKDAYS_2026 - 1)
    assert service.get_calendar_year(uow_factory(), 2026).exceptions == [new_year]
    assert service.nth_working_day_after(uow_factory(), d("2026-09-30"), 1) == d("2026-10-01")


def test_setting_one_year_leaves_the_others_alone(uow_factory: UnitOfWorkFactory) -> None:
    service.set_calendar_year(uow_factory(), HR, 2026, NATIONAL_DAY_2026)
    service.set_calendar_year(uow_factory(), HR, 2027, [holiday("2027-01-01", "元旦")])
    assert len(service.get_calendar_year(uow_factory(), 2026).exceptions) == 7


@pytest.mark.parametrize(
    ("day", "field"),
    [
        (holiday("2027-01-01"), "exceptions[1].date"),
        (makeup("2026-10-09"), "exceptions[1].working"),  # a Friday
        (holiday("2026-10-01"), "exceptions[1]"),
    ],
    ids=["outside-year", "makeup-on-weekday", "duplicate"],
)
def test_invalid_calendar_day_is_rejected_and_nothing_changes(
    uow_factory: UnitOfWorkFactory, day: CalendarDay, field: str
) -> None:
    service.set_calendar_year(uow_factory(), HR, 2026, NATIONAL_DAY_2026)
    with pytest.raises(InvalidArgument) as caught:
        service.set_calendar_year(uow_factory(), HR, 2026, [holiday("2026-10-01"), day])
    assert fields(caught.value.violations) == [field]
    assert len(service.get_calendar_year(uow_factory(), 2026).exceptions) == 7


OFFICIAL_NATIONAL_DAY_2026 = [
    makeup("2026-09-27"),  # Sunday
    *(holiday(f"2026-10-0{n}", "国庆节") for n in range(1, 8)),  # Sat 3 and Sun 4 included
    makeup("2026-10-10"),  # Saturday
]


def test_the_official_holiday_range_is_accepted_with_its_weekend_days(
    uow_factory: UnitOfWorkFactory,
) -> None:
    # An HRIS sends the government's list, 1-7 October whole; the year was refused.
    result = service.set_calendar_year(uow_factory(), HR, 2026, OFFICIAL_NATIONAL_DAY_2026)
    assert result.working_days == WEEKDAYS_2026 - 5 + 2  # the weekend holidays change nothing
    stored = service.get_calendar_year(uow_factory(), 2026)
    assert stored.exceptions == sorted(OFFICIAL_NATIONAL_DAY_2026, key=lambda x: x.day)
    assert service.nth_working_day_after(uow_factory(), d("2026-09-30"), 1) == d("2026-10-08")


def test_a_weekend_day_sent_as_holiday_and_make_up_day_is_refused(
    uow_factory: UnitOfWorkFactory,
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        service.set_calendar_year(
            uow_factory(), HR, 2026, [holiday("2026-10-03"), makeup("2026-10-03")]
        )
    assert fields(caught.value.violations) == ["exceptions[1]"]
    assert service.get_calendar_year(uow_factory(), 2026).exceptions == []


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "2026-10-08"), (2, "2026-10-09"), (3, "2026-10-10"), (4, "2026-10-12")],
)
def test_nth_working_day_skips_the_holiday_week_and_counts_the_makeup_day(
    uow_factory: UnitOfWorkFactory, n: int, expected: str
) -> None:
    service.set_calendar_year(uow_factory(), HR, 2026, NATIONAL_DAY_2026)
    assert service.nth_working_day_after(uow_factory(), d("2026-09-30"), n) == d(expected)


def test_nth_working_day_crosses_into_the_next_years_calendar(
    uow_factory: UnitOfWorkFactory,
) -> None:
    service.set_calendar_year(uow_factory(), HR, 2026, [holiday("2026-12-31", "除夕前")])
    service.set_calendar_year(uow_factory(), HR, 2027, [holiday("2027-01-01", "元旦")])
    # Wed 30 Dec → (Thu 31 and Fri 1 are holidays, then a weekend) → Mon 4, Tue 5 Jan
    assert service.nth_working_day_after(uow_factory(), d("2026-12-30"), 2) == d("2027-01-05")
