"""The appraisal workflow over gRPC, end to end: real servers, real clients, real Postgres."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import grpc
import pytest

from ccperf.appraisal.v1 import appraisal_pb2 as pb
from ccperf.appraisal.v1 import appraisal_pb2_grpc
from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from tests.support.appraisal_flow import (
    behaviour_scores,
    management_ratings,
    non_management_targets,
)
from tests.support.metrics_events import T0, answered_call
from tests.support.org_messages import employee, small_org

Stub = appraisal_pb2_grpc.AppraisalServiceStub
Client = Callable[..., Stub]
E1 = "2026-10/E1"
E0 = "2026-10/E0"


@pytest.fixture
def appraisal_as(address: Callable[[str], str], token_for: Callable[..., str]) -> Iterator[Client]:
    channels: list[grpc.Channel] = []

    def make(subject: str, *roles: Role) -> Stub:
        channel = authorized_channel(address("appraisal"), token_for(subject, *roles))
        channels.append(channel)
        return appraisal_pb2_grpc.AppraisalServiceStub(channel)

    yield make
    for channel in channels:
        channel.close()


@pytest.fixture
def october(address: Callable[[str], str], token_for: Callable[..., str]) -> None:
    """M0 manages E0, who supervises agents E1 and E2; E1 answered 2 calls in October."""
    with authorized_channel(address("appraisal"), token_for("hris", Role.HRIS)) as channel:
        org = org_pb2_grpc.OrgServiceStub(channel)
        org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
        manager = org_pb2.POSITION_TYPE_MANAGEMENT
        org.UpsertEmployees(
            org_pb2.UpsertEmployeesRequest(
                employees=[
                    employee("M0", position_type=manager),
                    employee("E0", supervisor="M0", position_type=manager),
                    employee("E1", supervisor="E0"),
                    employee("E2", supervisor="E0"),
                ]
            )
        )
    with authorized_channel(address("metrics"), token_for("acd", Role.INGEST)) as channel:
        metrics = metrics_pb2_grpc.MetricsServiceStub(channel)
        events = [
            answered_call("C1", agent="E1", wait=10, talk=100, at=T0),
            answered_call("C2", agent="E1", wait=30, talk=200, at=T0),
        ]
        reply = metrics.IngestEvents(
            iter([metrics_pb2.IngestEventsRequest(source="acd", events=events)])
        )
        assert reply.accepted == 2


def open_october(appraisal_as: Client) -> pb.OpenCycleResponse:
    hr = appraisal_as("H1", Role.HR)
    opened: pb.OpenCycleResponse = hr.OpenCycle(
        pb.OpenCycleRequest(period=common_pb2.Period(value="2026-10"))
    )
    return opened


def code_of(error: grpc.RpcError) -> grpc.StatusCode:
    return error.code()


def details(error: grpc.RpcError) -> str:
    return error.details() or ""


@pytest.mark.usefixtures("october")
def test_a_month_from_targets_to_an_upheld_appeal(appraisal_as: Client) -> None:
    opened = open_october(appraisal_as)
    assert opened.opened == 3
    assert [(s.employee_id, list(s.reasons)) for s in opened.skipped] == [
        ("M0", ["no supervisor to assess them"])
    ]
    assessor = appraisal_as("E0", Role.SUPERVISOR, Role.EMPLOYEE)
    agent = appraisal_as("E1", Role.EMPLOYEE)
    admin = appraisal_as("P1", Role.PERF_ADMIN)
    duty = appraisal_as("D1", Role.DUTY_OFFICER)
    hr = appraisal_as("H1", Role.HR)

    current = assessor.GetAppraisal(pb.GetAppraisalRequest(appraisal_id=E1)).appraisal
    assert current.state == pb.APPRAISAL_STATE_DRAFT
    weights, items = non_management_targets()
    current = assessor.SetTargets(
        pb.SetTargetsRequest(
            appraisal_id=E1, etag=current.etag, section_weights=weights, items=items
        )
    ).appraisal
    current = agent.ConfirmTargets(
        pb.ConfirmTargetsRequest(appraisal_id=E1, etag=current.etag)
    ).appraisal

    # Non-management KPI targets take effect only after perf_admin approves them.
    with pytest.raises(grpc.RpcError) as refused:
        assessor.StartAppraisal(pb.StartAppraisalRequest(appraisal_id=E1, etag=current.etag))
    assert code_of(refused.value) == grpc.StatusCode.FAILED_PRECONDITION
    assert "perf_admin" in details(refused.value)
    current = admin.ApproveTargets(
        pb.ApproveTargetsRequest(appraisal_id=E1, etag=current.etag)
    ).appraisal
    current = assessor.StartAppraisal(
        pb.StartAppraisalRequest(appraisal_id=E1, etag=current.etag)
    ).appraisal
    assert current.state == pb.APPRAISAL_STATE_IN_PROGRESS

    collected = duty.CollectKpiData(pb.CollectKpiDataRequest(cycle_id="2026-10"))
    assert collected.collected == 1
    assert collected.late  # today is after the 3rd working day of November
    assert list(collected.missing) == []
    current = agent.GetAppraisal(pb.GetAppraisalRequest(appraisal_id=E1)).appraisal
    assert current.state == pb.APPRAISAL_STATE_DATA_COLLECTED
    assert current.collected_late
    by_code = {i.code: i for i in current.items}
    assert by_code["calls_answered"].actual == "2.0"
    assert by_code["calls_answered"].score == "50.0"
    assert by_code["aht"].actual == "185.0"  # (talk + hold 5 + acw 30) per call

    current = agent.SubmitSelfAssessment(
        pb.SubmitSelfAssessmentRequest(
            appraisal_id=E1,
            etag=current.etag,
            scores=[pb.ItemScore(section="work_goals", code="knowledge_base", score="90"),
                    *behaviour_scores("25")],
        )
    ).appraisal  # fmt: skip

    # A colleague reports an incident; the employee asks for a bonus item.
    incident = (
        appraisal_as("E2", Role.EMPLOYEE)
        .FileIncident(
            pb.FileIncidentRequest(
                appraisal_id=E1,
                item_code="valid_complaint",
                description="complaint #7",
                request_key="k1",
            )
        )
        .adjustment
    )
    again = (
        appraisal_as("E2", Role.EMPLOYEE)
        .FileIncident(
            pb.FileIncidentRequest(
                appraisal_id=E1,
                item_code="valid_complaint",
                description="complaint #7",
                request_key="k1",
            )
        )
        .adjustment
    )
    assert again.id == incident.id  # a retry files nothing new
    bonus = agent.RequestBonus(
        pb.RequestBonusRequest(appraisal_id=E1, item_code="customer_praise", description="letter")
    ).adjustment
    with pytest.raises(grpc.RpcError) as own:
        agent.DecideAdjustment(pb.DecideAdjustmentRequest(adjustment_id=bonus.id, confirm=True))
    assert code_of(own.value) == grpc.StatusCode.PERMISSION_DENIED
    assessor.DecideAdjustment(pb.DecideAdjustmentRequest(adjustment_id=incident.id, confirm=True))
    assessor.DecideAdjustment(pb.DecideAdjustmentRequest(adjustment_id=bonus.id, confirm=True))

    current = assessor.GetAppraisal(pb.GetAppraisalRequest(appraisal_id=E1)).appraisal
    current = assessor.SubmitReview(
        pb.SubmitReviewRequest(
            appraisal_id=E1,
            etag=current.etag,
            scores=[pb.ItemScore(section="work_goals", code="knowledge_base", score="80"),
                    *behaviour_scores("20")],
        )
    ).appraisal  # fmt: skip
    current = assessor.IssueResult(
        pb.IssueResultRequest(appraisal_id=E1, etag=current.etag)
    ).appraisal
    # KPI 60 × 60.8333…% + work goals 20 × 80% + behaviour 20 × 80% − 5 + 2
    assert (current.result.total, current.result.coefficient) == ("65.50", "0.6550")
    assert current.result.grade == pb.GRADE_D

    current = agent.SignResult(pb.SignResultRequest(appraisal_id=E1, etag=current.etag)).appraisal
    current = assessor.SignResult(
        pb.SignResultRequest(appraisal_id=E1, etag=current.etag)
    ).appraisal
    current = hr.FileResult(pb.FileResultRequest(appraisal_id=E1, etag=current.etag)).appraisal
    assert current.state == pb.APPRAISAL_STATE_FILED

    current = agent.Appeal(
        pb.AppealRequest(appraisal_id=E1, etag=current.etag, reason="the KB articles were 10")
    ).appraisal
    current = admin.DecideAppeal(
        pb.DecideAppealRequest(
            appraisal_id=E1,
            etag=current.etag,
            uphold=True,
            reason="all 10 articles verified",
            corrections=[pb.ItemScore(section="work_goals", code="knowledge_base", score="100")],
        )
    ).appraisal
    current = admin.ReissueResult(
        pb.ReissueResultRequest(appraisal_id=E1, etag=current.etag)
    ).appraisal
    assert (current.result.issue, current.result.total) == (2, "69.50")
    current = agent.SignResult(pb.SignResultRequest(appraisal_id=E1, etag=current.etag)).appraisal
    current = assessor.SignResult(
        pb.SignResultRequest(appraisal_id=E1, etag=current.etag)
    ).appraisal
    current = hr.FileResult(pb.FileResultRequest(appraisal_id=E1, etag=current.etag)).appraisal
    current = hr.FinalizeAppraisal(
        pb.FinalizeAppraisalRequest(appraisal_id=E1, etag=current.etag)
    ).appraisal
    assert current.state == pb.APPRAISAL_STATE_FINAL

    filed = appraisal_as("payroll", Role.PAYROLL).ListFiledResults(
        pb.ListFiledResultsRequest(cycle_id="2026-10")
    )
    assert [(r.employee_id, r.issue, r.total, r.coefficient) for r in filed.results] == [
        ("E1", 2, "69.50", "0.6950")
    ]
    audit = agent.ListAuditRecords(pb.ListAuditRecordsRequest(appraisal_id=E1)).records
    steps = [r.transition for r in audit]
    assert steps[:5] == [
        "set_targets",
        "confirm_targets",
        "approve_targets",
        "start",
        "collect_data",
    ]
    assert steps[-4:] == ["sign", "sign", "file", "finalize"]
    upheld = next(r for r in audit if r.transition == "uphold_appeal")
    assert upheld.who == "P1" and upheld.reason == "all 10 articles verified"
    assert json.loads(upheld.detail)["corrections"]["work_goals/knowledge_base"] == {
        "field": "review_score", "old": "80", "new": "100"
    }  # fmt: skip
    assert next(r for r in audit if r.transition == "collect_data").late


@pytest.mark.usefixtures("october")
def test_360_weights_the_raters_and_each_rates_once(appraisal_as: Client) -> None:
    open_october(appraisal_as)
    boss = appraisal_as("M0", Role.SUPERVISOR, Role.EMPLOYEE)
    lead = appraisal_as("E0", Role.SUPERVISOR, Role.EMPLOYEE)
    current = boss.GetAppraisal(pb.GetAppraisalRequest(appraisal_id=E0)).appraisal
    weights = [
        pb.SectionWeight(section="kpi", weight="0"),
        pb.SectionWeight(section="work_goals", weight="80"),
    ]
    goal = pb.TargetItem(
        section="work_goals", code="team_sl", name="team service level", weight="100",
        points="100", scoring=pb.Scoring(rated=pb.Rated()),
    )  # fmt: skip
    current = boss.SetTargets(
        pb.SetTargetsRequest(
            appraisal_id=E0, etag=current.etag, section_weights=weights, items=[goal]
        )
    ).appraisal
    current = lead.ConfirmTargets(
        pb.ConfirmTargetsRequest(appraisal_id=E0, etag=current.etag)
    ).appraisal
    current = boss.StartAppraisal(
        pb.StartAppraisalRequest(appraisal_id=E0, etag=current.etag)
    ).appraisal
    assert sorted((r.rater_id, r.role) for r in current.raters) == [
        ("E0", pb.RATER_ROLE_SELF), ("E1", pb.RATER_ROLE_SUBORDINATES),
        ("E2", pb.RATER_ROLE_SUBORDINATES), ("M0", pb.RATER_ROLE_SUPERVISOR),
    ]  # fmt: skip
    rate = pb.SubmitRatingRequest(appraisal_id=E0, scores=management_ratings("20"))
    assert lead.SubmitRating(rate).role == pb.RATER_ROLE_SELF
    boss.SubmitRating(pb.SubmitRatingRequest(appraisal_id=E0, scores=management_ratings("15")))
    subordinate = appraisal_as("E1", Role.EMPLOYEE)
    subordinate.SubmitRating(
        pb.SubmitRatingRequest(appraisal_id=E0, scores=management_ratings("10"))
    )
    with pytest.raises(grpc.RpcError) as twice:
        subordinate.SubmitRating(
            pb.SubmitRatingRequest(appraisal_id=E0, scores=management_ratings("25"))
        )
    assert code_of(twice.value) == grpc.StatusCode.ALREADY_EXISTS
    with pytest.raises(grpc.RpcError) as stranger:
        appraisal_as("H1", Role.EMPLOYEE).SubmitRating(
            pb.SubmitRatingRequest(appraisal_id=E0, scores=management_ratings("25"))
        )
    assert code_of(stranger.value) == grpc.StatusCode.PERMISSION_DENIED
    current = boss.GetAppraisal(pb.GetAppraisalRequest(appraisal_id=E0)).appraisal
    planning = next(i for i in current.items if i.code == "planning")
    # 20 % self 20 + 20 % subordinates 10 (E2 did not rate: E1's is the group mean) + 60 % boss 15
    assert planning.score == "15"
    assert {r.rater_id: r.submitted for r in current.raters} == {
        "E0": True, "E1": True, "E2": False, "M0": True
    }  # fmt: skip


@pytest.mark.usefixtures("october")
def test_refusals_change_nothing(appraisal_as: Client) -> None:
    open_october(appraisal_as)
    assessor = appraisal_as("E0", Role.SUPERVISOR, Role.EMPLOYEE)
    current = assessor.GetAppraisal(pb.GetAppraisalRequest(appraisal_id=E1)).appraisal
    weights, items = non_management_targets()

    def refused(call: Callable[[], object]) -> grpc.RpcError:
        with pytest.raises(grpc.RpcError) as caught:
            call()
        return caught.value

    bad_split = [
        pb.SectionWeight(section="kpi", weight="60"),
        pb.SectionWeight(section="work_goals", weight="10"),
    ]

    def set_targets(caller: Stub, split: list[pb.SectionWeight], etag: str) -> object:
        return caller.SetTargets(
            pb.SetTargetsRequest(appraisal_id=E1, etag=etag, section_weights=split, items=items)
        )

    error = refused(lambda: set_targets(assessor, bad_split, current.etag))
    assert code_of(error) == grpc.StatusCode.INVALID_ARGUMENT
    assert "sections[kpi+work_goals].weight" in details(error)
    error = refused(lambda: set_targets(assessor, weights, "99"))
    assert code_of(error) == grpc.StatusCode.ABORTED
    error = refused(
        lambda: assessor.IssueResult(pb.IssueResultRequest(appraisal_id=E1, etag=current.etag))
    )
    assert code_of(error) == grpc.StatusCode.FAILED_PRECONDITION
    assert "draft" in details(error)
    error = refused(
        lambda: appraisal_as("E2", Role.EMPLOYEE).GetAppraisal(
            pb.GetAppraisalRequest(appraisal_id=E1)
        )
    )
    assert code_of(error) == grpc.StatusCode.PERMISSION_DENIED
    error = refused(lambda: set_targets(appraisal_as("E2", Role.SUPERVISOR), weights, current.etag))
    assert code_of(error) == grpc.StatusCode.PERMISSION_DENIED
    error = refused(
        lambda: appraisal_as("X", Role.INGEST).GetAppraisal(pb.GetAppraisalRequest(appraisal_id=E1))
    )
    assert code_of(error) == grpc.StatusCode.PERMISSION_DENIED
    error = refused(lambda: open_october(appraisal_as))
    assert code_of(error) == grpc.StatusCode.ALREADY_EXISTS

    after = assessor.GetAppraisal(pb.GetAppraisalRequest(appraisal_id=E1)).appraisal
    assert (after.state, after.etag, len(after.items)) == (
        current.state,
        current.etag,
        len(current.items),
    )
    audit = assessor.ListAuditRecords(pb.ListAuditRecordsRequest(appraisal_id=E1)).records
    assert list(audit) == []
    listed = appraisal_as("E0", Role.SUPERVISOR).ListAppraisals(
        pb.ListAppraisalsRequest(cycle_id="2026-10", summary=True)
    )
    assert sorted(a.employee_id for a in listed.appraisals) == ["E1", "E2"]
    everyone = appraisal_as("H1", Role.HR).ListAppraisals(
        pb.ListAppraisalsRequest(cycle_id="2026-10", page_size=2)
    )
    assert len(everyone.appraisals) == 2 and everyone.next_page_token
