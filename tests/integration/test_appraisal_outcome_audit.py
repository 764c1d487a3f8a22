"""Annual grades, consequences, cap tiers and certifications leave who, when, before and
after in ``appraisal_outcome_audit`` (issue #7, audit); a refused change leaves nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.appraisal import outcomes
from services.appraisal.domain.certification import CCCS_OP_2003
from services.appraisal.domain.distribution import CalibrationRefused
from services.appraisal.domain.results import Grade
from services.appraisal.models import OutcomeAuditEntry
from services.common.auth import Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import InvalidArgument
from services.common.pagination import PageRequest
from tests.integration.org_factories import add_employees, employee, seed_tree, who
from tests.support.appraisal_records import filed, reissued
from tests.support.audit_trail import audit_trail

HR = who("H1", Role.HR)
HR2 = who("H2", Role.HR)
NOW = dt.datetime(2027, 1, 20, 2, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=1)


@pytest.fixture
def org(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """12 agents in OPS under BOSS, O01 best … O12 worst."""
    seed_tree(uow_factory)
    people = [employee("BOSS", "SUP")]
    people += [employee(f"O{i:02d}", "OPS-T1", "BOSS") for i in range(1, 13)]
    add_employees(uow_factory, *people)
    return uow_factory


def months(uows: UnitOfWorkFactory, employee_id: str, *coefficients: str) -> None:
    for month, coefficient in enumerate(coefficients, start=1):
        filed(uows, employee_id, f"2026-{month:02d}", coefficient)


def graded(uows: UnitOfWorkFactory) -> None:
    for i in range(1, 13):
        months(uows, f"O{i:02d}", *[f"0.{99 - 3 * i:02d}00"] * 6)


def trail(uows: UnitOfWorkFactory, entity: str) -> list[dict[str, Any]]:
    return audit_trail(uows, OutcomeAuditEntry, entity)


def test_annual_grades_computed_and_calibrated(org: UnitOfWorkFactory) -> None:
    graded(org)
    outcomes.compute_annual_grades(org(), HR, 2026, "center", now=NOW)
    outcomes.compute_annual_grades(org(), HR, 2026, "center", now=NOW)  # same grades: no change
    computed = trail(org, "annual_grades")
    assert [(e["who"], e["at"], e["action"], e["key"], e["before"]) for e in computed] == [
        ("H1", NOW, "computed", "2026/center", None)
    ]  # fmt: skip
    after = computed[0]["after"]
    assert after["quotas"] == {"A": 1, "B": 2, "C": 6, "D": 2, "E": 1}
    assert after["grades"]["O01"] == {"coefficient": "0.9600", "grade": "A"}
    assert len(after["grades"]) == 12

    up = outcomes.GradeMove("O02", Grade.B, Grade.A, "led the migration project")
    with pytest.raises(CalibrationRefused):  # A would hold 2: refused, nothing recorded
        outcomes.calibrate_grades(org(), HR, 2026, "center", [up])
    assert trail(org, "annual_grade") == []
    down = outcomes.GradeMove("O01", Grade.A, Grade.B, "two valid complaints in December")
    outcomes.calibrate_grades(org(), HR2, 2026, "center", [up, down], now=LATER)
    assert trail(org, "annual_grade") == [
        {"at": LATER, "who": "H2", "action": "calibrated", "key": "2026/O02",
         "before": {"grade": "B", "reason": None},
         "after": {"grade": "A", "reason": "led the migration project"}},
        {"at": LATER, "who": "H2", "action": "calibrated", "key": "2026/O01",
         "before": {"grade": "A", "reason": None},
         "after": {"grade": "B", "reason": "two valid complaints in December"}},
    ]  # fmt: skip


def test_a_recomputation_keeps_the_grades_it_replaced(org: UnitOfWorkFactory) -> None:
    graded(org)
    outcomes.compute_annual_grades(org(), HR, 2026, "center", now=NOW)
    for month in range(1, 7):  # O12's results re-issued after appeals: now the best
        reissued(org, "O12", f"2026-{month:02d}", "0.9900")
    outcomes.compute_annual_grades(org(), HR2, 2026, "center", now=LATER)
    first, second = trail(org, "annual_grades")
    assert (second["who"], second["at"], second["before"]) == ("H2", LATER, first["after"])
    assert first["after"]["grades"]["O12"]["grade"] == "E"
    assert second["after"]["grades"]["O12"] == {"coefficient": "0.9900", "grade": "A"}


def test_recommendations_decisions_and_cap_tier_moves(org: UnitOfWorkFactory) -> None:
    months(org, "O01", "0.4000", "0.4500", "0.8000")  # two below 50 % → warning
    months(org, "O02", "0.9500", "0.9200", "0.9100")  # three above 90 % → cap tier up or bonus
    outcomes.evaluate_consequences(org(), HR, now=NOW)
    outcomes.evaluate_consequences(org(), HR, now=NOW)  # nothing new: nothing recorded
    made = trail(org, "recommendation")
    assert [(e["who"], e["action"], e["before"], e["after"]["status"]) for e in made] == [
        ("H1", "recommended", None, "pending")
    ] * 2  # fmt: skip
    page = outcomes.list_recommendations(org(), "pending", "", PageRequest(50, None), [])[0]
    keys = {r.employee_id: r.key for r in page}

    with pytest.raises(InvalidArgument):  # a rejection without a reason: nothing recorded
        outcomes.decide_recommendation(org(), HR2, keys["O01"], False, " ", "", now=LATER)
    outcomes.decide_recommendation(org(), HR2, keys["O01"], False, "sick leave", "", now=LATER)
    outcomes.decide_recommendation(org(), HR2, keys["O02"], True, "", "cap_tier_up", now=LATER)
    decided = trail(org, "recommendation")[2:]
    assert [(e["who"], e["at"], e["action"], e["key"]) for e in decided] == [
        ("H2", LATER, "rejected", keys["O01"]), ("H2", LATER, "accepted", keys["O02"])
    ]  # fmt: skip
    assert decided[0]["before"]["status"] == "pending"
    assert (decided[0]["after"]["status"], decided[0]["after"]["reason"]) == (
        "rejected", "sick leave"
    )  # fmt: skip
    assert (decided[1]["after"]["status"], decided[1]["after"]["outcome"]) == (
        "accepted", "cap_tier_up"
    )  # fmt: skip
    assert trail(org, "cap_tier") == [
        {"at": LATER, "who": "H2", "action": "moved", "key": "O02", "before": {"net_delta": 0},
         "after": {"net_delta": 1, "delta": 1, "effective_from": "2027-02-01",
                   "recommendation": keys["O02"]}},
    ]  # fmt: skip


def test_center_assessments_name_the_one_they_follow(org: UnitOfWorkFactory) -> None:
    p1 = who("P1", Role.PERF_ADMIN)
    full = {i.code: i.maximum for i in CCCS_OP_2003.sub_items}
    first, _ = outcomes.assess_center(org(), p1, "CC", dt.date(2026, 12, 1), full)
    half = {code: maximum / 2 for code, maximum in full.items()}
    second, _ = outcomes.assess_center(org(), p1, "CC", dt.date(2026, 12, 15), half)
    entries = trail(org, "center_assessment")
    assert [(e["who"], e["action"], e["key"]) for e in entries] == [("P1", "assessed", "CC")] * 2
    assert entries[0]["before"] is None
    assert entries[1]["before"] == entries[0]["after"]
    assert (entries[1]["after"]["id"], entries[1]["after"]["level"]) == (second.id, "conditional")
    assert entries[0]["after"]["scores"] == {k: str(v) for k, v in full.items()}
    assert entries[0]["at"] == first.created_at
