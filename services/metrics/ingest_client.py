"""Client side of ingestion: stream events to ``IngestEvents`` in batches, sum up the answer.

Used by ``ccperf import`` and by the benchmarks. Events are produced lazily and
sent as they are read, so a file of millions of lines needs little memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ccperf.metrics.v1 import events_pb2, metrics_pb2, metrics_pb2_grpc

DEFAULT_BATCH = 10_000  # the largest batch IngestEvents takes: fixed per-batch costs amortise


@dataclass
class IngestSummary:
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    batches: int = 0
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    rejections: list[metrics_pb2.Rejection] = field(default_factory=list)


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


def stream_events(
    stub: metrics_pb2_grpc.MetricsServiceStub,
    source: str,
    events: Iterable[events_pb2.Event],
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
    timeout: float | None = None,
) -> IngestSummary:
    """Send every event in one client stream; returns the server's counts."""
    summary = IngestSummary()
    reply = stub.IngestEvents(
        _batches(source, events, batch_size, summary, progress), timeout=timeout
    )
    summary.accepted, summary.duplicate, summary.rejected = (
        reply.accepted,
        reply.duplicate,
        reply.rejected,
    )
    summary.batches = reply.batches_committed
    summary.rejected_by_reason.update(dict(reply.rejected_by_reason))
    summary.rejections = list(reply.rejections)
    return summary
