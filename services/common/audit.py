"""Append-only change records: who changed what, when, and the values before and after.

The appraisal workflow has its own trail per appraisal (``appraisal_audit``). Changes
that are not one appraisal's (the payroll parameters and batches, the annual grades,
consequences and certifications, the org calendar and leave, the department KPI
matrix and recomputes) go to a table per service with the columns of `AuditColumns`
(``pay_audit``, ``appraisal_outcome_audit``, ``org_audit``, ``metrics_audit``): one row
per changed thing, written by the use case in the same transaction as the change, so a
change and its record commit or roll back together. KPI definitions keep every version
in ``kpi_definition_versions``, which is their trail.

``before`` is null for something created, ``after`` for something removed. Both are JSON
made by `audit_json`: money, rates and scores as decimal text exactly as stored, never
floats. The database refuses UPDATE, DELETE and TRUNCATE on these tables (migrations
0008 and 0010): a record, once written, stays as it was.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from services.common.auth import Principal
from services.common.db import HrisKey, Timestamp


class AuditColumns:
    """The columns of a service's audit table (mixed into a model with its own name)."""

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[Timestamp]
    who: Mapped[HrisKey] = mapped_column(comment="the principal's subject")
    action: Mapped[str] = mapped_column(String(32), comment="created, updated, frozen, ...")
    entity: Mapped[str] = mapped_column(String(32), comment="what kind of thing changed")
    key: Mapped[str] = mapped_column(String(400), comment="which one: its identity as text")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


def audit_json(value: Any) -> Any:
    """`value` as JSON values: decimals, dates and enums as text; a float is refused."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise TypeError(f"audit records hold exact values, not the float {value!r}")
    if isinstance(value, Decimal | enum.Enum):
        return str(value)
    if isinstance(value, dt.date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): audit_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [audit_json(v) for v in value]
    raise TypeError(f"no audit form for {type(value).__name__}")


class Trail:
    """A use case's changes, inserted into `table` (a model with `AuditColumns`) by `write`.

    Written before the commit, in the same transaction: the change and its record
    commit, or roll back, together.
    """

    def __init__(self, table: Any, principal: Principal, at: dt.datetime) -> None:
        self._table = table
        self._who = principal.subject
        self._at = at
        self._rows: list[dict[str, Any]] = []

    def add(
        self,
        entity: str,
        key: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        action: str | None = None,
    ) -> None:
        """Record a change; the action defaults to created (no before) or updated."""
        if action is None:
            action = "created" if before is None else "updated"
        self._rows.append(
            {
                "at": self._at,
                "who": self._who,
                "action": action,
                "entity": entity,
                "key": key,
                "before": audit_json(before),
                "after": audit_json(after),
            }
        )

    def write(self, session: Session) -> None:
        if self._rows:
            session.execute(insert(self._table), self._rows)
        self._rows = []


def last_after(session: Session, table: Any, entity: str, key: str) -> dict[str, Any] | None:
    """What the latest record of a thing left it as (none: never recorded, or removed)."""
    found: dict[str, Any] | None = session.scalar(
        select(table.after)
        .where(table.entity == entity, table.key == key)
        .order_by(table.id.desc())
        .limit(1)
    )
    return found
