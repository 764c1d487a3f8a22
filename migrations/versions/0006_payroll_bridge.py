"""Payroll bridge: cap table, base tiers, draft lines, batches and their immutable lines.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 14:25:55.199328
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# services.common.db.ExactDecimal: exact NUMERIC on Postgres, text on SQLite.
AMOUNT = sa.Numeric().with_variant(sa.String(48), "sqlite")

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pay_batches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("totals", sa.JSON(), nullable=False, comment="currency → sum of lines"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_batches")),
        sa.UniqueConstraint("period", name=op.f("uq_pay_batches_period")),
    )
    op.create_table(
        "pay_cap_rows",
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("grade", sa.String(length=32), nullable=False, comment="job grade"),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True, comment="exclusive"),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "position", "grade", "tier", "valid_from", name=op.f("pk_pay_cap_rows")
        ),
    )
    op.create_table(
        "pay_draft_lines",
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("amount", AMOUNT, nullable=False, comment="rounded once, at the line"),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "source_issue",
            sa.Integer(),
            nullable=False,
            comment="the appraisal result issue it read",
        ),
        sa.Column("original_line_id", sa.String(length=240), nullable=True),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint(
            "period", "employee_id", "kind", "reference", name=op.f("pk_pay_draft_lines")
        ),
    )
    op.create_table(
        "pay_base_tiers",
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_pay_base_tiers_employee_id_employees")
        ),
        sa.PrimaryKeyConstraint("employee_id", "effective_from", name=op.f("pk_pay_base_tiers")),
    )
    op.create_table(
        "pay_batch_lines",
        sa.Column("id", sa.String(length=48), nullable=False, comment="batch/line number"),
        sa.Column("batch_id", sa.String(length=32), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source_issue", sa.Integer(), nullable=False),
        sa.Column("original_line_id", sa.String(length=48), nullable=True),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["pay_batches.id"], name=op.f("fk_pay_batch_lines_batch_id_pay_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_batch_lines")),
        sa.UniqueConstraint(
            "batch_id", "line_no", name=op.f("uq_pay_batch_lines_batch_id_line_no")
        ),
    )
    op.create_index(
        "ix_pay_batch_lines_original_line_id", "pay_batch_lines", ["original_line_id"], unique=False
    )
    op.create_index("ix_pay_batch_lines_reference", "pay_batch_lines", ["reference"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_pay_batch_lines_reference", table_name="pay_batch_lines")
    op.drop_index("ix_pay_batch_lines_original_line_id", table_name="pay_batch_lines")
    op.drop_table("pay_batch_lines")
    op.drop_table("pay_base_tiers")
    op.drop_table("pay_draft_lines")
    op.drop_table("pay_cap_rows")
    op.drop_table("pay_batches")
