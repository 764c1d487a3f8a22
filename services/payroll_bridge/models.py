"""Tables of the payroll bridge (DOMAIN.md §5).

The cap table and base tiers are HR's parameters. A month's computation
writes draft lines (``pay_draft_lines``), replaced on every re-run; a batch
(``pay_batches``) freezes them into ``pay_batch_lines``, which are never
updated or deleted afterwards: payroll may have taken them. ``period`` is
unique per batch, so two replicas cannot both freeze a month (or a year:
a year-end batch is period ``2026``, id ``PAY-2026``).

The year-end parameters (completion rate and bonus coefficients per year) and
the base pay (基本工资) the year-end bonus multiplies are HR's parameters too,
as are the incentive schedules (brackets, threshold, mode); the amounts the
schedules apply to (seed 003: a month's won amount) are recorded per month,
employee and reference. Every amount, rate and coefficient is an
`ExactDecimal`.

Every change to a parameter, every draft computed and every batch event leaves a
row in ``pay_audit`` (`services.common.audit`): who, when, what, before and after.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.common.audit import AuditColumns
from services.common.db import Base, ExactDecimal, HrisKey, Timestamp, utcnow

Amount = ExactDecimal()
OwnExplanation = JSON(none_as_null=True)
"""None is SQL NULL (a line sharing an explanation), not the JSON ``null``."""


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


class SharedExplanation(Base):
    """An explanation many lines share: a month's performance pay has one per payee and
    coefficient, where each line held a copy (about 700 bytes, written into the draft and
    again into the batch). What differs per line, the appraisal and the result issue it
    read, is the line's reference and source issue, which the service puts back.
    Keyed by the SHA-256 of its JSON, so a re-run or a later month reuses the row; never
    updated or deleted (batch lines point at it).
    """

    __tablename__ = "pay_explanations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, comment="SHA-256 of the JSON")
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)


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
    explanation: Mapped[dict[str, Any] | None] = mapped_column(
        OwnExplanation, comment="the line's own; none when it shares one (explanation_id)"
    )
    explanation_id: Mapped[str | None] = mapped_column(ForeignKey("pay_explanations.id"))
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
    # Typed as always there: NULL only for a line sharing its explanation, which no one
    # reads from the row (`service.explain_line` completes the shared one on a detached line).
    explanation: Mapped[dict[str, Any]] = mapped_column(
        OwnExplanation,
        nullable=True,
        comment="the line's own; none when it shares one (explanation_id)",
    )
    explanation_id: Mapped[str | None] = mapped_column(ForeignKey("pay_explanations.id"))


class YearEndParameterSet(Base):
    """A year's company-wide year-end inputs (seed 004 §7), set by hr, replaced whole."""

    __tablename__ = "pay_year_end_parameters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    completion_rate: Mapped[Decimal] = mapped_column(
        Amount, comment="公司总体业绩完成率 as a fraction: 1 is 100 %"
    )
    currency: Mapped[str] = mapped_column(String(3))
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[HrisKey]


class YearEndCoefficient(Base):
    """A year's bonus coefficient (年度奖金系数) for a job grade or a position."""

    __tablename__ = "pay_year_end_coefficients"

    year: Mapped[int] = mapped_column(
        ForeignKey("pay_year_end_parameters.year", ondelete="CASCADE"), primary_key=True
    )
    basis: Mapped[str] = mapped_column(String(16), primary_key=True, comment="grade or position")
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    coefficient: Mapped[Decimal] = mapped_column(Amount)


class BasePay(Base):
    """An employee's monthly base pay (基本工资 = 岗位工资 + 绩效工资) from a date."""

    __tablename__ = "pay_base_pay"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    effective_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)


class IncentiveSchedule(Base):
    """A bracket schedule for incentive pay (seed 003), replaced whole by hr."""

    __tablename__ = "pay_incentive_schedules"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    threshold: Mapped[Decimal] = mapped_column(Amount, comment="nothing paid at or below it")
    mode: Mapped[str] = mapped_column(String(16), comment="flat or progressive")
    unit: Mapped[str] = mapped_column(String(16), comment="per_mille or percent")
    currency: Mapped[str] = mapped_column(String(3))
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[HrisKey]


class IncentiveBracket(Base):
    """One bracket of a schedule: amounts above `lower` (to the next bracket's) earn `rate`."""

    __tablename__ = "pay_incentive_brackets"

    schedule_code: Mapped[str] = mapped_column(
        ForeignKey("pay_incentive_schedules.code", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    lower: Mapped[Decimal] = mapped_column(Amount)
    rate: Mapped[Decimal] = mapped_column(Amount)


class IncentiveAmount(Base):
    """An amount a schedule applies to (seed 003: a month's won amount), one per reference."""

    __tablename__ = "pay_incentive_amounts"
    __table_args__ = (
        Index("ix_pay_incentive_amounts_schedule_code", "schedule_code"),
        Index("ix_pay_incentive_amounts_employee_id", "employee_id"),
    )

    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    reference: Mapped[str] = mapped_column(String(120), primary_key=True)
    schedule_code: Mapped[str] = mapped_column(ForeignKey("pay_incentive_schedules.code"))
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    recorded_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)
    recorded_by: Mapped[HrisKey]


class PayAuditEntry(AuditColumns, Base):
    """A change to a payroll parameter, a month's draft or a batch; never updated or deleted."""

    __tablename__ = "pay_audit"
    __table_args__ = (Index("ix_pay_audit_entity", "entity", "key", "id"),)
