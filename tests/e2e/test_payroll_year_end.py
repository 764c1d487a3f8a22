"""The year-end bonus end to end: annual grades from the appraisal service, paid in PAY-2026."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlalchemy import Engine

from ccperf.appraisal.v1 import appraisal_pb2, appraisal_pb2_grpc
from ccperf.common.v1 import common_pb2
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from ccperf.payroll.v1 import payroll_pb2 as pb
from ccperf.payroll.v1 import payroll_pb2_grpc
from services.common.auth import Role
from services.common.db import UnitOfWork, make_session_factory
from services.common.grpc_client import authorized_channel
from tests.support.appraisal_records import filed
from tests.support.org_messages import date, employee, small_org

Stub = payroll_pb2_grpc.PayrollBridgeServiceStub
Client = Callable[..., Stub]


@pytest.fixture
def channel_as(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> Iterator[Callable[..., grpc.Channel]]:
    channels: list[grpc.Channel] = []

    def make(service: str, subject: str, *roles: Role) -> grpc.Channel:
        channel = authorized_channel(address(service), token_for(subject, *roles))
        channels.append(channel)
        return channel

    yield make
    for channel in channels:
        channel.close()


@pytest.fixture
def payroll_as(channel_as: Callable[..., grpc.Channel]) -> Client:
    return lambda subject, *roles: Stub(channel_as("payroll", subject, *roles))


@pytest.fixture
def year_2026(channel_as: Callable[..., grpc.Channel], engine: Engine) -> None:
    """Agents E1, E2 (客服代表 S3) and a QA clerk E3 (质检员 S3), each with 12 filed months."""
    org = org_pb2_grpc.OrgServiceStub(channel_as("appraisal", "hris", Role.HRIS))
    org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
    clerk = employee("E3", supervisor="BOSS")
    clerk.position = "质检员"
    people = [employee("BOSS"), employee("E1", supervisor="BOSS"),
              employee("E2", supervisor="BOSS"), clerk]  # fmt: skip
    org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=people))
    uows = lambda: UnitOfWork(make_session_factory(engine))  # noqa: E731
    for person, coefficient in (("E1", "0.8750"), ("E2", "0.8000"), ("E3", "0.6000")):
        for month in range(1, 13):
            filed(uows, person, f"2026-{month:02d}", coefficient)


def field_violations(error: grpc.RpcError) -> dict[str, str]:
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    assert status is not None
    found: dict[str, str] = {}
    for detail in status.details:
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            found.update({v.field: v.description for v in bad_request.field_violations})
    return found


def refused(call: Callable[[], object]) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def year(value: str = "2026") -> common_pb2.Period:
    return common_pb2.Period(value=value)


def base_pay(employee_id: str, amount: str) -> pb.BasePay:
    row = pb.BasePay(
        employee_id=employee_id, amount=common_pb2.Money(currency_code="CNY", amount=amount)
    )
    row.effective_from.CopyFrom(date("2026-01-01"))
    return row


PARAMETERS = pb.SetYearEndParametersRequest(
    year=2026,
    completion_rate="0.95",
    grade_coefficients=[pb.GradeBonusCoefficient(grade="S3", coefficient="1.5")],
    position_coefficients=[pb.PositionBonusCoefficient(position="质检员", coefficient="2")],
    currency_code="CNY",
)


@pytest.mark.usefixtures("year_2026")
def test_a_year_is_paid_acknowledged_and_explained(
    payroll_as: Client, channel_as: Callable[..., grpc.Channel]
) -> None:
    hr = payroll_as("H1", Role.HR)
    payroll = payroll_as("payroll-system", Role.PAYROLL)

    # Without the year's parameters, or before the annual grades, nothing is computed.
    error = refused(lambda: hr.ComputePeriod(pb.ComputePeriodRequest(period=year())))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "SetYearEndParameters" in (error.details() or "")
    bad = pb.SetYearEndParametersRequest()
    bad.CopyFrom(PARAMETERS)
    bad.completion_rate = "-0.1"
    bad.grade_coefficients.append(pb.GradeBonusCoefficient(grade="S3", coefficient="2"))
    bad.currency_code = "RMB"
    error = refused(lambda: hr.SetYearEndParameters(bad))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(error)) == {
        "completion_rate", "grade_coefficients[1].grade", "currency_code"
    }  # fmt: skip
    saved = hr.SetYearEndParameters(PARAMETERS)
    assert (saved.created, saved.parameters.completion_rate, saved.parameters.updated_by) == (
        True, "0.95", "H1"
    )  # fmt: skip
    counts = hr.SetBasePay(
        pb.SetBasePayRequest(
            assignments=[base_pay("E1", "6000.00"), base_pay("E2", "5000.00"),
                         base_pay("E3", "4000.00")]
        )
    )  # fmt: skip
    assert counts.created == 3
    error = refused(lambda: hr.ComputePeriod(pb.ComputePeriodRequest(period=year())))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "annual" in (error.details() or "")

    appraisal = appraisal_pb2_grpc.AppraisalServiceStub(channel_as("appraisal", "H1", Role.HR))
    appraisal.ComputeAnnualGrades(
        appraisal_pb2.ComputeAnnualGradesRequest(
            year=2026, level=appraisal_pb2.POPULATION_LEVEL_CENTER
        )
    )
    # What the bridge reads: payroll may list the annual results, an employee may not.
    reader = appraisal_pb2_grpc.AppraisalServiceStub(
        channel_as("appraisal", "payroll-system", Role.PAYROLL)
    )
    listed = reader.ListAnnualResults(appraisal_pb2.ListAnnualResultsRequest(year=2026))
    assert [(g.employee_id, g.coefficient, appraisal_pb2.Grade.Name(g.grade)) for g in
            listed.grades] == [("E1", "0.8750", "GRADE_B"), ("E2", "0.8000", "GRADE_C"),
                               ("E3", "0.6000", "GRADE_D")]  # fmt: skip
    employee_reader = appraisal_pb2_grpc.AppraisalServiceStub(
        channel_as("appraisal", "E1", Role.EMPLOYEE)
    )
    error = refused(
        lambda: employee_reader.ListAnnualResults(appraisal_pb2.ListAnnualResultsRequest(year=2026))
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED

    computed = hr.ComputePeriod(pb.ComputePeriodRequest(period=year()))
    # E1: 0.95 × 0.8750 × 1.5 × 6000.00 = 7481.25; E2: 0.95 × 0.8000 × 1.5 × 5000.00 = 5700.00;
    # E3 (质检员: the position's 2, not S3's 1.5): 0.95 × 0.6000 × 2 × 4000.00 = 4560.00.
    assert (computed.lines, computed.unpaid, list(computed.skipped)) == (3, 0, [])
    assert [(t.currency_code, t.amount) for t in computed.totals] == [("CNY", "17741.25")]

    batch = hr.CreateBatch(pb.CreateBatchRequest(period=year())).batch
    assert (batch.id, batch.period.value, batch.line_count) == ("PAY-2026", "2026", 3)
    error = refused(lambda: hr.ComputePeriod(pb.ComputePeriodRequest(period=year())))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION
    error = refused(lambda: hr.SetYearEndParameters(PARAMETERS))
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION

    parts = payroll.StreamBatchLines(pb.StreamBatchLinesRequest(batch_id=batch.id))
    streamed = [line for part in parts for line in part.lines]
    assert [(x.employee_id, x.kind, x.reference, x.amount.amount) for x in streamed] == [
        ("E1", pb.LINE_KIND_YEAR_END_BONUS, "2026/E1", "7481.25"),
        ("E2", pb.LINE_KIND_YEAR_END_BONUS, "2026/E2", "5700.00"),
        ("E3", pb.LINE_KIND_YEAR_END_BONUS, "2026/E3", "4560.00"),
    ]
    page = payroll.ListBatchLines(pb.ListBatchLinesRequest(batch_id=batch.id, page_size=2))
    rest = payroll.ListBatchLines(
        pb.ListBatchLinesRequest(batch_id=batch.id, page_size=2, page_token=page.next_page_token)
    )
    assert [x.id for x in (*page.lines, *rest.lines)] == [x.id for x in streamed]

    ack = pb.AcknowledgeBatchRequest(batch_id=batch.id, content_hash=batch.content_hash)
    assert payroll.AcknowledgeBatch(ack).batch.state == pb.BATCH_STATE_ACKNOWLEDGED

    explained = payroll_as("E1", Role.EMPLOYEE).ExplainLine(
        pb.ExplainLineRequest(line_id=streamed[0].id)
    )
    assert {k: explained.values[k] for k in ("completion_rate", "annual_coefficient",
                                             "annual_grade", "annual_basis", "months_used",
                                             "bonus_coefficient", "base_pay", "amount")} == {
        "completion_rate": "0.95", "annual_coefficient": "0.8750", "annual_grade": "B",
        "annual_basis": "monthly_mean", "months_used": "12", "bonus_coefficient": "1.5",
        "base_pay": "6000.00", "amount": "7481.25",
    }  # fmt: skip
    assert "year-end bonus = company completion rate" in explained.formula
    assert explained.explanation.endswith("→ 7481.25 CNY")
    clerk = payroll.ExplainLine(pb.ExplainLineRequest(line_id=streamed[2].id))
    assert (clerk.values["bonus_coefficient_source"], clerk.values["position"]) == (
        "position", "质检员"
    )  # fmt: skip
    error = refused(
        lambda: payroll_as("E2", Role.EMPLOYEE).ExplainLine(
            pb.ExplainLineRequest(line_id=streamed[0].id)
        )
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.usefixtures("services")
def test_incentive_schedules_and_amounts_over_grpc(
    payroll_as: Client, channel_as: Callable[..., grpc.Channel]
) -> None:
    org = org_pb2_grpc.OrgServiceStub(channel_as("appraisal", "hris", Role.HRIS))
    org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
    org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=[employee("B1")]))
    hr = payroll_as("H1", Role.HR)
    seed_003 = pb.SetIncentiveScheduleRequest(
        code="BID",
        brackets=[pb.Bracket(lower=lower, rate=rate) for lower, rate in (
            ("0", "0.5"), ("45000000", "0.55"), ("65000000", "0.6"), ("85000000", "0.7"),
            ("100000000", "0.8"))],
        threshold="45000000", mode=pb.BRACKET_MODE_FLAT, currency_code="CNY",
    )  # fmt: skip
    error = refused(lambda: hr.SetIncentiveSchedule(seed_003))
    assert field_violations(error) == {"unit": "is required"}  # a wrong unit is a 10× error
    seed_003.unit = pb.RATE_UNIT_PER_MILLE
    saved = hr.SetIncentiveSchedule(seed_003)
    assert (saved.created, saved.schedule.mode, len(saved.schedule.brackets)) == (
        True, pb.BRACKET_MODE_FLAT, 5
    )  # fmt: skip

    hris = payroll_as("hris", Role.HRIS)
    won = pb.IncentiveAmount(
        employee_id="B1",
        amount=common_pb2.Money(currency_code="CNY", amount="90000000.00"),
        reference="won 2026-10",
    )
    request = pb.RecordIncentiveAmountsRequest(
        period=common_pb2.Period(value="2026-10"), schedule_code="BID", amounts=[won]
    )
    assert hris.RecordIncentiveAmounts(request).created == 1
    assert hris.RecordIncentiveAmounts(request).unchanged == 1  # a replay changes nothing
    error = refused(lambda: payroll_as("E1", Role.EMPLOYEE).RecordIncentiveAmounts(request))
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED

    computed = hr.ComputePeriod(pb.ComputePeriodRequest(period=request.period))
    assert (computed.lines, computed.incentives) == (1, 1)
    assert [(t.currency_code, t.amount) for t in computed.totals] == [("CNY", "63000.00")]
