"""Over gRPC, the audited org and metrics writes record the caller's subject (issue #7).

The use cases are tested in ``tests/integration/test_org_audit.py`` and
``test_metrics_audit.py``; here, that the servers pass the token's subject on, and that
a refused call records nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import grpc
import pytest
from google.type import date_pb2
from sqlalchemy import Engine, text

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from tests.support.org_messages import employee, small_org


def records(engine: Engine, table: str) -> list[tuple[str, str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT who, action, entity, key FROM {table} ORDER BY id"))
        return [tuple(r) for r in rows]


def test_org_writes_record_the_caller(
    org_stub: Callable[..., org_pb2_grpc.OrgServiceStub], engine: Engine
) -> None:
    hris = org_stub("hris", Role.HRIS)
    hris.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
    hris.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=[employee("E1")]))
    leave = org_pb2.Leave(
        id="L1", employee_id="E1", kind=org_pb2.LEAVE_KIND_SICK,
        start_date=date_pb2.Date(year=2026, month=3, day=2),
        end_date=date_pb2.Date(year=2026, month=3, day=3),
    )  # fmt: skip
    hris.UpsertLeaves(org_pb2.UpsertLeavesRequest(leaves=[leave]))
    hris.UpsertLeaves(org_pb2.UpsertLeavesRequest(leaves=[leave]))  # a replay
    national_day = org_pb2.CalendarException(
        date=date_pb2.Date(year=2026, month=10, day=1), working=False, name="国庆节"
    )
    hr = org_stub("hr9", Role.HR)
    hr.SetCalendarYear(org_pb2.SetCalendarYearRequest(year=2026, exceptions=[national_day]))
    weekday = org_pb2.CalendarException(
        date=date_pb2.Date(year=2026, month=10, day=2), working=True, name="not a weekend"
    )
    with pytest.raises(grpc.RpcError) as refused:
        hr.SetCalendarYear(org_pb2.SetCalendarYearRequest(year=2026, exceptions=[weekday]))
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert records(engine, "org_audit") == [
        ("hris", "created", "leave", "L1"),
        ("hr9", "created", "calendar_day", "2026-10-01"),
    ]


def test_metrics_writes_record_the_caller(
    org_stub: Callable[..., org_pb2_grpc.OrgServiceStub],
    address: Callable[[str], str],
    token_for: Callable[..., str],
    engine: Engine,
) -> None:
    org_stub().UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
    with authorized_channel(address("metrics"), token_for("pm1", Role.PERF_ADMIN)) as channel:
        admin = metrics_pb2_grpc.MetricsServiceStub(channel)
        matrix = [metrics_pb2.DepartmentKpi(kpi="service_level", weight=100, target=80)]
        request = metrics_pb2.SetDepartmentKpisRequest(org_unit_id="OPS", kpis=matrix)
        admin.SetDepartmentKpis(request)
        admin.SetDepartmentKpis(request)  # a replay
        bad = [metrics_pb2.DepartmentKpi(kpi="service_level", weight=70, target=80)]
        with pytest.raises(grpc.RpcError) as refused:
            admin.SetDepartmentKpis(
                metrics_pb2.SetDepartmentKpisRequest(org_unit_id="OPS", kpis=bad)
            )
        assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        day = common_pb2.Period(value="2026-10-07")
        admin.RecomputePeriod(metrics_pb2.RecomputePeriodRequest(period=day))
    assert records(engine, "metrics_audit") == [
        ("pm1", "created", "department_kpis", "OPS"),
        ("pm1", "recompute", "period", "2026-10-07"),
    ]
