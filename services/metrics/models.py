"""Raw event tables of the metrics service: one per event kind, kept unaltered for audit.

Every table is keyed by ``(source, event_id)``: the sending system and its own
id for the event, which makes ingestion idempotent. Durations are seconds;
instants are ``timestamptz``; caller numbers are stored only as a keyed hash.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Double,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.common.audit import AuditColumns
from services.common.db import Base
from services.common.periods import EARLIEST_TIME, LATEST_TIME
from services.metrics.domain.limits import (
    DURATION,
    MAX_QA_ITEM_SCORE,
    MAX_QA_ITEMS,
    FloatRange,
)

Key = String(200)
JsonDocument = JSON().with_variant(JSONB(), "postgresql")

EPOCH = FloatRange(EARLIEST_TIME.timestamp(), LATEST_TIME.timestamp())
SPAN = FloatRange(0.0, (LATEST_TIME - EARLIEST_TIME).total_seconds())
QA_POINTS = FloatRange(0.0, MAX_QA_ITEMS * MAX_QA_ITEM_SCORE)
VOLUME = FloatRange(0.0, 1e9)
STAFF = FloatRange(0.0, 1e6)
HR_AMOUNT = FloatRange(0.0, 1e7)
PERCENT = FloatRange(0.0, 100.0)
DAY_MINUTES = FloatRange(0.0, 1440.0)
RANGE = "range"
"""``Column.info`` key: the FloatRange of a Double column of an event table. Every such
column has one (a test holds to it): validation and the rollups both read it."""


def figure(limits: FloatRange, *, nullable: bool = False, comment: str | None = None) -> Any:
    """A Double column of an event table with the range KPI arithmetic can use."""
    return mapped_column(Double, nullable=nullable, comment=comment, info={RANGE: limits})


def float_range(column: Column[Any]) -> FloatRange | None:
    found = column.info.get(RANGE)
    return found if isinstance(found, FloatRange) else None


class EventRow:
    """Columns every event table has."""

    source: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_id: Mapped[str] = mapped_column(Key, primary_key=True)
    ingested_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class CallEvent(EventRow, Base):
    __tablename__ = "call_events"
    __table_args__ = (
        Index("ix_call_events_offered_at", "offered_at"),
        Index("ix_call_events_agent_id_offered_at", "agent_id", "offered_at"),
        Index("ix_call_events_caller_hash_offered_epoch", "caller_hash", "offered_epoch"),
        # The schedule rollup counts each interval's calls per queue.
        Index("ix_call_events_queue_offered_epoch", "queue", "offered_epoch"),
    )

    call_id: Mapped[str] = mapped_column(Key)
    queue: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[str | None] = mapped_column(String(64))
    caller_hash: Mapped[str | None] = mapped_column(String(64), comment="HMAC of the caller key")
    offered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    offered_epoch: Mapped[float] = figure(
        EPOCH, comment="offered_at as Unix seconds: portable arithmetic for repeat windows"
    )
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    wait_seconds: Mapped[float] = figure(DURATION)
    talk_seconds: Mapped[float] = figure(DURATION)
    hold_seconds: Mapped[float] = figure(DURATION)
    acw_seconds: Mapped[float] = figure(DURATION)
    outcome: Mapped[str] = mapped_column(String(16))
    first_contact_resolved: Mapped[bool | None]


class AgentStateEvent(EventRow, Base):
    __tablename__ = "agent_state_events"
    __table_args__ = (Index("ix_agent_state_events_agent_id_start_time", "agent_id", "start_time"),)

    agent_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(100))
    queue: Mapped[str] = mapped_column(String(100))
    start_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    end_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Unix seconds, so intervals crossing midnight split into days with plain arithmetic.
    start_epoch: Mapped[float] = figure(EPOCH)
    end_epoch: Mapped[float] = figure(EPOCH)


class WorkOrderEvent(EventRow, Base):
    __tablename__ = "work_order_events"
    __table_args__ = (Index("ix_work_order_events_created_at", "created_at"),)

    work_order_id: Mapped[str] = mapped_column(Key)
    agent_id: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    first_response_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reopen_count: Mapped[int] = mapped_column(Integer)
    first_response_seconds: Mapped[float | None] = figure(
        SPAN, nullable=True, comment="first_response_at − created_at, derived at ingest"
    )


class QaEvaluationEvent(EventRow, Base):
    __tablename__ = "qa_evaluation_events"
    __table_args__ = (
        Index("ix_qa_evaluation_events_agent_id_evaluated_at", "agent_id", "evaluated_at"),
    )

    evaluation_id: Mapped[str] = mapped_column(Key)
    agent_id: Mapped[str] = mapped_column(String(64))
    evaluator_id: Mapped[str] = mapped_column(String(64))
    call_id: Mapped[str] = mapped_column(Key)
    rubric_code: Mapped[str] = mapped_column(String(64))
    evaluated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    score: Mapped[float] = figure(QA_POINTS, comment="sum of item scores")
    max_score: Mapped[float] = figure(QA_POINTS, comment="sum of item maxima")
    items: Mapped[Any] = mapped_column(JsonDocument, comment="[{category, item, score, max_score}]")


class SurveyEvent(EventRow, Base):
    __tablename__ = "survey_events"
    __table_args__ = (Index("ix_survey_events_answered_at", "answered_at"),)

    survey_id: Mapped[str] = mapped_column(Key)
    agent_id: Mapped[str | None] = mapped_column(String(64))
    call_id: Mapped[str] = mapped_column(Key)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    csat: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    remark: Mapped[str] = mapped_column(String(16))


class ComplaintEvent(EventRow, Base):
    __tablename__ = "complaint_events"
    __table_args__ = (Index("ix_complaint_events_received_at", "received_at"),)

    complaint_id: Mapped[str] = mapped_column(Key)
    agent_id: Mapped[str | None] = mapped_column(String(64))
    call_id: Mapped[str] = mapped_column(Key)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    confirmed: Mapped[bool]
    category: Mapped[str] = mapped_column(String(100))


class AuditFindingEvent(EventRow, Base):
    __tablename__ = "audit_finding_events"
    __table_args__ = (Index("ix_audit_finding_events_audited_at", "audited_at"),)

    audit_id: Mapped[str] = mapped_column(Key)
    agent_id: Mapped[str | None] = mapped_column(String(64))
    audited_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    items_checked: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(100))


class ScheduleIntervalEvent(EventRow, Base):
    __tablename__ = "schedule_interval_events"
    __table_args__ = (Index("ix_schedule_interval_events_interval_start", "interval_start"),)

    queue: Mapped[str] = mapped_column(String(100))
    interval_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    interval_start_epoch: Mapped[float] = figure(EPOCH)
    interval_minutes: Mapped[int] = mapped_column(Integer)
    forecast_volume: Mapped[float] = figure(VOLUME)
    required_staff: Mapped[float] = figure(STAFF)
    scheduled_staff: Mapped[float] = figure(STAFF)


class HrFactEvent(EventRow, Base):
    __tablename__ = "hr_fact_events"

    employee_id: Mapped[str | None] = mapped_column(String(64))
    org_unit_id: Mapped[str | None] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(10), comment="canonical period text, e.g. 2026-10")
    scheduled_days: Mapped[float | None] = figure(HR_AMOUNT, nullable=True)
    attended_days: Mapped[float | None] = figure(HR_AMOUNT, nullable=True)
    training_hours: Mapped[float | None] = figure(HR_AMOUNT, nullable=True)
    suggestions_submitted: Mapped[int | None] = mapped_column(Integer)
    suggestions_adopted: Mapped[int | None] = mapped_column(Integer)
    leavers: Mapped[int | None] = mapped_column(Integer)
    average_headcount: Mapped[float | None] = figure(HR_AMOUNT, nullable=True)
    promotions_internal: Mapped[int | None] = mapped_column(Integer)
    promotions_external: Mapped[int | None] = mapped_column(Integer)
    employee_satisfaction: Mapped[float | None] = figure(PERCENT, nullable=True)


class FinanceFactEvent(EventRow, Base):
    __tablename__ = "finance_fact_events"

    org_unit_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(10))
    currency_code: Mapped[str] = mapped_column(String(3))
    operating_cost: Mapped[decimal.Decimal | None] = mapped_column(Numeric(18, 4))
    budget: Mapped[decimal.Decimal | None] = mapped_column(Numeric(18, 4))


class SystemAvailabilityEvent(EventRow, Base):
    __tablename__ = "system_availability_events"

    kind: Mapped[str] = mapped_column(String(16))
    system_id: Mapped[str] = mapped_column(String(100))
    day: Mapped[dt.date] = mapped_column(Date)
    scheduled_minutes: Mapped[float] = figure(DAY_MINUTES)
    downtime_minutes: Mapped[float] = figure(DAY_MINUTES)


EVENT_TABLES: dict[str, type[EventRow]] = {
    "call": CallEvent,
    "agent_state": AgentStateEvent,
    "work_order": WorkOrderEvent,
    "qa_evaluation": QaEvaluationEvent,
    "survey": SurveyEvent,
    "complaint": ComplaintEvent,
    "audit_finding": AuditFindingEvent,
    "schedule_interval": ScheduleIntervalEvent,
    "hr_fact": HrFactEvent,
    "finance_fact": FinanceFactEvent,
    "system_availability": SystemAvailabilityEvent,
}
"""Event kind (the ``Event.payload`` oneof field name) → its table."""


# --- daily rollups ---------------------------------------------------------------------
# Base measures (see services/metrics/domain/measures.py) summed per day and dimension.
# A rollup row is rebuilt from raw events whenever its day is marked dirty, so every
# figure can be traced back to the events that made it.


def _measure_columns(*names: str) -> list[Column[Any]]:
    return [Column(name, Double, nullable=False, default=0.0) for name in names]


def _rollup(name: str, dims: list[Column[Any]], measures: list[str], comment: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column("day", Date, primary_key=True, comment="local day in the center's time zone"),
        *dims,
        Column("org_unit_id", String(64), nullable=False, default="", comment="team on that day"),
        Column("params_version", Integer, nullable=False, default=1),
        *_measure_columns(*measures),
        comment=comment,
    )


def _key(name: str, length: int = 64) -> Column[Any]:
    return Column(name, String(length), primary_key=True, default="")


CALL_MEASURES = (
    "calls_offered", "calls_answered", "calls_abandoned", "calls_short_abandoned",
    "calls_answered_in_sl", "calls_ivr_completed", "calls_inbound", "calls_transferred",
    "calls_timeout", "calls_fcr_flagged", "calls_fcr_known", "wait_answered_seconds",
    "talk_seconds", "hold_seconds", "acw_seconds", "cases", "cases_without_repeat",
)  # fmt: skip
STATE_MEASURES = (
    "logged_in_seconds", "available_seconds", "on_call_seconds", "acw_state_seconds",
    "aux_seconds", "agent_shifts",
)  # fmt: skip
WORK_ORDER_MEASURES = (
    "work_orders_due", "work_orders_on_time", "first_response_seconds", "first_responses",
)  # fmt: skip
QA_MEASURES = ("qa_score", "qa_max_score", "qa_evaluations")
SURVEY_MEASURES = (
    "survey_answers", "csat_answers", "csat_satisfied", "csat_dissatisfied", "nps_answers",
    "nps_promoters", "nps_detractors", "negative_remarks", "praise_remarks",
)  # fmt: skip
COMPLAINT_MEASURES = ("complaints_received", "complaints_confirmed")
AUDIT_MEASURES = ("audit_items", "audit_errors")
SCHEDULE_MEASURES = (
    "forecast_intervals", "forecast_error_ratio_sum", "schedule_intervals",
    "schedule_error_ratio_sum",
)  # fmt: skip
HR_MEASURES = (
    "scheduled_days", "attended_days", "scheduled_paid_seconds", "training_hours", "headcount",
    "suggestions_submitted", "suggestions_adopted", "leavers", "promotions_internal",
    "promotions_total", "employee_satisfaction_sum", "employee_satisfaction_answers",
)  # fmt: skip
FINANCE_MEASURES = ("operating_cost", "budget")
SYSTEM_KINDS = ("lines", "network", "applications", "hardware")
AVAILABILITY_MEASURES = tuple(
    f"{kind}_{part}_minutes" for kind in SYSTEM_KINDS for part in ("scheduled", "downtime")
)

daily_call_measures = _rollup(
    "daily_call_measures", [_key("agent_id")], list(CALL_MEASURES),
    "call measures per day and answering agent ('' for calls nobody answered)",
)  # fmt: skip
daily_state_measures = _rollup(
    "daily_state_measures", [_key("agent_id")], list(STATE_MEASURES),
    "agent state seconds per day; intervals crossing midnight are split",
)  # fmt: skip
daily_work_order_measures = _rollup(
    "daily_work_order_measures", [_key("agent_id")], list(WORK_ORDER_MEASURES),
    "work orders by the day they were created",
)  # fmt: skip
daily_qa_measures = _rollup("daily_qa_measures", [_key("agent_id")], list(QA_MEASURES), "QA")
daily_survey_measures = _rollup(
    "daily_survey_measures", [_key("agent_id")], list(SURVEY_MEASURES), "survey answers"
)
daily_complaint_measures = _rollup(
    "daily_complaint_measures", [_key("agent_id")], list(COMPLAINT_MEASURES), "complaints"
)
daily_audit_measures = _rollup(
    "daily_audit_measures", [_key("agent_id")], list(AUDIT_MEASURES), "accuracy audits"
)
daily_schedule_measures = _rollup(
    "daily_schedule_measures", [_key("queue", 100)], list(SCHEDULE_MEASURES),
    "forecast and schedule accuracy per queue interval, summed per day",
)  # fmt: skip
period_hr_measures = _rollup(
    "period_hr_measures", [_key("subject_id"), _key("granularity", 8)], list(HR_MEASURES),
    "HR facts; day is the first day of the fact's period",
)  # fmt: skip
period_finance_measures = _rollup(
    "period_finance_measures", [_key("subject_id"), _key("granularity", 8)],
    list(FINANCE_MEASURES), "finance facts; day is the first day of the fact's period",
)  # fmt: skip
daily_availability_measures = _rollup(
    "daily_availability_measures", [_key("system_id", 100)], list(AVAILABILITY_MEASURES),
    "system availability minutes per day and system",
)  # fmt: skip


class RollupDirtyDay(Base):
    """A (kind, day) whose rollup must be rebuilt because events for it arrived."""

    __tablename__ = "rollup_dirty_days"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    marked_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class IngestLogEntry(Base):
    """What one ingested batch brought, per kind: the basis of the data-quality report."""

    __tablename__ = "ingest_log"
    __table_args__ = (Index("ix_ingest_log_received_at", "received_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32), comment="'unknown' when no kind was set")
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    accepted: Mapped[int] = mapped_column(Integer)
    duplicate: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    rejected_by_reason: Mapped[Any] = mapped_column(JsonDocument)
    first_day: Mapped[dt.date | None] = mapped_column(Date, comment="earliest event day stored")
    last_day: Mapped[dt.date | None] = mapped_column(Date, comment="latest event day stored")


class KpiDefinitionVersion(Base):
    """A change to a KPI's parameters or target, in force from ``effective_from`` on.

    Version 1 of every KPI is the built-in catalog; rows here are versions 2, 3, ….
    ``seq`` orders all changes, so the newest change of a shared parameter (such as
    the short-abandon threshold, read by several KPIs) wins from its date on.
    """

    __tablename__ = "kpi_definition_versions"
    __table_args__ = (
        Index("ix_kpi_definition_versions_code_version", "code", "version", unique=True),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    parameters: Mapped[Any] = mapped_column(JsonDocument, comment="every parameter of the KPI")
    target: Mapped[float | None] = mapped_column(Double)
    reason: Mapped[str] = mapped_column(String(500))
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DepartmentKpi(Base):
    """One cell of the department × KPI matrix (seed 000 §7.3, appendix SW-CCOP-07-02)."""

    __tablename__ = "department_kpis"

    org_unit_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kpi_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    weight: Mapped[float] = mapped_column(Double, comment="percent; a unit's weights add to 100")
    target: Mapped[float] = mapped_column(Double, comment="in the KPI's unit")
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class MetricsAuditEntry(AuditColumns, Base):
    """A change to a department's KPI matrix, or a recompute an operator asked for
    (``services.metrics.audit``); never updated or deleted (migration 0010)."""

    __tablename__ = "metrics_audit"
    __table_args__ = (Index("ix_metrics_audit_entity", "entity", "key", "id"),)
