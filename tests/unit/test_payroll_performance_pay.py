from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.payroll_bridge.domain.caps import CapRow, CapTable, NoCapInForce, TierMove
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money, round_money
from services.payroll_bridge.domain.performance_pay import (
    DEFAULT_COEFFICIENT_BOUND,
    BoundApplied,
    CoefficientBound,
    monthly_performance_pay,
)

D = Decimal
JAN = date(2024, 1, 1)
MAY = date(2024, 5, 31)


def cny(text: str) -> Money:
    return Money.of(text, "CNY")


TABLE = CapTable(
    (
        CapRow("agent", "G1", 1, cny("2345.67"), JAN),
        CapRow("agent", "G1", 2, cny("2400"), JAN),
        CapRow("agent", "G1", 3, cny("2800"), JAN),
        CapRow("agent", "G2", 1, cny("1000.01"), JAN),
        CapRow("agent", "JP", 1, Money.of("250001", "JPY"), JAN),
    )
)


def pay(coefficient, *, grade="G1", base_tier=1, moves=(), bound=DEFAULT_COEFFICIENT_BOUND):
    return monthly_performance_pay(
        TABLE,
        position="agent",
        grade=grade,
        base_tier=base_tier,
        moves=moves,
        coefficient=coefficient,
        as_of=MAY,
        bound=bound,
    )


def test_cap_times_coefficient_rounded_once():
    line = pay(D("0.8735"))
    assert line.cap.amount == cny("2345.67")
    assert line.tier.tier == 1
    assert line.coefficient == line.coefficient_used == D("0.8735")
    assert line.bound_applied is BoundApplied.NONE
    assert line.raw_amount == cny("2048.942745")
    assert line.amount == cny("2048.94")
    assert str(line.amount.amount) == "2048.94"
    assert line.detail == (
        "cap 2345.67 CNY (agent/G1 tier 1, from 2024-01-01) × coefficient 0.8735"
        " = 2048.942745 → 2048.94 CNY"
    )


def test_a_half_cent_rounds_up():
    line = pay(D("0.5"), grade="G2")
    assert line.raw_amount == cny("500.005")
    assert line.amount == cny("500.01")


def test_yen_rounds_to_whole_yen():
    line = pay(D("0.5"), grade="JP")
    assert line.raw_amount.amount == D("125000.5")
    assert line.amount == Money.of("125001", "JPY")


def test_the_tier_moves_pick_the_cap():
    line = pay(D("0.9"), base_tier=2, moves=[TierMove(1, date(2024, 3, 1), "rec-1")])
    assert line.tier.tier == 3
    assert line.cap.tier == 3
    assert line.amount == cny("2520.00")


def test_by_default_pay_never_exceeds_the_cap():
    line = pay(D("1.05"), base_tier=2)
    assert line.coefficient == D("1.05")
    assert line.coefficient_used == D(1)
    assert line.bound_applied is BoundApplied.CEILING
    assert line.amount == cny("2400.00")
    assert "held to its ceiling" in line.detail


@pytest.mark.parametrize(
    ("bound", "coefficient", "used", "applied", "amount"),
    [
        (CoefficientBound(ceiling=D("1.2")), "1.05", "1.05", BoundApplied.NONE, "2520.00"),
        (CoefficientBound(ceiling=D("1.2")), "1.3", "1.2", BoundApplied.CEILING, "2880.00"),
        (CoefficientBound(ceiling=None), "1.3", "1.3", BoundApplied.NONE, "3120.00"),
        (CoefficientBound(floor=D("0.5")), "0.3", "0.5", BoundApplied.FLOOR, "1200.00"),
        (CoefficientBound(floor=D("0.5")), "0", "0.5", BoundApplied.FLOOR, "1200.00"),
        (DEFAULT_COEFFICIENT_BOUND, "0", "0", BoundApplied.NONE, "0.00"),
        (DEFAULT_COEFFICIENT_BOUND, "1", "1", BoundApplied.NONE, "2400.00"),
    ],
)
def test_configured_bounds(bound, coefficient, used, applied, amount):
    line = pay(D(coefficient), base_tier=2, bound=bound)
    assert line.coefficient_used == D(used)
    assert line.bound_applied is applied
    assert line.amount == cny(amount)
    assert line.bound == bound


def test_bound_checks_itself():
    with pytest.raises(PayInputError, match="below the floor") as caught:
        CoefficientBound(floor=D("0.5"), ceiling=D("0.4"))
    assert caught.value.input_name == "bound.ceiling"
    with pytest.raises(PayInputError, match="negative"):
        CoefficientBound(floor=D("-0.1"))
    with pytest.raises(PayInputError, match="float"):
        CoefficientBound(ceiling=1.2)  # type: ignore[arg-type]


def test_bad_coefficients_are_refused():
    with pytest.raises(PayInputError, match="negative") as caught:
        pay(D("-0.01"))
    assert caught.value.input_name == "coefficient"
    with pytest.raises(PayInputError, match="float"):
        pay(0.8735)
    with pytest.raises(PayInputError, match="finite"):
        pay(D("NaN"))


def test_no_cap_in_force():
    with pytest.raises(NoCapInForce):
        monthly_performance_pay(
            TABLE, position="agent", grade="G9", base_tier=1, coefficient=D(1), as_of=MAY
        )


coefficients = st.decimals(min_value=0, max_value=2, places=4)


@given(coefficients, st.sampled_from([1, 2, 3]))
def test_pay_is_the_rounded_product_and_never_above_the_cap_by_default(coefficient, tier):
    line = pay(coefficient, base_tier=tier)
    expected = line.cap.amount.amount * min(coefficient, D(1))
    assert line.raw_amount.amount == expected
    assert line.amount.amount == round_money(expected, "CNY")
    assert D(0) <= line.amount.amount <= line.cap.amount.amount
