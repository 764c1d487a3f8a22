"""Scorecards over gRPC: events in, KPI values out, explained, and only to those allowed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import grpc
import pytest
from click.testing import CliRunner

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from services.cli import main
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from tests.support.metrics_events import abandoned_call, answered_call
from tests.support.org_messages import employee, small_org

# 09:00 in Shanghai on 7 October 2026.
MORNING = dt.datetime(2026, 10, 7, 1, 0, tzinfo=dt.UTC)
OCTOBER = common_pb2.Period(value="2026-10")

Client = Callable[..., metrics_pb2_grpc.MetricsServiceStub]


@pytest.fixture
def october(
    address: Callable[[str], str], token_for: Callable[..., str], metrics_as: Client
) -> None:
    """Team OPS-T1 (supervisor E0) with agents E1 and E2, and a morning of calls."""
    with authorized_channel(address("appraisal"), token_for("hris", Role.HRIS)) as channel:
        org = org_pb2_grpc.OrgServiceStub(channel)
        org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
        org.UpsertEmployees(
            org_pb2.UpsertEmployeesRequest(
                employees=[employee("E0"), employee("E1", supervisor="E0"),
                           employee("E2", supervisor="E0")]
            )
        )  # fmt: skip
    events = [
        answered_call("C1", agent="E1", wait=10, talk=100, at=MORNING),
        answered_call("C2", agent="E1", wait=30, talk=200, at=MORNING),
        answered_call("C3", agent="E2", wait=5, talk=50, at=MORNING),
        abandoned_call("C4", wait=3, at=MORNING),
        abandoned_call("C5", wait=40, at=MORNING),
    ]
    reply = metrics_as("acd", Role.INGEST).IngestEvents(
        iter([metrics_pb2.IngestEventsRequest(source="acd", events=events)])
    )
    assert reply.accepted == 5


def values(reply: metrics_pb2.GetScorecardResponse) -> dict[str, float | None]:
    return {v.kpi: (v.value if v.HasField("value") else None) for v in reply.values}


@pytest.mark.usefixtures("october")
def test_center_scorecard_follows_the_definitions(metrics_as: Client) -> None:
    hr = metrics_as("hr1", Role.HR)
    reply = hr.GetScorecard(
        metrics_pb2.GetScorecardRequest(
            subject=metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_CENTER), period=OCTOBER,
            kpis=["calls_offered", "service_level", "abandon_rate", "asa", "aht"],
        )
    )  # fmt: skip
    got = values(reply)
    assert got["calls_offered"] == 5
    # Answered within 20 s: C1 and C3; offered minus short abandons: 5 − 1 = 4.
    assert got["service_level"] == pytest.approx(50.0)
    # Abandoned after 5 s: C5 only, of 5 offered.
    assert got["abandon_rate"] == pytest.approx(20.0)
    assert got["asa"] == pytest.approx(15.0)  # (10 + 30 + 5) / 3
    # (talk + hold + acw) / answered = (350 + 3×5 + 3×30) / 3
    assert got["aht"] == pytest.approx(455 / 3)


@pytest.mark.usefixtures("october")
def test_team_and_agent_scorecards_and_their_explanation(metrics_as: Client) -> None:
    supervisor = metrics_as("E0", Role.SUPERVISOR)
    team = supervisor.GetScorecard(
        metrics_pb2.GetScorecardRequest(
            subject=metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_TEAM, id="OPS-T1"),
            period=OCTOBER, kpis=["calls_answered", "avg_talk_time"],
        )
    )  # fmt: skip
    assert values(team) == {"calls_answered": 3, "avg_talk_time": pytest.approx(350 / 3)}
    explained = supervisor.ExplainKpiValue(
        metrics_pb2.ExplainKpiValueRequest(
            subject=metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_AGENT, id="E1"),
            period=OCTOBER, kpi="avg_talk_time",
        )
    )  # fmt: skip
    assert explained.value.value == pytest.approx(150.0)
    assert (explained.value.numerator, explained.value.denominator) == (300.0, 2.0)
    assert explained.measures["talk_seconds"] == 300.0
    assert "talk_seconds" in explained.formula
    assert [(c.source, c.kind, c.events) for c in explained.sources] == [("acd", "call", 2)]
    team = supervisor.ExplainKpiValue(
        metrics_pb2.ExplainKpiValueRequest(
            subject=metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_TEAM, id="OPS-T1"),
            period=OCTOBER, kpi="service_level",
        )
    )  # fmt: skip
    # The team's agents answered three calls; the two nobody answered are the center's.
    assert [(c.source, c.kind, c.events) for c in team.sources] == [("acd", "call", 3)]


@pytest.mark.usefixtures("october")
def test_no_data_is_no_value_not_zero(metrics_as: Client) -> None:
    reply = metrics_as("hr1", Role.HR).GetScorecard(
        metrics_pb2.GetScorecardRequest(
            subject=metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_AGENT, id="E1"),
            period=common_pb2.Period(value="2026-11"), kpis=["avg_talk_time", "calls_answered"],
        )
    )  # fmt: skip
    assert values(reply) == {"avg_talk_time": None, "calls_answered": 0}


@pytest.mark.usefixtures("october")
def test_all_agents_are_listed_page_by_page(metrics_as: Client) -> None:
    hr = metrics_as("hr1", Role.HR)
    request = metrics_pb2.ListKpiValuesRequest(
        level=metrics_pb2.SUBJECT_LEVEL_AGENT, period=OCTOBER, kpis=["calls_answered"], page_size=1
    )
    first = hr.ListKpiValues(request)
    request.page_token = first.next_page_token
    second = hr.ListKpiValues(request)
    listed = [(v.subject.id, v.value) for v in [*first.values, *second.values]]
    assert listed == [("E1", 2.0), ("E2", 1.0)]
    assert second.next_page_token == ""


@pytest.mark.usefixtures("october")
def test_scorecards_are_private(metrics_as: Client) -> None:
    def agent_card(caller: metrics_pb2_grpc.MetricsServiceStub, agent: str) -> object:
        return caller.GetScorecard(
            metrics_pb2.GetScorecardRequest(
                subject=metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_AGENT, id=agent),
                period=OCTOBER, kpis=["calls_answered"],
            )
        )  # fmt: skip

    e1 = metrics_as("E1", Role.EMPLOYEE)
    assert agent_card(e1, "E1")
    with pytest.raises(grpc.RpcError) as err:
        agent_card(e1, "E2")
    assert err.value.code() is grpc.StatusCode.PERMISSION_DENIED
    stranger = metrics_as("E9", Role.SUPERVISOR)
    with pytest.raises(grpc.RpcError) as err:
        agent_card(stranger, "E1")
    assert err.value.code() is grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as err:
        e1.ListKpiValues(
            metrics_pb2.ListKpiValuesRequest(level=metrics_pb2.SUBJECT_LEVEL_AGENT, period=OCTOBER)
        )
    assert err.value.code() is grpc.StatusCode.PERMISSION_DENIED


def test_unknown_kpis_and_bad_periods_are_invalid(metrics_as: Client) -> None:
    hr = metrics_as("hr1", Role.HR)
    center = metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_CENTER)
    for request in (
        metrics_pb2.GetScorecardRequest(subject=center, period=OCTOBER, kpis=["no_such_kpi"]),
        metrics_pb2.GetScorecardRequest(subject=center, period=common_pb2.Period(value="10/2026")),
        metrics_pb2.GetScorecardRequest(period=OCTOBER),
    ):
        with pytest.raises(grpc.RpcError) as err:
            hr.GetScorecard(request)
        assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT


def test_the_catalog_lists_every_required_kpi(metrics_as: Client) -> None:
    codes: list[str] = []
    request = metrics_pb2.ListKpiDefinitionsRequest(page_size=20)
    client = metrics_as("E1", Role.EMPLOYEE)
    while True:
        reply = client.ListKpiDefinitions(request)
        codes += [d.code for d in reply.definitions]
        if not reply.next_page_token:
            break
        request.page_token = reply.next_page_token
    required = {"calls_offered", "calls_answered", "calls_abandoned", "service_level", "asa",
                "abandon_rate", "avg_talk_time", "avg_hold_time", "avg_acw", "aht",
                "transfer_rate", "occupancy", "utilization", "fcr", "csat", "nps",
                "complaint_rate"}  # fmt: skip
    assert required <= set(codes)
    assert len(codes) == len(set(codes))


@pytest.mark.usefixtures("october")
def test_kpis_command_prints_json_scripts_can_use(address: Callable[[str], str]) -> None:
    result = CliRunner().invoke(
        main,
        ["kpis", "--period", "2026-10", "--level", "agent", "--kpi", "calls_answered",
         "--kpi", "avg_talk_time", "--format", "json", "--target", address("metrics")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    by_key = {(r["subject"], r["kpi"]): r for r in rows}
    assert by_key["E1", "avg_talk_time"]["value"] == pytest.approx(150.0)
    assert by_key["E2", "calls_answered"] == {
        "subject": "E2", "level": "agent", "period": "2026-10", "kpi": "calls_answered",
        "value": 1.0, "numerator": 1.0, "denominator": 1.0, "unit": "count",
    }  # fmt: skip


@pytest.mark.usefixtures("october")
def test_kpis_command_table_and_csv(address: Callable[[str], str]) -> None:
    table = CliRunner().invoke(
        main,
        ["kpis", "--period", "2026-Q4", "--kpi", "service_level", "--target", address("metrics")],
    )
    assert table.exit_code == 0, table.output
    assert "service_level" in table.output and "50.00" in table.output
    as_csv = CliRunner().invoke(
        main,
        ["kpis", "--period", "2026", "--level", "team", "--subject", "OPS-T1", "--kpi",
         "calls_answered", "--format", "csv", "--target", address("metrics")],
    )  # fmt: skip
    assert as_csv.exit_code == 0, as_csv.output
    assert as_csv.stdout.splitlines()[1].startswith("OPS-T1,team,2026,calls_answered,3.0,")
    bad = CliRunner().invoke(main, ["kpis", "--period", "Oct", "--target", address("metrics")])
    assert bad.exit_code == 2


@pytest.mark.usefixtures("october")
def test_a_parameter_change_applies_to_a_past_month_only_after_a_recompute(
    metrics_as: Client,
) -> None:
    admin = metrics_as("pm1", Role.PERF_ADMIN)
    center = metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_CENTER)

    def service_level() -> metrics_pb2.KpiValue:
        reply = admin.GetScorecard(
            metrics_pb2.GetScorecardRequest(subject=center, period=OCTOBER, kpis=["service_level"])
        )
        value: metrics_pb2.KpiValue = reply.values[0]
        return value

    assert service_level().value == pytest.approx(50.0)
    change = metrics_pb2.UpdateKpiDefinitionRequest(
        code="service_level", parameters={"service_level_seconds": 5}, expected_version=1,
        reason="tighter answer target", effective_from=date_msg(2026, 10, 1), target=80,
    )  # fmt: skip
    updated = admin.UpdateKpiDefinition(change).definition
    assert (updated.version, updated.parameters["service_level_seconds"], updated.target) == (
        2, 5.0, 80.0,
    )  # fmt: skip
    before = service_level()  # October keeps its counts, and says which version made them …
    assert before.value == pytest.approx(50.0)
    assert before.definition_version == 1
    rebuilt = admin.RecomputePeriod(metrics_pb2.RecomputePeriodRequest(period=OCTOBER))
    assert rebuilt.days_rebuilt > 0
    after = service_level()  # … until recomputed: only C3 (5 s) is within 5 s: 1 / 4
    assert after.value == pytest.approx(25.0)
    assert after.definition_version == 2

    with pytest.raises(grpc.RpcError) as err:
        admin.UpdateKpiDefinition(change)  # still based on version 1
    assert err.value.code() is grpc.StatusCode.ABORTED
    change.expected_version = 2
    change.parameters["no_such_parameter"] = 1
    with pytest.raises(grpc.RpcError) as err:
        admin.UpdateKpiDefinition(change)
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as err:
        metrics_as("hr1", Role.HR).UpdateKpiDefinition(change)
    assert err.value.code() is grpc.StatusCode.PERMISSION_DENIED


def date_msg(year: int, month: int, day: int) -> object:
    from google.type import date_pb2  # noqa: PLC0415

    return date_pb2.Date(year=year, month=month, day=day)


@pytest.mark.usefixtures("october")
def test_a_department_is_scored_on_its_matrix_of_weights_and_targets(metrics_as: Client) -> None:
    admin = metrics_as("pm1", Role.PERF_ADMIN)
    matrix = [
        metrics_pb2.DepartmentKpi(kpi="service_level", weight=60, target=80),
        metrics_pb2.DepartmentKpi(kpi="abandon_rate", weight=40, target=5),
    ]
    admin.SetDepartmentKpis(metrics_pb2.SetDepartmentKpisRequest(org_unit_id="OPS", kpis=matrix))
    got = admin.GetDepartmentKpis(metrics_pb2.GetDepartmentKpisRequest(org_unit_id="OPS"))
    assert [(k.kpi, k.weight, k.target) for k in got.kpis] == [
        ("abandon_rate", 40, 5), ("service_level", 60, 80),
    ]  # fmt: skip
    card = admin.GetScorecard(
        metrics_pb2.GetScorecardRequest(
            subject=metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_DEPARTMENT, id="OPS"),
            period=OCTOBER,
        )
    )
    by_kpi = {v.kpi: v for v in card.values}
    # The department's agents answered C1–C3; C4 and C5 were nobody's, so at department
    # level: service level 2 of 3 within 20 s = 66.7 % against 80 → 83.3 points;
    # abandon rate 0 % against ≤ 5 % → 100 points; 60 × 83.3 + 40 × 100 over 100 = 90.
    assert by_kpi["service_level"].score == pytest.approx(200 / 240 * 100)
    assert by_kpi["abandon_rate"].score == pytest.approx(100.0)
    assert card.weighted_score == pytest.approx(90.0)
    assert [v.kpi for v in card.values][:2] == ["abandon_rate", "service_level"]

    bad = [metrics_pb2.DepartmentKpi(kpi="service_level", weight=70, target=80)]
    with pytest.raises(grpc.RpcError) as err:
        admin.SetDepartmentKpis(metrics_pb2.SetDepartmentKpisRequest(org_unit_id="OPS", kpis=bad))
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "weights add up to 70" in (err.value.details() or "")


@pytest.mark.usefixtures("october")
def test_teams_and_departments_are_listed_too(metrics_as: Client) -> None:
    hr = metrics_as("hr1", Role.HR)
    for level, unit in (
        (metrics_pb2.SUBJECT_LEVEL_TEAM, "OPS-T1"),
        (metrics_pb2.SUBJECT_LEVEL_DEPARTMENT, "OPS"),
    ):
        reply = hr.ListKpiValues(
            metrics_pb2.ListKpiValuesRequest(level=level, period=OCTOBER, kpis=["calls_answered"])
        )
        assert [(v.subject.level, v.subject.id, v.value) for v in reply.values] == [
            (level, unit, 3.0)
        ]
    with pytest.raises(grpc.RpcError) as err:
        hr.ListKpiValues(
            metrics_pb2.ListKpiValuesRequest(level=metrics_pb2.SUBJECT_LEVEL_CENTER, period=OCTOBER)
        )
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
