"""Org units and employees on Postgres: dated versions, idempotency, etags, validation, bulk."""

from __future__ import annotations

import pytest

from services.common.auth import Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import Conflict, InvalidArgument, NotFound
from services.common.pagination import PageRequest
from services.org import service
from services.org.domain.model import OrgUnitKind
from services.org.models import Employee, EmployeeVersion
from services.org.service import EmployeeInput, OrgUnitInput, UpsertCounts
from tests.integration.org_factories import (
    HR,
    JAN1,
    add_employees,
    center,
    count,
    d,
    department,
    employee,
    employee_chain,
    fields,
    org_row_counts,
    seed_people,
    seed_tree,
    team,
    unit_chain,
    who,
)

# --- org units ------------------------------------------------------------------------


def test_org_units_are_created_with_parent_kind_and_etag_1(uow_factory: UnitOfWorkFactory) -> None:
    counts = service.upsert_org_units(
        uow_factory(), [center("CC"), department("OPS"), team("OPS-T1", "OPS")]
    )
    assert counts == UpsertCounts(created=3)
    got = service.get_org_unit(uow_factory(), "OPS-T1", JAN1)
    assert (got.version.kind, got.version.parent_id, got.etag) == (OrgUnitKind.TEAM, "OPS", "1")


def test_reupserting_the_same_units_is_unchanged_and_adds_no_version(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_tree(uow_factory)
    before = org_row_counts(uow_factory)
    again = service.upsert_org_units(uow_factory(), [center("CC"), department("OPS")])
    assert again == UpsertCounts(unchanged=2)
    assert org_row_counts(uow_factory) == before
    assert service.get_org_unit(uow_factory(), "OPS", JAN1).etag == "1"


def test_unit_renamed_later_closes_the_previous_version(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    counts = service.upsert_org_units(
        uow_factory(), [department("OPS", since=d("2026-07-01"), name="运营管理科")]
    )
    assert counts == UpsertCounts(updated=1)
    assert unit_chain(uow_factory, "OPS") == [
        (JAN1, d("2026-07-01"), "unit OPS"),
        (d("2026-07-01"), None, "运营管理科"),
    ]
    assert service.get_org_unit(uow_factory(), "OPS", d("2026-06-30")).version.name == "unit OPS"
    assert service.get_org_unit(uow_factory(), "OPS", d("2026-07-01")).version.name == "运营管理科"


def test_unit_does_not_exist_before_its_first_version(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    with pytest.raises(NotFound):
        service.get_org_unit(uow_factory(), "OPS", d("2025-12-31"))


def test_list_org_units_by_parent(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    page = service.list_org_units(uow_factory(), "OPS", JAN1, PageRequest(10, None), [])
    assert [u.version.org_unit_id for u in page.items] == ["OPS-T1", "OPS-T2"]
    assert page.next_page_token == ""


@pytest.mark.parametrize(
    ("units", "field"),
    [
        ([center("A"), center("CC", parent="A")], "org_units[1].parent_id"),
        ([center("CC"), team("T", None)], "org_units[1].parent_id"),
        ([center("CC"), department("D", "NOPE")], "org_units[1].parent_id"),
        ([center("CC"), department("D", "D")], "org_units[1].parent_id"),
        ([center("CC"), department("D"), department("D")], "org_units[2]"),
    ],
    ids=["center-with-parent", "team-without-parent", "unknown-parent", "own-parent", "duplicate"],
)
def test_invalid_org_units_name_the_field_and_write_nothing(
    uow_factory: UnitOfWorkFactory, units: list[OrgUnitInput], field: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        service.upsert_org_units(uow_factory(), units)
    assert fields(caught.value.violations) == [field]
    assert org_row_counts(uow_factory) == (0, 0, 0, 0)


# --- employees: versions --------------------------------------------------------------


def test_employee_is_created_with_etag_1(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    assert add_employees(uow_factory, employee("E1")) == UpsertCounts(created=1)
    got = service.get_employee(uow_factory(), HR, "E1", JAN1)
    assert (got.version.org_unit_id, got.version.grade, got.etag) == ("OPS-T1", "G3", "1")


def test_reupserting_an_employee_is_unchanged_and_adds_no_version(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_people(uow_factory)
    before = org_row_counts(uow_factory)
    assert add_employees(uow_factory, employee("A1", "OPS-T1", "M")) == UpsertCounts(unchanged=1)
    assert org_row_counts(uow_factory) == before
    assert service.get_employee(uow_factory(), HR, "A1", JAN1).etag == "1"


def test_unchanged_data_sent_with_a_later_date_adds_no_version(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_people(uow_factory)
    before = org_row_counts(uow_factory)
    resent = employee("A1", "OPS-T1", "M", since=d("2026-09-01"))
    assert add_employees(uow_factory, resent) == UpsertCounts(unchanged=1)
    assert org_row_counts(uow_factory) == before
    assert employee_chain(uow_factory, "A1") == [(JAN1, None, "G3")]


def test_change_effective_later_adds_a_version_and_closes_the_previous(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_tree(uow_factory)
    add_employees(uow_factory, employee("E1"))
    assert add_employees(uow_factory, employee("E1", grade="G4", since=d("2026-07-01"))) == (
        UpsertCounts(updated=1)
    )
    assert employee_chain(uow_factory, "E1") == [
        (JAN1, d("2026-07-01"), "G3"),
        (d("2026-07-01"), None, "G4"),
    ]


@pytest.mark.parametrize(
    ("as_of", "grade"),
    [("2026-01-01", "G3"), ("2026-06-30", "G3"), ("2026-07-01", "G4"), ("2027-03-01", "G4")],
)
def test_reading_as_of_a_date_returns_the_version_in_force(
    uow_factory: UnitOfWorkFactory, as_of: str, grade: str
) -> None:
    seed_tree(uow_factory)
    add_employees(uow_factory, employee("E1"), employee("E1", grade="G4", since=d("2026-07-01")))
    assert service.get_employee(uow_factory(), HR, "E1", d(as_of)).version.grade == grade


def test_employee_read_before_first_version_is_not_found(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    add_employees(uow_factory, employee("E1"))
    with pytest.raises(NotFound):
        service.get_employee(uow_factory(), HR, "E1", d("2025-12-31"))


def test_back_dated_change_is_inserted_between_two_versions(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_tree(uow_factory)
    add_employees(uow_factory, employee("E1"), employee("E1", grade="G5", since=d("2026-07-01")))
    add_employees(uow_factory, employee("E1", grade="G4", since=d("2026-04-01")))
    assert employee_chain(uow_factory, "E1") == [
        (JAN1, d("2026-04-01"), "G3"),
        (d("2026-04-01"), d("2026-07-01"), "G4"),
        (d("2026-07-01"), None, "G5"),
    ]
    assert service.get_employee(uow_factory(), HR, "E1", d("2026-05-15")).version.grade == "G4"


def test_back_dated_change_before_the_first_version_ends_where_it_begins(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_tree(uow_factory)
    add_employees(uow_factory, employee("E1", since=d("2026-03-01")))
    add_employees(uow_factory, employee("E1", grade="G2", since=JAN1))
    assert employee_chain(uow_factory, "E1") == [
        (JAN1, d("2026-03-01"), "G2"),
        (d("2026-03-01"), None, "G3"),
    ]


def test_same_date_reupsert_updates_the_version_in_place(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    add_employees(uow_factory, employee("E1"))
    assert add_employees(uow_factory, employee("E1", grade="G9")) == UpsertCounts(updated=1)
    assert employee_chain(uow_factory, "E1") == [(JAN1, None, "G9")]


def test_etag_increments_on_each_change_only(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)

    def etag() -> str:
        return service.get_employee(uow_factory(), HR, "E1", d("2026-12-31")).etag

    add_employees(uow_factory, employee("E1"))
    assert etag() == "1"
    add_employees(uow_factory, employee("E1", grade="G4", since=d("2026-05-01"), etag="1"))
    assert etag() == "2"
    add_employees(uow_factory, employee("E1", grade="G4", since=d("2026-05-01"), etag="2"))
    assert etag() == "2"
    add_employees(uow_factory, employee("E1", grade="G5", since=d("2026-05-01"), etag="2"))
    assert etag() == "3"


def test_stale_etag_is_a_conflict_and_the_whole_batch_is_rolled_back(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_tree(uow_factory)
    add_employees(uow_factory, employee("E1"))
    add_employees(uow_factory, employee("E1", grade="G4", since=d("2026-05-01")))
    before = org_row_counts(uow_factory)
    with pytest.raises(Conflict):
        add_employees(
            uow_factory,
            employee("NEW"),
            employee("E1", grade="G5", since=d("2026-06-01"), etag="1"),
        )
    assert org_row_counts(uow_factory) == before
    assert employee_chain(uow_factory, "E1")[-1] == (d("2026-05-01"), None, "G4")


def test_stale_org_unit_etag_is_a_conflict(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    service.upsert_org_units(uow_factory(), [department("OPS", name="renamed", etag="1")])
    with pytest.raises(Conflict):
        service.upsert_org_units(uow_factory(), [department("OPS", name="again", etag="1")])
    assert service.get_org_unit(uow_factory(), "OPS", JAN1).version.name == "renamed"


# --- employees: validation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (employee("X", "NO-SUCH-UNIT"), "employees[2].org_unit_id"),
        (employee("X", supervisor="NOBODY"), "employees[2].supervisor_id"),
        (employee("X", supervisor="X"), "employees[2].supervisor_id"),
        (employee("E1"), "employees[2]"),
    ],
    ids=["unknown-org-unit", "unknown-supervisor", "self-supervision", "duplicate"],
)
def test_invalid_employee_names_the_field_and_writes_nothing(
    uow_factory: UnitOfWorkFactory, bad: EmployeeInput, field: str
) -> None:
    seed_tree(uow_factory)
    before = org_row_counts(uow_factory)
    with pytest.raises(InvalidArgument) as caught:
        add_employees(uow_factory, employee("E1"), employee("E2", supervisor="E1"), bad)
    assert fields(caught.value.violations) == [field]
    assert org_row_counts(uow_factory) == before


def test_every_bad_row_is_reported_at_once(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    with pytest.raises(InvalidArgument) as caught:
        add_employees(
            uow_factory, employee("E0", "NOPE"), employee("E1"), employee("E2", supervisor="E2")
        )
    assert fields(caught.value.violations) == [
        "employees[0].org_unit_id",
        "employees[2].supervisor_id",
    ]


# --- employees: bulk ------------------------------------------------------------------


def test_5000_employees_in_one_call_are_all_stored(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    batch = [employee(f"E{i:05d}") for i in range(5000)]
    assert service.upsert_employees(uow_factory(), batch) == UpsertCounts(created=5000)
    assert (count(uow_factory, Employee), count(uow_factory, EmployeeVersion)) == (5000, 5000)
    assert service.get_employee(uow_factory(), HR, "E04999", JAN1).version.org_unit_id == "OPS-T1"


def test_5000_batch_with_one_bad_last_row_writes_none(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    batch = [employee(f"E{i:05d}") for i in range(4999)] + [employee("BAD", "NOPE")]
    with pytest.raises(InvalidArgument) as caught:
        service.upsert_employees(uow_factory(), batch)
    assert fields(caught.value.violations) == ["employees[4999].org_unit_id"]
    assert count(uow_factory, Employee) == 0


def test_supervisor_defined_later_in_the_same_batch_works(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    reports = [employee("R1", supervisor="BOSS"), employee("R2", supervisor="BOSS")]
    counts = add_employees(uow_factory, *reports, employee("BOSS", "OPS"))
    assert counts == UpsertCounts(created=3)
    boss = who("BOSS", Role.SUPERVISOR)
    got = service.get_employee(uow_factory(), boss, "R2", JAN1)
    assert got.version.supervisor_id == "BOSS"
