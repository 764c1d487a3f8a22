"""KPI use cases: catalog, scorecards, value lists and explanations.

Every read first makes sure no day of its period is still marked dirty (asked in
the statement that reads the definitions, or for a scorecard in its one statement;
a refresh and a wait only when one is), so a value never lags behind ingested
data, then sums the period's measures and applies the catalog's formulas
(``services.metrics.domain.catalog``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from services.common.auth import Principal, Role
from services.common.db import UnitOfWork
from services.common.errors import InvalidArgument, PermissionDenied
from services.common.pagination import PageRequest, next_page_token
from services.common.periods import Period
from services.metrics.definitions import DefinitionRow, DefinitionVersion, versions_in_force
from services.metrics.domain.catalog import (
    CATALOG,
    KpiDefinition,
    KpiValue,
    Level,
    Unit,
    compute,
)
from services.metrics.domain.scoring import WeightedScore, kpi_score, weighted_score
from services.metrics.measures_query import (
    ALL_MEASURES,
    BUILT_WITH,
    Subject,
    agents_with_data,
    measures_by_agent,
    measures_by_unit,
    read_state,
    scorecard_inputs,
    source_counts,
)
from services.metrics.refresh import wait_for_rebuilds

KPI_READERS = frozenset({Role.HR, Role.PERF_ADMIN, Role.DUTY_OFFICER})

Refresher = Callable[[], int]


class SubjectValue(NamedTuple):
    subject: Subject
    value: KpiValue
    version: int = 1


@dataclass(frozen=True)
class Scorecard:
    values: list[KpiValue]
    versions: dict[str, DefinitionVersion]
    # For an org unit with a scorecard matrix: its weights, targets and the KPI scores.
    weights: dict[str, float] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    scores: dict[str, float | None] = field(default_factory=dict)
    weighted_score: float | None = None


MAX_LISTED_UNKNOWN = 10


def definitions_for(level: str, codes: Sequence[str]) -> list[KpiDefinition]:
    """The requested definitions, each once (all meaningful at ``level`` when none are named)."""
    codes = list(dict.fromkeys(codes))  # a code named twice is computed once
    unknown = [code for code in codes if code not in CATALOG]
    if unknown:
        more = len(unknown) - MAX_LISTED_UNKNOWN
        listed = ", ".join(unknown[:MAX_LISTED_UNKNOWN]) + (f" and {more} more" if more > 0 else "")
        raise InvalidArgument.field("kpis", f"unknown KPI codes: {listed}")
    if codes:
        return [CATALOG[code] for code in codes]
    return [d for d in CATALOG.values() if Level(level) in d.levels]


def _check_may_read(principal: Principal, subject: Subject, reports_to: str | None) -> None:
    """``reports_to``: the agent's supervisor on the period's last day (agents only)."""
    if principal.has_any(KPI_READERS):
        return
    if subject.level == "agent":
        if principal.subject == subject.id:
            return
        if Role.SUPERVISOR in principal.roles and reports_to == principal.subject:
            return
        raise PermissionDenied("agents read their own scorecard, supervisors their reports'")
    if Role.SUPERVISOR in principal.roles:
        return  # org-level scorecards are shared with every supervisor
    raise PermissionDenied("team, department and center scorecards need a supervisor, HR or "
                           "performance-management role")  # fmt: skip


def _fresh_state(uow: UnitOfWork, refresh: Refresher, period: Period) -> list[DefinitionRow]:
    """Rebuild the rollups the read needs if any of its days is dirty; returns the
    definition changes in force on the period's last day, read in the same statement
    as the dirty check (the common case, nothing dirty, is that one query)."""
    dirty, rows = read_state(uow.session.connection(), period)
    if dirty:
        _rebuild(uow, refresh, period)
    return rows


def _rebuild(uow: UnitOfWork, refresh: Refresher, period: Period) -> None:
    """Refresh, and wait for the period's days another refresher is rebuilding."""
    conn = uow.session.connection()
    refresh()
    wait_for_rebuilds(conn, period.start, period.end)
    if conn.dialect.name == "sqlite":
        # A new transaction: SQLite's would still read its snapshot from before the refresh
        # (Postgres reads committed rows afresh at every statement).
        uow.session.rollback()


def scorecard(
    uow: UnitOfWork,
    refresh: Refresher,
    principal: Principal,
    subject: Subject,
    period: Period,
    codes: Sequence[str],
) -> Scorecard:
    """One statement reads everything (measures, whether a day of the period is dirty,
    definition versions, the matrix, an agent's supervisor) from one snapshot; only
    when a day is dirty are the rollups rebuilt and the statement read again."""
    definitions = definitions_for(subject.level, codes)
    with uow:
        conn = uow.session.connection()
        inputs = scorecard_inputs(conn, subject, period)
        _check_may_read(principal, subject, inputs.reports_to)
        if inputs.dirty:
            _rebuild(uow, refresh, period)
            inputs = scorecard_inputs(uow.session.connection(), subject, period)
    matrix = inputs.matrix
    if matrix and not codes:  # a unit with a matrix is scored on its own KPIs first
        wanted = {code for code, _, _ in matrix}
        definitions = [CATALOG[c] for c in sorted(wanted)] + [
            d for d in definitions if d.code not in wanted
        ]
    measures = inputs.measures
    # The versions the stored counts followed: a change made after the days were
    # built applies only once the period is recomputed.
    versions = versions_in_force(
        inputs.versions,
        [d.code for d in definitions],
        period.end,
        built_with=int(measures[BUILT_WITH]),
    )
    values = [compute(d, measures) for d in definitions]
    if not matrix:
        return Scorecard(values, versions)
    by_code = {v.code: v for v in values}
    weights = {code: weight for code, weight, _ in matrix}
    targets = {code: target for code, _, target in matrix}
    scores = {
        code: kpi_score(
            by_code[code].value if code in by_code else None,
            targets[code],
            CATALOG[code].direction,
        )
        for code in weights
    }
    total = weighted_score(WeightedScore(scores[code], weights[code]) for code in weights)
    return Scorecard(values, versions, weights, targets, scores, total)


@dataclass(frozen=True)
class KpiColumn:
    """One KPI for a page of agents, as parallel lists (index i is ``agents[i]``)."""

    code: str
    unit: Unit
    version: int
    numerators: list[float]
    denominators: list[float]
    values: list[float | None]


@dataclass(frozen=True)
class AgentPage:
    agents: list[str]
    kpis: list[KpiColumn]
    next_page_token: str


def agent_values(
    uow: UnitOfWork,
    refresh: Refresher,
    period: Period,
    codes: Sequence[str],
    agents: Sequence[str],
    page: PageRequest,
    filters: object,
) -> AgentPage:
    """Every agent's values for the period, agents in id order, ``page.size`` agents a page.

    The catalog's formulas are plain arithmetic over measures, so they are evaluated
    once per KPI over arrays of all the page's agents (numpy) instead of once per
    agent: a month of 5,000 agents is ~100,000 values. ``compute`` stays the
    reference; a test holds the two to the same results.
    """
    definitions = definitions_for("agent", codes)
    with uow:
        rows = _fresh_state(uow, refresh, period)
        conn = uow.session.connection()
        ids = sorted(set(agents)) if agents else agents_with_data(conn, period)
        ids = [a for a in ids if page.after is None or a > page.after]
        chosen, more = ids[: page.size], len(ids) > page.size
        by_agent = measures_by_agent(conn, period, chosen)
    versions = versions_in_force(rows, [d.code for d in definitions], period.end)
    columns = measure_columns(chosen, by_agent)
    kpis = [evaluate_column(d, columns, len(chosen), versions[d.code].version) for d in definitions]
    return AgentPage(chosen, kpis, next_page_token(chosen[-1], filters) if more else "")


def unit_values(
    uow: UnitOfWork,
    refresh: Refresher,
    level: str,
    period: Period,
    codes: Sequence[str],
    units: Sequence[str],
    page: PageRequest,
    filters: object,
) -> AgentPage:
    """Every team's (or department's) values for the period, a page of units at a time."""
    definitions = definitions_for(level, codes)
    with uow:
        rows = _fresh_state(uow, refresh, period)
        by_unit = measures_by_unit(uow.session, period, level)
    versions = versions_in_force(rows, [d.code for d in definitions], period.end)
    ids = sorted(set(units)) if units else sorted(by_unit)
    ids = [u for u in ids if page.after is None or u > page.after]
    chosen, more = ids[: page.size], len(ids) > page.size
    columns = measure_columns(chosen, by_unit)
    kpis = [evaluate_column(d, columns, len(chosen), versions[d.code].version) for d in definitions]
    return AgentPage(chosen, kpis, next_page_token(chosen[-1], filters) if more else "")


def measure_columns(
    agents: Sequence[str], by_agent: Mapping[str, Mapping[str, float]]
) -> dict[str, np.ndarray]:
    """Measures as arrays over the agents (0 where an agent has no row)."""
    rows = [by_agent.get(agent) for agent in agents]
    return {
        name: np.fromiter((r[name] if r else 0.0 for r in rows), dtype=float, count=len(rows))
        for name in ALL_MEASURES
    }


def evaluate_column(
    definition: KpiDefinition, columns: Mapping[str, np.ndarray], size: int, version: int
) -> KpiColumn:
    # The catalog's terms are typed for scalars; they are only arithmetic, so arrays work.
    arrays: Any = columns
    parameters = definition.parameters
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        numerators = np.broadcast_to(
            np.asarray(definition.numerator(arrays, parameters), dtype=np.float64), (size,)
        )
        denominators = np.broadcast_to(
            np.asarray(definition.denominator(arrays, parameters), dtype=np.float64), (size,)
        )
        ratios: Any = numerators / denominators
        values = np.where(denominators == 0, np.nan, ratios * definition.value_scale)
        values = np.where(np.isfinite(values), values, np.nan)  # as ``compute``: no value
    return KpiColumn(
        code=definition.code,
        unit=definition.unit,
        version=version,
        numerators=numerators.tolist(),
        denominators=denominators.tolist(),
        values=[None if math.isnan(v) else v for v in values.tolist()],
    )


def explain(
    uow: UnitOfWork,
    refresh: Refresher,
    principal: Principal,
    subject: Subject,
    period: Period,
    code: str,
    timezone: Any = None,
) -> tuple[KpiDefinition, KpiValue, DefinitionVersion, list[tuple[str, str, int]]]:
    (definition,) = definitions_for(subject.level, [code])
    card = scorecard(uow, refresh, principal, subject, period, [code])
    with uow:
        sources = source_counts(uow.session, subject, period, definition.measures, timezone)
    return definition, card.values[0], card.versions[code], sources
