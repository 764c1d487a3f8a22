"""KPI data collection on Postgres: the data deadline and re-collection after a recompute.

Data is due by the 3rd working day after the period (seed 004 §6.3), on the center's
calendar. With no exceptions the 3rd working day of November 2026 is Wednesday the 4th
(Mon 2, Tue 3, Wed 4); each test sets a calendar under which plain weekdays would
give the other answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest

from services.appraisal import service
from services.appraisal.service import Collection, KpiReading
from services.common.db import UnitOfWorkFactory
from services.common.errors import InvalidArgument, NotFound
from tests.integration.appraisal_factories import (
    AGENT2,
    CYCLE,
    DUTY,
    E1_ID,
    E2_ID,
    S,
    agent_flow,
    at,
    audit,
    default_readings,
    items,
    load,
    metrics,
    open_october,
    reading,
    seed_org,
    set_calendar,
    snapshot,
)
from tests.integration.org_factories import d


@pytest.fixture
def october(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    seed_org(uow_factory)
    return uow_factory


def test_collecting_by_the_third_working_day_counting_a_holiday_is_on_time(
    october: UnitOfWorkFactory,
) -> None:
    set_calendar(october, holidays=["2026-11-03"])  # due Thu 5th instead of Wed 4th
    open_october(october)
    e1, e2 = agent_flow(october), agent_flow(october, AGENT2)
    e1.to(S.IN_PROGRESS)
    e2.to(S.IN_PROGRESS)

    on_time = e1.collect(now=at("2026-11-05", 23, 30))
    # 16:30 UTC on the 5th is already the 6th in the center (UTC+8).
    late = e2.collect(now=at("2026-11-06", 0, 30))

    assert on_time == Collection(1, 0, False, d("2026-11-05"), [])
    assert late == Collection(1, 0, True, d("2026-11-05"), [])
    row = load(october, E1_ID)
    assert (row.state, row.collected_late) == (S.DATA_COLLECTED, False)
    collected = audit(october, E1_ID)[-1]
    assert (collected.transition, collected.late, collected.who) == ("collect_data", False, "D1")
    assert collected.detail == {"kpis": {"aht": "250", "calls_answered": "200"}}
    assert (load(october, E2_ID).collected_late, audit(october, E2_ID)[-1].late) == (True, True)


def test_collecting_after_the_deadline_is_accepted_and_flagged_late(
    october: UnitOfWorkFactory,
) -> None:
    set_calendar(october, makeup=["2026-11-01"])  # Sunday worked: due Tue 3rd, not Wed 4th
    open_october(october)
    flow = agent_flow(october)
    flow.to(S.IN_PROGRESS)

    collected = flow.collect(now=at("2026-11-04", 9))

    assert collected == Collection(1, 0, True, d("2026-11-03"), [])
    row = load(october, E1_ID)
    assert (row.state, row.collected_late, row.version) == (S.DATA_COLLECTED, True, 6)
    entry = audit(october, E1_ID)[-1]
    assert (entry.transition, entry.from_state, entry.to_state, entry.late) == (
        "collect_data", S.IN_PROGRESS, S.DATA_COLLECTED, True,
    )  # fmt: skip
    stored = items(october, E1_ID)
    assert (stored["calls_answered"].actual, stored["aht"].actual) == (Decimal(200), Decimal(250))
    assert stored["calls_answered"].definition_version == 1


def test_a_holiday_declared_after_the_cycle_opened_moves_the_data_deadline(
    october: UnitOfWorkFactory,
) -> None:
    opened = open_october(october)  # plain weekdays: due Wed 4 November
    set_calendar(october, holidays=["2026-11-03"])  # declared later: due Thu 5th
    flow = agent_flow(october)
    flow.to(S.IN_PROGRESS)

    collected = flow.collect(now=at("2026-11-05", 9))

    assert opened.cycle.data_due_on == d("2026-11-04")  # as announced at opening
    assert collected == Collection(1, 0, False, d("2026-11-05"), [])
    assert load(october, E1_ID).collected_late is False
    assert service.get_cycle(october(), CYCLE).data_due_on == d("2026-11-05")


def recollect(
    uows: UnitOfWorkFactory, values: Mapping[tuple[str, str], KpiReading], reason: str
) -> Collection:
    return service.collect_kpi_data(
        uows(), DUTY, CYCLE, [], metrics(values), recollect=True, reason=reason,
        now=at("2026-11-09"),
    )  # fmt: skip


@pytest.fixture
def collected(october: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """E1 and E2 collected (200 calls, AHT 250, definition version 1); E1 then self-assessed."""
    open_october(october)
    e1, e2 = agent_flow(october), agent_flow(october, AGENT2)
    e1.to(S.SELF_ASSESSED)
    e2.to(S.DATA_COLLECTED)
    return october


def test_recollecting_after_a_recompute_updates_changed_values_with_an_audit_record(
    collected: UnitOfWorkFactory,
) -> None:
    e1_before, e2_before = snapshot(collected, E1_ID), snapshot(collected, E2_ID)
    values = {**default_readings("E1"), **default_readings("E2")}
    values[("E1", "calls_answered")] = reading("190", version=2)

    outcome = recollect(collected, values, "metrics recomputed after the late ACD file")

    assert (outcome.collected, outcome.changed, outcome.missing) == (2, 1, [])
    row = load(collected, E1_ID)
    assert (row.state, row.version) == (S.SELF_ASSESSED, e1_before["version"] + 1)
    calls = items(collected, E1_ID)["calls_answered"]
    assert (calls.actual, calls.definition_version) == (Decimal(190), 2)
    entry = audit(collected, E1_ID)[-1]
    assert (entry.transition, entry.who, entry.reason, entry.from_state, entry.to_state) == (
        "recollect_kpi_data", "D1", "metrics recomputed after the late ACD file",
        S.SELF_ASSESSED, S.SELF_ASSESSED,
    )  # fmt: skip
    assert entry.version == row.version
    assert entry.detail == {
        "changes": {
            "calls_answered": {
                "old": "200", "new": "190",
                "old_definition_version": 1, "new_definition_version": 2,
            }
        }
    }  # fmt: skip
    assert snapshot(collected, E2_ID) == e2_before  # its values did not change


def test_recollecting_without_a_reason_is_refused(collected: UnitOfWorkFactory) -> None:
    before = snapshot(collected, E1_ID)
    values = {**default_readings("E1"), ("E1", "calls_answered"): reading("190", version=2)}

    with pytest.raises(InvalidArgument) as refused:
        recollect(collected, values, "   ")

    assert [v.field for v in refused.value.violations] == ["reason"]
    assert snapshot(collected, E1_ID) == before


def test_recollecting_unchanged_values_writes_no_audit_record(
    collected: UnitOfWorkFactory,
) -> None:
    before = snapshot(collected, E1_ID)

    values = {**default_readings("E1"), **default_readings("E2")}

    outcome = recollect(collected, values, "nightly check")

    assert (outcome.collected, outcome.changed, outcome.missing) == (2, 0, [])
    after = snapshot(collected, E1_ID)
    assert (after["version"], after["audit"]) == (before["version"], before["audit"])


# 70,000 ids bound one parameter each: psycopg refused to send the statement (over 65,535
# parameters), an OperationalError the interceptor answered as a database outage.
def test_a_list_of_ids_longer_than_the_drivers_parameter_limit_is_read_in_chunks(
    october: UnitOfWorkFactory,
) -> None:
    open_october(october)
    flow = agent_flow(october)
    flow.to(S.IN_PROGRESS)
    many = [E1_ID] * 70_000  # one appraisal named over and over
    collected = service.collect_kpi_data(
        october(), DUTY, CYCLE, many, metrics(default_readings("E1")), now=at("2026-11-02", 9)
    )
    assert collected.collected == 1
    assert load(october, E1_ID).state == S.DATA_COLLECTED


def test_an_unknown_id_among_seventy_thousand_is_not_found(october: UnitOfWorkFactory) -> None:
    open_october(october)
    agent_flow(october).to(S.IN_PROGRESS)
    ids = [E1_ID, *(f"2026-10/X{i}" for i in range(70_000))]
    with pytest.raises(NotFound, match="2026-10/X0"):
        service.collect_kpi_data(october(), DUTY, CYCLE, ids, metrics(default_readings("E1")))
