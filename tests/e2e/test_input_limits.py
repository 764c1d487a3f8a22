"""Bounds on what one request may carry, end to end through the production interceptor:
repeated fields by count, decimal text by its field's digits, dates by the calendar
window, tiers by the cap table's range; and a big id list is INVALID_ARGUMENT, never a
database outage. Each refused call changes nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest
from google.type import date_pb2
from sqlalchemy import Engine

from ccperf.appraisal.v1 import appraisal_pb2 as apb
from ccperf.appraisal.v1 import appraisal_pb2_grpc
from ccperf.common.v1 import common_pb2
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from ccperf.payroll.v1 import payroll_pb2 as ppb
from ccperf.payroll.v1 import payroll_pb2_grpc
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from services.common.limits import MAX_APPRAISAL_IDS, MAX_UPSERT
from tests.support.appraisal_flow import non_management_targets
from tests.support.org_messages import date, employee, small_org
from tests.support.rpc_harness import StateProbe, _violations, changed_tables


@pytest.fixture
def stub(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> Iterator[Callable[..., Any]]:
    """``stub(OrgServiceStub, "appraisal", "hris", Role.HRIS)``."""
    channels: list[grpc.Channel] = []

    def make(stub_class: Any, process: str, subject: str, *roles: Role) -> Any:
        channel = authorized_channel(address(process), token_for(subject, *roles))
        channels.append(channel)
        return stub_class(channel)

    yield make
    for channel in channels:
        channel.close()


@pytest.fixture
def org(stub: Callable[..., Any]) -> org_pb2_grpc.OrgServiceStub:
    org: org_pb2_grpc.OrgServiceStub = stub(
        org_pb2_grpc.OrgServiceStub, "appraisal", "hris", Role.HRIS
    )
    org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
    org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=[employee("E1")]))
    return org


@pytest.fixture
def payroll(stub: Callable[..., Any]) -> payroll_pb2_grpc.PayrollBridgeServiceStub:
    hr: payroll_pb2_grpc.PayrollBridgeServiceStub = stub(
        payroll_pb2_grpc.PayrollBridgeServiceStub, "payroll", "H1", Role.HR
    )
    return hr


@pytest.fixture
def probe(engine: Engine) -> StateProbe:
    return StateProbe(engine)


def refused(probe: StateProbe, call: Callable[[], object]) -> dict[str, str]:
    """Call, expect INVALID_ARGUMENT with nothing changed; the field violations."""
    before = probe.snapshot()
    with pytest.raises(grpc.RpcError) as caught:
        call()
    error: Any = caught.value
    assert error.code() is grpc.StatusCode.INVALID_ARGUMENT, error.details()
    assert changed_tables(before, probe.snapshot()) == {}
    return _violations(error)


# --- repeated fields (point 7) ----------------------------------------------------------------


def empty_entries(request: Any, field: str, count: int) -> Any:
    entries = getattr(request, field)
    for _ in range(count):
        entries.add()
    return request


# 1,000,000 empty entries cost the server 23-28 s before INVALID_ARGUMENT (each was read
# and reported), and health took 1 s meanwhile.
@pytest.mark.parametrize(
    ("method", "request_", "field", "maximum"),
    [
        ("UpsertOrgUnits", org_pb2.UpsertOrgUnitsRequest(), "org_units", MAX_UPSERT),
        ("SetCapTable", ppb.SetCapTableRequest(), "rows", 10_000),
    ],
)
def test_a_million_empty_entries_are_refused_by_their_count_quickly(
    org: org_pb2_grpc.OrgServiceStub,
    payroll: payroll_pb2_grpc.PayrollBridgeServiceStub,
    probe: StateProbe,
    method: str,
    request_: Any,
    field: str,
    maximum: int,
) -> None:
    request = empty_entries(request_, field, 1_000_000)
    call = getattr(org if method == "UpsertOrgUnits" else payroll, method)
    started = time.perf_counter()
    violations = refused(probe, lambda: call(request, timeout=30))
    assert time.perf_counter() - started < 3.0
    assert list(violations) == [field]
    assert f"at most {maximum}" in violations[field]


# CollectKpiData with 70,000 ids was answered UNAVAILABLE "the database is unavailable;
# retry later" while the database was up (the driver's 65,535-parameter limit), and the
# clients' retry policy sent it 5 times.
def test_seventy_thousand_appraisal_ids_are_invalid_argument_not_an_outage(
    stub: Callable[..., Any], probe: StateProbe
) -> None:
    duty = stub(appraisal_pb2_grpc.AppraisalServiceStub, "appraisal", "D1", Role.DUTY_OFFICER)
    request = apb.CollectKpiDataRequest(
        cycle_id="2026-10", appraisal_ids=[f"2026-10/E{i}" for i in range(70_000)]
    )
    violations = refused(probe, lambda: duty.CollectKpiData(request, timeout=30))
    assert violations == {
        "appraisal_ids": f"holds 70000 entries: at most {MAX_APPRAISAL_IDS} per request"
    }


# --- dates (point 12) -------------------------------------------------------------------------


def day(year: int, month: int, day_: int) -> date_pb2.Date:
    return date_pb2.Date(year=year, month=month, day=day_)


def shown(value: date_pb2.Date) -> str:
    return f"{value.year}-{value.month}-{value.day}"


IMPOSSIBLE = [day(2026, 13, 1), day(2026, 2, 30), day(-1, 1, 1), day(10000, 1, 1)]
IMPLAUSIBLE = [day(1, 1, 1), day(9999, 12, 31), day(1969, 12, 31), day(2201, 1, 1)]


@pytest.mark.parametrize("effective_to", IMPOSSIBLE, ids=shown)
def test_an_impossible_effective_to_is_invalid_argument(
    org: org_pb2_grpc.OrgServiceStub, probe: StateProbe, effective_to: date_pb2.Date
) -> None:
    # It was answered OK and silently ignored.
    unit = small_org()[0]
    unit.name = "renamed"
    unit.effective_to.CopyFrom(effective_to)
    person = employee("E1")
    person.effective_to.CopyFrom(effective_to)
    assert "org_units[0].effective_to" in refused(
        probe, lambda: org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=[unit]))
    )
    assert "employees[0].effective_to" in refused(
        probe, lambda: org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=[person]))
    )


@pytest.mark.parametrize("hire_date", IMPLAUSIBLE, ids=shown)
def test_a_hire_date_off_the_calendar_is_invalid_argument(
    org: org_pb2_grpc.OrgServiceStub, probe: StateProbe, hire_date: date_pb2.Date
) -> None:
    person = employee("E2")
    person.hire_date.CopyFrom(hire_date)
    request = org_pb2.UpsertEmployeesRequest(employees=[person])
    assert "employees[0].hire_date" in refused(probe, lambda: org.UpsertEmployees(request))


def test_leave_from_year_one_to_9999_and_base_pay_from_year_one_are_refused(
    org: org_pb2_grpc.OrgServiceStub,
    payroll: payroll_pb2_grpc.PayrollBridgeServiceStub,
    probe: StateProbe,
) -> None:
    leave = org_pb2.Leave(id="L1", employee_id="E1", kind=org_pb2.LEAVE_KIND_ANNUAL)
    leave.start_date.CopyFrom(day(1, 1, 1))
    leave.end_date.CopyFrom(day(9999, 12, 31))
    violations = refused(
        probe, lambda: org.UpsertLeaves(org_pb2.UpsertLeavesRequest(leaves=[leave]))
    )
    assert {"leaves[0].start_date", "leaves[0].end_date"} <= set(violations)
    pay = ppb.BasePay(
        employee_id="E1", amount=common_pb2.Money(currency_code="CNY", amount="8000.00")
    )
    pay.effective_from.CopyFrom(day(1, 1, 1))
    request = ppb.SetBasePayRequest(assignments=[pay])
    assert "assignments[0].effective_from" in refused(probe, lambda: payroll.SetBasePay(request))


# --- decimals (point 9) and tiers (point 8) ---------------------------------------------------


def cap_row(amount: str) -> ppb.CapRow:
    row = ppb.CapRow(position="客服代表", grade="S3", tier=1,
                     amount=common_pb2.Money(currency_code="CNY", amount=amount))  # fmt: skip
    row.valid_from.CopyFrom(date("2026-01-01"))
    return row


# "٢٨٠٠" and "2_800" were stored as 2800.
@pytest.mark.parametrize("amount", ["\u0662\u0668\u0660\u0660", "2_800", "2.8e3", "9" * 400])
def test_decimal_text_other_than_ascii_digits_is_refused(
    payroll: payroll_pb2_grpc.PayrollBridgeServiceStub, probe: StateProbe, amount: str
) -> None:
    request = ppb.SetCapTableRequest(rows=[cap_row(amount)])
    assert "rows[0].amount.amount" in refused(probe, lambda: payroll.SetCapTable(request))
    assert payroll.SetCapTable(ppb.SetCapTableRequest(rows=[cap_row("2800")])).created == 1


@pytest.mark.parametrize("tier", [-5, 0, 100, 2**31 - 1, -(2**31)])
def test_a_base_tier_outside_one_to_ninety_nine_is_refused(
    org: org_pb2_grpc.OrgServiceStub,
    payroll: payroll_pb2_grpc.PayrollBridgeServiceStub,
    probe: StateProbe,
    tier: int,
) -> None:
    # Stored as sent: cap tiers were checked to 1-99, base tiers were not.
    assignment = ppb.TierAssignment(employee_id="E1", tier=tier)
    assignment.effective_from.CopyFrom(date("2026-01-01"))
    request = ppb.SetBaseTiersRequest(assignments=[assignment])
    violations = refused(probe, lambda: payroll.SetBaseTiers(request))
    assert violations == {"assignments[0].tier": f"must be from 1 to 99, got {tier}"}


# SetTargets stored a scoring cap of 1e999999999 or of 400 digits.
@pytest.mark.parametrize("cap", ["1e999999999", "9" * 400, "1_2"])
def test_set_targets_refuses_a_scoring_cap_of_too_many_digits_or_odd_text(
    stub: Callable[..., Any], probe: StateProbe, cap: str
) -> None:
    org = stub(org_pb2_grpc.OrgServiceStub, "appraisal", "hris", Role.HRIS)
    org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
    people = [employee("E0"), employee("E1", supervisor="E0")]
    org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=people))
    hr = stub(appraisal_pb2_grpc.AppraisalServiceStub, "appraisal", "H1", Role.HR)
    hr.OpenCycle(apb.OpenCycleRequest(period=common_pb2.Period(value="2026-10")))
    assessor = stub(appraisal_pb2_grpc.AppraisalServiceStub, "appraisal", "E0", Role.SUPERVISOR)
    current = assessor.GetAppraisal(apb.GetAppraisalRequest(appraisal_id="2026-10/E1")).appraisal
    weights, items = non_management_targets()
    items[0].scoring.ratio_to_target.cap = cap
    request = apb.SetTargetsRequest(
        appraisal_id="2026-10/E1", etag=current.etag, section_weights=weights, items=items
    )
    assert "items[0].scoring.cap" in refused(probe, lambda: assessor.SetTargets(request))
    request.items[0].scoring.ratio_to_target.cap = "1.2"
    assert assessor.SetTargets(request).appraisal.items[0].scoring.ratio_to_target.cap == "1.2"
