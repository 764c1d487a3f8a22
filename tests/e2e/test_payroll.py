"""The payroll bridge end to end: real servers, results pulled from the appraisal service."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator

import grpc
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from ccperf.common.v1 import common_pb2
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from ccperf.payroll.v1 import payroll_pb2 as pb
from ccperf.payroll.v1 import payroll_pb2_grpc
from services.cli import main
from services.common.auth import Role
from services.common.db import UnitOfWork, make_session_factory
from services.common.grpc_client import authorized_channel
from tests.support.appraisal_records import filed, reissued
from tests.support.org_messages import date, employee, small_org

Stub = payroll_pb2_grpc.PayrollBridgeServiceStub
Client = Callable[..., Stub]


@pytest.fixture
def payroll_as(address: Callable[[str], str], token_for: Callable[..., str]) -> Iterator[Client]:
    channels: list[grpc.Channel] = []

    def make(subject: str, *roles: Role) -> Stub:
        channel = authorized_channel(address("payroll"), token_for(subject, *roles))
        channels.append(channel)
        return payroll_pb2_grpc.PayrollBridgeServiceStub(channel)

    yield make
    for channel in channels:
        channel.close()


@pytest.fixture
def september(address: Callable[[str], str], token_for: Callable[..., str], engine: Engine) -> None:
    """Agents E1, E2 (客服代表 S3) and a QA clerk E3 with filed September results."""
    with authorized_channel(address("appraisal"), token_for("hris", Role.HRIS)) as channel:
        org = org_pb2_grpc.OrgServiceStub(channel)
        org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
        clerk = employee("E3", supervisor="BOSS")
        clerk.position = "质检员"
        people = [employee("BOSS"), employee("E1", supervisor="BOSS"),
                  employee("E2", supervisor="BOSS"), clerk]  # fmt: skip
        org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=people))
    uows = lambda: UnitOfWork(make_session_factory(engine))  # noqa: E731
    filed(uows, "E1", "2026-09", "0.8000")
    filed(uows, "E2", "2026-09", "1.0500")  # bonus items: above the cap's 100 %
    filed(uows, "E3", "2026-09", "0.9000")


def cap(tier: int, amount: str, since: str = "2026-01-01") -> pb.CapRow:
    row = pb.CapRow(position="客服代表", grade="S3", tier=tier,
                    amount=common_pb2.Money(currency_code="CNY", amount=amount))  # fmt: skip
    row.valid_from.CopyFrom(date(since))
    return row


def month(value: str) -> common_pb2.Period:
    return common_pb2.Period(value=value)


def code_of(error: grpc.RpcError) -> grpc.StatusCode:
    return error.code()


def refused(call: Callable[[], object]) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


@pytest.mark.usefixtures("september")
def test_a_month_is_paid_acknowledged_and_later_adjusted(
    payroll_as: Client,
    engine: Engine,
    address: Callable[[str], str],
    token_for: Callable[..., str],
) -> None:
    hr = payroll_as("H1", Role.HR)
    payroll = payroll_as("payroll-system", Role.PAYROLL)

    overlapping = cap(1, "2800.00", since="2026-06-01")
    error = refused(
        lambda: hr.SetCapTable(pb.SetCapTableRequest(rows=[cap(1, "3000.00"), overlapping]))
    )
    assert code_of(error) == grpc.StatusCode.INVALID_ARGUMENT
    error = refused(lambda: hr.SetCapTable(pb.SetCapTableRequest(rows=[cap(1, "3000.005")])))
    assert code_of(error) == grpc.StatusCode.INVALID_ARGUMENT
    assert list(hr.ListCapTable(pb.ListCapTableRequest(as_of=date("2026-09-30"))).rows) == []
    counts = hr.SetCapTable(pb.SetCapTableRequest(rows=[cap(1, "3000.00"), cap(2, "3500.00")]))
    assert counts.created == 2
    tier = pb.TierAssignment(employee_id="E2", tier=2)
    tier.effective_from.CopyFrom(date("2026-01-01"))
    hr.SetBaseTiers(pb.SetBaseTiersRequest(assignments=[tier]))

    computed = hr.ComputePeriod(pb.ComputePeriodRequest(period=month("2026-09")))
    assert computed.lines == 2
    assert [(s.employee_id, "no performance cap" in s.reason) for s in computed.skipped] == [
        ("E3", True)
    ]
    # E1: tier 1 cap 3000.00 × 0.8000; E2: tier 2 cap 3500.00 × 1.05 held to the ceiling 1.
    assert [(t.currency_code, t.amount) for t in computed.totals] == [("CNY", "5900.00")]

    batch = hr.CreateBatch(pb.CreateBatchRequest(period=month("2026-09"))).batch
    assert (batch.line_count, batch.state) == (2, pb.BATCH_STATE_FROZEN)
    assert code_of(
        refused(lambda: hr.CreateBatch(pb.CreateBatchRequest(period=month("2026-09"))))
    ) == (grpc.StatusCode.ALREADY_EXISTS)
    assert code_of(
        refused(lambda: hr.ComputePeriod(pb.ComputePeriodRequest(period=month("2026-09"))))
    ) == (grpc.StatusCode.FAILED_PRECONDITION)

    streamed = stream(payroll, batch.id)
    assert [(x.employee_id, x.amount.amount) for x in streamed] == [
        ("E1", "2400.00"),
        ("E2", "3500.00"),
    ]
    first = payroll.ListBatchLines(pb.ListBatchLinesRequest(batch_id=batch.id, page_size=1))
    second = payroll.ListBatchLines(
        pb.ListBatchLinesRequest(batch_id=batch.id, page_size=1, page_token=first.next_page_token)
    )
    assert [x.id for x in (*first.lines, *second.lines)] == [x.id for x in streamed]
    assert second.next_page_token == ""

    wrong = pb.AcknowledgeBatchRequest(batch_id=batch.id, content_hash="0" * 64)
    assert (
        code_of(refused(lambda: payroll.AcknowledgeBatch(wrong)))
        == grpc.StatusCode.FAILED_PRECONDITION
    )
    ack = pb.AcknowledgeBatchRequest(batch_id=batch.id, content_hash=batch.content_hash)
    assert payroll.AcknowledgeBatch(ack).batch.state == pb.BATCH_STATE_ACKNOWLEDGED
    assert payroll.AcknowledgeBatch(ack).batch.acknowledged_by == "payroll-system"

    e1_line = streamed[0].id
    explained = payroll_as("E1", Role.EMPLOYEE).ExplainLine(pb.ExplainLineRequest(line_id=e1_line))
    assert (explained.values["cap"], explained.values["coefficient_used"]) == ("3000.00", "0.8000")
    assert "3000.00 CNY" in explained.explanation
    e2 = explained_for(payroll, streamed[1].id)
    assert (e2.values["bound_applied"], e2.values["tier"]) == ("ceiling", "2")
    error = refused(
        lambda: payroll_as("E2", Role.EMPLOYEE).ExplainLine(pb.ExplainLineRequest(line_id=e1_line))
    )
    assert code_of(error) == grpc.StatusCode.PERMISSION_DENIED

    # E1's September appeal is upheld after payroll took the batch: October pays the difference.
    uows = lambda: UnitOfWork(make_session_factory(engine))  # noqa: E731
    reissued(uows, "E1", "2026-09", "0.9000")
    filed(uows, "E1", "2026-10", "0.7000")
    october = hr.ComputePeriod(pb.ComputePeriodRequest(period=month("2026-10")))
    assert (october.lines, october.adjustments) == (2, 1)
    batch10 = hr.CreateBatch(pb.CreateBatchRequest(period=month("2026-10"))).batch
    lines = payroll.ListBatchLines(pb.ListBatchLinesRequest(batch_id=batch10.id)).lines
    assert sorted((x.kind, x.amount.amount, x.original_line_id) for x in lines) == [
        (pb.LINE_KIND_PERFORMANCE_PAY, "2100.00", ""),
        (pb.LINE_KIND_ADJUSTMENT, "300.00", e1_line),
    ]
    again = stream(payroll, batch.id)
    assert again == streamed  # what payroll took is never rewritten
    assert (
        payroll.GetBatch(pb.GetBatchRequest(batch_id=batch.id)).batch.content_hash
        == batch.content_hash
    )
    # Payroll systems that take files: the same batch as CSV, with its hash.
    exported = CliRunner().invoke(
        main,
        ["payroll", "export", "--period", "2026-09", "--format", "csv"],
        env={"CCPERF_PAYROLL_TARGET": address("payroll"),
             "CCPERF_TOKEN": token_for("payroll-system", Role.PAYROLL)},
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(line for line in exported.output.splitlines() if line[:1] != "#"))
    assert [(r["employee_id"], r["kind"], r["amount"]) for r in rows] == [
        ("E1", "performance_pay", "2400.00"), ("E2", "performance_pay", "3500.00")
    ]  # fmt: skip
    assert exported.output.rstrip().endswith(f"sha256 {batch.content_hash}")

    # Computing November finds nothing more to adjust.
    filed(uows, "E1", "2026-11", "0.7000")
    assert hr.ComputePeriod(pb.ComputePeriodRequest(period=month("2026-11"))).adjustments == 0


def explained_for(stub: Stub, line_id: str) -> pb.ExplainLineResponse:
    response: pb.ExplainLineResponse = stub.ExplainLine(pb.ExplainLineRequest(line_id=line_id))
    return response


def stream(stub: Stub, batch_id: str) -> list[pb.BatchLine]:
    parts = stub.StreamBatchLines(pb.StreamBatchLinesRequest(batch_id=batch_id))
    return [line for part in parts for line in part.lines]
