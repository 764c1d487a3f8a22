"""Every value Postgres or the KPI arithmetic would refuse is a per-event rejection.

Floats (issue #13 point 1), text, amounts, times (point 3) and the calendar window
(point 13), for every field of every event kind: the valid sample of each kind
(tests/data/csv) is spoilt one field at a time.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from sqlalchemy import Double

from ccperf.metrics.v1 import events_pb2
from services.metrics.domain.limits import MIN_MAGNITUDE, FloatRange
from services.metrics.event_rows import caller_hasher, event_to_row, storable
from services.metrics.importers.csv_events import EVENT_KINDS, read_csv_events
from services.metrics.models import EVENT_TABLES, float_range

DATA = Path(__file__).parent.parent / "data" / "csv"
HASH = caller_hasher(b"k")
UNUSABLE_FLOATS = [5e-324, 1e-7, -1e-7, math.nan, math.inf, -math.inf, 1e300, -1.0]


def sample(kind: str) -> events_pb2.Event:
    """The first valid event of the kind's sample file."""
    with (DATA / f"{kind}.csv").open() as stream:
        for row in read_csv_events(stream, kind, timezone=ZoneInfo("Asia/Shanghai")):
            if row.event is not None and not event_to_row(row.event, HASH)[2]:
                return row.event
    raise AssertionError(f"no valid {kind} sample")


def _payload(kind: str) -> Any:
    message = events_pb2.Event.DESCRIPTOR.fields_by_name[kind].message_type
    assert message is not None
    return message


def _double_fields(message: Descriptor) -> Iterator[str]:
    """Paths of the message's double fields; a repeated message's first entry."""
    for fd in message.fields:
        if fd.type == FieldDescriptor.TYPE_DOUBLE:
            yield fd.name
        elif fd.message_type is not None and fd.message_type.name == "QaItemScore":
            yield from (f"{fd.name}[0].{name}" for name in _double_fields(fd.message_type))


FLOAT_FIELDS = [(kind, path) for kind in EVENT_KINDS for path in _double_fields(_payload(kind))]


def _set(event: events_pb2.Event, kind: str, path: str, value: float) -> None:
    msg = getattr(event, kind)
    *parents, leaf = path.split(".")
    for part in parents:
        name, _, index = part.partition("[")
        msg = getattr(msg, name)[int(index.rstrip("]"))] if index else getattr(msg, name)
    setattr(msg, leaf, value)


def test_every_float_field_of_every_kind_is_covered() -> None:
    assert len(FLOAT_FIELDS) == 16  # call 4, QA items 2, schedule 3, HR 5, availability 2
    assert ("schedule_interval", "required_staff") in FLOAT_FIELDS
    assert ("qa_evaluation", "items[0].max_score") in FLOAT_FIELDS


@pytest.mark.parametrize(("kind", "path"), FLOAT_FIELDS)
@pytest.mark.parametrize("value", UNUSABLE_FLOATS)
def test_a_float_the_kpis_cannot_use_is_refused_with_its_field(
    kind: str, path: str, value: float
) -> None:
    event = sample(kind)
    _set(event, kind, path, value)
    _, _, problems = event_to_row(event, HASH)
    assert problems, (kind, path, value)
    assert problems[0].field.startswith(f"{kind}.{path.partition('.')[0].split('[')[0]}"), problems


def test_a_subnormal_staff_figure_is_refused() -> None:
    """The issue's reproduction: required_staff = 5e-324 was accepted."""
    event = sample("schedule_interval")
    event.schedule_interval.required_staff = 5e-324
    _, _, problems = event_to_row(event, HASH)
    assert [(p.field, p.reason) for p in problems] == [
        ("schedule_interval.required_staff", "must be 0 or at least 1e-06 in magnitude, got 5e-324")
    ]
    event.schedule_interval.required_staff = MIN_MAGNITUDE
    assert event_to_row(event, HASH)[2] == []


def test_every_double_column_of_an_event_table_has_a_range() -> None:
    """A new float column cannot slip past validation and the rollups' filter."""
    for kind, model in EVENT_TABLES.items():
        for column in model.__table__.columns:  # type: ignore[attr-defined]
            if isinstance(column.type, Double):
                assert isinstance(float_range(column), FloatRange), (kind, column.name)


def test_a_huge_finance_amount_is_a_rejection_not_an_overflow() -> None:
    event = sample("finance_fact")
    for amount in ("1e999999999", "1E+5", "٢٨٠٠", "2_800", "100000000000000", "1.00001", " 1"):
        event.finance_fact.operating_cost.amount = amount
        _, _, problems = event_to_row(event, HASH)
        assert [p.field for p in problems] == ["finance_fact.operating_cost.amount"], amount
    for amount in ("99999999999999.9999", "-0.5", "+12", "0012.3400"):
        event.finance_fact.operating_cost.amount = amount
        _, row, problems = event_to_row(event, HASH)
        assert problems == [], amount
        assert row["operating_cost"] == decimal.Decimal(amount)


@pytest.mark.parametrize("name", ["category", "item"])
def test_a_nul_in_a_qa_item_code_is_refused(name: str) -> None:
    event = sample("qa_evaluation")
    setattr(event.qa_evaluation.items[0], name, "skills\x00")
    _, _, problems = event_to_row(event, HASH)
    assert [(p.field, p.reason) for p in problems] == [
        (f"qa_evaluation.items[0].{name}", "contains control characters")
    ]


def test_too_many_qa_items_are_refused() -> None:
    event = sample("qa_evaluation")
    item = event.qa_evaluation.items[0]
    event.qa_evaluation.items.extend([item] * 500)
    assert [p.field for p in event_to_row(event, HASH)[2]] == ["qa_evaluation.items"]


def test_every_text_field_is_bounded_by_its_column() -> None:
    for kind in EVENT_KINDS:
        table = EVENT_TABLES[kind].__table__  # type: ignore[attr-defined]
        for fd in _payload(kind).fields:
            if fd.type != FieldDescriptor.TYPE_STRING or fd.name not in table.c:
                continue
            length = table.c[fd.name].type.length
            for text, refused in (("x" * length, False), ("x" * (length + 1), True)):
                event = sample(kind)
                setattr(getattr(event, kind), fd.name, text)
                problems = event_to_row(event, HASH)[2]
                fields = [p.field for p in problems]
                assert (f"{kind}.{fd.name}" in fields) is refused, (kind, fd.name, problems)


def test_the_net_refuses_what_postgres_would_refuse_in_any_column() -> None:
    """``storable`` checks a row by its table's column types alone."""
    event = sample("complaint")
    kind, row, problems = event_to_row(event, HASH)
    assert problems == [] and storable(kind, row) == []
    spoilt = [
        ("category", "a\x00b"), ("category", "x" * 101), ("category", "\ud800"),
        ("received_at", dt.datetime(1969, 12, 31, tzinfo=dt.UTC)),
        ("received_at", dt.datetime(2201, 1, 1, tzinfo=dt.UTC)),
        ("complaint_id", None),
    ]  # fmt: skip
    for name, value in spoilt:
        assert [p.field for p in storable(kind, {**row, name: value})] == [f"complaint.{name}"]
    kind, row, _ = event_to_row(sample("finance_fact"), HASH)
    for amount in ("99999999999999.99995", "1e14", "NaN"):
        assert storable(kind, {**row, "budget": decimal.Decimal(amount)}), amount
    kind, row, _ = event_to_row(sample("qa_evaluation"), HASH)
    assert storable(kind, {**row, "items": [{"category": "\x00", "score": 1.0}]})
    assert storable(kind, {**row, "items": [{"category": "a", "score": math.nan}]})


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (dt.datetime(1999, 2, 1, 9, tzinfo=dt.UTC), True),  # the archive of point 13
        (dt.datetime(1970, 1, 1, tzinfo=dt.UTC), True),
        (dt.datetime(2200, 12, 31, 23, 59, tzinfo=dt.UTC), True),
        (dt.datetime(1969, 12, 31, 23, 59, tzinfo=dt.UTC), False),
        (dt.datetime(2201, 1, 1, tzinfo=dt.UTC), False),
    ],
)
def test_event_times_take_the_calendar_window(moment: dt.datetime, accepted: bool) -> None:
    for kind in ("call", "complaint"):
        event = sample(kind)
        payload = getattr(event, kind)
        for fd in payload.DESCRIPTOR.fields:
            timestamp = fd.message_type is not None and fd.message_type.name == "Timestamp"
            if timestamp and payload.HasField(fd.name):
                getattr(payload, fd.name).FromDatetime(moment)
        problems = event_to_row(event, HASH)[2]
        assert (problems == []) is accepted, (kind, moment, problems)
        if not accepted:
            assert "outside 1970-01-01\u20132200-12-31" in problems[0].reason
