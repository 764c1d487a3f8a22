"""Builders for metrics events, shared by tests and benchmarks."""

from __future__ import annotations

import datetime as dt

from google.protobuf import timestamp_pb2

from ccperf.metrics.v1 import events_pb2

T0 = dt.datetime(2026, 10, 7, 9, 0, tzinfo=dt.UTC)


def ts(moment: dt.datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def answered_call(
    event_id: str,
    *,
    agent: str = "E1",
    wait: float = 12.0,
    talk: float = 180.0,
    at: dt.datetime = T0,
) -> events_pb2.Event:
    call = events_pb2.Call(
        call_id=event_id, queue="billing", channel=events_pb2.CHANNEL_PHONE, agent_id=agent,
        caller_key="+8613800000000", wait_seconds=wait, talk_seconds=talk, hold_seconds=5,
        acw_seconds=30, outcome=events_pb2.CALL_OUTCOME_ANSWERED,
    )  # fmt: skip
    call.offered_at.CopyFrom(ts(at))
    call.answered_at.CopyFrom(ts(at + dt.timedelta(seconds=wait)))
    call.ended_at.CopyFrom(ts(at + dt.timedelta(seconds=wait + talk)))
    return events_pb2.Event(event_id=event_id, call=call)


def abandoned_call(event_id: str, *, wait: float = 40.0, at: dt.datetime = T0) -> events_pb2.Event:
    call = events_pb2.Call(
        call_id=event_id, queue="billing", wait_seconds=wait,
        outcome=events_pb2.CALL_OUTCOME_ABANDONED,
    )  # fmt: skip
    call.offered_at.CopyFrom(ts(at))
    call.ended_at.CopyFrom(ts(at + dt.timedelta(seconds=wait)))
    return events_pb2.Event(event_id=event_id, call=call)


def survey(event_id: str, csat: int, agent: str = "E1") -> events_pb2.Event:
    answer = events_pb2.Survey(survey_id=event_id, agent_id=agent, csat=csat)
    answer.answered_at.CopyFrom(ts(T0))
    return events_pb2.Event(event_id=event_id, survey=answer)


def qa(event_id: str, agent: str = "E1") -> events_pb2.Event:
    evaluation = events_pb2.QaEvaluation(
        evaluation_id=event_id, agent_id=agent, evaluator_id="QA1", rubric_code="seed004",
        items=[
            events_pb2.QaItemScore(category="skills", item="greeting", score=5, max_score=5),
            events_pb2.QaItemScore(category="skills", item="closing", score=2, max_score=5),
        ],
    )  # fmt: skip
    evaluation.evaluated_at.CopyFrom(ts(T0))
    return events_pb2.Event(event_id=event_id, qa_evaluation=evaluation)
