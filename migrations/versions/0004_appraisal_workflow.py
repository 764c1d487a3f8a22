"""Appraisal workflow: cycles, appraisals, items, 360 ratings, adjustments, results, audit.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:38:21.523058
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# services.common.db.ExactDecimal: exact NUMERIC on Postgres, text on SQLite.
POINTS = sa.Numeric().with_variant(sa.String(48), "sqlite")
VALUE = POINTS

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appraisal_cycles",
        sa.Column("id", sa.String(length=16), nullable=False, comment="the period, 2026-10"),
        sa.Column(
            "granularity",
            sa.Enum(
                "day",
                "month",
                "quarter",
                "year",
                name="granularity",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("template_code", sa.String(length=64), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column(
            "data_due_on", sa.Date(), nullable=False, comment="3rd working day after the period"
        ),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_cycles")),
    )
    op.create_table(
        "appraisals",
        sa.Column("id", sa.String(length=96), nullable=False, comment="cycle/employee"),
        sa.Column("cycle_id", sa.String(length=16), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("assessor_id", sa.String(length=64), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False),
        sa.Column(
            "position_type",
            sa.Enum(
                "management",
                "non_management",
                name="appraisal_position_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("template_code", sa.String(length=64), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False, comment="the cycle's, for deadlines"),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "targets_set",
                "targets_confirmed",
                "targets_approved",
                "in_progress",
                "data_collected",
                "self_assessed",
                "reviewed",
                "result_issued",
                "signed",
                "filed",
                "appealed",
                "appeal_upheld",
                "appeal_rejected",
                "final",
                name="appraisal_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "version", sa.Integer(), nullable=False, comment="the etag; bumped on every change"
        ),
        sa.Column(
            "section_weights",
            sa.JSON(),
            nullable=False,
            comment="the assessor's split of shared weights, as decimal text",
        ),
        sa.Column("signed_by_employee", sa.Boolean(), nullable=False),
        sa.Column("signed_by_assessor", sa.Boolean(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("collected_late", sa.Boolean(), nullable=False),
        sa.Column("appeals_filed", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["employees.id"], name=op.f("fk_appraisals_assessor_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["appraisal_cycles.id"],
            name=op.f("fk_appraisals_cycle_id_appraisal_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_appraisals_employee_id_employees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisals")),
        sa.UniqueConstraint(
            "cycle_id", "employee_id", name=op.f("uq_appraisals_cycle_id_employee_id")
        ),
    )
    op.create_index("ix_appraisals_assessor_id", "appraisals", ["assessor_id"], unique=False)
    op.create_index(
        "ix_appraisals_cycle_id_state", "appraisals", ["cycle_id", "state"], unique=False
    )
    op.create_index("ix_appraisals_employee_id", "appraisals", ["employee_id"], unique=False)
    op.create_table(
        "appraisal_adjustments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("appraisal_id", sa.String(length=96), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="incident or bonus"),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("points", POINTS, nullable=False, comment="size, always positive"),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "request_key",
            sa.String(length=128),
            nullable=False,
            comment="retry key from the caller",
        ),
        sa.Column("filed_by", sa.String(length=64), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisals.id"],
            name=op.f("fk_appraisal_adjustments_appraisal_id_appraisals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_adjustments")),
        sa.UniqueConstraint(
            "appraisal_id",
            "kind",
            "filed_by",
            "request_key",
            name=op.f("uq_appraisal_adjustments_appraisal_id_kind_filed_by_request_key"),
        ),
    )
    op.create_index(
        "ix_appraisal_adjustments_appraisal_id",
        "appraisal_adjustments",
        ["appraisal_id"],
        unique=False,
    )
    op.create_table(
        "appraisal_audit",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("appraisal_id", sa.String(length=96), nullable=False),
        sa.Column("transition", sa.String(length=32), nullable=False),
        sa.Column("who", sa.String(length=64), nullable=False),
        sa.Column(
            "party",
            sa.Enum(
                "employee",
                "assessor",
                "office",
                name="audit_party",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "from_state",
            sa.Enum(
                "draft",
                "targets_set",
                "targets_confirmed",
                "targets_approved",
                "in_progress",
                "data_collected",
                "self_assessed",
                "reviewed",
                "result_issued",
                "signed",
                "filed",
                "appealed",
                "appeal_upheld",
                "appeal_rejected",
                "final",
                name="audit_from_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "to_state",
            sa.Enum(
                "draft",
                "targets_set",
                "targets_confirmed",
                "targets_approved",
                "in_progress",
                "data_collected",
                "self_assessed",
                "reviewed",
                "result_issued",
                "signed",
                "filed",
                "appealed",
                "appeal_upheld",
                "appeal_rejected",
                "final",
                name="audit_to_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "version",
            sa.Integer(),
            nullable=False,
            comment="the appraisal's version after the step",
        ),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisals.id"],
            name=op.f("fk_appraisal_audit_appraisal_id_appraisals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_audit")),
    )
    op.create_index(
        "ix_appraisal_audit_appraisal_id", "appraisal_audit", ["appraisal_id", "id"], unique=False
    )
    op.create_table(
        "appraisal_items",
        sa.Column("appraisal_id", sa.String(length=96), nullable=False),
        sa.Column("section", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, comment="order on the form"),
        sa.Column(
            "from_targets", sa.Boolean(), nullable=False, comment="set by the assessor's targets"
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("weight", POINTS, nullable=False, comment="percent of the section"),
        sa.Column("points", POINTS, nullable=False),
        sa.Column("scoring", sa.JSON(), nullable=False, comment="scoring.params_to_dict"),
        sa.Column("target", VALUE, nullable=True),
        sa.Column("standard", sa.Text(), nullable=False),
        sa.Column("data_provider", sa.String(length=200), nullable=False),
        sa.Column("actual", VALUE, nullable=True),
        sa.Column("definition_version", sa.Integer(), nullable=True),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("self_score", POINTS, nullable=True),
        sa.Column("review_score", POINTS, nullable=True),
        sa.Column("self_level", sa.String(length=64), nullable=True),
        sa.Column("review_level", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisals.id"],
            name=op.f("fk_appraisal_items_appraisal_id_appraisals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("appraisal_id", "section", "code", name=op.f("pk_appraisal_items")),
    )
    op.create_table(
        "appraisal_raters",
        sa.Column("appraisal_id", sa.String(length=96), nullable=False),
        sa.Column("rater_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisals.id"],
            name=op.f("fk_appraisal_raters_appraisal_id_appraisals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("appraisal_id", "rater_id", name=op.f("pk_appraisal_raters")),
    )
    op.create_table(
        "appraisal_ratings",
        sa.Column("appraisal_id", sa.String(length=96), nullable=False),
        sa.Column("rater_id", sa.String(length=64), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("score", POINTS, nullable=False),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisals.id"],
            name=op.f("fk_appraisal_ratings_appraisal_id_appraisals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "appraisal_id", "rater_id", "item_code", name=op.f("pk_appraisal_ratings")
        ),
    )
    op.create_table(
        "appraisal_results",
        sa.Column("appraisal_id", sa.String(length=96), nullable=False),
        sa.Column("issue", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("total", POINTS, nullable=False, comment="rounded once: 2 decimals half-up"),
        sa.Column("full_score", POINTS, nullable=False),
        sa.Column("coefficient", POINTS, nullable=False, comment="4 decimals half-up"),
        sa.Column("grade", sa.String(length=1), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("appeal_deadline", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisals.id"],
            name=op.f("fk_appraisal_results_appraisal_id_appraisals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("appraisal_id", "issue", name=op.f("pk_appraisal_results")),
    )


def downgrade() -> None:
    op.drop_table("appraisal_results")
    op.drop_table("appraisal_ratings")
    op.drop_table("appraisal_raters")
    op.drop_table("appraisal_items")
    op.drop_index("ix_appraisal_audit_appraisal_id", table_name="appraisal_audit")
    op.drop_table("appraisal_audit")
    op.drop_index("ix_appraisal_adjustments_appraisal_id", table_name="appraisal_adjustments")
    op.drop_table("appraisal_adjustments")
    op.drop_index("ix_appraisals_employee_id", table_name="appraisals")
    op.drop_index("ix_appraisals_cycle_id_state", table_name="appraisals")
    op.drop_index("ix_appraisals_assessor_id", table_name="appraisals")
    op.drop_table("appraisals")
    op.drop_table("appraisal_cycles")
