"""metrics events and rollups

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:16:31.162737
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agent_state_events",
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=100), nullable=False),
        sa.Column("queue", sa.String(length=100), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_epoch", sa.Double(), nullable=False),
        sa.Column("end_epoch", sa.Double(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_agent_state_events")),
    )
    op.create_index(
        "ix_agent_state_events_agent_id_start_time",
        "agent_state_events",
        ["agent_id", "start_time"],
        unique=False,
    )
    op.create_table(
        "audit_finding_events",
        sa.Column("audit_id", sa.String(length=200), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=True),
        sa.Column("audited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("items_checked", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_audit_finding_events")),
    )
    op.create_index(
        "ix_audit_finding_events_audited_at", "audit_finding_events", ["audited_at"], unique=False
    )
    op.create_table(
        "call_events",
        sa.Column("call_id", sa.String(length=200), nullable=False),
        sa.Column("queue", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=True),
        sa.Column(
            "caller_hash", sa.String(length=64), nullable=True, comment="HMAC of the caller key"
        ),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "offered_epoch",
            sa.Double(),
            nullable=False,
            comment="offered_at as Unix seconds: portable arithmetic for repeat windows",
        ),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("wait_seconds", sa.Double(), nullable=False),
        sa.Column("talk_seconds", sa.Double(), nullable=False),
        sa.Column("hold_seconds", sa.Double(), nullable=False),
        sa.Column("acw_seconds", sa.Double(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("first_contact_resolved", sa.Boolean(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_call_events")),
    )
    op.create_index(
        "ix_call_events_agent_id_offered_at",
        "call_events",
        ["agent_id", "offered_at"],
        unique=False,
    )
    op.create_index(
        "ix_call_events_queue_offered_epoch",
        "call_events",
        ["queue", "offered_epoch"],
        unique=False,
    )
    op.create_index(
        "ix_call_events_caller_hash_offered_epoch",
        "call_events",
        ["caller_hash", "offered_epoch"],
        unique=False,
    )
    op.create_index("ix_call_events_offered_at", "call_events", ["offered_at"], unique=False)
    op.create_table(
        "complaint_events",
        sa.Column("complaint_id", sa.String(length=200), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=True),
        sa.Column("call_id", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_complaint_events")),
    )
    op.create_index(
        "ix_complaint_events_received_at", "complaint_events", ["received_at"], unique=False
    )
    op.create_table(
        "daily_audit_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("audit_items", sa.Double(), nullable=False),
        sa.Column("audit_errors", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("day", "agent_id", name=op.f("pk_daily_audit_measures")),
        comment="accuracy audits",
    )
    op.create_table(
        "daily_availability_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("system_id", sa.String(length=100), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("lines_scheduled_minutes", sa.Double(), nullable=False),
        sa.Column("lines_downtime_minutes", sa.Double(), nullable=False),
        sa.Column("network_scheduled_minutes", sa.Double(), nullable=False),
        sa.Column("network_downtime_minutes", sa.Double(), nullable=False),
        sa.Column("applications_scheduled_minutes", sa.Double(), nullable=False),
        sa.Column("applications_downtime_minutes", sa.Double(), nullable=False),
        sa.Column("hardware_scheduled_minutes", sa.Double(), nullable=False),
        sa.Column("hardware_downtime_minutes", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("day", "system_id", name=op.f("pk_daily_availability_measures")),
        comment="system availability minutes per day and system",
    )
    op.create_table(
        "daily_call_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("calls_offered", sa.Double(), nullable=False),
        sa.Column("calls_answered", sa.Double(), nullable=False),
        sa.Column("calls_abandoned", sa.Double(), nullable=False),
        sa.Column("calls_short_abandoned", sa.Double(), nullable=False),
        sa.Column("calls_answered_in_sl", sa.Double(), nullable=False),
        sa.Column("calls_ivr_completed", sa.Double(), nullable=False),
        sa.Column("calls_inbound", sa.Double(), nullable=False),
        sa.Column("calls_transferred", sa.Double(), nullable=False),
        sa.Column("calls_timeout", sa.Double(), nullable=False),
        sa.Column("calls_fcr_flagged", sa.Double(), nullable=False),
        sa.Column("calls_fcr_known", sa.Double(), nullable=False),
        sa.Column("wait_answered_seconds", sa.Double(), nullable=False),
        sa.Column("talk_seconds", sa.Double(), nullable=False),
        sa.Column("hold_seconds", sa.Double(), nullable=False),
        sa.Column("acw_seconds", sa.Double(), nullable=False),
        sa.Column("cases", sa.Double(), nullable=False),
        sa.Column("cases_without_repeat", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("day", "agent_id", name=op.f("pk_daily_call_measures")),
        comment="call measures per day and answering agent ('' for calls nobody answered)",
    )
    op.create_table(
        "daily_complaint_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("complaints_received", sa.Double(), nullable=False),
        sa.Column("complaints_confirmed", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("day", "agent_id", name=op.f("pk_daily_complaint_measures")),
        comment="complaints",
    )
    op.create_table(
        "daily_qa_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("qa_score", sa.Double(), nullable=False),
        sa.Column("qa_max_score", sa.Double(), nullable=False),
        sa.Column("qa_evaluations", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("day", "agent_id", name=op.f("pk_daily_qa_measures")),
        comment="QA",
    )
    op.create_table(
        "daily_schedule_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("queue", sa.String(length=100), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("forecast_intervals", sa.Double(), nullable=False),
        sa.Column("forecast_error_ratio_sum", sa.Double(), nullable=False),
        sa.Column("schedule_intervals", sa.Double(), nullable=False),
        sa.Column("schedule_error_ratio_sum", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("day", "queue", name=op.f("pk_daily_schedule_measures")),
        comment="forecast and schedule accuracy per queue interval, summed per day",
    )
    op.create_table(
        "daily_state_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("logged_in_seconds", sa.Double(), nullable=False),
        sa.Column("available_seconds", sa.Double(), nullable=False),
        sa.Column("on_call_seconds", sa.Double(), nullable=False),
        sa.Column("acw_state_seconds", sa.Double(), nullable=False),
        sa.Column("aux_seconds", sa.Double(), nullable=False),
        sa.Column("agent_shifts", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("day", "agent_id", name=op.f("pk_daily_state_measures")),
        comment="agent state seconds per day; intervals crossing midnight are split",
    )
    op.create_table(
        "daily_survey_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("survey_answers", sa.Double(), nullable=False),
        sa.Column("csat_answers", sa.Double(), nullable=False),
        sa.Column("csat_satisfied", sa.Double(), nullable=False),
        sa.Column("csat_dissatisfied", sa.Double(), nullable=False),
        sa.Column("nps_answers", sa.Double(), nullable=False),
        sa.Column("nps_promoters", sa.Double(), nullable=False),
        sa.Column("nps_detractors", sa.Double(), nullable=False),
        sa.Column("negative_remarks", sa.Double(), nullable=False),
        sa.Column("praise_remarks", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("day", "agent_id", name=op.f("pk_daily_survey_measures")),
        comment="survey answers",
    )
    op.create_table(
        "daily_work_order_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("work_orders_due", sa.Double(), nullable=False),
        sa.Column("work_orders_on_time", sa.Double(), nullable=False),
        sa.Column("first_response_seconds", sa.Double(), nullable=False),
        sa.Column("first_responses", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("day", "agent_id", name=op.f("pk_daily_work_order_measures")),
        comment="work orders by the day they were created",
    )
    op.create_table(
        "finance_fact_events",
        sa.Column("org_unit_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("operating_cost", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("budget", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_finance_fact_events")),
    )
    op.create_table(
        "hr_fact_events",
        sa.Column("employee_id", sa.String(length=64), nullable=True),
        sa.Column("org_unit_id", sa.String(length=64), nullable=True),
        sa.Column(
            "period",
            sa.String(length=10),
            nullable=False,
            comment="canonical period text, e.g. 2026-10",
        ),
        sa.Column("scheduled_days", sa.Double(), nullable=True),
        sa.Column("attended_days", sa.Double(), nullable=True),
        sa.Column("training_hours", sa.Double(), nullable=True),
        sa.Column("suggestions_submitted", sa.Integer(), nullable=True),
        sa.Column("suggestions_adopted", sa.Integer(), nullable=True),
        sa.Column("leavers", sa.Integer(), nullable=True),
        sa.Column("average_headcount", sa.Double(), nullable=True),
        sa.Column("promotions_internal", sa.Integer(), nullable=True),
        sa.Column("promotions_external", sa.Integer(), nullable=True),
        sa.Column("employee_satisfaction", sa.Double(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_hr_fact_events")),
    )
    op.create_table(
        "period_finance_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("granularity", sa.String(length=8), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("operating_cost", sa.Double(), nullable=False),
        sa.Column("budget", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "subject_id", "granularity", name=op.f("pk_period_finance_measures")
        ),
        comment="finance facts; day is the first day of the fact's period",
    )
    op.create_table(
        "period_hr_measures",
        sa.Column("day", sa.Date(), nullable=False, comment="local day in the center's time zone"),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("granularity", sa.String(length=8), nullable=False),
        sa.Column("org_unit_id", sa.String(length=64), nullable=False, comment="team on that day"),
        sa.Column("params_version", sa.Integer(), nullable=False),
        sa.Column("scheduled_days", sa.Double(), nullable=False),
        sa.Column("attended_days", sa.Double(), nullable=False),
        sa.Column("scheduled_paid_seconds", sa.Double(), nullable=False),
        sa.Column("training_hours", sa.Double(), nullable=False),
        sa.Column("headcount", sa.Double(), nullable=False),
        sa.Column("suggestions_submitted", sa.Double(), nullable=False),
        sa.Column("suggestions_adopted", sa.Double(), nullable=False),
        sa.Column("leavers", sa.Double(), nullable=False),
        sa.Column("promotions_internal", sa.Double(), nullable=False),
        sa.Column("promotions_total", sa.Double(), nullable=False),
        sa.Column("employee_satisfaction_sum", sa.Double(), nullable=False),
        sa.Column("employee_satisfaction_answers", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "subject_id", "granularity", name=op.f("pk_period_hr_measures")
        ),
        comment="HR facts; day is the first day of the fact's period",
    )
    op.create_table(
        "qa_evaluation_events",
        sa.Column("evaluation_id", sa.String(length=200), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("evaluator_id", sa.String(length=64), nullable=False),
        sa.Column("call_id", sa.String(length=200), nullable=False),
        sa.Column("rubric_code", sa.String(length=64), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Double(), nullable=False, comment="sum of item scores"),
        sa.Column("max_score", sa.Double(), nullable=False, comment="sum of item maxima"),
        sa.Column(
            "items",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
            comment="[{category, item, score, max_score}]",
        ),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_qa_evaluation_events")),
    )
    op.create_index(
        "ix_qa_evaluation_events_agent_id_evaluated_at",
        "qa_evaluation_events",
        ["agent_id", "evaluated_at"],
        unique=False,
    )
    op.create_table(
        "rollup_dirty_days",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "marked_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("kind", "day", name=op.f("pk_rollup_dirty_days")),
    )
    op.create_table(
        "schedule_interval_events",
        sa.Column("queue", sa.String(length=100), nullable=False),
        sa.Column("interval_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("interval_start_epoch", sa.Double(), nullable=False),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("forecast_volume", sa.Double(), nullable=False),
        sa.Column("required_staff", sa.Double(), nullable=False),
        sa.Column("scheduled_staff", sa.Double(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_schedule_interval_events")),
    )
    op.create_index(
        "ix_schedule_interval_events_interval_start",
        "schedule_interval_events",
        ["interval_start"],
        unique=False,
    )
    op.create_table(
        "survey_events",
        sa.Column("survey_id", sa.String(length=200), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=True),
        sa.Column("call_id", sa.String(length=200), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("csat", sa.Integer(), nullable=True),
        sa.Column("nps", sa.Integer(), nullable=True),
        sa.Column("remark", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_survey_events")),
    )
    op.create_index("ix_survey_events_answered_at", "survey_events", ["answered_at"], unique=False)
    op.create_table(
        "system_availability_events",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("system_id", sa.String(length=100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scheduled_minutes", sa.Double(), nullable=False),
        sa.Column("downtime_minutes", sa.Double(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_system_availability_events")),
    )
    op.create_table(
        "work_order_events",
        sa.Column("work_order_id", sa.String(length=200), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column(
            "first_response_seconds",
            sa.Double(),
            nullable=True,
            comment="first_response_at − created_at, derived at ingest",
        ),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("source", "event_id", name=op.f("pk_work_order_events")),
    )
    op.create_index(
        "ix_work_order_events_created_at", "work_order_events", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_work_order_events_created_at", table_name="work_order_events")
    op.drop_table("work_order_events")
    op.drop_table("system_availability_events")
    op.drop_index("ix_survey_events_answered_at", table_name="survey_events")
    op.drop_table("survey_events")
    op.drop_index(
        "ix_schedule_interval_events_interval_start", table_name="schedule_interval_events"
    )
    op.drop_table("schedule_interval_events")
    op.drop_table("rollup_dirty_days")
    op.drop_index(
        "ix_qa_evaluation_events_agent_id_evaluated_at", table_name="qa_evaluation_events"
    )
    op.drop_table("qa_evaluation_events")
    op.drop_table("period_hr_measures")
    op.drop_table("period_finance_measures")
    op.drop_table("hr_fact_events")
    op.drop_table("finance_fact_events")
    op.drop_table("daily_work_order_measures")
    op.drop_table("daily_survey_measures")
    op.drop_table("daily_state_measures")
    op.drop_table("daily_schedule_measures")
    op.drop_table("daily_qa_measures")
    op.drop_table("daily_complaint_measures")
    op.drop_table("daily_call_measures")
    op.drop_table("daily_availability_measures")
    op.drop_table("daily_audit_measures")
    op.drop_index("ix_complaint_events_received_at", table_name="complaint_events")
    op.drop_table("complaint_events")
    op.drop_index("ix_call_events_offered_at", table_name="call_events")
    op.drop_index("ix_call_events_caller_hash_offered_epoch", table_name="call_events")
    op.drop_index("ix_call_events_queue_offered_epoch", table_name="call_events")
    op.drop_index("ix_call_events_agent_id_offered_at", table_name="call_events")
    op.drop_table("call_events")
    op.drop_index("ix_audit_finding_events_audited_at", table_name="audit_finding_events")
    op.drop_table("audit_finding_events")
    op.drop_index("ix_agent_state_events_agent_id_start_time", table_name="agent_state_events")
    op.drop_table("agent_state_events")
