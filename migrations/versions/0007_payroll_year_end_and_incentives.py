"""Payroll year-end bonus and incentives: parameters, base pay, schedules, brackets, amounts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 14:39:32.589347
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# services.common.db.ExactDecimal: exact NUMERIC on Postgres, text on SQLite.
AMOUNT = sa.Numeric().with_variant(sa.String(48), "sqlite")

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pay_incentive_schedules",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("threshold", AMOUNT, nullable=False, comment="nothing paid at or below it"),
        sa.Column("mode", sa.String(length=16), nullable=False, comment="flat or progressive"),
        sa.Column("unit", sa.String(length=16), nullable=False, comment="per_mille or percent"),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_pay_incentive_schedules")),
    )
    op.create_table(
        "pay_year_end_parameters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column(
            "completion_rate",
            AMOUNT,
            nullable=False,
            comment="公司总体业绩完成率 as a fraction: 1 is 100 %",
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_pay_year_end_parameters")),
    )
    op.create_table(
        "pay_base_pay",
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_pay_base_pay_employee_id_employees")
        ),
        sa.PrimaryKeyConstraint("employee_id", "effective_from", name=op.f("pk_pay_base_pay")),
    )
    op.create_table(
        "pay_incentive_amounts",
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("schedule_code", sa.String(length=64), nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_pay_incentive_amounts_employee_id_employees"),
        ),
        sa.ForeignKeyConstraint(
            ["schedule_code"],
            ["pay_incentive_schedules.code"],
            name=op.f("fk_pay_incentive_amounts_schedule_code_pay_incentive_schedules"),
        ),
        sa.PrimaryKeyConstraint(
            "period", "employee_id", "reference", name=op.f("pk_pay_incentive_amounts")
        ),
    )
    op.create_index(
        "ix_pay_incentive_amounts_employee_id",
        "pay_incentive_amounts",
        ["employee_id"],
        unique=False,
    )
    op.create_index(
        "ix_pay_incentive_amounts_schedule_code",
        "pay_incentive_amounts",
        ["schedule_code"],
        unique=False,
    )
    op.create_table(
        "pay_incentive_brackets",
        sa.Column("schedule_code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("lower", AMOUNT, nullable=False),
        sa.Column("rate", AMOUNT, nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_code"],
            ["pay_incentive_schedules.code"],
            name=op.f("fk_pay_incentive_brackets_schedule_code_pay_incentive_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "schedule_code", "position", name=op.f("pk_pay_incentive_brackets")
        ),
    )
    op.create_table(
        "pay_year_end_coefficients",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False, comment="grade or position"),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("coefficient", AMOUNT, nullable=False),
        sa.ForeignKeyConstraint(
            ["year"],
            ["pay_year_end_parameters.year"],
            name=op.f("fk_pay_year_end_coefficients_year_pay_year_end_parameters"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("year", "basis", "key", name=op.f("pk_pay_year_end_coefficients")),
    )


def downgrade() -> None:
    op.drop_table("pay_year_end_coefficients")
    op.drop_table("pay_incentive_brackets")
    op.drop_index("ix_pay_incentive_amounts_schedule_code", table_name="pay_incentive_amounts")
    op.drop_index("ix_pay_incentive_amounts_employee_id", table_name="pay_incentive_amounts")
    op.drop_table("pay_incentive_amounts")
    op.drop_table("pay_base_pay")
    op.drop_table("pay_year_end_parameters")
    op.drop_table("pay_incentive_schedules")
