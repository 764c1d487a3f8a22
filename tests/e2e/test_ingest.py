"""IngestEvents over a real client stream into Postgres (the COPY path)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc
import pytest
from sqlalchemy import Engine, func, select, text

from ccperf.metrics.v1 import events_pb2, metrics_pb2, metrics_pb2_grpc
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from services.metrics.models import CallEvent, QaEvaluationEvent
from tests.support.metrics_events import abandoned_call, answered_call, qa, survey


@pytest.fixture
def metrics(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> Iterator[metrics_pb2_grpc.MetricsServiceStub]:
    with authorized_channel(address("metrics"), token_for("acd", Role.INGEST)) as channel:
        yield metrics_pb2_grpc.MetricsServiceStub(channel)


def batches(
    *groups: list[events_pb2.Event], source: str = "acd-east"
) -> Iterator[metrics_pb2.IngestEventsRequest]:
    for events in groups:
        yield metrics_pb2.IngestEventsRequest(source=source, events=events)


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_stream_stores_valid_events_and_reports_rejected_ones(
    metrics: metrics_pb2_grpc.MetricsServiceStub, engine: Engine
) -> None:
    bad = answered_call("C-bad", talk=-3)
    first = [answered_call("C1"), abandoned_call("C2"), bad, survey("S1", 5), qa("Q1")]
    second = [answered_call("C3"), survey("S-bad", 9)]
    reply = metrics.IngestEvents(batches(first, second))
    assert (reply.accepted, reply.duplicate, reply.rejected) == (5, 0, 2)
    assert reply.batches_committed == 2
    assert [(r.index, r.event_id, r.field) for r in reply.rejections] == [
        (2, "C-bad", "call.talk_seconds"),
        (6, "S-bad", "survey.csat"),
    ]
    assert "between" in reply.rejections[0].reason
    assert count(engine, CallEvent) == 3
    stored_qa = count(engine, QaEvaluationEvent)
    assert stored_qa == 1
    with engine.connect() as conn:
        score, max_score = conn.execute(
            text("SELECT score, max_score FROM qa_evaluation_events")
        ).one()
        caller = conn.execute(
            text("SELECT caller_hash FROM call_events WHERE event_id='C1'")
        ).scalar_one()
    assert (score, max_score) == (7.0, 10.0)
    assert caller and "8613800000000" not in caller  # only a keyed hash is stored


def test_replaying_a_stream_changes_nothing(
    metrics: metrics_pb2_grpc.MetricsServiceStub, engine: Engine
) -> None:
    events = [answered_call(f"C{i}") for i in range(500)]
    assert metrics.IngestEvents(batches(events[:250], events[250:])).accepted == 500
    replay = metrics.IngestEvents(batches(events[100:], events[:100]))
    assert (replay.accepted, replay.duplicate, replay.rejected) == (0, 500, 0)
    # The same ids from another source are other events.
    other = metrics.IngestEvents(batches(events[:10], source="acd-west"))
    assert other.accepted == 10
    assert count(engine, CallEvent) == 510


def test_duplicates_inside_one_batch_are_stored_once(
    metrics: metrics_pb2_grpc.MetricsServiceStub, engine: Engine
) -> None:
    reply = metrics.IngestEvents(batches([answered_call("C1"), answered_call("C1")]))
    assert (reply.accepted, reply.duplicate) == (1, 1)
    assert count(engine, CallEvent) == 1


def test_a_wrong_role_cannot_ingest(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> None:
    with authorized_channel(address("metrics"), token_for("E1", Role.EMPLOYEE)) as channel:
        stub = metrics_pb2_grpc.MetricsServiceStub(channel)
        with pytest.raises(grpc.RpcError) as err:
            stub.IngestEvents(batches([answered_call("C1")]))
    assert err.value.code() is grpc.StatusCode.PERMISSION_DENIED


def test_a_batch_without_source_is_invalid(metrics: metrics_pb2_grpc.MetricsServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as err:
        metrics.IngestEvents(batches([answered_call("C1")], source=""))
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT


def test_data_quality_report_counts_gaps_late_data_refusals_and_duplicates(
    metrics: metrics_pb2_grpc.MetricsServiceStub,
    address: Callable[[str], str],
    token_for: Callable[..., str],
) -> None:
    from ccperf.common.v1 import common_pb2  # noqa: PLC0415

    # Calls on 7 October only; one refused; one sent twice; one stored without an end.
    no_end = answered_call("C3")
    no_end.call.ClearField("ended_at")
    metrics.IngestEvents(batches([answered_call("C1"), answered_call("C2", talk=-1), no_end]))
    metrics.IngestEvents(batches([answered_call("C1")]))
    with authorized_channel(address("metrics"), token_for("duty", Role.DUTY_OFFICER)) as channel:
        report = metrics_pb2_grpc.MetricsServiceStub(channel).GetDataQualityReport(
            metrics_pb2.GetDataQualityReportRequest(period=common_pb2.Period(value="2026-10"))
        )
    # No holidays in the calendar: the 3rd working day after 31 October is 4 November.
    assert (report.deadline.year, report.deadline.month, report.deadline.day) == (2026, 11, 4)
    (calls,) = [s for s in report.sources if s.kind == "call"]
    assert (calls.source, calls.events, calls.calls_without_end) == ("acd-east", 2, 1)
    assert (calls.duplicates, calls.rejected) == (1, 1)
    assert list(calls.rejected_by_reason) == ["call.talk_seconds: must be between N and N, got N"]
    assert len(calls.days_without_data) == 30  # every October day but the 7th
    assert calls.late_events == 2  # stored today, long after the 4 November deadline
