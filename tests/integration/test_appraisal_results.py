"""The issued result's arithmetic on Postgres (seed 004 §7, DOMAIN.md §4.1 and §4.3).

total = Σ section weight × section score − confirmed deductions + confirmed bonuses,
rounded once to 2 decimals half-up; coefficient = exact total / 100 to 4 decimals
half-up; grade A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else E.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.appraisal import service
from services.common.db import UnitOfWorkFactory
from services.common.errors import FailedPrecondition
from tests.integration.appraisal_factories import (
    AGENT,
    AGENT2,
    E1_ID,
    HR,
    LEAD,
    S,
    agent_flow,
    at,
    audit,
    behaviour,
    goal,
    open_october,
    reading,
    results,
    section,
    seed_org,
    snapshot,
)


@pytest.fixture
def october(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    seed_org(uow_factory)
    open_october(uow_factory)
    return uow_factory


def test_a_hand_computed_result_is_stored_exactly(october: UnitOfWorkFactory) -> None:
    flow = agent_flow(
        october,
        readings={("E1", "calls_answered"): reading("180.25"), ("E1", "aht"): reading("290")},
        review_scores=[goal(85), *behaviour(20, 22, 18, 23)],
    )
    flow.to(S.REVIEWED)
    records = [  # (filed by, kind, item, decided by, confirm, reason); filed a minute apart
        (AGENT2, "incident", "valid_complaint", LEAD, True, ""),  # −5
        (AGENT2, "incident", "service_error", None, None, ""),  # pending: 0
        (AGENT2, "incident", "discipline_breach", HR, False, "not on shift"),  # rejected: 0
        (AGENT, "bonus", "customer_praise", LEAD, True, ""),  # +2
        (AGENT, "bonus", "adopted_suggestion", None, None, ""),  # pending: 0
    ]
    for minute, (by, kind, item, decider, confirm, reason) in enumerate(records):
        when = at("2026-11-12", 9, minute)
        record = service.file_adjustment(october(), by, E1_ID, kind, item, "", "", when)
        if decider is not None:
            assert confirm is not None
            service.decide_adjustment(october(), decider, record.id, confirm, reason, when)

    flow.issue()

    [issued] = results(october, E1_ID)
    # KPI: calls 180.25 / 200 × 100 = 90.125 (weight 60), AHT (290 − 400) / (200 − 400) × 100
    # = 55 (weight 40): (90.125 × 60 + 55 × 40) / 100 = 76.075; × 60 % = 45.645.
    assert section(issued, "kpi") == {
        "weight": Decimal(60), "score": Decimal("76.075"), "weighted": Decimal("45.645"),
    }  # fmt: skip
    assert section(issued, "work_goals") == {
        "weight": Decimal(20), "score": Decimal(85), "weighted": Decimal(17),
    }  # fmt: skip
    assert section(issued, "behaviour_attitude") == {  # 20 + 22 + 18 + 23 of 100
        "weight": Decimal(20), "score": Decimal(83), "weighted": Decimal("16.6"),
    }  # fmt: skip
    assert section(issued, "management_ability") == {
        "weight": Decimal(0), "score": None, "weighted": Decimal(0),
    }  # fmt: skip
    # 45.645 + 17 + 16.6 − 5 + 2 = 76.245 → 76.25 and 0.7625 (half-up, not half-even).
    assert (issued.total, issued.full_score, issued.coefficient, issued.grade) == (
        Decimal("76.25"), Decimal(100), Decimal("0.7625"), "C",
    )  # fmt: skip
    assert [
        (c["kind"], c["name"], Decimal(c["amount"]), c["counted"])
        for c in issued.explanation
        if c["kind"] in ("incident", "bonus")
    ] == [
        ("incident", "valid_complaint", Decimal(-5), True),
        ("incident", "service_error", Decimal(0), False),
        ("bonus", "customer_praise", Decimal(2), True),
        ("bonus", "adopted_suggestion", Decimal(0), False),
    ]
    counted = sum(Decimal(c["amount"]) for c in issued.explanation if c["counted"])
    assert counted == Decimal("76.245")
    assert audit(october, E1_ID)[-1].detail == {"issue": 1, "total": "76.25", "grade": "C"}


def test_a_kpi_without_a_collected_value_leaves_its_section_instead_of_scoring_zero(
    october: UnitOfWorkFactory,
) -> None:
    flow = agent_flow(october, readings={("E1", "calls_answered"): reading("200")})
    flow.to(S.RESULT_ISSUED)

    [issued] = results(october, E1_ID)
    # calls 100 of 100 alone makes the KPI section 100 (a zero for AHT would make it 60).
    assert section(issued, "kpi") == {
        "weight": Decimal(60), "score": Decimal(100), "weighted": Decimal(60),
    }  # fmt: skip
    assert (issued.total, issued.coefficient, issued.grade) == (
        Decimal("92.00"), Decimal("0.9200"), "A",
    )  # fmt: skip
    aht = next(c for c in issued.explanation if c["name"] == "aht")
    assert (Decimal(aht["amount"]), aht["counted"]) == (Decimal(0), False)
    assert "leave the section" in aht["detail"]


def test_the_missing_kpi_value_is_reported_when_collecting(october: UnitOfWorkFactory) -> None:
    flow = agent_flow(october, readings={("E1", "calls_answered"): reading("200")})
    flow.to(S.IN_PROGRESS)

    collected = flow.collect()

    assert (collected.collected, collected.missing) == (1, ["2026-10/E1/aht"])


def test_a_weighted_section_with_nothing_scored_fails_at_issue_and_changes_nothing(
    october: UnitOfWorkFactory,
) -> None:
    flow = agent_flow(october, readings={("E1", "calls_answered"): reading(None)})
    flow.to(S.REVIEWED)
    before = snapshot(october, E1_ID)

    with pytest.raises(FailedPrecondition, match=r"sections\[kpi\] weighs 60 % but has no scored"):
        flow.issue()

    assert snapshot(october, E1_ID) == before
    assert results(october, E1_ID) == []
