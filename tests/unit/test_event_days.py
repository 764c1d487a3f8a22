"""Batch day attribution (with its per-hour cache) matches the plain per-event local day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.metrics.rollups import event_days, local_day, touched

ZONES = ["Asia/Shanghai", "Asia/Kolkata", "Asia/Kathmandu", "Europe/Berlin", "America/St_Johns"]


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    seconds=st.lists(st.integers(1_767_225_600, 1_798_761_600), min_size=1, max_size=50),
)
def test_event_days_equal_each_events_local_day(zone: str, seconds: list[int]) -> None:
    tz = ZoneInfo(zone)
    rows = [{"offered_at": dt.datetime.fromtimestamp(s, dt.UTC)} for s in seconds]
    assert event_days("call", rows, tz) == {local_day(r["offered_at"], tz) for r in rows}


def test_agent_states_count_every_day_they_span() -> None:
    tz = ZoneInfo("Asia/Shanghai")
    start = dt.datetime(2026, 10, 7, 14, tzinfo=dt.UTC)  # 22:00 local
    rows = [{"start_time": start, "end_time": start + dt.timedelta(hours=28)}]
    assert event_days("agent_state", rows, tz) == {
        dt.date(2026, 10, 7), dt.date(2026, 10, 8), dt.date(2026, 10, 9),
    }  # fmt: skip


@pytest.mark.parametrize("window", [0, 7])
def test_a_call_day_dirties_its_schedule_and_the_fcr_window_before_it(window: int) -> None:
    day = dt.date(2026, 10, 10)
    pairs = touched("call", {day}, window)
    assert ("schedule_interval", day) in pairs
    assert {d for k, d in pairs if k == "call"} == {
        day - dt.timedelta(days=back) for back in range(window + 1)
    }
