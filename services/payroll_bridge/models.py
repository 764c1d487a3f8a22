"""Tables of the payroll bridge (DOMAIN.md §5).

The cap table and base tiers are HR's parameters. A month's computation
writes draft lines (``pay_draft_lines``), replaced on every re-run; a batch
(``pay_batches``) freezes them into ``pay_batch_lines``, which are never
updated or deleted afterwards: payroll may have taken them. ``period`` is
unique per batch, so two replicas cannot both freeze a month.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import Base, ExactDecimal, HrisKey, Timestamp, utcnow

Amount = ExactDecimal()


class CapRowRecord(Base):
    __tablename__ = "pay_cap_rows"

    position: Mapped[str] = mapped_column(String(200), primary_key=True)
    grade: Mapped[str] = mapped_column(String(32), primary_key=True, comment="job grade")
    tier: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, comment="exclusive")
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)


class BaseTier(Base):
    __tablename__ = "pay_base_tiers"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    effective_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    tier: Mapped[int]


class DraftLine(Base):
    """A computed line of a month not yet batched; a re-run replaces the month's lines."""

    __tablename__ = "pay_draft_lines"

    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    employee_id: Mapped[HrisKey] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    reference: Mapped[str] = mapped_column(String(200), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Amount, comment="rounded once, at the line")
    currency: Mapped[str] = mapped_column(String(3))
    source_issue: Mapped[int] = mapped_column(comment="the appraisal result issue it read")
    original_line_id: Mapped[str | None] = mapped_column(String(240))
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    computed_by: Mapped[HrisKey]


class PayBatch(Base):
    __tablename__ = "pay_batches"
    __table_args__ = (UniqueConstraint("period"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))
    line_count: Mapped[int]
    totals: Mapped[dict[str, str]] = mapped_column(JSON, comment="currency → sum of lines")
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    created_by: Mapped[HrisKey]
    acknowledged_at: Mapped[Timestamp | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))


class PayBatchLine(Base):
    """An immutable line payroll pulls; adjustments point at the line they correct."""

    __tablename__ = "pay_batch_lines"
    __table_args__ = (
        UniqueConstraint("batch_id", "line_no"),
        Index("ix_pay_batch_lines_reference", "reference"),
        Index("ix_pay_batch_lines_original_line_id", "original_line_id"),
    )

    id: Mapped[str] = mapped_column(String(48), primary_key=True, comment="batch/line number")
    batch_id: Mapped[str] = mapped_column(ForeignKey("pay_batches.id"))
    line_no: Mapped[int]
    employee_id: Mapped[HrisKey]
    kind: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    source_issue: Mapped[int]
    original_line_id: Mapped[str | None] = mapped_column(String(48))
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
