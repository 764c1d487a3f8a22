"""Setting, confirming and approving targets on Postgres (seed 004 §6.1–6.2)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from services.common.db import UnitOfWorkFactory
from services.common.errors import FailedPrecondition, InvalidArgument
from tests.integration.appraisal_factories import (
    AHT,
    CALLS,
    E1_ID,
    GOAL,
    S,
    agent_flow,
    audit,
    items,
    lead_flow,
    open_october,
    seed_org,
    snapshot,
)


@pytest.fixture
def october(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    seed_org(uow_factory)
    open_october(uow_factory)
    return uow_factory


def fields(error: InvalidArgument) -> list[str]:
    return [v.field for v in error.violations]


def test_a_split_of_the_shared_weight_that_does_not_add_up_names_the_shared_sections(
    october: UnitOfWorkFactory,
) -> None:
    flow = agent_flow(october)
    before = snapshot(october, E1_ID)

    with pytest.raises(InvalidArgument) as refused:
        flow.set_targets(split={"kpi": Decimal(60), "work_goals": Decimal(10)})

    assert fields(refused.value) == ["sections[kpi+work_goals].weight"]
    assert "kpi 60 + work_goals 10 = 70, must add up to 80" in refused.value.message
    assert snapshot(october, E1_ID) == before


def test_item_weights_that_do_not_add_up_name_the_section(october: UnitOfWorkFactory) -> None:
    flow = agent_flow(october)
    before = snapshot(october, E1_ID)

    with pytest.raises(InvalidArgument) as refused:
        flow.set_targets(targets=[CALLS, replace(AHT, weight=Decimal(30)), GOAL])

    assert fields(refused.value) == ["sections[kpi].weights"]
    assert "calls_answered 60, aht 30) add up to 90, not 100" in refused.value.message
    assert snapshot(october, E1_ID) == before


def test_a_kpi_code_outside_the_agent_catalog_is_refused_on_its_item(
    october: UnitOfWorkFactory,
) -> None:
    flow = agent_flow(october)
    before = snapshot(october, E1_ID)
    center_only = replace(AHT, code="service_level")  # a center/queue KPI, not an agent's
    unknown = replace(AHT, code="happiness")

    with pytest.raises(InvalidArgument) as refused:
        flow.set_targets(
            targets=[replace(CALLS, weight=Decimal(20)), replace(center_only, weight=Decimal(40)),
                     unknown, GOAL]
        )  # fmt: skip

    assert fields(refused.value) == ["items[1].code", "items[2].code"]
    assert snapshot(october, E1_ID) == before


def test_non_management_targets_start_only_after_perf_admin_approval(
    october: UnitOfWorkFactory,
) -> None:
    flow = agent_flow(october)
    flow.set_targets()
    flow.confirm()
    before = snapshot(october, E1_ID)

    with pytest.raises(FailedPrecondition, match="after approval by perf_admin"):
        flow.start()
    assert snapshot(october, E1_ID) == before

    assert flow.approve().row.state is S.TARGETS_APPROVED
    assert flow.start().row.state is S.IN_PROGRESS
    assert [a.transition for a in audit(october, E1_ID)] == [
        "set_targets", "confirm_targets", "approve_targets", "start",
    ]  # fmt: skip


def test_management_targets_may_start_without_approval(october: UnitOfWorkFactory) -> None:
    flow = lead_flow(october)
    flow.set_targets()
    flow.confirm()

    started = flow.start()

    assert (started.row.state, started.row.version) == (S.IN_PROGRESS, 4)
    assert [(a.transition, a.from_state, a.to_state) for a in audit(october, flow.id)] == [
        ("set_targets", S.DRAFT, S.TARGETS_SET),
        ("confirm_targets", S.TARGETS_SET, S.TARGETS_CONFIRMED),
        ("start", S.TARGETS_CONFIRMED, S.IN_PROGRESS),
    ]


def test_resetting_confirmed_targets_needs_a_new_confirmation(
    october: UnitOfWorkFactory,
) -> None:
    flow = lead_flow(october)
    flow.set_targets()
    flow.confirm()
    stretched = replace(GOAL, code="team_sl", name="team service level")

    reset = flow.set_targets(targets=[stretched])

    assert reset.row.state is S.TARGETS_SET
    assert sorted(c for c, i in items(october, flow.id).items() if i.from_targets) == ["team_sl"]
    with pytest.raises(FailedPrecondition, match="in state targets_set"):
        flow.start()
    flow.confirm()
    assert flow.start().row.state is S.IN_PROGRESS


def test_resetting_approved_targets_needs_a_new_confirmation_and_approval(
    october: UnitOfWorkFactory,
) -> None:
    flow = agent_flow(october)
    flow.set_targets()
    flow.confirm()
    flow.approve()

    reset = flow.set_targets(split={"kpi": Decimal(70), "work_goals": Decimal(10)})

    assert (reset.row.state, reset.row.section_weights) == (
        S.TARGETS_SET, {"kpi": "70", "work_goals": "10"},
    )  # fmt: skip
    with pytest.raises(FailedPrecondition, match="in state targets_set"):
        flow.start()
    flow.confirm()
    with pytest.raises(FailedPrecondition, match="after approval by perf_admin"):
        flow.start()
    flow.approve()
    assert flow.start().row.state is S.IN_PROGRESS
