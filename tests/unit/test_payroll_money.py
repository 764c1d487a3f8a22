from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.common.errors import InvalidArgument
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import (
    MINOR_UNITS,
    Money,
    exact_product,
    minor_unit,
    parse_decimal,
    quantum,
    require_decimal,
    round_money,
    sum_money,
)

D = Decimal


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("0.005", "CNY", "0.01"),  # a half cent goes up
        ("0.004999", "CNY", "0.00"),
        ("-0.005", "CNY", "-0.01"),  # half-up is away from zero: never -0.00 for a tie
        ("-0.015", "CNY", "-0.02"),
        ("1234.565", "CNY", "1234.57"),
        ("1234.564", "CNY", "1234.56"),
        ("2048.942745", "CNY", "2048.94"),
        ("2.5", "JPY", "3"),
        ("-2.5", "JPY", "-3"),
        ("1199.49", "JPY", "1199"),
        ("10", "USD", "10.00"),
    ],
)
def test_round_money_is_half_up_to_the_minor_unit(amount, currency, expected):
    rounded = round_money(D(amount), currency)
    assert rounded == D(expected)
    assert str(rounded) == expected


def test_a_rounded_zero_is_never_negative():
    assert str(round_money(D("-0.004"), "CNY")) == "0.00"
    assert str(Money(D("-0.0001"), "CNY").rounded().amount) == "0.00"


def test_minor_units():
    assert minor_unit("CNY") == 2
    assert minor_unit("JPY") == 0
    assert quantum("CNY") == D("0.01")
    assert quantum("JPY") == D(1)
    assert set(MINOR_UNITS) >= {"CNY", "USD", "EUR", "HKD", "JPY"}


@pytest.mark.parametrize("bad", ["cny", "CN", "CNYY", "", "X1Y", None, 156])
def test_currency_must_be_three_upper_case_letters(bad):
    with pytest.raises(PayInputError, match="ISO 4217") as caught:
        Money(D(1), bad)
    assert caught.value.input_name == "currency"


def test_an_unknown_currency_is_refused_not_guessed():
    with pytest.raises(PayInputError, match="no minor unit"):
        Money(D(1), "XAU")
    with pytest.raises(PayInputError, match="no minor unit"):
        round_money(D(1), "KRW")


@pytest.mark.parametrize("value", [0.1, 1.0, float("nan")])
def test_floats_are_refused_everywhere(value):
    with pytest.raises(PayInputError, match="float"):
        Money(value, "CNY")
    with pytest.raises(PayInputError, match="float"):
        Money.of(value, "CNY")
    with pytest.raises(PayInputError, match="float"):
        round_money(value, "CNY")
    with pytest.raises(PayInputError, match="float"):
        Money(D(1), "CNY").times(value)


def test_the_error_is_an_invalid_argument_and_a_value_error_naming_the_input():
    with pytest.raises(PayInputError) as caught:
        require_decimal("coefficient", 0.5)
    error = caught.value
    assert isinstance(error, InvalidArgument)
    assert isinstance(error, ValueError)
    assert error.input_name == "coefficient"
    assert error.violations[0].field == "coefficient"


@pytest.mark.parametrize("value", [True, "1.0", None, D("NaN"), D("Infinity"), D("-Infinity")])
def test_require_decimal_refuses_bools_text_and_non_finite(value):
    with pytest.raises(PayInputError):
        require_decimal("x", value)


def test_ints_are_converted_exactly():
    money = Money(12, "CNY")  # type: ignore[arg-type]
    assert isinstance(money.amount, Decimal)
    assert money == Money(D("12.00"), "CNY")


def test_money_of_parses_text():
    assert Money.of("1234.50", "CNY").amount == D("1234.50")
    assert Money.of(" 7 ", "JPY").amount == D(7)
    assert parse_decimal("x", "-0.01") == D("-0.01")
    with pytest.raises(PayInputError, match="not a decimal"):
        Money.of("12,50", "CNY")
    with pytest.raises(PayInputError, match="finite"):
        Money.of("NaN", "CNY")


def test_equal_amounts_are_equal_whatever_their_exponent():
    assert Money.of("12.3", "CNY") == Money.of("12.30", "CNY")
    assert hash(Money.of("12.3", "CNY")) == hash(Money.of("12.30", "CNY"))
    assert Money.of("12.3", "CNY") != Money.of("12.3", "HKD")


def test_arithmetic_is_exact_beyond_the_default_context():
    big = Money(D("1e30"), "CNY")
    cent = Money.of("0.01", "CNY")
    total = big + cent
    assert total.amount == D("1000000000000000000000000000000.01")
    assert (total - big) == cent
    assert (-cent).amount == D("-0.01")
    # The default 28-digit context would have lost the cent.
    assert D("1e30") + D("0.01") == D("1e30")


def test_arithmetic_that_cannot_be_exact_is_refused():
    with pytest.raises(PayInputError, match="significant digits"):
        Money.of("1" * 40, "CNY").times(D("1." + "1" * 30))
    with pytest.raises(PayInputError, match="significant digits"):
        exact_product(D("1" * 31), D("1" * 31))


def test_arithmetic_needs_one_currency():
    with pytest.raises(PayInputError, match="cannot combine CNY with HKD") as caught:
        Money.of("1", "CNY") + Money.of("1", "HKD")
    assert caught.value.input_name == "currency"
    with pytest.raises(PayInputError, match="cannot combine"):
        sum_money([Money.of("1", "CNY"), Money.of("1", "USD")], "CNY")


def test_times_is_exact_and_unrounded():
    raw = Money.of("2345.67", "CNY").times(D("0.8735"))
    assert raw.amount == D("2048.942745")
    assert not raw.is_rounded
    assert raw.rounded() == Money.of("2048.94", "CNY")
    assert raw.rounded().is_rounded


def test_sum_money_and_zero():
    assert sum_money([], "CNY") == Money.zero("CNY")
    assert str(Money.zero("CNY").amount) == "0.00"
    assert str(Money.zero("JPY").amount) == "0"
    items = [Money.of("0.10", "CNY"), Money.of("0.20", "CNY")]
    assert sum_money(items, "CNY") == Money.of("0.30", "CNY")
    assert str(Money.of("0.30", "CNY")) == "0.30 CNY"


amounts = st.decimals(
    min_value=D("-1e9"), max_value=D("1e9"), allow_nan=False, allow_infinity=False, places=6
)


@given(amounts, st.sampled_from(sorted(MINOR_UNITS)))
def test_rounding_is_symmetric_idempotent_and_within_half_a_unit(amount, currency):
    rounded = round_money(amount, currency)
    assert round_money(-amount, currency) == -rounded
    assert round_money(rounded, currency) == rounded
    assert abs(rounded - amount) <= quantum(currency) / 2
    assert rounded.as_tuple().exponent == -minor_unit(currency)
