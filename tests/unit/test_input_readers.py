"""The one reader of each kind of request value: decimal text by its field's digits, dates
by the shared calendar window, years, and the scoring parameters and tiers built on them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from google.type import date_pb2

from ccperf.appraisal.v1 import appraisal_pb2 as apb
from services.appraisal.grpc_api import read_scoring
from services.common.errors import Violations
from services.common.protoconv import (
    COEFFICIENT,
    KPI_VALUE,
    MONEY,
    POINTS,
    RATE,
    Digits,
    read_date,
    read_decimal,
    read_year,
)
from services.payroll_bridge.domain.caps import MAX_TIER, MIN_TIER, require_tier
from services.payroll_bridge.domain.errors import PayInputError


def problems(v: Violations) -> dict[str, str]:
    return {x.field: x.description for x in v}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2800", "2800"), ("-0.01", "-0.01"), ("+5", "5"), ("0030.50", "30.50"), (".5", "0.5"),
     ("5.", "5"), ("99999999999999.99", "99999999999999.99"), ("3000.10000", "3000.10000")],
)  # fmt: skip
def test_plain_ascii_decimal_text_is_read_exactly(text: str, expected: str) -> None:
    v = Violations()
    assert read_decimal(text, "amount", v, digits=MONEY) == Decimal(expected)
    assert not v


# Python's Decimal reads all of these; "٢٨٠٠" and "2_800" were stored as 2800.
@pytest.mark.parametrize(
    "text",
    ["\u0662\u0668\u0660\u0660", "２８００", "2_800", "1e3", "1E+999999", "1e999999999", " 5",
     "5 ", "NaN", "Infinity", "-inf", "0x10", "--1", "1/2", "1.2.3", ".", "-", "+", "1,000"],
)  # fmt: skip
def test_anything_but_ascii_digits_sign_and_point_is_refused(text: str) -> None:
    v = Violations()
    assert read_decimal(text, "rows[0].amount.amount", v, digits=MONEY) is None
    assert "is not a decimal number" in problems(v)["rows[0].amount.amount"]


@pytest.mark.parametrize(
    ("digits", "fits", "too_many"),
    [
        (MONEY, "99999999999999.99", ["100000000000000", "1.001", "9" * 400]),
        (RATE, "9999.000001", ["10000", "0.0000001"]),
        (COEFFICIENT, "1.234567", ["12345", "1.2345678"]),
        (POINTS, "99999.9999", ["100000", "87.12345"]),
        (KPI_VALUE, "999999999999.999999", ["1" + "0" * 12, "0.0000001"]),
    ],
)
def test_each_kind_of_decimal_has_its_precision_and_scale(
    digits: Digits, fits: str, too_many: list[str]
) -> None:
    v = Violations()
    assert read_decimal(fits, "x", v, digits=digits) == Decimal(fits)
    for text in too_many:
        assert read_decimal(text, "x", v, digits=digits) is None
    assert len(list(v)) == len(too_many)
    assert all("too many digits" in x.description or "longer than" in x.description for x in v)


def date_msg(year: int, month: int, day: int) -> date_pb2.Date:
    return date_pb2.Date(year=year, month=month, day=day)


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(2026, 13, 1), (2026, 2, 30), (2026, 0, 1), (2026, 1, 0), (-1, 1, 1), (10000, 1, 1),
     (2026, 0, 0), (0, 1, 1)],
)  # fmt: skip
def test_an_impossible_date_is_refused(year: int, month: int, day: int) -> None:
    v = Violations()
    assert read_date(date_msg(year, month, day), "effective_to", v, required=False) is None
    assert "is not a valid date" in problems(v)["effective_to"]


@pytest.mark.parametrize(("year", "month", "day"), [(1, 1, 1), (9999, 12, 31), (1969, 12, 31),
                                                     (2201, 1, 1)])  # fmt: skip
def test_a_date_outside_the_calendar_window_is_refused(year: int, month: int, day: int) -> None:
    v = Violations()
    assert read_date(date_msg(year, month, day), "hire_date", v, required=True) is None
    assert "is outside 1970-01-01 to 2200-12-31" in problems(v)["hire_date"]


def test_the_calendar_windows_first_and_last_days_are_read() -> None:
    v = Violations()
    assert read_date(date_msg(1970, 1, 1), "d", v, required=True) == dt.date(1970, 1, 1)
    assert read_date(date_msg(2200, 12, 31), "d", v, required=True) == dt.date(2200, 12, 31)
    assert read_date(date_pb2.Date(), "d", v, required=False) is None
    assert not v
    read_year(1970, "year", v)
    read_year(2200, "year", v)
    assert not v
    read_year(1969, "year", v)
    read_year(10000, "year", v)
    assert len(list(v)) == 2


# SetTargets stored a cap of 1e999999999 or a 400-digit number: the engine reads any
# Decimal text (it also reads stored JSON), so the edge reads it first.
@pytest.mark.parametrize("cap", ["1e999999999", "9" * 400, "2_800", "\u0662"])
def test_a_scoring_parameter_is_read_as_strictly_as_any_decimal(cap: str) -> None:
    v = Violations()
    scoring = apb.Scoring(ratio_to_target=apb.RatioToTarget(cap=cap))
    assert read_scoring(scoring, "items[0]", v) is None
    assert list(problems(v)) == ["items[0].scoring.cap"]


def test_nested_scoring_decimals_are_named_by_their_path() -> None:
    v = Violations()
    bands = apb.StepBands(bands=[apb.StepBand(threshold="1", fraction="1"),
                                 apb.StepBand(threshold="1e3", fraction="0.5")])  # fmt: skip
    assert read_scoring(apb.Scoring(step_bands=bands), "items[2]", v) is None
    assert list(problems(v)) == ["items[2].scoring.bands[1].threshold"]
    fine = apb.Scoring(ratio_to_target=apb.RatioToTarget(cap="1.2"))
    assert read_scoring(fine, "items[0]", Violations()) is not None


@pytest.mark.parametrize("tier", [-5, 0, 100, 2**31 - 1, -(2**31)])
def test_a_tier_outside_one_to_ninety_nine_is_refused(tier: int) -> None:
    with pytest.raises(PayInputError) as refused:
        require_tier("assignments[0].tier", tier)
    assert refused.value.violations[0].field == "assignments[0].tier"
    assert require_tier("tier", MIN_TIER) == 1
    assert require_tier("tier", MAX_TIER) == 99
