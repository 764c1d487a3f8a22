"""The ingest writer thread: batches stored in order, the first failure raised, none after."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from services.metrics import grpc_api, ingest

UTC = ZoneInfo("UTC")


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
    writer = grpc_api.BatchWriter(lambda: None, UTC)  # type: ignore[arg-type,return-value]
    with pytest.raises(RuntimeError, match="went away"), writer:
        for source in ["a", "b", "bad", "c", "d"]:
            writer.submit(source, {})
    assert stored == ["a", "b"]


def test_all_results_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        ingest, "store_batch", lambda _u, s, _r, **_: {"call": ingest.KindOutcome(len(s), 0)}
    )
    with grpc_api.BatchWriter(lambda: None, UTC) as writer:  # type: ignore[arg-type,return-value]
        for source in ["a", "bb", "ccc"]:
            writer.submit(source, {})
    assert [r["call"].accepted for r in writer.results] == [1, 2, 3]
