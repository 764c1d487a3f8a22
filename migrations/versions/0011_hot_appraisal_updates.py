"""Appraisal steps update their rows in place (HOT): no index on the state, pages with room.

Every workflow step updates its appraisal row (state, version, signatures, updated_at)
and a score or a collection updates item rows. Postgres can update a row within its page
without touching any index (a heap-only tuple) when no indexed column changes and the
page has room. The state was indexed with the cycle (``ix_appraisals_cycle_id_state``),
so each of an appraisal's dozen steps wrote an entry into all five of the table's
indexes; reads by cycle and state are served as well by the unique (cycle_id,
employee_id) index, whose prefix is the cycle. Both tables now leave a fifth of each
page free (fillfactor 80) for the new versions; rows already stored move into that room
as they are rewritten. SQLite (the embedded demo database) has neither notion.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 02:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("appraisals", "appraisal_items")


def upgrade() -> None:
    op.drop_index("ix_appraisals_cycle_id_state", table_name="appraisals")
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} SET (fillfactor = 80)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
    op.create_index("ix_appraisals_cycle_id_state", "appraisals", ["cycle_id", "state"])
