"""Builders for the org application tests: inputs, principals, a small org, row counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from services.common.auth import Principal, Role
from services.common.db import UnitOfWorkFactory
from services.org import service
from services.org.domain.model import EmploymentStatus, LeaveKind, OrgUnitKind, PositionType
from services.org.models import Employee, EmployeeVersion, OrgUnit, OrgUnitVersion
from services.org.service import EmployeeInput, LeaveInput, OrgUnitInput

JAN1 = dt.date(2026, 1, 1)
HIRED = dt.date(2025, 1, 1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- inputs ---------------------------------------------------------------------------


def unit(
    unit_id: str,
    kind: OrgUnitKind,
    parent: str | None = None,
    *,
    since: dt.date = JAN1,
    name: str | None = None,
    etag: str | None = None,
) -> OrgUnitInput:
    return OrgUnitInput(unit_id, kind, name or f"unit {unit_id}", parent, since, etag)


def center(unit_id: str = "CC", **kw: Any) -> OrgUnitInput:
    return unit(unit_id, OrgUnitKind.CENTER, **kw)


def department(unit_id: str, parent: str = "CC", **kw: Any) -> OrgUnitInput:
    return unit(unit_id, OrgUnitKind.DEPARTMENT, parent, **kw)


def team(unit_id: str, parent: str | None, **kw: Any) -> OrgUnitInput:
    return unit(unit_id, OrgUnitKind.TEAM, parent, **kw)


def employee(
    emp_id: str,
    org_unit: str = "OPS-T1",
    supervisor: str | None = None,
    *,
    since: dt.date = JAN1,
    status: EmploymentStatus = EmploymentStatus.REGULAR,
    grade: str = "G3",
    hired: dt.date = HIRED,
    confirmed: dt.date | None = None,
    terminated: dt.date | None = None,
    etag: str | None = None,
) -> EmployeeInput:
    return EmployeeInput(
        id=emp_id,
        name=f"name {emp_id}",
        org_unit_id=org_unit,
        supervisor_id=supervisor,
        position="agent",
        position_type=PositionType.NON_MANAGEMENT,
        grade=grade,
        employment_status=status,
        hire_date=hired,
        confirmation_date=confirmed,
        termination_date=terminated,
        effective_from=since,
        etag=etag,
    )


def leave(
    leave_id: str,
    emp_id: str,
    start: dt.date,
    end: dt.date,
    *,
    kind: LeaveKind = LeaveKind.ANNUAL,
    cancelled: bool = False,
) -> LeaveInput:
    return LeaveInput(leave_id, emp_id, kind, start, end, cancelled)


def who(subject: str, *roles: Role) -> Principal:
    return Principal(subject=subject, roles=frozenset(roles or (Role.EMPLOYEE,)))


HR = who("hr-1", Role.HR)
HRIS = who("hris", Role.HRIS)


# --- a small org ----------------------------------------------------------------------


def seed_tree(uows: UnitOfWorkFactory) -> None:
    """CC → OPS → OPS-T1, OPS-T2; CC → SUP → SUP-T1."""
    service.upsert_org_units(
        uows(),
        [
            center("CC"),
            department("OPS"),
            department("SUP"),
            team("OPS-T1", "OPS"),
            team("OPS-T2", "OPS"),
            team("SUP-T1", "SUP"),
        ],
    )


def add_employees(uows: UnitOfWorkFactory, *people: EmployeeInput) -> service.UpsertCounts:
    return service.upsert_employees(uows(), list(people))


def seed_people(uows: UnitOfWorkFactory) -> None:
    """The tree plus M (OPS, supervises A1, A2, B1) and S (SUP, supervises C1)."""
    seed_tree(uows)
    add_employees(
        uows,
        employee("M", "OPS"),
        employee("S", "SUP"),
        employee("A1", "OPS-T1", "M"),
        employee("A2", "OPS-T1", "M"),
        employee("B1", "OPS-T2", "M"),
        employee("C1", "SUP-T1", "S"),
    )


# --- reading back ---------------------------------------------------------------------


def count(uows: UnitOfWorkFactory, model: type[Any]) -> int:
    with uows() as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def org_row_counts(uows: UnitOfWorkFactory) -> tuple[int, int, int, int]:
    return (
        count(uows, OrgUnit),
        count(uows, OrgUnitVersion),
        count(uows, Employee),
        count(uows, EmployeeVersion),
    )


def employee_chain(
    uows: UnitOfWorkFactory, emp_id: str
) -> list[tuple[dt.date, dt.date | None, str]]:
    """(valid_from, valid_to, grade) of every stored version, oldest first."""
    with uows() as uow:
        rows = uow.session.scalars(
            select(EmployeeVersion)
            .where(EmployeeVersion.employee_id == emp_id)
            .order_by(EmployeeVersion.valid_from)
        )
        return [(v.valid_from, v.valid_to, v.grade) for v in rows]


def unit_chain(uows: UnitOfWorkFactory, unit_id: str) -> list[tuple[dt.date, dt.date | None, str]]:
    """(valid_from, valid_to, name) of every stored version, oldest first."""
    with uows() as uow:
        rows = uow.session.scalars(
            select(OrgUnitVersion)
            .where(OrgUnitVersion.org_unit_id == unit_id)
            .order_by(OrgUnitVersion.valid_from)
        )
        return [(v.valid_from, v.valid_to, v.name) for v in rows]


def fields(violations: Sequence[Any]) -> list[str]:
    return [v.field for v in violations]
