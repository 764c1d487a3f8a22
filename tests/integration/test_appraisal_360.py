"""360 input for management behaviour on Postgres (seed 004 part 4: self 20, subordinates 20,
supervisor 60).

E0 leads E1 and E2 all along; E3 reported to E0 in October and moved to S0 on 5 November;
Y1 moved from S0 to E0 on 5 November. The raters are E0's reports as of 31 October.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from services.appraisal import service
from services.appraisal.domain.scoring import RaterRole
from services.appraisal.models import OutcomeAuditEntry, Rating
from services.common.db import UnitOfWorkFactory
from services.common.errors import AlreadyExists, FailedPrecondition
from services.org import service as org
from tests.integration.appraisal_factories import (
    AGENT,
    AGENT2,
    BOSS,
    E0_ID,
    E1_ID,
    LEAD,
    Flow,
    S,
    agent_flow,
    at,
    audit,
    lead_flow,
    open_october,
    person,
    ratings,
    results,
    section,
    seed_org,
)
from tests.integration.org_factories import d

RATE_AT = at("2026-11-05")


@pytest.fixture
def started(uow_factory: UnitOfWorkFactory) -> Flow:
    seed_org(
        uow_factory,
        person("S0", "SUP", "M0", management=True),
        person("E3", "OPS-T1", "E0"),
        person("Y1", "SUP-T1", "S0"),
    )
    org.upsert_employees(
        uow_factory(),
        [
            person("E3", "SUP-T1", "S0", since=d("2026-11-05")),
            person("Y1", "OPS-T1", "E0", since=d("2026-11-05")),
        ],
    )
    open_october(uow_factory)
    flow = lead_flow(uow_factory)
    flow.to(S.IN_PROGRESS)
    return flow


def rate(flow: Flow, rater_id: str, each: int | str) -> RaterRole:
    rater = next(p for p in (LEAD, BOSS, AGENT, AGENT2) if p.subject == rater_id)
    return service.submit_rating(flow.uows(), rater, flow.id, ratings(each), now=RATE_AT)


def scores(flow: Flow) -> dict[str, Decimal | None]:
    view = service.get_appraisal(flow.uows(), BOSS, flow.id)
    return {s.record.code: s.score for s in view.items if s.record.section == "management_ability"}


def test_starting_invites_self_the_direct_reports_at_period_end_and_the_assessor(
    started: Flow,
) -> None:
    view = service.get_appraisal(started.uows(), BOSS, E0_ID)

    assert [(r.rater_id, r.role, r.submitted_at) for r in view.raters] == [
        ("E0", "self", None),
        ("E1", "subordinates", None),
        ("E2", "subordinates", None),
        ("E3", "subordinates", None),
        ("M0", "supervisor", None),
    ]
    start = audit(started.uows, E0_ID)[-1]
    assert (start.transition, start.detail) == ("start", {"raters_invited": 5})
    # A non-management appraisal weighs management behaviour 0: nobody to invite.
    agent = agent_flow(started.uows)
    agent.to(S.IN_PROGRESS)
    assert service.get_appraisal(started.uows(), LEAD, E1_ID).raters == []


def test_each_rater_rates_once(started: Flow) -> None:
    assert rate(started, "E1", 10) is RaterRole.SUBORDINATES

    with pytest.raises(AlreadyExists, match="E1 has already rated"):
        rate(started, "E1", 25)

    with started.uows() as uow:
        stored = [
            tuple(row)
            for row in uow.session.execute(
                select(Rating.rater_id, Rating.item_code, Rating.role, Rating.score)
                .where(Rating.appraisal_id == E0_ID)
                .order_by(Rating.item_code)
            )
        ]
    assert stored == [
        ("E1", "coaching", "subordinates", Decimal(10)),
        ("E1", "communication", "subordinates", Decimal(10)),
        ("E1", "execution", "subordinates", Decimal(10)),
        ("E1", "planning", "subordinates", Decimal(10)),
    ]


def test_a_group_without_ratings_hands_its_weight_to_the_groups_that_rated(
    started: Flow,
) -> None:
    rate(started, "E0", 20)  # self, 20 %
    rate(started, "M0", 15)  # supervisor, 60 %; no subordinate rates (20 %)

    # (20 × 20 + 60 × 15) / (20 + 60) = 1300 / 80 = 16.25 of 25 — not (400 + 900) / 100 = 13.
    assert scores(started) == {
        "planning": Decimal("16.25"), "coaching": Decimal("16.25"),
        "communication": Decimal("16.25"), "execution": Decimal("16.25"),
    }  # fmt: skip

    started.to(S.RESULT_ISSUED)
    issued = results(started.uows, E0_ID)[0]
    assert section(issued, "management_ability") == {
        "weight": Decimal(10), "score": Decimal(65), "weighted": Decimal("6.5"),
    }  # fmt: skip
    # work goals 80 % × 80 + behaviour 10 % × 80 + management 10 % × 65
    assert (issued.total, issued.coefficient, issued.grade) == (
        Decimal("78.50"), Decimal("0.7850"), "C",
    )  # fmt: skip


def test_ratings_after_the_review_are_refused(started: Flow) -> None:
    rate(started, "E1", 10)
    started.to(S.REVIEWED)

    with pytest.raises(FailedPrecondition, match="in state reviewed"):
        rate(started, "E2", 20)

    view = service.get_appraisal(started.uows(), BOSS, E0_ID)
    raters = {r.rater_id: r.submitted_at for r in view.raters}
    assert raters["E2"] is None
    assert raters["E1"] == RATE_AT
    assert scores(started)["planning"] == Decimal(10)  # only E1's rating counts


def test_each_rating_is_recorded_with_who_when_and_the_scores(started: Flow) -> None:
    rate(started, "E0", 20)
    rate(started, "M0", 15)
    with started.uows() as uow:
        records = uow.session.scalars(
            select(OutcomeAuditEntry)
            .where(OutcomeAuditEntry.entity == "360_rating")
            .order_by(OutcomeAuditEntry.id)
        ).all()
        stored = uow.session.scalars(select(Rating).where(Rating.appraisal_id == E0_ID)).all()
    assert [(r.who, r.key, r.action, r.before) for r in records] == [
        ("E0", f"{E0_ID}/E0", "submitted", None),
        ("M0", f"{E0_ID}/M0", "submitted", None),
    ]
    assert all(r.at == RATE_AT for r in records)
    afters = [r.after or {} for r in records]
    assert [after["role"] for after in afters] == ["self", "supervisor"]
    # The recorded scores are the stored ratings, rater by rater.
    recorded = {
        (r.who, key.rsplit("/", 1)[-1]): score
        for r, after in zip(records, afters, strict=True)
        for key, score in after["ratings"].items()
    }
    assert recorded == {(r.rater_id, r.item_code): str(r.score) for r in stored}
    assert len(recorded) == 8
