"""CSV files → metrics ``Event`` messages, one file per event kind (``ccperf import csv``).

The columns of a kind are the proto field names of its message, so the proto is
the one schema: each column's converter is chosen from its field's descriptor
(string, number, bool, enum, Timestamp, Date, Period, Money, QA item list), and
a field added to ``events.proto`` becomes a column without code here. Only what
the descriptor cannot say is data in this module: which columns the server
requires, each kind's natural key (for event ids), descriptions and examples.

This is parsing, not validation: a cell that is not a number, time, date,
period, enum name or item list makes its row an error row (with the line and
column), and so does a time, date or period outside the years 1970–2200 (the
calendar window every ccperf date shares, ``services.common.periods``); other
ranges, lengths and cross-field rules are checked by ingestion
(``services.metrics.event_rows``), which reports them per record.

Event ids are derived from each kind's natural key when the file has no
``event_id`` column, from canonical values (UTC instants, lowercase enum names,
canonical periods), so importing the same file again, or the same rows written
with another time zone offset, yields the same ids and changes nothing.

Rows are read lazily from the stream: open files with ``newline=""`` and
``encoding="utf-8-sig"``, as ``csv`` expects.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO, cast
from zoneinfo import ZoneInfo

from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor
from google.protobuf.message import Message

from ccperf.metrics.v1 import events_pb2
from services.common.periods import EARLIEST_TIME, FIRST_YEAR, LAST_YEAR, LATEST_TIME, Period
from services.metrics.domain.measures import uncounted_call
from services.metrics.importers.exit_status import exit_status_table

__all__ = [
    "EVENT_KINDS",
    "ColumnDoc",
    "CsvRow",
    "describe_columns",
    "read_csv_events",
    "render_docs",
]

_PAYLOAD = events_pb2.Event.DESCRIPTOR.oneofs_by_name["payload"]

EVENT_KINDS: tuple[str, ...] = tuple(f.name for f in _PAYLOAD.fields)
"""The event kinds, named as the ``payload`` fields of ``Event`` (``--kind`` values)."""

EVENT_ID = "event_id"
CURRENCY_CODE = "currency_code"

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_TIMESTAMP = "google.protobuf.Timestamp"
_DATE = "google.type.Date"
_PERIOD = "ccperf.common.v1.Period"
_MONEY = "ccperf.common.v1.Money"
_QA_ITEM = "ccperf.metrics.v1.QaItemScore"

# Columns the server rejects a record without (mirrors services.metrics.event_rows):
# a file lacking one of them is refused before its first row.
_REQUIRED: Mapping[str, frozenset[str]] = {
    "call": frozenset({"call_id", "queue", "offered_at", "outcome"}),
    "agent_state": frozenset({"agent_id", "state", "start_time", "end_time"}),
    "work_order": frozenset({"work_order_id", "created_at"}),
    "qa_evaluation": frozenset(
        {"evaluation_id", "agent_id", "rubric_code", "evaluated_at", "items"}
    ),
    "survey": frozenset({"survey_id", "answered_at"}),
    "complaint": frozenset({"complaint_id", "received_at"}),
    "audit_finding": frozenset({"audit_id", "audited_at", "items_checked"}),
    "schedule_interval": frozenset({"queue", "interval_start", "interval_minutes"}),
    "hr_fact": frozenset({"period"}),
    "finance_fact": frozenset({"org_unit_id", "period", CURRENCY_CODE}),
    "system_availability": frozenset({"kind", "system_id", "day"}),
}

# Each kind's natural key: parts in order, each part a tuple of alternative
# columns (the first non-empty one is used, labelled with its name).
_NATURAL_KEYS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "call": (("call_id",),),
    "agent_state": (("agent_id",), ("state",), ("start_time",)),
    "work_order": (("work_order_id",),),
    "qa_evaluation": (("evaluation_id",),),
    "survey": (("survey_id",),),
    "complaint": (("complaint_id",),),
    "audit_finding": (("audit_id",),),
    "schedule_interval": (("queue",), ("interval_start",)),
    "hr_fact": (("employee_id", "org_unit_id"), ("period",)),
    "finance_fact": (("org_unit_id",), ("period",)),
    "system_availability": (("kind",), ("system_id",), ("day",)),
}

# One-line column descriptions, by "kind.column" or by column for every kind.
_DESCRIPTIONS: Mapping[str, str] = {
    EVENT_ID: "Overrides the derived event id; leave it out or empty to derive the id.",
    CURRENCY_CODE: "ISO 4217 code of every amount in the row, e.g. CNY.",
    "agent_id": "Employee id of the agent.",
    "call.agent_id": "Employee id of the agent who answered; empty when nobody did.",
    "work_order.agent_id": "Employee id of the agent handling it; may be empty.",
    "survey.agent_id": "Employee id of the agent the survey rates; may be empty.",
    "complaint.agent_id": "Employee id of the agent the complaint is attributed to; may be empty.",
    "audit_finding.agent_id": "Employee id of the audited agent; may be empty.",
    "call_id": "The switch's or platform's id of the contact.",
    "qa_evaluation.call_id": "The evaluated contact.",
    "survey.call_id": "The contact the survey is about.",
    "complaint.call_id": "The contact complained about.",
    "queue": "Queue or skill group.",
    "agent_state.queue": "Queue the state applies to; empty when it covers all queues.",
    "call.channel": "Contact channel; empty means phone.",
    "work_order.channel": "Contact channel; empty means mail.",
    "caller_key": "Caller number or customer id; ccperf stores only a keyed hash of it.",
    "offered_at": "When the contact entered the queue.",
    "call.answered_at": "When an agent answered; required for answered and transferred calls.",
    "ended_at": "When the contact ended.",
    "wait_seconds": "Seconds in queue before answer or abandon.",
    "talk_seconds": "Seconds of conversation.",
    "hold_seconds": "Seconds on hold.",
    "acw_seconds": "After-call work (wrap-up) seconds.",
    "outcome": "How the call ended; timeout also covers an empty queue or a key press.",
    "first_contact_resolved": "Resolved on first contact (agent or CRM flag); empty = unknown.",
    "state": "The state; logged_in is a whole login session, aux is not ready (see reason).",
    "reason": "Aux reason code, e.g. lunch, training.",
    "start_time": "Start of the interval.",
    "end_time": "End of the interval.",
    "work_order_id": "Id of the work order or ticket.",
    "created_at": "When the work order was created.",
    "due_at": "When a response or resolution is due.",
    "first_response_at": "First response to the customer.",
    "closed_at": "When it was closed; empty while open.",
    "reopen_count": "Times it was reopened.",
    "evaluation_id": "Id of the QA evaluation.",
    "evaluator_id": "Employee id of the QA evaluator.",
    "rubric_code": "The rubric (QA form) used, e.g. seed004_recording.",
    "evaluated_at": "When the evaluation was made.",
    "items": "Item scores: category/item=score/max, separated by ';'.",
    "survey_id": "Id of the survey answer.",
    "survey.answered_at": "When the customer answered.",
    "csat": "Satisfaction 1–5; empty when not asked (a survey needs csat or nps).",
    "nps": "Likelihood to recommend 0–10; empty when not asked.",
    "remark": "Remark in the free text; empty means none.",
    "complaint_id": "Id of the complaint.",
    "received_at": "When the complaint was received.",
    "confirmed": "Only confirmed complaints count against the agent; empty means false.",
    "category": "Category code.",
    "audit_id": "Id of the audit.",
    "audited_at": "When the audit was made.",
    "items_checked": "Items checked (at least 1).",
    "errors": "Items found in error (at most items_checked).",
    "interval_start": "Start of the interval.",
    "interval_minutes": "Length of the interval in minutes (1–1440).",
    "forecast_volume": "Forecast contacts offered in the interval.",
    "required_staff": "Agents the forecast requires (may be fractional).",
    "scheduled_staff": "Agents scheduled.",
    "employee_id": "Employee the figures are for; set this or org_unit_id.",
    "hr_fact.org_unit_id": "Org unit the figures are for; set this or employee_id.",
    "org_unit_id": "Org unit the figures are for.",
    "period": "Month, quarter or year the figures cover.",
    "scheduled_days": "Days scheduled to work.",
    "attended_days": "Days attended.",
    "training_hours": "Off-the-job training hours.",
    "suggestions_submitted": "Improvement suggestions submitted.",
    "suggestions_adopted": "Improvement suggestions adopted.",
    "leavers": "Employees who left in the period.",
    "average_headcount": "Average headcount over the period.",
    "promotions_internal": "Promotions filled from inside the unit.",
    "promotions_external": "Promotions filled from outside the unit.",
    "employee_satisfaction": "Employee satisfaction survey result, 0–100.",
    "operating_cost": "Operating cost, in currency_code.",
    "budget": "Budget, in currency_code.",
    "system_availability.kind": "Kind of system.",
    "system_id": "Id of the system (trunk group, switch, application, server…).",
    "day": "The day measured.",
    "scheduled_minutes": "Scheduled service minutes in the day (0–1440).",
    "downtime_minutes": "Minutes of downtime within the scheduled time.",
}

# One realistic row per kind for the docs, as header and row (a unit test parses each).
_EXAMPLES: Mapping[str, tuple[str, str]] = {
    "call": (
        "call_id,queue,channel,agent_id,caller_key,offered_at,answered_at,ended_at,"
        "wait_seconds,talk_seconds,hold_seconds,acw_seconds,outcome,first_contact_resolved",
        "1791334800.42,billing,phone,E1001,13800138000,2026-10-07 09:00:00,"
        "2026-10-07 09:00:18,2026-10-07 09:04:30,18,240,12,30,answered,yes",
    ),
    "agent_state": (
        "agent_id,state,reason,start_time,end_time",
        "E1001,aux,lunch,2026-10-07 12:00:00,2026-10-07 12:45:00",
    ),
    "work_order": (
        "work_order_id,agent_id,channel,created_at,due_at,first_response_at,closed_at,reopen_count",
        "WO-20261007-0001,E1002,mail,2026-10-07 09:12:00,2026-10-08 09:12:00,"
        "2026-10-07 10:05:00,2026-10-07 16:30:00,0",
    ),
    "qa_evaluation": (
        "evaluation_id,agent_id,evaluator_id,call_id,rubric_code,evaluated_at,items",
        "QA-2026-10-0001,E1001,E9001,1791334800.42,seed004_recording,2026-10-08 15:00:00,"
        "handling_skills/greeting=5/5;handling_skills/closing=2/5",
    ),
    "survey": (
        "survey_id,agent_id,call_id,answered_at,csat,nps,remark",
        "SV-0001,E1001,1791334800.42,2026-10-07 09:06:00,5,9,praise",
    ),
    "complaint": (
        "complaint_id,agent_id,call_id,received_at,confirmed,category",
        "CP-0001,E1003,1791338400.7,2026-10-07 11:20:00,true,attitude",
    ),
    "audit_finding": (
        "audit_id,agent_id,audited_at,items_checked,errors,category",
        "AU-0001,E1002,2026-10-09 10:00:00,50,1,order_entry",
    ),
    "schedule_interval": (
        "queue,interval_start,interval_minutes,forecast_volume,required_staff,scheduled_staff",
        "billing,2026-10-07 09:00:00,30,120,14.5,15",
    ),
    "hr_fact": (
        "employee_id,period,scheduled_days,attended_days,training_hours,"
        "suggestions_submitted,suggestions_adopted",
        "E1001,2026-10,22,21.5,6,2,1",
    ),
    "finance_fact": (
        "org_unit_id,period,currency_code,operating_cost,budget",
        "CC-SH,2026-Q4,CNY,1250000.00,1300000.00",
    ),
    "system_availability": (
        "kind,system_id,day,scheduled_minutes,downtime_minutes",
        "lines,trunk-01,2026-10-07,1440,12.5",
    ),
}

_INT_BOUNDS: Mapping[int, tuple[int, int]] = {
    FieldDescriptor.TYPE_INT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SINT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_UINT32: (0, 2**32 - 1),
    FieldDescriptor.TYPE_FIXED32: (0, 2**32 - 1),
    FieldDescriptor.TYPE_INT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SINT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_UINT64: (0, 2**64 - 1),
    FieldDescriptor.TYPE_FIXED64: (0, 2**64 - 1),
}
_FLOAT_TYPES = frozenset({FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT})

_BOOLEANS: Mapping[str, bool] = {
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "yes": True,
    "no": False,
}

# ASCII digits only: \d and float() would also take other scripts' digits.
_UNDECODABLE = re.compile("[\udc80-\udcff]")
"""What a byte that is not UTF-8 becomes when the file is read with ``surrogateescape``."""
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?"
    r"(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?"
)
_KEY_SEPARATOR = "|"


class _CellError(ValueError):
    """A cell that cannot be read as its column's type; the message says why."""


def _quoted(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _outside_window(text: str) -> _CellError:
    return _CellError(f"{_quoted(text)} is outside the years {FIRST_YEAR}–{LAST_YEAR}")


@dataclass(frozen=True, slots=True)
class ColumnDoc:
    """One column of a kind's CSV file, as the docs and ``--help`` show it."""

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: its event, or why it could not be read (exactly one is set)."""

    line: int
    """1-based physical line where the row starts; the header is line 1."""
    event: events_pb2.Event | None
    error: str | None
    warning: str | None = None
    """Why the KPIs will leave the row's event out, where the row alone shows it."""


@dataclass
class _RowState:
    """What one row's converters share: the time zone and the row's currency."""

    timezone: ZoneInfo
    currency_code: str = ""


# -- cell readers (raise _CellError) -------------------------------------------


def _number(text: str) -> float:
    cell = text.strip()
    if not _NUMBER.fullmatch(cell):
        raise _CellError(f"{_quoted(text)} is not a number")
    value = float(cell)
    if not math.isfinite(value):
        raise _CellError(f"{_quoted(text)} is out of range")
    return value


def _integer(text: str, low: int, high: int) -> int:
    cell = text.strip()
    if not _INTEGER.fullmatch(cell):
        raise _CellError(f"{_quoted(text)} is not a whole number")
    value = int(cell)
    if not low <= value <= high:
        raise _CellError(f"{_quoted(text)} is out of range")
    return value


def _instant(text: str, timezone: ZoneInfo) -> tuple[int, int]:
    """(seconds, nanos) since the epoch of an ISO 8601 date-time; naive = in ``timezone``."""
    match = _DATE_TIME.fullmatch(text.strip())
    if not match:
        raise _CellError(f"{_quoted(text)} is not a date-time like 2026-10-07 09:00:00")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    try:
        if zulu:
            zone: dt.tzinfo = dt.UTC
        elif sign:
            offset = dt.timedelta(hours=int(off_h), minutes=int(off_m or 0))
            zone = dt.timezone(-offset if sign == "-" else offset)
        else:
            zone = timezone
        local = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=zone
        )
        instant = local.astimezone(dt.UTC)
    except (ValueError, OverflowError) as exc:
        raise _CellError(f"{_quoted(text)} is not a valid date-time: {exc}") from None
    if not EARLIEST_TIME <= instant < LATEST_TIME:
        raise _outside_window(text)
    delta = instant - _EPOCH
    nanos = int(fraction.ljust(9, "0")) if fraction else 0
    return delta.days * 86400 + delta.seconds, nanos


def _day(text: str) -> dt.date:
    match = _DAY.fullmatch(text.strip())
    if not match:
        raise _CellError(f"{_quoted(text)} is not a date like 2026-10-07")
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise _CellError(f"{_quoted(text)} is not a valid date: {exc}") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _outside_window(text)
    return day


def _period(text: str) -> str:
    try:
        period = Period.parse(text.strip())
    except ValueError as exc:
        raise _CellError(str(exc)) from None
    if not FIRST_YEAR <= period.start.year <= LAST_YEAR:
        raise _outside_window(text)
    return str(period)


def _enum_names(enum: EnumDescriptor) -> dict[str, int]:
    """Accepted cell texts (short names, lowercase) → numbers; full names are accepted too."""
    prefix = enum.values_by_number[0].name.removesuffix("UNSPECIFIED")
    names: dict[str, int] = {}
    for value in enum.values:
        names[value.name.lower()] = value.number
        names[value.name.removeprefix(prefix).lower()] = value.number
    return names


def _short_name(enum: EnumDescriptor, number: int) -> str:
    prefix = enum.values_by_number[0].name.removesuffix("UNSPECIFIED")
    value = enum.values_by_number.get(number)
    return value.name.removeprefix(prefix).lower() if value else str(number)


# -- codecs: how one field type is read from a cell and written into an id ------

Parse = Callable[[Message, str, _RowState], None]
KeyText = Callable[[Message], str]


@dataclass(frozen=True, slots=True)
class _Codec:
    type_text: str
    parse: Parse
    key_text: KeyText


def _codec(fd: FieldDescriptor) -> _Codec:  # noqa: PLR0911 (one branch per field type)
    """The reader for a field, chosen by its descriptor; a type without one fails every read."""
    name = fd.name
    if fd.is_repeated:
        if fd.message_type is not None and fd.message_type.full_name == _QA_ITEM:
            return _Codec("QA item list", functools.partial(_parse_items, name), _no_key)
        raise TypeError(f"no CSV reader for repeated field {fd.full_name}")
    if fd.type == FieldDescriptor.TYPE_STRING:

        def parse_text(msg: Message, cell: str, _: _RowState) -> None:
            setattr(msg, name, cell)

        return _Codec("text", parse_text, lambda msg: str(getattr(msg, name)))
    if fd.type in _FLOAT_TYPES:

        def parse_number(msg: Message, cell: str, _: _RowState) -> None:
            setattr(msg, name, _number(cell))

        return _Codec("number", parse_number, lambda msg: repr(getattr(msg, name)))
    if fd.type in _INT_BOUNDS:
        low, high = _INT_BOUNDS[fd.type]

        def parse_integer(msg: Message, cell: str, _: _RowState) -> None:
            setattr(msg, name, _integer(cell, low, high))

        return _Codec("whole number", parse_integer, lambda msg: str(getattr(msg, name)))
    if fd.type == FieldDescriptor.TYPE_BOOL:

        def parse_bool(msg: Message, cell: str, _: _RowState) -> None:
            value = _BOOLEANS.get(cell.strip().lower())
            if value is None:
                raise _CellError(f"{_quoted(cell)} is not true/false, 1/0 or yes/no")
            setattr(msg, name, value)

        return _Codec("true/false", parse_bool, lambda msg: str(getattr(msg, name)).lower())
    if fd.enum_type is not None:
        return _enum_codec(name, fd.enum_type)
    if fd.message_type is not None:
        return _message_codec(name, fd.message_type)
    raise TypeError(f"no CSV reader for field {fd.full_name}")


def _enum_codec(name: str, enum: EnumDescriptor) -> _Codec:
    names = _enum_names(enum)
    shown = [_short_name(enum, v.number) for v in enum.values if v.number != 0]

    def parse_enum(msg: Message, cell: str, _: _RowState) -> None:
        key = re.sub(r"[\s-]+", "_", cell.strip().lower())
        if key not in names:
            raise _CellError(f"{_quoted(cell)} is not one of {', '.join(shown)}")
        setattr(msg, name, names[key])

    return _Codec(
        "one of " + ", ".join(shown),
        parse_enum,
        lambda msg: _short_name(enum, getattr(msg, name)),
    )


def _message_codec(name: str, message: Descriptor) -> _Codec:
    kind = message.full_name
    if kind == _TIMESTAMP:

        def parse_instant(msg: Message, cell: str, row: _RowState) -> None:
            stamp = getattr(msg, name)
            stamp.seconds, stamp.nanos = _instant(cell, row.timezone)
            stamp.SetInParent()

        def instant_key(msg: Message) -> str:
            return str(getattr(msg, name).ToJsonString())

        return _Codec("date-time", parse_instant, instant_key)
    if kind == _DATE:

        def parse_day(msg: Message, cell: str, _: _RowState) -> None:
            day, target = _day(cell), getattr(msg, name)
            target.year, target.month, target.day = day.year, day.month, day.day

        def day_key(msg: Message) -> str:
            d = getattr(msg, name)
            return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"

        return _Codec("date", parse_day, day_key)
    if kind == _PERIOD:

        def parse_period(msg: Message, cell: str, _: _RowState) -> None:
            getattr(msg, name).value = _period(cell)

        return _Codec("period", parse_period, lambda msg: str(getattr(msg, name).value))
    if kind == _MONEY:

        def parse_money(msg: Message, cell: str, row: _RowState) -> None:
            amount = cell.strip()
            if not _DECIMAL.fullmatch(amount):
                raise _CellError(f"{_quoted(cell)} is not a decimal amount like 1234.50")
            money = getattr(msg, name)
            money.amount, money.currency_code = amount, row.currency_code

        return _Codec("decimal amount", parse_money, _no_key)
    raise TypeError(f"no CSV reader for message type {kind} (field {name})")


def _parse_items(name: str, msg: Message, cell: str, _: _RowState) -> None:
    items = getattr(msg, name)
    for index, part in enumerate(cell.split(";"), start=1):
        if not part.strip():
            continue
        path, equals, scores = part.rpartition("=")
        score, slash, max_score = scores.partition("/")
        if not equals or not slash:
            raise _CellError(f"item {index} {_quoted(part)} is not category/item=score/max")
        category, _slash, item = path.strip().rpartition("/")
        try:
            items.add(
                category=category.strip(),
                item=item.strip(),
                score=_number(score),
                max_score=_number(max_score),
            )
        except _CellError as exc:
            raise _CellError(f"item {index} {_quoted(part)}: {exc}") from None


def _no_key(msg: Message) -> str:
    raise TypeError("this column cannot be part of a natural key")


def _parse_currency(_: Message, cell: str, row: _RowState) -> None:
    row.currency_code = cell.strip().upper()


def _no_op(_: Message, cell: str, row: _RowState) -> None:
    """``event_id`` is read by the row, not into the payload."""


# -- a kind's columns -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Column:
    doc: ColumnDoc
    parse: Parse
    key_text: KeyText
    # Strings are taken as is; for every other type an empty cell sets nothing.
    text: bool


@dataclass(frozen=True, slots=True)
class _Schema:
    kind: str
    columns: dict[str, _Column]
    natural_key: tuple[tuple[str, ...], ...]
    required: frozenset[str]


def _message(kind: str) -> Descriptor:
    # The stubs type upb's descriptors apart from the pure-Python ones they mirror.
    return cast(Descriptor, _PAYLOAD.fields[EVENT_KINDS.index(kind)].message_type)


def _description(kind: str, name: str) -> str:
    return _DESCRIPTIONS.get(f"{kind}.{name}") or _DESCRIPTIONS.get(name, "")


@functools.cache
def _schema(kind: str) -> _Schema:
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}; expected one of {', '.join(EVENT_KINDS)}")
    message = _message(kind)
    required = _REQUIRED[kind]

    def doc(name: str, type_text: str) -> ColumnDoc:
        return ColumnDoc(name, type_text, name in required, _description(kind, name))

    columns = {EVENT_ID: _Column(doc(EVENT_ID, "text"), _no_op, _no_key, text=True)}
    for fd in message.fields:
        is_money = fd.message_type is not None and fd.message_type.full_name == _MONEY
        if is_money and CURRENCY_CODE not in columns:
            columns[CURRENCY_CODE] = _Column(
                doc(CURRENCY_CODE, "currency code"), _parse_currency, _no_key, text=True
            )
        codec = _codec(fd)
        text = fd.type == FieldDescriptor.TYPE_STRING and not fd.is_repeated
        columns[fd.name] = _Column(
            doc(fd.name, codec.type_text), codec.parse, codec.key_text, text=text
        )
    return _Schema(kind, columns, _NATURAL_KEYS[kind], required)


def describe_columns(kind: str) -> list[ColumnDoc]:
    """The columns of ``kind``'s CSV file in their documented order."""
    return [column.doc for column in _schema(kind).columns.values()]


# -- reading ----------------------------------------------------------------------


class _PhysicalLines:
    """Feeds a stream to ``csv`` line by line, noting where the current record starts."""

    def __init__(self, stream: TextIO) -> None:
        self._lines = iter(stream)
        self.count = 0
        self.record_start = 0

    def __iter__(self) -> _PhysicalLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        # A blank line between records is skipped by csv, so the record starts later.
        if not self.record_start and line.strip("\r\n"):
            self.record_start = self.count
        return line


def _header_name(name: str | None, position: int) -> str:
    text = name or ""
    if position == 0:
        text = text.removeprefix("\ufeff")
    return text.strip().lower()


def _check_header(schema: _Schema, header: list[str]) -> None:
    seen = set(header)
    repeated = sorted(name for name, n in Counter(header).items() if n > 1)
    unknown = [name for name in header if name not in schema.columns]
    if unknown:
        raise ValueError(
            f"unknown columns for {schema.kind}: {', '.join(repr(n) for n in unknown)}; "
            f"expected {', '.join(schema.columns)}"
        )
    if repeated:
        raise ValueError(f"repeated columns: {', '.join(repeated)}")
    missing = sorted(schema.required - seen)
    missing += [
        " or ".join(part)
        for part in schema.natural_key
        if not seen.intersection(part) and not schema.required.intersection(part)
    ]
    if missing:
        raise ValueError(f"{schema.kind} files need the columns: {', '.join(missing)}")


def read_csv_events(stream: TextIO, kind: str, *, timezone: ZoneInfo) -> Iterator[CsvRow]:
    """Stream the events of a ``kind`` CSV file, one ``CsvRow`` per data row.

    Raises ``ValueError`` at once for an unknown kind or an unusable header (no
    header, unknown or repeated columns, a required or natural-key column
    missing); never for a row's content, which comes back as an error row (so do
    bytes that are not UTF-8, when ``stream`` reads with ``errors="surrogateescape"``).
    Naive date-times are read in ``timezone`` (the first of two repeated
    local times on a DST change).
    """
    schema = _schema(kind)
    lines = _PhysicalLines(stream)
    reader = csv.DictReader(lines)
    try:
        raw_header = reader.fieldnames
    except csv.Error as exc:
        raise ValueError(f"unreadable header: {exc}") from None
    if not raw_header:
        raise ValueError("no header row on line 1")
    header = [_header_name(name, i) for i, name in enumerate(raw_header)]
    _check_header(schema, header)
    reader.fieldnames = header
    return _rows(reader, lines, schema, header, timezone)


def _rows(
    reader: csv.DictReader[str],
    lines: _PhysicalLines,
    schema: _Schema,
    header: list[str],
    timezone: ZoneInfo,
) -> Iterator[CsvRow]:
    columns = [(name, schema.columns[name]) for name in schema.columns if name in header]
    while True:
        lines.record_start = 0
        count_before = lines.count
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if lines.count == count_before:  # nothing consumed: the reader cannot go on
                return
            yield CsvRow(lines.record_start or lines.count, None, f"unreadable row: {exc}")
            continue
        line = lines.record_start or lines.count
        result = _convert(schema, columns, header, cells, timezone)
        if isinstance(result, events_pb2.Event):
            yield CsvRow(line, result, None, _warning(schema.kind, result))
        elif result is not None:
            yield CsvRow(line, None, result)


def _convert(
    schema: _Schema,
    columns: list[tuple[str, _Column]],
    header: list[str],
    cells: dict[str | Any, str | Any],
    timezone: ZoneInfo,
) -> events_pb2.Event | str | None:
    """The row's event, the reason it has none, or None for a row of empty cells."""
    extra: list[str] = list(cells.pop(None, None) or ())
    present = sum(1 for name in header if cells.get(name) is not None)
    if extra or present < len(header):
        return f"has {present + len(extra)} cells, the header has {len(header)}"
    if all(not cells[name].strip() for name in header):
        return None
    undecodable = [name for name in header if _UNDECODABLE.search(cells[name])]
    if undecodable:
        return f"{', '.join(undecodable)}: not valid UTF-8"
    event = events_pb2.Event()
    payload = getattr(event, schema.kind)
    payload.SetInParent()
    state = _RowState(timezone)
    problems: list[str] = []
    for name, column in columns:
        cell: str = cells[name]
        if not column.text and not cell.strip():
            continue
        try:
            column.parse(payload, cell, state)
        except _CellError as exc:
            problems.append(f"{name}: {exc}")
    if problems:
        return "; ".join(problems)
    event_id = cells.get(EVENT_ID) or ""
    if not event_id.strip():
        try:
            event_id = _derived_id(schema, cells, payload)
        except _CellError as exc:
            return str(exc)
    event.event_id = event_id
    return event


def _warning(kind: str, event: events_pb2.Event) -> str | None:
    """Why the KPIs will leave out an event the service accepts, where its row shows it.

    The service's own rule (``domain.measures.uncounted_call``): without ``ended_at`` the
    end is placed from the durations; a call with neither is stored but in no measure.
    An empty cell is sent as 0, so a 0 there places nothing either.
    """
    if kind != "call":
        return None
    call = event.call
    outcome = events_pb2.CallOutcome.Name(call.outcome).removeprefix("CALL_OUTCOME_").lower()
    return uncounted_call(outcome, call.HasField("ended_at"), call.wait_seconds, call.talk_seconds)


def _escape(part: str) -> str:
    return part.replace("%", "%25").replace(_KEY_SEPARATOR, "%7C")


def _derived_id(schema: _Schema, cells: Mapping[str, str], payload: Message) -> str:
    """The event id from the natural key: the key itself, or its canonical parts joined by '|'."""
    parts: list[str] = []
    for alternatives in schema.natural_key:
        chosen = next((n for n in alternatives if (cells.get(n) or "").strip()), None)
        if chosen is None:
            raise _CellError(f"{' or '.join(alternatives)}: is required to derive the event id")
        text = schema.columns[chosen].key_text(payload)
        if len(alternatives) > 1:
            text = f"{chosen.removesuffix('_id')}:{text}"
        parts.append(text)
    if len(parts) == 1:
        return parts[0]
    return _KEY_SEPARATOR.join(_escape(part) for part in parts)


# -- docs -------------------------------------------------------------------------

# (type, format, what an empty cell means) for the docs' table of cell formats.
_CELL_FORMATS: tuple[tuple[str, str, str], ...] = (
    ("text", "taken as is", "empty text"),
    (
        "number",
        "decimal with optional sign and exponent: `18`, `14.5`, `1e3`",
        "0, or unset where the proto field is `optional` (`HrFact`)",
    ),
    (
        "whole number",
        "digits with an optional sign: `22`",
        "0, or unset where `optional` (`csat`, `nps`, `HrFact`)",
    ),
    (
        "true/false",
        "`true`/`false`, `1`/`0`, `yes`/`no`, any case",
        "false, or unset where `optional` (`first_contact_resolved`: unknown)",
    ),
    (
        "one of …",
        "the value's name without the enum prefix, any case, `-` or a space for `_`"
        " (`answered`, `IVR-completed`); the full name (`CALL_OUTCOME_ANSWERED`) works too",
        "unspecified: ingestion applies the kind's default or rejects the record",
    ),
    (
        "date-time",
        "ISO 8601: `2026-10-07T09:00:00+08:00`, `2026-10-07T01:00:00Z`,"
        " `2026-10-07 09:00:00`, `2026-10-07 09:00`, up to 9 fraction digits;"
        " without an offset it is local time in the center's `--timezone`"
        " (the first of two repeated times on a DST change)",
        "unset",
    ),
    ("date", "`2026-10-07`", "unset"),
    ("period", "a month `2026-10`, a quarter `2026-Q4` or a year `2026`", "unset"),
    (
        "decimal amount",
        "`1250000.00` in the row's `currency_code` (uppercased); kept as text, never a float",
        "unset",
    ),
    (
        "QA item list",
        "`category/item=score/max` items separated by `;`, e.g."
        " `handling_skills/greeting=5/5;handling_skills/closing=2/5`",
        "no items",
    ),
)


_DOCS_INTRO = """\
# CSV import of metrics events

<!-- Generated by render_docs() in services/metrics/importers/csv_events.py; do not edit.
     Regenerate: .venv/bin/python -m services.metrics.importers.csv_events > docs/csv-import.md -->

`ccperf import csv --kind KIND PATH` reads one CSV file of one event kind and
sends its rows through the same `IngestEvents` ingestion as every other source.
The kinds: {kinds}.

## The file

- UTF-8 (with or without a byte-order mark), comma-separated, quoted the usual
  (RFC 4180) way: a cell holding a comma, a quote or a line break is wrapped in
  `"`, and a quote inside it is doubled.
- The first line is the header. Column names are the field names of the kind's
  message in `protos/ccperf/metrics/v1/events.proto`, listed below; case and
  surrounding spaces do not matter, the order is free, and optional columns may
  be left out.
- The whole file is refused before any row is read when the header has an
  unknown or repeated column, or lacks a required column (for `hr_fact`: also
  when it has neither `employee_id` nor `org_unit_id`).
- Every other row is one event. Blank lines and rows whose cells are all empty
  are skipped.
- A row that cannot be read (a cell that is not a number, date-time, date,
  period, enum name or item list; a date-time, date or period outside the
  years {first_year}–{last_year}; more or fewer cells than the header) is
  reported with its line number (where the row starts; the header is line 1)
  and column, and the rest of the file is imported. Other ranges, lengths and rules
  between fields (an answered call needs `answered_at`, a survey needs `csat`
  or `nps`…) are checked by ingestion, which reports the record and field.

## Cells

{cells}

## Event ids

Ingestion is idempotent by (source, event id), so ids must not change when a
file is imported again. A non-empty `event_id` cell is used as is. Otherwise the
id is derived from the kind's natural key (the "Event id" line of each kind
below): a single key column is the id itself (`call_id` `1791334800.42` → id
`1791334800.42`); several are joined by `|` in canonical form, so the same
event written differently gets the same id:

- date-times as UTC instants in RFC 3339 (`2026-10-07 09:00:00` in
  Asia/Shanghai → `2026-10-07T01:00:00Z`), dates as `2026-10-07`;
- enum values by their lowercase short name (`aux`, `network`);
- periods in canonical form (`2026-q4` → `2026-Q4`);
- text as is, with `%` written `%25` and `|` written `%7C`;
- where the key is one of two columns (`hr_fact`), the part is labelled with
  the column it came from: `employee:E1001|2026-10`, `org_unit:CC-SH|2026-10`.

A row with an empty natural-key cell and no `event_id` is an error row.

## The summary and the exit status

After the last row, the import prints what was read, sent, accepted, found
duplicate and rejected (by reason, with the first rejections), the malformed
rows by line, and how many accepted events every KPI will leave out, by the
service's reason (they are stored, and shown in `GetDataQualityReport`). Rows the
KPIs will not count, as far as the row shows, are sent and listed as warnings by
line: a `call` without `ended_at` that left the queue (abandoned, timeout) with
no `wait_seconds`, or was answered (answered, transferred) with no
`talk_seconds`: nothing says when it ended (an empty cell is 0).

`ccperf import csv` and `ccperf import queue-log` exit with:

{exit_codes}
"""


def _key_rule(kind: str) -> str:
    parts = [" or ".join(f"`{n}`" for n in alternatives) for alternatives in _NATURAL_KEYS[kind]]
    return " + ".join(parts)


def _kind_section(kind: str) -> list[str]:
    message = _message(kind)
    lines = [
        f"### `{kind}`",
        "",
        f"One `{message.name}` per row. Event id: {_key_rule(kind)}.",
        "",
        "| Column | Type | Required | Description |",
        "|---|---|---|---|",
    ]
    for column in describe_columns(kind):
        presence = "required" if column.required else "optional"
        lines.append(f"| `{column.name}` | {column.type} | {presence} | {column.description} |")
    header, row = _EXAMPLES[kind]
    lines += ["", "Example:", "", "```csv", header, row, "```", ""]
    return lines


def render_docs() -> str:
    """The Markdown reference of every kind's columns (``docs/csv-import.md``)."""
    kinds = ", ".join(f"`{kind}`" for kind in EVENT_KINDS)
    table = ["| Type | Format | Empty cell |", "|---|---|---|"]
    table += [f"| {type_text} | {form} | {empty} |" for type_text, form, empty in _CELL_FORMATS]
    intro = _DOCS_INTRO.format(
        kinds=kinds, cells="\n".join(table), first_year=FIRST_YEAR, last_year=LAST_YEAR,
        exit_codes="\n".join(exit_status_table()),
    )  # fmt: skip
    lines = [intro, "## Kinds", ""]
    for kind in EVENT_KINDS:
        lines += _kind_section(kind)
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_docs(), end="")
