"""``ccperf import``: send a queue_log or CSV file through the real ``IngestEvents`` stream.

The importers only parse; every event is validated and stored by the metrics
service, exactly as events from any other client. Re-importing a file is safe:
event ids are derived from the file's content, so the second run finds
duplicates only.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
import grpc

from ccperf.metrics.v1 import events_pb2, metrics_pb2_grpc
from services.common.auth import Role
from services.common.errors import Unauthenticated
from services.common.grpc_client import authorized_channel, cli_token
from services.common.settings import Settings
from services.metrics.ingest_client import (
    DEFAULT_BATCH,
    DEFAULT_BATCHES_PER_CALL,
    IngestSummary,
    RetryPolicy,
    stream_events,
)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise click.BadParameter(f"{name!r} is not an IANA time zone name") from exc


class _ByteProgress:
    """Counts bytes of lines as they are read, for a progress bar over the file size."""

    def __init__(self, stream: IO[str], bar: Any) -> None:
        self._stream = stream
        self._bar = bar

    def __iter__(self) -> Iterator[str]:
        for line in self._stream:
            self._bar.update(len(line.encode()))
            yield line


def _send(
    ctx_settings: Settings,
    *,
    target: str | None,
    token: str | None,
    source: str,
    events: Iterable[events_pb2.Event],
    batch_size: int,
    batches_per_call: int,
    retry_for: float,
) -> IngestSummary:
    address = target or ctx_settings.target("metrics")
    try:
        bearer = cli_token(ctx_settings, token, "ccperf-import", Role.INGEST)
    except Unauthenticated as exc:
        raise click.ClickException(exc.message) from exc
    with authorized_channel(address, bearer) as channel:
        stub = metrics_pb2_grpc.MetricsServiceStub(channel)  # type: ignore[no-untyped-call]
        return stream_events(
            stub, source, events, batch_size=batch_size, batches_per_call=batches_per_call,
            retry=RetryPolicy(retry_for=retry_for), on_retry=_report_retry,
        )  # fmt: skip


def _report_retry(position: int, error: grpc.RpcError, delay: float) -> None:
    click.echo(f"\n{error.code().name} ({error.details()}): resuming from event "
               f"{position:,} in {delay:.1f} s", err=True)  # fmt: skip


def _print_summary(read_label: str, read: int, summary: IngestSummary) -> None:
    click.echo(f"{read_label}: {read:,}")
    click.echo(f"events sent: {summary.sent:,} in {summary.batches:,} batches")
    if summary.retries:
        click.echo(f"resumed {summary.retries:,} times after UNAVAILABLE, from events "
                   f"{', '.join(f'{p:,}' for p in summary.resumed_at)}")  # fmt: skip
    click.echo(f"accepted: {summary.accepted:,}  duplicate: {summary.duplicate:,}  "
               f"rejected: {summary.rejected:,}")  # fmt: skip
    for reason, count in summary.rejected_by_reason.most_common():
        click.echo(f"  rejected {count:>7,}  {reason}")
    for rejection in summary.rejections[:10]:
        click.echo(
            f"  e.g. event #{rejection.index} {rejection.event_id}: "
            f"{rejection.field} {rejection.reason}"
        )


@click.group("import")
def import_group() -> None:
    """Import call-center data files through the metrics service's ingestion stream."""


common_options = [
    click.option("--target", help="metrics service host:port (default from settings)"),
    click.option("--token", help="bearer token with the ingest role (or CCPERF_TOKEN)"),
    click.option("--batch-size", default=DEFAULT_BATCH, show_default=True),
    click.option("--batches-per-call", default=DEFAULT_BATCHES_PER_CALL, show_default=True,
                 help="batches per IngestEvents call: the server acknowledges each call, and "
                      "an import cut off resumes after the last acknowledged one"),
    click.option("--retry-for", default=120.0, show_default=True,
                 help="seconds to keep retrying (with backoff) while the service is "
                      "UNAVAILABLE; 0 fails at once"),
]  # fmt: skip


def _with_common(fn: Any) -> Any:
    for option in reversed(common_options):
        fn = option(fn)
    return fn


@import_group.command("queue-log")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agent-map", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with columns queue_log_agent,employee_id")  # fmt: skip
@click.option("--timezone", "timezone_name", default=None,
              help="the center's IANA time zone (default CCPERF_TIMEZONE)")  # fmt: skip
@click.option("--source", default=None, help="source name (default queue_log:<file name>)")
@_with_common
def import_queue_log(
    *,
    path: Path,
    agent_map: Path | None,
    timezone_name: str | None,
    source: str | None,
    target: str | None,
    token: str | None,
    batch_size: int,
    batches_per_call: int,
    retry_for: float,
) -> None:
    """Import an Asterisk queue_log into calls and agent states."""
    from services.metrics.importers.queue_log import QueueLogReader, load_agent_map  # noqa: PLC0415

    settings = Settings.from_env()
    zone = _zone(timezone_name or settings.timezone)
    try:
        mapping = load_agent_map(agent_map) if agent_map else {}
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--agent-map") from exc
    reader = QueueLogReader(timezone=zone, agent_map=mapping)
    with (
        path.open(encoding="utf-8", errors="replace") as stream,
        click.progressbar(
            length=path.stat().st_size, label="reading queue_log", file=sys.stderr
        ) as bar,  # fmt: skip
    ):
        events = reader.events(_ByteProgress(stream, bar))
        summary = _send(
            settings, target=target, token=token, source=source or f"queue_log:{path.name}",
            events=events, batch_size=batch_size, batches_per_call=batches_per_call,
            retry_for=retry_for,
        )  # fmt: skip
    result = reader.result()
    _print_summary("lines read", result.lines_read, summary)
    if result.malformed:
        click.echo(f"malformed lines: {len(result.malformed):,}")
        for line, reason in result.malformed[:10]:
            click.echo(f"  line {line}: {reason}")
    for event, count in sorted(result.skipped_events.items()):
        click.echo(f"skipped {event}: {count:,}")
    for event, count in sorted(result.unmatched_events.items()):
        click.echo(f"unmatched {event}: {count:,}")
    if result.unmapped_agents:
        click.echo(f"agents not in the agent map (kept under their queue_log names): "
                   f"{', '.join(result.unmapped_agents)}")  # fmt: skip
    if result.open_calls:
        click.echo(f"calls without a terminal event (not imported): {len(result.open_calls):,}")
        for call in result.open_calls[:10]:
            click.echo(f"  {call.call_id} in {call.queue}: last {call.last_event} "
                       f"at {call.last_event_at.isoformat()}")  # fmt: skip
    if result.open_states:
        click.echo(f"sessions or pauses still open at the end (not imported): "
                   f"{len(result.open_states):,}")  # fmt: skip


@import_group.command("csv")
@click.option("--kind", required=True, help="event kind, e.g. call, survey, hr_fact")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--timezone", "timezone_name", default=None,
              help="zone of times without an offset (default CCPERF_TIMEZONE)")  # fmt: skip
@click.option("--source", default=None, help="source name (default csv:<kind>:<file name>)")
@_with_common
def import_csv(
    *,
    kind: str,
    path: Path,
    timezone_name: str | None,
    source: str | None,
    target: str | None,
    token: str | None,
    batch_size: int,
    batches_per_call: int,
    retry_for: float,
) -> None:
    """Import a CSV file of one event kind (columns: see docs/csv-import.md)."""
    from services.metrics.importers.csv_events import EVENT_KINDS, read_csv_events  # noqa: PLC0415

    if kind not in EVENT_KINDS:
        raise click.BadParameter(f"choose one of {', '.join(EVENT_KINDS)}", param_hint="--kind")
    settings = Settings.from_env()
    zone = _zone(timezone_name or settings.timezone)
    bad_rows: list[tuple[int, str]] = []
    rows_read = 0

    def good_events(rows: Iterable[Any]) -> Iterator[events_pb2.Event]:
        nonlocal rows_read
        for row in rows:
            rows_read += 1
            if row.event is not None:
                yield row.event
            else:
                bad_rows.append((row.line, row.error or "malformed"))

    # Bytes that are not UTF-8 make their row malformed (reported with its line), not the file.
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as stream:
        try:
            # The header is checked here, before anything is sent.
            events = good_events(read_csv_events(stream, kind, timezone=zone))
            with click.progressbar(events, label=f"importing {kind}", file=sys.stderr) as bar:
                summary = _send(
                    settings, target=target, token=token,
                    source=source or f"csv:{kind}:{path.name}", events=bar, batch_size=batch_size,
                    batches_per_call=batches_per_call, retry_for=retry_for,
                )  # fmt: skip
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    _print_summary("rows read", rows_read, summary)
    if bad_rows:
        click.echo(f"malformed rows (not sent): {len(bad_rows):,}")
        for line, reason in bad_rows[:10]:
            click.echo(f"  line {line}: {reason}")
