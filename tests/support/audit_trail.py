"""Reading an audit table (`services.common.audit`) in tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.common.db import UnitOfWorkFactory


def audit_trail(uows: UnitOfWorkFactory, table: Any, entity: str) -> list[dict[str, Any]]:
    """The entity's records in `table` (a model with `AuditColumns`), oldest first."""
    with uows() as uow:
        rows = uow.session.scalars(
            select(table).where(table.entity == entity).order_by(table.id)
        ).all()
        return [
            {"at": r.at, "who": r.who, "action": r.action, "key": r.key,
             "before": r.before, "after": r.after}
            for r in rows
        ]  # fmt: skip


def audit_count(uows: UnitOfWorkFactory, table: Any) -> int:
    """How many records `table` (a model with `AuditColumns`) holds."""
    with uows() as uow:
        return len(uow.session.scalars(select(table.id)).all())
