"""``make demo``: the whole flow on a fresh machine, against the embedded SQLite database.

Starts the three services as separate ``ccperf serve`` processes on free ports,
waits for health, lists their services by reflection, loads a small demo org
through the Org API as HRIS would, asks the calendar and eligibility questions
the appraisal cycle depends on, then stops the servers with SIGTERM.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import grpc
from google.type import date_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

from ccperf.common.v1 import common_pb2
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from services.common.auth import Role, mint_token
from services.common.grpc_client import authorized_channel, wait_for_serving
from services.common.protoconv import write_date
from services.common.settings import SERVICES, Settings

DEMO_MONTH = "2026-10"


def _d(text: str) -> date_pb2.Date:
    return write_date(dt.date.fromisoformat(text))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_services(settings: Settings) -> Iterator[dict[str, str]]:
    """Start each service as its own ``ccperf serve`` process; SIGTERM them on exit."""
    ports = {name: free_port() for name in SERVICES}
    env = dict(os.environ, DATABASE_URL=settings.database_url, CCPERF_LOG_FORMAT="json")
    env.update({f"CCPERF_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    ccperf = [sys.executable, "-m", "services.cli"]
    procs = {
        name: subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
            [*ccperf, "serve", name],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for name in SERVICES
    }
    try:
        yield {name: f"127.0.0.1:{port}" for name, port in ports.items()}
    finally:
        for proc in procs.values():
            proc.send_signal(signal.SIGTERM)
        for name, proc in procs.items():
            code = proc.wait(timeout=30)
            print(f"  {name:<10} stopped on SIGTERM, exit code {code}")
            if code != 0 and proc.stderr:
                print(proc.stderr.read().decode(errors="replace")[-2000:])


def demo_org() -> tuple[list[org_pb2.OrgUnit], list[org_pb2.Employee], list[org_pb2.Leave]]:
    """A center with four departments, six teams and 40 people in every situation."""
    start = _d("2026-01-01")
    kind = org_pb2.OrgUnitKind
    units = [org_pb2.OrgUnit(id="CC", kind=kind.ORG_UNIT_KIND_CENTER, name="客户服务中心")]
    departments = {
        "OPS": "运营管理科",
        "SUP": "运营支持科",
        "GEN": "综合科",
        "FLD": "现场服务",
    }
    teams = {"OPS-T1": "OPS", "OPS-T2": "OPS", "OPS-T3": "OPS", "SUP-T1": "SUP",
             "GEN-T1": "GEN", "FLD-T1": "FLD"}  # fmt: skip
    for code, name in departments.items():
        units.append(
            org_pb2.OrgUnit(id=code, kind=kind.ORG_UNIT_KIND_DEPARTMENT, name=name, parent_id="CC")
        )
    for code, parent in teams.items():
        units.append(
            org_pb2.OrgUnit(
                id=code, kind=kind.ORG_UNIT_KIND_TEAM, name=f"{code} 班组", parent_id=parent
            )
        )
    for unit in units:
        unit.effective_from.CopyFrom(start)

    status = org_pb2.EmploymentStatus
    people: list[org_pb2.Employee] = []

    def person(
        emp_id: str, name: str, unit: str, boss: str, position: str, management: bool,
        employment: Any = status.EMPLOYMENT_STATUS_REGULAR, hired: str = "2024-03-01",
        confirmed: str | None = None,
    ) -> None:  # fmt: skip
        emp = org_pb2.Employee(
            id=emp_id, name=name, org_unit_id=unit, supervisor_id=boss, position=position,
            position_type=org_pb2.POSITION_TYPE_MANAGEMENT if management
            else org_pb2.POSITION_TYPE_NON_MANAGEMENT,
            grade="M2" if management else "S3", employment_status=employment,
        )  # fmt: skip
        emp.hire_date.CopyFrom(_d(hired))
        if confirmed:
            emp.confirmation_date.CopyFrom(_d(confirmed))
        emp.effective_from.CopyFrom(start if hired < "2026-01-01" else _d(hired))
        people.append(emp)

    person("E0001", "周主任", "CC", "", "中心主任", management=True)
    for i, code in enumerate(departments, start=2):
        person(f"E000{i}", f"{departments[code]}经理", code, "E0001", "科室经理", management=True)
    managers = {code: f"E000{i}" for i, code in enumerate(departments, start=2)}
    number = 10
    for team, dept in teams.items():
        lead = f"E{number:04d}"
        person(lead, f"{team}组长", team, managers[dept], "班组长", management=True)
        number += 1
        for _ in range(4):
            person(f"E{number:04d}", f"座席{number}", team, lead, "客服代表", management=False)
            number += 1
    # The cases the eligibility rules are about.
    person("E0100", "试用期员工", "OPS-T1", "E0010", "客服代表", False,
           status.EMPLOYMENT_STATUS_PROBATION, hired="2026-09-01")  # fmt: skip
    person("E0101", "临时工", "OPS-T2", "E0015", "客服代表", False,
           status.EMPLOYMENT_STATUS_TEMPORARY)  # fmt: skip
    person("E0102", "外部兼职", "OPS-T3", "E0020", "客服代表", False,
           status.EMPLOYMENT_STATUS_PART_TIME_EXTERNAL)  # fmt: skip
    person("E0103", "十日前转正", "OPS-T1", "E0010", "客服代表", False,
           hired="2026-07-01", confirmed="2026-10-09")  # fmt: skip
    person("E0104", "十日后转正", "OPS-T2", "E0015", "客服代表", False,
           hired="2026-07-01", confirmed="2026-10-12")  # fmt: skip
    person("E0105", "产假员工", "SUP-T1", "E0025", "客服代表", False)
    person("E0106", "长病假员工", "FLD-T1", "E0035", "客服代表", False)

    leave_kind = org_pb2.LeaveKind
    leaves = [
        org_pb2.Leave(id="L-1", employee_id="E0105", kind=leave_kind.LEAVE_KIND_MATERNITY),
        org_pb2.Leave(id="L-2", employee_id="E0106", kind=leave_kind.LEAVE_KIND_SICK),
        org_pb2.Leave(id="L-3", employee_id="E0011", kind=leave_kind.LEAVE_KIND_ANNUAL),
    ]
    for leave, (first, last) in zip(
        leaves,
        [("2026-08-01", "2026-12-31"), ("2026-10-08", "2026-10-31"), ("2026-10-12", "2026-10-16")],
        strict=True,
    ):
        leave.start_date.CopyFrom(_d(first))
        leave.end_date.CopyFrom(_d(last))
    return units, people, leaves


def demo_calendar() -> list[org_pb2.CalendarException]:
    """A demo 2026 calendar with a National Day week and its make-up days (调休)."""
    holidays = ["2026-01-01", "2026-01-02", *(f"2026-10-0{d}" for d in range(1, 8))]
    makeup = ["2026-09-27", "2026-10-10"]
    days = [org_pb2.CalendarException(date=_d(d), working=False, name="假日") for d in holidays]
    days += [org_pb2.CalendarException(date=_d(d), working=True, name="调休") for d in makeup]
    return [d for d in days if dt.date.fromisoformat(_iso(d.date)).weekday() < 5 or d.working]


def _iso(date_msg: object) -> str:
    return f"{date_msg.year:04d}-{date_msg.month:02d}-{date_msg.day:02d}"  # type: ignore[attr-defined]


def list_by_reflection(target: str) -> list[str]:
    with grpc.insecure_channel(target) as channel:
        return sorted(ProtoReflectionDescriptorDatabase(channel).get_services())


def run_demo(settings: Settings) -> int:
    from alembic import command  # noqa: PLC0415

    from services.cli import alembic_config  # noqa: PLC0415

    print(f"1. Migrating {settings.database_url}")
    command.upgrade(alembic_config(settings.database_url), "head")  # type: ignore[arg-type]

    print("2. Starting metrics, appraisal and payroll as three processes")
    with running_services(settings) as targets:
        for name, target in targets.items():
            wait_for_serving(target, timeout=30)
            print(f"  {name:<10} {target}  health SERVING; reflection lists:")
            for service_name in list_by_reflection(target):
                print(f"      {service_name}")

        secret = settings.effective_jwt_secret or ""
        hris = mint_token(secret=secret, subject="hris", roles=[Role.HRIS])
        with authorized_channel(targets["appraisal"], hris) as channel:
            org = org_pb2_grpc.OrgServiceStub(channel)  # type: ignore[no-untyped-call]
            units, people, leaves = demo_org()
            print("3. Loading the demo org through OrgService as HRIS")
            r = org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=units))
            print(f"  org units: {r.created} created, {r.updated} updated, {r.unchanged} unchanged")
            r = org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=people))
            print(f"  employees: {r.created} created, {r.updated} updated, {r.unchanged} unchanged")
            r = org.UpsertLeaves(org_pb2.UpsertLeavesRequest(leaves=leaves))
            print(f"  leave:     {r.created} created, {r.updated} updated, {r.unchanged} unchanged")
            cal = org.SetCalendarYear(
                org_pb2.SetCalendarYearRequest(year=2026, exceptions=demo_calendar())
            )
            print(f"  calendar 2026: {cal.working_days} working days")

            print("4. What the appraisal cycle asks the org")
            due = org.GetNthWorkingDay(org_pb2.GetNthWorkingDayRequest(after=_d("2026-10-31"), n=3))
            print(f"  {DEMO_MONTH} data due (3rd working day of next month): {_iso(due.date)}")
            appeal = org.GetNthWorkingDay(
                org_pb2.GetNthWorkingDayRequest(after=_d("2026-09-29"), n=5)
            )
            print(f"  a result issued 2026-09-29 can be appealed until {_iso(appeal.date)}")
            ops = org.ListEmployees(
                org_pb2.ListEmployeesRequest(
                    org_unit_id="OPS", include_descendants=True, page_size=500
                )
            )
            print(f"  运营管理科 (with its teams): {len(ops.employees)} people")
            reasons: Counter[str] = Counter()
            eligible = 0
            for emp in people:
                decision = org.CheckEligibility(
                    org_pb2.CheckEligibilityRequest(
                        employee_id=emp.id, period=common_pb2.Period(value=DEMO_MONTH)
                    )
                )
                eligible += decision.eligible
                for reason in decision.reasons:
                    name = org_pb2.IneligibilityReason.Name(reason)
                    reasons[name.removeprefix("INELIGIBILITY_REASON_").lower()] += 1
                    print(f"    {emp.id} {emp.name}: not appraised ({name})")
            print(f"  {DEMO_MONTH}: {eligible} of {len(people)} employees are appraised")
        print("5. Stopping the services")
    print("demo finished")
    return 0
