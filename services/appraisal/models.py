"""Tables of the appraisal workflow (DOMAIN.md §4).

A cycle (``appraisal_cycles``) is one period with one template; opening it
creates an ``appraisals`` row per eligible employee. An appraisal's items
(``appraisal_items``) are the template's scored items plus the targets the
assessor sets, each row holding what scored it: the collected KPI value with
its definition version, the self and review scores. 360 invitations and
ratings, incidents and bonus items, every issued result and the audit trail
each have their own table, so nothing is overwritten: a re-issue adds a
result row, a correction adds an audit row with the old and new scores.

``appraisals.version`` is the etag: every write checks and bumps it under a
row lock, so a stale write is refused instead of lost.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.appraisal.domain.workflow import AppraisalState, Party
from services.common.audit import AuditColumns
from services.common.db import Base, ExactDecimal, HrisKey, Name, Timestamp, text_enum, utcnow
from services.common.periods import Granularity
from services.org.domain.model import PositionType

Points = ExactDecimal()
"""Scores, points and weights, exactly as given or computed."""
Value = ExactDecimal()
"""KPI actuals and targets, in the KPI's unit."""


class Cycle(Base):
    __tablename__ = "appraisal_cycles"

    id: Mapped[str] = mapped_column(String(16), primary_key=True, comment="the period, 2026-10")
    granularity: Mapped[Granularity] = mapped_column(text_enum(Granularity, "granularity"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    template_code: Mapped[str] = mapped_column(String(64))
    opens_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date] = mapped_column(Date)
    # As at opening; GetCycle and collection judge by the calendar as it is now.
    data_due_on: Mapped[dt.date] = mapped_column(Date, comment="3rd working day after the period")
    opened_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    opened_by: Mapped[HrisKey]


class Appraisal(Base):
    __tablename__ = "appraisals"
    # Steps update the row in place (migration 0011): the state is not indexed (reads by
    # cycle and state use the unique index's cycle prefix) and pages keep room.
    __table_args__ = (
        UniqueConstraint("cycle_id", "employee_id"),
        Index("ix_appraisals_assessor_id", "assessor_id"),
        Index("ix_appraisals_employee_id", "employee_id"),
        {"postgresql_with": {"fillfactor": 80}},
    )

    id: Mapped[str] = mapped_column(String(96), primary_key=True, comment="cycle/employee")
    cycle_id: Mapped[str] = mapped_column(ForeignKey("appraisal_cycles.id", ondelete="CASCADE"))
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    assessor_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    org_unit_id: Mapped[HrisKey]
    position_type: Mapped[PositionType] = mapped_column(
        text_enum(PositionType, "appraisal_position_type")
    )
    template_code: Mapped[str] = mapped_column(String(64))
    period_end: Mapped[dt.date] = mapped_column(Date, comment="the cycle's, for deadlines")
    state: Mapped[AppraisalState] = mapped_column(text_enum(AppraisalState, "appraisal_state"))
    version: Mapped[int] = mapped_column(default=1, comment="the etag; bumped on every change")
    section_weights: Mapped[dict[str, str]] = mapped_column(
        JSON, default=dict, comment="the assessor's split of shared weights, as decimal text"
    )
    signed_by_employee: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_by_assessor: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    collected_late: Mapped[bool] = mapped_column(Boolean, default=False)
    appeals_filed: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)


class AppraisalItem(Base):
    """A scored item: from the template (rated, 360) or from the targets (KPI, work goals)."""

    __tablename__ = "appraisal_items"
    __table_args__ = ({"postgresql_with": {"fillfactor": 80}},)  # scores update in place

    appraisal_id: Mapped[str] = mapped_column(
        ForeignKey("appraisals.id", ondelete="CASCADE"), primary_key=True
    )
    section: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, comment="order on the form")
    from_targets: Mapped[bool] = mapped_column(Boolean, comment="set by the assessor's targets")
    name: Mapped[Name]
    weight: Mapped[Decimal] = mapped_column(Points, comment="percent of the section")
    points: Mapped[Decimal] = mapped_column(Points)
    scoring: Mapped[dict[str, Any]] = mapped_column(JSON, comment="scoring.params_to_dict")
    target: Mapped[Decimal | None] = mapped_column(Value)
    standard: Mapped[str] = mapped_column(Text, default="")
    data_provider: Mapped[str] = mapped_column(String(200), default="")
    actual: Mapped[Decimal | None] = mapped_column(Value)
    definition_version: Mapped[int | None]
    collected_at: Mapped[Timestamp | None]
    self_score: Mapped[Decimal | None] = mapped_column(Points)
    review_score: Mapped[Decimal | None] = mapped_column(Points)
    self_level: Mapped[str | None] = mapped_column(String(64))
    review_level: Mapped[str | None] = mapped_column(String(64))


class RaterInvitation(Base):
    """A 360 rater invited by role (self, a subordinate, the supervisor); rates once."""

    __tablename__ = "appraisal_raters"

    appraisal_id: Mapped[str] = mapped_column(
        ForeignKey("appraisals.id", ondelete="CASCADE"), primary_key=True
    )
    rater_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[Timestamp | None]


class Rating(Base):
    __tablename__ = "appraisal_ratings"

    appraisal_id: Mapped[str] = mapped_column(
        ForeignKey("appraisals.id", ondelete="CASCADE"), primary_key=True
    )
    rater_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    score: Mapped[Decimal] = mapped_column(Points)


class Adjustment(Base):
    """An incident (deduction) or bonus item (addition); counts once confirmed."""

    __tablename__ = "appraisal_adjustments"
    __table_args__ = (
        UniqueConstraint("appraisal_id", "kind", "filed_by", "request_key"),
        Index("ix_appraisal_adjustments_appraisal_id", "appraisal_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    appraisal_id: Mapped[str] = mapped_column(ForeignKey("appraisals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), comment="incident or bonus")
    item_code: Mapped[str] = mapped_column(String(64))
    points: Mapped[Decimal] = mapped_column(Points, comment="size, always positive")
    description: Mapped[str] = mapped_column(Text, default="")
    request_key: Mapped[str] = mapped_column(String(128), comment="retry key from the caller")
    filed_by: Mapped[HrisKey]
    filed_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[Timestamp | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")


class IssuedResult(Base):
    """Every issue of a result, kept: a re-issue after an appeal adds a row."""

    __tablename__ = "appraisal_results"

    appraisal_id: Mapped[str] = mapped_column(
        ForeignKey("appraisals.id", ondelete="CASCADE"), primary_key=True
    )
    issue: Mapped[int] = mapped_column(primary_key=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_by: Mapped[HrisKey]
    total: Mapped[Decimal] = mapped_column(Points, comment="rounded once: 2 decimals half-up")
    full_score: Mapped[Decimal] = mapped_column(Points)
    coefficient: Mapped[Decimal] = mapped_column(Points, comment="4 decimals half-up")
    grade: Mapped[str] = mapped_column(String(1))
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    appeal_deadline: Mapped[dt.date] = mapped_column(Date)


class AuditEntry(Base):
    __tablename__ = "appraisal_audit"
    __table_args__ = (Index("ix_appraisal_audit_appraisal_id", "appraisal_id", "id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    appraisal_id: Mapped[str] = mapped_column(ForeignKey("appraisals.id", ondelete="CASCADE"))
    transition: Mapped[str] = mapped_column(String(32))
    who: Mapped[HrisKey]
    party: Mapped[Party] = mapped_column(text_enum(Party, "audit_party"))
    at: Mapped[Timestamp]
    from_state: Mapped[AppraisalState] = mapped_column(
        text_enum(AppraisalState, "audit_from_state")
    )
    to_state: Mapped[AppraisalState] = mapped_column(text_enum(AppraisalState, "audit_to_state"))
    reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(comment="the appraisal's version after the step")
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AnnualPopulation(Base):
    """One population's forced distribution for a year: its quotas and what ties allowed."""

    __tablename__ = "annual_populations"

    year: Mapped[int] = mapped_column(primary_key=True)
    population: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[str] = mapped_column(String(16), comment="department or center")
    quotas: Mapped[dict[str, int]] = mapped_column(JSON)
    allowed: Mapped[dict[str, int]] = mapped_column(JSON)
    computed_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    computed_by: Mapped[HrisKey]


class AnnualGrade(Base):
    __tablename__ = "annual_grades"
    __table_args__ = (Index("ix_annual_grades_year_population", "year", "population"),)

    year: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    population: Mapped[str] = mapped_column(String(64))
    coefficient: Mapped[Decimal | None] = mapped_column(Points)
    basis: Mapped[str] = mapped_column(String(32))
    months_used: Mapped[int]
    explanation: Mapped[str] = mapped_column(Text)
    distributed_grade: Mapped[str | None] = mapped_column(String(1))
    grade: Mapped[str | None] = mapped_column(String(1))
    calibration_reason: Mapped[str | None] = mapped_column(Text)
    calibrated_by: Mapped[str | None] = mapped_column(String(64))
    calibrated_at: Mapped[Timestamp | None]


class Recommendation(Base):
    """A consequence the rules recommend; hr accepts or rejects it, nothing acts on its own."""

    __tablename__ = "consequence_recommendations"
    __table_args__ = (Index("ix_consequence_recommendations_employee_id", "employee_id"),)

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    rule_code: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    outcome: Mapped[str] = mapped_column(String(32), default="")
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[Timestamp | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)


class CapTierChange(Base):
    """A performance-cap tier move hr accepted; payroll applies it from `effective_from`."""

    __tablename__ = "cap_tier_changes"

    recommendation_key: Mapped[str] = mapped_column(
        ForeignKey("consequence_recommendations.key"), primary_key=True
    )
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    delta: Mapped[int] = mapped_column(comment="+1 up a tier, -1 down a tier")
    effective_from: Mapped[dt.date] = mapped_column(Date, comment="first day of the next month")
    decided_by: Mapped[HrisKey]
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)


class CenterAssessmentRecord(Base):
    """A center certification assessment (CCCS-OP-2003) with every sub-item score."""

    __tablename__ = "center_assessments"
    __table_args__ = (Index("ix_center_assessments_center_id", "center_id", "assessed_on"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    center_id: Mapped[HrisKey]
    standard: Mapped[str] = mapped_column(String(32))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    scores: Mapped[dict[str, str]] = mapped_column(JSON)
    total: Mapped[Decimal] = mapped_column(Points)
    rounded_total: Mapped[Decimal] = mapped_column(Points)
    level: Mapped[str] = mapped_column(String(16))
    assessed_by: Mapped[HrisKey]
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)


class OutcomeAuditEntry(AuditColumns, Base):
    """A change to an annual grade, a consequence, a cap tier or a certification.

    The outcomes' trail (`services.common.audit`), as ``appraisal_audit`` is one
    appraisal's; never updated or deleted.
    """

    __tablename__ = "appraisal_outcome_audit"
    __table_args__ = (Index("ix_appraisal_outcome_audit_entity", "entity", "key", "id"),)
