"""Values the KPIs cannot use, over gRPC (issue #13 points 1, 3 and 18).

Refused per event at IngestEvents with field and reason, never costing the events
beside them; and when such a row is in the database anyway (written before validation
refused it), the background rebuild, every KPI read of its day and month and the
data-quality report still answer, with the row shown as uncounted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, insert, select

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import events_pb2, metrics_pb2, metrics_pb2_grpc
from services.common.auth import Role
from services.metrics import ingest
from services.metrics.domain.measures import UNPLACED_LEFT_QUEUE
from services.metrics.event_rows import caller_hasher, event_to_row
from services.metrics.models import (
    CallEvent,
    FinanceFactEvent,
    QaEvaluationEvent,
    RollupDirtyDay,
    ScheduleIntervalEvent,
)
from tests.support.metrics_events import abandoned_call, answered_call, qa, ts
from tests.support.polling import wait_until

MORNING = dt.datetime(2026, 10, 7, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai
DAY, MONTH = common_pb2.Period(value="2026-10-07"), common_pb2.Period(value="2026-10")
CENTER = metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_CENTER)
Client = Callable[..., metrics_pb2_grpc.MetricsServiceStub]


def ingest_batch(client: Client, *events: events_pb2.Event) -> metrics_pb2.IngestEventsResponse:
    reply: metrics_pb2.IngestEventsResponse = client("acd", Role.INGEST).IngestEvents(
        iter([metrics_pb2.IngestEventsRequest(source="acd", events=events)])
    )
    return reply


def interval(event_id: str, required: float) -> events_pb2.Event:
    msg = events_pb2.ScheduleInterval(
        queue="billing", interval_minutes=30, forecast_volume=2, required_staff=required,
        scheduled_staff=3,
    )  # fmt: skip
    msg.interval_start.CopyFrom(ts(MORNING))
    return events_pb2.Event(event_id=event_id, schedule_interval=msg)


def finance(event_id: str, amount: str) -> events_pb2.Event:
    fact = events_pb2.FinanceFact(
        org_unit_id="CC", period=common_pb2.Period(value="2026-10"),
        operating_cost=common_pb2.Money(currency_code="CNY", amount=amount),
    )  # fmt: skip
    return events_pb2.Event(event_id=event_id, finance_fact=fact)


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_subnormal_figure_is_refused_and_its_neighbours_stored(
    metrics_as: Client, engine: Engine
) -> None:
    reply = ingest_batch(
        metrics_as, interval("I1", 4), interval("I-sub", 5e-324), answered_call("C1", at=MORNING)
    )
    assert (reply.accepted, reply.rejected) == (2, 1)
    (rejection,) = reply.rejections
    assert (rejection.event_id, rejection.field) == ("I-sub", "schedule_interval.required_staff")
    assert "at least 1e-06" in rejection.reason
    assert count(engine, ScheduleIntervalEvent) == 1


@pytest.mark.parametrize("amount", ["1e999999999", "123456789012345678901234567890"])
def test_a_huge_amount_costs_only_its_own_event(
    metrics_as: Client, engine: Engine, amount: str
) -> None:
    reply = ingest_batch(metrics_as, finance("F1", amount), answered_call("C1", at=MORNING))
    assert (reply.accepted, reply.rejected) == (1, 1)
    assert [(r.event_id, r.field) for r in reply.rejections] == [
        ("F1", "finance_fact.operating_cost.amount")
    ]
    assert (count(engine, CallEvent), count(engine, FinanceFactEvent)) == (1, 0)


def test_a_nul_in_a_qa_category_costs_only_its_own_event(
    metrics_as: Client, engine: Engine
) -> None:
    bad = qa("Q1")
    bad.qa_evaluation.items[0].category = "skills\x00"
    reply = ingest_batch(metrics_as, bad, answered_call("C1", at=MORNING))
    assert (reply.accepted, reply.rejected) == (1, 1)
    assert [(r.event_id, r.field) for r in reply.rejections] == [
        ("Q1", "qa_evaluation.items[0].category")
    ]
    assert (count(engine, CallEvent), count(engine, QaEvaluationEvent)) == (1, 0)


def _stored_bad_rows(engine: Engine) -> None:
    """What validation now refuses, written straight into the tables: a subnormal staff
    figure (the issue's reproduction) and an agent's call with a NaN talk time."""
    hasher = caller_hasher(b"any")
    _, schedule, _ = event_to_row(interval("I-sub", 4), hasher)
    _, call, _ = event_to_row(answered_call("C-nan", agent="E1", at=MORNING), hasher)
    with engine.begin() as conn:
        conn.execute(
            insert(ScheduleIntervalEvent), [{**schedule, "source": "acd", "required_staff": 5e-324}]
        )
        conn.execute(insert(CallEvent), [{**call, "source": "acd", "talk_seconds": float("nan")}])
        ingest.mark_dirty(conn, [("schedule_interval", MORNING.date()), ("call", MORNING.date())])


def test_a_stored_row_the_kpis_cannot_use_stops_no_read(metrics_as: Client, engine: Engine) -> None:
    reply = ingest_batch(
        metrics_as, interval("I1", 4), answered_call("C1", agent="E1", talk=100, at=MORNING)
    )
    assert reply.accepted == 2
    _stored_bad_rows(engine)
    # The background refresher (every 2 s) rebuilds the days: it is not stopped by them.
    wait_until(lambda: count(engine, RollupDirtyDay) == 0, timeout=30, what="the rollups rebuilt")
    hr = metrics_as("hr1", Role.HR)
    for period in (DAY, MONTH):
        card = hr.GetScorecard(metrics_pb2.GetScorecardRequest(subject=CENTER, period=period))
        values = {v.kpi: v.value for v in card.values if v.HasField("value")}
        assert values["calls_answered"] == 1  # C1; C-nan is left out
        assert values["avg_talk_time"] == 100
        agents = hr.ListKpiValues(
            metrics_pb2.ListKpiValuesRequest(
                level=metrics_pb2.SUBJECT_LEVEL_AGENT, period=period, subject_ids=["E1"],
                kpis=["calls_answered", "aht"],
            )
        )  # fmt: skip
        assert {v.kpi: v.value for v in agents.values}["calls_answered"] == 1
    report = hr.GetDataQualityReport(metrics_pb2.GetDataQualityReportRequest(period=MONTH))
    by_kind = {s.kind: s for s in report.sources}
    assert by_kind["schedule_interval"].uncounted == 1
    assert dict(by_kind["schedule_interval"].uncounted_by_reason) == {
        "schedule_interval.required_staff: outside 0\u20131e+06 (0 or at least 1e-06)": 1
    }
    assert by_kind["call"].uncounted == 1
    assert list(by_kind["call"].uncounted_by_reason) == [
        "call.talk_seconds: outside 0\u2013604800 (0 or at least 1e-06)"
    ]


def test_the_ingest_response_says_which_accepted_calls_no_kpi_counts(
    metrics_as: Client,
) -> None:
    placed = abandoned_call("C1", wait=30, at=MORNING)
    placed.call.ClearField("ended_at")
    unplaced = abandoned_call("C2", wait=0, at=MORNING)
    unplaced.call.ClearField("ended_at")
    reply = ingest_batch(metrics_as, placed, unplaced, answered_call("C3", at=MORNING))
    assert (reply.accepted, reply.rejected) == (3, 0)
    assert dict(reply.uncounted_by_reason) == {UNPLACED_LEFT_QUEUE: 1}
    card = metrics_as("hr1", Role.HR).GetScorecard(
        metrics_pb2.GetScorecardRequest(subject=CENTER, period=MONTH, kpis=["calls_offered"])
    )
    assert card.values[0].value == 2  # C1 (left at offered + 30 s) and C3
