from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.payroll_bridge.domain.brackets import (
    SEED_003_BID_TEAM,
    Bracket,
    BracketMode,
    BracketSchedule,
    RateUnit,
    bracket_incentive,
)
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money, round_money, sum_money

D = Decimal
WAN = D(10_000)  # 万元
PROGRESSIVE_003 = replace(SEED_003_BID_TEAM, mode=BracketMode.PROGRESSIVE)


def cny(text: str) -> Money:
    return Money.of(text, "CNY")


def wan(amount: str) -> Money:
    return Money(D(amount) * WAN, "CNY")


@pytest.mark.parametrize(
    ("won", "bracket", "expected"),
    [
        # Seed 003, flat: the whole month's won amount at its bracket's rate.
        (wan("5000"), 1, "27500.00"),  # 5000万 × 0.55‰ = 2.75万
        (wan("6500"), 1, "35750.00"),  # a bound belongs to the lower bracket
        (wan("7000"), 2, "42000.00"),  # × 0.6‰
        (wan("9000"), 3, "63000.00"),  # × 0.7‰ = 6.3万
        (wan("10000"), 3, "70000.00"),  # exactly 1亿: (8500, 10000] at 0.7‰
        (cny("100000000.01"), 4, "80000.00"),  # 80000.000008 → 80000.00
        (wan("12000"), 4, "96000.00"),  # × 0.8‰
        (cny("45000000.01"), 1, "24750.00"),  # just above the threshold: 24750.0000055
    ],
)
def test_seed_003_flat(won, bracket, expected):
    result = bracket_incentive(SEED_003_BID_TEAM, won)
    assert result.above_threshold
    assert result.bracket == bracket
    assert result.amount == cny(expected)
    counted = [s for s in result.slices if s.counted]
    assert [s.index for s in counted] == [bracket]
    assert counted[0].base == won
    assert counted[0].amount == result.raw_amount


@pytest.mark.parametrize("won", [wan("0"), wan("3000"), wan("4500")])
def test_seed_003_pays_nothing_up_to_the_threshold(won):
    result = bracket_incentive(SEED_003_BID_TEAM, won)
    assert not result.above_threshold
    assert result.amount == cny("0")
    assert str(result.amount.amount) == "0.00"
    assert len(result.slices) == 5
    assert not any(s.counted for s in result.slices)
    assert all(s.amount.is_zero for s in result.slices)


def test_seed_003_progressive_slices():
    result = bracket_incentive(PROGRESSIVE_003, wan("9000"))
    bases = [s.base for s in result.slices]
    amounts = [s.amount for s in result.slices]
    # 4500万 × 0.5‰ + 2000万 × 0.55‰ + 2000万 × 0.6‰ + 500万 × 0.7‰ = 4.9万
    assert bases == [wan("4500"), wan("2000"), wan("2000"), wan("500"), wan("0")]
    assert amounts == [cny("22500"), cny("11000"), cny("12000"), cny("3500"), cny("0")]
    assert [s.counted for s in result.slices] == [True, True, True, True, False]
    assert result.amount == cny("49000.00")
    assert result.bracket == 3
    assert [(s.lower, s.upper) for s in result.slices] == [
        (D(0), D(45_000_000)),
        (D(45_000_000), D(65_000_000)),
        (D(65_000_000), D(85_000_000)),
        (D(85_000_000), D(100_000_000)),
        (D(100_000_000), None),
    ]


def test_progressive_threshold_is_a_gate_not_a_deductible():
    assert bracket_incentive(PROGRESSIVE_003, wan("4500")).amount == cny("0")
    # Just above it the first 4500万 earn 0.5‰ too: 22500 + 0.01 × 0.55‰.
    result = bracket_incentive(PROGRESSIVE_003, cny("45000000.01"))
    assert result.raw_amount == cny("22500.0000055")
    assert result.amount == cny("22500.00")


def test_percent_rates():
    schedule = BracketSchedule(
        brackets=(Bracket(D(0), D(1)), Bracket(D(1000), D(2))),
        currency="CNY",
        mode=BracketMode.PROGRESSIVE,
        unit=RateUnit.PERCENT,
    )
    assert bracket_incentive(schedule, cny("1500")).amount == cny("20.00")  # 10 + 10
    flat = replace(schedule, mode=BracketMode.FLAT)
    assert bracket_incentive(flat, cny("1500")).amount == cny("30.00")  # 1500 × 2 %
    assert bracket_incentive(flat, cny("1000")).amount == cny("10.00")  # 1000 × 1 %


def test_a_half_cent_rounds_up():
    schedule = BracketSchedule((Bracket(D(0), D(5)),), "CNY")
    result = bracket_incentive(schedule, cny("1.00"))
    assert result.raw_amount == cny("0.005")
    assert result.amount == cny("0.01")


def test_below_the_first_bracket_nothing_is_earned():
    schedule = BracketSchedule((Bracket(D(100), D(100)),), "CNY", unit=RateUnit.PERCENT)
    result = bracket_incentive(schedule, cny("50"))
    assert result.above_threshold
    assert result.bracket is None
    assert result.amount == cny("0")
    assert bracket_incentive(schedule, cny("150")).amount == cny("150.00")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"brackets": ()}, "brackets"),
        ({"brackets": (Bracket(D(0), D(1)), Bracket(D(0), D(2)))}, "brackets[1].lower"),
        ({"brackets": (Bracket(D(5), D(1)), Bracket(D(4), D(2)))}, "brackets[1].lower"),
        ({"brackets": ((0, 1),)}, "brackets[0]"),
        ({"threshold": D(-1)}, "threshold"),
        ({"threshold": 4500.0}, "threshold"),
        ({"currency": "yuan"}, "currency"),
    ],
)
def test_schedule_checks_itself(kwargs, field):
    fields = {"brackets": (Bracket(D(0), D(1)),), "currency": "CNY"}
    with pytest.raises(PayInputError) as caught:
        BracketSchedule(**(fields | kwargs))
    assert caught.value.input_name == field


@pytest.mark.parametrize(
    ("lower", "rate", "field"),
    [(D(-1), D(1), "lower"), (D(0), D(-1), "rate"), (D(0), 0.5, "rate"), (0.0, D(1), "lower")],
)
def test_bracket_checks_itself(lower, rate, field):
    with pytest.raises(PayInputError) as caught:
        Bracket(lower, rate)
    assert caught.value.input_name == field


def test_bad_won_amounts_are_refused():
    with pytest.raises(PayInputError, match="negative"):
        bracket_incentive(SEED_003_BID_TEAM, cny("-1"))
    with pytest.raises(PayInputError, match="differs from the schedule's CNY"):
        bracket_incentive(SEED_003_BID_TEAM, Money.of("1", "HKD"))
    with pytest.raises(PayInputError, match="must be Money"):
        bracket_incentive(SEED_003_BID_TEAM, D(1))  # type: ignore[arg-type]


won_amounts = st.decimals(min_value=0, max_value=D("2e8"), places=2).map(lambda a: Money(a, "CNY"))


@given(won_amounts, st.sampled_from([SEED_003_BID_TEAM, PROGRESSIVE_003]))
def test_slices_add_up_and_are_rounded_once(won, schedule):
    result = bracket_incentive(schedule, won)
    assert sum_money((s.amount for s in result.slices), "CNY") == result.raw_amount
    assert result.amount.amount == round_money(result.raw_amount.amount, "CNY")
    for s in result.slices:
        assert s.amount.amount == s.base.amount * s.rate / 1000
    if result.above_threshold and schedule.mode is BracketMode.PROGRESSIVE:
        assert sum_money((s.base for s in result.slices), "CNY") == won


@given(won_amounts)
def test_with_rising_rates_progressive_never_pays_more_than_flat(won):
    flat = bracket_incentive(SEED_003_BID_TEAM, won)
    progressive = bracket_incentive(PROGRESSIVE_003, won)
    assert progressive.raw_amount.amount <= flat.raw_amount.amount
    assert flat.above_threshold == progressive.above_threshold == (won.amount > 45_000_000)


def test_mode_and_unit_may_be_given_as_text():
    schedule = BracketSchedule((Bracket(D(0), D(1)),), "CNY", mode="progressive", unit="percent")  # type: ignore[arg-type]
    assert schedule.mode is BracketMode.PROGRESSIVE
    assert schedule.unit is RateUnit.PERCENT
    with pytest.raises(PayInputError, match="must be one of flat, progressive") as caught:
        BracketSchedule((Bracket(D(0), D(1)),), "CNY", mode="stepped")  # type: ignore[arg-type]
    assert caught.value.input_name == "mode"
