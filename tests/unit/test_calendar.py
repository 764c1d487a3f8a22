from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.org.domain.calendar import WorkCalendar

# National Day week as test data (not necessarily the official calendar):
# Thu 1 Oct .. Wed 7 Oct off; Sunday 27 Sep and Saturday 10 Oct are worked (调休).
NATIONAL_DAY = frozenset(date(2026, 10, d) for d in range(1, 8))
MAKEUP = frozenset({date(2026, 9, 27), date(2026, 10, 10)})
CENTER = WorkCalendar(holidays=NATIONAL_DAY, makeup_workdays=MAKEUP)
PLAIN = WorkCalendar()


def test_default_calendar_is_monday_to_friday():
    assert PLAIN.is_working_day(date(2026, 10, 9))  # Friday
    assert not PLAIN.is_working_day(date(2026, 10, 10))  # Saturday
    assert not PLAIN.is_working_day(date(2026, 10, 11))  # Sunday
    assert PLAIN.is_working_day(date(2026, 10, 12))  # Monday


def test_holiday_on_a_weekday_is_not_a_working_day():
    assert not CENTER.is_working_day(date(2026, 10, 1))  # Thursday
    assert not CENTER.is_working_day(date(2026, 10, 7))  # Wednesday
    assert CENTER.is_working_day(date(2026, 10, 8))  # Thursday after the holiday


def test_makeup_day_on_a_weekend_is_a_working_day():
    assert CENTER.is_working_day(date(2026, 9, 27))  # Sunday
    assert CENTER.is_working_day(date(2026, 10, 10))  # Saturday
    assert not CENTER.is_working_day(date(2026, 10, 11))  # ordinary Sunday


def test_a_date_both_holiday_and_makeup_is_rejected():
    with pytest.raises(ValueError, match="2026-10-01"):
        WorkCalendar(holidays=frozenset({date(2026, 10, 1)}), makeup_workdays=NATIONAL_DAY)


def test_holidays_and_makeup_days_change_the_month_count():
    october = (date(2026, 10, 1), date(2026, 10, 31))
    assert PLAIN.count_working_days(*october) == 22
    # 22 weekdays - 5 weekday holidays (1, 2, 5, 6, 7 Oct) + Saturday 10 Oct
    assert CENTER.count_working_days(*october) == 18
    # 22 weekdays + Sunday 27 Sep
    assert CENTER.count_working_days(date(2026, 9, 1), date(2026, 9, 30)) == 23


def test_working_days_lists_the_days_inclusive():
    days = CENTER.working_days(date(2026, 9, 26), date(2026, 10, 10))
    assert days == [
        date(2026, 9, 27),
        date(2026, 9, 28),
        date(2026, 9, 29),
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
    ]


def test_working_days_of_a_reversed_range_is_empty():
    assert CENTER.working_days(date(2026, 10, 9), date(2026, 10, 8)) == []
    assert CENTER.count_working_days(date(2026, 10, 9), date(2026, 10, 8)) == 0


def test_data_due_on_third_working_day_of_next_month_skips_the_holiday_week():
    # Thu 8 Oct, Fri 9 Oct, then the make-up Saturday 10 Oct.
    assert CENTER.nth_working_day_after(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert PLAIN.nth_working_day_after(date(2026, 9, 30), 3) == date(2026, 10, 5)


def test_appeal_window_of_five_working_days():
    # Result received Tue 29 Sep: 30 Sep, 8, 9, 10 (make-up Sat), 12 Oct.
    assert CENTER.nth_working_day_after(date(2026, 9, 29), 5) == date(2026, 10, 12)


def test_nth_working_day_after_does_not_count_the_start_day():
    assert CENTER.nth_working_day_after(date(2026, 10, 8), 1) == date(2026, 10, 9)
    assert CENTER.nth_working_day_after(date(2026, 9, 25), 1) == date(2026, 9, 27)


@pytest.mark.parametrize("n", [0, -1])
def test_nth_working_day_after_requires_n_at_least_one(n):
    with pytest.raises(ValueError, match="at least 1"):
        CENTER.nth_working_day_after(date(2026, 10, 1), n)


def test_nth_working_day_of_month():
    assert PLAIN.nth_working_day_of_month(2026, 10, 1) == date(2026, 10, 1)
    assert CENTER.nth_working_day_of_month(2026, 10, 1) == date(2026, 10, 8)
    assert CENTER.nth_working_day_of_month(2026, 10, 3) == date(2026, 10, 10)
    assert CENTER.nth_working_day_of_month(2026, 10, 18) == date(2026, 10, 30)


def test_nth_working_day_of_month_beyond_the_month_is_an_error():
    with pytest.raises(ValueError, match="only 18 working days"):
        CENTER.nth_working_day_of_month(2026, 10, 19)
    with pytest.raises(ValueError, match="at least 1"):
        CENTER.nth_working_day_of_month(2026, 10, 0)


_BASE = date(2026, 1, 1)
_day_in_2026 = st.integers(0, 364).map(lambda i: _BASE + timedelta(days=i))


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    holidays = draw(st.frozensets(_day_in_2026, max_size=60))
    makeup = draw(st.frozensets(_day_in_2026, max_size=20)) - holidays
    return WorkCalendar(holidays=holidays, makeup_workdays=makeup)


@given(calendars(), _day_in_2026, st.integers(1, 40))
def test_nth_working_day_after_lands_on_a_working_day_n_working_days_later(calendar, day, n):
    result = calendar.nth_working_day_after(day, n)
    assert result > day
    assert calendar.is_working_day(result)
    assert calendar.count_working_days(day + timedelta(days=1), result) == n


@given(calendars(), _day_in_2026, _day_in_2026, _day_in_2026)
def test_working_day_counts_add_up_over_adjacent_ranges(calendar, a, b, c):
    start, middle, end = sorted((a, b, c))
    whole = calendar.count_working_days(start, end)
    split = calendar.count_working_days(start, middle) + calendar.count_working_days(
        middle + timedelta(days=1), end
    )
    assert whole == split
