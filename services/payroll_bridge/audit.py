"""What the payroll bridge writes to ``pay_audit``: one row per changed thing.

Every write RPC records its changes in its own transaction (`services.common.audit`):

| entity | key | action | before / after |
|---|---|---|---|
| ``cap_row`` | position/grade/tier/valid_from | created, updated | amount, currency, valid_to |
| ``base_tier`` | employee/effective_from | created, updated | tier |
| ``base_pay`` | employee/effective_from | created, updated | amount, currency |
| ``year_end_parameters`` | year | created, updated | rate, currency, coefficients |
| ``incentive_schedule`` | code | created, updated | threshold, mode, unit, brackets |
| ``incentive_amount`` | period/employee/reference | created, updated | schedule, amount |
| ``draft`` | period | computed | lines, totals (the previous computation's) |
| ``batch`` | batch id | frozen, acknowledged | period, hash, lines, totals, state |

A call that changes nothing (a replay) records nothing; a refused call records nothing
either, since its transaction rolls back. Money is decimal text, as stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from services.common import audit
from services.common.auth import Principal
from services.payroll_bridge.domain.brackets import BracketSchedule
from services.payroll_bridge.domain.caps import CapRow
from services.payroll_bridge.domain.money import Money
from services.payroll_bridge.domain.year_end import YearEndParameters
from services.payroll_bridge.models import PayAuditEntry, PayBatch


def cap_row_key(row: CapRow) -> str:
    return f"{row.position}/{row.grade}/{row.tier}/{row.valid_from.isoformat()}"


def cap_row(row: CapRow) -> dict[str, Any]:
    return {**money(row.amount), "valid_to": row.valid_to}


def money(value: Money) -> dict[str, Any]:
    return {"amount": value.amount, "currency": value.currency}


def year_end(parameters: YearEndParameters) -> dict[str, Any]:
    return {
        "completion_rate": parameters.completion_rate,
        "currency": parameters.currency,
        "grade_coefficients": dict(sorted(parameters.bonus_coefficient_by_grade.items())),
        "position_coefficients": dict(sorted(parameters.bonus_coefficient_by_position.items())),
    }


def schedule(value: BracketSchedule) -> dict[str, Any]:
    return {
        "threshold": value.threshold,
        "mode": value.mode,
        "unit": value.unit,
        "currency": value.currency,
        "brackets": [{"lower": b.lower, "rate": b.rate} for b in value.brackets],
    }


def batch(record: PayBatch) -> dict[str, Any]:
    return {
        "period": record.period,
        "content_hash": record.content_hash,
        "line_count": record.line_count,
        "totals": dict(record.totals),
        "state": "acknowledged" if record.acknowledged_at else "frozen",
    }


def draft(lines: int, totals: Mapping[str, Money], **counts: int) -> dict[str, Any]:
    return {
        "lines": lines,
        "totals": {currency: m.amount for currency, m in totals.items()},
        **counts,
    }


def trail(principal: Principal, at: dt.datetime) -> audit.Trail:
    return audit.Trail(PayAuditEntry, principal, at)


def last_after(session: Session, entity: str, key: str) -> dict[str, Any] | None:
    return audit.last_after(session, PayAuditEntry, entity, key)
