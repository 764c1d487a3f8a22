"""Calendar periods that KPIs, appraisals and pay are measured over.

A period is named the way people in the center write it ("2026-10" for the
October appraisal, "2026-Q4", "2026" for the year-end grade), so the same text
travels through protos, CSV exports and the database unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import MAXYEAR, UTC, date, datetime, timedelta
from enum import StrEnum

__all__ = ["EARLIEST_TIME", "FIRST_YEAR", "LAST_YEAR", "LATEST_TIME", "Granularity", "Period"]

FIRST_YEAR, LAST_YEAR = 1970, 2200
"""The calendar ccperf accepts, for every date, time and period it is sent (RPCs,
importers, period text). 1970 is queue_log's epoch and earlier than any contact-center
record; 2200 is a sane future bound, far from year 9999 where date arithmetic overflows."""

EARLIEST_TIME = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
LATEST_TIME = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)
"""Event times lie in [EARLIEST_TIME, LATEST_TIME): the years FIRST_YEAR to LAST_YEAR."""


class Granularity(StrEnum):
    """How long a period is; the value is what APIs and storage carry."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


# ASCII digits only: \d would also accept other scripts' digits.
_DAY_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER_RE = re.compile(r"([0-9]{4})-[Qq]([1-4])")
_YEAR_RE = re.compile(r"([0-9]{4})")

_FORMS = '"YYYY-MM-DD", "YYYY-MM", "YYYY-Qn" or "YYYY"'


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _months_in(granularity: Granularity) -> int:
    return {Granularity.MONTH: 1, Granularity.QUARTER: 3, Granularity.YEAR: 12}[granularity]


@dataclass(frozen=True, slots=True)
class Period:
    """A whole day, month, quarter or year, identified by its first day.

    Construct with `parse`, `month` or `of`; the constructor rejects a start
    that is not the first day of its period so equal periods compare equal.
    """

    granularity: Granularity
    start: date

    def __post_init__(self) -> None:
        g, s = self.granularity, self.start
        aligned = (
            g is Granularity.DAY
            or (g is Granularity.MONTH and s.day == 1)
            or (g is Granularity.QUARTER and s.day == 1 and s.month % 3 == 1)
            or (g is Granularity.YEAR and s.day == 1 and s.month == 1)
        )
        if not aligned:
            raise ValueError(f"{s.isoformat()} is not the first day of a {g}")

    # -- construction -----------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read the canonical text form; quarters also accept a lowercase "q"."""
        try:
            if m := _DAY_RE.fullmatch(text):
                return cls(Granularity.DAY, date(int(m[1]), int(m[2]), int(m[3])))
            if m := _MONTH_RE.fullmatch(text):
                return cls.month(int(m[1]), int(m[2]))
            if m := _QUARTER_RE.fullmatch(text):
                first_month = (int(m[2]) - 1) * 3 + 1
                return cls(Granularity.QUARTER, date(int(m[1]), first_month, 1))
            if m := _YEAR_RE.fullmatch(text):
                return cls(Granularity.YEAR, date(int(m[1]), 1, 1))
        except ValueError as exc:
            raise ValueError(f"invalid period {text!r}: {exc}") from None
        raise ValueError(f"invalid period {text!r}: expected {_FORMS}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValueError(f"month must be in 1..12, got {month}")
        return cls(Granularity.MONTH, date(year, month, 1))

    @classmethod
    def of(cls, granularity: Granularity, day: date) -> Period:
        """The period of `granularity` that contains `day`."""
        granularity = Granularity(granularity)
        if granularity is Granularity.DAY:
            return cls(granularity, day)
        if granularity is Granularity.MONTH:
            return cls(granularity, day.replace(day=1))
        if granularity is Granularity.QUARTER:
            return cls(granularity, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
        return cls(granularity, date(day.year, 1, 1))

    # -- shape ------------------------------------------------------------

    @property
    def end(self) -> date:
        """The last day, inclusive (appraisal rules speak of "the last day")."""
        if self.granularity is Granularity.DAY:
            return self.start
        y, m = _add_months(self.start.year, self.start.month, _months_in(self.granularity))
        if y > MAXYEAR:
            return date(MAXYEAR, 12, 31)
        return date(y, m, 1) - timedelta(days=1)

    def __str__(self) -> str:
        s = self.start
        if self.granularity is Granularity.DAY:
            return f"{s.year:04d}-{s.month:02d}-{s.day:02d}"
        if self.granularity is Granularity.MONTH:
            return f"{s.year:04d}-{s.month:02d}"
        if self.granularity is Granularity.QUARTER:
            return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
        return f"{s.year:04d}"

    def months(self) -> tuple[Period, ...]:
        """The calendar months this period covers, in order.

        A day period yields the one month containing it, so month-based rules
        (leave per month, eligibility) can treat every period alike.
        """
        if self.granularity is Granularity.DAY:
            return (Period.of(Granularity.MONTH, self.start),)
        y, m = self.start.year, self.start.month
        return tuple(
            Period.month(*_add_months(y, m, i)) for i in range(_months_in(self.granularity))
        )

    def days(self) -> Iterator[date]:
        """Every day of the period, first to last."""
        for offset in range((self.end - self.start).days + 1):
            yield self.start + timedelta(days=offset)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    # -- navigation -------------------------------------------------------

    def next(self) -> Period:
        return self._shifted(1)

    def previous(self) -> Period:
        return self._shifted(-1)

    def _shifted(self, steps: int) -> Period:
        try:
            if self.granularity is Granularity.DAY:
                return Period(self.granularity, self.start + timedelta(days=steps))
            y, m = _add_months(
                self.start.year, self.start.month, steps * _months_in(self.granularity)
            )
            return Period(self.granularity, date(y, m, 1))
        except (ValueError, OverflowError):
            raise ValueError(f"no period {steps:+d} from {self} within years 1..9999") from None
