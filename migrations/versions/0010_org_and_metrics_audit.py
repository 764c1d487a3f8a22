"""Audit records for the org and metrics parameters; KPI definition versions append-only.

``org_audit`` (the calendar's holidays and make-up days, leave) and ``metrics_audit``
(a department's KPI matrix, recomputes asked for) hold who changed what, when, before
and after, with the columns of ``pay_audit`` (``services.common.audit``).
``kpi_definition_versions`` already keeps every change to a KPI definition (a new row
per version: who, when, why, the parameters and target in force from then on), so it
is the trail of ``UpdateKpiDefinition``: now the database keeps it as written too.

On these three tables the database refuses UPDATE, DELETE and TRUNCATE as on the audit
tables of migration 0008: on Postgres with the same function (``ccperf_refuse_audit_change``,
created by 0008) in row and statement triggers; on SQLite (the embedded demo database)
with BEFORE UPDATE and BEFORE DELETE triggers that ``RAISE(ABORT)``.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("org_audit", "metrics_audit")
APPEND_ONLY = ("kpi_definition_versions", *NEW_TABLES)
REFUSE = "ccperf_refuse_audit_change"  # created by 0008


def _create_audit_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(length=64), nullable=False, comment="the principal's subject"),
        sa.Column(
            "action", sa.String(length=32), nullable=False, comment="created, updated, frozen, ..."
        ),
        sa.Column(
            "entity", sa.String(length=32), nullable=False, comment="what kind of thing changed"
        ),
        sa.Column(
            "key", sa.String(length=400), nullable=False, comment="which one: its identity as text"
        ),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(f"ix_{name}_entity", name, ["entity", "key", "id"], unique=False)


def upgrade() -> None:
    for name in NEW_TABLES:
        _create_audit_table(name)
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {REFUSE}()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE}()"
            )
    else:
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{verb} on {table} refused: audit records "
                    "are append-only'); END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
    else:
        for table in APPEND_ONLY:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{verb}")
    for name in reversed(NEW_TABLES):
        op.drop_index(f"ix_{name}_entity", table_name=name)
        op.drop_table(name)
