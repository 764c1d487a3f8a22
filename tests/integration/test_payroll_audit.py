"""Every payroll write leaves who, when, before and after in ``pay_audit`` (issue #7, audit).

One record per changed thing, in the change's transaction: a replay records nothing, a
refused change records nothing. Money is decimal text, never a float.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from services.common.auth import Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import FailedPrecondition, InvalidArgument
from services.common.periods import Period
from services.payroll_bridge import service
from services.payroll_bridge.appraisal_source import FiledResult
from services.payroll_bridge.domain.brackets import SEED_003_BID_TEAM, BracketMode
from services.payroll_bridge.domain.caps import CapRow, CapTableInvalid
from services.payroll_bridge.domain.money import Money
from services.payroll_bridge.domain.performance_pay import CoefficientBound
from services.payroll_bridge.domain.year_end import YearEndParameters
from services.payroll_bridge.models import PayAuditEntry
from tests.integration.org_factories import add_employees, employee, seed_tree, who
from tests.support.audit_trail import audit_trail

D = Decimal
HR = who("H1", Role.HR)
HR2 = who("H2", Role.HR)
HRIS = who("hris", Role.HRIS)
PAYROLL = who("P1", Role.PAYROLL)
NOW = dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=1)
OCTOBER = Period.parse("2026-10")
JAN1 = dt.date(2026, 1, 1)


def cny(text: str) -> Money:
    return Money.of(text, "CNY")


@pytest.fixture
def org(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    seed_tree(uow_factory)
    add_employees(uow_factory, employee("A1", "OPS-T1"), employee("A2", "OPS-T1"))
    return uow_factory


def trail(uows: UnitOfWorkFactory, entity: str) -> list[dict[str, Any]]:
    return audit_trail(uows, PayAuditEntry, entity)


def count(uows: UnitOfWorkFactory) -> int:
    with uows() as uow:
        return len(uow.session.scalars(select(PayAuditEntry.id)).all())


def test_cap_rows_record_who_when_before_and_after(org: UnitOfWorkFactory) -> None:
    row = CapRow("agent", "G3", 1, cny("3000.00"), JAN1)
    service.set_cap_table(org(), HR, [row, dataclasses.replace(row, tier=2, amount=cny("3500"))],
                          now=NOW)  # fmt: skip
    service.set_cap_table(org(), HR, [row], now=LATER)  # a replay: no change, no record
    raised = dataclasses.replace(row, amount=cny("3200.50"), valid_to=dt.date(2027, 1, 1))
    service.set_cap_table(org(), HR2, [raised], now=LATER)

    assert trail(org, "cap_row") == [
        {"at": NOW, "who": "H1", "action": "created", "key": "agent/G3/1/2026-01-01",
         "before": None, "after": {"amount": "3000.00", "currency": "CNY", "valid_to": None}},
        {"at": NOW, "who": "H1", "action": "created", "key": "agent/G3/2/2026-01-01",
         "before": None, "after": {"amount": "3500", "currency": "CNY", "valid_to": None}},
        {"at": LATER, "who": "H2", "action": "updated", "key": "agent/G3/1/2026-01-01",
         "before": {"amount": "3000.00", "currency": "CNY", "valid_to": None},
         "after": {"amount": "3200.50", "currency": "CNY", "valid_to": "2027-01-01"}},
    ]  # fmt: skip


def test_a_refused_cap_table_records_nothing(org: UnitOfWorkFactory) -> None:
    row = CapRow("agent", "G3", 1, cny("3000.00"), JAN1)
    service.set_cap_table(org(), HR, [row], now=NOW)
    before = count(org)
    # A valid new row beside one in another currency: the whole call is refused.
    good = dataclasses.replace(row, grade="G4")
    usd = dataclasses.replace(row, tier=2, amount=Money.of("100.00", "USD"))
    with pytest.raises(CapTableInvalid, match="mixes CNY and USD"):
        service.set_cap_table(org(), HR, [good, usd], now=LATER)
    assert count(org) == before == 1


def test_base_tiers_and_base_pay(org: UnitOfWorkFactory) -> None:
    tier = service.TierAssignment("A1", 1, JAN1)
    service.set_base_tiers(org(), HR, [tier], now=NOW)
    service.set_base_tiers(org(), HR, [tier], now=NOW)  # a replay
    service.set_base_tiers(org(), HR2, [dataclasses.replace(tier, tier=2)], now=LATER)
    assert [(e["who"], e["action"], e["key"], e["before"], e["after"])
            for e in trail(org, "base_tier")] == [
        ("H1", "created", "A1/2026-01-01", None, {"tier": 1}),
        ("H2", "updated", "A1/2026-01-01", {"tier": 1}, {"tier": 2}),
    ]  # fmt: skip
    with pytest.raises(InvalidArgument):  # an employee HRIS has not sent
        service.set_base_tiers(org(), HR, [service.TierAssignment("NOBODY", 1, JAN1)], now=NOW)

    pay = service.BasePayAssignment("A1", cny("6000.00"), JAN1)
    service.set_base_pay(org(), HR, [pay], now=NOW)
    service.set_base_pay(org(), HR2, [dataclasses.replace(pay, amount=cny("6500.00"))], now=LATER)
    with pytest.raises(InvalidArgument):  # negative
        service.set_base_pay(org(), HR, [dataclasses.replace(pay, amount=cny("-1.00"))])
    with pytest.raises(InvalidArgument):  # unknown employee
        service.set_base_pay(org(), HR, [dataclasses.replace(pay, employee_id="NOBODY")])
    assert trail(org, "base_pay") == [
        {"at": NOW, "who": "H1", "action": "created", "key": "A1/2026-01-01", "before": None,
         "after": {"amount": "6000.00", "currency": "CNY"}},
        {"at": LATER, "who": "H2", "action": "updated", "key": "A1/2026-01-01",
         "before": {"amount": "6000.00", "currency": "CNY"},
         "after": {"amount": "6500.00", "currency": "CNY"}},
    ]  # fmt: skip
    assert len(trail(org, "base_tier")) == 2


def test_year_end_parameters_keep_the_replaced_set(org: UnitOfWorkFactory) -> None:
    first = YearEndParameters(2026, D("0.95"), {"G3": D("1.2")}, {}, "CNY")
    service.set_year_end_parameters(org(), HR, first, now=NOW)
    service.set_year_end_parameters(org(), HR, first, now=NOW)  # a replay
    second = dataclasses.replace(first, completion_rate=D("1.05"), bonus_coefficient_by_position={
        "agent": D("1.1")})  # fmt: skip
    service.set_year_end_parameters(org(), HR2, second, now=LATER)
    with pytest.raises(InvalidArgument):
        service.set_year_end_parameters(org(), HR, YearEndParameters(2026, D(1), {}, {}, "CNY"))

    before = {"completion_rate": "0.95", "currency": "CNY", "grade_coefficients": {"G3": "1.2"},
              "position_coefficients": {}}  # fmt: skip
    after = before | {"completion_rate": "1.05", "position_coefficients": {"agent": "1.1"}}
    assert trail(org, "year_end_parameters") == [
        {"at": NOW, "who": "H1", "action": "created", "key": "2026", "before": None,
         "after": before},
        {"at": LATER, "who": "H2", "action": "updated", "key": "2026", "before": before,
         "after": after},
    ]  # fmt: skip


def test_incentive_schedule_and_amounts(org: UnitOfWorkFactory) -> None:
    service.set_incentive_schedule(org(), HR, "BID", SEED_003_BID_TEAM, now=NOW)
    service.set_incentive_schedule(org(), HR, "BID", SEED_003_BID_TEAM, now=NOW)  # a replay
    progressive = dataclasses.replace(SEED_003_BID_TEAM, mode=BracketMode.PROGRESSIVE)
    service.set_incentive_schedule(org(), HR2, "BID", progressive, now=LATER)
    schedules = trail(org, "incentive_schedule")
    assert [(e["who"], e["action"], e["key"]) for e in schedules] == [
        ("H1", "created", "BID"), ("H2", "updated", "BID")
    ]  # fmt: skip
    assert (schedules[1]["before"]["mode"], schedules[1]["after"]["mode"]) == (
        "flat", "progressive"
    )  # fmt: skip
    assert schedules[1]["before"]["brackets"] == schedules[1]["after"]["brackets"]
    assert all(isinstance(b["rate"], str) for b in schedules[1]["after"]["brackets"])

    def record(amount: str, currency: str = "CNY") -> service.Counts:
        return service.record_incentive_amounts(
            org(), HRIS, OCTOBER, "BID",
            [service.IncentiveInput("A1", Money.of(amount, currency), "won 2026-10")], now=NOW,
        )  # fmt: skip

    record("90000000")
    record("90000000")  # a replay
    record("95000000.50")
    with pytest.raises(InvalidArgument):  # not the schedule's currency
        record("1", "USD")
    amounts = trail(org, "incentive_amount")
    assert [(e["who"], e["key"], e["before"], e["after"]) for e in amounts] == [
        ("hris", "2026-10/A1/won 2026-10", None,
         {"schedule": "BID", "amount": "90000000", "currency": "CNY"}),
        ("hris", "2026-10/A1/won 2026-10",
         {"schedule": "BID", "amount": "90000000", "currency": "CNY"},
         {"schedule": "BID", "amount": "95000000.50", "currency": "CNY"}),
    ]  # fmt: skip


def test_a_month_computed_frozen_and_acknowledged(org: UnitOfWorkFactory) -> None:
    service.set_cap_table(org(), HR, [CapRow("agent", "G3", 1, cny("3000.00"), JAN1)], now=NOW)
    coefficients = {"A1": "0.8000", "A2": "1.0000"}

    def results(period: str) -> list[FiledResult]:
        return [FiledResult(f"{period}/{e}", e, 1, D(c)) for e, c in coefficients.items()]

    bound = CoefficientBound()
    service.compute_period(org(), HR, OCTOBER, results, bound, now=NOW)
    coefficients["A2"] = "0.9000"
    service.compute_period(org(), HR2, OCTOBER, results, bound, now=LATER)
    first = {"lines": 2, "totals": {"CNY": "5400.00"}, "adjustments": 0, "incentives": 0,
             "unpaid": 0, "skipped": 0}  # fmt: skip
    second = first | {"totals": {"CNY": "5100.00"}}
    assert trail(org, "draft") == [
        {"at": NOW, "who": "H1", "action": "computed", "key": "2026-10", "before": None,
         "after": first},
        {"at": LATER, "who": "H2", "action": "computed", "key": "2026-10", "before": first,
         "after": second},
    ]  # fmt: skip

    batch = service.create_batch(org(), HR, OCTOBER, now=LATER)
    with pytest.raises(FailedPrecondition):  # a wrong hash: refused, nothing recorded
        service.acknowledge_batch(org(), PAYROLL, batch.id, "0" * 64, now=LATER)
    service.acknowledge_batch(org(), PAYROLL, batch.id, batch.content_hash, now=LATER)
    service.acknowledge_batch(org(), PAYROLL, batch.id, batch.content_hash, now=LATER)  # again
    frozen = {"period": "2026-10", "content_hash": batch.content_hash, "line_count": 2,
              "totals": {"CNY": "5100.00"}, "state": "frozen"}  # fmt: skip
    assert trail(org, "batch") == [
        {"at": LATER, "who": "H1", "action": "frozen", "key": "PAY-2026-10", "before": None,
         "after": frozen},
        {"at": LATER, "who": "P1", "action": "acknowledged", "key": "PAY-2026-10",
         "before": frozen, "after": frozen | {"state": "acknowledged"}},
    ]  # fmt: skip
