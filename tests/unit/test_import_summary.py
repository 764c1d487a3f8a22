"""The ``ccperf import`` summary and exit status, from fake service answers (no I/O)."""

from __future__ import annotations

from collections.abc import Iterator

from ccperf.metrics.v1 import events_pb2, metrics_pb2
from services.metrics.domain.measures import UNPLACED_LEFT_QUEUE
from services.metrics.import_cli import LocalReport, summary_lines
from services.metrics.importers.exit_status import EXIT_MEANINGS, ImportExit, import_exit
from services.metrics.ingest_client import IngestSummary, stream_events

UNPLACED = "call.ended_at: unset, and no wait_seconds to place when it left the queue"
NO_WAIT = UNPLACED_LEFT_QUEUE


class FakeStub:
    """Answers each IngestEvents call with the next canned response, counting events."""

    def __init__(self, *replies: metrics_pb2.IngestEventsResponse) -> None:
        self._replies = list(replies)
        self.events = 0

    def IngestEvents(
        self, requests: Iterator[metrics_pb2.IngestEventsRequest], timeout: float | None = None
    ) -> metrics_pb2.IngestEventsResponse:
        self.events += sum(len(request.events) for request in requests)
        return self._replies.pop(0)


def calls(n: int) -> list[events_pb2.Event]:
    return [
        events_pb2.Event(event_id=f"c{i}", call=events_pb2.Call(call_id=f"c{i}")) for i in range(n)
    ]


def test_the_summary_says_how_many_accepted_events_no_kpi_counts_and_why() -> None:
    stub = FakeStub(
        metrics_pb2.IngestEventsResponse(
            accepted=2, batches_committed=2, uncounted_by_reason={UNPLACED: 1}
        ),
        metrics_pb2.IngestEventsResponse(
            accepted=2, batches_committed=2, uncounted_by_reason={UNPLACED: 2, "other": 1}
        ),
    )
    summary = stream_events(stub, "csv:call:x.csv", calls(4), batch_size=1, batches_per_call=2)  # type: ignore[arg-type]
    assert stub.events == 4
    local = LocalReport(
        "rows read", 4, "malformed rows (not sent)",
        warnings=[(2, NO_WAIT)],
    )  # fmt: skip
    assert summary_lines(local, summary) == [
        "rows read: 4",
        "events sent: 4 in 4 batches",
        "accepted: 4  duplicate: 0  rejected: 0",
        "accepted but left out of every KPI: 4 (stored; listed in GetDataQualityReport)",
        f"  uncounted      3  {UNPLACED}",
        "  uncounted      1  other",
        "warnings (sent and stored, but no KPI will count them): 1",
        f"  line 2: {NO_WAIT}",
    ]


def test_a_summary_without_problems_lists_none() -> None:
    summary = IngestSummary(sent=3, accepted=1, duplicate=2, batches=1)
    assert summary_lines(LocalReport("lines read", 3, "malformed lines"), summary) == [
        "lines read: 3",
        "events sent: 3 in 1 batches",
        "accepted: 1  duplicate: 2  rejected: 0",
    ]


def test_malformed_lines_and_rejections_are_listed_with_their_reasons() -> None:
    rejection = metrics_pb2.Rejection(index=1, event_id="c1", field="call.queue", reason="empty")
    stub = FakeStub(
        metrics_pb2.IngestEventsResponse(
            accepted=1, rejected=1, batches_committed=1, rejections=[rejection],
            rejected_by_reason={"call.queue: empty": 1},
        )
    )  # fmt: skip
    summary = stream_events(stub, "s", calls(2))  # type: ignore[arg-type]
    local = LocalReport(
        "lines read", 14, "malformed lines", [(3, f"bad time {i}") for i in range(12)]
    )
    lines = summary_lines(local, summary)
    assert lines[:6] == [
        "lines read: 14",
        "events sent: 2 in 1 batches",
        "accepted: 1  duplicate: 0  rejected: 1",
        "  rejected       1  call.queue: empty",
        "  e.g. event #1 c1: call.queue empty",
        "malformed lines: 12",
    ]
    assert len(lines) == 6 + 10  # the count is whole, the examples are the first ten


def test_exit_status_is_3_whenever_a_line_was_malformed_or_an_event_rejected() -> None:
    assert import_exit(malformed=0, rejected=0) is ImportExit.OK
    assert import_exit(malformed=1, rejected=0) is ImportExit.INCOMPLETE
    assert import_exit(malformed=0, rejected=1) is ImportExit.INCOMPLETE
    assert [int(code) for code in EXIT_MEANINGS] == [0, 1, 2, 3]
