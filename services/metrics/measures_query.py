"""Summing base measures from the daily rollups for a subject and a period.

A subject is an agent, a team or department (the rows of every unit below it on
the period's last day), or the center, which sees everything, including what
belongs to no agent (calls nobody answered, queue schedules, system
availability); one center per deployment, as queues are not mapped to centers
yet. Period facts (HR, finance) count only at their own granularity or finer
than the period asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, or_, select
from sqlalchemy.orm import Session

from services.common.periods import Granularity, Period
from services.metrics import models as m
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


def measures_for(session: Session, subject: Subject, period: Period) -> dict[str, float]:
    """The period's summed measures for one subject (0.0 where nothing was recorded)."""
    conn = session.connection()
    units: set[str] | None = None
    if subject.level in ("team", "department"):
        units = descendants(session, subject.id, period.end)
    totals = dict.fromkeys(ALL_MEASURES, 0.0)
    totals[BUILT_WITH] = 0.0
    for source in SOURCES:
        t = source.table.c
        conditions = _period_filter(source, period)
        if subject.level == "agent":
            if source.agent_column is None:
                continue
            conditions.append(t[source.agent_column] == subject.id)
        elif units is not None:
            conditions.append(t.org_unit_id.in_(sorted(units)))
        *sums, built_with = conn.execute(
            select(
                *(func.coalesce(func.sum(t[name]), 0.0) for name in source.measures),
                func.max(t.params_version),
            ).where(*conditions)
        ).one()
        totals.update(zip(source.measures, (float(v) for v in sums), strict=True))
        totals[BUILT_WITH] = max(totals[BUILT_WITH], float(built_with or 0))
    return totals


def agents_with_data(conn: Connection, period: Period) -> list[str]:
    """Ids of every agent with any rollup row in the period, sorted."""
    agents: set[str] = set()
    for source in SOURCES:
        if source.agent_column is None:
            continue
        column = source.table.c[source.agent_column]
        agents.update(
            conn.scalars(
                select(column).where(*_period_filter(source, period), column != "").distinct()
            )
        )
    return sorted(agents)


def measures_by_agent(
    conn: Connection, period: Period, agents: Iterable[str] | None = None
) -> dict[str, dict[str, float]]:
    """Summed measures of the agents (every agent with data when None), one query per rollup.

    The agents are filtered by the range from the first to the last id and then
    in Python: a page of a sorted list is such a range, and a range is far cheaper
    to send and plan than thousands of bound ids.
    """
    wanted = sorted(set(agents)) if agents is not None else None
    if wanted == []:
        return {}
    keep = set(wanted) if wanted is not None else None
    result: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(ALL_MEASURES, 0.0))
    for source in SOURCES:
        if source.agent_column is None:
            continue
        t = source.table.c
        agent = t[source.agent_column]
        conditions = [*_period_filter(source, period), agent != ""]
        if wanted is not None:
            conditions += [agent >= wanted[0], agent <= wanted[-1]]
        rows = conn.execute(
            select(agent, *(func.sum(t[name]) for name in source.measures))
            .where(*conditions)
            .group_by(agent)
        )
        for agent_id, *values in rows:
            if keep is not None and agent_id not in keep:
                continue
            result[agent_id].update(
                zip(source.measures, (float(v or 0.0) for v in values), strict=True)
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
    for source in SOURCES:
        t = source.table.c
        rows = conn.execute(
            select(t.org_unit_id, *(func.sum(t[name]) for name in source.measures))
            .where(*_period_filter(source, period), t.org_unit_id != "")
            .group_by(t.org_unit_id)
        )
        for unit_id, *values in rows:
            target = owner(unit_id)
            if target is None:
                continue
            totals = result[target]
            for name, value in zip(source.measures, values, strict=True):
                totals[name] += float(value or 0.0)
    return dict(result)
