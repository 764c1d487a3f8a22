"""Conversions between protobuf fields and Python values at the gRPC edge.

Each reader validates as it converts and records a field violation (with the
field's path) instead of raising, so a request reports every problem at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from google.protobuf import timestamp_pb2
from google.type import date_pb2

from services.common.errors import Violations
from services.common.periods import FIRST_YEAR, LAST_YEAR, Period

E = TypeVar("E", bound=StrEnum)

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_text(
    value: str, field: str, violations: Violations, *, required: bool = True, max_length: int = 200
) -> str:
    """A text field: required or not, bounded, and free of control characters."""
    if not value.strip():
        if required:
            violations.add(field, "is required")
        return value
    if len(value) > max_length:
        violations.add(field, f"is longer than {max_length} characters")
    elif CONTROL_CHARACTERS.search(value):
        violations.add(field, "contains control characters")
    return value


def read_key(value: str, field: str, violations: Violations, *, required: bool = True) -> str:
    """An upstream key (employee number, unit code): at most 64 characters, no padding."""
    read_text(value, field, violations, required=required, max_length=64)
    if value and value != value.strip():
        violations.add(field, "has leading or trailing spaces")
    return value


EARLIEST_DATE = dt.date(FIRST_YEAR, 1, 1)
LATEST_DATE = dt.date(LAST_YEAR, 12, 31)
"""Every date a request may carry lies in these bounds unless its field is narrower
(``periods.FIRST_YEAR``..``LAST_YEAR``: the calendar every date, time and period shares)."""


def read_date(
    msg: date_pb2.Date,
    field: str,
    violations: Violations,
    *,
    required: bool,
    earliest: dt.date = EARLIEST_DATE,
    latest: dt.date = LATEST_DATE,
) -> dt.date | None:
    """A full google.type.Date within [earliest, latest]; all zeros means unset.

    The one way a request's date is read: an impossible day (2026-02-30, month 13,
    year -1 or 10000) and a day outside the field's range are both refused.
    """
    if msg.year == 0 and msg.month == 0 and msg.day == 0:
        if required:
            violations.add(field, "is required")
        return None
    try:
        value = dt.date(msg.year, msg.month, msg.day)
    except ValueError:
        violations.add(field, f"{msg.year:04d}-{msg.month:02d}-{msg.day:02d} is not a valid date")
        return None
    if not earliest <= value <= latest:
        violations.add(field, f"{value.isoformat()} is outside {earliest} to {latest}")
        return None
    return value


def read_year(value: int, field: str, violations: Violations) -> int:
    """A calendar year within ``periods.FIRST_YEAR``..``LAST_YEAR``."""
    if not FIRST_YEAR <= value <= LAST_YEAR:
        violations.add(field, f"must be between {FIRST_YEAR} and {LAST_YEAR}, got {value}")
    return value


def write_date(value: dt.date | None) -> date_pb2.Date | None:
    if value is None:
        return None
    return date_pb2.Date(year=value.year, month=value.month, day=value.day)


def read_enum(
    value: int,
    proto_enum: Any,
    domain_enum: type[E],
    field: str,
    violations: Violations,
    *,
    required: bool = True,
) -> E | None:
    """Map ``PREFIX_SOME_VALUE`` to the domain enum member ``some_value``."""
    prefix = _enum_prefix(proto_enum)
    try:
        name = proto_enum.Name(value)
    except ValueError:
        violations.add(field, f"unknown enum value {value}")
        return None
    if name == f"{prefix}UNSPECIFIED":
        if required:
            violations.add(field, "is required")
        return None
    return domain_enum(name.removeprefix(prefix).lower())


def write_enum(value: StrEnum | None, proto_enum: Any) -> Any:
    """The proto enum number for a domain enum member (0, UNSPECIFIED, for None)."""
    if value is None:
        return 0
    return proto_enum.Value(_enum_prefix(proto_enum) + value.value.upper())


def _enum_prefix(proto_enum: Any) -> str:
    zero = proto_enum.Name(0)
    return str(zero.removesuffix("UNSPECIFIED"))


def read_period(text: str, field: str, violations: Violations) -> Period | None:
    if not text:
        violations.add(field, "is required")
        return None
    try:
        period = Period.parse(text)
    except ValueError as exc:
        violations.add(field, str(exc))
        return None
    if not FIRST_YEAR <= period.start.year <= LAST_YEAR:
        violations.add(field, f"{period} is outside the years {FIRST_YEAR}\u2013{LAST_YEAR}")
        return None
    return period


@dataclass(frozen=True, slots=True)
class Digits:
    """How many digits a decimal field may have before and after its point.

    Counted on the value: leading zeros of the integer part and trailing zeros of the
    fraction do not count ("0030.50" has 2 and 1), the text's length is bounded apart.
    """

    integer: int
    fraction: int

    def __str__(self) -> str:
        return f"at most {self.integer} digits before the point and {self.fraction} after it"


# Each kind of decimal a request carries, bounded so every figure fits the arithmetic
# that uses it (pay's 60-digit exact context, scores' quantize) and SQLite's text column.
MONEY = Digits(14, 2)
"""An amount of money (Money.amount, an incentive bracket's lower bound and threshold):
no currency ccperf pays in has more than 2 decimals."""
RATE = Digits(4, 6)
"""An incentive bracket's rate (‰ or %), the year's completion rate (a fraction)."""
COEFFICIENT = Digits(4, 6)
"""A year-end bonus coefficient; a scoring cap (× points), band fraction, rubric share."""
POINTS = Digits(5, 4)
"""Points, weights (percent) and scores of appraisal items, sections and 360 raters."""
KPI_VALUE = Digits(12, 6)
"""A KPI figure in the KPI's own unit: an item's target, a linear floor, a band threshold."""

MAX_DECIMAL_TEXT = 40
_DECIMAL_TEXT = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?")


def read_decimal(
    text: str, field: str, violations: Violations, *, digits: Digits, required: bool = True
) -> Decimal | None:
    """A decimal string ("87.5", "-0.01"): ASCII digits, an optional sign and point.

    No exponent, underscore, space or other script's digits ("\u0662\u0668\u0660\u0660",
    "2_800", "1e3" are refused although Python's Decimal reads them), and no more digits
    than ``digits`` allows the field. Never a float.
    """
    if not text:
        if required:
            violations.add(field, "is required")
        return None
    if len(text) > MAX_DECIMAL_TEXT:
        violations.add(field, f"is longer than {MAX_DECIMAL_TEXT} characters")
        return None
    match = _DECIMAL_TEXT.fullmatch(text)
    if match is None or not (match[2] or match[3]):
        violations.add(
            field, f"{text!r} is not a decimal number (ASCII digits, optional sign and point)"
        )
        return None
    integer, fraction = match[2].lstrip("0"), (match[3] or "").rstrip("0")
    if len(integer) > digits.integer or len(fraction) > digits.fraction:
        violations.add(field, f"{text!r} has too many digits: {digits}")
        return None
    return Decimal(text)


def write_decimal(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def write_timestamp(value: dt.datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def page_filters(request: Any) -> list[Any]:
    """What a page token is bound to: every request field except the paging ones."""
    return [
        (f.name, str(value))
        for f, value in request.ListFields()
        if f.name not in ("page_size", "page_token")
    ]
