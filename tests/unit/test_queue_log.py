"""The Asterisk queue_log importer, on a hand-written log and on edge cases."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccperf.metrics.v1 import events_pb2
from services.metrics.event_rows import caller_hasher, event_to_row
from services.metrics.importers.queue_log import (
    OpenCall,
    OpenState,
    QueueLogReader,
    QueueLogResult,
    StateKind,
    load_agent_map,
    parse_queue_log,
)

DATA = Path(__file__).parent.parent / "data" / "queue_log"
SHANGHAI = ZoneInfo("Asia/Shanghai")
T = 1791331200  # 2026-10-07 08:00 in Shanghai, 00:00 UTC: the sample's first line
AGENTS = {"Agent/1001": "E1001", "SIP/1001": "E1001", "SIP/1002": "E1002", "SIP/1003": "E1003"}

ANSWERED = events_pb2.CALL_OUTCOME_ANSWERED
ABANDONED = events_pb2.CALL_OUTCOME_ABANDONED
TIMEOUT = events_pb2.CALL_OUTCOME_TIMEOUT
TRANSFERRED = events_pb2.CALL_OUTCOME_TRANSFERRED
LOGGED_IN = events_pb2.AGENT_STATE_KIND_LOGGED_IN
AUX = events_pb2.AGENT_STATE_KIND_AUX
ON_CALL = events_pb2.AGENT_STATE_KIND_ON_CALL


def at(offset: float) -> dt.datetime:
    """The instant ``offset`` seconds after the sample's first line, in UTC."""
    return dt.datetime.fromtimestamp(T, dt.UTC) + dt.timedelta(seconds=offset)


def parse(*lines: str, agent_map: dict[str, str] | None = None) -> QueueLogResult:
    return parse_queue_log(
        lines, timezone=SHANGHAI, agent_map=AGENTS if agent_map is None else agent_map
    )


def calls(result: QueueLogResult) -> list[tuple[object, ...]]:
    """(event id, call id, queue, agent, caller, offered, answered, ended, wait, talk, outcome)."""
    rows: list[tuple[object, ...]] = []
    for event in result.events:
        if event.WhichOneof("payload") != "call":
            continue
        c = event.call
        answered = c.answered_at.ToDatetime(dt.UTC) if c.HasField("answered_at") else None
        rows.append(
            (
                event.event_id, c.call_id, c.queue, c.agent_id, c.caller_key,
                c.offered_at.ToDatetime(dt.UTC), answered, c.ended_at.ToDatetime(dt.UTC),
                c.wait_seconds, c.talk_seconds, c.outcome,
            )
        )  # fmt: skip
    return rows


def states(result: QueueLogResult) -> list[tuple[object, ...]]:
    """(event id, agent, state, queue, reason, start, end)."""
    rows: list[tuple[object, ...]] = []
    for event in result.events:
        if event.WhichOneof("payload") != "agent_state":
            continue
        s = event.agent_state
        start, end = s.start_time.ToDatetime(dt.UTC), s.end_time.ToDatetime(dt.UTC)
        rows.append((event.event_id, s.agent_id, s.state, s.queue, s.reason, start, end))
    return rows


@pytest.fixture(scope="module")
def sample() -> QueueLogResult:
    with (DATA / "sample.queue_log").open(encoding="utf-8", newline="") as file:
        return parse_queue_log(
            file, timezone=SHANGHAI, agent_map=load_agent_map(DATA / "agents.csv")
        )


# -- the sample log ------------------------------------------------------------------


def test_sample_calls_are_every_queue_entry_that_ended(sample):
    assert calls(sample) == [
        # answered, completed by the agent; a RINGNOANSWER of SIP/1002 before the connect
        ("1791331300.10", "1791331300.10", "support", "E1001", "13800138001",
         at(100), at(120), at(300), 20.0, 180.0, ANSWERED),
        # answered, completed by the caller
        ("1791331400.14", "1791331400.14", "support", "E1002", "13800138002",
         at(200), at(208), at(428), 8.0, 220.0, ANSWERED),
        # a short abandon (3 s) and a long one (95 s)
        ("1791331600.20", "1791331600.20", "support", "", "13800138003",
         at(400), None, at(403), 3.0, 0.0, ABANDONED),
        ("1791331700.21", "1791331700.21", "billing", "", "13800138004",
         at(500), None, at(595), 95.0, 0.0, ABANDONED),
        # queue timeout, key press, empty queue
        ("1791331800.22", "1791331800.22", "support", "", "13800138005",
         at(600), None, at(900), 300.0, 0.0, TIMEOUT),
        ("1791331900.23", "1791331900.23", "support", "", "13800138006",
         at(700), None, at(745), 45.0, 0.0, TIMEOUT),
        ("1791332000.24", "1791332000.24", "billing", "", "13800138007",
         at(800), None, at(802), 2.0, 0.0, TIMEOUT),
        # blind and attended transfers
        ("1791332200.30", "1791332200.30", "support", "E1003", "13800138008",
         at(1000), at(1012), at(1100), 12.0, 88.0, TRANSFERRED),
        ("1791332400.32", "1791332400.32", "billing", "E1002", "13800138009",
         at(1200), at(1215), at(1400), 15.0, 185.0, TRANSFERRED),
        # answered by an unmapped agent, no caller id
        ("1791332700.40", "1791332700.40", "support", "SIP/1009", "",
         at(1500), at(1510), at(1570), 10.0, 60.0, ANSWERED),
        # one callid: timed out of support, then entered billing and was answered there
        ("1791332800.50", "1791332800.50", "support", "", "13800138010",
         at(1600), None, at(1660), 60.0, 0.0, TIMEOUT),
        ("1791332800.50#2", "1791332800.50", "billing", "E1002", "13800138010",
         at(1661), at(1670), at(1730), 9.0, 60.0, ANSWERED),
    ]  # fmt: skip


def test_sample_agent_states(sample):
    assert sorted(states(sample), key=lambda s: (s[5], s[0])) == [
        ("state:Agent/1001:*:logged_in:1791331205", "E1001", LOGGED_IN, "", "", at(5), at(5000)),
        ("state:SIP/1002:support:logged_in:1791331210", "E1002", LOGGED_IN, "support", "",
         at(10), at(5100)),
        ("state:SIP/1003:support:logged_in:1791331215", "E1003", LOGGED_IN, "support", "",
         at(15), at(5200)),
        ("state:SIP/1009:support:logged_in:1791331220", "SIP/1009", LOGGED_IN, "support", "",
         at(20), at(5300)),
        ("state:Agent/1001:support:on_call:1791331320", "E1001", ON_CALL, "support", "",
         at(120), at(300)),
        ("state:SIP/1002:support:on_call:1791331408", "E1002", ON_CALL, "support", "",
         at(208), at(428)),
        ("state:SIP/1003:support:on_call:1791332212", "E1003", ON_CALL, "support", "",
         at(1012), at(1100)),
        ("state:SIP/1002:billing:on_call:1791332415", "E1002", ON_CALL, "billing", "",
         at(1215), at(1400)),
        ("state:SIP/1009:support:on_call:1791332710", "SIP/1009", ON_CALL, "support", "",
         at(1510), at(1570)),
        ("state:SIP/1002:billing:on_call:1791332870", "E1002", ON_CALL, "billing", "",
         at(1670), at(1730)),
        # a per-queue pause with its reason
        ("state:SIP/1002:support:aux:1791333200", "E1002", AUX, "support", "lunch",
         at(2000), at(3800)),
        # PAUSEALL logs no reason; the PAUSE lines Asterisk writes after it carry it
        ("state:Agent/1001:*:aux:1791333300", "E1001", AUX, "", "training", at(2100), at(2700)),
    ]  # fmt: skip


def test_sample_events_are_in_time_order(sample):
    def start(event: events_pb2.Event) -> dt.datetime:
        if event.WhichOneof("payload") == "call":
            return event.call.offered_at.ToDatetime(dt.UTC)
        return event.agent_state.start_time.ToDatetime(dt.UTC)

    starts = [start(e) for e in sample.events]
    assert starts == sorted(starts)
    assert len(sample.events) == 12 + 12


def test_sample_lists_what_was_left_open(sample):
    # 1791333000.60's COMPLETEAGENT (line 43) is malformed: the call never ended
    assert sample.open_calls == [
        OpenCall("1791333000.60", "1791333000.60", "support", "CONNECT", at(1805))
    ]
    assert sample.open_states == [
        OpenState("E1002", StateKind.LOGGED_IN, "billing", "", at(12)),
        OpenState("E1003", StateKind.ON_CALL, "support", "", at(1805)),
        OpenState("E1002", StateKind.AUX, "billing", "meeting", at(5400)),
    ]


def test_sample_counts_and_problems(sample):
    assert sample.lines_read == 59
    assert [number for number, _reason in sample.malformed] == [43, 48, 49]
    reasons = dict(sample.malformed)
    assert "calltime is not a number" in reasons[43]
    assert "bad time" in reasons[48]
    assert "too few fields" in reasons[49]
    assert sample.skipped_events == Counter(
        {
            "QUEUESTART": 1,
            "DID": 1,
            "SURVEY": 1,  # written by the dialplan's QueueLog(): unknown here
            "CONFIGRELOAD": 1,
            "PAUSE": 2,  # the per-queue echoes of PAUSEALL
            "UNPAUSE": 2,  # the per-queue echoes of UNPAUSEALL
        }
    )
    assert sample.unmatched_events == Counter()
    assert sample.unmapped_agents == ["SIP/1009"]
    assert sample.ring_no_answer == Counter({"E1002": 1, "SIP/1009": 1})


def test_sample_events_are_what_ingestion_accepts(sample):
    for event in sample.events:
        _kind, _row, problems = event_to_row(event, caller_hasher(b"k"))
        assert problems == [], event
        if event.WhichOneof("payload") == "call":
            assert event.call.channel == events_pb2.CHANNEL_PHONE
            assert event.call.hold_seconds == 0
            assert event.call.acw_seconds == 0


# -- times ---------------------------------------------------------------------------


def test_local_datetime_lines_are_read_in_the_center_time_zone():
    result = parse(
        "2026-10-07 08:00:00|c1|support|NONE|ENTERQUEUE||138|1",
        "2026-10-07 08:00:07.250000|c1|support|NONE|ABANDON|1|1|7",
    )
    [call] = calls(result)
    offered, ended = call[5], call[7]
    assert offered == dt.datetime(2026, 10, 7, 0, 0, tzinfo=dt.UTC)
    assert ended == dt.datetime(2026, 10, 7, 0, 0, 7, 250000, tzinfo=dt.UTC)
    assert result.malformed == []


@pytest.mark.parametrize(
    ("first", "utc"),
    [
        # A real archive from February 1999 (issue #13 point 13): once refused whole.
        ("917830800", dt.datetime(1999, 2, 1, 1, 0, tzinfo=dt.UTC)),
        ("1999-02-01 09:00:00", dt.datetime(1999, 2, 1, 1, 0, tzinfo=dt.UTC)),
        ("0", dt.datetime(1970, 1, 1, tzinfo=dt.UTC)),  # queue_log's epoch
        ("7289654391", dt.datetime(2200, 12, 31, 23, 59, 51, tzinfo=dt.UTC)),  # ends 23:59:59
    ],
)
def test_every_time_of_the_shared_calendar_window_is_read(first: str, utc: dt.datetime) -> None:
    result = parse(
        f"{first}|c1|support|NONE|ENTERQUEUE||138|1",
        f"{int(utc.timestamp()) + 8}|c1|support|NONE|ABANDON|1|1|8",
    )
    assert result.malformed == []
    assert [(c[5], c[7]) for c in calls(result)] == [(utc, utc + dt.timedelta(seconds=8))]


def test_epoch_fractions_are_kept_to_the_microsecond():
    result = parse(
        f"{T}.5|c1|support|NONE|ENTERQUEUE||138|1",
        f"{T + 4}.1234567|c1|support|NONE|ABANDON|1|1|4",
    )
    [call] = calls(result)
    assert call[5] == at(0.5)
    assert call[7] == at(4.123456)


# -- calls ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terminal", "wait", "talk"),
    [
        ("ATTENDEDTRANSFER|BRIDGE|5d1c7e11|12|48|1", 12.0, 48.0),
        ("ATTENDEDTRANSFER|APP|Dial|12|48|1", 12.0, 48.0),
        ("ATTENDEDTRANSFER|LINK|SIP/1002-0000001a|SIP/2000-0000001b|12|48|1", 12.0, 48.0),
        ("BLINDTRANSFER|2000|from-internal|12|48|1", 12.0, 48.0),
        ("TRANSFER|2000|from-internal|12|48", 12.0, 48.0),  # Asterisk 1.4–11
    ],
)
def test_transfers_end_the_call_with_holdtime_and_calltime(terminal, wait, talk):
    result = parse(
        f"{T}|c1|support|NONE|ENTERQUEUE||138|1",
        f"{T + 12}|c1|support|SIP/1002|CONNECT|12|c1.2|3",
        f"{T + 60}|c1|support|SIP/1002|{terminal}",
    )
    [call] = calls(result)
    assert call[3:] == ("E1002", "138", at(0), at(12), at(60), wait, talk, TRANSFERRED)
    assert result.open_calls == []


def test_old_exit_lines_without_waittime_wait_until_the_line():
    result = parse(
        f"{T}|c1|support|NONE|ENTERQUEUE||138",
        f"{T + 30}|c1|support|NONE|EXITWITHTIMEOUT|1",
        f"{T + 40}|c2|support|NONE|ENTERQUEUE||139",
        f"{T + 45}|c2|support|NONE|EXITWITHKEY|3|1",
    )
    assert [(c[0], c[8], c[10]) for c in calls(result)] == [
        ("c1", 30.0, TIMEOUT),
        ("c2", 5.0, TIMEOUT),
    ]


def test_an_answer_without_connect_takes_agent_and_answer_from_the_terminal_line():
    result = parse(
        f"{T}|c1|support|NONE|ENTERQUEUE||138|1",
        f"{T + 100}|c1|support|SIP/1003|COMPLETECALLER|10|90|1",
    )
    [call] = calls(result)
    assert call[3:] == ("E1003", "138", at(0), at(10), at(100), 10.0, 90.0, ANSWERED)
    assert [s[0] for s in states(result)] == ["state:SIP/1003:support:on_call:1791331210"]


def test_call_lines_without_an_open_call_are_counted_not_guessed():
    result = parse(
        # the file starts while these calls are in progress
        f"{T}|c0|support|SIP/1002|CONNECT|5|c0.1|2",
        f"{T + 1}|c9|support|SIP/1002|COMPLETEAGENT|5|60|1",
        f"{T + 2}|c8|support|NONE|ABANDON|1|1|30",
        # an abandon after the answer contradicts it: the call stays open
        f"{T + 3}|c1|support|NONE|ENTERQUEUE||138|1",
        f"{T + 5}|c1|support|SIP/1002|CONNECT|2|c1.1|2",
        f"{T + 6}|c1|support|SIP/1003|CONNECT|3|c1.2|2",
        f"{T + 9}|c1|support|NONE|ABANDON|1|1|6",
    )
    assert result.events == []
    assert result.unmatched_events == Counter({"CONNECT": 2, "COMPLETEAGENT": 1, "ABANDON": 2})
    assert result.open_calls == [OpenCall("c1", "c1", "support", "CONNECT", at(5))]
    assert result.unmapped_agents == []


def test_a_duplicate_enterqueue_is_skipped():
    result = parse(
        f"{T}|c1|support|NONE|ENTERQUEUE||138|1",
        f"{T}|c1|support|NONE|ENTERQUEUE||138|1",
        f"{T + 8}|c1|support|NONE|ABANDON|1|1|8",
    )
    assert [c[0] for c in calls(result)] == ["c1"]
    assert result.skipped_events == Counter({"ENTERQUEUE": 1})


def test_reentry_numbering_survives_a_call_left_open_for_days():
    result = parse(
        f"{T}|c1|support|NONE|ENTERQUEUE||138|1",
        *(f"{T + day * 86400}|x{day}|support|NONE|ENTERQUEUE||1|1" for day in range(1, 4)),
        f"{T + 4 * 86400}|c1|billing|NONE|ENTERQUEUE||138|1",
        f"{T + 4 * 86400 + 5}|c1|billing|NONE|ABANDON|1|1|5",
    )
    assert [c[0] for c in calls(result)] == ["c1#2"]
    assert [c.event_id for c in result.open_calls] == ["c1", "x1", "x2", "x3"]


def test_ring_no_answer_counts_per_agent_and_the_call_goes_on():
    result = parse(
        f"{T}|c1|support|NONE|ENTERQUEUE||138|1",
        f"{T + 15}|c1|support|SIP/1002|RINGNOANSWER|15000",
        f"{T + 30}|c1|support|SIP/1002|RINGNOANSWER|15000",
        f"{T + 45}|c1|support|SIP/1077|RINGNOANSWER|15000",
    )
    assert result.ring_no_answer == Counter({"E1002": 2, "SIP/1077": 1})
    assert result.open_calls == [OpenCall("c1", "c1", "support", "RINGNOANSWER", at(45))]
    assert result.unmapped_agents == ["SIP/1077"]


# -- agent states --------------------------------------------------------------------


def test_a_new_reason_while_paused_starts_a_new_aux_interval():
    result = parse(
        f"{T}|NONE|support|SIP/1002|PAUSE|lunch",
        f"{T + 600}|NONE|support|SIP/1002|PAUSE|meeting",
        f"{T + 900}|NONE|support|SIP/1002|PAUSE|",
        f"{T + 1200}|NONE|support|SIP/1002|UNPAUSE|",
    )
    assert [(s[4], s[5], s[6]) for s in states(result)] == [
        ("lunch", at(0), at(600)),
        ("meeting", at(600), at(1200)),
    ]
    assert result.skipped_events == Counter({"PAUSE": 1})


def test_removing_a_member_ends_its_pause_and_the_last_session_ends_every_pause():
    result = parse(
        f"{T}|NONE|support|SIP/1002|ADDMEMBER|",
        f"{T}|NONE|billing|SIP/1002|ADDMEMBER|",
        f"{T + 10}|NONE|support|SIP/1002|PAUSE|lunch",
        f"{T + 20}|NONE|NONE|SIP/1002|PAUSEALL|",
        f"{T + 30}|NONE|support|SIP/1002|REMOVEMEMBER|",
        f"{T + 40}|NONE|billing|SIP/1002|REMOVEMEMBER|",
    )
    assert sorted((s[2], s[3], s[4], s[5], s[6]) for s in states(result)) == [
        (LOGGED_IN, "billing", "", at(0), at(40)),
        (LOGGED_IN, "support", "", at(0), at(30)),
        (AUX, "", "", at(20), at(40)),
        (AUX, "support", "lunch", at(10), at(30)),
    ]
    assert result.open_states == []


def test_names_mapped_to_one_employee_share_their_pauses():
    result = parse(
        f"{T}|NONE|NONE|SIP/1001|PAUSEALL|",
        f"{T}|NONE|support|Agent/1001|PAUSE|break",
        f"{T + 300}|NONE|NONE|SIP/1001|UNPAUSEALL|",
        f"{T + 300}|NONE|support|Agent/1001|UNPAUSE|",
    )
    assert states(result) == [
        ("state:SIP/1001:*:aux:1791331200", "E1001", AUX, "", "break", at(0), at(300))
    ]


def test_state_event_ids_stay_unique_within_one_second():
    result = parse(
        f"{T}|NONE|support|SIP/1002|ADDMEMBER|",
        f"{T}|NONE|support|SIP/1002|REMOVEMEMBER|",
        f"{T}|NONE|support|SIP/1002|ADDMEMBER|",
        f"{T + 60}|NONE|support|SIP/1002|REMOVEMEMBER|",
    )
    assert [s[0] for s in states(result)] == [
        "state:SIP/1002:support:logged_in:1791331200",
        "state:SIP/1002:support:logged_in:1791331200#2",
    ]


def test_on_call_ids_stay_unique_when_another_call_ends_between_two_started_together():
    """Issue #13 point 11: two calls of one agent answered in the same second, and a
    third call of theirs ending between the two ends; the second interval used to
    take the first one's id and be dropped as a duplicate."""
    lines = (
        f"{T}|c0|support|NONE|ENTERQUEUE||138|1",
        f"{T + 5}|c0|support|SIP/1001|CONNECT|5|c0.1|1",
        f"{T + 8}|c1|support|NONE|ENTERQUEUE||139|1",
        f"{T + 9}|c2|support|NONE|ENTERQUEUE||140|1",
        f"{T + 10}|c1|support|SIP/1001|CONNECT|2|c1.1|1",
        f"{T + 10}|c2|support|SIP/1001|CONNECT|1|c2.1|1",
        f"{T + 20}|c1|support|SIP/1001|COMPLETECALLER|2|10|1",
        f"{T + 30}|c0|support|SIP/1001|COMPLETECALLER|5|25|1",  # ends in between
        f"{T + 40}|c2|support|SIP/1001|COMPLETEAGENT|1|30|1",
    )
    on_call = [(s[0], s[5], s[6]) for s in states(parse(*lines)) if s[2] == ON_CALL]
    assert sorted(on_call, key=lambda s: (s[1], s[2])) == [
        (f"state:SIP/1001:support:on_call:{T + 5}", at(5), at(30)),
        (f"state:SIP/1001:support:on_call:{T + 10}", at(10), at(20)),
        (f"state:SIP/1001:support:on_call:{T + 10}#2", at(10), at(40)),
    ]
    # The same file always yields the same ids, so importing it again stores nothing.
    assert [e.event_id for e in parse(*lines).events] == [e.event_id for e in parse(*lines).events]


def test_an_answer_without_connect_gets_its_own_id_beside_a_connected_one():
    """The interval of a terminal line without CONNECT starts in the past (its end minus
    the calltime); it is numbered against the intervals already started then."""
    result = parse(
        f"{T}|c1|support|NONE|ENTERQUEUE||139|1",
        f"{T}|c2|support|NONE|ENTERQUEUE||140|1",
        f"{T + 10}|c1|support|SIP/1001|CONNECT|10|c1.1|1",
        f"{T + 20}|c1|support|SIP/1001|COMPLETECALLER|10|10|1",
        f"{T + 70}|c2|support|SIP/1001|COMPLETEAGENT|10|60|1",  # answered at T + 10 too
    )
    assert [(s[0], s[6]) for s in states(result)] == [
        (f"state:SIP/1001:support:on_call:{T + 10}", at(20)),
        (f"state:SIP/1001:support:on_call:{T + 10}#2", at(70)),
    ]


def test_state_lines_that_change_nothing_are_skipped():
    result = parse(
        f"{T}|NONE|NONE|Agent/1001|AGENTLOGOFF|SIP/1001-00000001|60",
        f"{T + 1}|NONE|support|SIP/1002|UNPAUSE|",
        f"{T + 2}|NONE|support|SIP/1002|ADDMEMBER|",
        f"{T + 3}|NONE|support|SIP/1002|ADDMEMBER|",
    )
    assert result.events == []
    assert result.skipped_events == Counter({"AGENTLOGOFF": 1, "UNPAUSE": 1, "ADDMEMBER": 1})
    assert result.open_states == [OpenState("E1002", StateKind.LOGGED_IN, "support", "", at(2))]


# -- malformed lines -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("", None),  # blank: ignored, not an error
        (f"{T}|c1|support|NONE", "too few fields"),
        ("yesterday|c1|support|NONE|ENTERQUEUE||138|1", "bad time"),
        ("2026-02-30 10:00:00|c1|support|NONE|ENTERQUEUE||138|1", "bad time"),
        ("7289654400|c1|support|NONE|ENTERQUEUE||138|1", "outside the years 1970–2200"),
        ("1969-12-31 23:59:59|c1|support|NONE|ENTERQUEUE||138|1", "outside the years 1970"),
        (f"{T}|c1|support|NONE||x", "no event name"),
        (f"{T}|NONE|support|NONE|ENTERQUEUE||138|1", "no call id"),
        (f"{T}|c1|NONE|NONE|ENTERQUEUE||138|1", "no queue"),
        (f"{T}|c1|support|NONE|CONNECT|5|c1.1|2", "no agent"),
        (f"{T}|c1|support|SIP/1002|CONNECT|-5|c1.1|2", "holdtime is not a number"),
        (f"{T}|c1|support|SIP/1002|CONNECT||c1.1|2", "CONNECT has no holdtime"),
        (f"{T}|c1|support|SIP/1002|COMPLETEAGENT|5|nan|1", "calltime is not a number"),
        (f"{T}|c1|support|SIP/1002|COMPLETEAGENT|5|9999999|1", "longer than 7 days"),
        (f"{T}|c1|support|SIP/1002|ATTENDEDTRANSFER|12|48", "ATTENDEDTRANSFER needs"),
        (f"{T}|c1|support|NONE|ABANDON|1|1|1e3", "waittime is not a number"),
        (f"{T}|c1|support|SIP/1002|RINGNOANSWER|ring", "ring time is not a number"),
        (f"{T}|NONE|support|NONE|PAUSE|lunch", "no agent"),
        (f"{T}|NONE|NONE|SIP/1002|ADDMEMBER|", "no queue"),
        (f"{T}|c1|support\x00|NONE|ENTERQUEUE||138|1", "control characters"),
    ],
)
def test_a_malformed_line_is_reported_and_changes_nothing(line, reason):
    result = parse(
        f"{T - 10}|c1|support|NONE|ENTERQUEUE||138|1",
        line,
        f"{T + 10}|c1|support|NONE|ABANDON|1|1|20",
    )
    assert result.malformed == ([] if reason is None else [(2, result.malformed[0][1])])
    if reason is not None:
        assert reason in result.malformed[0][1]
    assert [c[0] for c in calls(result)] == ["c1"]
    assert result.unmapped_agents == []
    assert result.lines_read == 3


_TOKENS = st.sampled_from(
    [str(T), f"{T}.5", "2026-10-07 08:00:00", "NONE", "c1", "c2", "support", "billing",
     "SIP/1002", "SIP/1077", "Agent/1001", "ENTERQUEUE", "CONNECT", "COMPLETEAGENT",
     "COMPLETECALLER", "ABANDON", "EXITWITHTIMEOUT", "EXITWITHKEY", "EXITEMPTY",
     "BLINDTRANSFER", "ATTENDEDTRANSFER", "TRANSFER", "RINGNOANSWER", "AGENTLOGIN",
     "AGENTLOGOFF", "ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL",
     "UNPAUSEALL", "0", "1", "15", "604800", "604801", "-1", "x", "", " ", "|", "\r", "\x00"]
)  # fmt: skip
_QUEUE_LOG_LIKE = st.lists(_TOKENS, min_size=1, max_size=9).map("|".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(), _QUEUE_LOG_LIKE), max_size=40))
def test_garbage_lines_never_raise(lines):
    result = parse(*lines)
    assert result.lines_read == len(lines)
    numbers = [number for number, _reason in result.malformed]
    assert numbers == sorted(set(numbers))
    assert all(1 <= n <= len(lines) for n in numbers)
    for event in result.events:
        assert event.event_id
        assert event.WhichOneof("payload") in {"call", "agent_state"}


_CALL_TIMES = st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)).map(
    sorted
)  # (enter, connect, end) offsets: few seconds, so starts often coincide


@settings(max_examples=300, deadline=None)
@given(st.lists(_CALL_TIMES, min_size=1, max_size=8))
def test_every_answered_call_of_one_agent_has_its_own_on_call_id(times):
    """Issue #13 point 11 as a property: however an agent's calls overlap, each ON_CALL
    interval has its own event id, and reading the file again gives the same ids."""
    timed = []
    for n, (enter, connect, end) in enumerate(times):
        timed += [
            (T + enter, f"{T + enter}|c{n}|support|NONE|ENTERQUEUE||138|1"),
            (T + connect, f"{T + connect}|c{n}|support|SIP/1001|CONNECT|0|c{n}.1|1"),
            (T + end, f"{T + end}|c{n}|support|SIP/1001|COMPLETECALLER|0|{end - connect}|1"),
        ]
    lines = [line for _at, line in sorted(timed, key=lambda t: t[0])]  # stable: file order
    result = parse(*lines)
    on_call = [s[0] for s in states(result) if s[2] == ON_CALL]
    assert len(on_call) == len(set(on_call)) == len(times)
    assert [e.event_id for e in parse(*lines).events] == [e.event_id for e in result.events]


# -- streaming -----------------------------------------------------------------------


def test_the_reader_streams_its_input():
    def endless() -> Iterator[str]:
        for n in itertools.count():
            yield f"{T + n * 10}|c{n}|support|NONE|ENTERQUEUE||138|1"
            yield f"{T + n * 10 + 5}|c{n}|support|NONE|ABANDON|1|1|5"

    reader = QueueLogReader(timezone=SHANGHAI, agent_map=AGENTS)
    first = list(itertools.islice(reader.events(endless()), 3))
    assert [e.event_id for e in first] == ["c0", "c1", "c2"]
    assert reader.result().lines_read == 6


# -- the agent map -------------------------------------------------------------------


def test_load_agent_map_reads_the_csv():
    assert load_agent_map(DATA / "agents.csv") == AGENTS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("queue_log_agent,employee_id\nSIP/1,E1\n\nSIP/2,E2\n", ":3: blank row"),
        ("queue_log_agent,employee_id\nSIP/1,E1\n , \n", ":3: blank row"),
        ("queue_log_agent,employee_id\nSIP/1,E1\nSIP/1,E9\n", ":3: duplicate queue_log_agent"),
        ("queue_log_agent,employee_id\nSIP/1,\n", ":2: expected"),
        ("queue_log_agent,employee_id\nSIP/1,E1,x\n", ":2: expected"),
        ("agent,employee\nSIP/1,E1\n", ":1: the header"),
        ("", ":1: the header"),
    ],
)
def test_load_agent_map_rejects_bad_rows_with_their_line(tmp_path, text, message):
    path = tmp_path / "agents.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_agent_map(path)
