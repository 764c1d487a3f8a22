"""``ccperf.metrics.v1.MetricsService``: maps protobuf to the metrics use cases."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import grpc

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from services.common.auth import ANY_ROLE, Role, current_principal
from services.common.db import UnitOfWork
from services.common.errors import InvalidArgument, Violations
from services.common.grpc_server import ServiceRegistration, run_blocking
from services.common.observability import INGESTED_EVENTS
from services.common.pagination import next_page_token, parse_page
from services.common.periods import Granularity, Period
from services.common.protoconv import (
    read_date,
    read_key,
    read_period,
    read_text,
    write_date,
    write_enum,
)
from services.common.settings import Settings
from services.metrics import audit, definitions, department_kpis, ingest, kpis, quality
from services.metrics.definitions import DefinitionVersion
from services.metrics.domain.catalog import CATALOG, KpiDefinition, KpiValue, Unit
from services.metrics.event_rows import caller_hasher, event_to_row
from services.metrics.measures_query import Subject

SERVICE_NAME = metrics_pb2.DESCRIPTOR.services_by_name["MetricsService"].full_name
MAX_BATCH_EVENTS = 10_000
MAX_LISTED_REJECTIONS = 100
MAX_KPI_CODES = 100  # the catalog has fewer; a code named twice counts twice
MAX_SUBJECT_IDS = 10_000

ACCESS: dict[str, frozenset[Role]] = {
    "IngestEvents": frozenset({Role.INGEST, Role.HRIS}),
    "ListKpiDefinitions": ANY_ROLE,
    # Employees read their own scorecard, supervisors their reports': checked per subject.
    "GetScorecard": ANY_ROLE,
    "ExplainKpiValue": ANY_ROLE,
    "ListKpiValues": kpis.KPI_READERS,
    "GetDataQualityReport": kpis.KPI_READERS,
    # The performance management group (绩效考核管理小组) owns the KPI scheme.
    "UpdateKpiDefinition": frozenset({Role.PERF_ADMIN}),
    "RecomputePeriod": frozenset({Role.PERF_ADMIN}),
    "SetDepartmentKpis": frozenset({Role.PERF_ADMIN}),
    "GetDepartmentKpis": ANY_ROLE,
}
LEVELS = {
    metrics_pb2.SUBJECT_LEVEL_AGENT: "agent",
    metrics_pb2.SUBJECT_LEVEL_TEAM: "team",
    metrics_pb2.SUBJECT_LEVEL_DEPARTMENT: "department",
    metrics_pb2.SUBJECT_LEVEL_CENTER: "center",
}
LEVEL_NUMBERS = {name: number for number, name in LEVELS.items()}


def _subject(msg: Any, field: str, v: Violations) -> Subject | None:
    level = LEVELS.get(msg.level)
    if level is None:
        v.add(f"{field}.level", "must be agent, team, department or center")
        return None
    read_key(msg.id, f"{field}.id", v, required=level != "center")
    return Subject(level, msg.id or "*")


def _read_codes(codes: Sequence[str], v: Violations) -> None:
    """A bounded list of KPI codes (whether each is in the catalog is checked later)."""
    if len(codes) > MAX_KPI_CODES:
        v.add("kpis", f"at most {MAX_KPI_CODES} KPI codes")


def _value_to_proto(subject: Subject, period: Period, value: KpiValue, version: int) -> Any:
    msg = metrics_pb2.KpiValue(
        kpi=value.code,
        subject=metrics_pb2.Subject(level=LEVEL_NUMBERS[subject.level], id=subject.id),
        period=common_pb2.Period(value=str(period)),
        numerator=value.numerator,
        denominator=value.denominator,
        unit=write_enum(value.unit, metrics_pb2.KpiUnit),
        definition_version=version,
    )
    if value.value is not None:
        msg.value = value.value
    return msg


@cache
def _unit_number(unit: Unit) -> int:
    return int(write_enum(unit, metrics_pb2.KpiUnit))


def _matrix_entry(entry: department_kpis.MatrixEntry) -> Any:
    return metrics_pb2.DepartmentKpi(kpi=entry.kpi, weight=entry.weight, target=entry.target)


def _definition_to_proto(d: KpiDefinition, version: DefinitionVersion) -> Any:
    msg = metrics_pb2.KpiDefinition(
        code=d.code,
        name_zh=d.name_zh,
        name_en=d.name_en,
        unit=write_enum(d.unit, metrics_pb2.KpiUnit),
        direction=write_enum(d.direction, metrics_pb2.KpiDirection),
        formula=d.formula,
        measures=[str(m) for m in d.measures],
        parameters=dict(version.parameters),
        owners=list(d.owners),
        levels=[LEVEL_NUMBERS[str(level)] for level in d.levels],
        description=d.description,
        version=version.version,
        effective_from=write_date(version.effective_from),
    )
    if version.target is not None:
        msg.target = version.target
    return msg


def _reason_class(field: str, reason: str) -> str:
    """Group rejections: drop list indexes and numbers so the reasons count up."""
    return re.sub(r"\[\d+\]", "[]", field) + ": " + re.sub(r"-?\d+(\.\d+)?", "N", reason)


class MetricsServicer(metrics_pb2_grpc.MetricsServiceServicer):
    def __init__(
        self, uow_factory: Callable[[], UnitOfWork], settings: Settings, refresh: Callable[[], int]
    ) -> None:
        self._uow = uow_factory
        self._refresh = refresh
        self._hash_caller = caller_hasher(settings.caller_hash_key.encode())
        self._timezone = ZoneInfo(settings.timezone)

    async def IngestEvents(self, requests: AsyncIterator[Any], context: Any) -> Any:
        # Async so an open stream waiting for its next batch holds no worker thread;
        # validating and storing a batch are blocking and run on the executor.
        response = metrics_pb2.IngestEventsResponse()
        by_reason: Counter[str] = Counter()
        async with BatchWriter(self._uow, self._timezone) as writer:
            index = 0
            async for request in requests:
                rows_by_kind, rejected, index = await run_blocking(
                    self._validate_batch, request, response, by_reason, index
                )
                await writer.submit(request.source, rows_by_kind, rejected)
        for outcomes in writer.results:
            for kind, outcome in outcomes.items():
                response.accepted += outcome.accepted
                response.duplicate += outcome.duplicate
                for reason, events in outcome.uncounted.items():
                    response.uncounted_by_reason[reason] += events
                INGESTED_EVENTS.labels(kind, "accepted").inc(outcome.accepted)
                INGESTED_EVENTS.labels(kind, "duplicate").inc(outcome.duplicate)
        response.batches_committed = len(writer.results)
        response.rejected_by_reason.update(by_reason)
        return response

    def _validate_batch(
        self, request: Any, response: Any, by_reason: Counter[str], index: int
    ) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Counter[str]], int]:
        """One batch's rows by kind and rejections; ``index`` counts events in the stream."""
        v = Violations()
        read_text(request.source, "source", v, max_length=100)
        if len(request.events) > MAX_BATCH_EVENTS:
            v.add("events", f"at most {MAX_BATCH_EVENTS} events per batch")
        v.raise_if_any()
        rows_by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
        rejected: dict[str, Counter[str]] = defaultdict(Counter)
        for event in request.events:
            kind, row, problems = event_to_row(event, self._hash_caller)
            if problems:
                reason = self._reject(
                    response, by_reason, index,
                    event_id=event.event_id, kind=kind, first=problems[0],
                )  # fmt: skip
                rejected[kind or "unknown"][reason] += 1
            else:
                rows_by_kind[kind].append(row)
            index += 1
        return rows_by_kind, rejected, index

    def ListKpiDefinitions(self, request: Any, context: grpc.ServicerContext) -> Any:
        page = parse_page(request.page_size, request.page_token, [])
        codes = sorted(code for code in CATALOG if page.after is None or code > page.after)
        chosen = codes[: page.size]
        more = len(codes) > page.size
        today = dt.datetime.now(self._timezone).date()
        with self._uow() as uow:
            versions = definitions.in_force(uow.session, chosen, today)
        return metrics_pb2.ListKpiDefinitionsResponse(
            definitions=[_definition_to_proto(CATALOG[c], versions[c]) for c in chosen],
            next_page_token=next_page_token(chosen[-1], []) if more else "",
        )

    def _read_scope(self, request: Any, kpis: Sequence[str] = ()) -> tuple[Subject, Period]:
        v = Violations()
        subject = _subject(request.subject, "subject", v)
        period = read_period(request.period.value, "period.value", v)
        _read_codes(kpis, v)
        v.raise_if_any()
        assert subject is not None and period is not None
        return subject, period

    def GetScorecard(self, request: Any, context: grpc.ServicerContext) -> Any:
        subject, period = self._read_scope(request, request.kpis)
        card = kpis.scorecard(
            self._uow(), self._refresh, current_principal(), subject, period, list(request.kpis)
        )
        text = str(period)
        reply = metrics_pb2.GetScorecardResponse(
            subject=request.subject, period=common_pb2.Period(value=text)
        )
        # Built in place (as ListKpiValues does): nested messages made apart and copied in
        # cost a good part of a scorecard's CPU.
        add, level = reply.values.add, LEVEL_NUMBERS[subject.level]
        for value in card.values:
            msg = add(
                kpi=value.code, numerator=value.numerator, denominator=value.denominator,
                unit=_unit_number(value.unit),
                definition_version=card.versions[value.code].version,
                weight=card.weights.get(value.code, 0.0),
            )  # fmt: skip
            msg.subject.level = level
            msg.subject.id = subject.id
            msg.period.value = text
            if value.value is not None:
                msg.value = value.value
            if value.code in card.targets:
                msg.target = card.targets[value.code]
            score = card.scores.get(value.code)
            if score is not None:
                msg.score = score
        if card.weighted_score is not None:
            reply.weighted_score = card.weighted_score
        return reply

    def SetDepartmentKpis(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.org_unit_id, "org_unit_id", v)
        for i, entry in enumerate(request.kpis):
            read_key(entry.kpi, f"kpis[{i}].kpi", v)
        v.raise_if_any()
        entries = department_kpis.set_matrix(
            self._uow(), current_principal(), request.org_unit_id,
            [department_kpis.MatrixEntry(e.kpi, e.weight, e.target) for e in request.kpis],
        )  # fmt: skip
        return metrics_pb2.SetDepartmentKpisResponse(kpis=[_matrix_entry(e) for e in entries])

    def GetDepartmentKpis(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.org_unit_id, "org_unit_id", v)
        v.raise_if_any()
        entries = department_kpis.get_matrix(self._uow(), request.org_unit_id)
        return metrics_pb2.GetDepartmentKpisResponse(kpis=[_matrix_entry(e) for e in entries])

    def ExplainKpiValue(self, request: Any, context: grpc.ServicerContext) -> Any:
        subject, period = self._read_scope(request)
        if not request.kpi:
            raise InvalidArgument.field("kpi", "is required")
        definition, value, version, sources = kpis.explain(
            self._uow(), self._refresh, current_principal(), subject, period, request.kpi,
            timezone=self._timezone,
        )  # fmt: skip
        return metrics_pb2.ExplainKpiValueResponse(
            value=_value_to_proto(subject, period, value, version.version),
            formula=definition.formula,
            measures={str(name): amount for name, amount in value.measures.items()},
            parameters=dict(value.parameters),
            description=definition.description,
            sources=[
                metrics_pb2.SourceCount(source=source, kind=kind, events=events)
                for source, kind, events in sources
            ],
        )

    def ListKpiValues(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        level = LEVELS.get(request.level)
        if level not in ("agent", "team", "department"):
            v.add("level", "must be agent, team or department (GetScorecard for the center)")
        period = read_period(request.period.value, "period.value", v)
        _read_codes(request.kpis, v)
        if len(request.subject_ids) > MAX_SUBJECT_IDS:
            v.add("subject_ids", f"at most {MAX_SUBJECT_IDS} ids")
        else:
            for i, subject_id in enumerate(request.subject_ids):
                read_key(subject_id, f"subject_ids[{i}]", v)
        v.raise_if_any()
        assert period is not None and level is not None
        filters = [level, str(period), sorted(request.kpis), sorted(request.subject_ids)]
        page = parse_page(request.page_size, request.page_token, filters)
        codes, ids = list(request.kpis), list(request.subject_ids)
        if level == "agent":
            result = kpis.agent_values(
                self._uow(), self._refresh, period, codes, ids, page, filters
            )
        else:
            result = kpis.unit_values(
                self._uow(), self._refresh, level, period, codes, ids, page, filters
            )
        # Built in place: an all-agents month is ~100k values, and nested messages made
        # separately and copied in cost twice as much.
        reply = metrics_pb2.ListKpiValuesResponse(next_page_token=result.next_page_token)
        add, text = reply.values.add, str(period)
        level_number = LEVEL_NUMBERS[level]
        columns = [
            (c.code, write_enum(c.unit, metrics_pb2.KpiUnit), c.version, c.numerators,
             c.denominators, c.values)
            for c in result.kpis
        ]  # fmt: skip
        for i, agent in enumerate(result.agents):
            for code, unit, version, numerators, denominators, values in columns:
                msg = add(
                    kpi=code, numerator=numerators[i], denominator=denominators[i], unit=unit,
                    definition_version=version,
                )  # fmt: skip
                value = values[i]
                if value is not None:
                    msg.value = value
                msg.subject.level = level_number
                msg.subject.id = agent
                msg.period.value = text
        return reply

    def UpdateKpiDefinition(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.code, "code", v)
        start = read_date(request.effective_from, "effective_from", v, required=True)
        read_text(request.reason, "reason", v, max_length=500)
        v.raise_if_any()
        assert start is not None
        version = definitions.update(
            self._uow(), current_principal(), code=request.code,
            parameters=dict(request.parameters),
            target=request.target if request.HasField("target") else None,
            effective_from=start, expected_version=request.expected_version,
            reason=request.reason,
        )  # fmt: skip
        return metrics_pb2.UpdateKpiDefinitionResponse(
            definition=_definition_to_proto(CATALOG[request.code], version)
        )

    def RecomputePeriod(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        period = read_period(request.period.value, "period.value", v)
        v.raise_if_any()
        assert period is not None
        audit.recompute_period(self._uow(), current_principal(), period)
        return metrics_pb2.RecomputePeriodResponse(days_rebuilt=self._refresh())

    def GetDataQualityReport(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        period = read_period(request.period.value, "period.value", v)
        if period is not None and period.granularity is Granularity.DAY:
            v.add("period.value", "must be a month, quarter or year")
        v.raise_if_any()
        assert period is not None
        deadline, rows = quality.data_quality(self._uow(), period, self._timezone)
        return metrics_pb2.GetDataQualityReportResponse(
            period=common_pb2.Period(value=str(period)),
            deadline=write_date(deadline),
            sources=[
                metrics_pb2.SourceQuality(
                    source=r.source, kind=r.kind, events=r.events,
                    days_without_data=[write_date(day) for day in r.days_without_data],
                    late_events=r.late_events, duplicates=r.duplicates, rejected=r.rejected,
                    rejected_by_reason=dict(r.rejected_by_reason),
                    calls_without_end=r.calls_without_end, uncounted=r.uncounted,
                    uncounted_by_reason=dict(r.uncounted_by_reason),
                )
                for r in rows
            ],
        )  # fmt: skip

    @staticmethod
    def _reject(
        response: Any, by_reason: Counter[str], index: int, *, event_id: str, kind: str, first: Any
    ) -> str:
        response.rejected += 1
        reason = _reason_class(first.field, first.reason)
        by_reason[reason] += 1
        INGESTED_EVENTS.labels(kind or "unknown", "rejected").inc()
        if len(response.rejections) < MAX_LISTED_REJECTIONS:
            response.rejections.add(
                index=index, event_id=event_id[:200], field=first.field, reason=first.reason
            )
        return reason


_Batch = tuple[str, dict[str, list[dict[str, Any]]], Mapping[str, Mapping[str, int]]]


class BatchWriter:
    """Stores batches in a task of its own while the next batch is being validated.

    Validation is Python work and storing is mostly waiting on Postgres, so the two
    overlap (each on an executor thread). Batches are committed strictly in order,
    each in its own transaction; the first failure stops the writer and is raised to
    the stream's handler. ``depth`` batches wait at most, so a fast client is paced.
    """

    def __init__(
        self, uow_factory: Callable[[], UnitOfWork], timezone: ZoneInfo, depth: int = 2
    ) -> None:
        self._uow = uow_factory
        self._timezone = timezone
        self._queue: asyncio.Queue[_Batch | None] = asyncio.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self.results: list[dict[str, ingest.KindOutcome]] = []
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> BatchWriter:
        # The task copies the call's context: its log keys and the server's executor.
        self._task = asyncio.create_task(self._run())
        return self

    async def submit(
        self,
        source: str,
        rows_by_kind: dict[str, list[dict[str, Any]]],
        rejected: Mapping[str, Mapping[str, int]] | None = None,
    ) -> None:
        self._raise_if_failed()
        await self._queue.put((source, rows_by_kind, rejected or {}))

    def _store(self, source: str, rows: Any, rejected: Any) -> dict[str, ingest.KindOutcome]:
        return ingest.store_batch(
            self._uow(), source, rows, timezone=self._timezone, rejected=rejected
        )

    async def _run(self) -> None:
        while (item := await self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain: the stream is failing anyway
            try:
                self.results.append(await run_blocking(self._store, *item))
            except Exception as exc:  # handed to the stream's handler
                self._error = exc

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self._task is not None
        if isinstance(exc, asyncio.CancelledError):
            self._task.cancel()  # the call is gone; a batch being stored still commits
            return
        await self._queue.put(None)
        await self._task
        if exc is None:
            self._raise_if_failed()


def registration(
    uow_factory: Callable[[], UnitOfWork], settings: Settings, *, refresh: Callable[[], int]
) -> ServiceRegistration:
    servicer = MetricsServicer(uow_factory, settings, refresh)
    return ServiceRegistration(
        full_name=SERVICE_NAME,
        # generated *_grpc.py has no type stubs
        add_to_server=lambda server: metrics_pb2_grpc.add_MetricsServiceServicer_to_server(  # type: ignore[no-untyped-call]
            servicer, server
        ),
        access=ACCESS,
    )
