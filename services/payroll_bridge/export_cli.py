"""``ccperf payroll export``: a batch as a file, for payroll systems that take files.

It pulls the batch the way payroll does (``GetBatch`` then ``StreamBatchLines``)
and writes one row per line; the batch's content hash is written beside the
lines (the CSV's last comment line, the JSON's header) so the importer can
acknowledge the batch it took. With ``--acknowledge`` it also acknowledges
with that hash, as the payroll system would after loading the file.
"""

from __future__ import annotations

import csv
import json
import sys
from typing import IO, Any

import click
import grpc

from ccperf.payroll.v1 import payroll_pb2 as pb
from ccperf.payroll.v1 import payroll_pb2_grpc
from services.common.auth import Role
from services.common.errors import Unauthenticated
from services.common.grpc_client import authorized_channel, cli_token
from services.common.periods import Granularity, Period
from services.common.settings import Settings
from services.payroll_bridge.service import batch_id_for

FIELDS = ("line_id", "line_no", "employee_id", "kind", "reference", "currency", "amount",
          "original_line_id")  # fmt: skip


def _row(line: pb.BatchLine) -> dict[str, Any]:
    return {
        "line_id": line.id,
        "line_no": line.line_no,
        "employee_id": line.employee_id,
        "kind": pb.LineKind.Name(line.kind).removeprefix("LINE_KIND_").lower(),
        "reference": line.reference,
        "currency": line.amount.currency_code,
        "amount": line.amount.amount,  # decimal text, exactly as the batch holds it
        "original_line_id": line.original_line_id,
    }


def _header(batch: pb.Batch) -> dict[str, Any]:
    return {
        "batch_id": batch.id,
        "period": batch.period.value,
        "content_hash": batch.content_hash,
        "line_count": batch.line_count,
        "totals": {t.currency_code: t.amount for t in batch.totals},
    }


def write_export(batch: pb.Batch, lines: list[pb.BatchLine], output: str, out: IO[str]) -> None:
    rows = [_row(line) for line in lines]
    if output == "json":
        json.dump({"batch": _header(batch), "lines": rows}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    totals = " ".join(f"{t.currency_code} {t.amount}" for t in batch.totals)
    out.write(f"# batch {batch.id} lines {batch.line_count} total {totals} "
              f"sha256 {batch.content_hash}\n")  # fmt: skip


@click.group("payroll")
def payroll_group() -> None:
    """Payroll batches as files."""


@payroll_group.command("export")
@click.option("--period", required=True, help="the batched month (2026-10) or year (2026)")
@click.option("--format", "output", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)  # fmt: skip
@click.option("--output", "path", type=click.Path(dir_okay=False, writable=True),
              help="file to write (default: standard output)")  # fmt: skip
@click.option("--acknowledge", is_flag=True, help="acknowledge the batch after writing it")
@click.option("--target", help="payroll service host:port (default from settings)")
@click.option("--token", help="bearer token (or CCPERF_TOKEN; dev mints a payroll token)")
def export_command(
    *, period: str, output: str, path: str | None, acknowledge: bool, target: str | None,
    token: str | None,
) -> None:  # fmt: skip
    """Write a period's batch as CSV or JSON."""
    try:
        parsed = Period.parse(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from exc
    if parsed.granularity not in (Granularity.MONTH, Granularity.YEAR):
        raise click.BadParameter("a batch is for a month or a year", param_hint="--period")
    settings = Settings.from_env()
    try:
        bearer = cli_token(settings, token, "ccperf-payroll-export", Role.PAYROLL)
    except Unauthenticated as exc:
        raise click.ClickException(exc.message) from exc
    batch_id = batch_id_for(parsed)
    with authorized_channel(target or settings.target("payroll"), bearer) as channel:
        stub = payroll_pb2_grpc.PayrollBridgeServiceStub(channel)  # type: ignore[no-untyped-call]
        try:
            batch = stub.GetBatch(pb.GetBatchRequest(batch_id=batch_id)).batch
            lines = [
                line
                for part in stub.StreamBatchLines(pb.StreamBatchLinesRequest(batch_id=batch_id))
                for line in part.lines
            ]
            if path:
                with open(path, "w", encoding="utf-8", newline="") as file:
                    write_export(batch, lines, output, file)
            else:
                write_export(batch, lines, output, sys.stdout)
            if acknowledge:
                stub.AcknowledgeBatch(
                    pb.AcknowledgeBatchRequest(batch_id=batch_id, content_hash=batch.content_hash)
                )
        except grpc.RpcError as exc:  # show the status, not a trace
            raise click.ClickException(f"{exc.code().name}: {exc.details()}") from exc
    if path:
        done = "; acknowledged" if acknowledge else ""
        click.echo(f"{batch_id}: {len(lines)} lines written to {path}{done}", err=True)
