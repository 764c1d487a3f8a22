"""What the metrics service writes to ``metrics_audit``: one row per changed thing.

Each audited write records its change in its own transaction (`services.common.audit`):

| entity | key | action | before / after |
|---|---|---|---|
| ``department_kpis`` | org unit id | created, updated, removed | KPI → weight, target |
| ``period`` | the period (``2026-10``) | recompute | after: its first and last day |

A matrix set again as it is (a replay) records nothing, and changes nothing; a refused
call records nothing either, since its transaction rolls back. A recompute is an
operator's action: each one asked for is recorded, with who and when. The rebuild runs
afterwards in the rollup refresher's own transactions.

Weights and targets are stored as binary floating point (``Double``); the records hold
each as the shortest decimal text that reads back as the same number (``60.0``,
``33.3``), never as a JSON float.

``UpdateKpiDefinition`` writes no row here: ``kpi_definition_versions`` keeps every
version (who, when, why, and the parameters and target in force from its date), and
the previous version is the one before. Since migration 0010 the database refuses to
change or remove one of them, as it does for the audit tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from services.common import audit
from services.common.auth import Principal
from services.common.db import UnitOfWork, utcnow
from services.common.periods import Period
from services.metrics import ingest, rollups
from services.metrics.models import MetricsAuditEntry


def number(value: float) -> str:
    """A stored float as decimal text: the shortest that reads back as the same float."""
    return format(Decimal(repr(value)), "f")


def matrix(cells: Iterable[tuple[str, float, float]]) -> dict[str, Any] | None:
    """A department's matrix from (KPI, weight, target) cells; none when it has no cell."""
    found = {
        kpi: {"weight": number(weight), "target": number(target)}
        for kpi, weight, target in sorted(cells)
    }
    return found or None


def trail(principal: Principal, at: dt.datetime) -> audit.Trail:
    return audit.Trail(MetricsAuditEntry, principal, at)


def recompute_period(
    uow: UnitOfWork, principal: Principal, period: Period, *, now: dt.datetime | None = None
) -> None:
    """Mark every rollup day of ``period`` for a rebuild, and record who asked and when."""
    with uow:
        ingest.mark_dirty(uow.session.connection(), rollups.mark_period(period))
        record = trail(principal, now or utcnow())
        record.add("period", str(period), None, {"from": period.start, "to": period.end},
                   "recompute")  # fmt: skip
        record.write(uow.session)
        uow.commit()
