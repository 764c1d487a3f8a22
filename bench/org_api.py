"""Org API figures: bulk employee upsert and a unary read, against same-run baselines.

Prints, never asserts. Needs Postgres (BENCH_DATABASE_URL or the local server);
it creates and drops its own database.

- UpsertEmployees: 5,000 employees in one gRPC call (new, then replayed unchanged),
  against a plain SQLAlchemy Core executemany of the same rows into the same tables.
- GetNthWorkingDay: a unary RPC that reads the database, p50/p99 and calls/s with
  8 client threads, against the health Check on the same server as the ceiling.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import grpc
from _support import throwaway_database
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import insert

from ccperf.org.v1 import org_pb2, org_pb2_grpc
from services.app import start_services
from services.common.auth import Role, mint_token
from services.common.grpc_client import authorized_channel
from services.common.protoconv import write_date
from services.common.settings import Settings
from services.org.models import Employee, EmployeeVersion

EMPLOYEES = 5_000
UNARY_CALLS = 4_000
THREADS = 8


def employees() -> list[org_pb2.Employee]:
    start, hired = write_date(dt.date(2026, 1, 1)), write_date(dt.date(2024, 3, 1))
    people = []
    for i in range(EMPLOYEES):
        emp = org_pb2.Employee(
            id=f"E{i:06d}",
            name=f"座席{i}",
            org_unit_id=f"T{i % 50:02d}",
            supervisor_id="" if i < 50 else f"E{i % 50:06d}",
            position="客服代表",
            position_type=org_pb2.POSITION_TYPE_NON_MANAGEMENT,
            grade="S3",
            employment_status=org_pb2.EMPLOYMENT_STATUS_REGULAR,
        )
        emp.hire_date.CopyFrom(hired)
        emp.effective_from.CopyFrom(start)
        people.append(emp)
    return people


def units() -> list[org_pb2.OrgUnit]:
    start = write_date(dt.date(2026, 1, 1))
    kind = org_pb2.OrgUnitKind
    result = [org_pb2.OrgUnit(id="CC", kind=kind.ORG_UNIT_KIND_CENTER, name="center")]
    result.append(
        org_pb2.OrgUnit(id="D", kind=kind.ORG_UNIT_KIND_DEPARTMENT, name="d", parent_id="CC")
    )
    result += [
        org_pb2.OrgUnit(id=f"T{i:02d}", kind=kind.ORG_UNIT_KIND_TEAM, name="t", parent_id="D")
        for i in range(50)
    ]
    for unit in result:
        unit.effective_from.CopyFrom(start)
    return result


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def latencies(call: Callable[[], object]) -> tuple[float, float, float]:
    """(calls/s, p50 ms, p99 ms) for UNARY_CALLS calls over THREADS threads."""

    def one(_: int) -> float:
        started = time.perf_counter()
        call()
        return (time.perf_counter() - started) * 1000

    for _ in range(200):
        call()  # warm up
    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        samples = sorted(pool.map(one, range(UNARY_CALLS)))
    rate = UNARY_CALLS / (time.perf_counter() - started)
    return rate, statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def main() -> None:
    with throwaway_database() as url:
        run(url)


def run(url: str) -> None:
    settings = Settings.from_env({"DATABASE_URL": url, "CCPERF_ENV": "test"})
    process = start_services(["appraisal"], settings, ports={"appraisal": 0})
    target = process.servers[0].address
    token = mint_token(
        secret=settings.effective_jwt_secret or "", subject="hris", roles=[Role.HRIS]
    )
    people = employees()
    try:
        with authorized_channel(target, token) as channel:
            org = org_pb2_grpc.OrgServiceStub(channel)  # type: ignore[no-untyped-call]
            org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=units()))
            request = org_pb2.UpsertEmployeesRequest(employees=people)
            grpc_new = timed(lambda: org.UpsertEmployees(request, timeout=120))
            grpc_replay = timed(lambda: org.UpsertEmployees(request, timeout=120))

            # Baseline: the same rows straight into the same tables, in one transaction.
            rows = [
                {"employee_id": f"X{e.id}", "name": e.name, "org_unit_id": e.org_unit_id,
                 "supervisor_id": None, "position": e.position, "position_type": "non_management",
                 "grade": e.grade, "employment_status": "regular",
                 "hire_date": "2024-03-01", "valid_from": "2026-01-01"}
                for e in people
            ]  # fmt: skip
            engine = process.engine

            def plain_insert() -> None:
                with engine.begin() as conn:
                    conn.execute(
                        insert(Employee), [{"id": r["employee_id"], "revision": 1} for r in rows]
                    )
                    conn.execute(insert(EmployeeVersion), rows)

            baseline = timed(plain_insert)

            get_day = org_pb2.GetNthWorkingDayRequest(after=write_date(dt.date(2026, 9, 30)), n=3)
            rpc = latencies(lambda: org.GetNthWorkingDay(get_day, timeout=10))
        with grpc.insecure_channel(target) as plain:
            health = health_pb2_grpc.HealthStub(plain)
            ceiling = latencies(lambda: health.Check(health_pb2.HealthCheckRequest(), timeout=10))
    finally:
        process.stop(grace=0)

    print(f"UpsertEmployees, {EMPLOYEES} new employees in one call: {grpc_new:6.2f} s "
          f"({EMPLOYEES / grpc_new:,.0f} employees/s)")  # fmt: skip
    print(f"UpsertEmployees, same {EMPLOYEES} replayed (unchanged):  {grpc_replay:6.2f} s")
    print(f"baseline: Core executemany of the same rows:       {baseline:6.2f} s "
          f"-> gRPC upsert reaches {baseline / grpc_new:.2f} of the baseline rate")  # fmt: skip
    print(f"GetNthWorkingDay x{UNARY_CALLS}, {THREADS} threads: {rpc[0]:,.0f} calls/s, "
          f"p50 {rpc[1]:.2f} ms, p99 {rpc[2]:.2f} ms")  # fmt: skip
    print(f"health Check (ceiling), same load:     {ceiling[0]:,.0f} calls/s, "
          f"p50 {ceiling[1]:.2f} ms, p99 {ceiling[2]:.2f} ms "
          f"-> ratio {rpc[0] / ceiling[0]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
