"""Turn one ingested ``Event`` message into a row of its kind's table, or into rejections.

This is edge code: it reads protobuf and knows the column names. Every check
that would otherwise fail inside the database (lengths, NaN, ranges, order of
timestamps) is made here, so a bad event is reported with its field and never
reaches the transaction that stores its neighbours.

The limits come from the tables themselves: a text field is as long as its
``String`` column, an amount fits its ``Numeric`` precision and scale, a figure lies
in its column's ``FloatRange`` (``models.figure``), a time in the calendar window
(``periods.EARLIEST_TIME``–``LATEST_TIME``). After a kind's own checks, every row
goes through ``storable``, which checks each column by its type: what a new
column would make Postgres refuse is refused here, per event, without new code.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, Double, Integer, Numeric, String, Table

from ccperf.metrics.v1 import events_pb2
from services.common.periods import (
    EARLIEST_TIME,
    FIRST_YEAR,
    LAST_YEAR,
    LATEST_TIME,
    Granularity,
    Period,
)
from services.common.protoconv import CONTROL_CHARACTERS
from services.metrics.domain.limits import (
    DURATION,
    MAX_QA_ITEM_SCORE,
    MAX_QA_ITEMS,
    MIN_MAGNITUDE,
    FloatRange,
)
from services.metrics.models import EVENT_TABLES, float_range

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
EARLIEST, LATEST = EARLIEST_TIME, LATEST_TIME
TIME_WINDOW = f"{EARLIEST.date().isoformat()}–{(LATEST - dt.timedelta(days=1)).date().isoformat()}"
MAX_DURATION_SECONDS = DURATION.high
INT32 = (-(2**31), 2**31 - 1)
# Postgres text cannot hold NUL; a lone surrogate cannot be encoded to UTF-8 at all.
UNSTORABLE_TEXT = re.compile(r"[\x00\ud800-\udfff]")
PLAIN_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def _table(kind: str) -> Table:
    table: Table = EVENT_TABLES[kind].__table__  # type: ignore[attr-defined]
    return table


def column_length(kind: str, name: str) -> int:
    """The length of a ``String`` column of the kind's table."""
    column_type = _table(kind).c[name].type
    assert isinstance(column_type, String) and column_type.length is not None, (kind, name)
    return column_type.length


MAX_EVENT_ID = column_length("call", "event_id")
MAX_CALLER_KEY = 200
"""Characters of a caller number or customer id (only its keyed hash is stored)."""


@dataclass
class Problem:
    field: str
    reason: str


@dataclass
class RowBuilder:
    """Reads fields of one payload message, collecting the first problem per field."""

    kind: str
    msg: Any
    problems: list[Problem] = field(default_factory=list)
    row: dict[str, Any] = field(default_factory=dict)

    def fail(self, name: str, reason: str) -> None:
        self.problems.append(Problem(f"{self.kind}.{name}", reason))

    def text(
        self, name: str, max_length: int = 0, *, required: bool = False, column: str = ""
    ) -> str:
        """A text field, at most ``max_length`` characters (default: its column's length)."""
        value: str = getattr(self.msg, name)
        max_length = max_length or column_length(self.kind, column or name)
        if required and not value.strip():
            self.fail(name, "is required")
        elif len(value) > max_length:
            self.fail(name, f"is longer than {max_length} characters")
        elif CONTROL_CHARACTERS.search(value):
            self.fail(name, "contains control characters")
        self.row[column or name] = value
        return value

    def optional_text(self, name: str) -> None:
        self.text(name)
        self.row[name] = self.row[name] or None

    def time(self, name: str, *, required: bool = False) -> dt.datetime | None:
        if not self.msg.HasField(name):
            if required:
                self.fail(name, "is required")
            self.row[name] = None
            return None
        stamp = getattr(self.msg, name)
        try:
            # Plain arithmetic: a third faster than Timestamp.ToDatetime on the hot path.
            value = EPOCH + dt.timedelta(seconds=stamp.seconds, microseconds=stamp.nanos // 1000)
        except (ValueError, OverflowError):
            self.fail(name, "is not a valid timestamp")
            self.row[name] = None
            return None
        if not EARLIEST <= value < LATEST:
            self.fail(name, f"{value.isoformat()} is outside {TIME_WINDOW}")
        self.row[name] = value
        return value

    def within_years(self, name: str, day: dt.date, shown: str) -> None:
        """A day or period in the calendar's years (periods.FIRST_YEAR..LAST_YEAR)."""
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.fail(name, f"{shown} is outside the years {FIRST_YEAR}–{LAST_YEAR}")

    def number(self, name: str, *, optional: bool = False) -> float | None:
        """A figure in its column's range (``models.figure``)."""
        if optional and not self.msg.HasField(name):
            self.row[name] = None
            return None
        value = float(getattr(self.msg, name))
        limits = float_range(_table(self.kind).c[name])
        assert limits is not None, (self.kind, name)
        problem = limits.problem(value)
        if problem:
            self.fail(name, problem)
        self.row[name] = value
        return value

    def integer(
        self, name: str, *, low: int = 0, high: int = 2**31 - 1, optional: bool = False
    ) -> int | None:
        if optional and not self.msg.HasField(name):
            self.row[name] = None
            return None
        value = int(getattr(self.msg, name))
        if not low <= value <= high:
            self.fail(name, f"must be between {low} and {high}, got {value}")
        self.row[name] = value
        return value

    def enum(self, name: str, proto_enum: Any, *, default: int | None = None) -> str:
        number = getattr(self.msg, name)
        if number == 0 and default is not None:
            number = default
        try:
            label: str = proto_enum.Name(number)
        except ValueError:
            self.fail(name, f"unknown enum value {number}")
            return ""
        prefix = proto_enum.Name(0).removesuffix("UNSPECIFIED")
        if label.endswith("UNSPECIFIED"):
            self.fail(name, "is required")
            return ""
        value = label.removeprefix(prefix).lower()
        self.row[name] = value
        return value

    def not_before(self, later: str, earlier: str) -> None:
        a, b = self.row.get(later), self.row.get(earlier)
        if a is not None and b is not None and a < b:
            self.fail(later, f"is before {earlier}")

    def period(self, name: str = "period") -> None:
        text = getattr(self.msg, name).value
        try:
            period = Period.parse(text)
        except ValueError as exc:
            self.fail(name, str(exc))
            return
        if period.granularity is Granularity.DAY:
            self.fail(name, "must be a month, quarter or year")
        self.within_years(name, period.start, str(period))
        self.row[name] = str(period)


def caller_hasher(key: bytes) -> Callable[[str], str | None]:
    """Keyed hash of caller numbers: repeat callers stay linkable, numbers stay unreadable.

    Keyed BLAKE2b is a MAC in its own right (no HMAC construction needed) and
    three times cheaper than HMAC-SHA256 on the ingestion hot path.
    """
    key = key[: hashlib.blake2b.MAX_KEY_SIZE]

    def digest(caller: str) -> str | None:
        if not caller:
            return None
        return hashlib.blake2b(caller.encode(), key=key, digest_size=20).hexdigest()

    return digest


def _call(b: RowBuilder, hash_caller: Callable[[str], str | None]) -> None:
    b.text("call_id", required=True)
    b.text("queue", required=True)
    b.enum("channel", events_pb2.Channel, default=events_pb2.CHANNEL_PHONE)
    b.optional_text("agent_id")
    caller = b.text("caller_key", MAX_CALLER_KEY, column="caller_hash")
    b.row["caller_hash"] = hash_caller(caller)
    b.row.pop("caller_key", None)
    offered = b.time("offered_at", required=True)
    b.row["offered_epoch"] = offered.timestamp() if offered else None
    answered = b.time("answered_at")
    b.time("ended_at")
    b.not_before("answered_at", "offered_at")
    b.not_before("ended_at", "offered_at")
    for name in ("wait_seconds", "talk_seconds", "hold_seconds", "acw_seconds"):
        b.number(name)
    outcome = b.enum("outcome", events_pb2.CallOutcome)
    if outcome in ("answered", "transferred") and answered is None:
        b.fail("answered_at", f"is required for an {outcome} call")
    if outcome in ("abandoned", "timeout", "ivr_completed") and answered is not None:
        b.fail("answered_at", f"must be unset for an {outcome} call")
    b.row["first_contact_resolved"] = (
        b.msg.first_contact_resolved if b.msg.HasField("first_contact_resolved") else None
    )


def _agent_state(b: RowBuilder) -> None:
    b.text("agent_id", required=True)
    b.enum("state", events_pb2.AgentStateKind)
    b.text("reason")
    b.text("queue")
    start = b.time("start_time", required=True)
    end = b.time("end_time", required=True)
    b.not_before("end_time", "start_time")
    b.row["start_epoch"] = start.timestamp() if start else None
    b.row["end_epoch"] = end.timestamp() if end else None


def _work_order(b: RowBuilder) -> None:
    b.text("work_order_id", required=True)
    b.optional_text("agent_id")
    b.enum("channel", events_pb2.Channel, default=events_pb2.CHANNEL_MAIL)
    created = b.time("created_at", required=True)
    for name in ("due_at", "first_response_at", "closed_at"):
        b.time(name)
        b.not_before(name, "created_at")
    responded = b.row["first_response_at"]
    b.row["first_response_seconds"] = (
        (responded - created).total_seconds() if created and responded else None
    )
    b.integer("reopen_count", high=10_000)


def _qa_evaluation(b: RowBuilder) -> None:
    b.text("evaluation_id", required=True)
    b.text("agent_id", required=True)
    b.text("evaluator_id")
    b.text("call_id")
    b.text("rubric_code", required=True)
    b.time("evaluated_at", required=True)
    items = []
    if not b.msg.items:
        b.fail("items", "must list the scored items")
    elif len(b.msg.items) > MAX_QA_ITEMS:
        b.fail("items", f"at most {MAX_QA_ITEMS} scored items")
        return
    for i, item in enumerate(b.msg.items):
        _qa_item(b, f"items[{i}]", item)
        items.append(
            {"category": item.category, "item": item.item,
             "score": float(item.score), "max_score": float(item.max_score)}
        )  # fmt: skip
    b.row["items"] = items
    b.row["score"] = sum(i["score"] for i in items)
    b.row["max_score"] = sum(i["max_score"] for i in items)


_QA_ITEM_POINTS = FloatRange(0.0, MAX_QA_ITEM_SCORE)
QA_CODE_LENGTH = 64


def _qa_item(b: RowBuilder, at: str, item: Any) -> None:
    """One scored item: codes of 1–64 printable characters, 0 ≤ score ≤ max_score ≤ 10,000."""
    score, max_score = float(item.score), float(item.max_score)
    problem = _QA_ITEM_POINTS.problem(max_score)
    if problem or max_score == 0:
        b.fail(f"{at}.max_score", problem or "must be positive")
    elif (problem := FloatRange(0.0, max_score).problem(score)) is not None:
        b.fail(f"{at}.score", problem.replace(f"and {max_score:g}", f"and max_score {max_score:g}"))
    for name, required in (("category", False), ("item", True)):
        code: str = getattr(item, name)
        if required and not code:
            b.fail(f"{at}.{name}", "is required")
        elif len(code) > QA_CODE_LENGTH:
            b.fail(f"{at}.{name}", f"is longer than {QA_CODE_LENGTH} characters")
        elif CONTROL_CHARACTERS.search(code):
            b.fail(f"{at}.{name}", "contains control characters")


def _survey(b: RowBuilder) -> None:
    b.text("survey_id", required=True)
    b.optional_text("agent_id")
    b.text("call_id")
    b.time("answered_at", required=True)
    csat = b.integer("csat", low=1, high=5, optional=True)
    nps = b.integer("nps", low=0, high=10, optional=True)
    if csat is None and nps is None:
        b.fail("csat", "a survey answer needs csat or nps")
    b.enum("remark", events_pb2.SurveyRemark, default=events_pb2.SURVEY_REMARK_NONE)


def _complaint(b: RowBuilder) -> None:
    b.text("complaint_id", required=True)
    b.optional_text("agent_id")
    b.text("call_id")
    b.time("received_at", required=True)
    b.row["confirmed"] = bool(b.msg.confirmed)
    b.text("category")


def _audit_finding(b: RowBuilder) -> None:
    b.text("audit_id", required=True)
    b.optional_text("agent_id")
    b.time("audited_at", required=True)
    checked = b.integer("items_checked", low=1)
    errors = b.integer("errors")
    if checked is not None and errors is not None and errors > checked:
        b.fail("errors", "cannot exceed items_checked")
    b.text("category")


def _schedule_interval(b: RowBuilder) -> None:
    b.text("queue", required=True)
    start = b.time("interval_start", required=True)
    b.row["interval_start_epoch"] = start.timestamp() if start else None
    b.integer("interval_minutes", low=1, high=1440)
    for name in ("forecast_volume", "required_staff", "scheduled_staff"):
        b.number(name)


def _hr_fact(b: RowBuilder) -> None:
    employee = b.text("employee_id")
    unit = b.text("org_unit_id")
    if bool(employee) == bool(unit):
        b.fail("employee_id", "set exactly one of employee_id and org_unit_id")
    b.row["employee_id"], b.row["org_unit_id"] = employee or None, unit or None
    b.period()
    for name in ("scheduled_days", "attended_days", "training_hours", "average_headcount"):
        b.number(name, optional=True)
    b.number("employee_satisfaction", optional=True)
    for name in ("suggestions_submitted", "suggestions_adopted", "leavers",
                 "promotions_internal", "promotions_external"):  # fmt: skip
        b.integer(name, optional=True)


def _money(b: RowBuilder, name: str) -> decimal.Decimal | None:
    """Plain decimal text (ASCII digits, an optional sign and point) that fits the column's
    ``Numeric(precision, scale)``: never rounded by the database, never an overflow."""
    money = getattr(b.msg, name)
    if not b.msg.HasField(name):
        b.row[name] = None
        return None
    precision, scale = _numeric(_table(b.kind).c[name])
    whole = precision - scale
    text = money.amount
    if len(text) > precision + 2 or not PLAIN_DECIMAL.fullmatch(text):
        b.fail(f"{name}.amount", "must be plain decimal digits with an optional sign and point, "
               f"at most {whole} digits before the point and {scale} after")  # fmt: skip
        return None
    digits, _, fraction = text.lstrip("+-").partition(".")
    if len(digits.lstrip("0")) > whole or len(fraction) > scale:
        b.fail(f"{name}.amount", f"must have at most {whole} digits before the point "
               f"and {scale} after")  # fmt: skip
        return None
    amount = decimal.Decimal(text)
    b.row[name] = amount
    return amount


def _finance_fact(b: RowBuilder) -> None:
    b.text("org_unit_id", required=True)
    b.period()
    currencies = {
        getattr(b.msg, n).currency_code for n in ("operating_cost", "budget") if b.msg.HasField(n)
    }
    if len(currencies) != 1 or not all(
        len(c) == 3 and c.isascii() and c.isalpha() for c in currencies
    ):
        b.fail("operating_cost.currency_code", "amounts need one ISO 4217 currency code")
    b.row["currency_code"] = next(iter(currencies), "")[:3]
    _money(b, "operating_cost")
    _money(b, "budget")


def _system_availability(b: RowBuilder) -> None:
    b.enum("kind", events_pb2.SystemKind)
    b.text("system_id", required=True)
    day = b.msg.day
    try:
        b.row["day"] = dt.date(day.year, day.month, day.day)
    except ValueError:
        b.fail("day", "is not a valid date")
    else:
        b.within_years("day", b.row["day"], b.row["day"].isoformat())
    scheduled = b.number("scheduled_minutes")
    downtime = b.number("downtime_minutes")
    if scheduled is not None and downtime is not None and downtime > scheduled:
        b.fail("downtime_minutes", "cannot exceed scheduled_minutes")


def _numeric(column: Column[Any]) -> tuple[int, int]:
    kind = column.type
    assert isinstance(kind, Numeric) and kind.precision is not None, column
    return kind.precision, kind.scale or 0


def _json_problem(value: Any) -> str | None:
    """What jsonb refuses: NUL in a string, a number that is not finite."""
    if isinstance(value, str):
        return "contains a NUL character" if UNSTORABLE_TEXT.search(value) else None
    if isinstance(value, float):
        return None if math.isfinite(value) else "holds a number that is not finite"
    if isinstance(value, Mapping):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        return next((p for p in map(_json_problem, value) if p), None)
    return None


def _column_problem(column: Column[Any], value: Any) -> str | None:  # noqa: PLR0911 (one per type)
    """Why Postgres (or the KPI arithmetic) would refuse ``value`` in ``column``, or None."""
    if value is None:
        return None if column.nullable else "is required"
    kind = column.type
    if isinstance(kind, String) and isinstance(value, str):
        if kind.length is not None and len(value) > kind.length:
            return f"is longer than {kind.length} characters"
        unstorable = UNSTORABLE_TEXT.search(value)
        return "contains a NUL or unpaired surrogate character" if unstorable else None
    if isinstance(kind, Double):
        limits = float_range(column)
        return limits.problem(value) if limits else None
    if isinstance(kind, Numeric) and isinstance(value, decimal.Decimal):
        precision, scale = _numeric(column)
        whole = precision - scale
        # Postgres rounds to the scale first: 99…9.99995 would round up past the precision.
        if not value.is_finite() or value.adjusted() >= whole:
            return f"must be below 10^{whole}"
        if value.quantize(decimal.Decimal(1).scaleb(-scale)).adjusted() >= whole:
            return f"must be below 10^{whole}"
        return None
    if isinstance(kind, DateTime) and isinstance(value, dt.datetime):
        return None if EARLIEST <= value < LATEST else f"is outside {TIME_WINDOW}"
    if isinstance(kind, Date) and isinstance(value, dt.date):
        return None if FIRST_YEAR <= value.year <= LAST_YEAR else "is outside the calendar"
    if isinstance(kind, Integer) and isinstance(value, int):
        return None if INT32[0] <= value <= INT32[1] else "is out of the integer range"
    if isinstance(kind, JSON):
        return _json_problem(value)
    return None


@cache
def _stored_columns(kind: str) -> tuple[Column[Any], ...]:
    return tuple(c for c in _table(kind).columns if c.name not in ("source", "ingested_at"))


def storable(kind: str, row: Mapping[str, Any]) -> list[Problem]:
    """Every column of the row checked by its type, before the COPY: the net under the
    kind's own checks, so a column they miss still costs only its own event."""
    problems = []
    for column in _stored_columns(kind):
        problem = _column_problem(column, row.get(column.name))
        if problem:
            problems.append(Problem(f"{kind}.{column.name}", problem))
    return problems


_BUILDERS: dict[str, Callable[[RowBuilder], None]] = {
    "agent_state": _agent_state,
    "work_order": _work_order,
    "qa_evaluation": _qa_evaluation,
    "survey": _survey,
    "complaint": _complaint,
    "audit_finding": _audit_finding,
    "schedule_interval": _schedule_interval,
    "hr_fact": _hr_fact,
    "finance_fact": _finance_fact,
    "system_availability": _system_availability,
}


_CHANNELS = {
    number: events_pb2.Channel.Name(number).removeprefix("CHANNEL_").lower()
    for number in events_pb2.Channel.values()
    if number
}
_OUTCOMES = {
    number: events_pb2.CallOutcome.Name(number).removeprefix("CALL_OUTCOME_").lower()
    for number in events_pb2.CallOutcome.values()
    if number
}
_ANSWERED = frozenset({"answered", "transferred"})
_CALL_ID, _QUEUE, _AGENT = (column_length("call", c) for c in ("call_id", "queue", "agent_id"))


def _instant(stamp: Any) -> dt.datetime | None:
    try:
        value = EPOCH + dt.timedelta(seconds=stamp.seconds, microseconds=stamp.nanos // 1000)
    except (ValueError, OverflowError):
        return None
    return value if EARLIEST <= value < LATEST else None


def fast_call_row(  # noqa: PLR0911 (a straight line of early exits is the point)
    event: events_pb2.Event, hash_caller: Callable[[str], str | None]
) -> dict[str, Any] | None:
    """The row of an ordinary, valid call, or None to take the full path (``_call``).

    Calls are most of the volume, so they get a straight-line check first. It
    accepts only what the full path accepts and builds the same row (a property
    test holds it to that); anything unusual — including every invalid call —
    goes the full path, which alone explains problems.
    """
    c = event.call
    event_id, call_id, queue, agent, caller = (
        event.event_id, c.call_id, c.queue, c.agent_id, c.caller_key,
    )  # fmt: skip
    if not (
        0 < len(event_id) <= MAX_EVENT_ID and 0 < len(call_id) <= _CALL_ID
        and 0 < len(queue) <= _QUEUE and len(agent) <= _AGENT and len(caller) <= MAX_CALLER_KEY
        and event_id.strip() and call_id.strip() and queue.strip()
        and event_id.isprintable() and call_id.isprintable() and queue.isprintable()
        and agent.isprintable() and caller.isprintable()
    ):  # fmt: skip
        return None
    channel = _CHANNELS.get(c.channel or events_pb2.CHANNEL_PHONE)
    outcome = _OUTCOMES.get(c.outcome)
    if channel is None or outcome is None or not c.HasField("offered_at"):
        return None
    offered = _instant(c.offered_at)
    answered = _instant(c.answered_at) if c.HasField("answered_at") else None
    ended = _instant(c.ended_at) if c.HasField("ended_at") else None
    if offered is None or (c.HasField("answered_at") and answered is None):
        return None
    if c.HasField("ended_at") and ended is None:
        return None
    if (answered is not None and answered < offered) or (ended is not None and ended < offered):
        return None
    if (outcome in _ANSWERED) != (answered is not None):
        return None
    wait, talk, hold, acw = c.wait_seconds, c.talk_seconds, c.hold_seconds, c.acw_seconds
    if not (
        (wait == 0.0 or MIN_MAGNITUDE <= wait <= MAX_DURATION_SECONDS)
        and (talk == 0.0 or MIN_MAGNITUDE <= talk <= MAX_DURATION_SECONDS)
        and (hold == 0.0 or MIN_MAGNITUDE <= hold <= MAX_DURATION_SECONDS)
        and (acw == 0.0 or MIN_MAGNITUDE <= acw <= MAX_DURATION_SECONDS)
    ):  # fmt: skip
        return None
    return {
        "call_id": call_id,
        "queue": queue,
        "channel": channel,
        "agent_id": agent or None,
        "caller_hash": hash_caller(caller),
        "offered_at": offered,
        "offered_epoch": offered.timestamp(),
        "answered_at": answered,
        "ended_at": ended,
        "wait_seconds": wait,
        "talk_seconds": talk,
        "hold_seconds": hold,
        "acw_seconds": acw,
        "outcome": outcome,
        "first_contact_resolved": (
            c.first_contact_resolved if c.HasField("first_contact_resolved") else None
        ),
        "event_id": event_id,
    }


def event_to_row(
    event: events_pb2.Event, hash_caller: Callable[[str], str | None]
) -> tuple[str, dict[str, Any], list[Problem]]:
    """(kind, row without source, problems); the row is only usable without problems."""
    kind = event.WhichOneof("payload")
    if kind == "call":
        row = fast_call_row(event, hash_caller)
        if row is not None:
            return kind, row, []
    problems: list[Problem] = []
    if not event.event_id.strip():
        problems.append(Problem("event_id", "is required"))
    elif len(event.event_id) > MAX_EVENT_ID or CONTROL_CHARACTERS.search(event.event_id):
        problems.append(Problem("event_id", f"must be at most {MAX_EVENT_ID} printable characters"))
    if kind is None:
        return "", {}, [*problems, Problem("payload", "no event kind is set")]
    builder = RowBuilder(kind, getattr(event, kind))
    if kind == "call":
        _call(builder, hash_caller)
    else:
        _BUILDERS[kind](builder)
    builder.row["event_id"] = event.event_id
    problems += builder.problems
    if not problems:
        problems = storable(kind, builder.row)
    return kind, builder.row, problems
