"""Raw event tables of the metrics service: one per event kind, kept unaltered for audit.

Every table is keyed by ``(source, event_id)``: the sending system and its own
id for the event, which makes ingestion idempotent. Durations are seconds;
instants are ``timestamptz``; caller numbers are stored only as a keyed hash.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Double, Index, Integer, Numeric, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import Base

Key = String(200)
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class EventRow:
    """Columns every event table has."""

    source: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_id: Mapped[str] = mapped_column(Key, primary_key=True)
    ingested_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class CallEvent(EventRow, Base):
    __tablename__ = "call_events"
    __table_args__ = (
        Index("ix_call_events_offered_at", "offered_at"),
        Index("ix_call_events_agent_id_offered_at", "agent_id", "offered_at"),
        Index("ix_call_events_caller_hash_offered_at", "caller_hash", "offered_at"),
    )

    call_id: Mapped[str] = mapped_column(Key)
    queue: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[str | None] = mapped_column(String(64))
    caller_hash: Mapped[str | None] = mapped_column(String(64), comment="HMAC of the caller key")
    offered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    wait_seconds: Mapped[float] = mapped_column(Double)
    talk_seconds: Mapped[float] = mapped_column(Double)
    hold_seconds: Mapped[float] = mapped_column(Double)
    acw_seconds: Mapped[float] = mapped_column(Double)
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
    score: Mapped[float] = mapped_column(Double, comment="sum of item scores")
    max_score: Mapped[float] = mapped_column(Double, comment="sum of item maxima")
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
    interval_minutes: Mapped[int] = mapped_column(Integer)
    forecast_volume: Mapped[float] = mapped_column(Double)
    required_staff: Mapped[float] = mapped_column(Double)
    scheduled_staff: Mapped[float] = mapped_column(Double)


class HrFactEvent(EventRow, Base):
    __tablename__ = "hr_fact_events"

    employee_id: Mapped[str | None] = mapped_column(String(64))
    org_unit_id: Mapped[str | None] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(10), comment="canonical period text, e.g. 2026-10")
    scheduled_days: Mapped[float | None] = mapped_column(Double)
    attended_days: Mapped[float | None] = mapped_column(Double)
    training_hours: Mapped[float | None] = mapped_column(Double)
    suggestions_submitted: Mapped[int | None] = mapped_column(Integer)
    suggestions_adopted: Mapped[int | None] = mapped_column(Integer)
    leavers: Mapped[int | None] = mapped_column(Integer)
    average_headcount: Mapped[float | None] = mapped_column(Double)
    promotions_internal: Mapped[int | None] = mapped_column(Integer)
    promotions_external: Mapped[int | None] = mapped_column(Integer)
    employee_satisfaction: Mapped[float | None] = mapped_column(Double)


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
    scheduled_minutes: Mapped[float] = mapped_column(Double)
    downtime_minutes: Mapped[float] = mapped_column(Double)


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
