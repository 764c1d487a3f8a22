"""Tables of the organisation: dated versions of org units and employees, leave, calendar.

An entity row (``org_units``, ``employees``) holds the identity and a revision
counter (the etag); its ``*_versions`` rows hold the attributes, each valid from
``valid_from`` (inclusive) to ``valid_to`` (exclusive, NULL while current), so
the org can be read as of any date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.common.audit import AuditColumns
from services.common.db import Base, HrisKey, Name, Timestamp, text_enum, utcnow
from services.org.domain.model import EmploymentStatus, LeaveKind, OrgUnitKind, PositionType


class VersionMixin:
    """A dated version: holds from ``valid_from`` until the day before ``valid_to``."""

    valid_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    ATTRIBUTES: tuple[str, ...] = ()

    def attributes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.ATTRIBUTES}


class EntityMixin:
    """The identity row of a dated entity; its attributes live in its versions."""

    revision: Mapped[int] = mapped_column(default=1, comment="bumped on every change; the etag")
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)


class OrgUnit(EntityMixin, Base):
    __tablename__ = "org_units"

    id: Mapped[HrisKey] = mapped_column(primary_key=True, comment="HRIS key of the unit")


class OrgUnitVersion(VersionMixin, Base):
    __tablename__ = "org_unit_versions"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="valid_range"),
        Index("ix_org_unit_versions_parent_id", "parent_id"),
    )
    ATTRIBUTES = ("kind", "name", "parent_id")

    org_unit_id: Mapped[HrisKey] = mapped_column(
        ForeignKey("org_units.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[OrgUnitKind] = mapped_column(text_enum(OrgUnitKind, "org_unit_kind"))
    name: Mapped[Name]
    parent_id: Mapped[str | None] = mapped_column(String(64), ForeignKey("org_units.id"))


class Employee(EntityMixin, Base):
    __tablename__ = "employees"

    id: Mapped[HrisKey] = mapped_column(primary_key=True, comment="HRIS employee number")


class EmployeeVersion(VersionMixin, Base):
    __tablename__ = "employee_versions"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="valid_range"),
        Index("ix_employee_versions_org_unit_id", "org_unit_id"),
        Index("ix_employee_versions_supervisor_id", "supervisor_id"),
    )
    ATTRIBUTES = (
        "name",
        "org_unit_id",
        "supervisor_id",
        "position",
        "position_type",
        "grade",
        "employment_status",
        "hire_date",
        "confirmation_date",
        "termination_date",
    )

    employee_id: Mapped[HrisKey] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[Name]
    org_unit_id: Mapped[HrisKey] = mapped_column(ForeignKey("org_units.id"))
    supervisor_id: Mapped[str | None] = mapped_column(String(64), ForeignKey("employees.id"))
    position: Mapped[Name]
    position_type: Mapped[PositionType] = mapped_column(text_enum(PositionType, "position_type"))
    grade: Mapped[str] = mapped_column(String(32))
    employment_status: Mapped[EmploymentStatus] = mapped_column(
        text_enum(EmploymentStatus, "employment_status")
    )
    hire_date: Mapped[dt.date] = mapped_column(Date)
    confirmation_date: Mapped[dt.date | None] = mapped_column(Date, comment="转正 date")
    termination_date: Mapped[dt.date | None] = mapped_column(Date)


class Leave(Base):
    __tablename__ = "leaves"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="date_order"),
        Index("ix_leaves_employee_id_start_date", "employee_id", "start_date"),
    )

    id: Mapped[HrisKey] = mapped_column(primary_key=True, comment="HRIS key of the leave record")
    employee_id: Mapped[HrisKey] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    kind: Mapped[LeaveKind] = mapped_column(text_enum(LeaveKind, "leave_kind"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date, comment="inclusive")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[Timestamp] = mapped_column(default=utcnow, onupdate=utcnow)


class CalendarException(Base):
    """A day that breaks the Monday–Friday rule: a holiday, or a make-up working day (调休)."""

    __tablename__ = "calendar_exceptions"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean, comment="true: make-up working day")
    name: Mapped[str] = mapped_column(String(100), default="")


class OrgAuditEntry(AuditColumns, Base):
    """A change to the calendar or to a leave (``services.org.service``); never updated
    or deleted (migration 0010)."""

    __tablename__ = "org_audit"
    __table_args__ = (Index("ix_org_audit_entity", "entity", "key", "id"),)
