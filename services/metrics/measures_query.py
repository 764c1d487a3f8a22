"""Summing base measures from the daily rollups for a subject and a period.

A subject is an agent, a team or department (the rows of every unit below it on
the period's last day), or the center, which sees everything, including what
belongs to no agent (calls nobody answered, queue schedules, system
availability); one center per deployment, as queues are not mapped to centers
yet. Period facts (HR, finance) count only at their own granularity or finer
than the period asked for.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    Connection,
    Date,
    Double,
    Integer,
    Select,
    String,
    Table,
    and_,
    any_,
    bindparam,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from services.common.periods import Granularity, Period
from services.metrics import models as m
from services.metrics.definitions import DefinitionRow
from services.org.models import EmployeeVersion, OrgUnitVersion
from services.org.service import descendants


@dataclass(frozen=True)
class RollupSource:
    table: Table
    measures: tuple[str, ...]
    agent_column: str | None  # column naming the employee, if rows belong to one
    period_facts: bool = False


SOURCES = (
    RollupSource(m.daily_call_measures, m.CALL_MEASURES, "agent_id"),
    RollupSource(m.daily_state_measures, m.STATE_MEASURES, "agent_id"),
    RollupSource(m.daily_work_order_measures, m.WORK_ORDER_MEASURES, "agent_id"),
    RollupSource(m.daily_qa_measures, m.QA_MEASURES, "agent_id"),
    RollupSource(m.daily_survey_measures, m.SURVEY_MEASURES, "agent_id"),
    RollupSource(m.daily_complaint_measures, m.COMPLAINT_MEASURES, "agent_id"),
    RollupSource(m.daily_audit_measures, m.AUDIT_MEASURES, "agent_id"),
    RollupSource(m.daily_schedule_measures, m.SCHEDULE_MEASURES, None),
    RollupSource(m.period_hr_measures, m.HR_MEASURES, "subject_id", period_facts=True),
    RollupSource(m.period_finance_measures, m.FINANCE_MEASURES, None, period_facts=True),
    RollupSource(m.daily_availability_measures, m.AVAILABILITY_MEASURES, None),
)
ALL_MEASURES = tuple(name for source in SOURCES for name in source.measures)
BUILT_WITH = "_params_version"
"""Key in ``measures_for``'s result: the newest definition change the rollups followed."""

_FACT_GRANULARITIES = {
    Granularity.DAY: (),
    Granularity.MONTH: ("month",),
    Granularity.QUARTER: ("month", "quarter"),
    Granularity.YEAR: ("month", "quarter", "year"),
}


@dataclass(frozen=True)
class Subject:
    """Whose measures: ``agent`` with an employee id, or an org unit id (any level)."""

    level: str  # agent | team | department | center
    id: str


def _period_filter(source: RollupSource, period: Period) -> list[Any]:
    t = source.table.c
    conditions: list[Any] = [t.day >= period.start, t.day <= period.end]
    if source.period_facts:
        conditions.append(t.granularity.in_(_FACT_GRANULARITIES[period.granularity]))
    return conditions


# Statements are built once and reused with bound values: building a select (and its
# cache key) per call cost far more Python time than the queries cost Postgres.
_START = bindparam("period_start", type_=Date())
_END = bindparam("period_end", type_=Date())
# Period facts' granularities: three plain parameters, NULL where unused (an expanding
# parameter made SQLAlchemy render the statement's text anew at every call).
_GRANULARITIES = [bindparam(f"granularity_{i}", type_=String()) for i in range(3)]
_SUBJECT = bindparam("subject_id", type_=String())
_UNITS = bindparam("unit_ids", type_=String(), expanding=True)


def _bound_period_filter(source: RollupSource) -> list[Any]:
    """``_period_filter`` with bind parameters: fill them with ``_period_values``."""
    t = source.table.c
    conditions: list[Any] = [t.day >= _START, t.day <= _END]
    if source.period_facts:
        conditions.append(t.granularity.in_(_GRANULARITIES))
    return conditions


def _period_values(period: Period) -> dict[str, Any]:
    values: dict[str, Any] = {"period_start": period.start, "period_end": period.end}
    granularities = _FACT_GRANULARITIES[period.granularity]
    for i, param in enumerate(_GRANULARITIES):
        values[param.key] = granularities[i] if i < len(granularities) else None
    return values


def _version_label(index: int) -> str:
    return f"_built_with_{index}"


def _subtree() -> Any:
    """The org units under ``subject_id`` (itself included) as the tree stood on the
    period's last day: ``services.org.service.descendants`` as a recursive CTE."""
    v = OrgUnitVersion.__table__.alias("v")
    base = select(_SUBJECT.label("id")).cte("subtree", recursive=True)
    in_force = and_(v.c.valid_from <= _END, or_(v.c.valid_to.is_(None), v.c.valid_to > _END))
    return base.union(select(v.c.org_unit_id).where(v.c.parent_id == base.c.id, in_force))


def _json_rows(dialect: str, *columns: Any) -> Any:
    """An aggregate of the rows' ``columns`` as one JSON array of arrays (NULL or "[]"
    when there are none): several rows in one column of a one-row statement."""
    if dialect == "postgresql":
        return func.json_agg(func.json_build_array(*columns))
    return func.json_group_array(func.json_array(*columns))


def _json_value(raw: Any) -> list[Any]:
    if raw is None:
        return []
    return json.loads(raw) if isinstance(raw, str | bytes) else list(raw)


@cache
def _totals_statement(mode: str, dialect: str = "") -> Select[Any]:
    """One row of every source's summed measures (``mode``: all, agent or units).

    Each source is an aggregate subquery of one row; they are cross-joined into one
    statement, so a scorecard is one round trip. With a ``dialect``, the row also
    carries what else a scorecard reads, from the same snapshot: whether a day of the
    period is dirty, the definition versions in force on its last day, the subject's
    scorecard matrix and (agent) the agent's supervisor on that day.
    """
    parts = []
    units = select(_subtree().c.id)
    for index, source in enumerate(SOURCES):
        t = source.table.c
        conditions = _bound_period_filter(source)
        if mode == "agent":
            if source.agent_column is None:
                continue
            conditions.append(t[source.agent_column] == _SUBJECT)
        elif mode == "units":
            conditions.append(t.org_unit_id.in_(units))
        parts.append(
            select(
                *(func.coalesce(func.sum(t[name]), 0.0).label(name) for name in source.measures),
                func.max(t.params_version).label(_version_label(index)),
            )
            .where(*conditions)
            .subquery(f"s{index}")
        )
    joined: Any = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, true())  # one row each: a cross join, written out
    columns: list[Any] = [column for part in parts for column in part.c]
    if dialect:
        matrix = m.DepartmentKpi.__table__.c
        columns += _state_columns(dialect)
        if mode == "agent":
            e = EmployeeVersion.__table__.c
            columns.append(
                select(e.supervisor_id)
                .where(
                    e.employee_id == _SUBJECT,
                    e.valid_from <= _END,
                    or_(e.valid_to.is_(None), e.valid_to > _END),
                )
                .limit(1)
                .scalar_subquery()
                .label(_REPORTS_TO)
            )
        else:
            columns.append(
                select(_json_rows(dialect, matrix.kpi_code, matrix.weight, matrix.target))
                .where(matrix.org_unit_id == _SUBJECT)
                .scalar_subquery()
                .label(_MATRIX)
            )
    return select(*columns).select_from(joined)


_DIRTY, _VERSIONS, _MATRIX, _REPORTS_TO = "_dirty", "_versions", "_matrix", "_reports_to"


def _state_columns(dialect: str) -> list[Any]:
    """Whether a day of the period is dirty, and the definition changes in force on
    its last day (as JSON rows)."""
    dirty, versions = m.RollupDirtyDay.__table__.c, m.KpiDefinitionVersion.__table__.c
    row = (versions.seq, versions.code, versions.version, versions.effective_from)
    parameters = versions.parameters if dialect == "postgresql" else func.json(versions.parameters)
    return [
        exists().where(dirty.day >= _START, dirty.day <= _END).label(_DIRTY),
        select(_json_rows(dialect, *row, parameters, versions.target))
        .where(versions.effective_from <= _END)
        .scalar_subquery()
        .label(_VERSIONS),
    ]


@cache
def _state_statement(dialect: str) -> Select[Any]:
    return select(*_state_columns(dialect))


def _definition_rows(raw: Any) -> list[DefinitionRow]:
    return [
        DefinitionRow(int(seq), code, int(version), _day(start), parameters, target)
        for seq, code, version, start, parameters, target in _json_value(raw)
    ]


def read_state(conn: Connection, period: Period) -> tuple[bool, list[DefinitionRow]]:
    """In one statement: whether a day of the period waits to be rebuilt, and the
    definition changes in force on its last day (for ``versions_in_force``)."""
    values = {"period_start": period.start, "period_end": period.end}
    dirty, versions = conn.execute(_state_statement(conn.dialect.name), values).one()
    return bool(dirty), _definition_rows(versions)


@dataclass(frozen=True)
class ScorecardInputs:
    """What a scorecard reads, all from one statement (one snapshot)."""

    measures: dict[str, float]  # with BUILT_WITH
    dirty: bool  # a day of the period waits to be rebuilt
    versions: list[DefinitionRow]  # every change in force by the period's last day
    matrix: list[tuple[str, float, float]]  # (kpi, weight, target); none for an agent
    reports_to: str | None  # an agent's supervisor on the period's last day


def scorecard_inputs(conn: Connection, subject: Subject, period: Period) -> ScorecardInputs:
    """The period's summed measures for one subject and what else its scorecard needs."""
    dialect = conn.dialect.name
    mode = _mode(subject)
    row = conn.execute(_totals_statement(mode, dialect), _subject_values(subject, period)).one()
    mapping = row._mapping
    return ScorecardInputs(
        measures=_totals(mode, mapping),
        dirty=bool(mapping[_DIRTY]),
        versions=_definition_rows(mapping[_VERSIONS]),
        matrix=[
            (code, float(weight), float(target))
            for code, weight, target in sorted(_json_value(mapping.get(_MATRIX)))
        ],
        reports_to=mapping.get(_REPORTS_TO),
    )


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _mode(subject: Subject) -> str:
    if subject.level == "agent":
        return "agent"
    if subject.level in ("team", "department"):
        return "units"
    return "all"


def _subject_values(subject: Subject, period: Period) -> dict[str, Any]:
    values = _period_values(period)
    values["subject_id"] = subject.id
    return values


def _totals(mode: str, row: Any) -> dict[str, float]:
    totals = dict.fromkeys(ALL_MEASURES, 0.0)
    built_with = 0.0
    for index, source in enumerate(SOURCES):
        if mode == "agent" and source.agent_column is None:
            continue
        for name in source.measures:
            totals[name] = float(row[name])
        built_with = max(built_with, float(row[_version_label(index)] or 0))
    totals[BUILT_WITH] = built_with
    return totals


def measures_for(session: Session, subject: Subject, period: Period) -> dict[str, float]:
    """The period's summed measures for one subject (0.0 where nothing was recorded)."""
    mode = _mode(subject)
    values = _subject_values(subject, period)
    row = session.connection().execute(_totals_statement(mode), values).one()
    return _totals(mode, row._mapping)


@cache
def _agents_statement() -> Select[Any]:
    parts = []
    for source in SOURCES:
        if source.agent_column is None:
            continue
        column = source.table.c[source.agent_column]
        parts.append(select(column).where(*_bound_period_filter(source), column != ""))
    return union(*parts)  # type: ignore[return-value]


def agents_with_data(conn: Connection, period: Period) -> list[str]:
    """Ids of every agent with any rollup row in the period, sorted."""
    return sorted(conn.scalars(_agents_statement(), _period_values(period)))


_AGENT_SOURCES = tuple(source for source in SOURCES if source.agent_column is not None)
_WIDEST = max(len(source.measures) for source in _AGENT_SOURCES)


@cache
def _by_agent_statement(listed: str) -> Any:
    """Sums per agent of every rollup with agents, in one statement: a UNION ALL of
    one grouped select per rollup, each row (rollup's index, agent, its sums padded
    with NULLs to the widest rollup's). ``listed``: "" (every agent), "array"
    (``= ANY`` of one bound array, Postgres) or "expanding" (``IN``, SQLite)."""
    parts = []
    for index, source in enumerate(_AGENT_SOURCES):
        t = source.table.c
        assert source.agent_column is not None
        agent = t[source.agent_column]
        conditions = [*_bound_period_filter(source), agent != ""]
        if listed == "array":
            conditions.append(agent == any_(bindparam("agent_ids", type_=ARRAY(String()))))
        elif listed == "expanding":
            conditions.append(agent.in_(bindparam("agent_ids", type_=String(), expanding=True)))
        sums: list[Any] = [func.sum(t[name]) for name in source.measures]
        padding: list[Any] = [null().cast(Double()) for _ in range(_WIDEST - len(sums))]
        parts.append(
            select(
                literal(index, Integer()).label("source"),
                agent.label("agent"),
                *(column.label(f"m{i}") for i, column in enumerate([*sums, *padding])),
            )
            .where(*conditions)
            .group_by(agent)
        )
    return union_all(*parts)


def measures_by_agent(
    conn: Connection, period: Period, agents: Iterable[str] | None = None
) -> dict[str, dict[str, float]]:
    """Summed measures of the agents (every agent with data when None), in one query.

    The agents are bound as one array on Postgres (cheap to send and plan even for
    thousands, and exact: a team's agents are scattered over the id range, and a
    range from the first to the last fetched every agent in between).
    """
    wanted = sorted(set(agents)) if agents is not None else None
    if wanted == []:
        return {}
    values = _period_values(period)
    listed = ""
    if wanted is not None:
        listed = "array" if conn.dialect.name == "postgresql" else "expanding"
        values["agent_ids"] = wanted
    result: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(ALL_MEASURES, 0.0))
    for index, agent_id, *sums in conn.execute(_by_agent_statement(listed), values):
        names = _AGENT_SOURCES[index].measures  # the sums past them are the padding
        result[agent_id].update(
            zip(names, (float(v or 0.0) for v in sums[: len(names)]), strict=True)
        )
    return dict(result)


def source_counts(
    session: Session, subject: Subject, period: Period, measures: Iterable[str], timezone: Any
) -> list[tuple[str, str, int]]:
    """(source, kind, events): the raw events behind these measures for the subject and period.

    Counted with the same day boundaries and subject rules as the rollups: an agent's
    own events, a team's or department's agents (as the rollups recorded them), or
    everything for the center.
    """
    from services.metrics.rollups import ROLLUPS, TIME_COLUMNS, day_window  # noqa: PLC0415

    wanted = set(measures)
    kinds = [
        kind for kind, rollup in ROLLUPS.items() if wanted & {c.name for c in rollup.table.columns}
    ]
    agents: list[str] | None = None
    if subject.level == "agent":
        agents = [subject.id]
    elif subject.level in ("team", "department"):
        units = sorted(descendants(session, subject.id, period.end))
        found: set[str] = set()
        for source in SOURCES:
            if source.agent_column == "agent_id":
                column = source.table.c.agent_id
                found.update(
                    session.scalars(
                        select(column)
                        .where(
                            *_period_filter(source, period), source.table.c.org_unit_id.in_(units)
                        )
                        .distinct()
                    )
                )
        agents = sorted(found - {""})
    start = day_window(period.start, timezone).start
    end = day_window(period.end, timezone).end
    counts: list[tuple[str, str, int]] = []
    for kind in kinds:
        if kind not in TIME_COLUMNS:
            continue  # period facts and availability: not agent events
        table = m.EVENT_TABLES[kind].__table__  # type: ignore[attr-defined]
        moment = table.c[TIME_COLUMNS[kind]]
        conditions = [moment >= start, moment < end]
        if agents is not None:
            if "agent_id" not in table.c:
                continue
            conditions.append(table.c.agent_id.in_(agents))
        for source, events in session.execute(
            select(table.c.source, func.count()).where(*conditions).group_by(table.c.source)
        ):
            counts.append((source, kind, int(events)))
    return sorted(counts)


@cache
def _by_unit_statement(source: RollupSource) -> Select[Any]:
    t = source.table.c
    return (
        select(t.org_unit_id, *(func.sum(t[name]) for name in source.measures))
        .where(*_bound_period_filter(source), t.org_unit_id != "")
        .group_by(t.org_unit_id)
    )


def measures_by_unit(session: Session, period: Period, level: str) -> dict[str, dict[str, float]]:
    """Summed measures of every team (or department) with data in the period.

    Rows carry the team their agent belonged to that day; departments sum their teams
    (and their own rows, such as HR facts reported for the department) along the org
    tree as it stood on the period's last day.
    """
    from services.org.domain.model import OrgUnitKind  # noqa: PLC0415
    from services.org.models import OrgUnitVersion  # noqa: PLC0415

    tree = session.execute(
        select(OrgUnitVersion.org_unit_id, OrgUnitVersion.kind, OrgUnitVersion.parent_id).where(
            OrgUnitVersion.valid_from <= period.end,
            or_(OrgUnitVersion.valid_to.is_(None), OrgUnitVersion.valid_to > period.end),
        )
    ).all()
    kind_of = {unit: kind for unit, kind, _ in tree}
    parent_of = {unit: parent for unit, _, parent in tree}
    wanted_kind = OrgUnitKind.TEAM if level == "team" else OrgUnitKind.DEPARTMENT

    def owner(unit: str) -> str | None:
        seen = set()
        while unit and unit not in seen:
            if kind_of.get(unit) is wanted_kind:
                return unit
            seen.add(unit)
            unit = parent_of.get(unit) or ""
        return None

    result: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(ALL_MEASURES, 0.0))
    conn = session.connection()
    values = _period_values(period)
    for source in SOURCES:
        for unit_id, *sums in conn.execute(_by_unit_statement(source), values):
            target = owner(unit_id)
            if target is None:
                continue
            totals = result[target]
            for name, value in zip(source.measures, sums, strict=True):
                totals[name] += float(value or 0.0)
    return dict(result)
