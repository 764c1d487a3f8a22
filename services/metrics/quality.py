"""The data-quality report of a period, per source and event kind (seed 004 §4.1).

- completeness: the days of the period with no data, for kinds that should arrive
  every day (calls, agent states, schedules, system availability);
- timeliness: events stored after the deadline, the 3rd working day after the
  period by the org calendar (DOMAIN.md §4.2 step 3);
- accuracy: events refused at ingestion, by reason, calls stored without an
  end (no terminal event), and stored events no KPI counts, by reason
  (``rollups.unusable_reasons``: a call whose end can be neither read nor placed, a
  figure outside its field's range);
- duplicates: events sent again after they were stored.
Refusals and duplicates are counted from the ingest log: a batch counts for the
periods its stored events span (a batch of refusals only, for the period it was
received in, up to the deadline).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from services.common.db import UnitOfWork
from services.common.periods import Granularity, Period
from services.metrics import models as m
from services.metrics.rollups import TIME_COLUMNS, day_window, unusable_reasons
from services.org.service import load_calendar

DAILY_KINDS = ("call", "agent_state", "schedule_interval", "system_availability")
DEADLINE_WORKING_DAYS = 3


@dataclass
class SourceQuality:
    source: str
    kind: str
    events: int = 0
    days_without_data: list[dt.date] = field(default_factory=list)
    late_events: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejected_by_reason: Counter[str] = field(default_factory=Counter)
    calls_without_end: int = 0
    uncounted: int = 0
    uncounted_by_reason: Counter[str] = field(default_factory=Counter)


def deadline_for(session: Session, period: Period) -> dt.date:
    calendar = load_calendar(session, period.end, period.end + dt.timedelta(days=70))
    return calendar.nth_working_day_after(period.end, DEADLINE_WORKING_DAYS)


def data_quality(
    uow: UnitOfWork, period: Period, timezone: ZoneInfo
) -> tuple[dt.date, list[SourceQuality]]:
    report: dict[tuple[str, str], SourceQuality] = {}

    def entry(source: str, kind: str) -> SourceQuality:
        return report.setdefault((source, kind), SourceQuality(source, kind))

    with uow:
        session = uow.session
        deadline = deadline_for(session, period)
        first = day_window(period.start, timezone).start
        deadline_end = day_window(deadline, timezone).end
        for kind, model in m.EVENT_TABLES.items():
            table = model.__table__  # type: ignore[attr-defined]
            t = table.c
            if kind in TIME_COLUMNS:
                moment = t[TIME_COLUMNS[kind]]
                in_period = [moment >= first, moment < day_window(period.end, timezone).end]
            elif kind == "system_availability":
                in_period = [t.day >= period.start, t.day <= period.end]
            else:  # period facts: those whose period lies within the one asked for
                in_period = [t.period.in_(_periods_within(period))]
            late = func.sum(case((t.ingested_at > deadline_end, 1), else_=0))
            for source, events, late_events in session.execute(
                select(t.source, func.count(), late).where(*in_period).group_by(t.source)
            ):
                row = entry(source, kind)
                row.events, row.late_events = int(events), int(late_events or 0)
            if kind == "call":
                for source, open_calls in session.execute(
                    select(t.source, func.count())
                    .where(*in_period, t.ended_at.is_(None))
                    .group_by(t.source)
                ):
                    entry(source, kind).calls_without_end = int(open_calls)
            _uncounted(session, table, kind, in_period, entry)
            if kind in DAILY_KINDS:
                _days_without_data(session, kind, t, period, timezone, report)
        log = m.IngestLogEntry.__table__.c
        covers_period = and_(log.first_day <= period.end, log.last_day >= period.start)
        received_in_period = and_(
            log.first_day.is_(None), log.received_at >= first, log.received_at < deadline_end
        )
        for source, kind, duplicate, rejected, reasons in session.execute(
            select(log.source, log.kind, log.duplicate, log.rejected, log.rejected_by_reason).where(
                or_(covers_period, received_in_period)
            )
        ):
            row = entry(source, kind)
            row.duplicates += int(duplicate)
            row.rejected += int(rejected)
            row.rejected_by_reason.update(reasons or {})
    return deadline, sorted(report.values(), key=lambda r: (r.source, r.kind))


def _uncounted(
    session: Session,
    table: Any,
    kind: str,
    in_period: list[Any],
    entry: Callable[[str, str], SourceQuality],
) -> None:
    """Per source, the period's stored events no measure counts, in total and by reason."""
    reasons = unusable_reasons(table)
    if not reasons:
        return
    conditions = [condition for _, condition in reasons]
    counts = [func.sum(case((condition, 1), else_=0)) for condition in conditions]
    for source, total, *by_reason in session.execute(
        select(table.c.source, func.count(), *counts)
        .where(*in_period, or_(*conditions))
        .group_by(table.c.source)
    ):
        row = entry(source, kind)
        row.uncounted = int(total)
        row.uncounted_by_reason.update(
            {reason: int(n) for (reason, _), n in zip(reasons, by_reason, strict=True) if n}
        )


def _periods_within(period: Period) -> list[str]:
    """Canonical texts of the months, quarters and the period itself that lie inside it."""
    months = period.months()
    quarters = {Period.of(Granularity.QUARTER, month.start) for month in months}
    inside = [q for q in quarters if period.start <= q.start and q.end <= period.end]
    return sorted({str(p) for p in (*months, *inside, period)})


def _days_without_data(
    session: Session,
    kind: str,
    columns: Any,
    period: Period,
    timezone: ZoneInfo,
    report: dict[tuple[str, str], SourceQuality],
) -> None:
    sources = [key[0] for key in report if key[1] == kind]
    if not sources:
        return
    seen: dict[str, set[dt.date]] = defaultdict(set)
    for day in period.days():
        if kind == "system_availability":
            where = [columns.day == day]
        else:
            window = day_window(day, timezone)
            moment = columns[TIME_COLUMNS[kind]]
            where = [moment >= window.start, moment < window.end]
        for source in session.scalars(select(columns.source).where(*where).distinct()):
            seen[source].add(day)
    for source in sources:
        report[(source, kind)].days_without_data = [
            day for day in period.days() if day not in seen[source]
        ]
