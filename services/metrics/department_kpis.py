"""The department × KPI matrix: which KPIs an org unit is scored on, weighted, with targets.

Setting a unit's matrix records it, before and after, in ``metrics_audit`` (`audit`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select

from services.common.auth import Principal
from services.common.db import UnitOfWork, utcnow
from services.common.errors import NotFound, Violations
from services.metrics import audit
from services.metrics.domain.catalog import CATALOG, Level
from services.metrics.models import DepartmentKpi
from services.org.models import OrgUnit

WEIGHT_TOTAL = 100.0


@dataclass(frozen=True)
class MatrixEntry:
    kpi: str
    weight: float
    target: float


def set_matrix(
    uow: UnitOfWork,
    principal: Principal,
    org_unit_id: str,
    entries: Sequence[MatrixEntry],
    *,
    now: dt.datetime | None = None,
) -> list[MatrixEntry]:
    """Replace an org unit's matrix; the weights must add up to 100 (or the list be empty).

    The same matrix again changes nothing, and records nothing.
    """
    v = Violations()
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        if entry.kpi not in CATALOG:
            v.add(f"kpis[{i}].kpi", f"unknown KPI {entry.kpi!r}")
        elif Level.AGENT in CATALOG[entry.kpi].levels and len(CATALOG[entry.kpi].levels) == 1:
            v.add(f"kpis[{i}].kpi", f"{entry.kpi} is an agent-only KPI")
        if entry.kpi in seen:
            v.add(f"kpis[{i}].kpi", f"{entry.kpi} is listed twice")
        seen.add(entry.kpi)
        if not (math.isfinite(entry.weight) and 0 < entry.weight <= WEIGHT_TOTAL):
            v.add(f"kpis[{i}].weight", "must be above 0 and at most 100")
        if not math.isfinite(entry.target):
            v.add(f"kpis[{i}].target", "must be a finite number")
    total = sum(e.weight for e in entries if math.isfinite(e.weight))
    if entries and not math.isclose(total, WEIGHT_TOTAL, abs_tol=1e-6):
        v.add("kpis", f"weights add up to {total:g}, not {WEIGHT_TOTAL:g}")
    v.raise_if_any()
    with uow:
        session = uow.session
        # Locked, so two calls for one unit take turns and each records what it replaced.
        if session.get(OrgUnit, org_unit_id, with_for_update=True) is None:
            raise NotFound(f"org unit {org_unit_id!r} does not exist")
        current = session.scalars(
            select(DepartmentKpi).where(DepartmentKpi.org_unit_id == org_unit_id)
        ).all()
        before = audit.matrix((r.kpi_code, r.weight, r.target) for r in current)
        after = audit.matrix((e.kpi, e.weight, e.target) for e in entries)
        if before == after:
            return list(entries)
        at = now or utcnow()
        session.execute(delete(DepartmentKpi).where(DepartmentKpi.org_unit_id == org_unit_id))
        session.add_all(
            DepartmentKpi(
                org_unit_id=org_unit_id, kpi_code=e.kpi, weight=e.weight, target=e.target,
                updated_by=principal.subject, updated_at=at,
            )
            for e in entries
        )  # fmt: skip
        record = audit.trail(principal, at)
        action = "removed" if after is None else None
        record.add("department_kpis", org_unit_id, before, after, action)
        record.write(session)
        uow.commit()
    return list(entries)


def get_matrix(uow: UnitOfWork, org_unit_id: str) -> list[MatrixEntry]:
    with uow:
        rows = uow.session.scalars(
            select(DepartmentKpi)
            .where(DepartmentKpi.org_unit_id == org_unit_id)
            .order_by(DepartmentKpi.kpi_code)
        )
        return [MatrixEntry(r.kpi_code, r.weight, r.target) for r in rows]
