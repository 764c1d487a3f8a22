"""Small builders for OrgService messages, shared by the e2e tests."""

from __future__ import annotations

import datetime as dt

from ccperf.org.v1 import org_pb2
from services.common.protoconv import write_date


def date(text: str) -> object:
    return write_date(dt.date.fromisoformat(text))


def unit(unit_id: str, kind: int, parent: str = "", since: str = "2026-01-01") -> org_pb2.OrgUnit:
    msg = org_pb2.OrgUnit(id=unit_id, kind=kind, name=f"unit {unit_id}", parent_id=parent)  # type: ignore[arg-type]
    msg.effective_from.CopyFrom(date(since))
    return msg


def small_org() -> list[org_pb2.OrgUnit]:
    kinds = org_pb2.OrgUnitKind
    return [
        unit("CC", kinds.ORG_UNIT_KIND_CENTER),
        unit("OPS", kinds.ORG_UNIT_KIND_DEPARTMENT, "CC"),
        unit("OPS-T1", kinds.ORG_UNIT_KIND_TEAM, "OPS"),
    ]


def employee(
    emp_id: str,
    org_unit: str = "OPS-T1",
    supervisor: str = "",
    since: str = "2026-01-01",
    status: int = org_pb2.EMPLOYMENT_STATUS_REGULAR,
    position_type: int = org_pb2.POSITION_TYPE_NON_MANAGEMENT,
) -> org_pb2.Employee:
    msg = org_pb2.Employee(
        id=emp_id,
        name=f"name {emp_id}",
        org_unit_id=org_unit,
        supervisor_id=supervisor,
        position="客服代表",
        position_type=position_type,  # type: ignore[arg-type]
        grade="S3",
        employment_status=status,  # type: ignore[arg-type]
    )
    msg.hire_date.CopyFrom(date("2024-03-01"))
    msg.effective_from.CopyFrom(date(since))
    return msg
