"""Incentive pay on Postgres: seed 003's bracket schedule, recorded amounts, a month's lines."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from services.common.auth import Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import FailedPrecondition, InvalidArgument, NotFound
from services.common.pagination import PageRequest
from services.common.periods import Period
from services.payroll_bridge import service
from services.payroll_bridge.appraisal_source import FiledResult
from services.payroll_bridge.domain.brackets import (
    SEED_003_BID_TEAM,
    Bracket,
    BracketMode,
    BracketSchedule,
)
from services.payroll_bridge.domain.caps import CapRow
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money
from services.payroll_bridge.domain.performance_pay import CoefficientBound
from services.payroll_bridge.models import PayBatchLine
from tests.integration.org_factories import add_employees, employee, seed_tree, who

D = Decimal
HR = who("H1", Role.HR)
HRIS = who("hris", Role.HRIS)
NOW = dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC)
OCTOBER = Period.parse("2026-10")
BOUND = CoefficientBound()
WAN = D(10_000)  # 万元
PROGRESSIVE_003 = dataclasses.replace(SEED_003_BID_TEAM, mode=BracketMode.PROGRESSIVE)


def wan(amount: str) -> Money:
    return Money(D(amount) * WAN, "CNY")


@pytest.fixture
def bid_team(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """Bid clerks B1–B3 in OPS, the flat seed 003 schedule BID and its progressive twin BID-P."""
    seed_tree(uow_factory)
    add_employees(uow_factory, *(employee(f"B{i}", "OPS-T1") for i in range(1, 4)))
    service.set_incentive_schedule(uow_factory(), HR, "BID", SEED_003_BID_TEAM, now=NOW)
    service.set_incentive_schedule(uow_factory(), HR, "BID-P", PROGRESSIVE_003, now=NOW)
    return uow_factory


def record(
    uows: UnitOfWorkFactory,
    schedule: str,
    *amounts: tuple[str, Money, str],
    period: str = "2026-10",
) -> service.Counts:
    return service.record_incentive_amounts(
        uows(), HRIS, Period.parse(period), schedule,
        [service.IncentiveInput(e, m, ref) for e, m, ref in amounts], now=NOW,
    )  # fmt: skip


def no_results(period: str) -> list[FiledResult]:
    return []


def compute(uows: UnitOfWorkFactory, period: Period = OCTOBER) -> service.Computation:
    return service.compute_period(uows(), HR, period, no_results, BOUND, now=NOW)


def batched(uows: UnitOfWorkFactory, period: Period = OCTOBER) -> dict[str, PayBatchLine]:
    batch = service.create_batch(uows(), HR, period, now=NOW)
    lines, _ = service.list_batch_lines(uows(), batch.id, PageRequest(100, None), [])
    return {f"{x.employee_id} {x.kind} {x.reference}": x for x in lines}


def test_flat_pays_the_whole_amount_at_its_brackets_rate(bid_team: UnitOfWorkFactory) -> None:
    record(
        bid_team, "BID", ("B1", wan("9000"), "won 2026-10"), ("B2", wan("5000"), "won 2026-10"),
        ("B3", wan("10000"), "won 2026-10"),
    )  # fmt: skip

    computed = compute(bid_team)

    # 9000万 × 0.7‰ = 63000; 5000万 × 0.55‰ = 27500; exactly 1亿 is (8500, 10000]: × 0.7‰
    assert (computed.lines, computed.incentives, computed.unpaid) == (3, 3, 0)
    assert computed.totals == {"CNY": Money.of("160500.00", "CNY")}
    lines = batched(bid_team)
    assert {k: str(x.amount) for k, x in lines.items()} == {
        "B1 incentive won 2026-10": "63000.00",
        "B2 incentive won 2026-10": "27500.00",
        "B3 incentive won 2026-10": "70000.00",
    }
    line = lines["B1 incentive won 2026-10"]
    assert line.source_issue == 0
    explained = service.explain_line(bid_team(), who("B1"), line.id).explanation
    values = explained["values"]
    assert (values["schedule"], values["mode"], values["unit"], values["bracket"]) == (
        "BID", "flat", "per_mille", "3"
    )  # fmt: skip
    assert (values["bracket[3].base"], values["bracket[3].rate"]) == ("90000000", "0.7")
    assert (values["bracket[3].lower"], values["bracket[3].upper"]) == ("85000000", "100000000")
    assert [values[f"bracket[{i}].counted"] for i in range(5)] == [
        "false", "false", "false", "true", "false"
    ]  # fmt: skip
    assert "flat" in explained["formula"]
    assert explained["text"] == (
        "90000000 CNY (flat schedule BID): 90000000 × 0.7‰ = 63000.00000 → 63000.00 CNY"
    )


def test_progressive_pays_each_slice_at_its_own_rate(bid_team: UnitOfWorkFactory) -> None:
    record(bid_team, "BID-P", ("B1", wan("9000"), "won 2026-10"))

    compute(bid_team)

    line = batched(bid_team)["B1 incentive won 2026-10"]
    # 4500万 × 0.5‰ + 2000万 × 0.55‰ + 2000万 × 0.6‰ + 500万 × 0.7‰ = 4.9万
    assert line.amount == D("49000.00")
    values = line.explanation["values"]
    assert [D(values[f"bracket[{i}].amount"]) for i in range(5)] == [
        D(22500), D(11000), D(12000), D(3500), D(0)
    ]  # fmt: skip
    assert [D(values[f"bracket[{i}].base"]) for i in range(5)] == [
        D(45_000_000), D(20_000_000), D(20_000_000), D(5_000_000), D(0)
    ]  # fmt: skip
    assert values["bracket[4].upper"] == ""  # the last bracket is open
    assert "progressive" in line.explanation["formula"]
    assert line.explanation["text"].count(" + ") == 3


def test_at_or_below_the_threshold_nothing_is_paid(bid_team: UnitOfWorkFactory) -> None:
    record(bid_team, "BID", ("B1", wan("4500"), "won 2026-10"), ("B2", wan("3000"), "won 2026-10"))
    record(bid_team, "BID-P", ("B3", wan("4500"), "won 2026-10"))

    computed = compute(bid_team)

    assert (computed.lines, computed.unpaid, computed.totals) == (
        3, 3, {"CNY": Money.of("0", "CNY")}
    )  # fmt: skip
    for line in batched(bid_team).values():
        assert str(line.amount) == "0.00"
        assert line.explanation["values"]["above_threshold"] == "false"
        assert "is not above schedule" in line.explanation["text"]


def test_a_replayed_record_changes_nothing(bid_team: UnitOfWorkFactory) -> None:
    amounts = [("B1", wan("9000"), "won 2026-10"), ("B2", wan("5000"), "won 2026-10")]
    first = record(bid_team, "BID", *amounts)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    replay = record(bid_team, "BID", *amounts)
    assert (replay.created, replay.updated, replay.unchanged) == (0, 0, 2)
    assert compute(bid_team).totals == {"CNY": Money.of("90500.00", "CNY")}

    # A corrected figure for the same reference replaces it; another reference adds a line.
    corrected = record(
        bid_team, "BID", ("B2", wan("7000"), "won 2026-10"), ("B2", wan("100"), "late tender")
    )
    assert (corrected.created, corrected.updated, corrected.unchanged) == (1, 1, 0)
    assert compute(bid_team).lines == 3

    lines = batched(bid_team)
    assert lines["B2 incentive won 2026-10"].amount == D("42000.00")  # 7000万 × 0.6‰
    # After the batch a replay is still harmless; a new or changed figure is refused.
    assert record(bid_team, "BID", *amounts[:1]).unchanged == 1
    with pytest.raises(FailedPrecondition, match="already batched"):
        record(bid_team, "BID", ("B1", wan("9500"), "won 2026-10"))
    with pytest.raises(FailedPrecondition, match="already batched"):
        record(bid_team, "BID", ("B3", wan("9500"), "won 2026-10"))


def test_amounts_are_checked(bid_team: UnitOfWorkFactory) -> None:
    ok = ("B1", wan("9000"), "won 2026-10")
    with pytest.raises(NotFound, match="NOPE"):
        record(bid_team, "NOPE", ok)
    cases = [
        ([ok, ("B2", Money.of("1.00", "USD"), "x")], "amounts[1].amount.currency_code"),
        ([("B1", Money.of("-1.00", "CNY"), "x")], "amounts[0].amount"),
        ([("B1", Money.of("0.001", "CNY"), "x")], "amounts[0].amount"),
        ([ok, ok], "amounts[1]"),
        ([ok, ("GHOST", wan("1"), "x")], "amounts[1].employee_id"),
        ([], "amounts"),
    ]
    for amounts, field in cases:
        with pytest.raises(InvalidArgument) as caught:
            record(bid_team, "BID", *amounts)
        assert [v.field for v in caught.value.violations] == [field]
    with pytest.raises(InvalidArgument) as caught:
        record(bid_team, "BID", ok, period="2026")
    assert caught.value.violations[0].field == "period"
    assert compute(bid_team).lines == 0  # nothing was recorded


def test_a_schedule_is_replaced_whole_and_checked(bid_team: UnitOfWorkFactory) -> None:
    simple = BracketSchedule((Bracket(D(0), D(1)),), "CNY", mode=BracketMode.FLAT)
    view, created = service.set_incentive_schedule(bid_team(), HR, "BID", simple, now=NOW)
    assert (created, view.schedule, view.updated_by) == (False, simple, "H1")
    record(bid_team, "BID", ("B1", wan("9000"), "won 2026-10"))
    assert compute(bid_team).totals == {"CNY": Money.of("90000.00", "CNY")}  # × 1‰
    with pytest.raises(PayInputError) as caught:
        BracketSchedule((Bracket(D(10), D(1)), Bracket(D(5), D(2))), "CNY")
    assert caught.value.input_name == "brackets[1].lower"


def test_incentives_come_with_the_months_performance_pay(bid_team: UnitOfWorkFactory) -> None:
    cap = CapRow("agent", "G3", 1, Money.of("3000.00", "CNY"), dt.date(2026, 1, 1))
    service.set_cap_table(bid_team(), HR, [cap])
    record(bid_team, "BID", ("B1", wan("9000"), "won 2026-10"))

    def results(period: str) -> list[FiledResult]:
        return [FiledResult("2026-10/B1", "B1", 1, D("0.8000"))]

    computed = service.compute_period(bid_team(), HR, OCTOBER, results, BOUND, now=NOW)

    assert (computed.lines, computed.incentives) == (2, 1)
    assert computed.totals == {"CNY": Money.of("65400.00", "CNY")}  # 2400.00 + 63000.00
    assert {k: str(x.amount) for k, x in batched(bid_team).items()} == {
        "B1 incentive won 2026-10": "63000.00",
        "B1 performance_pay 2026-10/B1": "2400.00",
    }
