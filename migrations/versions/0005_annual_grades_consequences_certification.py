"""Annual grades and their populations, consequence recommendations, cap tier changes, center assessments.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 13:51:08.957707
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# services.common.db.ExactDecimal: exact NUMERIC on Postgres, text on SQLite.
POINTS = sa.Numeric().with_variant(sa.String(48), "sqlite")

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "annual_populations",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("population", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False, comment="department or center"),
        sa.Column("quotas", sa.JSON(), nullable=False),
        sa.Column("allowed", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("year", "population", name=op.f("pk_annual_populations")),
    )
    op.create_table(
        "center_assessments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("center_id", sa.String(length=64), nullable=False),
        sa.Column("standard", sa.String(length=32), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("total", POINTS, nullable=False),
        sa.Column("rounded_total", POINTS, nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("assessed_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_center_assessments")),
    )
    op.create_index(
        "ix_center_assessments_center_id",
        "center_assessments",
        ["center_id", "assessed_on"],
        unique=False,
    )
    op.create_table(
        "annual_grades",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("population", sa.String(length=64), nullable=False),
        sa.Column("coefficient", POINTS, nullable=True),
        sa.Column("basis", sa.String(length=32), nullable=False),
        sa.Column("months_used", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("distributed_grade", sa.String(length=1), nullable=True),
        sa.Column("grade", sa.String(length=1), nullable=True),
        sa.Column("calibration_reason", sa.Text(), nullable=True),
        sa.Column("calibrated_by", sa.String(length=64), nullable=True),
        sa.Column("calibrated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_annual_grades_employee_id_employees")
        ),
        sa.PrimaryKeyConstraint("year", "employee_id", name=op.f("pk_annual_grades")),
    )
    op.create_index(
        "ix_annual_grades_year_population", "annual_grades", ["year", "population"], unique=False
    )
    op.create_table(
        "consequence_recommendations",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("rule_code", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_consequence_recommendations_employee_id_employees"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_consequence_recommendations")),
    )
    op.create_index(
        "ix_consequence_recommendations_employee_id",
        "consequence_recommendations",
        ["employee_id"],
        unique=False,
    )
    op.create_table(
        "cap_tier_changes",
        sa.Column("recommendation_key", sa.String(length=400), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False, comment="+1 up a tier, -1 down a tier"),
        sa.Column(
            "effective_from", sa.Date(), nullable=False, comment="first day of the next month"
        ),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_cap_tier_changes_employee_id_employees"),
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_key"],
            ["consequence_recommendations.key"],
            name=op.f("fk_cap_tier_changes_recommendation_key_consequence_recommendations"),
        ),
        sa.PrimaryKeyConstraint("recommendation_key", name=op.f("pk_cap_tier_changes")),
    )
    op.create_index(
        op.f("ix_cap_tier_changes_employee_id"), "cap_tier_changes", ["employee_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_cap_tier_changes_employee_id"), table_name="cap_tier_changes")
    op.drop_table("cap_tier_changes")
    op.drop_index(
        "ix_consequence_recommendations_employee_id", table_name="consequence_recommendations"
    )
    op.drop_table("consequence_recommendations")
    op.drop_index("ix_annual_grades_year_population", table_name="annual_grades")
    op.drop_table("annual_grades")
    op.drop_index("ix_center_assessments_center_id", table_name="center_assessments")
    op.drop_table("center_assessments")
    op.drop_table("annual_populations")
