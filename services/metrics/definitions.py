"""Versioned KPI definitions: parameters and targets that change from a date on.

The catalog (``domain/catalog.py``) is version 1 of every KPI. An update adds a
version effective from its date. Counting thresholds are applied when rollups
are built, so a day is counted with the parameters in force on that day; days
already built keep their counts until someone recomputes the period.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from services.common.auth import Principal
from services.common.db import UnitOfWork, utcnow
from services.common.errors import Conflict, NotFound, Violations
from services.metrics.domain.catalog import CATALOG
from services.metrics.domain.measures import DEFAULT_PARAMETERS
from services.metrics.models import KpiDefinitionVersion

BUILT_IN = dt.date(2000, 1, 1)
PARAMETER_RANGES: Mapping[str, tuple[float, float]] = {
    "service_level_seconds": (1, 3600),
    "short_abandon_seconds": (0, 600),
    "fcr_window_days": (1, 30),
    "csat_top_box_min": (1, 5),
    "paid_hours_per_day": (1, 24),
}


@dataclass(frozen=True)
class DefinitionVersion:
    code: str
    version: int
    effective_from: dt.date
    parameters: Mapping[str, float]
    target: float | None


def _built_in(code: str) -> DefinitionVersion:
    return DefinitionVersion(code, 1, BUILT_IN, dict(CATALOG[code].parameters), None)


class DefinitionRow(NamedTuple):
    """A stored change (``kpi_definition_versions``), as a scorecard's statement reads it."""

    seq: int
    code: str
    version: int
    effective_from: dt.date
    parameters: Mapping[str, float]
    target: float | None


_VERSIONS = KpiDefinitionVersion.__table__.c
_ON_DAY = select(
    _VERSIONS.seq, _VERSIONS.code, _VERSIONS.version, _VERSIONS.effective_from,
    _VERSIONS.parameters, _VERSIONS.target,
).where(_VERSIONS.effective_from <= bindparam("day"))  # fmt: skip


def in_force(
    session: Session, codes: list[str], day: dt.date, *, built_with: int | None = None
) -> dict[str, DefinitionVersion]:
    """The version of each KPI in force on ``day``.

    ``built_with`` limits it to changes made up to that one (``seq``): the version
    stored rollups were counted with, when they were built before a later change.
    """
    rows = [DefinitionRow(*row) for row in session.execute(_ON_DAY, {"day": day})]
    return versions_in_force(rows, codes, day, built_with=built_with)


def versions_in_force(
    rows: Iterable[DefinitionRow], codes: list[str], day: dt.date, *, built_with: int | None = None
) -> dict[str, DefinitionVersion]:
    """``in_force`` over changes already read (any superset of those up to ``day``)."""
    result = {code: _built_in(code) for code in codes}
    chosen = [
        row
        for row in rows
        if row.code in result
        and row.effective_from <= day
        and (built_with is None or row.seq <= built_with)
    ]
    for row in sorted(chosen, key=lambda r: (r.effective_from, r.version)):  # later rows win
        result[row.code] = DefinitionVersion(
            row.code, row.version, row.effective_from, row.parameters, row.target
        )
    return result


def parameters_on(session: Session, day: dt.date) -> tuple[dict[str, float], int]:
    """Counting parameters in force on ``day`` and the newest change used (0: defaults)."""
    values = dict(DEFAULT_PARAMETERS)
    newest = 0
    rows = session.scalars(
        select(KpiDefinitionVersion)
        .where(KpiDefinitionVersion.effective_from <= day)
        .order_by(KpiDefinitionVersion.seq)
    )
    for row in rows:
        for name, value in row.parameters.items():
            if name in values:
                values[name] = float(value)
                newest = row.seq
    return values, newest


def update(
    uow: UnitOfWork,
    principal: Principal,
    *,
    code: str,
    parameters: Mapping[str, float],
    target: float | None,
    effective_from: dt.date,
    expected_version: int,
    reason: str,
) -> DefinitionVersion:
    if code not in CATALOG:
        raise NotFound(f"no KPI {code!r} in the catalog")
    definition = CATALOG[code]
    v = Violations()
    for name, value in sorted(parameters.items()):
        if name not in definition.parameters:
            allowed = ", ".join(definition.parameters) or "none"
            v.add(f"parameters[{name}]", f"is not a parameter of {code} (it has: {allowed})")
            continue
        low, high = PARAMETER_RANGES.get(name, (0.0, math.inf))
        if not (math.isfinite(value) and low <= value <= high):
            v.add(f"parameters[{name}]", f"must be between {low:g} and {high:g}")
    if target is not None and not math.isfinite(target):
        v.add("target", "must be a finite number")
    if not parameters and target is None:
        v.add("parameters", "change at least one parameter or the target")
    v.raise_if_any()
    with uow:
        session = uow.session
        latest = (
            session.scalar(
                select(func.max(KpiDefinitionVersion.version)).where(
                    KpiDefinitionVersion.code == code
                )
            )
            or 1
        )
        if expected_version != latest:
            raise Conflict(f"{code} is at version {latest}, not {expected_version}; re-read it")
        base = in_force(session, [code], effective_from)[code]
        row = KpiDefinitionVersion(
            code=code,
            version=latest + 1,
            effective_from=effective_from,
            parameters={**base.parameters, **{k: float(x) for k, x in parameters.items()}},
            target=target if target is not None else base.target,
            reason=reason,
            updated_by=principal.subject,
            updated_at=utcnow(),
        )
        session.add(row)
        uow.commit()
    return DefinitionVersion(code, row.version, effective_from, row.parameters, row.target)
