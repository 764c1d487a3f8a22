"""The audit trail alone reproduces an appraisal's history (issue #7, audit)."""

from __future__ import annotations

from services.appraisal.domain.workflow import AppraisalState
from services.common.db import UnitOfWorkFactory
from tests.integration.appraisal_factories import (
    E1_ID,
    agent_flow,
    at,
    audit,
    goal,
    load,
    open_october,
    results,
    seed_org,
)

S = AppraisalState


def test_replaying_the_audit_trail_gives_the_appraisal_as_it_is(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_org(uow_factory)
    open_october(uow_factory)
    flow = agent_flow(uow_factory)
    flow.to(S.FILED)
    flow.appeal(at("2026-11-19"))
    flow.uphold(at("2026-11-20"), corrections=[goal(95)])
    flow.reissue(at("2026-11-20", 11))
    flow.sign(at("2026-11-23"))

    trail = audit(uow_factory, E1_ID)
    row = load(uow_factory, E1_ID)
    # Replay: each step starts where the last one ended and moves the version by one.
    state, version = S.DRAFT, 1
    for entry in trail:
        assert entry.from_state is state, entry.transition
        assert entry.version == version + 1, entry.transition
        state, version = entry.to_state, entry.version
    assert (state, version) == (row.state, row.version) == (S.SIGNED, row.version)
    # Every step names who took it, when, and in which capacity; corrections keep old and new.
    assert all(e.who and e.at and e.party for e in trail)
    assert [e.at for e in trail] == sorted(e.at for e in trail)
    upheld = next(e for e in trail if e.transition == "uphold_appeal")
    assert upheld.detail is not None
    assert upheld.detail["corrections"]["work_goals/knowledge_base"]["new"] == "95"
    # Each issue of the result is kept; the trail names both issues.
    issued = [e.detail["issue"] for e in trail if e.detail and "issue" in e.detail]
    assert issued == [r.issue for r in results(uow_factory, E1_ID)] == [1, 2]
