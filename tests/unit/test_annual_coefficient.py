from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.appraisal.domain.annual import (
    DEFAULT_MIN_MONTHS,
    AnnualBasis,
    MonthlyResult,
    annual_coefficient,
)
from services.appraisal.domain.scoring import AppraisalInputError
from services.common.periods import Period

D = Decimal


def months(values: dict[str, str]) -> list[MonthlyResult]:
    return [MonthlyResult(Period.parse(p), D(c)) for p, c in values.items()]


def year_of(*coefficients: str, start: int = 1) -> list[MonthlyResult]:
    return [MonthlyResult(Period.month(2024, start + i), D(c)) for i, c in enumerate(coefficients)]


# -- the mean of the appraised months -----------------------------------------------


def test_a_full_year_gives_the_mean_of_its_twelve_months():
    result = annual_coefficient(2024, year_of(*["0.8"] * 6, *["0.9"] * 6))
    assert result.coefficient == D("0.8500")
    assert result.basis is AnnualBasis.MONTHLY_MEAN
    assert [str(p) for p in result.months_used] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert result.reason is None
    assert "mean of the 12 appraised months of 2024" in result.explanation


def test_the_mean_is_exact_then_rounded_once_half_up():
    # 0.7 + 0.8 × 4 + 0.80003 = 4.70003; / 6 = 0.7833383… → 0.7833
    result = annual_coefficient(2024, year_of("0.7", *["0.8"] * 4, "0.80003"))
    assert result.coefficient == D("0.7833")
    assert "4.70003 / 6 = 0.7833" in result.explanation
    # 0.12345 × 6 / 6 = 0.12345 → 0.1235 (half up)
    assert annual_coefficient(2024, year_of(*["0.12345"] * 6)).coefficient == D("0.1235")
    # 4 / 6 = 0.6666… → 0.6667
    result = annual_coefficient(2024, year_of("1", "1", "0", "1", "1", "0"))
    assert result.coefficient == D("0.6667")


def test_months_without_a_result_are_left_out_not_counted_as_zero():
    appraised = {"2024-12": "0.9", "2024-02": "0.6", "2024-05": "0.9"}
    appraised |= {"2024-07": "0.6", "2024-09": "0.9", "2024-11": "0.6"}
    result = annual_coefficient(2024, months(appraised))
    assert result.coefficient == D("0.7500")
    assert [str(p) for p in result.months_used] == sorted(appraised)
    assert "2024-02 0.6, 2024-05 0.9" in result.explanation


def test_coefficients_above_one_are_kept():
    assert annual_coefficient(2024, year_of(*["1.05"] * 6)).coefficient == D("1.0500")


# -- too few months -------------------------------------------------------------------


def test_fewer_than_six_months_give_no_coefficient_with_a_reason():
    assert DEFAULT_MIN_MONTHS == 6
    result = annual_coefficient(2024, year_of(*["0.9"] * 5))
    assert result.coefficient is None
    assert result.basis is AnnualBasis.NONE
    assert result.months_used == ()
    assert result.reason == result.explanation
    assert result.reason is not None
    assert "5 appraised months, fewer than the 6 needed" in result.reason


def test_exactly_six_months_are_enough():
    assert annual_coefficient(2024, year_of(*["0.9"] * 6)).coefficient == D("0.9000")


def test_a_year_without_months_has_no_coefficient():
    result = annual_coefficient(2024, [])
    assert result.coefficient is None
    assert "0 appraised months" in result.explanation


@pytest.mark.parametrize(("min_months", "has_coefficient"), [(1, True), (3, True), (4, False)])
def test_the_minimum_is_configurable(min_months, has_coefficient):
    result = annual_coefficient(2024, year_of("0.7", "0.8", "0.9"), min_months=min_months)
    assert (result.coefficient is not None) is has_coefficient
    if has_coefficient:
        assert result.coefficient == D("0.8000")


def test_one_month_reads_in_the_singular():
    result = annual_coefficient(2024, year_of("0.7"))
    assert "1 appraised month," in result.explanation


# -- an annual appraisal takes precedence ----------------------------------------------


def test_an_annual_result_takes_precedence_over_the_months():
    result = annual_coefficient(2024, year_of(*["0.6"] * 12), annual_result=D("0.87"))
    assert result.coefficient == D("0.8700")
    assert result.basis is AnnualBasis.ANNUAL_APPRAISAL
    assert result.months_used == ()
    assert result.reason is None
    assert "takes precedence over the 12 appraised months" in result.explanation


def test_an_annual_result_gives_a_coefficient_without_enough_months():
    result = annual_coefficient(2024, year_of("0.6"), annual_result=D("0.912345"))
    assert result.coefficient == D("0.9123")
    result = annual_coefficient(2024, [], annual_result=D(0))
    assert result.coefficient == D("0.0000")
    assert "no month was appraised" in result.explanation


def test_bad_months_are_refused_even_with_an_annual_result():
    with pytest.raises(AppraisalInputError) as err:
        annual_coefficient(2024, months({"2023-12": "0.8"}), annual_result=D("0.9"))
    assert err.value.input_name == "monthly[0].period"


# -- refused input ----------------------------------------------------------------------


def one(period: str, coefficient: Decimal) -> list[MonthlyResult]:
    return [MonthlyResult(Period.parse(period), coefficient)]


@pytest.mark.parametrize(
    ("monthly", "field", "words"),
    [
        (one("2023-12", D("0.8")), "monthly[0].period", "not in 2024"),
        (one("2025-01", D("0.8")), "monthly[0].period", "not in 2024"),
        (one("2024-Q1", D("0.8")), "monthly[0].period", "not a month"),
        (one("2024", D("0.8")), "monthly[0].period", "not a month"),
        (one("2024-03-01", D("0.8")), "monthly[0].period", "not a month"),
        (
            months({"2024-03": "0.8", "2024-04": "0.8"}) + one("2024-03", D("0.7")),
            "monthly[2].period",
            "more than once",
        ),
        (one("2024-03", D("-0.01")), "monthly[0].coefficient", "negative"),
        (one("2024-03", D("NaN")), "monthly[0].coefficient", "finite"),
        (one("2024-03", D("-Infinity")), "monthly[0].coefficient", "finite"),
        (one("2024-03", 0.8), "monthly[0].coefficient", "Decimal"),  # type: ignore[arg-type]
    ],
)
def test_bad_months_are_refused_naming_the_field(monthly, field, words):
    with pytest.raises(AppraisalInputError) as err:
        annual_coefficient(2024, monthly)
    assert err.value.input_name == field
    assert words in err.value.message


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"annual_result": D("-0.1")}, "annual_result"),
        ({"annual_result": D("Infinity")}, "annual_result"),
        ({"min_months": 0}, "min_months"),
        ({"min_months": 13}, "min_months"),
        ({"year": 0}, "year"),
        ({"year": 10000}, "year"),
    ],
)
def test_bad_arguments_are_refused_naming_them(kwargs, field):
    arguments = {"year": 2024, "monthly": year_of("0.8")} | kwargs
    with pytest.raises(AppraisalInputError) as err:
        annual_coefficient(**arguments)
    assert err.value.input_name == field


# -- properties ---------------------------------------------------------------------------

coefficients = st.decimals(min_value=0, max_value=D("1.2"), places=4)


@given(
    st.dictionaries(st.integers(min_value=1, max_value=12), coefficients, max_size=12),
    st.integers(min_value=1, max_value=12),
    st.randoms(use_true_random=False),
)
def test_the_mean_stays_between_the_months_and_ignores_their_order(values, min_months, rng):
    monthly = [MonthlyResult(Period.month(2024, m), c) for m, c in values.items()]
    result = annual_coefficient(2024, monthly, min_months=min_months)
    shuffled = list(monthly)
    rng.shuffle(shuffled)
    assert annual_coefficient(2024, shuffled, min_months=min_months) == result
    if len(values) < min_months:
        assert result.coefficient is None
        return
    assert result.coefficient is not None
    assert min(values.values()) <= result.coefficient <= max(values.values())
    assert abs(result.coefficient - sum(values.values()) / len(values)) <= D("0.00005")
    assert [p.start.month for p in result.months_used] == sorted(values)
