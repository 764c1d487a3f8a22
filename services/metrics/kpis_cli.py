"""``ccperf kpis``: KPI values from the metrics service as a table, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from typing import Any

import click
import grpc

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from services.common.auth import Role
from services.common.errors import Unauthenticated
from services.common.grpc_client import authorized_channel, cli_token
from services.common.periods import Period
from services.common.settings import Settings

LEVELS = {
    "agent": metrics_pb2.SUBJECT_LEVEL_AGENT,
    "team": metrics_pb2.SUBJECT_LEVEL_TEAM,
    "department": metrics_pb2.SUBJECT_LEVEL_DEPARTMENT,
    "center": metrics_pb2.SUBJECT_LEVEL_CENTER,
}
FIELDS = ("subject", "level", "period", "kpi", "value", "numerator", "denominator", "unit")


def _rows(values: Any, level: str) -> Iterator[dict[str, Any]]:
    for v in values:
        yield {
            "subject": v.subject.id,
            "level": level,
            "period": v.period.value,
            "kpi": v.kpi,
            "value": v.value if v.HasField("value") else None,
            "numerator": v.numerator,
            "denominator": v.denominator,
            "unit": metrics_pb2.KpiUnit.Name(v.unit).removeprefix("KPI_UNIT_").lower(),
        }


def _fetch(
    stub: metrics_pb2_grpc.MetricsServiceStub,
    level: str,
    subject: str | None,
    period: str,
    kpis: list[str],
) -> list[dict[str, Any]]:
    if level == "agent" and not subject:
        rows: list[dict[str, Any]] = []
        request = metrics_pb2.ListKpiValuesRequest(
            level=LEVELS["agent"], period=common_pb2.Period(value=period), kpis=kpis,
            page_size=500,
        )  # fmt: skip
        while True:
            reply = stub.ListKpiValues(request)
            rows += _rows(reply.values, level)
            if not reply.next_page_token:
                return rows
            request.page_token = reply.next_page_token
    reply = stub.GetScorecard(
        metrics_pb2.GetScorecardRequest(
            subject=metrics_pb2.Subject(level=LEVELS[level], id=subject or ""),
            period=common_pb2.Period(value=period), kpis=kpis,
        )
    )  # fmt: skip
    return list(_rows(reply.values, level))


def _print_table(rows: list[dict[str, Any]]) -> None:
    def fmt(value: Any) -> str:
        if value is None:
            return "–"
        return f"{value:,.2f}" if isinstance(value, float) else str(value)

    headers = ("subject", "kpi", "value", "unit", "numerator", "denominator")
    table = [[fmt(row[h]) for h in headers] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    for r in table:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


@click.command("kpis")
@click.option("--period", required=True, help="2026-10-07, 2026-10, 2026-Q4 or 2026")
@click.option("--level", type=click.Choice(list(LEVELS)), default="center", show_default=True)
@click.option("--subject", help="employee or org unit id (all agents when omitted at agent level)")
@click.option("--kpi", "kpis", multiple=True, help="KPI code (repeatable); default all")
@click.option("--format", "output", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)  # fmt: skip
@click.option("--target", help="metrics service host:port (default from settings)")
@click.option("--token", help="bearer token (or CCPERF_TOKEN; dev mints an HR token)")
def kpis_command(
    *,
    period: str,
    level: str,
    subject: str | None,
    kpis: tuple[str, ...],
    output: str,
    target: str | None,
    token: str | None,
) -> None:
    """Print KPI values for a subject (or every agent) and a period."""
    try:
        canonical = str(Period.parse(period))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from exc
    if level in ("team", "department") and not subject:
        raise click.BadParameter(f"a {level} needs --subject", param_hint="--subject")
    settings = Settings.from_env()
    try:
        bearer = cli_token(settings, token, "ccperf-kpis", Role.HR)
    except Unauthenticated as exc:
        raise click.ClickException(exc.message) from exc
    with authorized_channel(target or settings.target("metrics"), bearer) as channel:
        stub = metrics_pb2_grpc.MetricsServiceStub(channel)  # type: ignore[no-untyped-call]
        try:
            rows = _fetch(stub, level, subject, canonical, list(kpis))
        except grpc.RpcError as exc:  # show the status, not a trace
            raise click.ClickException(f"{exc.code().name}: {exc.details()}") from exc
    if output == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif output == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    else:
        _print_table(rows)
