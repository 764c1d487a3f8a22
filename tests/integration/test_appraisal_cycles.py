"""Opening an appraisal cycle on Postgres: who is appraised, by whom, with which items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from services.appraisal import service
from services.appraisal.models import Appraisal, AppraisalItem, Cycle
from services.common.db import UnitOfWorkFactory
from services.common.errors import AlreadyExists, InvalidArgument
from services.common.periods import Granularity, Period
from services.org import service as org
from services.org.domain.model import EmploymentStatus, PositionType
from tests.integration.appraisal_factories import (
    CYCLE,
    HR,
    OCT,
    S,
    agent_flow,
    at,
    count,
    load,
    open_october,
    person,
    seed_org,
)
from tests.integration.org_factories import HRIS, d, leave

MGMT, NON = PositionType.MANAGEMENT, PositionType.NON_MANAGEMENT
P25 = Decimal(25)
RATED: dict[str, Any] = {"method": "rated"}


def seed_roster(uows: UnitOfWorkFactory) -> None:
    """The base org plus S0's team in SUP: one person per eligibility rule (October 2026).

    October 2026 has 22 working days (no calendar exceptions). Z1 changes supervisor
    inside October, X1 after it.
    """
    seed_org(
        uows,
        person("S0", "SUP", "M0", management=True),
        person("PB1", "SUP-T1", "S0", status=EmploymentStatus.PROBATION, hired=d("2026-09-01")),
        person("T1", "SUP-T1", "S0", status=EmploymentStatus.TEMPORARY),
        person("C1", "SUP-T1", "S0", hired=d("2026-07-01"), confirmed=d("2026-10-12")),
        person("C2", "SUP-T1", "S0", hired=d("2026-07-01"), confirmed=d("2026-10-10")),
        person("L1", "SUP-T1", "S0"),
        person("L2", "SUP-T1", "S0"),
        person("Z1", "SUP-T1", "E0"),
        person("X1", "SUP-T1", "S0"),
    )
    org.upsert_employees(
        uows(),
        [
            person("Z1", "SUP-T1", "S0", since=d("2026-10-20")),
            person("X1", "OPS-T1", "E0", since=d("2026-11-10")),
        ],
    )
    org.upsert_leaves(
        uows(),
        HRIS,
        [
            leave("LV1", "L1", d("2026-10-01"), d("2026-10-16")),  # 12 of 22 working days
            leave("LV2", "L2", d("2026-10-01"), d("2026-10-15")),  # 11 of 22: exactly half
        ],
    )


def appraisal_rows(
    uows: UnitOfWorkFactory, cycle_id: str
) -> list[tuple[str, str, str, PositionType, str, int, dt.date]]:
    with uows() as uow:
        rows = uow.session.scalars(
            select(Appraisal).where(Appraisal.cycle_id == cycle_id).order_by(Appraisal.id)
        )
        return [
            (a.id, a.employee_id, a.assessor_id, a.position_type, str(a.state), a.version,
             a.period_end)
            for a in rows
        ]  # fmt: skip


def test_opening_a_month_appraises_each_eligible_employee_by_their_supervisor_at_period_end(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_roster(uow_factory)

    opened = open_october(uow_factory)

    end = d("2026-10-31")
    assert appraisal_rows(uow_factory, CYCLE) == [
        ("2026-10/C2", "C2", "S0", NON, "draft", 1, end),
        ("2026-10/E0", "E0", "M0", MGMT, "draft", 1, end),
        ("2026-10/E1", "E1", "E0", NON, "draft", 1, end),
        ("2026-10/E2", "E2", "E0", NON, "draft", 1, end),
        ("2026-10/L2", "L2", "S0", NON, "draft", 1, end),
        ("2026-10/S0", "S0", "M0", MGMT, "draft", 1, end),
        ("2026-10/X1", "X1", "S0", NON, "draft", 1, end),  # E0 only from 10 November
        ("2026-10/Z1", "Z1", "S0", NON, "draft", 1, end),  # S0 from 20 October
    ]
    assert opened.opened == 8
    assert opened.counts == {"draft": 8}
    assert opened.skipped == [
        ("C1", ["confirmed_after_cutoff"]),
        ("L1", ["leave_over_half_each_month"]),
        ("M0", ["no supervisor to assess them"]),
        ("PB1", ["probation"]),
        ("T1", ["temporary"]),
    ]
    status = service.get_cycle(uow_factory(), CYCLE)
    cycle = status.cycle
    assert (status.counts, status.data_due_on) == ({"draft": 8}, d("2026-11-04"))
    assert (
        cycle.granularity, cycle.period_start, cycle.period_end, cycle.template_code,
        cycle.opens_on, cycle.closes_on, cycle.data_due_on, cycle.opened_by,
    ) == (
        Granularity.MONTH, d("2026-10-01"), end, "seed004_default",
        d("2026-10-01"), d("2026-11-20"), d("2026-11-04"), "H1",
    )  # fmt: skip


def test_opening_a_cycle_creates_the_template_items_of_every_appraisal(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_org(uow_factory)
    open_october(uow_factory)

    with uow_factory() as uow:
        rows = uow.session.scalars(
            select(AppraisalItem)
            .where(AppraisalItem.appraisal_id == "2026-10/E1")
            .order_by(AppraisalItem.position)
        ).all()
        per_appraisal = dict(
            uow.session.execute(
                select(AppraisalItem.appraisal_id, AppraisalItem.code)
                .where(AppraisalItem.code == "planning")
                .order_by(AppraisalItem.appraisal_id)
            ).all()
        )
    three_sixty: dict[str, Any] = {
        "method": "three_sixty",
        "weights": {"self": "20", "subordinates": "20", "supervisor": "60"},
    }
    assert [
        (r.position, r.section, r.code, r.weight, r.points, r.scoring, r.from_targets, r.actual)
        for r in rows
    ] == [
        (1001, "behaviour_attitude", "discipline", P25, P25, RATED, False, None),
        (1002, "behaviour_attitude", "responsibility", P25, P25, RATED, False, None),
        (1003, "behaviour_attitude", "teamwork", P25, P25, RATED, False, None),
        (1004, "behaviour_attitude", "service_attitude", P25, P25, RATED, False, None),
        (1005, "management_ability", "planning", P25, P25, three_sixty, False, None),
        (1006, "management_ability", "coaching", P25, P25, three_sixty, False, None),
        (1007, "management_ability", "communication", P25, P25, three_sixty, False, None),
        (1008, "management_ability", "execution", P25, P25, three_sixty, False, None),
    ]
    assert sorted(per_appraisal) == ["2026-10/E0", "2026-10/E1", "2026-10/E2"]
    assert count(uow_factory, AppraisalItem) == 3 * 8


def test_opening_the_same_period_again_is_refused_and_changes_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_org(uow_factory)
    open_october(uow_factory)
    agent_flow(uow_factory).set_targets()
    before = (
        count(uow_factory, Cycle),
        count(uow_factory, Appraisal),
        count(uow_factory, AppraisalItem),
        load(uow_factory, "2026-10/E1").state,
        load(uow_factory, "2026-10/E1").version,
    )
    assert before == (1, 3, 3 * 8 + 3, S.TARGETS_SET, 2)

    with pytest.raises(AlreadyExists, match="2026-10"):
        service.open_cycle(uow_factory(), HR, OCT, "", None, None, now=at("2026-10-02"))

    after = (
        count(uow_factory, Cycle),
        count(uow_factory, Appraisal),
        count(uow_factory, AppraisalItem),
        load(uow_factory, "2026-10/E1").state,
        load(uow_factory, "2026-10/E1").version,
    )
    assert after == before
    assert service.get_cycle(uow_factory(), CYCLE).cycle.opened_at == at("2026-09-25")


@pytest.mark.parametrize(
    ("period", "granularity", "start"),
    [("2026-Q4", Granularity.QUARTER, "2026-10-01"), ("2026", Granularity.YEAR, "2026-01-01")],
)
def test_a_quarter_or_year_cycle_applies_the_rules_over_the_whole_period(
    uow_factory: UnitOfWorkFactory, period: str, granularity: Granularity, start: str
) -> None:
    seed_roster(uow_factory)

    opened = service.open_cycle(
        uow_factory(), HR, Period.parse(period), "", None, None, now=at("2026-09-25")
    )

    end = d("2026-12-31")
    # C1 (confirmed 12 Oct) is assessable from November and L1 was away in October only:
    # both are appraised for the longer period. X1's supervisor at its end is E0.
    assert appraisal_rows(uow_factory, period) == [
        (f"{period}/C1", "C1", "S0", NON, "draft", 1, end),
        (f"{period}/C2", "C2", "S0", NON, "draft", 1, end),
        (f"{period}/E0", "E0", "M0", MGMT, "draft", 1, end),
        (f"{period}/E1", "E1", "E0", NON, "draft", 1, end),
        (f"{period}/E2", "E2", "E0", NON, "draft", 1, end),
        (f"{period}/L1", "L1", "S0", NON, "draft", 1, end),
        (f"{period}/L2", "L2", "S0", NON, "draft", 1, end),
        (f"{period}/S0", "S0", "M0", MGMT, "draft", 1, end),
        (f"{period}/X1", "X1", "E0", NON, "draft", 1, end),
        (f"{period}/Z1", "Z1", "S0", NON, "draft", 1, end),
    ]
    assert opened.skipped == [
        ("M0", ["no supervisor to assess them"]),
        ("PB1", ["probation"]),
        ("T1", ["temporary"]),
    ]
    cycle = opened.cycle
    assert (cycle.id, cycle.granularity, cycle.period_start, cycle.period_end) == (
        period, granularity, d(start), end,
    )  # fmt: skip
    # 1 January 2027 is a Friday and no holiday is recorded: Fri 1, Mon 4, Tue 5.
    assert cycle.data_due_on == d("2027-01-05")


def test_a_day_period_is_an_invalid_argument_and_opens_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_org(uow_factory)

    with pytest.raises(InvalidArgument) as refused:
        service.open_cycle(
            uow_factory(), HR, Period.parse("2026-10-05"), "", None, None, now=at("2026-09-25")
        )

    assert [v.field for v in refused.value.violations] == ["period"]
    assert (count(uow_factory, Cycle), count(uow_factory, Appraisal)) == (0, 0)
