"""Audit records for payroll and appraisal outcomes; every audit table append-only.

``pay_audit`` and ``appraisal_outcome_audit`` hold who changed what, when, before and
after (``services.common.audit``). On them and on ``appraisal_audit`` the database
itself refuses UPDATE and DELETE of a row, and TRUNCATE of the table:

- Postgres: one plpgsql function raising an exception, run by a BEFORE UPDATE OR DELETE
  row trigger and a BEFORE TRUNCATE statement trigger on each table. A delete cascading
  from a parent (``appraisals`` → ``appraisal_audit``) is refused too: an appraisal with
  a history cannot be deleted. Only a session that may set ``session_replication_role``
  (a superuser; the application's role should not be one) skips the triggers with
  ``SET LOCAL session_replication_role = replica``: the test harness does, to empty
  the whole schema between tests (``TRUNCATE ... CASCADE``).
- SQLite (the embedded demo database): BEFORE UPDATE and BEFORE DELETE triggers that
  ``RAISE(ABORT)``; SQLite has no TRUNCATE. A later migration that rebuilds one of these
  tables in batch mode (copy, drop, rename) drops its triggers: it must create them again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 10:12:41.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_TABLES = ("pay_audit", "appraisal_outcome_audit")
APPEND_ONLY = ("appraisal_audit", *NEW_TABLES)
REFUSE = "ccperf_refuse_audit_change"


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
        op.execute(
            f"""
            CREATE FUNCTION {REFUSE}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% on % refused: audit records are append-only',
                    TG_OP, TG_TABLE_NAME;
            END
            $$
            """
        )
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
        op.execute(f"DROP FUNCTION {REFUSE}()")
    else:
        for table in APPEND_ONLY:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{verb}")
    for name in reversed(NEW_TABLES):
        op.drop_index(f"ix_{name}_entity", table_name=name)
        op.drop_table(name)
