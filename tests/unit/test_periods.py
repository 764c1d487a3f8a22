from datetime import date

import pytest
from google.type import date_pb2
from hypothesis import given
from hypothesis import strategies as st

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import events_pb2
from services.common.errors import InvalidArgument, Violations
from services.common.periods import Granularity, Period
from services.common.protoconv import read_period
from services.metrics.event_rows import caller_hasher, event_to_row


@pytest.mark.parametrize(
    ("text", "granularity", "start", "end"),
    [
        ("2026-10-07", Granularity.DAY, date(2026, 10, 7), date(2026, 10, 7)),
        ("2026-10", Granularity.MONTH, date(2026, 10, 1), date(2026, 10, 31)),
        ("2026-02", Granularity.MONTH, date(2026, 2, 1), date(2026, 2, 28)),
        ("2028-02", Granularity.MONTH, date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-Q4", Granularity.QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-Q1", Granularity.QUARTER, date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", Granularity.QUARTER, date(2026, 4, 1), date(2026, 6, 30)),
        ("2026", Granularity.YEAR, date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_parse_gives_granularity_start_and_inclusive_end(text, granularity, start, end):
    period = Period.parse(text)
    assert period.granularity is granularity
    assert period.start == start
    assert period.end == end


@pytest.mark.parametrize("text", ["2026-10-07", "2026-10", "2026-Q4", "2026", "0001", "9999-Q4"])
def test_str_round_trips_canonical_text(text):
    assert str(Period.parse(text)) == text


def test_lowercase_quarter_is_accepted_and_formatted_uppercase():
    assert Period.parse("2026-q3") == Period.parse("2026-Q3")
    assert str(Period.parse("2026-q3")) == "2026-Q3"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "expected"),
        ("2026-13", "month"),
        ("2026-00", "month"),
        ("2026-02-30", "day is out of range"),
        ("2026-Q5", "expected"),
        ("2026-Q0", "expected"),
        ("26-10", "expected"),
        ("2026-1", "expected"),
        ("2026/10", "expected"),
        (" 2026-10", "expected"),
        ("2026-10 ", "expected"),
        ("0000", "year 0 is out of range"),
        ("２０２６", "expected"),  # full-width digits are not accepted
        ("2026-W40", "expected"),
    ],
)
def test_parse_rejects_bad_text_with_a_clear_message(text, fragment):
    with pytest.raises(ValueError, match="invalid period") as info:
        Period.parse(text)
    assert repr(text) in str(info.value)
    assert fragment in str(info.value)


def test_constructor_rejects_a_start_that_is_not_the_first_day():
    with pytest.raises(ValueError, match="not the first day of a quarter"):
        Period(Granularity.QUARTER, date(2026, 11, 1))
    with pytest.raises(ValueError, match="not the first day of a month"):
        Period(Granularity.MONTH, date(2026, 11, 2))


def test_month_constructor_validates_month():
    assert Period.month(2026, 10) == Period.parse("2026-10")
    with pytest.raises(ValueError, match=r"1\.\.12"):
        Period.month(2026, 13)


@pytest.mark.parametrize(
    ("granularity", "expected"),
    [
        (Granularity.DAY, "2026-11-15"),
        (Granularity.MONTH, "2026-11"),
        (Granularity.QUARTER, "2026-Q4"),
        (Granularity.YEAR, "2026"),
    ],
)
def test_of_gives_the_period_containing_the_date(granularity, expected):
    assert str(Period.of(granularity, date(2026, 11, 15))) == expected


def test_months_of_each_granularity():
    assert [str(m) for m in Period.parse("2026-Q4").months()] == ["2026-10", "2026-11", "2026-12"]
    assert Period.parse("2026-10").months() == (Period.month(2026, 10),)
    assert Period.parse("2026-10-07").months() == (Period.month(2026, 10),)
    year = Period.parse("2026").months()
    assert len(year) == 12
    assert year[0] == Period.month(2026, 1)
    assert year[-1] == Period.month(2026, 12)


def test_days_lists_every_day_inclusive():
    days = list(Period.parse("2026-02").days())
    assert len(days) == 28
    assert days[0] == date(2026, 2, 1)
    assert days[-1] == date(2026, 2, 28)
    assert len(list(Period.parse("2026-Q4").days())) == 92
    assert list(Period.parse("9999-12-31").days()) == [date(9999, 12, 31)]


def test_contains_is_inclusive_at_both_ends():
    q4 = Period.parse("2026-Q4")
    assert q4.contains(date(2026, 10, 1))
    assert q4.contains(date(2026, 12, 31))
    assert not q4.contains(date(2026, 9, 30))
    assert not q4.contains(date(2027, 1, 1))


@pytest.mark.parametrize(
    ("text", "following", "preceding"),
    [
        ("2026-12-31", "2027-01-01", "2026-12-30"),
        ("2026-12", "2027-01", "2026-11"),
        ("2026-01", "2026-02", "2025-12"),
        ("2026-Q4", "2027-Q1", "2026-Q3"),
        ("2026-Q1", "2026-Q2", "2025-Q4"),
        ("2026", "2027", "2025"),
    ],
)
def test_next_and_previous(text, following, preceding):
    period = Period.parse(text)
    assert str(period.next()) == following
    assert str(period.previous()) == preceding


def test_navigation_past_the_supported_years_is_a_value_error():
    assert Period.parse("9999").end == date(9999, 12, 31)
    with pytest.raises(ValueError, match="within years"):
        Period.parse("9999-Q4").next()
    with pytest.raises(ValueError, match="within years"):
        Period.parse("0001-01-01").previous()


def test_periods_are_hashable_values():
    assert {Period.parse("2026-10"), Period.month(2026, 10)} == {Period.parse("2026-10")}


@given(st.dates(), st.sampled_from(list(Granularity)))
def test_of_contains_the_date_and_round_trips(day, granularity):
    period = Period.of(granularity, day)
    assert period.contains(day)
    assert Period.parse(str(period)) == period
    assert period.start <= day <= period.end


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1970", None), ("2200-Q4", None), ("2026-10-07", None),
        ("1969-12", "1969-12 is outside the years 1970–2200"),
        ("2201", "2201 is outside the years 1970–2200"),
        ("0001-01-01", "0001-01-01 is outside the years 1970–2200"),
        ("9999-12-31", "9999-12-31 is outside the years 1970–2200"),
    ],
)  # fmt: skip
def test_a_requested_period_stays_far_from_the_ends_of_the_calendar(text, problem):
    """Date arithmetic at years 1 and 9999 overflows (issue #7): requests are bounded."""
    violations = Violations()
    period = read_period(text, "period", violations)
    if problem is None:
        assert str(period) == text and not violations
    else:
        assert period is None
        with pytest.raises(InvalidArgument) as caught:
            violations.raise_if_any()
        assert [(v.field, v.description) for v in caught.value.violations] == [("period", problem)]


@pytest.mark.parametrize(
    ("field", "shown", "event"),
    [
        ("system_availability.day", "9999-12-31", events_pb2.Event(
            event_id="a", system_availability=events_pb2.SystemAvailability(
                kind=events_pb2.SYSTEM_KIND_LINES, system_id="pbx",
                day=date_pb2.Date(year=9999, month=12, day=31),
                scheduled_minutes=1440, downtime_minutes=0))),
        ("hr_fact.period", "0001-01", events_pb2.Event(
            event_id="h", hr_fact=events_pb2.HrFact(
                employee_id="E1", period=common_pb2.Period(value="0001-01")))),
    ],
)  # fmt: skip
def test_an_event_day_or_period_is_in_the_years_of_event_times(field, shown, event):
    _kind, _row, problems = event_to_row(event, caller_hasher(b"k"))
    expected = [(field, f"{shown} is outside the years 1970–2200")]
    assert [(p.field, p.reason) for p in problems] == expected
