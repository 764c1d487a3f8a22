"""Vocabulary of the org that HRIS pushes and appraisal rules read (DOMAIN.md §2).

Values are lowercase snake_case so they are stored and sent unchanged.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["EmploymentStatus", "LeaveKind", "OrgUnitKind", "PositionType"]


class EmploymentStatus(StrEnum):
    """Employment status; decides whether someone is appraised at all (seed 003)."""

    PROBATION = "probation"  # 试用期
    REGULAR = "regular"  # 正式 (转正 after probation, or hired as regular)
    TEMPORARY = "temporary"  # 临时
    PART_TIME_EXTERNAL = "part_time_external"  # 外部兼职
    TERMINATED = "terminated"  # 离职


class PositionType(StrEnum):
    """Position type; decides the appraisal form's section weights (DOMAIN.md §4.1)."""

    MANAGEMENT = "management"  # 管理职能岗位
    NON_MANAGEMENT = "non_management"  # 非管理职能岗位


class OrgUnitKind(StrEnum):
    """Level of a unit in the tree center → department → team."""

    CENTER = "center"  # 客户服务中心
    DEPARTMENT = "department"  # 科室
    TEAM = "team"  # 班组


class LeaveKind(StrEnum):
    """Kind of leave; maternity leave has its own eligibility rule (seed 003)."""

    ANNUAL = "annual"  # 年假
    SICK = "sick"  # 病假
    PERSONAL = "personal"  # 事假
    MATERNITY = "maternity"  # 产假
    OTHER = "other"
