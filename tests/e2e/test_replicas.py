"""Replicas on one database: ingestion exactly once, one etag wins once, one freeze per month."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import grpc
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from ccperf.appraisal.v1 import appraisal_pb2, appraisal_pb2_grpc
from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from ccperf.payroll.v1 import payroll_pb2, payroll_pb2_grpc
from services.app import Process, start_services
from services.common.auth import Role
from services.common.db import UnitOfWork, make_session_factory
from services.common.grpc_client import authorized_channel
from services.common.periods import Period
from services.common.settings import Settings
from services.metrics.measures_query import Subject, measures_for
from services.metrics.refresh import refresh_dirty
from tests.support.appraisal_flow import non_management_targets
from tests.support.appraisal_records import filed
from tests.support.metrics_events import answered_call
from tests.support.org_messages import date, employee, small_org


@pytest.fixture
def replicas(settings: Settings, engine: Engine, clean_tables: None) -> Iterator[list[Process]]:
    processes = [start_services(["metrics"], settings, ports={"metrics": 0}) for _ in range(2)]
    yield processes
    for process in processes:
        process.stop(grace=0)


def test_the_same_events_sent_to_two_replicas_at_once_are_stored_once(
    replicas: list[Process], engine: Engine, token_for: object
) -> None:
    events = [answered_call(f"C{i}") for i in range(3000)]
    token = token_for("acd", Role.INGEST)  # type: ignore[operator]

    def send(process: Process) -> metrics_pb2.IngestEventsResponse:
        with authorized_channel(process.servers[0].address, token) as channel:
            stub = metrics_pb2_grpc.MetricsServiceStub(channel)
            batches = (
                metrics_pb2.IngestEventsRequest(source="acd", events=events[i : i + 500])
                for i in range(0, len(events), 500)
            )
            reply: metrics_pb2.IngestEventsResponse = stub.IngestEvents(batches, timeout=60)
            return reply

    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(send, replicas))
    assert sum(r.accepted for r in replies) == 3000
    assert sum(r.duplicate for r in replies) == 3000
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM call_events")).scalar_one() == 3000
    # Both replicas marked the same day dirty; rebuilding it counts every call once.
    factory = sessionmaker(bind=engine)
    refresh_dirty(factory, ZoneInfo("Asia/Shanghai"), workers=2)
    with factory() as session:
        center = measures_for(session, Subject("center", "*"), Period.parse("2026-10"))
    assert center["calls_answered"] == 3000


@pytest.fixture
def workflow_replicas(
    settings: Settings, engine: Engine, clean_tables: None
) -> Iterator[list[Process]]:
    """Two processes, each serving appraisal and payroll, on one database."""
    names = ["appraisal", "payroll"]
    processes = [start_services(names, settings, ports=dict.fromkeys(names, 0)) for _ in range(2)]
    yield processes
    for process in processes:
        process.stop(grace=0)


def _address(process: Process, name: str) -> str:
    return next(s.address for s in process.servers if s.name == name)


def _race(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at once; each outcome is the reply or the status code it failed with."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> object:
        start.wait()
        try:
            return call()
        except grpc.RpcError as exc:
            return exc.code()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_one_etag_wins_once_across_replicas(
    workflow_replicas: list[Process], token_for: Callable[..., str]
) -> None:
    one, two = (_address(p, "appraisal") for p in workflow_replicas)
    with authorized_channel(one, token_for("hris", Role.HRIS)) as channel:
        org = org_pb2_grpc.OrgServiceStub(channel)
        org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
        org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(
            employees=[employee("E0"), employee("E1", supervisor="E0")]))  # fmt: skip
    hr_token, boss = token_for("H1", Role.HR), token_for("E0", Role.SUPERVISOR)
    with authorized_channel(one, hr_token) as channel:
        hr = appraisal_pb2_grpc.AppraisalServiceStub(channel)
        hr.OpenCycle(appraisal_pb2.OpenCycleRequest(period=common_pb2.Period(value="2026-10")))
    weights, items = non_management_targets()
    with authorized_channel(one, boss) as a, authorized_channel(two, boss) as b:
        stubs = [appraisal_pb2_grpc.AppraisalServiceStub(c) for c in (a, b)]
        etag = stubs[0].GetAppraisal(appraisal_pb2.GetAppraisalRequest(appraisal_id="2026-10/E1"))
        request = appraisal_pb2.SetTargetsRequest(
            appraisal_id="2026-10/E1", etag=etag.appraisal.etag, section_weights=weights,
            items=items,
        )  # fmt: skip
        outcomes = _race([lambda s=s: s.SetTargets(request) for s in stubs])  # type: ignore[misc]
        after = stubs[1].ListAuditRecords(
            appraisal_pb2.ListAuditRecordsRequest(appraisal_id="2026-10/E1")
        )
    assert sorted(str(o) for o in outcomes if isinstance(o, grpc.StatusCode)) == [
        str(grpc.StatusCode.ABORTED)
    ]
    assert [r.transition for r in after.records] == ["set_targets"]


def test_one_replica_freezes_a_month(
    workflow_replicas: list[Process], engine: Engine, token_for: Callable[..., str]
) -> None:
    one = workflow_replicas[0]
    with authorized_channel(_address(one, "appraisal"), token_for("hris", Role.HRIS)) as channel:
        org = org_pb2_grpc.OrgServiceStub(channel)
        org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
        org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(
            employees=[employee("BOSS"), employee("E1", supervisor="BOSS")]))  # fmt: skip
    filed(lambda: UnitOfWork(make_session_factory(engine)), "E1", "2026-09", "0.8000")
    hr_token = token_for("H1", Role.HR)
    september = common_pb2.Period(value="2026-09")
    with authorized_channel(_address(one, "payroll"), hr_token) as channel:
        payroll = payroll_pb2_grpc.PayrollBridgeServiceStub(channel)
        cap = common_pb2.Money(currency_code="CNY", amount="3000.00")
        row = payroll_pb2.CapRow(position="客服代表", grade="S3", tier=1, amount=cap)
        row.valid_from.CopyFrom(date("2026-01-01"))
        payroll.SetCapTable(payroll_pb2.SetCapTableRequest(rows=[row]))
        payroll.ComputePeriod(payroll_pb2.ComputePeriodRequest(period=september))
    channels = [authorized_channel(_address(p, "payroll"), hr_token) for p in workflow_replicas]
    try:
        stubs = [payroll_pb2_grpc.PayrollBridgeServiceStub(c) for c in channels]
        freeze = payroll_pb2.CreateBatchRequest(period=september)
        outcomes = _race([lambda s=s: s.CreateBatch(freeze) for s in stubs])  # type: ignore[misc]
    finally:
        for channel in channels:
            channel.close()
    refused = [o for o in outcomes if isinstance(o, grpc.StatusCode)]
    assert refused in ([grpc.StatusCode.ALREADY_EXISTS], [grpc.StatusCode.FAILED_PRECONDITION])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pay_batches")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM pay_batch_lines")).scalar_one() == 1
