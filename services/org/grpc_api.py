"""``ccperf.org.v1.OrgService``: maps protobuf to the org's application functions.

Every method has one shape: read the caller, map the request (collecting field
violations), call one function of ``services.org.service``, map the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import grpc

from ccperf.org.v1 import org_pb2, org_pb2_grpc
from services.common.auth import ANY_ROLE, Role, current_principal
from services.common.db import UnitOfWork
from services.common.errors import Violations
from services.common.grpc_server import ServiceRegistration
from services.common.pagination import date_key, parse_page
from services.common.protoconv import (
    page_filters,
    read_date,
    read_enum,
    read_key,
    read_period,
    read_text,
    read_year,
    write_date,
    write_enum,
)
from services.org import service
from services.org.domain.model import EmploymentStatus, LeaveKind, OrgUnitKind, PositionType
from services.org.models import EmployeeVersion, Leave, OrgUnitVersion

SERVICE_NAME = org_pb2.DESCRIPTOR.services_by_name["OrgService"].full_name
HR_WRITERS = frozenset({Role.HRIS, Role.HR})

ACCESS: dict[str, frozenset[Role]] = {
    "UpsertOrgUnits": HR_WRITERS,
    "GetOrgUnit": ANY_ROLE,
    "ListOrgUnits": ANY_ROLE,
    "UpsertEmployees": HR_WRITERS,
    # Employees read themselves and supervisors their reports: checked per record.
    "GetEmployee": ANY_ROLE,
    "ListEmployees": service.ORG_READERS | {Role.SUPERVISOR},
    "ListEmployeeHistory": frozenset({Role.HR, Role.HRIS, Role.PERF_ADMIN}),
    "UpsertLeaves": HR_WRITERS,
    "ListLeaves": service.ORG_READERS | {Role.SUPERVISOR, Role.EMPLOYEE},
    "SetCalendarYear": HR_WRITERS,
    "GetCalendarYear": ANY_ROLE,
    "GetNthWorkingDay": ANY_ROLE,
    "CheckEligibility": frozenset({Role.HR, Role.HRIS, Role.PERF_ADMIN, Role.DUTY_OFFICER}),
}


def _as_of(msg: Any, violations: Violations) -> dt.date:
    return read_date(msg, "as_of", violations, required=False) or service.today()


def _check_effective_to(msg: org_pb2.OrgUnit | org_pb2.Employee, path: str, v: Violations) -> None:
    """``effective_to`` is the server's (the next version's ``effective_from`` closes a
    version), so an upsert ignores it; a client echoing a record it read sends it back,
    so it is read like any date and an impossible one refused."""
    read_date(msg.effective_to, f"{path}.effective_to", v, required=False)


def _unit_to_proto(dated: service.Dated[OrgUnitVersion]) -> org_pb2.OrgUnit:
    v = dated.version
    return org_pb2.OrgUnit(
        id=v.org_unit_id,
        kind=write_enum(v.kind, org_pb2.OrgUnitKind),
        name=v.name,
        parent_id=v.parent_id or "",
        effective_from=write_date(v.valid_from),
        effective_to=write_date(v.valid_to),
        etag=dated.etag,
    )


def _employee_to_proto(dated: service.Dated[EmployeeVersion]) -> org_pb2.Employee:
    v = dated.version
    return org_pb2.Employee(
        id=v.employee_id,
        name=v.name,
        org_unit_id=v.org_unit_id,
        supervisor_id=v.supervisor_id or "",
        position=v.position,
        position_type=write_enum(v.position_type, org_pb2.PositionType),
        grade=v.grade,
        employment_status=write_enum(v.employment_status, org_pb2.EmploymentStatus),
        hire_date=write_date(v.hire_date),
        confirmation_date=write_date(v.confirmation_date),
        termination_date=write_date(v.termination_date),
        effective_from=write_date(v.valid_from),
        effective_to=write_date(v.valid_to),
        etag=dated.etag,
    )


def _leave_to_proto(leave: Leave) -> org_pb2.Leave:
    return org_pb2.Leave(
        id=leave.id,
        employee_id=leave.employee_id,
        kind=write_enum(leave.kind, org_pb2.LeaveKind),
        start_date=write_date(leave.start_date),
        end_date=write_date(leave.end_date),
        cancelled=leave.cancelled,
    )


def _read_unit(msg: org_pb2.OrgUnit, path: str, v: Violations) -> service.OrgUnitInput | None:
    unit_id = read_key(msg.id, f"{path}.id", v)
    kind = read_enum(msg.kind, org_pb2.OrgUnitKind, OrgUnitKind, f"{path}.kind", v)
    name = read_text(msg.name, f"{path}.name", v)
    parent = read_key(msg.parent_id, f"{path}.parent_id", v, required=False)
    start = read_date(msg.effective_from, f"{path}.effective_from", v, required=True)
    _check_effective_to(msg, path, v)
    if kind is None or start is None:
        return None
    return service.OrgUnitInput(unit_id, kind, name, parent or None, start, msg.etag or None)


def _read_employee(msg: org_pb2.Employee, path: str, v: Violations) -> service.EmployeeInput | None:
    position_type = read_enum(
        msg.position_type, org_pb2.PositionType, PositionType, f"{path}.position_type", v
    )
    status = read_enum(
        msg.employment_status,
        org_pb2.EmploymentStatus,
        EmploymentStatus,
        f"{path}.employment_status",
        v,
    )
    hire = read_date(msg.hire_date, f"{path}.hire_date", v, required=True)
    confirmed = read_date(msg.confirmation_date, f"{path}.confirmation_date", v, required=False)
    left = read_date(msg.termination_date, f"{path}.termination_date", v, required=False)
    start = read_date(msg.effective_from, f"{path}.effective_from", v, required=True)
    _check_effective_to(msg, path, v)
    if hire and confirmed and confirmed < hire:
        v.add(f"{path}.confirmation_date", "is before hire_date")
    if hire and left and left < hire:
        v.add(f"{path}.termination_date", "is before hire_date")
    employee_id = read_key(msg.id, f"{path}.id", v)
    name = read_text(msg.name, f"{path}.name", v)
    org_unit_id = read_key(msg.org_unit_id, f"{path}.org_unit_id", v)
    supervisor_id = read_key(msg.supervisor_id, f"{path}.supervisor_id", v, required=False)
    position = read_text(msg.position, f"{path}.position", v)
    grade = read_text(msg.grade, f"{path}.grade", v, max_length=32)
    if position_type is None or status is None or hire is None or start is None:
        return None  # the violation is recorded
    return service.EmployeeInput(
        id=employee_id,
        name=name,
        org_unit_id=org_unit_id,
        supervisor_id=supervisor_id or None,
        position=position,
        position_type=position_type,
        grade=grade,
        employment_status=status,
        hire_date=hire,
        confirmation_date=confirmed,
        termination_date=left,
        effective_from=start,
        etag=msg.etag or None,
    )


def _read_leave(msg: org_pb2.Leave, path: str, v: Violations) -> service.LeaveInput | None:
    leave_id = read_key(msg.id, f"{path}.id", v)
    employee_id = read_key(msg.employee_id, f"{path}.employee_id", v)
    kind = read_enum(msg.kind, org_pb2.LeaveKind, LeaveKind, f"{path}.kind", v)
    start = read_date(msg.start_date, f"{path}.start_date", v, required=True)
    end = read_date(msg.end_date, f"{path}.end_date", v, required=True)
    if kind is None or start is None or end is None:
        return None
    return service.LeaveInput(leave_id, employee_id, kind, start, end, msg.cancelled)


def _read_id(value: str, field: str) -> str:
    v = Violations()
    read_key(value, field, v)
    v.raise_if_any()
    return value


class OrgServicer(org_pb2_grpc.OrgServiceServicer):
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    def UpsertOrgUnits(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        units = [_read_unit(u, f"org_units[{i}]", v) for i, u in enumerate(request.org_units)]
        v.raise_if_any()
        counts = service.upsert_org_units(self._uow(), [u for u in units if u])
        return org_pb2.UpsertOrgUnitsResponse(**vars(counts))

    def GetOrgUnit(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        as_of = _as_of(request.as_of, v)
        read_key(request.id, "id", v)
        v.raise_if_any()
        dated = service.get_org_unit(self._uow(), request.id, as_of)
        return org_pb2.GetOrgUnitResponse(org_unit=_unit_to_proto(dated))

    def ListOrgUnits(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        as_of = _as_of(request.as_of, v)
        read_key(request.parent_id, "parent_id", v, required=False)
        v.raise_if_any()
        filters = page_filters(request)
        page = parse_page(request.page_size, request.page_token, filters)
        result = service.list_org_units(self._uow(), request.parent_id, as_of, page, filters)
        return org_pb2.ListOrgUnitsResponse(
            org_units=[_unit_to_proto(d) for d in result.items],
            next_page_token=result.next_page_token,
        )

    def UpsertEmployees(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        people = [_read_employee(e, f"employees[{i}]", v) for i, e in enumerate(request.employees)]
        v.raise_if_any()
        counts = service.upsert_employees(self._uow(), [p for p in people if p])
        return org_pb2.UpsertEmployeesResponse(**vars(counts))

    def GetEmployee(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        as_of = _as_of(request.as_of, v)
        read_key(request.id, "id", v)
        v.raise_if_any()
        dated = service.get_employee(self._uow(), current_principal(), request.id, as_of)
        return org_pb2.GetEmployeeResponse(employee=_employee_to_proto(dated))

    def ListEmployees(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        as_of = _as_of(request.as_of, v)
        read_key(request.org_unit_id, "org_unit_id", v, required=False)
        read_key(request.supervisor_id, "supervisor_id", v, required=False)
        v.raise_if_any()
        filters = page_filters(request)
        page = parse_page(request.page_size, request.page_token, filters)
        result = service.list_employees(
            self._uow(),
            current_principal(),
            org_unit_id=request.org_unit_id or None,
            include_descendants=request.include_descendants,
            supervisor_id=request.supervisor_id or None,
            as_of=as_of,
            page=page,
            filters=filters,
        )
        return org_pb2.ListEmployeesResponse(
            employees=[_employee_to_proto(d) for d in result.items],
            next_page_token=result.next_page_token,
        )

    def ListEmployeeHistory(self, request: Any, context: grpc.ServicerContext) -> Any:
        employee_id = _read_id(request.employee_id, "employee_id")
        filters = page_filters(request)
        page = parse_page(request.page_size, request.page_token, filters, key=date_key)
        result = service.list_employee_history(
            self._uow(), current_principal(), employee_id, page, filters
        )
        return org_pb2.ListEmployeeHistoryResponse(
            versions=[_employee_to_proto(d) for d in result.items],
            next_page_token=result.next_page_token,
        )

    def UpsertLeaves(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        leaves = [_read_leave(x, f"leaves[{i}]", v) for i, x in enumerate(request.leaves)]
        v.raise_if_any()
        counts = service.upsert_leaves(self._uow(), current_principal(), [x for x in leaves if x])
        return org_pb2.UpsertLeavesResponse(**vars(counts))

    def ListLeaves(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.employee_id, "employee_id", v)
        start = read_date(request.start_date, "start_date", v, required=False)
        end = read_date(request.end_date, "end_date", v, required=False)
        if start and end and end < start:
            v.add("end_date", "is before start_date")
        v.raise_if_any()
        filters = page_filters(request)
        page = parse_page(request.page_size, request.page_token, filters)
        result = service.list_leaves(
            self._uow(),
            current_principal(),
            employee_id=request.employee_id,
            start=start,
            end=end,
            page=page,
            filters=filters,
        )
        return org_pb2.ListLeavesResponse(
            leaves=[_leave_to_proto(x) for x in result.items],
            next_page_token=result.next_page_token,
        )

    def SetCalendarYear(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        year = read_year(request.year, "year", v)
        days = []
        for i, exc in enumerate(request.exceptions):
            day = read_date(exc.date, f"exceptions[{i}].date", v, required=True)
            name = read_text(exc.name, f"exceptions[{i}].name", v, required=False, max_length=100)
            if day is not None:
                days.append(service.CalendarDay(day, exc.working, name))
        v.raise_if_any()
        result = service.set_calendar_year(self._uow(), current_principal(), year, days)
        return org_pb2.SetCalendarYearResponse(working_days=result.working_days)

    def GetCalendarYear(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        year = read_year(request.year, "year", v)
        v.raise_if_any()
        result = service.get_calendar_year(self._uow(), year)
        return org_pb2.GetCalendarYearResponse(
            year=result.year,
            working_days=result.working_days,
            exceptions=[
                org_pb2.CalendarException(date=write_date(d.day), working=d.working, name=d.name)
                for d in result.exceptions
            ],
        )

    def GetNthWorkingDay(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        after = read_date(request.after, "after", v, required=True)
        if not 1 <= request.n <= 366:
            v.add("n", "must be between 1 and 366")
        v.raise_if_any()
        assert after is not None
        day = service.nth_working_day_after(self._uow(), after, request.n)
        return org_pb2.GetNthWorkingDayResponse(date=write_date(day))

    def CheckEligibility(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.employee_id, "employee_id", v)
        period = read_period(request.period.value, "period.value", v)
        v.raise_if_any()
        assert period is not None
        decision = service.check_eligibility(self._uow(), request.employee_id, period)
        return org_pb2.CheckEligibilityResponse(
            eligible=decision.eligible,
            reasons=[write_enum(r, org_pb2.IneligibilityReason) for r in decision.reasons],
        )


def registration(uow_factory: Callable[[], UnitOfWork]) -> ServiceRegistration:
    servicer = OrgServicer(uow_factory)
    return ServiceRegistration(
        full_name=SERVICE_NAME,
        # generated *_grpc.py has no type stubs
        add_to_server=lambda server: org_pb2_grpc.add_OrgServiceServicer_to_server(  # type: ignore[no-untyped-call]
            servicer, server
        ),
        access=ACCESS,
    )
