"""Appeals on Postgres: the 5-working-day window, one appeal, corrections and re-issues.

Results are issued on Monday 16 November 2026. With no calendar exceptions the 5th
working day after is Monday the 23rd; each calendar below moves it so that plain
weekdays would give the other answer.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.appraisal.models import IssuedResult
from services.common.db import UnitOfWorkFactory
from services.common.errors import FailedPrecondition
from tests.integration.appraisal_factories import (
    E1_ID,
    HR,
    S,
    agent_flow,
    at,
    audit,
    goal,
    load,
    open_october,
    results,
    section,
    seed_org,
    set_calendar,
    snapshot,
)
from tests.integration.org_factories import d

CALENDARS = pytest.mark.parametrize(
    ("holidays", "makeup", "fifth", "sixth"),
    [
        # Wednesday the 18th off: Tue 17, Thu 19, Fri 20, Mon 23, Tue 24 | Wed 25.
        (["2026-11-18"], [], "2026-11-24", "2026-11-25"),
        # Saturday the 21st worked: Tue 17, Wed 18, Thu 19, Fri 20, Sat 21 | Mon 23.
        ([], ["2026-11-21"], "2026-11-21", "2026-11-23"),
    ],
    ids=["holiday", "make-up-day"],
)


@pytest.fixture
def october(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    seed_org(uow_factory)
    open_october(uow_factory)
    return uow_factory


def as_tuple(result: IssuedResult) -> tuple[object, ...]:
    return (
        result.issue, result.issued_on, result.issued_by, result.total, result.coefficient,
        result.grade, result.appeal_deadline, result.sections, result.explanation,
    )  # fmt: skip


@CALENDARS
def test_an_appeal_on_the_fifth_working_day_is_accepted(
    october: UnitOfWorkFactory, holidays: list[str], makeup: list[str], fifth: str, sixth: str
) -> None:
    set_calendar(october, holidays=holidays, makeup=makeup)
    flow = agent_flow(october)
    flow.to(S.RESULT_ISSUED)
    assert results(october, E1_ID)[0].appeal_deadline == d(fifth)

    appealed = flow.appeal(at(fifth, 23, 30))

    assert (appealed.row.state, appealed.row.appeals_filed) == (S.APPEALED, 1)
    entry = audit(october, E1_ID)[-1]
    assert (entry.transition, entry.who, entry.reason) == (
        "appeal", "E1", "the KB articles were 10",
    )  # fmt: skip


@CALENDARS
def test_an_appeal_on_the_sixth_working_day_is_refused(
    october: UnitOfWorkFactory, holidays: list[str], makeup: list[str], fifth: str, sixth: str
) -> None:
    set_calendar(october, holidays=holidays, makeup=makeup)
    flow = agent_flow(october)
    flow.to(S.RESULT_ISSUED)
    before = snapshot(october, E1_ID)

    with pytest.raises(FailedPrecondition, match=f"the appeal deadline was {fifth}"):
        flow.appeal(at(sixth, 0, 30))

    assert snapshot(october, E1_ID) == before


def test_a_second_appeal_after_a_reissue_is_refused(october: UnitOfWorkFactory) -> None:
    flow = agent_flow(october)
    flow.to(S.RESULT_ISSUED)
    flow.appeal(at("2026-11-17"))
    flow.uphold(at("2026-11-18"), [goal(90)])
    flow.reissue(at("2026-11-19"))
    before = snapshot(october, E1_ID)
    assert (before["state"], before["appeals_filed"]) == (S.RESULT_ISSUED, 1)

    with pytest.raises(FailedPrecondition, match="already been appealed"):
        flow.appeal(at("2026-11-20"))

    assert snapshot(october, E1_ID) == before


def test_an_upheld_appeal_corrects_scores_with_an_audit_record_and_adds_a_new_issue(
    october: UnitOfWorkFactory,
) -> None:
    flow = agent_flow(october)
    flow.to(S.FILED)
    first = results(october, E1_ID)
    assert [(r.issue, r.total, r.coefficient, r.grade) for r in first] == [
        (1, Decimal("86.00"), Decimal("0.8600"), "B")
    ]
    flow.appeal(at("2026-11-19"))

    upheld = flow.uphold(at("2026-11-20"), [goal(100)], reason="all 10 articles verified")

    assert upheld.row.state is S.APPEAL_UPHELD
    entry = audit(october, E1_ID)[-1]
    assert (entry.transition, entry.who, entry.reason) == (
        "uphold_appeal", "P1", "all 10 articles verified",
    )  # fmt: skip
    assert entry.detail == {
        "corrections": {"work_goals/knowledge_base": {
            "field": "review_score", "old": "80", "new": "100",
        }}
    }  # fmt: skip

    reissued = flow.reissue(at("2026-11-23"))

    issues = results(october, E1_ID)
    assert [as_tuple(r) for r in issues[:1]] == [as_tuple(r) for r in first]  # issue 1 kept
    second = issues[1]
    # Work goals 20 % × 100 instead of × 80: 86 + 4.
    assert (second.issue, second.issued_on, second.issued_by) == (2, d("2026-11-23"), "P1")
    assert (second.total, second.coefficient, second.grade) == (
        Decimal("90.00"), Decimal("0.9000"), "A",
    )  # fmt: skip
    assert section(second, "work_goals")["score"] == Decimal(100)
    assert second.appeal_deadline == d("2026-11-30")
    assert reissued.result is not None and reissued.result.issue == 2
    row = load(october, E1_ID)
    assert (row.state, row.issued_on, row.signed_by_employee, row.signed_by_assessor) == (
        S.RESULT_ISSUED, d("2026-11-23"), False, False,
    )  # fmt: skip


def test_finalizing_a_filed_result_waits_until_the_appeal_window_has_closed(
    october: UnitOfWorkFactory,
) -> None:
    set_calendar(october, holidays=["2026-11-18"])  # the window ends on the 24th, not the 23rd
    flow = agent_flow(october)
    flow.to(S.FILED)
    before = snapshot(october, E1_ID)

    with pytest.raises(FailedPrecondition, match="appeal window is open until 2026-11-24"):
        flow.step(HR, "finalize", at("2026-11-24", 23, 30))
    assert snapshot(october, E1_ID) == before

    final = flow.step(HR, "finalize", at("2026-11-25", 0, 30))
    assert (final.row.state, final.row.version) == (S.FINAL, before["version"] + 1)
