"""Client side of ingestion: stream events to ``IngestEvents`` in batches, sum up the answer.

Used by ``ccperf import``. Events are produced lazily and sent as they are read, so a
file of millions of lines needs little memory.

Resuming: the events go out in *segments* of ``batches_per_call`` batches, one
``IngestEvents`` call each. A call's response is the server's acknowledgement that
every batch of its segment is committed, so the last acknowledged position is the
end of the last segment answered. When a call fails with UNAVAILABLE (the server
died or restarted, or its database is down), the client waits with exponential
backoff, reconnects and sends the unacknowledged segment again from its start:
batches of it the server had committed come back as duplicates, because events are
stored once per ``(source, event_id)``. Only the current segment is kept in memory.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import grpc

from ccperf.metrics.v1 import events_pb2, metrics_pb2, metrics_pb2_grpc

DEFAULT_BATCH = 10_000  # the largest batch IngestEvents takes: fixed per-batch costs amortise
DEFAULT_BATCHES_PER_CALL = 10  # an acknowledgement every 100,000 events at the default batch
MAX_REJECTIONS = 100


@dataclass
class IngestSummary:
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    batches: int = 0
    # Calls that failed with UNAVAILABLE and were sent again from the last acknowledgement.
    retries: int = 0
    resumed_at: list[int] = field(default_factory=list)  # event positions resumed from
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    rejections: list[metrics_pb2.Rejection] = field(default_factory=list)
    # Accepted events that no KPI will count, by the server's reason (stored all the same).
    uncounted_by_reason: Counter[str] = field(default_factory=Counter)

    @property
    def uncounted(self) -> int:
        return sum(self.uncounted_by_reason.values())


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how patiently an import retries a call that failed with UNAVAILABLE."""

    retry_for: float = 120.0  # seconds since the last acknowledgement; 0: never retry
    initial_backoff: float = 0.2
    max_backoff: float = 5.0

    def backoff(self, attempt: int) -> float:
        # Full jitter: replicas of a client restarted together do not retry in step.
        ceiling = min(self.max_backoff, self.initial_backoff * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311 (jitter, not a secret)


class _Segment:
    """The batches of one call, kept until the server acknowledges them.

    gRPC reads a call's request iterator on its own thread, which may still be
    pulling when the call has already failed; the lock and the attempt number keep
    a stale reader from taking a batch the next attempt should send.
    """

    def __init__(self, batches: Iterator[metrics_pb2.IngestEventsRequest], size: int) -> None:
        self._batches = batches
        self._size = size
        self._lock = threading.Lock()
        self._attempt = 0
        self.sent: list[metrics_pb2.IngestEventsRequest] = []
        self.exhausted = False

    def prime(self) -> bool:
        """Take the segment's first batch; False when there are no more events."""
        with self._lock:
            return self._pull()

    def _pull(self) -> bool:
        batch = next(self._batches, None)
        if batch is None:
            self.exhausted = True
            return False
        self.sent.append(batch)
        return True

    def attempt(self) -> Iterator[metrics_pb2.IngestEventsRequest]:
        with self._lock:
            self._attempt += 1
            mine = self._attempt
        index = 0
        while True:
            with self._lock:
                if mine != self._attempt:
                    return
                if index == len(self.sent) and (
                    len(self.sent) >= self._size or self.exhausted or not self._pull()
                ):
                    return
                batch = self.sent[index]
            index += 1
            yield batch

    @property
    def events(self) -> int:
        return sum(len(b.events) for b in self.sent)


def _batches(
    source: str,
    events: Iterable[events_pb2.Event],
    batch_size: int,
    summary: IngestSummary,
    progress: Callable[[int], None] | None,
) -> Iterator[metrics_pb2.IngestEventsRequest]:
    batch: list[events_pb2.Event] = []
    for event in events:
        batch.append(event)
        if len(batch) >= batch_size:
            summary.sent += len(batch)
            yield metrics_pb2.IngestEventsRequest(source=source, events=batch)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        summary.sent += len(batch)
        yield metrics_pb2.IngestEventsRequest(source=source, events=batch)
        if progress:
            progress(len(batch))


def _add(summary: IngestSummary, reply: metrics_pb2.IngestEventsResponse, offset: int) -> None:
    summary.accepted += reply.accepted
    summary.duplicate += reply.duplicate
    summary.rejected += reply.rejected
    summary.batches += reply.batches_committed
    summary.rejected_by_reason.update(dict(reply.rejected_by_reason))
    summary.uncounted_by_reason.update(dict(reply.uncounted_by_reason))
    for rejection in reply.rejections[: MAX_REJECTIONS - len(summary.rejections)]:
        # The server counts positions from the start of its call; make them file-wide.
        shifted = metrics_pb2.Rejection()
        shifted.CopyFrom(rejection)
        shifted.index += offset
        summary.rejections.append(shifted)


def stream_events(
    stub: metrics_pb2_grpc.MetricsServiceStub,
    source: str,
    events: Iterable[events_pb2.Event],
    *,
    batch_size: int = DEFAULT_BATCH,
    batches_per_call: int = DEFAULT_BATCHES_PER_CALL,
    retry: RetryPolicy | None = None,
    progress: Callable[[int], None] | None = None,
    on_retry: Callable[[int, grpc.RpcError, float], None] | None = None,
    timeout: float | None = None,
) -> IngestSummary:
    """Send every event, a segment per call, resuming after UNAVAILABLE; sum the replies.

    ``on_retry(position, error, delay)`` is told before each wait (for the CLI's output).
    Any other error, or UNAVAILABLE for longer than ``retry.retry_for``, is raised.
    """
    retry = retry or RetryPolicy()
    summary = IngestSummary()
    batches = _batches(source, events, batch_size, summary, progress)
    position = 0  # events acknowledged so far
    while True:
        segment = _Segment(batches, batches_per_call)
        if not segment.prime():
            return summary
        attempt = 0
        give_up_at = time.monotonic() + retry.retry_for
        while True:
            try:
                reply = stub.IngestEvents(segment.attempt(), timeout=timeout)
                break
            except grpc.RpcError as exc:
                attempt += 1
                delay = retry.backoff(attempt)
                if exc.code() != grpc.StatusCode.UNAVAILABLE or (
                    time.monotonic() + delay > give_up_at
                ):
                    raise
                if on_retry:
                    on_retry(position, exc, delay)
                summary.retries += 1
                summary.resumed_at.append(position)
                time.sleep(delay)  # back off before reconnecting
        _add(summary, reply, position)
        position += segment.events
