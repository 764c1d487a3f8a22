"""Conversions between protobuf fields and Python values at the gRPC edge.

Each reader validates as it converts and records a field violation (with the
field's path) instead of raising, so a request reports every problem at once.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
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


def read_date(
    msg: date_pb2.Date, field: str, violations: Violations, *, required: bool
) -> dt.date | None:
    """A full google.type.Date; all zeros means unset."""
    if msg.year == 0 and msg.month == 0 and msg.day == 0:
        if required:
            violations.add(field, "is required")
        return None
    try:
        return dt.date(msg.year, msg.month, msg.day)
    except ValueError:
        violations.add(field, f"{msg.year:04d}-{msg.month:02d}-{msg.day:02d} is not a valid date")
        return None


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


MAX_DECIMAL_TEXT = 40
MAX_DECIMAL_EXPONENT = 24


def read_decimal(
    text: str, field: str, violations: Violations, *, required: bool = True
) -> Decimal | None:
    """A decimal string ("87.5", "-0.01"): finite, plain digits, never a float."""
    if not text:
        if required:
            violations.add(field, "is required")
        return None
    if len(text) > MAX_DECIMAL_TEXT:
        violations.add(field, f"is longer than {MAX_DECIMAL_TEXT} characters")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        violations.add(field, f"{text!r} is not a decimal number")
        return None
    if not value.is_finite():
        violations.add(field, f"{text!r} is not a finite number")
        return None
    if not -MAX_DECIMAL_EXPONENT <= value.adjusted() <= MAX_DECIMAL_EXPONENT:
        # "1E+999999" is finite but no column or sum should hold it.
        violations.add(field, f"{text!r} is out of range (at most 10^{MAX_DECIMAL_EXPONENT})")
        return None
    return value


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
