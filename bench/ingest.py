"""Ingestion throughput: IngestEvents end to end vs raw COPY of the same rows.

Generates N call events (default 1,000,000; BENCH_EVENTS to change), streams them
through ``IngestEvents`` (client stream, 10,000 events per batch: the most a batch
may hold, as a bulk loader sends them) into Postgres, then COPYs the same rows
straight into a bare table with the same unique key.
Prints events/s for both and the ratio (goal: at least 0.5), once with the rollups
deferred and once with the background refresher on. The requests are
serialized before the clock starts, so the figure is the server's, not the
client's protobuf encoding.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import grpc
from _support import throwaway_database
from sqlalchemy import func, select, text

from ccperf.metrics.v1 import events_pb2, metrics_pb2
from services.app import start_services
from services.common.auth import Role, mint_token
from services.common.db import make_engine
from services.common.settings import Settings
from services.metrics.event_rows import caller_hasher, event_to_row
from services.metrics.models import CallEvent

EVENTS = int(os.environ.get("BENCH_EVENTS", "1000000"))
BATCH = int(os.environ.get("BENCH_BATCH", "10000"))  # the largest batch IngestEvents takes
T0 = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
OUTCOMES = [events_pb2.CALL_OUTCOME_ANSWERED] * 8 + [events_pb2.CALL_OUTCOME_ABANDONED] * 2


def make_event(i: int) -> events_pb2.Event:
    outcome = OUTCOMES[i % len(OUTCOMES)]
    offered = T0 + dt.timedelta(seconds=i * 2.5)
    call = events_pb2.Call(
        call_id=f"C{i:08d}", queue=f"Q{i % 8}", channel=events_pb2.CHANNEL_PHONE,
        agent_id=f"E{i % 5000:05d}" if outcome == events_pb2.CALL_OUTCOME_ANSWERED else "",
        caller_key=f"+86138{i % 200000:08d}", wait_seconds=float(i % 60),
        talk_seconds=float(60 + i % 400) if outcome == events_pb2.CALL_OUTCOME_ANSWERED else 0.0,
        hold_seconds=float(i % 20), acw_seconds=float(i % 45), outcome=outcome,
    )  # fmt: skip
    call.offered_at.FromDatetime(offered)
    if outcome == events_pb2.CALL_OUTCOME_ANSWERED:
        call.answered_at.FromDatetime(offered + dt.timedelta(seconds=i % 60))
    call.ended_at.FromDatetime(offered + dt.timedelta(seconds=300))
    return events_pb2.Event(event_id=f"C{i:08d}", call=call)


def _ingest_seconds(url: str, refresh_seconds: str, batches: list[bytes]) -> float:
    """Seconds to stream every batch through IngestEvents into a fresh database."""
    settings = Settings.from_env(
        {
            "DATABASE_URL": url,
            "CCPERF_ENV": "test",
            "CCPERF_ROLLUP_REFRESH_SECONDS": refresh_seconds,
        }
    )
    process = start_services(["metrics"], settings, ports={"metrics": 0})
    token = mint_token(secret=settings.effective_jwt_secret or "", subject="b", roles=[Role.INGEST])
    try:
        with grpc.insecure_channel(process.servers[0].address) as channel:
            ingest = channel.stream_unary(
                "/ccperf.metrics.v1.MetricsService/IngestEvents",
                request_serializer=lambda raw: raw,
                response_deserializer=metrics_pb2.IngestEventsResponse.FromString,
            )
            started = time.perf_counter()
            reply = ingest(iter(batches), metadata=(("authorization", f"Bearer {token}"),))
            seconds = time.perf_counter() - started
        assert reply.accepted == EVENTS, reply
    finally:
        process.stop(grace=0)
    return seconds


def _copy_seconds(url: str, rows: list[dict[str, object]]) -> float:
    """Seconds to COPY the same rows into a bare twin of the table (same unique key).

    On a connection of its own with no statement timeout: the services' 30 s limit is
    theirs, and a busy machine once cancelled this baseline (issue #13 point 17)."""
    engine = make_engine(url, pool_size=1, statement_timeout_ms=0)
    try:
        with engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(CallEvent)).scalar_one()
        assert stored == EVENTS
        columns = [c.name for c in CallEvent.__table__.columns if c.name != "ingested_at"]
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE bench_raw_calls (LIKE call_events INCLUDING ALL)"))
        raw = engine.raw_connection()
        try:
            started = time.perf_counter()
            with raw.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
                column_list = ", ".join(columns)
                with cursor.copy(f"COPY bench_raw_calls ({column_list}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row.get(c, "bench") for c in columns])
            raw.commit()
            return time.perf_counter() - started
        finally:
            raw.close()
    finally:
        engine.dispose()


def main() -> None:
    print(f"generating {EVENTS:,} call events …", flush=True)
    batches: list[bytes] = []
    rows: list[dict[str, object]] = []
    hasher = caller_hasher(Settings.from_env({"CCPERF_ENV": "test"}).caller_hash_key.encode())
    for start in range(0, EVENTS, BATCH):
        events = [make_event(i) for i in range(start, min(start + BATCH, EVENTS))]
        request = metrics_pb2.IngestEventsRequest(source="bench", events=events)
        batches.append(request.SerializeToString())
        for event in events:
            rows.append(event_to_row(event, hasher)[1])
    # Rollups deferred: rebuilt on the first query rather than during the load (ingestion
    # alone; bench/kpi.py measures the rebuild). Refresher on: the production default, the
    # background thread rebuilding the days the load dirties every 2 s meanwhile.
    for label, refresh_seconds in (("rollups deferred", "0"), ("refresher on (2 s)", "2")):
        with throwaway_database() as url:
            grpc_seconds = _ingest_seconds(url, refresh_seconds, batches)
            copy_seconds = _copy_seconds(url, rows)
        grpc_rate, copy_rate = EVENTS / grpc_seconds, EVENTS / copy_seconds
        print(f"{label}:")
        print(f"  IngestEvents end to end: {EVENTS:,} events in {grpc_seconds:6.2f} s", end=" ")
        print(f"= {grpc_rate:>9,.0f} events/s")
        print(f"  raw COPY, same rows:     {EVENTS:,} events in {copy_seconds:6.2f} s", end=" ")
        print(f"= {copy_rate:>9,.0f} events/s")
        print(f"  ratio (goal >= 0.5): {grpc_rate / copy_rate:.2f}", flush=True)


if __name__ == "__main__":
    main()
