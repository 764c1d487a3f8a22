"""The calendar and leave leave who, when, before and after in ``org_audit`` (issue #7, audit).

A holiday or make-up day moves data deadlines and appeal windows; leave decides who is
appraised. One record per changed day or leave, in the change's transaction: a replay
records nothing, a refused change records nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.common.auth import Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import InvalidArgument
from services.org import service
from services.org.domain.model import LeaveKind
from services.org.models import OrgAuditEntry
from services.org.service import CalendarDay
from tests.integration.org_factories import HR, HRIS, d, leave, seed_people, who
from tests.support.audit_trail import audit_count, audit_trail

HR2 = who("hr-2", Role.HR)
NOW = dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=1)


def trail(uows: UnitOfWorkFactory, entity: str) -> list[dict[str, Any]]:
    return audit_trail(uows, OrgAuditEntry, entity)


def count(uows: UnitOfWorkFactory) -> int:
    return audit_count(uows, OrgAuditEntry)


def test_calendar_days_record_who_when_before_and_after(uow_factory: UnitOfWorkFactory) -> None:
    national_day = [
        CalendarDay(d("2026-09-27"), True, "调休"),
        CalendarDay(d("2026-10-01"), False, "国庆节"),
        CalendarDay(d("2026-10-02"), False, "国庆节"),
    ]
    service.set_calendar_year(uow_factory(), HR, 2026, national_day, now=NOW)
    service.set_calendar_year(uow_factory(), HR, 2026, national_day, now=LATER)  # a replay
    changed = [
        CalendarDay(d("2026-10-01"), False, "国庆节"),  # unchanged
        CalendarDay(d("2026-10-02"), False, "国庆节 2"),  # renamed
        CalendarDay(d("2026-10-10"), True, "调休"),  # added; 09-27 is dropped
    ]
    service.set_calendar_year(uow_factory(), HR2, 2026, changed, now=LATER)

    make_up = {"working": True, "name": "调休"}
    holiday = {"working": False, "name": "国庆节"}
    assert trail(uow_factory, "calendar_day") == [
        {"at": NOW, "who": "hr-1", "action": "created", "key": "2026-09-27", "before": None,
         "after": make_up},
        {"at": NOW, "who": "hr-1", "action": "created", "key": "2026-10-01", "before": None,
         "after": holiday},
        {"at": NOW, "who": "hr-1", "action": "created", "key": "2026-10-02", "before": None,
         "after": holiday},
        {"at": LATER, "who": "hr-2", "action": "removed", "key": "2026-09-27",
         "before": make_up, "after": None},
        {"at": LATER, "who": "hr-2", "action": "updated", "key": "2026-10-02",
         "before": holiday, "after": {"working": False, "name": "国庆节 2"}},
        {"at": LATER, "who": "hr-2", "action": "created", "key": "2026-10-10", "before": None,
         "after": make_up},
    ]  # fmt: skip

    service.set_calendar_year(uow_factory(), HR, 2026, [], now=LATER)  # the year emptied
    removed = trail(uow_factory, "calendar_day")[6:]
    assert [(r["action"], r["key"], r["after"]) for r in removed] == [
        ("removed", "2026-10-01", None),
        ("removed", "2026-10-02", None),
        ("removed", "2026-10-10", None),
    ]


def test_a_refused_calendar_records_nothing(uow_factory: UnitOfWorkFactory) -> None:
    service.set_calendar_year(
        uow_factory(), HR, 2026, [CalendarDay(d("2026-10-01"), False, "国庆节")], now=NOW
    )
    with pytest.raises(InvalidArgument):  # a valid change beside a weekday "made up"
        service.set_calendar_year(uow_factory(), HR, 2026, [
            CalendarDay(d("2026-10-02"), False, "国庆节"),
            CalendarDay(d("2026-10-05"), True, "调休"),
        ], now=LATER)  # fmt: skip
    assert count(uow_factory) == 1
    assert service.get_calendar_year(uow_factory(), 2026).exceptions == [
        CalendarDay(d("2026-10-01"), False, "国庆节")
    ]


def test_leave_records_who_when_before_and_after(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    sick = leave("L1", "A1", d("2026-03-02"), d("2026-03-04"), kind=LeaveKind.SICK)
    service.upsert_leaves(uow_factory(), HRIS, [sick], now=NOW)
    service.upsert_leaves(uow_factory(), HRIS, [sick], now=LATER)  # a replay
    cancelled = leave("L1", "A1", d("2026-03-02"), d("2026-03-06"), cancelled=True)
    service.upsert_leaves(uow_factory(), who("hris-2", Role.HRIS), [cancelled], now=LATER)

    first = {"employee_id": "A1", "kind": "sick", "start_date": "2026-03-02",
             "end_date": "2026-03-04", "cancelled": False}  # fmt: skip
    assert trail(uow_factory, "leave") == [
        {"at": NOW, "who": "hris", "action": "created", "key": "L1", "before": None,
         "after": first},
        {"at": LATER, "who": "hris-2", "action": "updated", "key": "L1", "before": first,
         "after": first | {"kind": "annual", "end_date": "2026-03-06", "cancelled": True}},
    ]  # fmt: skip


def test_a_refused_leave_batch_records_nothing(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    good = leave("L1", "A1", d("2026-03-02"), d("2026-03-04"))
    unknown = leave("L2", "NOBODY", d("2026-03-02"), d("2026-03-04"))
    with pytest.raises(InvalidArgument):  # refused inside the transaction
        service.upsert_leaves(uow_factory(), HRIS, [good, unknown], now=NOW)
    with pytest.raises(InvalidArgument):  # refused before it
        service.upsert_leaves(uow_factory(), HRIS, [good, good], now=NOW)
    assert count(uow_factory) == 0
