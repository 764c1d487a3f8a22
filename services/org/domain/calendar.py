"""The center's working-day calendar (DOMAIN.md §4.2).

Deadlines in the appraisal cycle count working days, not weekdays: data is
due by the 3rd working day of the next month, an appeal within 5 working days
of the result, and leave counts against the working days of a month. Working
days follow the calendar the center maintains: Monday–Friday by default,
minus public holidays, plus make-up working days (调休) that fall on weekends.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = ["WorkCalendar"]

_SATURDAY = 5


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Which days are working days at the center.

    A holiday is never a working day and a make-up day always is, whatever the
    weekday. A date in both sets is contradictory data and is rejected.
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Accept any iterable at runtime (e.g. a set from a repository) but keep
        # the value immutable so the calendar can be shared and hashed.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "makeup_workdays", frozenset(self.makeup_workdays))
        clash = self.holidays & self.makeup_workdays
        if clash:
            days = ", ".join(d.isoformat() for d in sorted(clash))
            raise ValueError(f"dates cannot be both a holiday and a make-up working day: {days}")

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.makeup_workdays:
            return True
        return day.weekday() < _SATURDAY

    def working_days(self, start: date, end: date) -> list[date]:
        """Working days from `start` to `end`, both inclusive; empty if end < start."""
        span = (end - start).days + 1
        days = (start + timedelta(days=i) for i in range(max(span, 0)))
        return [d for d in days if self.is_working_day(d)]

    def count_working_days(self, start: date, end: date) -> int:
        """Number of working days from `start` to `end` inclusive; 0 if end < start."""
        return len(self.working_days(start, end))

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The n-th working day strictly after `day` (n >= 1).

        "Within 5 working days of the result" ends on
        `nth_working_day_after(result_day, 5)`; "by the 3rd working day of next
        month" is `nth_working_day_after(last_day_of_month, 3)`.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        found = 0
        while found < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                found += 1
        return day

    def nth_working_day_of_month(self, year: int, month: int, n: int) -> date:
        """The n-th working day (n >= 1) of the given month."""
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        last = _stdlib_calendar.monthrange(year, month)[1]
        days = self.working_days(date(year, month, 1), date(year, month, last))
        if n > len(days):
            raise ValueError(f"{year:04d}-{month:02d} has only {len(days)} working days, not {n}")
        return days[n - 1]
