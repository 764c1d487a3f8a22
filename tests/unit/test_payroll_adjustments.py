from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.payroll_bridge.domain.adjustments import adjustment
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money

D = Decimal


def cny(text: str) -> Money:
    return Money.of(text, "CNY")


def test_an_upheld_appeal_adds_the_difference():
    line = adjustment(
        cny("2096.40"),
        cny("2190.00"),
        original_reference="E042/performance_pay/2024-05",
        reason="appeal upheld",
    )
    assert line.difference == cny("93.60")
    assert line.original == cny("2096.40")
    assert line.recomputed == cny("2190.00")
    assert line.original_reference == "E042/performance_pay/2024-05"
    assert line.reason == "appeal upheld"
    assert not line.is_zero


def test_a_lower_figure_gives_a_negative_adjustment():
    line = adjustment(cny("2190.00"), cny("2096.40"), original_reference="L1")
    assert line.difference == cny("-93.60")
    assert str(line.difference.amount) == "-93.60"
    assert line.original + line.difference == line.recomputed


def test_a_cent_down_and_no_change():
    assert adjustment(cny("0.01"), cny("0"), original_reference="L1").difference == cny("-0.01")
    same = adjustment(cny("12.30"), cny("12.3"), original_reference="L1")
    assert same.is_zero
    assert str(same.difference.amount) == "0.00"  # never -0.00


def test_yen_adjustments():
    line = adjustment(Money.of("1200", "JPY"), Money.of("1150", "JPY"), original_reference="L1")
    assert line.difference == Money.of("-50", "JPY")


def test_unrounded_figures_are_refused():
    # A figure payroll took went through the one rounding rule: -0.005 never reaches here.
    with pytest.raises(PayInputError, match="not rounded") as caught:
        adjustment(cny("0"), cny("-0.005"), original_reference="L1")
    assert caught.value.input_name == "recomputed"
    with pytest.raises(PayInputError, match="not rounded") as caught:
        adjustment(cny("1.005"), cny("1"), original_reference="L1")
    assert caught.value.input_name == "original"


def test_other_bad_inputs():
    with pytest.raises(PayInputError, match="differs"):
        adjustment(cny("1"), Money.of("1", "HKD"), original_reference="L1")
    with pytest.raises(PayInputError) as caught:
        adjustment(cny("1"), cny("2"), original_reference=" ")
    assert caught.value.input_name == "original_reference"
    with pytest.raises(PayInputError, match="must be Money"):
        adjustment(D(1), cny("2"), original_reference="L1")  # type: ignore[arg-type]


cents = st.integers(min_value=-(10**12), max_value=10**12).map(
    lambda c: Money(D(c).scaleb(-2), "CNY")
)


@given(cents, cents)
def test_original_plus_adjustment_is_the_recomputed_figure(original, recomputed):
    line = adjustment(original, recomputed, original_reference="L1")
    assert line.original + line.difference == recomputed
    assert line.difference.is_rounded
    assert adjustment(recomputed, original, original_reference="L1").difference == -line.difference
