"""Listing employees (as-of, subtree, supervisor, pages) and who may read what, on Postgres."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.common.auth import Principal, Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import InvalidArgument, PermissionDenied
from services.common.pagination import PageRequest, parse_page
from services.org import service
from services.org.service import Dated
from tests.integration.org_factories import (
    HR,
    HRIS,
    JAN1,
    add_employees,
    d,
    employee,
    fields,
    leave,
    seed_people,
    team,
    who,
)

M_SUPERVISOR = who("M", Role.EMPLOYEE, Role.SUPERVISOR)
S_SUPERVISOR = who("S", Role.EMPLOYEE, Role.SUPERVISOR)
ALL_PAGE = PageRequest(size=1000, after=None)


def ids(items: list[Dated[Any]]) -> list[str]:
    return [item.version.employee_id for item in items]


def listed(
    uows: UnitOfWorkFactory,
    principal: Principal = HR,
    *,
    org_unit: str | None = None,
    descendants: bool = False,
    supervisor: str | None = None,
    as_of: dt.date = JAN1,
) -> list[str]:
    page = service.list_employees(
        uows(),
        principal,
        org_unit_id=org_unit,
        include_descendants=descendants,
        supervisor_id=supervisor,
        as_of=as_of,
        page=ALL_PAGE,
        filters=[],
    )
    assert page.next_page_token == ""
    return ids(page.items)


# --- listing --------------------------------------------------------------------------


def test_descendants_of_the_center_are_the_whole_tree(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    assert listed(uow_factory, org_unit="CC", descendants=True) == [
        "A1",
        "A2",
        "B1",
        "C1",
        "M",
        "S",
    ]


def test_descendants_of_a_department_are_its_teams(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    assert listed(uow_factory, org_unit="OPS", descendants=True) == ["A1", "A2", "B1", "M"]


def test_without_descendants_only_the_unit_itself_is_listed(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_people(uow_factory)
    assert listed(uow_factory, org_unit="OPS") == ["M"]
    assert listed(uow_factory, org_unit="OPS-T1", descendants=True) == ["A1", "A2"]


def test_as_of_lists_only_people_whose_record_is_in_force(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    add_employees(uow_factory, employee("N1", "OPS-T1", "M", since=d("2026-06-01")))
    assert listed(uow_factory, org_unit="OPS-T1", as_of=d("2026-05-31")) == ["A1", "A2"]
    assert listed(uow_factory, org_unit="OPS-T1", as_of=d("2026-06-01")) == ["A1", "A2", "N1"]


def test_subtree_follows_the_tree_as_of_the_date(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    service.upsert_org_units(uow_factory(), [team("OPS-T2", "SUP", since=d("2026-07-01"))])
    assert "B1" in listed(uow_factory, org_unit="OPS", descendants=True, as_of=d("2026-06-30"))
    assert listed(uow_factory, org_unit="OPS", descendants=True, as_of=d("2026-07-01")) == [
        "A1",
        "A2",
        "M",
    ]
    assert "B1" in listed(uow_factory, org_unit="SUP", descendants=True, as_of=d("2026-07-01"))


def test_supervisor_filter_lists_direct_reports(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    assert listed(uow_factory, supervisor="M") == ["A1", "A2", "B1"]
    assert listed(uow_factory, supervisor="S") == ["C1"]


def test_pages_walk_every_employee_once(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    add_employees(uow_factory, *(employee(f"P{i:02d}", "OPS-T2", "M") for i in range(17)))
    filters = {"org_unit_id": "OPS", "include_descendants": True}
    seen: list[str] = []
    token, pages = "", 0
    while True:
        page = service.list_employees(
            uow_factory(),
            HR,
            org_unit_id="OPS",
            include_descendants=True,
            supervisor_id=None,
            as_of=JAN1,
            page=parse_page(5, token, filters),
            filters=filters,
        )
        seen += ids(page.items)
        pages += 1
        token = page.next_page_token
        if not token:
            break
    assert pages == 5  # 21 people, 5 a page
    assert seen == sorted(["A1", "A2", "B1", "M", *(f"P{i:02d}" for i in range(17))])


def test_page_token_reused_with_other_filters_is_rejected(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    first = service.list_employees(
        uow_factory(),
        HR,
        org_unit_id=None,
        include_descendants=False,
        supervisor_id="M",
        as_of=JAN1,
        page=parse_page(2, "", {"supervisor_id": "M"}),
        filters={"supervisor_id": "M"},
    )
    assert ids(first.items) == ["A1", "A2"]
    with pytest.raises(InvalidArgument) as caught:
        parse_page(2, first.next_page_token, {"supervisor_id": "S"})
    assert fields(caught.value.violations) == ["page_token"]


def test_history_pages_walk_every_version(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    months = ("2026-02-01", "2026-03-01", "2026-04-01")
    add_employees(
        uow_factory,
        *(employee("A1", "OPS-T1", "M", grade=f"G{n}", since=d(m)) for n, m in enumerate(months)),
    )
    starts: list[dt.date] = []
    token = ""
    while True:
        page = service.list_employee_history(
            uow_factory(), HR, "A1", parse_page(1, token, {"e": "A1"}), {"e": "A1"}
        )
        starts += [v.version.valid_from for v in page.items]
        token = page.next_page_token
        if not token:
            break
    assert starts == [JAN1, *(d(m) for m in months)]


# --- who may read employees -----------------------------------------------------------


def test_employee_reads_own_record(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    assert service.get_employee(uow_factory(), who("A1"), "A1", JAN1).version.supervisor_id == "M"


def test_employee_may_not_read_a_colleague(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    with pytest.raises(PermissionDenied):
        service.get_employee(uow_factory(), who("A1"), "A2", JAN1)


def test_supervisor_reads_a_direct_report(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    got = service.get_employee(uow_factory(), M_SUPERVISOR, "B1", JAN1)
    assert got.version.org_unit_id == "OPS-T2"


def test_supervisor_may_not_read_someone_elses_report(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    with pytest.raises(PermissionDenied):
        service.get_employee(uow_factory(), M_SUPERVISOR, "C1", JAN1)


def test_supervisor_lists_own_reports_only_with_supervisor_id_self(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_people(uow_factory)
    assert listed(uow_factory, S_SUPERVISOR, supervisor="S") == ["C1"]
    for other in (None, "M"):
        with pytest.raises(PermissionDenied):
            listed(uow_factory, S_SUPERVISOR, org_unit="SUP", supervisor=other)


def test_plain_employee_may_not_list(uow_factory: UnitOfWorkFactory) -> None:
    seed_people(uow_factory)
    with pytest.raises(PermissionDenied):
        listed(uow_factory, who("A1"), supervisor="A1")


@pytest.mark.parametrize("role", [Role.HR, Role.HRIS, Role.PERF_ADMIN])
def test_history_is_readable_by_hr_hris_and_perf_admin(
    uow_factory: UnitOfWorkFactory, role: Role
) -> None:
    seed_people(uow_factory)
    page = service.list_employee_history(uow_factory(), who("x", role), "A1", ALL_PAGE, [])
    assert [v.version.valid_from for v in page.items] == [JAN1]


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.DUTY_OFFICER, Role.EMPLOYEE])
def test_history_is_denied_to_other_roles(uow_factory: UnitOfWorkFactory, role: Role) -> None:
    seed_people(uow_factory)
    with pytest.raises(PermissionDenied):
        service.list_employee_history(uow_factory(), who("M", role), "A1", ALL_PAGE, [])


# --- who may read leave ---------------------------------------------------------------


def leave_ids(uows: UnitOfWorkFactory, principal: Principal, emp_id: str) -> list[str]:
    page = service.list_leaves(
        uows(), principal, employee_id=emp_id, start=None, end=None, page=ALL_PAGE, filters=[]
    )
    return [x.id for x in page.items]


@pytest.mark.parametrize(
    "reader",
    [who("A1"), M_SUPERVISOR, HR, who("duty", Role.DUTY_OFFICER), who("p", Role.PERF_ADMIN)],
    ids=["self", "supervisor", "hr", "duty-officer", "perf-admin"],
)
def test_leave_is_readable_by_self_supervisor_and_org_readers(
    uow_factory: UnitOfWorkFactory, reader: Principal
) -> None:
    seed_people(uow_factory)
    service.upsert_leaves(
        uow_factory(), HRIS, [leave("L1", "A1", d("2026-03-02"), d("2026-03-03"))]
    )
    assert leave_ids(uow_factory, reader, "A1") == ["L1"]


@pytest.mark.parametrize(
    "reader",
    [who("A2"), S_SUPERVISOR, who("x", Role.PAYROLL)],
    ids=["colleague", "other-sup", "payroll"],
)
def test_leave_is_not_readable_by_a_stranger(
    uow_factory: UnitOfWorkFactory, reader: Principal
) -> None:
    seed_people(uow_factory)
    service.upsert_leaves(
        uow_factory(), HRIS, [leave("L1", "A1", d("2026-03-02"), d("2026-03-03"))]
    )
    with pytest.raises(PermissionDenied):
        leave_ids(uow_factory, reader, "A1")
