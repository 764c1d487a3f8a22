"""The database refuses to change or remove an audit record (issue #7, migrations 0008, 0010).

On Postgres, triggers refuse UPDATE and DELETE of a row and TRUNCATE of the table, on
``appraisal_audit``, ``pay_audit``, ``appraisal_outcome_audit``, ``org_audit``,
``metrics_audit`` and ``kpi_definition_versions`` (the trail of KPI definition
changes); on SQLite (the demo database) UPDATE and DELETE. Nothing in the services
updates or deletes them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from services.appraisal import outcomes
from services.appraisal.domain.certification import CCCS_OP_2003
from services.appraisal.domain.workflow import AppraisalState
from services.cli import alembic_config
from services.common.auth import Role
from services.common.db import UnitOfWorkFactory
from services.common.periods import Period
from services.metrics import audit as metrics_audit
from services.metrics import definitions, department_kpis
from services.org import service as org
from services.org.service import CalendarDay
from services.payroll_bridge import service
from services.payroll_bridge.domain.caps import CapRow
from services.payroll_bridge.domain.money import Money
from tests.integration.appraisal_factories import E1_ID, agent_flow, open_october, seed_org
from tests.integration.org_factories import who

AUDIT_TABLES = (
    "appraisal_audit",
    "pay_audit",
    "appraisal_outcome_audit",
    "org_audit",
    "metrics_audit",
    "kpi_definition_versions",
)
NOW = dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC)
WHO = {"kpi_definition_versions": "updated_by"}
"""The column naming who wrote a row, where it is not ``who``."""


def who_column(table: str) -> str:
    return WHO.get(table, "who")


def a_row(table: str) -> str:
    """SQL inserting a row written by H1 into ``table``."""
    if table == "kpi_definition_versions":
        return (
            "INSERT INTO kpi_definition_versions (code, version, effective_from, parameters, "
            "target, reason, updated_by, updated_at) VALUES ('aht', 2, '2026-10-01', '{}', "
            "280.0, 'r', 'H1', '2026-11-03 02:00:00')"
        )
    return (
        f"INSERT INTO {table} (at, who, action, entity, key, before, after) "
        "VALUES ('2026-11-03 02:00:00', 'H1', 'created', 'x', 'k', NULL, '{}')"
    )


@pytest.fixture
def audited(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """A record in each audit table, written by the use cases."""
    seed_org(uow_factory)
    open_october(uow_factory)
    agent_flow(uow_factory).to(AppraisalState.TARGETS_CONFIRMED)
    hr = who("H1", Role.HR)
    cap = CapRow("agent", "G3", 1, Money.of("3000.00", "CNY"), dt.date(2026, 1, 1))
    service.set_cap_table(uow_factory(), hr, [cap], now=NOW)
    full = {i.code: i.maximum for i in CCCS_OP_2003.sub_items}
    outcomes.assess_center(uow_factory(), hr, "CC", dt.date(2026, 12, 1), full)
    holiday = CalendarDay(dt.date(2026, 10, 1), False, "国庆节")
    org.set_calendar_year(uow_factory(), hr, 2026, [holiday], now=NOW)
    admin = who("PA", Role.PERF_ADMIN)
    matrix = [department_kpis.MatrixEntry("aht", 100.0, 300.0)]
    department_kpis.set_matrix(uow_factory(), admin, "OPS", matrix, now=NOW)
    metrics_audit.recompute_period(uow_factory(), admin, Period.parse("2026-10-01"), now=NOW)
    definitions.update(uow_factory(), admin, code="aht", parameters={}, target=280.0,
                       effective_from=dt.date(2026, 10, 1), expected_version=1,
                       reason="audited")  # fmt: skip
    return uow_factory


def refused(uows: UnitOfWorkFactory, sql: str) -> str:
    with pytest.raises(DBAPIError) as caught, uows() as uow:
        uow.session.execute(text(sql))
    return str(caught.value.orig)


def rows(uows: UnitOfWorkFactory, table: str) -> int:
    with uows() as uow:
        return int(uow.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_postgres_refuses_update_delete_and_truncate(
    audited: UnitOfWorkFactory, table: str
) -> None:
    before = rows(audited, table)
    assert before >= 1
    forge = f"UPDATE {table} SET {who_column(table)} = 'forger'"
    assert f"UPDATE on {table} refused" in refused(audited, forge)
    assert f"DELETE on {table} refused" in refused(audited, f"DELETE FROM {table}")
    assert f"TRUNCATE on {table} refused" in refused(audited, f"TRUNCATE {table} CASCADE")
    assert rows(audited, table) == before


def test_an_appraisal_with_a_history_cannot_be_deleted(audited: UnitOfWorkFactory) -> None:
    message = refused(audited, f"DELETE FROM appraisals WHERE id = '{E1_ID}'")
    assert "DELETE on appraisal_audit refused" in message


def test_sqlite_refuses_update_and_delete(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    command.upgrade(alembic_config(url), "head")  # type: ignore[arg-type]
    engine = create_engine(url)
    try:
        for table in AUDIT_TABLES[1:]:  # appraisal_audit's rows need an appraisal
            with engine.begin() as conn:
                conn.execute(text(a_row(table)))
            who = who_column(table)
            for verb, sql in (("UPDATE", f"UPDATE {table} SET {who} = 'forger'"),
                              ("DELETE", f"DELETE FROM {table}")):  # fmt: skip
                with (
                    pytest.raises(DBAPIError, match=f"{verb} on {table} refused"),
                    engine.begin() as conn,
                ):
                    conn.execute(text(sql))
            with engine.connect() as conn:
                assert conn.execute(text(f"SELECT {who} FROM {table}")).scalars().all() == ["H1"]
        with engine.connect() as conn:
            triggers = conn.execute(
                text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            ).all()
        assert {t for t, _ in triggers} == set(AUDIT_TABLES)
    finally:
        engine.dispose()
