"""metrics ingest log, kpi definition versions, department kpis

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:40:48.199803
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "department_kpis",
        sa.Column("org_unit_id", sa.String(length=64), nullable=False),
        sa.Column("kpi_code", sa.String(length=64), nullable=False),
        sa.Column(
            "weight", sa.Double(), nullable=False, comment="percent; a unit's weights add to 100"
        ),
        sa.Column("target", sa.Double(), nullable=False, comment="in the KPI's unit"),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org_unit_id", "kpi_code", name=op.f("pk_department_kpis")),
    )
    op.create_table(
        "ingest_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column(
            "kind", sa.String(length=32), nullable=False, comment="'unknown' when no kind was set"
        ),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("duplicate", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column(
            "rejected_by_reason",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("first_day", sa.Date(), nullable=True, comment="earliest event day stored"),
        sa.Column("last_day", sa.Date(), nullable=True, comment="latest event day stored"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_log")),
    )
    op.create_index("ix_ingest_log_received_at", "ingest_log", ["received_at"], unique=False)
    op.create_table(
        "kpi_definition_versions",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column(
            "parameters",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
            comment="every parameter of the KPI",
        ),
        sa.Column("target", sa.Double(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_kpi_definition_versions")),
    )
    op.create_index(
        "ix_kpi_definition_versions_code_version",
        "kpi_definition_versions",
        ["code", "version"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ix_kpi_definition_versions_code_version", table_name="kpi_definition_versions")
    op.drop_table("kpi_definition_versions")
    op.drop_index("ix_ingest_log_received_at", table_name="ingest_log")
    op.drop_table("ingest_log")
    op.drop_table("department_kpis")
