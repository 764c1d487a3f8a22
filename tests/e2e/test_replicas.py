"""Two replicas of the metrics service on one database: ingestion stays exactly-once."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from services.app import Process, start_services
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from services.common.periods import Period
from services.common.settings import Settings
from services.metrics.measures_query import Subject, measures_for
from services.metrics.refresh import refresh_dirty
from tests.support.metrics_events import answered_call


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
