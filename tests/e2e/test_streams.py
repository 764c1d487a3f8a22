"""Open client streams cannot take a server down (issue #13, point 2).

A thread per open stream let 16 idle ``IngestEvents`` streams freeze the metrics
server. On grpc.aio an idle stream costs a coroutine: 1,000 of them stay open, and 20
feeds send an event a second, while health and an ordinary RPC answer; a stream that
sends nothing is closed after the idle timeout, and a caller past its stream limit is
refused RESOURCE_EXHAUSTED.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import grpc
import grpc.aio
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import Engine, text

from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from services.app import Process, start_services
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from services.common.settings import Settings
from tests.support.metrics_events import answered_call

T = Callable[..., str]


class ClientLoop:
    """An asyncio loop on a thread, for holding many client streams at little cost."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 120) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


@pytest.fixture(scope="module")
def client_loop() -> ClientLoop:
    # Never closed (a daemon thread): grpc.aio fails on a closed loop with calls pending.
    return ClientLoop()


def metrics_server(database_url: str, engine: Engine, **environ: str) -> Process:
    settings = Settings.from_env({"DATABASE_URL": database_url, "CCPERF_ENV": "test", **environ})
    return start_services(["metrics"], settings, ports={"metrics": 0}, engine=engine)


@pytest.fixture
def serve(database_url: str, engine: Engine, clean_tables: None) -> Iterator[Callable[..., str]]:
    """``serve(**environ)``: a metrics server with those settings; its address."""
    started: list[Process] = []

    def start(**environ: str) -> str:
        started.append(metrics_server(database_url, engine, **environ))
        return started[-1].servers[0].address

    yield start
    for process in started:
        process.stop(grace=0)


def ingest_metadata(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


async def open_streams(
    address: str, tokens: list[str], per_token: int, channels: int
) -> tuple[list[grpc.aio.Channel], list[Any]]:
    """``per_token`` idle IngestEvents streams for each token, spread over channels."""
    opened = [grpc.aio.insecure_channel(address) for _ in range(channels)]
    stubs = [metrics_pb2_grpc.MetricsServiceStub(c) for c in opened]
    calls = []
    for i, token in enumerate(tokens):
        for j in range(per_token):
            stub = stubs[(i * per_token + j) % channels]
            calls.append(stub.IngestEvents(metadata=ingest_metadata(token)))
    # Each call is started once its headers are back: the server holds it open.
    await asyncio.gather(*(call.wait_for_connection() for call in calls))
    return opened, calls


def health_latencies(address: str, count: int) -> list[float]:
    with grpc.insecure_channel(address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        stub.Check(health_pb2.HealthCheckRequest(), timeout=5)  # connect first
        latencies = []
        for _ in range(count):
            started = time.perf_counter()
            reply = stub.Check(health_pb2.HealthCheckRequest(), timeout=5)
            latencies.append(time.perf_counter() - started)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
    return latencies


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


async def trickle(address: str, token: str, feed: int, stop: asyncio.Event) -> Any:
    """A slow feed: one event a second on one stream until ``stop``, then its reply."""
    async with grpc.aio.insecure_channel(address) as channel:
        call = metrics_pb2_grpc.MetricsServiceStub(channel).IngestEvents(
            metadata=ingest_metadata(token)
        )
        sent = 0
        while not stop.is_set():
            event = answered_call(f"trickle-{feed}-{sent}")
            await call.write(metrics_pb2.IngestEventsRequest(source="acd", events=[event]))
            sent += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
        await call.done_writing()
        return sent, await call


def test_a_thousand_idle_streams_and_slow_feeds_leave_health_and_other_rpcs_answering(
    serve: Callable[..., str], client_loop: ClientLoop, token_for: T
) -> None:
    address = serve()  # default limits: 16 workers, 32 streams a caller
    tokens = [token_for(f"feed-{i}", Role.INGEST) for i in range(40)]
    channels, calls = client_loop.run(open_streams(address, tokens, per_token=25, channels=8))
    assert len(calls) == 1000
    stop = asyncio.Event()
    slow = [
        asyncio.run_coroutine_threadsafe(
            trickle(address, token_for(f"slow-{i}", Role.INGEST), i, stop), client_loop.loop
        )
        for i in range(20)
    ]
    try:
        latencies = health_latencies(address, 300)
        assert p99(latencies) < 0.050, f"health p99 {p99(latencies) * 1000:.1f} ms"

        with authorized_channel(address, token_for("hr", Role.HR)) as channel:
            definitions = metrics_pb2_grpc.MetricsServiceStub(channel).ListKpiDefinitions(
                metrics_pb2.ListKpiDefinitionsRequest(page_size=5), timeout=10
            )
        assert len(definitions.definitions) == 5
        assert not any(call.done() for call in calls), "every stream is still open"
        client_loop.loop.call_soon_threadsafe(stop.set)
        for feed in slow:
            sent, reply = feed.result(60)
            assert sent >= 1 and reply.accepted == sent  # each slow feed stored every event

        async def finish_some() -> list[Any]:
            # Streams held open that long still work: send a batch and close.
            replies = []
            for i, call in enumerate(calls[:3]):
                await call.write(
                    metrics_pb2.IngestEventsRequest(source="acd", events=[answered_call(f"c{i}")])
                )
                await call.done_writing()
                replies.append(await call)
            return replies

        replies = client_loop.run(finish_some())
        assert [r.accepted for r in replies] == [1, 1, 1]
    finally:
        client_loop.loop.call_soon_threadsafe(stop.set)

        async def close() -> None:
            for call in calls:
                call.cancel()
            for channel in channels:
                await channel.close()

        client_loop.run(close())


def test_a_stream_that_sends_nothing_is_closed_after_the_idle_timeout_keeping_its_batches(
    serve: Callable[..., str], client_loop: ClientLoop, token_for: T, engine: Engine
) -> None:
    address = serve(CCPERF_STREAM_IDLE_SECONDS="1")
    token = token_for("feed", Role.INGEST)

    async def stream(send_first: bool) -> tuple[grpc.StatusCode, str, float]:
        async with grpc.aio.insecure_channel(address) as channel:
            call = metrics_pb2_grpc.MetricsServiceStub(channel).IngestEvents(
                metadata=ingest_metadata(token)
            )
            if send_first:
                await call.write(
                    metrics_pb2.IngestEventsRequest(source="acd", events=[answered_call("c1")])
                )
            started = time.perf_counter()
            try:
                await call
            except grpc.aio.AioRpcError as exc:
                return exc.code(), exc.details() or "", time.perf_counter() - started
            raise AssertionError("an idle stream was answered OK")

    code, details, waited = client_loop.run(stream(send_first=False))
    assert code is grpc.StatusCode.DEADLINE_EXCEEDED
    assert "no message for 1 s" in details
    assert 0.9 < waited < 10

    code, _, _ = client_loop.run(stream(send_first=True))
    assert code is grpc.StatusCode.DEADLINE_EXCEEDED
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM call_events")).scalar_one() == 1


def test_a_caller_past_its_stream_limit_is_refused_until_one_of_its_streams_closes(
    serve: Callable[..., str], client_loop: ClientLoop, token_for: T
) -> None:
    address = serve(CCPERF_MAX_STREAMS_PER_CALLER="2")
    feed, other = token_for("feed", Role.INGEST), token_for("other", Role.INGEST)

    async def scenario() -> list[Any]:
        async with grpc.aio.insecure_channel(address) as channel:
            stub = metrics_pb2_grpc.MetricsServiceStub(channel)
            held = [stub.IngestEvents(metadata=ingest_metadata(feed)) for _ in range(2)]
            await asyncio.gather(*(c.wait_for_connection() for c in held))
            third = stub.IngestEvents(metadata=ingest_metadata(feed))
            outcomes: list[Any] = []
            try:
                await third
            except grpc.aio.AioRpcError as exc:
                outcomes.append((exc.code(), exc.details()))
            # Another caller's stream is not counted against feed.
            own = stub.IngestEvents(metadata=ingest_metadata(other))
            await own.done_writing()
            outcomes.append((await own).batches_committed)
            # Once one of feed's streams ends, feed may open another.
            await held[0].done_writing()
            await held[0]
            again = stub.IngestEvents(metadata=ingest_metadata(feed))
            await again.done_writing()
            outcomes.append((await again).batches_committed)
            held[1].cancel()
            return outcomes

    refused, other_ok, again_ok = client_loop.run(scenario())
    assert refused[0] is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "2 open streams" in refused[1]
    assert other_ok == 0 and again_ok == 0
