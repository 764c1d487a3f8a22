"""``ccperf import``: send a queue_log or CSV file through the real ``IngestEvents`` stream.

The importers only parse; every event is validated and stored by the metrics
service, exactly as events from any other client. Re-importing a file is safe:
event ids are derived from the file's content, so the second run finds
duplicates only.

The exit status (``services.metrics.importers.exit_status``) tells a cron job
whether anything was left behind: 3 when lines were malformed or events
rejected, even though every good event was stored.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
from services.metrics.importers.exit_status import EXIT_MEANINGS, ImportExit, import_exit
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
        try:
            return stream_events(
                stub, source, events, batch_size=batch_size, batches_per_call=batches_per_call,
                retry=RetryPolicy(retry_for=retry_for), on_retry=_report_retry,
            )  # fmt: skip
        except grpc.RpcError as exc:  # exit 1 with the status, not a traceback
            raise click.ClickException(
                f"the metrics service at {address} failed: {exc.code().name}: {exc.details()}; "
                f"batches acknowledged before stay stored, and importing again resumes safely"
            ) from exc


def _report_retry(position: int, error: grpc.RpcError, delay: float) -> None:
    click.echo(f"\n{error.code().name} ({error.details()}): resuming from event "
               f"{position:,} in {delay:.1f} s", err=True)  # fmt: skip


EXAMPLES = 10  # lines shown per list of problems; the counts are always whole


@dataclass
class LocalReport:
    """What the importer found in the file itself, beside what the service answered."""

    read_label: str  # "lines read", "rows read"
    read: int
    malformed_label: str  # how the unsent lines are named in the summary
    malformed: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    # Lines sent that the KPIs will leave out, as far as the line shows (the service's
    # uncounted_by_reason is the authoritative count).
    warnings: list[tuple[int, str]] = field(default_factory=list)


def summary_lines(local: LocalReport, summary: IngestSummary) -> list[str]:
    """The import summary: what was read, sent, stored, refused and left uncounted."""
    lines = [
        f"{local.read_label}: {local.read:,}",
        f"events sent: {summary.sent:,} in {summary.batches:,} batches",
    ]
    if summary.retries:
        lines.append(f"resumed {summary.retries:,} times after UNAVAILABLE, from events "
                     f"{', '.join(f'{p:,}' for p in summary.resumed_at)}")  # fmt: skip
    lines.append(f"accepted: {summary.accepted:,}  duplicate: {summary.duplicate:,}  "
                 f"rejected: {summary.rejected:,}")  # fmt: skip
    lines += [f"  rejected {n:>7,}  {why}" for why, n in summary.rejected_by_reason.most_common()]
    lines += [
        f"  e.g. event #{r.index} {r.event_id}: {r.field} {r.reason}"
        for r in summary.rejections[:EXAMPLES]
    ]
    if summary.uncounted:
        lines.append(f"accepted but left out of every KPI: {summary.uncounted:,} "
                     f"(stored; listed in GetDataQualityReport)")  # fmt: skip
        lines += [
            f"  uncounted {n:>6,}  {why}" for why, n in summary.uncounted_by_reason.most_common()
        ]
    lines += _by_line(f"{local.malformed_label}: {len(local.malformed):,}", local.malformed)
    lines += _by_line(
        f"warnings (sent and stored, but no KPI will count them): {len(local.warnings):,}",
        local.warnings,
    )
    return lines


def _by_line(title: str, problems: list[tuple[int, str]]) -> list[str]:
    if not problems:
        return []
    return [title, *(f"  line {line}: {reason}" for line, reason in problems[:EXAMPLES])]


def _finish(local: LocalReport, summary: IngestSummary) -> None:
    """Exit with the documented status; 3 says what was left behind."""
    status = import_exit(malformed=len(local.malformed), rejected=summary.rejected)
    if status is ImportExit.INCOMPLETE:
        click.echo(
            f"exit status {int(status)}: {len(local.malformed):,} {local.malformed_label} "
            f"not sent and {summary.rejected:,} events rejected; every other event was stored",
            err=True,
        )
    click.get_current_context().exit(int(status))


def _exit_help() -> str:
    codes = [
        textwrap.fill(meaning, 76, initial_indent=f"  {int(code)}  ", subsequent_indent="     ")
        for code, meaning in EXIT_MEANINGS.items()
    ]
    return "\b\nExit status:\n" + "\n".join(codes)  # \b: click keeps the lines as they are


@click.group("import", epilog=_exit_help())
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
    try:
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
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from exc
    result = reader.result()
    local = LocalReport("lines read", result.lines_read, "malformed lines", result.malformed)
    click.echo("\n".join(summary_lines(local, summary)))
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
    _finish(local, summary)


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
    from services.metrics.importers.csv_events import (  # noqa: PLC0415
        EVENT_KINDS,
        CsvRow,
        read_csv_events,
    )

    if kind not in EVENT_KINDS:
        raise click.BadParameter(f"choose one of {', '.join(EVENT_KINDS)}", param_hint="--kind")
    settings = Settings.from_env()
    zone = _zone(timezone_name or settings.timezone)
    local = LocalReport("rows read", 0, "malformed rows (not sent)")

    def good_events(rows: Iterable[CsvRow]) -> Iterator[events_pb2.Event]:
        for row in rows:
            local.read += 1
            if row.event is None:
                local.malformed.append((row.line, row.error or "malformed"))
                continue
            if row.warning:
                local.warnings.append((row.line, row.warning))
            yield row.event

    # Bytes that are not UTF-8 make their row malformed (reported with its line), not the file.
    try:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as stream:
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
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from exc
    click.echo("\n".join(summary_lines(local, summary)))
    _finish(local, summary)
