"""Daily rollups: base measures per day and dimension, rebuilt from raw events.

Ingestion marks each (kind, day) it touches as dirty; ``refresh`` rebuilds those
rows (DELETE the day, INSERT … SELECT … GROUP BY from the raw table), so late
data re-aggregates only the days it touches and queries never rescan raw events.
The SQL is SQLAlchemy Core built to run on Postgres and on SQLite alike: time
arithmetic uses the Unix-second columns stored at ingest, min/max use CASE.

Stored data never stops a rebuild: a row holding a figure outside its column's range
(``models.figure``: stored before validation refused it, or by hand) is left out of
every measure (``usable``) and shown in the data-quality report instead, so the other
rows of its day still count and no division overflows.

Days are local days of the center (``CCPERF_TIMEZONE``). The rollup parameters
(service-level and short-abandon thresholds, FCR window, CSAT top box, paid hours)
are applied here, when measures are counted; changing one needs a recompute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Double,
    Integer,
    Select,
    String,
    Table,
    and_,
    any_,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import aliased

from services.common.periods import Granularity, Period
from services.metrics import models as m
from services.metrics.domain.limits import MIN_MAGNITUDE
from services.metrics.domain.measures import (
    ANSWERED_OUTCOMES,
    DEFAULT_PARAMETERS,
    LEFT_QUEUE_OUTCOMES,
    UNPLACED_ANSWER,
    UNPLACED_LEFT_QUEUE,
)
from services.org.models import EmployeeVersion

# Rendered inline, so GROUP BY and SELECT hold the very same expression (Postgres checks).
NO_AGENT: ColumnElement[str] = literal_column("''")


@dataclass(frozen=True)
class DayWindow:
    day: dt.date
    start: dt.datetime  # UTC instant of local midnight
    end: dt.datetime

    @property
    def start_epoch(self) -> float:
        return self.start.timestamp()

    @property
    def end_epoch(self) -> float:
        return self.end.timestamp()


def day_window(day: dt.date, tz: ZoneInfo) -> DayWindow:
    start = dt.datetime.combine(day, dt.time(), tz).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz).astimezone(dt.UTC)
    return DayWindow(day, start, end)


def local_day(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    return moment.astimezone(tz).date()


def _count(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1.0), else_=0.0)), 0.0)


def _total(condition: ColumnElement[bool], value: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, value), else_=0.0)), 0.0)


def _least(a: Any, b: Any) -> ColumnElement[Any]:
    return case((a < b, a), else_=b)


def _greatest(a: Any, b: Any) -> ColumnElement[Any]:
    return case((a > b, a), else_=b)


def _org_unit(agent: Any, day: dt.date) -> ColumnElement[Any]:
    """The team the employee belonged to on ``day`` ('' for unknown agents)."""
    version = (
        select(EmployeeVersion.org_unit_id)
        .where(
            EmployeeVersion.employee_id == agent,
            EmployeeVersion.valid_from <= day,
            or_(EmployeeVersion.valid_to.is_(None), EmployeeVersion.valid_to > day),
        )
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(version, "")


def _day(day: Any) -> ColumnElement[Any]:
    """The day as a column: a value, or the bound day of a prebuilt statement."""
    return day if isinstance(day, ColumnElement) else literal(day)


def unusable_reasons(table: Table) -> list[tuple[str, ColumnElement[bool]]]:
    """(reason, condition) for each way a stored row of ``table`` is in no measure: a
    figure outside its column's range, or (calls) an end that can be neither read nor
    placed. The data-quality report counts them; ``usable`` keeps them out of rollups."""
    reasons: list[tuple[str, ColumnElement[bool]]] = []
    kind = next(k for k, model in m.EVENT_TABLES.items() if model.__table__ is table)  # type: ignore[attr-defined]
    for column in table.columns:
        limits = m.float_range(column)
        if limits is None:
            continue
        fits = or_(
            column == 0.0,
            and_(column >= limits.low, column <= limits.high, func.abs(column) >= MIN_MAGNITUDE),
        )
        if column.nullable:
            fits = or_(column.is_(None), fits)
        reasons.append((f"{kind}.{column.name}: {limits.shown}", ~fits))
    if kind == "call":
        c = table.c
        no_end = c.ended_at.is_(None)
        reasons.append(
            (
                UNPLACED_LEFT_QUEUE,
                and_(no_end, c.outcome.in_(LEFT_QUEUE_OUTCOMES), c.wait_seconds <= 0),
            )
        )
        reasons.append(
            (UNPLACED_ANSWER, and_(no_end, c.outcome.in_(ANSWERED_OUTCOMES), c.talk_seconds <= 0))
        )
    return reasons


def usable(table: Table) -> list[ColumnElement[bool]]:
    """WHERE conditions keeping only the rows measures may count (see ``unusable_reasons``)."""
    return [~condition for _, condition in unusable_reasons(table)]


def _with_org(grouped: Select[Any], day: dt.date, agent_key: str = "agent_id") -> Select[Any]:
    """Wrap a grouped select: add the day, and the team of its agent on that day."""
    sub = grouped.subquery()
    return select(
        _day(day).label("day"),
        *[c for c in sub.columns],
        _org_unit(sub.c[agent_key], day).label("org_unit_id"),
    )


def _calls(w: DayWindow, p: Mapping[str, float]) -> Select[Any]:
    c = m.CallEvent.__table__.c
    later = aliased(m.CallEvent)
    answered = c.outcome.in_(("answered", "transferred"))
    abandoned = c.outcome == "abandoned"
    window = p["fcr_window_days"] * 86400.0
    repeated = exists().where(
        later.caller_hash == c.caller_hash,
        later.offered_epoch > c.offered_epoch,
        later.offered_epoch <= c.offered_epoch + window,
    )
    case_call = and_(answered, c.caller_hash.is_not(None))
    grouped = (
        select(
            func.coalesce(c.agent_id, NO_AGENT).label("agent_id"),
            _count(c.outcome != "ivr_completed").label("calls_offered"),
            _count(answered).label("calls_answered"),
            _count(abandoned).label("calls_abandoned"),
            _count(and_(abandoned, c.wait_seconds < p["short_abandon_seconds"])).label(
                "calls_short_abandoned"
            ),
            _count(and_(answered, c.wait_seconds <= p["service_level_seconds"])).label(
                "calls_answered_in_sl"
            ),
            _count(c.outcome == "ivr_completed").label("calls_ivr_completed"),
            func.count().label("calls_inbound"),
            _count(c.outcome == "transferred").label("calls_transferred"),
            _count(c.outcome == "timeout").label("calls_timeout"),
            _count(and_(answered, c.first_contact_resolved.is_(True))).label("calls_fcr_flagged"),
            _count(and_(answered, c.first_contact_resolved.is_not(None))).label("calls_fcr_known"),
            _total(answered, c.wait_seconds).label("wait_answered_seconds"),
            _total(answered, c.talk_seconds).label("talk_seconds"),
            _total(answered, c.hold_seconds).label("hold_seconds"),
            _total(answered, c.acw_seconds).label("acw_seconds"),
            _count(case_call).label("cases"),
            _count(and_(case_call, ~repeated)).label("cases_without_repeat"),
        )
        # A call without an end counts when its end can be placed (domain.measures).
        .where(c.offered_at >= w.start, c.offered_at < w.end, *usable(m.CallEvent.__table__))  # type: ignore[arg-type]
        .group_by(func.coalesce(c.agent_id, NO_AGENT))
    )
    return _with_org(grouped, w.day)


def _states(w: DayWindow, p: Mapping[str, float]) -> Select[Any]:
    s = m.AgentStateEvent.__table__.c
    overlap = _least(s.end_epoch, w.end_epoch) - _greatest(s.start_epoch, w.start_epoch)

    def seconds(state: str) -> ColumnElement[Any]:
        return _total(s.state == state, overlap)

    sums = (
        select(
            s.agent_id,
            seconds("logged_in").label("logged_in_seconds"),
            seconds("available").label("available_reported"),
            seconds("on_call").label("on_call_seconds"),
            seconds("after_call_work").label("acw_state_seconds"),
            seconds("aux").label("aux_seconds"),
            _count(and_(s.state == "logged_in", s.start_epoch >= w.start_epoch)).label(
                "agent_shifts"
            ),
        )
        .where(
            s.start_epoch < w.end_epoch,
            s.end_epoch > w.start_epoch,
            *usable(m.AgentStateEvent.__table__),  # type: ignore[arg-type]
        )
        .group_by(s.agent_id)
        .subquery()
    )
    # Sources that report no AVAILABLE intervals (Asterisk's queue_log among them) leave
    # idle time implicit: logged in, and neither on a call, in wrap-up nor paused.
    derived = sums.c.logged_in_seconds - sums.c.on_call_seconds - sums.c.acw_state_seconds
    derived = derived - sums.c.aux_seconds
    available = case(
        (sums.c.available_reported > 0, sums.c.available_reported),
        else_=_greatest(derived, literal(0.0)),
    )
    grouped = select(
        sums.c.agent_id,
        sums.c.logged_in_seconds,
        available.label("available_seconds"),
        sums.c.on_call_seconds,
        sums.c.acw_state_seconds,
        sums.c.aux_seconds,
        sums.c.agent_shifts,
    )
    return _with_org(grouped, w.day)


def _per_agent(
    table: Table, time_column: str, measures: Callable[[Any], list[ColumnElement[Any]]]
) -> Callable[[DayWindow, Mapping[str, float]], Select[Any]]:
    def build(w: DayWindow, p: Mapping[str, float]) -> Select[Any]:
        t = table.c
        agent = func.coalesce(t.agent_id, NO_AGENT)
        grouped = (
            select(agent.label("agent_id"), *measures(t))
            .where(t[time_column] >= w.start, t[time_column] < w.end, *usable(table))
            .group_by(agent)
        )
        return _with_org(grouped, w.day)

    return build


def _work_order_measures(t: Any) -> list[ColumnElement[Any]]:
    due = t.due_at.is_not(None)
    responded = t.first_response_seconds.is_not(None)
    return [
        _count(due).label("work_orders_due"),
        _count(and_(due, t.closed_at.is_not(None), t.closed_at <= t.due_at)).label(
            "work_orders_on_time"
        ),
        _total(responded, t.first_response_seconds).label("first_response_seconds"),
        _count(responded).label("first_responses"),
    ]


def _qa_measures(t: Any) -> list[ColumnElement[Any]]:
    return [
        func.sum(t.score).label("qa_score"),
        func.sum(t.max_score).label("qa_max_score"),
        func.count().label("qa_evaluations"),
    ]


def _survey_measures(top_box: float) -> Callable[[Any], list[ColumnElement[Any]]]:
    def measures(t: Any) -> list[ColumnElement[Any]]:
        return [
            func.count().label("survey_answers"),
            _count(t.csat.is_not(None)).label("csat_answers"),
            _count(t.csat >= top_box).label("csat_satisfied"),
            _count(t.csat <= 2).label("csat_dissatisfied"),
            _count(t.nps.is_not(None)).label("nps_answers"),
            _count(t.nps >= 9).label("nps_promoters"),
            _count(t.nps <= 6).label("nps_detractors"),
            _count(t.remark == "negative").label("negative_remarks"),
            _count(t.remark == "praise").label("praise_remarks"),
        ]

    return measures


def _surveys(w: DayWindow, p: Mapping[str, float]) -> Select[Any]:
    table = m.SurveyEvent.__table__
    return _per_agent(table, "answered_at", _survey_measures(p["csat_top_box_min"]))(w, p)  # type: ignore[arg-type]


def _schedule(w: DayWindow, p: Mapping[str, float]) -> Select[Any]:
    s = m.ScheduleIntervalEvent.__table__.c
    calls = m.CallEvent.__table__.c
    actual = (
        select(func.count())
        .where(
            calls.queue == s.queue,
            calls.offered_epoch >= s.interval_start_epoch,
            calls.offered_epoch < s.interval_start_epoch + s.interval_minutes * 60.0,
        )
        .scalar_subquery()
    )
    with_actual = (
        select(
            s.queue, s.forecast_volume, s.required_staff, s.scheduled_staff, actual.label("actual")
        )
        .where(
            s.interval_start >= w.start,
            s.interval_start < w.end,
            *usable(m.ScheduleIntervalEvent.__table__),  # type: ignore[arg-type]
        )
        .subquery()
    )
    i = with_actual.c
    forecast_error = case(
        (i.actual > 0, func.abs(i.actual - i.forecast_volume) / i.actual), else_=0.0
    )
    schedule_error = case(
        (i.required_staff > 0, func.abs(i.scheduled_staff - i.required_staff) / i.required_staff),
        else_=0.0,
    )
    return select(
        _day(w.day).label("day"),
        i.queue,
        literal("").label("org_unit_id"),
        _count(i.actual > 0).label("forecast_intervals"),
        func.sum(forecast_error).label("forecast_error_ratio_sum"),
        _count(i.required_staff > 0).label("schedule_intervals"),
        func.sum(schedule_error).label("schedule_error_ratio_sum"),
    ).group_by(i.queue)


def _period_facts(w: DayWindow) -> list[tuple[str, str]]:
    """The (period text, granularity) pairs that start on this day."""
    pairs = []
    for granularity in (Granularity.MONTH, Granularity.QUARTER, Granularity.YEAR):
        period = Period.of(granularity, w.day)
        if period.start == w.day:
            pairs.append((str(period), granularity.value))
    return pairs


def _hr(w: DayWindow, p: Mapping[str, float]) -> Select[Any]:
    h = m.HrFactEvent.__table__.c
    periods = _period_facts(w)
    granularity = (
        case(*((h.period == text, g) for text, g in periods), else_="") if periods else literal("")
    )
    subject = func.coalesce(h.employee_id, h.org_unit_id)
    org = func.coalesce(h.org_unit_id, _org_unit(h.employee_id, w.day))

    def total(column: Any) -> ColumnElement[Any]:
        return func.coalesce(func.sum(column), 0.0)

    return (
        select(
            _day(w.day).label("day"),
            subject.label("subject_id"),
            granularity.label("granularity"),
            org.label("org_unit_id"),
            total(h.scheduled_days).label("scheduled_days"),
            total(h.attended_days).label("attended_days"),
            (total(h.scheduled_days) * p["paid_hours_per_day"] * 3600.0).label(
                "scheduled_paid_seconds"
            ),
            total(h.training_hours).label("training_hours"),
            total(h.average_headcount).label("headcount"),
            total(h.suggestions_submitted).label("suggestions_submitted"),
            total(h.suggestions_adopted).label("suggestions_adopted"),
            total(h.leavers).label("leavers"),
            total(h.promotions_internal).label("promotions_internal"),
            (total(h.promotions_internal) + total(h.promotions_external)).label("promotions_total"),
            total(h.employee_satisfaction).label("employee_satisfaction_sum"),
            _count(h.employee_satisfaction.is_not(None)).label("employee_satisfaction_answers"),
        )
        .where(
            h.period.in_([text for text, _ in periods] or [""]),
            *usable(m.HrFactEvent.__table__),  # type: ignore[arg-type]
        )
        .group_by(subject, granularity, org)
    )


def _finance(w: DayWindow, p: Mapping[str, float]) -> Select[Any]:
    f = m.FinanceFactEvent.__table__.c
    periods = _period_facts(w)
    granularity = (
        case(*((f.period == text, g) for text, g in periods), else_="") if periods else literal("")
    )
    return (
        select(
            _day(w.day).label("day"),
            f.org_unit_id.label("subject_id"),
            granularity.label("granularity"),
            f.org_unit_id.label("org_unit_id"),
            func.coalesce(func.sum(f.operating_cost), 0).label("operating_cost"),
            func.coalesce(func.sum(f.budget), 0).label("budget"),
        )
        .where(f.period.in_([text for text, _ in periods] or [""]))
        .group_by(f.org_unit_id, granularity)
    )


def _availability(w: DayWindow, p: Mapping[str, float]) -> Select[Any]:
    a = m.SystemAvailabilityEvent.__table__.c
    columns = []
    for kind in m.SYSTEM_KINDS:
        columns.append(
            _total(a.kind == kind, a.scheduled_minutes).label(f"{kind}_scheduled_minutes")
        )
        columns.append(_total(a.kind == kind, a.downtime_minutes).label(f"{kind}_downtime_minutes"))
    return (
        select(_day(w.day).label("day"), a.system_id, literal("").label("org_unit_id"), *columns)
        .where(a.day == w.day, *usable(m.SystemAvailabilityEvent.__table__))  # type: ignore[arg-type]
        .group_by(a.system_id)
    )


@dataclass(frozen=True)
class Rollup:
    kind: str
    table: Table
    build: Callable[[DayWindow, Mapping[str, float]], Select[Any]]


ROLLUPS: dict[str, Rollup] = {
    r.kind: r
    for r in (
        Rollup("call", m.daily_call_measures, _calls),
        Rollup("agent_state", m.daily_state_measures, _states),
        Rollup(
            "work_order",
            m.daily_work_order_measures,
            _per_agent(m.WorkOrderEvent.__table__, "created_at", _work_order_measures),  # type: ignore[arg-type]
        ),
        Rollup(
            "qa_evaluation",
            m.daily_qa_measures,
            _per_agent(m.QaEvaluationEvent.__table__, "evaluated_at", _qa_measures),  # type: ignore[arg-type]
        ),
        Rollup("survey", m.daily_survey_measures, _surveys),
        Rollup(
            "complaint",
            m.daily_complaint_measures,
            _per_agent(
                m.ComplaintEvent.__table__,  # type: ignore[arg-type]
                "received_at",
                lambda t: [
                    func.count().label("complaints_received"),
                    _count(t.confirmed.is_(True)).label("complaints_confirmed"),
                ],
            ),
        ),
        Rollup(
            "audit_finding",
            m.daily_audit_measures,
            _per_agent(
                m.AuditFindingEvent.__table__,  # type: ignore[arg-type]
                "audited_at",
                lambda t: [
                    func.sum(t.items_checked).label("audit_items"),
                    func.sum(t.errors).label("audit_errors"),
                ],
            ),
        ),
        Rollup("schedule_interval", m.daily_schedule_measures, _schedule),
        Rollup("hr_fact", m.period_hr_measures, _hr),
        Rollup("finance_fact", m.period_finance_measures, _finance),
        Rollup("system_availability", m.daily_availability_measures, _availability),
    )
}


# Kinds whose statements use the day and the parameters only as SQL values (no Python
# decision on them): built once with bind parameters and reused, as building a
# statement (with its aliases and cache key) cost more Python time than running it.
# The HR and finance facts choose the periods starting on the day in Python.
_PREBUILT = frozenset(ROLLUPS) - {"hr_fact", "finance_fact"}


class _BoundWindow:
    """A ``DayWindow`` of bind parameters, for the prebuilt statements."""

    day = bindparam("day", type_=Date())
    start = bindparam("window_start", type_=DateTime(timezone=True))
    end = bindparam("window_end", type_=DateTime(timezone=True))
    start_epoch: Any = bindparam("window_start_epoch", type_=Double())
    end_epoch: Any = bindparam("window_end_epoch", type_=Double())


_BOUND_PARAMETERS: Any = {
    name: bindparam(f"p_{name}", type_=Double()) for name in DEFAULT_PARAMETERS
}


@cache
def _prebuilt(kind: str) -> tuple[Any, Any]:
    """(delete the day's rows, insert its fresh aggregate) with bound values."""
    rollup = ROLLUPS[kind]
    window: Any = _BoundWindow()
    query = rollup.build(window, _BOUND_PARAMETERS)
    query = query.add_columns(bindparam("params_version", type_=Integer()).label("params_version"))
    names = [c.name for c in query.selected_columns]
    return (
        delete(rollup.table).where(rollup.table.c.day == window.day),
        insert(rollup.table).from_select(names, query),
    )


def rebuild_day(
    conn: Connection,
    kind: str,
    day: dt.date,
    tz: ZoneInfo,
    params: Mapping[str, float],
    *,
    params_version: int = 0,
) -> None:
    """Replace one kind's rollup rows for one local day with a fresh aggregate.

    ``params_version`` records which definition change the counts followed (0: the
    built-in catalog), so a value can say what it was computed with.
    """
    rollup = ROLLUPS[kind]
    w = day_window(day, tz)
    if kind in _PREBUILT:
        values: dict[str, Any] = {
            "day": day, "window_start": w.start, "window_end": w.end,
            "window_start_epoch": w.start_epoch, "window_end_epoch": w.end_epoch,
            "params_version": params_version,
        }  # fmt: skip
        for name, value in {**DEFAULT_PARAMETERS, **params}.items():
            values[f"p_{name}"] = float(value)
        remove, add = _prebuilt(kind)
        conn.execute(remove, values)
        conn.execute(add, values)
        return
    query = rollup.build(w, params)
    query = query.add_columns(literal(params_version).label("params_version"))
    names = [c.name for c in query.selected_columns]
    conn.execute(delete(rollup.table).where(rollup.table.c.day == day))
    conn.execute(insert(rollup.table).from_select(names, query))


def mark_period(period: Period) -> list[tuple[str, dt.date]]:
    """Every (kind, day) of a period, for a recompute."""
    return [(kind, day) for kind in ROLLUPS for day in period.days()]


# --- which days to rebuild -------------------------------------------------------------

TIME_COLUMNS = {
    "call": "offered_at",
    "agent_state": "start_time",
    "work_order": "created_at",
    "qa_evaluation": "evaluated_at",
    "survey": "answered_at",
    "complaint": "received_at",
    "audit_finding": "audited_at",
    "schedule_interval": "interval_start",
}


def event_day(kind: str, row: Mapping[str, Any], tz: ZoneInfo) -> dt.date:
    """The local day an event belongs to (a period fact: its period's first day)."""
    if kind in ("hr_fact", "finance_fact"):
        return Period.parse(row["period"]).start
    if kind == "system_availability":
        day: dt.date = row["day"]
        return day
    return local_day(row[TIME_COLUMNS.get(kind, "start_time")], tz)


def event_days(kind: str, rows: Iterable[Mapping[str, Any]], tz: ZoneInfo) -> set[dt.date]:
    """The distinct local days a batch's rows belong to (an agent state: every day it spans)."""
    if kind == "agent_state":
        days: set[dt.date] = set()
        for row in rows:
            day, last = local_day(row["start_time"], tz), local_day(row["end_time"], tz)
            while day <= last:
                days.add(day)
                day += dt.timedelta(days=1)
        return days
    if kind in ("hr_fact", "finance_fact", "system_availability"):
        return {event_day(kind, row, tz) for row in rows}
    column = TIME_COLUMNS[kind]
    hours: dict[int, dt.date] = {}  # a day per hour of UTC: time zones move in whole hours…
    for row in rows:
        moment = row[column]
        hour = int(moment.timestamp() // 3600)
        if hour not in hours:
            hours[hour] = local_day(moment, tz)
    # … except a few (e.g. +05:45), which the cache above would blur: recompute exactly.
    if any(offset.total_seconds() % 3600 for offset in _offsets(tz, hours.values())):
        return {local_day(row[column], tz) for row in rows}
    return set(hours.values())


def _offsets(tz: ZoneInfo, days: Iterable[dt.date]) -> list[dt.timedelta]:
    return [
        dt.datetime.combine(day, dt.time(12), tz).utcoffset() or dt.timedelta(0)
        for day in set(days)
    ]


def touched(
    kind: str,
    days: Iterable[dt.date],
    fcr_window_days: int,
    repeat_days: Iterable[dt.date] | None = None,
) -> set[tuple[str, dt.date]]:
    """The (rollup kind, local day) pairs that new rows of ``kind`` on ``days`` change.

    A call is the actual volume of its schedule interval, and can be the repeat that makes
    its caller's earlier calls unresolved (FCR): ``repeat_days`` are the days of those
    earlier calls when the caller knows them (`earlier_call_days`), else every day of the
    window before is marked.
    """
    pairs = {(kind, day) for day in days}
    if kind == "call":
        for _, day in list(pairs):
            pairs.add(("schedule_interval", day))
            if repeat_days is None:
                for back in range(1, fcr_window_days + 1):
                    pairs.add((kind, day - dt.timedelta(days=back)))
        pairs.update((kind, day) for day in repeat_days or ())
    return pairs


def earlier_call_days(
    conn: Connection, rows: Sequence[Mapping[str, Any]], fcr_window_days: int, tz: ZoneInfo
) -> set[dt.date] | None:
    """The days of stored calls that new ``rows`` may make repeats of (Postgres only).

    Only the callers' own earlier calls within the window can change: a new call from
    someone else leaves their first-contact resolution as it was. Two batches with the
    same caller must not both miss each other's call, so each takes a transaction lock per
    caller first (sorted: no deadlock); then a batch either sees the other's earlier call,
    committed, or the other commits after it and marks its own day, rebuilt with both.
    None: no such query here (SQLite), mark the whole window.
    """
    if conn.dialect.name != "postgresql":
        return None
    keyed = [r for r in rows if r.get("caller_hash") and r.get("offered_epoch") is not None]
    callers = sorted({r["caller_hash"] for r in keyed})
    if not callers:
        return set()
    conn.execute(
        text(
            "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(h, 0) AS k"
            " FROM unnest(CAST(:callers AS text[])) AS h ORDER BY k) AS keys"
        ),
        {"callers": callers},
    )
    epochs = [r["offered_epoch"] for r in keyed]
    c = m.CallEvent.__table__.c
    earlier = conn.execute(
        select(c.offered_at).where(
            c.caller_hash == any_(bindparam("callers", type_=ARRAY(String()))),
            c.offered_epoch >= min(epochs) - fcr_window_days * 86400.0,
            c.offered_epoch < max(epochs),
        ),
        {"callers": callers},
    )
    return {local_day(offered_at, tz) for (offered_at,) in earlier}
