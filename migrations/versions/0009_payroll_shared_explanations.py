"""Payroll lines share explanations: ``pay_explanations``, and ``explanation_id`` on lines.

A month's performance-pay lines of the same payee and coefficient had the same
explanation but for the appraisal and result issue (the line's reference and source
issue): each line held a copy, about 700 bytes, written into the draft and again into
the batch. Now such a line points at one row of ``pay_explanations`` (keyed by the
SHA-256 of its JSON) and its own ``explanation`` is NULL. Lines already written keep
theirs. The downgrade writes every shared explanation back into its lines first.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 23:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWN = "the line's own; none when it shares one (explanation_id)"
LINES = {
    "pay_draft_lines": ("period", "employee_id", "kind", "reference"),
    "pay_batch_lines": ("id",),
}


def upgrade() -> None:
    op.create_table(
        "pay_explanations",
        sa.Column("id", sa.String(length=64), nullable=False, comment="SHA-256 of the JSON"),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_explanations")),
    )
    for table in LINES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("explanation_id", sa.String(length=64), nullable=True))
            batch.alter_column("explanation", existing_type=sa.JSON(), nullable=True, comment=OWN)
            batch.create_foreign_key(
                op.f(f"fk_{table}_explanation_id_pay_explanations"),
                "pay_explanations",
                ["explanation_id"],
                ["id"],
            )


def downgrade() -> None:
    bind = op.get_bind()
    shared = sa.table("pay_explanations", sa.column("id"), sa.column("explanation", sa.JSON()))
    for table, key in LINES.items():
        lines = sa.table(
            table,
            *(sa.column(c) for c in key),
            sa.column("source_issue"),
            sa.column("explanation", sa.JSON()),
            sa.column("explanation_id"),
        )
        if "reference" not in key:
            lines.append_column(sa.column("reference"))
        rows = bind.execute(
            sa.select(lines, shared.c.explanation.label("shared")).join(
                shared, shared.c.id == lines.c.explanation_id
            )
        ).mappings()
        update = (
            sa.update(lines)
            .where(*(lines.c[c] == sa.bindparam(f"k_{c}") for c in key))
            .values(explanation=sa.bindparam("full", type_=sa.JSON()), explanation_id=None)
        )
        updates = [
            {
                **{f"k_{c}": row[c] for c in key},
                "full": {
                    **row["shared"],
                    "values": {
                        "appraisal": row["reference"],
                        "result_issue": str(row["source_issue"]),
                        **row["shared"]["values"],
                    },
                },
            }
            for row in rows
        ]
        if updates:
            bind.execute(update, updates)
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(
                op.f(f"fk_{table}_explanation_id_pay_explanations"), type_="foreignkey"
            )
            batch.drop_column("explanation_id")
            batch.alter_column(
                "explanation", existing_type=sa.JSON(), nullable=False, existing_comment=OWN,
                comment=None,
            )  # fmt: skip
    op.drop_table("pay_explanations")
