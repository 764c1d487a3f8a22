"""A month of final appraisal results for many employees, written straight to the tables.

For what reads them in bulk (payroll's ComputePeriod and CreateBatch): the benchmark
and the fault tests. ``load`` writes, with ``generate_series``, an org (a center, a
department, teams of 100), the appraisal cycle ``2026-10`` and, per employee, an
appraisal in state ``final`` and its issued result, as the workflow leaves them (see
tests/support/appraisal_records.py); ``cap_rows`` is a cap table that pays them all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, text

from ccperf.common.v1 import common_pb2
from ccperf.payroll.v1 import payroll_pb2 as pb
from services.common.protoconv import write_date

PERIOD = "2026-10"
POSITIONS = ("客服代表", "质检员", "培训师")
GRADES = ("S1", "S2", "S3", "S4")
TIERS = (1, 2, 3)

# What IssueResult writes for a typical form: three sections and, in the explanation,
# what each contributed to the total.
SECTIONS = (
    '[{"section": "kpi", "weight": "60", "score": "85.50", "weighted": "51.30"},'
    ' {"section": "behaviour", "weight": "30", "score": "80.00", "weighted": "24.00"},'
    ' {"section": "development", "weight": "10", "score": "90.00", "weighted": "9.00"}]'
)
EXPLANATION = (
    '[{"kind": "section", "section": "kpi", "name": "KPI", "amount": "51.30",'
    '  "counted": true, "detail": "85.50 x 60 %"},'
    ' {"kind": "section", "section": "behaviour", "name": "behaviour", "amount": "24.00",'
    '  "counted": true, "detail": "80.00 x 30 %"},'
    ' {"kind": "section", "section": "development", "name": "development", "amount": "9.00",'
    '  "counted": true, "detail": "90.00 x 10 %"}]'
)


def load(conn: Connection, employees: int) -> None:
    """Org, cycle, final appraisals and their results of ``employees`` employees."""
    n = {"n": employees, "teams": (employees + 99) // 100}
    conn.execute(text("INSERT INTO org_units (id, revision, created_at, updated_at) VALUES "
                      "('CC', 1, now(), now()), ('D1', 1, now(), now())"))  # fmt: skip
    conn.execute(text(
        "INSERT INTO org_unit_versions (org_unit_id, valid_from, kind, name, parent_id) VALUES "
        "('CC', '2026-01-01', 'center', 'center', NULL), "
        "('D1', '2026-01-01', 'department', 'dept', 'CC')"))  # fmt: skip
    conn.execute(text(
        "INSERT INTO org_units (id, revision, created_at, updated_at) "
        "SELECT 'T' || t, 1, now(), now() FROM generate_series(0, :teams - 1) t"), n)  # fmt: skip
    conn.execute(text(
        "INSERT INTO org_unit_versions (org_unit_id, valid_from, kind, name, parent_id) "
        "SELECT 'T' || t, '2026-01-01', 'team', 'team ' || t, 'D1' "
        "FROM generate_series(0, :teams - 1) t"), n)  # fmt: skip
    conn.execute(text(
        "INSERT INTO employees (id, revision, created_at, updated_at) "
        "SELECT 'BOSS', 1, now(), now() UNION ALL "
        "SELECT 'E' || lpad(i::text, 6, '0'), 1, now(), now() "
        "FROM generate_series(0, :n - 1) i"), n)  # fmt: skip
    conn.execute(text(
        "INSERT INTO employee_versions (employee_id, valid_from, name, org_unit_id, "
        "supervisor_id, position, position_type, grade, employment_status, hire_date) VALUES "
        "('BOSS', '2026-01-01', 'head', 'CC', NULL, '主任', 'management', 'M1', 'regular', "
        "'2020-01-01')"))  # fmt: skip
    conn.execute(text(
        "INSERT INTO employee_versions (employee_id, valid_from, name, org_unit_id, "
        "supervisor_id, position, position_type, grade, employment_status, hire_date) "
        "SELECT 'E' || lpad(i::text, 6, '0'), '2026-01-01', 'agent ' || i, 'T' || (i / 100), "
        "'BOSS', (CAST(:positions AS text[]))[1 + i % 3], 'non_management', "
        "(CAST(:grades AS text[]))[1 + (i / 3) % 4], 'regular', '2024-03-01' "
        "FROM generate_series(0, :n - 1) i"),
        {**n, "positions": list(POSITIONS), "grades": list(GRADES)})  # fmt: skip
    conn.execute(text(
        "INSERT INTO appraisal_cycles (id, granularity, period_start, period_end, "
        "template_code, opens_on, closes_on, data_due_on, opened_at, opened_by) VALUES "
        "(:period, 'month', '2026-10-01', '2026-10-31', 'seed004_default', '2026-10-01', "
        "'2026-10-31', '2026-11-05', now(), 'H1')"), {"period": PERIOD})  # fmt: skip
    conn.execute(text(
        "INSERT INTO appraisals (id, cycle_id, employee_id, assessor_id, org_unit_id, "
        "position_type, template_code, period_end, state, version, section_weights, "
        "signed_by_employee, signed_by_assessor, issued_on, collected_late, appeals_filed, "
        "created_at, updated_at) "
        "SELECT :period || '/E' || lpad(i::text, 6, '0'), :period, "
        "'E' || lpad(i::text, 6, '0'), 'BOSS', 'T' || (i / 100), 'non_management', "
        "'seed004_default', '2026-10-31', 'final', 14, '{}', true, true, '2026-11-06', "
        "false, 0, now(), now() FROM generate_series(0, :n - 1) i"),
        {**n, "period": PERIOD})  # fmt: skip
    # Coefficients 0.6000 .. 1.0900: one in five is above 1 (bonus items) and is held to
    # the default ceiling.
    conn.execute(text(
        "INSERT INTO appraisal_results (appraisal_id, issue, issued_on, issued_by, total, "
        "full_score, coefficient, grade, sections, explanation, appeal_deadline) "
        "SELECT :period || '/E' || lpad(i::text, 6, '0'), 1, '2026-11-06', 'BOSS', "
        "60 + (i % 50), 100, CAST(0.6 + (i % 50) * 0.01 AS numeric(6, 4)), "
        "(ARRAY['D', 'C', 'B', 'A'])[1 + (i % 50) / 13], CAST(:sections AS json), "
        "CAST(:explanation AS json), '2026-11-13' FROM generate_series(0, :n - 1) i"),
        {**n, "period": PERIOD, "sections": SECTIONS, "explanation": EXPLANATION})  # fmt: skip


def cap_rows() -> list[pb.CapRow]:
    rows = []
    for p, position in enumerate(POSITIONS):
        for g, grade in enumerate(GRADES):
            for tier in TIERS:
                amount = 2000 + 400 * g + 150 * p + 300 * (tier - 1)
                row = pb.CapRow(position=position, grade=grade, tier=tier,
                                amount=common_pb2.Money(currency_code="CNY",
                                                        amount=f"{amount}.00"))  # fmt: skip
                row.valid_from.CopyFrom(write_date_text("2026-01-01"))
                rows.append(row)
    return rows


def write_date_text(value: str) -> Any:
    return write_date(dt.date.fromisoformat(value))
