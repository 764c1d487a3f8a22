from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.appraisal.domain.results import Grade
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money, round_money
from services.payroll_bridge.domain.year_end import (
    BonusCoefficientSource,
    NoBonusCoefficient,
    YearEndOutcome,
    YearEndParameters,
    year_end_bonus,
)

D = Decimal


def cny(text: str) -> Money:
    return Money.of(text, "CNY")


NINE_TENTHS = D("0.9")

PARAMS = YearEndParameters(
    year=2024,
    completion_rate=D("1.05"),
    bonus_coefficient_by_grade={"G1": D(2), "G2": D("2.5")},
    bonus_coefficient_by_position={"team_lead": D(3)},
    currency="CNY",
)


def bonus(
    *, position="agent", grade="G1", annual_grade=Grade.B, coefficient=NINE_TENTHS, base="5000"
):
    return year_end_bonus(
        PARAMS,
        position=position,
        grade=grade,
        annual_grade=annual_grade,
        annual_coefficient=coefficient,
        base_pay=cny(base),
    )


def test_completion_rate_times_coefficients_times_base_pay():
    line = bonus()
    # 1.05 × 0.9 × 2 × 5000
    assert line.amount == cny("9450.00")
    assert line.paid
    assert line.outcome is YearEndOutcome.PAID
    assert line.bonus_coefficient == D(2)
    assert line.bonus_coefficient_source is BonusCoefficientSource.GRADE
    assert (line.completion_rate, line.annual_coefficient) == (D("1.05"), D("0.9"))
    assert line.base_pay == cny("5000")
    assert line.reason == (
        "completion rate 1.05 × annual coefficient 0.9 × bonus coefficient 2 (grade G1)"
        " × base pay 5000 CNY"
    )


def test_a_position_coefficient_wins_over_the_grade():
    line = bonus(position="team_lead")
    # 1.05 × 0.9 × 3 × 5000
    assert line.amount == cny("14175.00")
    assert line.bonus_coefficient_source is BonusCoefficientSource.POSITION
    assert PARAMS.bonus_coefficient(position="team_lead", grade="G9") == (
        D(3),
        BonusCoefficientSource.POSITION,
    )


def test_the_product_is_rounded_once():
    params = YearEndParameters(2024, D("0.987"), {"G1": D("1.5")}, {}, "CNY")
    line = year_end_bonus(
        params,
        position="agent",
        grade="G1",
        annual_grade=Grade.C,
        annual_coefficient=D("0.8735"),
        base_pay=cny("4321.09"),
    )
    assert line.raw_amount == cny("5588.1059662575")
    assert line.amount == cny("5588.11")


def test_grade_e_gets_nothing_with_the_reason():
    line = bonus(annual_grade=Grade.E)
    assert not line.paid
    assert line.outcome is YearEndOutcome.GRADE_E
    assert line.amount == line.raw_amount == cny("0")
    assert str(line.amount.amount) == "0.00"
    assert "grade E" in line.reason
    assert line.bonus_coefficient is None
    assert line.bonus_coefficient_source is None
    assert line.annual_coefficient == D("0.9")


def test_grade_e_comes_before_a_missing_coefficient_or_configuration():
    assert bonus(annual_grade=Grade.E, coefficient=None).outcome is YearEndOutcome.GRADE_E
    assert bonus(annual_grade=Grade.E, grade="G9").outcome is YearEndOutcome.GRADE_E


def test_no_annual_coefficient_means_no_bonus_with_the_reason():
    line = bonus(annual_grade=None, coefficient=None)
    assert line.outcome is YearEndOutcome.NO_ANNUAL_COEFFICIENT
    assert line.amount == cny("0")
    assert "no annual performance coefficient for 2024" in line.reason


def test_a_grade_without_coefficient_is_a_configuration_gap():
    with pytest.raises(NoBonusCoefficient, match="position 'agent' or grade 'G9'") as caught:
        bonus(grade="G9")
    assert caught.value.input_name == "bonus_coefficient"


def test_a_zero_coefficient_pays_zero_but_is_paid():
    line = bonus(coefficient=D(0))
    assert line.paid
    assert line.amount == cny("0")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"completion_rate": 1.05}, "completion_rate"),
        ({"completion_rate": D("-0.1")}, "completion_rate"),
        ({"bonus_coefficient_by_grade": {"G1": 2.0}}, "bonus_coefficient_by_grade[G1]"),
        ({"bonus_coefficient_by_position": {"x": D(-1)}}, "bonus_coefficient_by_position[x]"),
        ({"bonus_coefficient_by_grade": {"": D(1)}}, "bonus_coefficient_by_grade"),
        ({"bonus_coefficient_by_grade": [("G1", D(1))]}, "bonus_coefficient_by_grade"),
        ({"currency": "RMB"}, "currency"),
        ({"year": "2024"}, "year"),
    ],
)
def test_parameters_check_themselves(kwargs, field):
    fields = {
        "year": 2024,
        "completion_rate": D(1),
        "bonus_coefficient_by_grade": {},
        "bonus_coefficient_by_position": {},
        "currency": "CNY",
    }
    with pytest.raises(PayInputError) as caught:
        YearEndParameters(**(fields | kwargs))
    assert caught.value.input_name == field


def test_parameters_are_frozen_copies():
    source = {"G1": D(2)}
    params = YearEndParameters(2024, D(1), source, {}, "CNY")
    source["G1"] = D(9)
    assert params.bonus_coefficient_by_grade["G1"] == D(2)
    with pytest.raises(TypeError):
        params.bonus_coefficient_by_grade["G1"] = D(3)  # type: ignore[index]


def test_bad_employee_inputs_are_refused():
    with pytest.raises(PayInputError, match="differs from the year's currency CNY"):
        year_end_bonus(
            PARAMS,
            position="agent",
            grade="G1",
            annual_grade=Grade.B,
            annual_coefficient=D(1),
            base_pay=Money.of("5000", "HKD"),
        )
    with pytest.raises(PayInputError, match="negative"):
        bonus(base="-1")
    with pytest.raises(PayInputError, match="float"):
        bonus(coefficient=0.9)
    with pytest.raises(PayInputError) as caught:
        bonus(annual_grade="B")
    assert caught.value.input_name == "annual_grade"


@given(
    st.decimals(min_value=0, max_value=2, places=4),
    st.decimals(min_value=0, max_value=2, places=4),
    st.decimals(min_value=0, max_value=100000, places=2),
    st.sampled_from([Grade.A, Grade.B, Grade.C, Grade.D, Grade.E]),
)
def test_the_bonus_is_the_rounded_product_except_for_e(coefficient, rate, base, grade):
    params = YearEndParameters(2024, rate, {"G1": D("1.5")}, {}, "CNY")
    line = year_end_bonus(
        params,
        position="agent",
        grade="G1",
        annual_grade=grade,
        annual_coefficient=coefficient,
        base_pay=Money(base, "CNY"),
    )
    if grade is Grade.E:
        assert line.amount.is_zero
    else:
        assert line.amount.amount == round_money(rate * coefficient * D("1.5") * base, "CNY")
