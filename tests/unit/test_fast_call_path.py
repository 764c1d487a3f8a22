"""The fast path for calls accepts exactly what the full validation accepts, with the same row."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ccperf.metrics.v1 import events_pb2
from services.metrics.event_rows import RowBuilder, _call, caller_hasher, fast_call_row

HASH = caller_hasher(b"k")
BASE = dt.datetime(2026, 10, 7, 1, 0, tzinfo=dt.UTC)
texts = st.one_of(
    st.sampled_from(["", " ", "C1", "billing", "E1", "+86138", "a\tb", "x\x00y", "客服", "\u2028"]),
    st.text(max_size=5),
    st.text(min_size=60, max_size=70),
)
numbers = st.one_of(
    st.sampled_from([0.0, 5.0, -1.0, math.nan, math.inf, 7 * 24 * 3600.0 + 1, 5e-324, 1e-6]),
    st.floats(allow_nan=True, allow_infinity=True),
)
offsets = st.one_of(st.none(), st.integers(-100, 100_000), st.integers(-(10**12), 10**12))


def full_path(event: events_pb2.Event) -> tuple[dict[str, object], list[object]]:
    builder = RowBuilder("call", event.call)
    _call(builder, HASH)
    builder.row["event_id"] = event.event_id
    problems: list[object] = list(builder.problems)
    if not event.event_id.strip() or len(event.event_id) > 200:
        problems.append("event_id")
    from services.common.protoconv import CONTROL_CHARACTERS  # noqa: PLC0415

    if CONTROL_CHARACTERS.search(event.event_id):
        problems.append("event_id")
    return builder.row, problems


@settings(max_examples=1500, deadline=None)
@given(
    event_id=texts, call_id=texts, queue=texts, agent=texts, caller=texts,
    channel=st.integers(0, 5), outcome=st.integers(0, 7),
    offered=offsets, answered=offsets, ended=offsets,
    wait=numbers, talk=numbers, hold=numbers, acw=numbers, fcr=st.one_of(st.none(), st.booleans()),
)  # fmt: skip
def test_fast_path_agrees_with_the_full_validation(
    event_id: str, call_id: str, queue: str, agent: str, caller: str, channel: int,
    outcome: int, offered: int | None, answered: int | None, ended: int | None,
    wait: float, talk: float, hold: float, acw: float, fcr: bool | None,
) -> None:  # fmt: skip
    call = events_pb2.Call(
        call_id=call_id, queue=queue, agent_id=agent, caller_key=caller,
        wait_seconds=wait, talk_seconds=talk, hold_seconds=hold, acw_seconds=acw,
    )  # fmt: skip
    call.channel = channel  # type: ignore[assignment]
    call.outcome = outcome  # type: ignore[assignment]
    for field, offset in (("offered_at", offered), ("answered_at", answered), ("ended_at", ended)):
        if offset is not None:
            stamp = getattr(call, field)
            stamp.seconds = int(BASE.timestamp()) + offset
    if fcr is not None:
        call.first_contact_resolved = fcr
    event = events_pb2.Event(event_id=event_id, call=call)
    fast = fast_call_row(event, HASH)
    row, problems = full_path(event)
    if problems:
        assert fast is None, problems
    elif fast is not None:
        assert fast == row


def test_ordinary_calls_take_the_fast_path_with_the_full_path_row() -> None:
    from tests.support.metrics_events import abandoned_call, answered_call  # noqa: PLC0415

    for event in (answered_call("C1"), abandoned_call("C2"), answered_call("C3", agent="")):
        fast = fast_call_row(event, HASH)
        assert fast is not None
        assert fast == full_path(event)[0]
