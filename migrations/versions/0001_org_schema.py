"""org schema: org units, employees with dated versions, leave, calendar

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 09:39:09.431414
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_exceptions",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False, comment="true: make-up working day"),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_exceptions")),
    )
    op.create_table(
        "employees",
        sa.Column("id", sa.String(length=64), nullable=False, comment="HRIS employee number"),
        sa.Column(
            "revision", sa.Integer(), nullable=False, comment="bumped on every change; the etag"
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employees")),
    )
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(length=64), nullable=False, comment="HRIS key of the unit"),
        sa.Column(
            "revision", sa.Integer(), nullable=False, comment="bumped on every change; the etag"
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_units")),
    )
    op.create_table(
        "employee_versions",
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False),
        sa.Column("supervisor_id", sa.String(length=64), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column(
            "position_type",
            sa.Enum(
                "management",
                "non_management",
                name="position_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("grade", sa.String(length=32), nullable=False),
        sa.Column(
            "employment_status",
            sa.Enum(
                "probation",
                "regular",
                "temporary",
                "part_time_external",
                "terminated",
                name="employment_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("hire_date", sa.Date(), nullable=False),
        sa.Column("confirmation_date", sa.Date(), nullable=True, comment="转正 date"),
        sa.Column("termination_date", sa.Date(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to > valid_from",
            name=op.f("ck_employee_versions_valid_range"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_employee_versions_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_units.id"],
            name=op.f("fk_employee_versions_org_unit_id_org_units"),
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["employees.id"],
            name=op.f("fk_employee_versions_supervisor_id_employees"),
        ),
        sa.PrimaryKeyConstraint("employee_id", "valid_from", name=op.f("pk_employee_versions")),
    )
    op.create_index(
        "ix_employee_versions_org_unit_id", "employee_versions", ["org_unit_id"], unique=False
    )
    op.create_index(
        "ix_employee_versions_supervisor_id", "employee_versions", ["supervisor_id"], unique=False
    )
    op.create_table(
        "leaves",
        sa.Column(
            "id", sa.String(length=64), nullable=False, comment="HRIS key of the leave record"
        ),
        sa.Column("employee_id", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "annual",
                "sick",
                "personal",
                "maternity",
                "other",
                name="leave_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False, comment="inclusive"),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_leaves_date_order")),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_leaves_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leaves")),
    )
    op.create_index(
        "ix_leaves_employee_id_start_date", "leaves", ["employee_id", "start_date"], unique=False
    )
    op.create_table(
        "org_unit_versions",
        sa.Column("org_unit_id", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "center",
                "department",
                "team",
                name="org_unit_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to > valid_from",
            name=op.f("ck_org_unit_versions_valid_range"),
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_units.id"],
            name=op.f("fk_org_unit_versions_org_unit_id_org_units"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["org_units.id"], name=op.f("fk_org_unit_versions_parent_id_org_units")
        ),
        sa.PrimaryKeyConstraint("org_unit_id", "valid_from", name=op.f("pk_org_unit_versions")),
    )
    op.create_index(
        "ix_org_unit_versions_parent_id", "org_unit_versions", ["parent_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_org_unit_versions_parent_id", table_name="org_unit_versions")
    op.drop_table("org_unit_versions")
    op.drop_index("ix_leaves_employee_id_start_date", table_name="leaves")
    op.drop_table("leaves")
    op.drop_index("ix_employee_versions_supervisor_id", table_name="employee_versions")
    op.drop_index("ix_employee_versions_org_unit_id", table_name="employee_versions")
    op.drop_table("employee_versions")
    op.drop_table("org_units")
    op.drop_table("employees")
    op.drop_table("calendar_exceptions")
