"""Incidents (deductions) and bonus items (additions) on Postgres (seed 004 附件一 parts 5, 6)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.appraisal import service
from services.appraisal.models import Adjustment
from services.common.auth import Principal, Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from tests.integration.appraisal_factories import (
    ADMIN,
    AGENT,
    AGENT2,
    E1_ID,
    E2_ID,
    HR,
    LEAD,
    S,
    adjustments,
    agent_flow,
    at,
    audit,
    count,
    open_october,
    results,
    seed_org,
    snapshot,
)
from tests.integration.org_factories import who

WHEN = at("2026-11-12")


@pytest.fixture
def reviewed(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """E1 and E2 reviewed; either would score exactly 86.00."""
    seed_org(uow_factory)
    open_october(uow_factory)
    agent_flow(uow_factory).to(S.REVIEWED)
    agent_flow(uow_factory, AGENT2).to(S.REVIEWED)
    return uow_factory


def file(
    uows: UnitOfWorkFactory,
    by: Principal,
    appraisal_id: str = E1_ID,
    kind: str = "incident",
    item: str = "valid_complaint",
    key: str = "",
) -> Adjustment:
    return service.file_adjustment(uows(), by, appraisal_id, kind, item, "what happened", key, WHEN)


def decide(
    uows: UnitOfWorkFactory, by: Principal, record: Adjustment, confirm: bool, reason: str = ""
) -> Adjustment:
    return service.decide_adjustment(uows(), by, record.id, confirm, reason, WHEN)


def test_an_incident_deducts_its_points_once_confirmed_and_nothing_before(
    reviewed: UnitOfWorkFactory,
) -> None:
    confirmed = file(reviewed, AGENT2, E1_ID)
    file(reviewed, AGENT, E2_ID)  # stays pending
    decide(reviewed, LEAD, confirmed, True)

    agent_flow(reviewed).issue()
    agent_flow(reviewed, AGENT2).issue()

    e1, e2 = results(reviewed, E1_ID)[0], results(reviewed, E2_ID)[0]
    assert (e1.total, e1.coefficient, e1.grade) == (Decimal("81.00"), Decimal("0.8100"), "B")
    assert (e2.total, e2.coefficient, e2.grade) == (Decimal("86.00"), Decimal("0.8600"), "B")
    assert [
        (c["name"], c["amount"], c["counted"]) for c in e1.explanation if c["kind"] != "item"
    ] == [("valid_complaint", "-5", True)]
    assert [
        (c["name"], c["amount"], c["counted"]) for c in e2.explanation if c["kind"] != "item"
    ] == [("valid_complaint", "0", False)]


def test_rejecting_an_incident_needs_a_reason(reviewed: UnitOfWorkFactory) -> None:
    record = file(reviewed, AGENT2)
    before = snapshot(reviewed, E1_ID)

    with pytest.raises(InvalidArgument) as refused:
        decide(reviewed, HR, record, False, "   ")

    assert [v.field for v in refused.value.violations] == ["reason"]
    assert snapshot(reviewed, E1_ID) == before
    rejected = decide(reviewed, HR, record, False, "the complaint was about another agent")
    assert (rejected.status, rejected.decided_by, rejected.decision_reason) == (
        "rejected", "H1", "the complaint was about another agent",
    )  # fmt: skip
    entry = audit(reviewed, E1_ID)[-1]
    assert (entry.transition, entry.who, entry.party, entry.reason, entry.version) == (
        "reject_incident", "H1", "office", "the complaint was about another agent",
        before["version"] + 1,
    )  # fmt: skip


def test_a_bonus_item_is_confirmed_by_the_assessor_only(reviewed: UnitOfWorkFactory) -> None:
    bonus = file(reviewed, AGENT, kind="bonus", item="customer_praise")
    before = snapshot(reviewed, E1_ID)

    for office in (HR, ADMIN):
        with pytest.raises(PermissionDenied, match="confirmed by the employee's assessor"):
            decide(reviewed, office, bonus, True)
    assert snapshot(reviewed, E1_ID) == before

    confirmed = decide(reviewed, LEAD, bonus, True)
    assert (confirmed.status, confirmed.decided_by, confirmed.points) == (
        "confirmed", "E0", Decimal(2),
    )  # fmt: skip
    entry = audit(reviewed, E1_ID)[-1]
    assert (entry.transition, entry.party) == ("confirm_bonus", "assessor")


def test_the_employee_cannot_decide_on_records_of_their_own_appraisal(
    reviewed: UnitOfWorkFactory,
) -> None:
    incident = file(reviewed, AGENT2)
    bonus = file(reviewed, AGENT, kind="bonus", item="customer_praise")
    before = snapshot(reviewed, E1_ID)

    for record in (incident, bonus):
        for me in (AGENT, who("E1", Role.EMPLOYEE, Role.HR, Role.SUPERVISOR)):
            with pytest.raises(PermissionDenied, match="their own appraisal"):
                decide(reviewed, me, record, True)

    assert snapshot(reviewed, E1_ID) == before


def test_filing_again_with_the_same_request_key_returns_the_same_record(
    reviewed: UnitOfWorkFactory,
) -> None:
    first = file(reviewed, AGENT2, key="complaint-7")
    again = file(reviewed, AGENT2, key="complaint-7")
    other = file(reviewed, AGENT2, key="complaint-8")

    assert again.id == first.id
    assert other.id != first.id
    stored = sorted(
        (a.request_key, a.id, a.filed_by, a.status) for a in adjustments(reviewed, E1_ID)
    )
    assert stored == [
        ("complaint-7", first.id, "E2", "pending"), ("complaint-8", other.id, "E2", "pending"),
    ]  # fmt: skip
    assert count(reviewed, Adjustment) == 2


def test_after_the_result_is_issued_records_are_neither_filed_nor_decided(
    reviewed: UnitOfWorkFactory,
) -> None:
    pending = file(reviewed, AGENT2, key="before-issue")
    agent_flow(reviewed).issue()
    before = snapshot(reviewed, E1_ID)

    with pytest.raises(FailedPrecondition, match="until the result is issued"):
        file(reviewed, AGENT2, key="after-issue")
    with pytest.raises(FailedPrecondition, match="until the result is issued"):
        file(reviewed, AGENT, kind="bonus", item="customer_praise", key="after-issue")
    with pytest.raises(FailedPrecondition, match="in state result_issued"):
        decide(reviewed, LEAD, pending, True)

    assert snapshot(reviewed, E1_ID) == before
