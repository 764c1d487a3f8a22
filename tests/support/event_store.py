"""Storing metrics events straight through the ingest use case (integration tests)."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ccperf.metrics.v1 import events_pb2
from services.common.db import UnitOfWork
from services.metrics import ingest
from services.metrics.event_rows import caller_hasher, event_to_row

SHANGHAI = ZoneInfo("Asia/Shanghai")


def store_events(
    factory: Callable[[], Session],
    *events: events_pb2.Event,
    source: str = "test",
    timezone: ZoneInfo = SHANGHAI,
) -> dict[str, ingest.KindOutcome]:
    """Validate ``events`` as IngestEvents does (each must be valid) and store one batch."""
    hasher = caller_hasher(b"test")
    rows: dict[str, list[dict[str, object]]] = {}
    for event in events:
        kind, row, problems = event_to_row(event, hasher)
        assert not problems, problems
        rows.setdefault(kind, []).append(row)
    return ingest.store_batch(UnitOfWork(factory), source, rows, timezone=timezone)
