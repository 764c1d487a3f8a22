"""Versioned KPI definitions: parameters and targets that change from a date on.

The catalog (``domain/catalog.py``) is version 1 of every KPI. An update adds a
version effective from its date. Counting thresholds are applied when rollups
are built, so a day is counted with the parameters in force on that day; days
already built keep their counts until someone recomputes the period.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
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


def in_force(
    session: Session, codes: list[str], day: dt.date, *, built_with: int | None = None
) -> dict[str, DefinitionVersion]:
    """The version of each KPI in force on ``day``.

    ``built_with`` limits it to changes made up to that one (``seq``): the version
    stored rollups were counted with, when they were built before a later change.
    """
    result = {code: _built_in(code) for code in codes}
    query = select(KpiDefinitionVersion).where(
        KpiDefinitionVersion.code.in_(codes), KpiDefinitionVersion.effective_from <= day
    )
    if built_with is not None:
        query = query.where(KpiDefinitionVersion.seq <= built_with)
    rows = session.scalars(
        query.order_by(KpiDefinitionVersion.effective_from, KpiDefinitionVersion.version)
    )
    for row in rows:  # later rows win
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
