"""Who reads which appraisal, and office roles on their own appraisal, on Postgres.

M0 leads E0 and S0; E0 assesses E1 and E2; S0 assesses C1 and three office staff who are
appraised like everyone else: H2 (hr), P2 (perf_admin) and D2 (duty officer).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from services.appraisal import service
from services.appraisal.service import AppraisalFilter
from services.common.auth import Principal, Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import PermissionDenied
from services.common.pagination import PageRequest
from tests.integration.appraisal_factories import (
    ADMIN,
    AGENT,
    BOSS,
    CYCLE,
    DUTY,
    E0_ID,
    E1_ID,
    E2_ID,
    HR,
    ITEMS,
    LEAD,
    SPLIT,
    T_COLLECT,
    T_FILE,
    T_TARGETS,
    Flow,
    S,
    default_readings,
    etag_of,
    metrics,
    open_october,
    person,
    seed_org,
    snapshot,
)
from tests.integration.org_factories import who

SUP = who("S0", Role.SUPERVISOR, Role.EMPLOYEE)
EVERYONE = [
    "2026-10/C1", "2026-10/D2", "2026-10/E0", "2026-10/E1",
    "2026-10/E2", "2026-10/H2", "2026-10/P2", "2026-10/S0",
]  # fmt: skip


@pytest.fixture
def october(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    seed_org(
        uow_factory,
        person("S0", "SUP", "M0", management=True),
        *(person(e, "SUP-T1", "S0") for e in ("C1", "H2", "P2", "D2")),
    )
    open_october(uow_factory)
    return uow_factory


def reads(uows: UnitOfWorkFactory, principal: Principal, appraisal_id: str) -> bool:
    try:
        view = service.get_appraisal(uows(), principal, appraisal_id)
    except PermissionDenied:
        with pytest.raises(PermissionDenied):
            service.list_audit(uows(), principal, appraisal_id)
        return False
    assert view.row.id == appraisal_id
    service.list_audit(uows(), principal, appraisal_id)
    return True


def listed(
    uows: UnitOfWorkFactory, principal: Principal, employee_id: str = "", assessor_id: str = ""
) -> list[str]:
    filters = AppraisalFilter(CYCLE, employee_id=employee_id, assessor_id=assessor_id)
    views, token = service.list_appraisals(
        uows(), principal, filters, PageRequest(50, None), [], full=False
    )
    assert token == ""
    return [v.row.id for v in views]


def test_an_employee_reads_only_their_own_appraisal(october: UnitOfWorkFactory) -> None:
    assert [reads(october, AGENT, a) for a in (E1_ID, E2_ID, E0_ID)] == [True, False, False]


def test_a_supervisor_reads_the_appraisals_they_assess_and_no_others(
    october: UnitOfWorkFactory,
) -> None:
    lead = who("E0", Role.SUPERVISOR)
    assert [reads(october, lead, a) for a in (E1_ID, E2_ID, "2026-10/C1", E0_ID)] == [
        True, True, False, False,
    ]  # fmt: skip
    # The assessor's own boss reads too (seed 004's template has supervisor_reach 2): M0
    # assesses E0 and reads E0's team; another lead's boss does not.
    assert [reads(october, BOSS, a) for a in (E0_ID, E1_ID, E2_ID)] == [True, True, True]
    assert [reads(october, SUP, a) for a in ("2026-10/C1", E1_ID)] == [True, False]
    # Reading is all the second level does: acting stays with the assessor.
    with pytest.raises(PermissionDenied, match="not the assessor"):
        service.set_targets(
            october(), BOSS, E1_ID, etag_of(october, E1_ID), SPLIT, list(ITEMS), now=T_TARGETS
        )


@pytest.mark.parametrize("office", [HR, ADMIN, DUTY], ids=["hr", "perf_admin", "duty_officer"])
def test_hr_perf_admin_and_duty_officer_read_every_appraisal(
    october: UnitOfWorkFactory, office: Principal
) -> None:
    assert all(reads(october, office, a) for a in EVERYONE)
    assert listed(october, office) == EVERYONE


def test_listing_shows_employees_and_supervisors_only_what_they_may_read(
    october: UnitOfWorkFactory,
) -> None:
    assert listed(october, AGENT) == [E1_ID]
    assert listed(october, AGENT, employee_id="E2") == []
    assert listed(october, LEAD) == [E0_ID, E1_ID, E2_ID]  # own, and the two E0 assesses
    assert listed(october, who("E0", Role.SUPERVISOR)) == [E1_ID, E2_ID]
    assert listed(october, SUP) == [
        "2026-10/C1", "2026-10/D2", "2026-10/H2", "2026-10/P2", "2026-10/S0",
    ]  # fmt: skip
    assert listed(october, SUP, assessor_id="E0") == []
    assert listed(october, BOSS, assessor_id="E0") == [E1_ID, E2_ID]  # second level
    with pytest.raises(PermissionDenied):
        listed(october, who("PAY", Role.PAYROLL))


def office_flow(uows: UnitOfWorkFactory, emp_id: str) -> Flow:
    return Flow(uows, who(emp_id, Role.EMPLOYEE), SUP)


def refused_on_own(
    uows: UnitOfWorkFactory, appraisal_id: str, act: Callable[[], object], match: str
) -> None:
    before = snapshot(uows, appraisal_id)
    with pytest.raises(PermissionDenied, match=match):
        act()
    assert snapshot(uows, appraisal_id) == before


def test_hr_staff_do_not_file_their_own_result(october: UnitOfWorkFactory) -> None:
    flow = office_flow(october, "H2")
    flow.to(S.SIGNED)
    me = who("H2", Role.HR, Role.EMPLOYEE)

    refused_on_own(
        october, flow.id, lambda: flow.step(me, "file", T_FILE),
        "H2 may not file on their own appraisal",
    )  # fmt: skip
    assert flow.file().row.state is S.FILED  # another hr (H1) files it


def test_perf_admin_staff_do_not_approve_their_own_targets(october: UnitOfWorkFactory) -> None:
    flow = office_flow(october, "P2")
    flow.to(S.TARGETS_CONFIRMED)
    me = who("P2", Role.PERF_ADMIN, Role.EMPLOYEE)

    refused_on_own(
        october, flow.id, lambda: flow.step(me, "approve_targets", T_TARGETS),
        "P2 may not approve_targets on their own appraisal",
    )  # fmt: skip
    assert flow.approve().row.state is S.TARGETS_APPROVED  # another perf_admin (P1) does


def test_a_duty_officer_does_not_collect_their_own_data(october: UnitOfWorkFactory) -> None:
    flow = office_flow(october, "D2")
    flow.to(S.IN_PROGRESS)
    me = who("D2", Role.DUTY_OFFICER, Role.EMPLOYEE)
    fetch = metrics(default_readings("D2"))

    refused_on_own(
        october, flow.id,
        lambda: service.collect_kpi_data(october(), me, CYCLE, [flow.id], fetch, now=T_COLLECT),
        "D2 may not collect data for their own appraisal",
    )  # fmt: skip
    # Collecting the whole cycle passes over their own appraisal.
    assert service.collect_kpi_data(october(), me, CYCLE, [], fetch, now=T_COLLECT).collected == 0
    assert flow.row().state is S.IN_PROGRESS
    assert flow.collect().collected == 1  # another duty officer (D1) collects it
