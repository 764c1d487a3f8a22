"""The ingest writer task: batches stored in order, the first failure raised, none after."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from services.common.grpc_server import BlockingRunner, blocking_on
from services.metrics import grpc_api, ingest

UTC = ZoneInfo("UTC")


def run(coroutine: Coroutine[Any, Any, None]) -> None:
    """On a server's executor, as IngestEvents runs."""
    runner = BlockingRunner(2, "test")
    try:
        with blocking_on(runner):
            asyncio.run(coroutine)
    finally:
        runner.shutdown()


def test_batches_are_stored_in_order_and_a_failure_stops_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored: list[str] = []

    def fake_store(_uow: Any, source: str, _rows: Any, **_: Any) -> dict[str, ingest.KindOutcome]:
        if source == "bad":
            raise RuntimeError("database went away")
        stored.append(source)
        return {"call": ingest.KindOutcome(accepted=1, duplicate=0)}

    monkeypatch.setattr(ingest, "store_batch", fake_store)

    async def stream() -> None:
        writer = grpc_api.BatchWriter(lambda: None, UTC)  # type: ignore[arg-type,return-value]
        async with writer:
            for source in ["a", "b", "bad", "c", "d"]:
                await writer.submit(source, {})

    with pytest.raises(RuntimeError, match="went away"):
        run(stream())
    assert stored == ["a", "b"]


def test_all_results_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        ingest, "store_batch", lambda _u, s, _r, **_: {"call": ingest.KindOutcome(len(s), 0)}
    )
    accepted: list[int] = []

    async def stream() -> None:
        async with grpc_api.BatchWriter(lambda: None, UTC) as writer:  # type: ignore[arg-type,return-value]
            for source in ["a", "bb", "ccc"]:
                await writer.submit(source, {})
        accepted.extend(r["call"].accepted for r in writer.results)

    run(stream())
    assert accepted == [1, 2, 3]
