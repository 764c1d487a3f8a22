"""The workflow's state machine through the use cases on Postgres: refusals change nothing."""

from __future__ import annotations

import datetime as dt

import grpc
import pytest

from services.appraisal import service
from services.appraisal.domain.workflow import TRANSITIONS, AppraisalState, allowed_transitions
from services.common.auth import Principal, Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import Conflict, FailedPrecondition
from services.common.grpc_errors import status_for
from tests.integration.appraisal_factories import (
    ADMIN,
    AGENT2,
    CYCLE,
    DUTY,
    E1_ID,
    HR,
    ITEMS,
    SPLIT,
    Flow,
    S,
    agent_flow,
    at,
    default_readings,
    metrics,
    open_october,
    seed_org,
    snapshot,
)

TRY_AT = at("2026-11-19")  # inside the appeal window of a result issued on the 16th


@pytest.fixture
def october(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    seed_org(uow_factory)
    open_october(uow_factory)
    return uow_factory


def actor_for(flow: Flow, name: str) -> Principal:
    """Someone the transition's role and party rules accept, so only the state can refuse."""
    roles = TRANSITIONS[name].roles
    if Role.EMPLOYEE in roles:
        return flow.employee
    if Role.SUPERVISOR in roles:
        return flow.assessor
    for principal in (ADMIN, HR, DUTY):
        if not principal.roles.isdisjoint(roles):
            return principal
    raise AssertionError(name)


def attempt(flow: Flow, name: str, now: dt.datetime) -> None:
    """Try transition `name` through the use case the RPC calls."""
    uows, who, etag = flow.uows, actor_for(flow, name), flow.etag()
    if name == "set_targets":
        service.set_targets(uows(), who, flow.id, etag, SPLIT, list(ITEMS), now=now)
    elif name == "start":
        service.start_appraisal(uows(), who, flow.id, etag, now=now)
    elif name == "collect_data":
        fetch = metrics(default_readings(flow.employee.subject))
        service.collect_kpi_data(uows(), who, CYCLE, [flow.id], fetch, now=now)
    elif name in ("self_assess", "review"):
        scores = flow.review_scores if name == "review" else flow.self_scores
        service.record_scores(
            uows(), who, flow.id, etag, list(scores), review=name == "review", now=now
        )
    elif name in ("issue_result", "reissue_result"):
        service.issue_result(uows(), who, flow.id, etag, reissue=name == "reissue_result", now=now)
    elif name in ("uphold_appeal", "reject_appeal"):
        service.decide_appeal(
            uows(), who, flow.id, etag, uphold=name == "uphold_appeal", reason="a reason",
            corrections=[], now=now,
        )  # fmt: skip
    else:
        service.simple_transition(uows(), who, flow.id, etag, name, reason="a reason", now=now)


def refuse_every_illegal_transition(flow: Flow) -> AppraisalState:
    state = flow.row().state
    illegal = [name for name in TRANSITIONS if name not in allowed_transitions(state)]
    assert illegal, state
    for name in illegal:
        before = snapshot(flow.uows, flow.id)
        with pytest.raises(FailedPrecondition) as refused:
            attempt(flow, name, TRY_AT)
        assert f"in state {state}" in refused.value.message, (state, name)
        assert snapshot(flow.uows, flow.id) == before, (state, name)
    return state


def test_every_illegal_transition_fails_its_precondition_and_changes_nothing(
    october: UnitOfWorkFactory,
) -> None:
    e1, e2 = agent_flow(october), agent_flow(october, AGENT2)
    seen = [refuse_every_illegal_transition(e1)]
    for state in (
        S.TARGETS_SET, S.TARGETS_CONFIRMED, S.TARGETS_APPROVED, S.IN_PROGRESS,
        S.DATA_COLLECTED, S.SELF_ASSESSED, S.REVIEWED, S.RESULT_ISSUED, S.SIGNED, S.FILED,
    ):  # fmt: skip
        e1.to(state)
        seen.append(refuse_every_illegal_transition(e1))
    e1.appeal(TRY_AT)
    seen.append(refuse_every_illegal_transition(e1))
    e1.reject_appeal(TRY_AT)
    seen.append(refuse_every_illegal_transition(e1))
    e1.step(HR, "finalize", TRY_AT)
    seen.append(refuse_every_illegal_transition(e1))
    e2.to(S.RESULT_ISSUED)
    e2.appeal(TRY_AT)
    e2.uphold(TRY_AT)
    seen.append(refuse_every_illegal_transition(e2))

    assert sorted(seen) == sorted(AppraisalState)


def test_a_stale_etag_is_a_conflict_and_changes_nothing(october: UnitOfWorkFactory) -> None:
    flow = agent_flow(october)
    read = flow.etag()
    flow.set_targets()  # someone else's write since `read`
    before = snapshot(october, E1_ID)
    assert (read, before["version"]) == ("1", 2)

    with pytest.raises(Conflict, match="is at version 2, not 1") as confirm:
        service.simple_transition(
            october(), flow.employee, E1_ID, read, "confirm_targets", now=TRY_AT
        )
    with pytest.raises(Conflict):
        service.set_targets(october(), flow.assessor, E1_ID, read, SPLIT, list(ITEMS), now=TRY_AT)

    assert snapshot(october, E1_ID) == before
    assert status_for(confirm.value) is grpc.StatusCode.ABORTED
