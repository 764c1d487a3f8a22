"""The audit trail alone reproduces an appraisal's history (issue #7, audit).

`replay` reads nothing but ``appraisal_audit`` rows and rebuilds, step by step, the
appraisal's state, version, signatures, KPI values, corrected scores and every issue
of its result; the tests compare that with the tables the workflow wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from services.appraisal import service
from services.appraisal.domain.workflow import AppraisalState, Party
from services.appraisal.models import AuditEntry
from services.common.db import UnitOfWorkFactory
from tests.integration.appraisal_factories import (
    CYCLE,
    DUTY,
    E1_ID,
    agent_flow,
    at,
    audit,
    default_readings,
    goal,
    items,
    load,
    metrics,
    open_october,
    reading,
    results,
    seed_org,
)

S = AppraisalState


@dataclass
class Replayed:
    """An appraisal as its audit trail tells it."""

    state: AppraisalState = S.DRAFT
    version: int = 1
    signed_by: set[Party] = field(default_factory=set)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Item code → field → value (decimal text), as the trail set them."""
    issues: dict[int, tuple[str, str]] = field(default_factory=dict)
    """Result issue → (total, grade)."""


def replay(trail: Sequence[AuditEntry]) -> Replayed:
    now = Replayed()
    for entry in trail:
        # Each step starts where the last one ended and moves the version by one.
        assert entry.from_state is now.state, entry.transition
        assert entry.version == now.version + 1, entry.transition
        now.state, now.version = entry.to_state, entry.version
        if entry.transition == "sign":
            now.signed_by.add(entry.party)
        elif entry.transition in ("issue_result", "reissue_result"):
            now.signed_by.clear()  # a (re-)issued result is signed again
        detail = entry.detail or {}
        for code, value in detail.get("kpis", {}).items():
            now.values.setdefault(code, {})["actual"] = value
        for code, change in detail.get("changes", {}).items():  # a re-collection
            assert now.values[code]["actual"] == change["old"], (entry.transition, code)
            now.values[code]["actual"] = change["new"]
        for key, change in [*detail.get("scores", {}).items(),
                            *detail.get("corrections", {}).items()]:  # fmt: skip
            code = key.rsplit("/", 1)[-1]
            fields = now.values.setdefault(code, {})
            if change["field"] in fields:  # the old value is the one the trail last set
                assert fields[change["field"]] == change["old"], (entry.transition, key)
            fields[change["field"]] = change["new"]
        for key, target in detail.get("targets", {}).items():
            now.values.setdefault(key.rsplit("/", 1)[-1], {})["target"] = target["target"]
        if "issue" in detail:
            now.issues[detail["issue"]] = (detail["total"], detail["grade"])
    return now


def text(value: object) -> str | None:
    return None if value is None else str(value)


@pytest.fixture
def history(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """E1's appraisal: filed, KPI data re-collected, appealed, corrected, re-issued, signed."""
    seed_org(uow_factory)
    open_october(uow_factory)
    flow = agent_flow(uow_factory)
    flow.to(S.SELF_ASSESSED)
    values = dict(default_readings("E1"))
    values[("E1", "calls_answered")] = reading("190", version=2)
    service.collect_kpi_data(
        uow_factory(), DUTY, CYCLE, [E1_ID], metrics(values), recollect=True,
        reason="metrics recomputed after the late ACD file", now=at("2026-11-09"),
    )  # fmt: skip
    flow.to(S.FILED)
    flow.appeal(at("2026-11-19"))
    flow.uphold(at("2026-11-20"), corrections=[goal(95)])
    flow.reissue(at("2026-11-20", 11))
    flow.sign(at("2026-11-23"))
    return uow_factory


def test_replaying_the_audit_trail_gives_the_appraisal_as_it_is(
    history: UnitOfWorkFactory,
) -> None:
    trail = audit(history, E1_ID)
    row = load(history, E1_ID)
    replayed = replay(trail)
    assert (replayed.state, replayed.version) == (row.state, row.version) == (S.SIGNED, 18)
    assert replayed.signed_by == {Party.EMPLOYEE, Party.ASSESSOR}
    assert (row.signed_by_employee, row.signed_by_assessor) == (True, True)
    # Every step names who took it, when, and in which capacity; each in order of time.
    assert all(e.who and e.at and e.party for e in trail)
    assert [e.at for e in trail] == sorted(e.at for e in trail)
    by = {e.transition: (e.who, e.party) for e in trail}
    assert by["set_targets"] == ("E0", Party.ASSESSOR)
    assert by["recollect_kpi_data"] == ("D1", Party.OFFICE)
    assert by["uphold_appeal"] == ("P1", Party.OFFICE)
    # The KPI values as collected, then re-collected, are the items' values.
    stored = items(history, E1_ID)
    kpis = {code: v["actual"] for code, v in replayed.values.items() if "actual" in v}
    assert kpis == {"aht": "250", "calls_answered": "190"}
    assert kpis == {code: text(stored[code].actual) for code in kpis}
    # The correction of the upheld appeal: its new score is the item's review score.
    assert replayed.values["knowledge_base"]["review_score"] == "95"
    assert text(stored["knowledge_base"].review_score) == "95"
    # Each issue of the result, with its total and grade, as kept in appraisal_results.
    assert replayed.issues == {r.issue: (str(r.total), r.grade) for r in results(history, E1_ID)}
    assert sorted(replayed.issues) == [1, 2]


def test_replaying_the_audit_trail_gives_every_target_and_score(
    history: UnitOfWorkFactory,
) -> None:
    """``targets`` {section/code: {target, ...}} of set_targets and ``scores``
    {section/code: {field, old, new}} (the shape of ``corrections``) of self_assess and
    review rebuild every item's target and scores."""
    replayed = replay(audit(history, E1_ID))
    for code, item in items(history, E1_ID).items():
        values = replayed.values.get(code, {})
        assert values.get("target") == text(item.target), code
        assert values.get("self_score") == text(item.self_score), code
        assert values.get("review_score") == text(item.review_score), code
