"""Metrics parameters and recomputes leave who, when, before and after (issue #7, audit).

A department's KPI matrix and each recompute go to ``metrics_audit``, in the change's
transaction; KPI definition changes are their own trail (``kpi_definition_versions``,
one row per version). A replay records nothing, a refused change records nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from services.common.auth import Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import Conflict, InvalidArgument, NotFound
from services.common.periods import Period
from services.metrics import audit, definitions, department_kpis
from services.metrics.department_kpis import MatrixEntry
from services.metrics.models import (
    DepartmentKpi,
    KpiDefinitionVersion,
    MetricsAuditEntry,
    RollupDirtyDay,
)
from services.metrics.rollups import ROLLUPS
from tests.integration.org_factories import seed_tree, who
from tests.support.audit_trail import audit_count, audit_trail

ADMIN = who("pa-1", Role.PERF_ADMIN)
ADMIN2 = who("pa-2", Role.PERF_ADMIN)
NOW = dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=1)


def trail(uows: UnitOfWorkFactory, entity: str) -> list[dict[str, Any]]:
    return audit_trail(uows, MetricsAuditEntry, entity)


def count(uows: UnitOfWorkFactory) -> int:
    return audit_count(uows, MetricsAuditEntry)


def test_number_is_the_shortest_exact_decimal_text() -> None:
    assert [audit.number(x) for x in (60.0, 33.3, 0.1 + 0.2, 1e-7, 1e20)] == [
        "60.0", "33.3", "0.30000000000000004", "0.0000001", "100000000000000000000"
    ]  # fmt: skip


def test_a_department_matrix_records_who_when_before_and_after(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_tree(uow_factory)
    first = [MatrixEntry("aht", 60.0, 300.0), MatrixEntry("calls_answered", 40.0, 10.0)]
    department_kpis.set_matrix(uow_factory(), ADMIN, "OPS", first, now=NOW)
    department_kpis.set_matrix(uow_factory(), ADMIN, "OPS", first[::-1], now=LATER)  # a replay
    second = [MatrixEntry("aht", 66.7, 280.5), MatrixEntry("service_level", 33.3, 80.0)]
    department_kpis.set_matrix(uow_factory(), ADMIN2, "OPS", second, now=LATER)
    department_kpis.set_matrix(uow_factory(), ADMIN2, "OPS", [], now=LATER)

    before = {"aht": {"weight": "60.0", "target": "300.0"},
              "calls_answered": {"weight": "40.0", "target": "10.0"}}  # fmt: skip
    after = {"aht": {"weight": "66.7", "target": "280.5"},
             "service_level": {"weight": "33.3", "target": "80.0"}}  # fmt: skip
    assert trail(uow_factory, "department_kpis") == [
        {"at": NOW, "who": "pa-1", "action": "created", "key": "OPS", "before": None,
         "after": before},
        {"at": LATER, "who": "pa-2", "action": "updated", "key": "OPS", "before": before,
         "after": after},
        {"at": LATER, "who": "pa-2", "action": "removed", "key": "OPS", "before": after,
         "after": None},
    ]  # fmt: skip
    # The replay left the stored matrix (and who last set it) alone.
    department_kpis.set_matrix(uow_factory(), ADMIN, "OPS", first, now=NOW)
    department_kpis.set_matrix(uow_factory(), ADMIN2, "OPS", first, now=LATER)
    assert department_kpis.get_matrix(uow_factory(), "OPS") == first
    with uow_factory() as uow:
        setters = uow.session.execute(select(DepartmentKpi.updated_by, DepartmentKpi.updated_at))
        assert set(setters) == {("pa-1", NOW)}
    assert len(trail(uow_factory, "department_kpis")) == 4


def test_a_refused_matrix_records_nothing(uow_factory: UnitOfWorkFactory) -> None:
    seed_tree(uow_factory)
    matrix = [MatrixEntry("aht", 100.0, 300.0)]
    with pytest.raises(NotFound):  # refused inside the transaction
        department_kpis.set_matrix(uow_factory(), ADMIN, "NOWHERE", matrix, now=NOW)
    with pytest.raises(InvalidArgument):  # weights add up to 90
        department_kpis.set_matrix(uow_factory(), ADMIN, "OPS", [MatrixEntry("aht", 90.0, 1.0)])
    assert count(uow_factory) == 0
    assert department_kpis.get_matrix(uow_factory(), "OPS") == []


def test_a_recompute_records_who_when_and_the_period(uow_factory: UnitOfWorkFactory) -> None:
    audit.recompute_period(uow_factory(), ADMIN, Period.parse("2026-10"), now=NOW)
    audit.recompute_period(uow_factory(), ADMIN2, Period.parse("2026-10-05"), now=LATER)
    assert trail(uow_factory, "period") == [
        {"at": NOW, "who": "pa-1", "action": "recompute", "key": "2026-10", "before": None,
         "after": {"from": "2026-10-01", "to": "2026-10-31"}},
        {"at": LATER, "who": "pa-2", "action": "recompute", "key": "2026-10-05",
         "before": None, "after": {"from": "2026-10-05", "to": "2026-10-05"}},
    ]  # fmt: skip
    with uow_factory() as uow:
        marked = uow.session.scalar(select(func.count()).select_from(RollupDirtyDay))
    assert marked == 31 * len(ROLLUPS)


def test_kpi_definition_versions_are_the_trail_of_definition_changes(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Every version stays, with who, when and why; the one before is the previous state."""
    start = dt.date(2026, 10, 1)
    definitions.update(uow_factory(), ADMIN, code="aht", parameters={}, target=300.0,
                       effective_from=start, expected_version=1, reason="first")  # fmt: skip
    definitions.update(uow_factory(), ADMIN2, code="aht", parameters={}, target=280.0,
                       effective_from=start, expected_version=2, reason="second")  # fmt: skip
    with pytest.raises(Conflict):  # stale: refused, nothing written
        definitions.update(uow_factory(), ADMIN, code="aht", parameters={}, target=1.0,
                           effective_from=start, expected_version=2, reason="stale")  # fmt: skip
    with uow_factory() as uow:
        rows = uow.session.execute(
            select(KpiDefinitionVersion.version, KpiDefinitionVersion.target,
                   KpiDefinitionVersion.updated_by, KpiDefinitionVersion.reason)
            .where(KpiDefinitionVersion.code == "aht")
            .order_by(KpiDefinitionVersion.seq)
        ).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [(2, 300.0, "pa-1", "first"), (3, 280.0, "pa-2", "second")]
    assert count(uow_factory) == 0  # no second record of the same change
