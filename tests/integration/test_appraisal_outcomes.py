"""Annual grades, calibration, consequences and center certification on Postgres."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from services.appraisal import outcomes
from services.appraisal.domain.certification import CCCS_OP_2003
from services.appraisal.domain.distribution import CalibrationRefused
from services.appraisal.domain.results import Grade
from services.appraisal.domain.scoring import AppraisalInputError
from services.appraisal.models import CapTierChange
from services.common.auth import Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import FailedPrecondition, InvalidArgument
from services.common.pagination import PageRequest
from tests.integration.org_factories import add_employees, employee, seed_tree, who
from tests.support.appraisal_records import filed

HR = who("H1", Role.HR)
NOW = dt.datetime(2027, 1, 20, 2, 0, tzinfo=dt.UTC)


def months(uows: UnitOfWorkFactory, employee_id: str, *coefficients: str) -> None:
    for month, coefficient in enumerate(coefficients, start=1):
        filed(uows, employee_id, f"2026-{month:02d}", coefficient)


@pytest.fixture
def org(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """12 agents in OPS (O01 best … O12 worst), 2 in SUP, their boss in SUP."""
    seed_tree(uow_factory)
    people = [employee("BOSS", "SUP")]
    people += [employee(f"O{i:02d}", "OPS-T1", "BOSS") for i in range(1, 13)]
    people += [employee("S1", "SUP-T1", "BOSS"), employee("S2", "SUP-T1", "BOSS")]
    add_employees(uow_factory, *people)
    return uow_factory


def test_annual_grades_are_forced_per_department(org: UnitOfWorkFactory) -> None:
    for i in range(1, 13):
        months(org, f"O{i:02d}", *[f"0.{99 - 3 * i:02d}00"] * 6)
    months(org, "S1", *["0.8000"] * 6)
    months(org, "S2", "0.7000", "0.9000", "0.8000", "0.8000", "0.8000", "0.8001")
    filed(org, "BOSS", "2026-01", "0.9000")  # one month only: no annual coefficient

    outcome = outcomes.compute_annual_grades(org(), HR, 2026, "department", now=NOW)

    by_name = {p.population.population: p for p in outcome.populations}
    assert sorted(by_name) == ["OPS", "SUP"]
    ops = by_name["OPS"]
    # 12 people: A and E 12 × 5 % = 0.6 → 1, B and D 2.4 → 2, C the other 6.
    assert ops.population.quotas == {"A": 1, "B": 2, "C": 6, "D": 2, "E": 1}
    assert [g.grade for g in ops.grades] == ["A", "B", "B", *["C"] * 6, "D", "D", "E"]
    assert (ops.grades[0].employee_id, ops.grades[0].coefficient) == ("O01", Decimal("0.9600"))
    sup = by_name["SUP"]
    # S2's mean: (0.7 + 0.9 + 0.8 × 3 + 0.8001) / 6 = 0.80001… → 0.8000, tied with S1.
    assert [(g.employee_id, g.coefficient, g.grade) for g in sup.grades] == [
        ("S1", Decimal("0.8000"), "C"), ("S2", Decimal("0.8000"), "C")
    ]  # fmt: skip
    assert [(g.employee_id, g.coefficient) for g in outcome.without_coefficient] == [("BOSS", None)]
    assert "1" in outcome.without_coefficient[0].explanation
    assert outcome.graded == 14


def test_calibration_stays_within_quotas_and_then_freezes_the_year(org: UnitOfWorkFactory) -> None:
    for i in range(1, 13):
        months(org, f"O{i:02d}", *[f"0.{99 - 3 * i:02d}00"] * 6)
    outcomes.compute_annual_grades(org(), HR, 2026, "center", now=NOW)
    up = outcomes.GradeMove("O02", Grade.B, Grade.A, "led the migration project")
    with pytest.raises(CalibrationRefused, match="grade A would hold 2"):
        outcomes.calibrate_grades(org(), HR, 2026, "center", [up])
    down = outcomes.GradeMove("O01", Grade.A, Grade.B, "two valid complaints in December")
    view = outcomes.calibrate_grades(org(), HR, 2026, "center", [up, down], now=NOW)
    grades = {g.employee_id: (g.grade, g.distributed_grade, g.calibrated_by) for g in view.grades}
    assert grades["O02"] == ("A", "B", "H1")
    assert grades["O01"] == ("B", "A", "H1")
    with pytest.raises(FailedPrecondition, match="calibrated"):
        outcomes.compute_annual_grades(org(), HR, 2026, "center", now=NOW)
    stale = outcomes.GradeMove("O01", Grade.A, Grade.C, "stale")
    with pytest.raises(CalibrationRefused, match="graded B, not A"):
        outcomes.calibrate_grades(org(), HR, 2026, "center", [stale])


def test_consequences_are_recommended_once_and_only_hr_acts(org: UnitOfWorkFactory) -> None:
    months(org, "O01", "0.4000", "0.4500", "0.8000")  # two in a row below 50 % → warning
    months(org, "O02", "0.9500", "0.9200", "0.9100")  # three above 90 % → cap tier up or bonus
    months(org, "O03", "0.5500", "0.5800", "0.5900")  # three below 60 % → cap tier down
    first = outcomes.evaluate_consequences(org(), HR, now=NOW)
    assert (first.created, first.already_known) == (3, 0)
    again = outcomes.evaluate_consequences(org(), HR, now=NOW)
    assert (again.created, again.already_known) == (0, 3)

    page = outcomes.list_recommendations(org(), "pending", "", _page(), [])[0]
    keys = {r.employee_id: r.key for r in page}
    assert keys["O01"] == "two_consecutive_months_below_50:O01:2026-01+2026-02"

    with pytest.raises(InvalidArgument, match="cap_tier_up, excellence_bonus"):
        outcomes.decide_recommendation(org(), HR, keys["O02"], True, "", "", now=NOW)
    with pytest.raises(InvalidArgument, match="reason"):
        outcomes.decide_recommendation(org(), HR, keys["O01"], False, " ", "", now=NOW)
    outcomes.decide_recommendation(org(), HR, keys["O02"], True, "", "cap_tier_up", now=NOW)
    outcomes.decide_recommendation(org(), HR, keys["O03"], True, "agreed", "", now=NOW)
    outcomes.decide_recommendation(org(), HR, keys["O01"], False, "sick leave", "", now=NOW)
    with pytest.raises(FailedPrecondition, match="already accepted"):
        outcomes.decide_recommendation(org(), HR, keys["O02"], True, "", "cap_tier_up", now=NOW)

    with org() as uow:
        changes = uow.session.scalars(
            select(CapTierChange).order_by(CapTierChange.employee_id)
        ).all()
        assert [(c.employee_id, c.delta, c.effective_from) for c in changes] == [
            ("O02", 1, dt.date(2027, 2, 1)), ("O03", -1, dt.date(2027, 2, 1))
        ]  # fmt: skip


def test_an_annual_e_means_no_annual_bonus(org: UnitOfWorkFactory) -> None:
    for i in range(1, 13):
        months(org, f"O{i:02d}", *[f"0.{99 - 3 * i:02d}00"] * 6)
    outcomes.compute_annual_grades(org(), HR, 2026, "center", now=NOW)
    outcomes.evaluate_consequences(org(), HR, now=NOW)
    rows = outcomes.list_recommendations(org(), "", "O12", _page(), [])[0]
    assert [(r.rule_code, r.evidence) for r in rows if r.rule_code == "annual_e"] == [
        ("annual_e", [{"period": "2026", "value": "E"}])
    ]
    awards = outcomes.list_recommendations(org(), "", "O01", _page(), [])[0]
    assert "annual_a" in {r.rule_code for r in awards}


def test_center_certification_levels_and_history(org: UnitOfWorkFactory) -> None:
    full = {i.code: i.maximum for i in CCCS_OP_2003.sub_items}
    _record, assessment = outcomes.assess_center(
        org(), who("P1", Role.PERF_ADMIN), "CC", dt.date(2026, 12, 1), full
    )
    assert (assessment.total, str(assessment.level)) == (Decimal(100), "five_star")
    half = {code: maximum / 2 for code, maximum in full.items()}
    outcomes.assess_center(org(), who("P1", Role.PERF_ADMIN), "CC", dt.date(2026, 12, 15), half)
    listed = outcomes.list_center_assessments(org(), "CC")
    assert [(r.assessed_on.day, str(a.level)) for r, a in listed] == [
        (15, "conditional"), (1, "five_star")
    ]  # fmt: skip
    missing = dict(full)
    del missing["8.1"]
    with pytest.raises(AppraisalInputError, match=r"missing 8\.1"):
        outcomes.assess_center(
            org(), who("P1", Role.PERF_ADMIN), "CC", dt.date(2026, 12, 2), missing
        )
    assert len(outcomes.list_center_assessments(org(), "CC")) == 2


def _page() -> PageRequest:
    return PageRequest(size=100, after=None)
