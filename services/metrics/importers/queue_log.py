"""Asterisk ``queue_log`` → ``Call`` and ``AgentState`` events.

Asterisk's queue application appends one line per queue event::

    time|callid|queue|agent|EVENT|data1|data2|...

``QueueLogReader.records`` reads such lines into plain records (standard library
only) and streams: it holds just the calls still in a queue, the open login
sessions and pauses, and recent call ids, so a multi-million-line file never
sits in memory. ``to_event`` converts a record to the protobuf ``Event`` sent
to ``IngestEvents``; ``parse_queue_log`` does both and sorts the result.

What queue_log leaves open, and what this reader does about it:

* **Time** is epoch seconds (a fraction is kept to the microsecond) or, as some
  realtime backends write it, a local ``YYYY-MM-DD HH:MM:SS[.ffffff]`` read in
  the center's time zone; a local time repeated by a DST change is taken at its
  first occurrence (``fold=0``). Times outside the years 1970–2200 (the calendar
  window every ccperf time shares, ``services.common.periods``) are malformed.
* **Malformed lines** (fewer than five fields, a bad time, control characters,
  no event name, a missing call id/queue/agent where one is needed, a missing or
  non-numeric number where one is needed, a duration over seven days) are
  reported with their 1-based line number and change nothing. Blank lines are
  counted as read and otherwise ignored.
* **Calls.** Each ENTERQUEUE opens a call keyed by (callid, queue); its event id
  is the callid, then ``callid#2``, ``#3``… each time the same callid enters a
  queue again. A second ENTERQUEUE while that (callid, queue) is still open is a
  duplicate: counted in ``skipped_events`` and ignored. CONNECT marks the answer
  (time and agent); COMPLETEAGENT/COMPLETECALLER (answered), ABANDON
  (abandoned), EXITWITHTIMEOUT/EXITWITHKEY/EXITEMPTY (timeout) and
  BLINDTRANSFER/ATTENDEDTRANSFER/TRANSFER (transferred) end it.
* **Durations** come from the terminal line: ``wait_seconds`` is its holdtime
  (answered, transferred) or waittime (abandoned, timeout); ``talk_seconds`` is
  its calltime. Old Asterisk versions wrote ABANDON/EXIT* lines without a
  waittime; the wait is then the time from ENTERQUEUE to that line.
  ATTENDEDTRANSFER's middle fields differ by version (``BRIDGE|id``,
  ``APP|name``, ``LINK|chan|chan``…), so its holdtime and calltime are the two
  numbers before the last field (the original position).
* **Hold and after-call work** are not in queue_log: ``hold_seconds`` and
  ``acw_seconds`` stay 0, and no AFTER_CALL_WORK or AVAILABLE states are made.
* An answered or transferred line with no CONNECT before it takes its agent
  from that line and ``answered_at = ended_at - calltime``: Asterisk computed the
  calltime from the answer instant, so this is the same instant, not a guess.
  ABANDON/EXIT* after a CONNECT, a second CONNECT, and any call line whose
  (callid, queue) is not open (the file started mid-call) are counted in
  ``unmatched_events`` and change nothing.
* **Calls with no terminal event** at the end are not emitted: they are listed
  in ``open_calls`` (with their last event and its time), and their ON_CALL
  interval, if answered, in ``open_states``.
* **RINGNOANSWER** (ring time in milliseconds) counts one unanswered offer per
  agent in ``ring_no_answer``; the call continues.
* **Agent states.** ON_CALL runs from CONNECT to the terminal line, in the
  call's queue. LOGGED_IN runs from AGENTLOGIN to AGENTLOGOFF (queue empty: all
  queues) or from ADDMEMBER to REMOVEMEMBER in one queue. AUX runs from PAUSE
  to UNPAUSE in one queue, or from PAUSEALL to UNPAUSEALL (queue empty), with
  data1 as its reason. Asterisk follows a PAUSEALL with a PAUSE line for every
  queue (and an UNPAUSEALL with UNPAUSE lines), so a PAUSE while the agent's
  all-queue pause is open belongs to it: it lends its reason if the pause had
  none, is otherwise counted in ``skipped_events``; a PAUSE with a different
  reason while paused ends the interval and starts one with the new reason.
  Asterisk forgets a member's pause when it removes the member and logs no
  UNPAUSE, so REMOVEMEMBER also ends the pause in that queue, and the end of an
  agent's last open session ends all its pauses. Events that change nothing (a
  second login or pause, a logoff or unpause with nothing open) are counted in
  ``skipped_events``. Open sessions and pauses at the end are listed in
  ``open_states``, never closed by guess.
* **Agents** are looked up in the agent map (queue-log name such as
  ``SIP/1001``, ``Agent/1001`` or a member name → employee id, exact match);
  unmapped ones keep their queue-log name and are listed. Open states are
  tracked per employee, so two names mapped to one person (PAUSEALL is logged
  under the interface, PAUSE under the member name) are one agent.
* **State event ids** are ``state:<queue-log agent>:<queue or *>:<kind>:<start
  epoch>``, then ``#2``, ``#3``… for the next intervals of the same agent, queue
  and kind that start in the same instant. They are numbered in the order the
  file starts them (the CONNECT, login or pause line; for an answer without
  CONNECT, its terminal line), whatever order they end in, so each interval has
  its own id; they depend on the file only, so importing it again is idempotent.
  Starts are remembered for a day of file time, like call ids: an answer without
  CONNECT whose calltime exceeds a day is numbered against the starts still
  remembered.
* Events that are known but carry nothing here (QUEUESTART, CONFIGRELOAD,
  SYSCOMPAT, DID, …) and unknown events are counted by name in
  ``skipped_events``.

Open files with ``newline=""`` (or iterate a text file directly): line endings
are stripped here.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ccperf.metrics.v1 import events_pb2
from services.common.periods import EARLIEST_TIME, FIRST_YEAR, LAST_YEAR, LATEST_TIME

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# The longest duration ingestion accepts; a larger holdtime or calltime is corrupt.
MAX_DURATION_SECONDS = 7 * 24 * 3600
# The queue of a state that covers all queues (AGENTLOGIN, PAUSEALL).
ALL_QUEUES = ""
# What Asterisk writes for an empty callid, queue or agent.
NONE = "NONE"
# Call ids that have not entered a queue for this long are forgotten (Asterisk
# unique ids never come back after that long); ids of open calls are kept.
CALL_ID_MEMORY = dt.timedelta(days=1)

KNOWN_IGNORED_EVENTS = frozenset(
    {
        "QUEUESTART",
        "CONFIGRELOAD",
        "SYSCOMPAT",
        "DID",
        "INFO",
        "PENALTY",
        "RINGCANCELED",
        "AGENTDUMP",
        "AGENTCALLED",
    }
)
"""Events Asterisk writes that say nothing about calls or agent states."""

_EPOCH_TIME = re.compile(r"(\d{1,11})(?:\.(\d{1,9}))?", re.ASCII)
_LOCAL_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?", re.ASCII)
_NUMBER = re.compile(r"\d{1,15}(?:\.\d{1,9})?", re.ASCII)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class Outcome(StrEnum):
    ANSWERED = "answered"
    ABANDONED = "abandoned"
    TIMEOUT = "timeout"
    TRANSFERRED = "transferred"


class StateKind(StrEnum):
    LOGGED_IN = "logged_in"
    AUX = "aux"
    ON_CALL = "on_call"


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One queue entry with its end, ready to become a ``Call``."""

    event_id: str
    call_id: str
    queue: str
    agent_id: str
    caller_key: str
    offered_at: dt.datetime
    answered_at: dt.datetime | None
    ended_at: dt.datetime
    wait_seconds: float
    talk_seconds: float
    outcome: Outcome

    @property
    def start(self) -> dt.datetime:
        return self.offered_at


@dataclass(frozen=True, slots=True)
class StateInterval:
    """A closed agent-state interval, ready to become an ``AgentState``."""

    event_id: str
    agent_id: str
    kind: StateKind
    queue: str
    reason: str
    start: dt.datetime
    end: dt.datetime


Record = CallRecord | StateInterval


@dataclass(frozen=True, slots=True)
class OpenCall:
    """A call still without a terminal event when the file ended."""

    event_id: str
    call_id: str
    queue: str
    last_event: str
    last_event_at: dt.datetime


@dataclass(frozen=True, slots=True)
class OpenState:
    """A session, pause or call interval still open when the file ended."""

    agent_id: str
    kind: StateKind
    queue: str
    reason: str
    since: dt.datetime


@dataclass
class QueueLogResult:
    events: list[events_pb2.Event] = field(default_factory=list)
    lines_read: int = 0
    malformed: list[tuple[int, str]] = field(default_factory=list)
    skipped_events: Counter[str] = field(default_factory=Counter)
    unmapped_agents: list[str] = field(default_factory=list)
    open_calls: list[OpenCall] = field(default_factory=list)
    open_states: list[OpenState] = field(default_factory=list)
    # Call lines with no open call to apply to (file started mid-call, out of order).
    unmatched_events: Counter[str] = field(default_factory=Counter)
    # RINGNOANSWER lines per agent (employee id, or queue-log name when unmapped).
    ring_no_answer: Counter[str] = field(default_factory=Counter)


class MalformedLine(ValueError):
    """A queue_log line that cannot be read; the message is the reason."""


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    at: dt.datetime
    call_id: str
    queue: str
    agent: str
    event: str
    data: tuple[str, ...]


@dataclass(slots=True)
class _CallInQueue:
    event_id: str
    call_id: str
    queue: str
    caller_key: str
    offered_at: dt.datetime
    last_event: str
    last_event_at: dt.datetime
    agent_name: str = ""
    agent_id: str = ""
    answered_at: dt.datetime | None = None
    on_call_id: str = ""  # the ON_CALL interval's event id, numbered at CONNECT


@dataclass(slots=True)
class _OpenInterval:
    event_id: str  # numbered when the interval starts (see QueueLogReader._state_id)
    agent_name: str  # queue-log name on the opening line
    agent_id: str
    kind: StateKind
    queue: str
    reason: str
    start: dt.datetime


_ANSWERED_TIMES = {  # event → (holdtime index, calltime index) in the data fields
    "COMPLETEAGENT": (0, 1),
    "COMPLETECALLER": (0, 1),
    "BLINDTRANSFER": (2, 3),
    "TRANSFER": (2, 3),
    "ATTENDEDTRANSFER": (-3, -2),
}
_LEFT_QUEUE = {  # event → (outcome, waittime index)
    "ABANDON": (Outcome.ABANDONED, 2),
    "EXITWITHTIMEOUT": (Outcome.TIMEOUT, 2),
    "EXITEMPTY": (Outcome.TIMEOUT, 2),
    "EXITWITHKEY": (Outcome.TIMEOUT, 3),
}
_SESSION_STARTS = {"AGENTLOGIN", "AGENTCALLBACKLOGIN", "ADDMEMBER"}
_SESSION_ENDS = {"AGENTLOGOFF", "AGENTCALLBACKLOGOFF", "REMOVEMEMBER"}


def _quoted(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _microseconds(fraction: str | None) -> int:
    return int(fraction[:6].ljust(6, "0")) if fraction else 0


def _duration(data: tuple[str, ...], index: int, name: str, *, scale: float = 1.0) -> float | None:
    """The number in ``data[index]`` as seconds; None when the field is absent or empty."""
    text = data[index] if -len(data) <= index < len(data) else ""
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise MalformedLine(f"{name} is not a number: {_quoted(text)}")
    seconds = float(text) / scale
    if seconds > MAX_DURATION_SECONDS:
        raise MalformedLine(f"{name} {text} is longer than 7 days")
    return seconds


def _required_duration(
    data: tuple[str, ...], index: int, name: str, event: str, *, scale: float = 1.0
) -> float:
    seconds = _duration(data, index, name, scale=scale)
    if seconds is None:
        raise MalformedLine(f"{event} has no {name}")
    return seconds


def _epoch_text(moment: dt.datetime) -> str:
    delta = moment - EPOCH
    seconds = delta.days * 86400 + delta.seconds
    return f"{seconds}.{delta.microseconds:06d}" if delta.microseconds else str(seconds)


class _RecentNumbers:
    """Numbers each key's occurrences 1, 2, 3… while the key is recent.

    Keys are forgotten in generations: a key last seen at least ``memory`` ago (in
    file time) may be forgotten when a generation ends, so a stream of any length
    holds only recent keys; ``keep`` names keys to carry over whatever their age.
    """

    def __init__(self, memory: dt.timedelta) -> None:
        self._memory = memory
        self._recent: dict[str, int] = {}
        self._older: dict[str, int] = {}
        self._generation_ends: dt.datetime | None = None

    def next(self, key: str, at: dt.datetime, keep: Callable[[], set[str]] | None = None) -> int:
        if self._generation_ends is None:
            self._generation_ends = at + self._memory
        elif at >= self._generation_ends:
            kept = keep() if keep else set()
            self._older = {k: n for k, n in self._older.items() if k in kept} | self._recent
            self._recent = {}
            self._generation_ends = at + self._memory
        number = (self._recent.get(key) or self._older.pop(key, 0)) + 1
        self._recent[key] = number
        return number


class QueueLogReader:
    """Reads queue_log lines into records, keeping only what is still open.

    Feed it with ``records(lines)`` (or ``events(lines)``); ``result()`` then
    reports the counts, problems and what was left open. Records come out when
    they end (a call at its terminal line), not sorted.
    """

    def __init__(self, *, timezone: zoneinfo.ZoneInfo, agent_map: Mapping[str, str]) -> None:
        self._timezone = timezone
        self._agent_map = agent_map
        self.lines_read = 0
        self.malformed: list[tuple[int, str]] = []
        self.skipped_events: Counter[str] = Counter()
        self.unmatched_events: Counter[str] = Counter()
        self.ring_no_answer: Counter[str] = Counter()
        self._unmapped: set[str] = set()
        self._calls: dict[tuple[str, str], _CallInQueue] = {}
        self._entries = _RecentNumbers(CALL_ID_MEMORY)
        self._state_starts = _RecentNumbers(CALL_ID_MEMORY)
        self._sessions: dict[str, dict[str, _OpenInterval]] = {}
        self._pauses: dict[str, dict[str, _OpenInterval]] = {}
        handlers: dict[str, Callable[[_Line], list[Record]]] = {
            "ENTERQUEUE": self._enter_queue,
            "CONNECT": self._connect,
            "RINGNOANSWER": self._ring_no_answer,
            "PAUSE": self._pause,
            "PAUSEALL": self._pause,
            "UNPAUSE": self._unpause,
            "UNPAUSEALL": self._unpause,
        }
        handlers.update(dict.fromkeys(_ANSWERED_TIMES, self._answered_end))
        handlers.update(dict.fromkeys(_LEFT_QUEUE, self._left_queue))
        handlers.update(dict.fromkeys(_SESSION_STARTS, self._session_start))
        handlers.update(dict.fromkeys(_SESSION_ENDS, self._session_end))
        self._handlers = handlers

    # -- reading -------------------------------------------------------------

    def records(self, lines: Iterable[str]) -> Iterator[Record]:
        for line in lines:
            self.lines_read += 1
            try:
                produced = self._read_line(self.lines_read, line)
            except MalformedLine as exc:
                self.malformed.append((self.lines_read, str(exc)))
                continue
            yield from produced

    def events(self, lines: Iterable[str]) -> Iterator[events_pb2.Event]:
        return (to_event(record) for record in self.records(lines))

    def result(self, events: Iterable[events_pb2.Event] = ()) -> QueueLogResult:
        calls = sorted(self._calls.values(), key=lambda c: (c.last_event_at, c.event_id))
        open_states = [
            OpenState(c.agent_id, StateKind.ON_CALL, c.queue, "", c.answered_at)
            for c in calls
            if c.answered_at is not None and c.agent_name
        ]
        for table in (self._sessions, self._pauses):
            open_states.extend(
                OpenState(i.agent_id, i.kind, i.queue, i.reason, i.start)
                for by_queue in table.values()
                for i in by_queue.values()
            )
        open_states.sort(key=lambda s: (s.since, s.agent_id, s.queue, s.kind))
        return QueueLogResult(
            events=list(events),
            lines_read=self.lines_read,
            malformed=list(self.malformed),
            skipped_events=Counter(self.skipped_events),
            unmapped_agents=sorted(self._unmapped),
            open_calls=[
                OpenCall(c.event_id, c.call_id, c.queue, c.last_event, c.last_event_at)
                for c in calls
            ],
            open_states=open_states,
            unmatched_events=Counter(self.unmatched_events),
            ring_no_answer=Counter(self.ring_no_answer),
        )

    def _read_line(self, number: int, line: str) -> list[Record]:
        text = line.rstrip("\r\n")
        if not text.strip():
            return []
        if _CONTROL_CHARACTERS.search(text):
            raise MalformedLine("contains control characters")
        fields = [f.strip() for f in text.split("|")]
        if len(fields) < 5:
            raise MalformedLine(f"too few fields: {len(fields)} of time|callid|queue|agent|EVENT")
        at = self._time(fields[0])
        event = fields[4]
        if not event:
            raise MalformedLine("no event name")
        handler = self._handlers.get(event)
        if handler is None:
            self.skipped_events[event] += 1
            return []
        call_id, queue, agent = (value if value != NONE else "" for value in fields[1:4])
        return handler(_Line(number, at, call_id, queue, agent, event, tuple(fields[5:])))

    def _time(self, text: str) -> dt.datetime:
        if match := _EPOCH_TIME.fullmatch(text):
            seconds, fraction = match.groups()
            moment = EPOCH + dt.timedelta(
                seconds=int(seconds), microseconds=_microseconds(fraction)
            )
        elif match := _LOCAL_TIME.fullmatch(text):
            *parts, fraction = match.groups()
            year, month, day, hour, minute, second = (int(p) for p in parts)
            try:
                local = dt.datetime(
                    year, month, day, hour, minute, second, _microseconds(fraction),
                    tzinfo=self._timezone,
                )  # fmt: skip
                moment = local.astimezone(dt.UTC)
            except (ValueError, OverflowError) as exc:
                raise MalformedLine(f"bad time {_quoted(text)}: {exc}") from None
        else:
            raise MalformedLine(f"bad time {_quoted(text)}")
        if not EARLIEST_TIME <= moment < LATEST_TIME:
            raise MalformedLine(
                f"time {_quoted(text)} is outside the years {FIRST_YEAR}–{LAST_YEAR}"
            )
        return moment

    # -- helpers (the handlers validate everything before they change state) --

    @staticmethod
    def _call_key(line: _Line) -> tuple[str, str]:
        if not line.call_id:
            raise MalformedLine(f"{line.event} has no call id")
        if not line.queue:
            raise MalformedLine(f"{line.event} has no queue")
        return line.call_id, line.queue

    @staticmethod
    def _agent_name(line: _Line) -> str:
        if not line.agent:
            raise MalformedLine(f"{line.event} has no agent")
        return line.agent

    def _employee(self, agent_name: str) -> str:
        employee = self._agent_map.get(agent_name)
        if employee is None:
            self._unmapped.add(agent_name)
            return agent_name
        return employee

    def _entry_number(self, call_id: str, at: dt.datetime) -> int:
        """1 for a call id's first queue entry, 2 for its second…"""
        return self._entries.next(
            call_id, at, keep=lambda: {open_id for open_id, _queue in self._calls}
        )

    def _state_id(
        self, agent_name: str, queue: str, kind: StateKind, start: dt.datetime, at: dt.datetime
    ) -> str:
        """The id of an interval starting now (the line at ``at``): numbered when it
        starts, not when it ends, so intervals that start together and end in any
        order, with others ending in between, still get one id each."""
        base = f"state:{agent_name}:{queue or '*'}:{kind}:{_epoch_text(start)}"
        number = self._state_starts.next(base, at)
        return base if number == 1 else f"{base}#{number}"

    def _open(
        self, at: dt.datetime, agent_name: str, agent_id: str, kind: StateKind, queue: str,
        reason: str = "",
    ) -> _OpenInterval:  # fmt: skip
        """A session or pause starting at the line at ``at``."""
        event_id = self._state_id(agent_name, queue, kind, at, at)
        return _OpenInterval(event_id, agent_name, agent_id, kind, queue, reason, at)

    @staticmethod
    def _close(interval: _OpenInterval, end: dt.datetime) -> StateInterval:
        return StateInterval(
            event_id=interval.event_id,
            agent_id=interval.agent_id,
            kind=interval.kind,
            queue=interval.queue,
            reason=interval.reason,
            start=interval.start,
            end=end,
        )

    # -- calls ------------------------------------------------------------------

    def _enter_queue(self, line: _Line) -> list[Record]:
        call_id, queue = self._call_key(line)
        if (call_id, queue) in self._calls:
            self.skipped_events[line.event] += 1  # a duplicate of the entry still open
            return []
        number = self._entry_number(call_id, line.at)
        self._calls[call_id, queue] = _CallInQueue(
            event_id=call_id if number == 1 else f"{call_id}#{number}",
            call_id=call_id,
            queue=queue,
            caller_key=line.data[1] if len(line.data) > 1 else "",
            offered_at=line.at,
            last_event=line.event,
            last_event_at=line.at,
        )
        return []

    def _connect(self, line: _Line) -> list[Record]:
        key = self._call_key(line)
        agent_name = self._agent_name(line)
        _required_duration(line.data, 0, "holdtime", line.event)
        call = self._calls.get(key)
        if call is None or call.answered_at is not None:
            self.unmatched_events[line.event] += 1
            return []
        call.answered_at = line.at
        call.agent_name = agent_name
        call.agent_id = self._employee(agent_name)
        call.on_call_id = self._state_id(
            agent_name, call.queue, StateKind.ON_CALL, line.at, line.at
        )
        call.last_event, call.last_event_at = line.event, line.at
        return []

    def _ring_no_answer(self, line: _Line) -> list[Record]:
        key = self._call_key(line)
        agent_name = self._agent_name(line)
        _required_duration(line.data, 0, "ring time", line.event, scale=1000.0)
        self.ring_no_answer[self._employee(agent_name)] += 1
        call = self._calls.get(key)
        if call is not None:
            call.last_event, call.last_event_at = line.event, line.at
        return []

    def _answered_end(self, line: _Line) -> list[Record]:
        key = self._call_key(line)
        if line.event == "ATTENDEDTRANSFER" and len(line.data) < 4:
            raise MalformedLine("ATTENDEDTRANSFER needs method|…|holdtime|calltime|origposition")
        hold_index, talk_index = _ANSWERED_TIMES[line.event]
        wait = _required_duration(line.data, hold_index, "holdtime", line.event)
        talk = _required_duration(line.data, talk_index, "calltime", line.event)
        call = self._calls.pop(key, None)
        if call is None:
            self.unmatched_events[line.event] += 1
            return []
        if call.answered_at is None:  # no CONNECT line: the terminal line says who and how long
            call.answered_at = line.at - dt.timedelta(seconds=talk)
            call.agent_name = line.agent
            call.agent_id = self._employee(line.agent) if line.agent else ""
            if line.agent:
                call.on_call_id = self._state_id(
                    line.agent, call.queue, StateKind.ON_CALL, call.answered_at, line.at
                )
        outcome = Outcome.ANSWERED if line.event.startswith("COMPLETE") else Outcome.TRANSFERRED
        produced: list[Record] = [self._call_record(call, line.at, wait, talk, outcome)]
        if call.agent_name:
            on_call = _OpenInterval(
                call.on_call_id, call.agent_name, call.agent_id, StateKind.ON_CALL, call.queue,
                "", call.answered_at,
            )  # fmt: skip
            produced.append(self._close(on_call, line.at))
        return produced

    def _left_queue(self, line: _Line) -> list[Record]:
        key = self._call_key(line)
        outcome, wait_index = _LEFT_QUEUE[line.event]
        wait = _duration(line.data, wait_index, "waittime")
        call = self._calls.get(key)
        if call is None or call.answered_at is not None:
            self.unmatched_events[line.event] += 1
            return []
        del self._calls[key]
        if wait is None:  # Asterisk before 1.6 wrote no waittime here
            wait = (line.at - call.offered_at).total_seconds()
        return [self._call_record(call, line.at, wait, 0.0, outcome)]

    @staticmethod
    def _call_record(
        call: _CallInQueue, ended_at: dt.datetime, wait: float, talk: float, outcome: Outcome
    ) -> CallRecord:
        return CallRecord(
            event_id=call.event_id,
            call_id=call.call_id,
            queue=call.queue,
            agent_id=call.agent_id,
            caller_key=call.caller_key,
            offered_at=call.offered_at,
            answered_at=call.answered_at,
            ended_at=ended_at,
            wait_seconds=wait,
            talk_seconds=talk,
            outcome=outcome,
        )

    # -- agent states -------------------------------------------------------------

    def _session_queue(self, line: _Line) -> str:
        if line.event.startswith("AGENT"):
            return ALL_QUEUES
        if not line.queue:
            raise MalformedLine(f"{line.event} has no queue")
        return line.queue

    def _session_start(self, line: _Line) -> list[Record]:
        agent_name = self._agent_name(line)
        queue = self._session_queue(line)
        agent_id = self._employee(agent_name)
        sessions = self._sessions.setdefault(agent_id, {})
        if queue in sessions:
            self.skipped_events[line.event] += 1
            return []
        sessions[queue] = self._open(line.at, agent_name, agent_id, StateKind.LOGGED_IN, queue)
        return []

    def _session_end(self, line: _Line) -> list[Record]:
        agent_name = self._agent_name(line)
        queue = self._session_queue(line)
        agent_id = self._employee(agent_name)
        sessions = self._sessions.get(agent_id, {})
        session = sessions.pop(queue, None)
        if session is None:
            self.skipped_events[line.event] += 1
            return []
        produced: list[Record] = [self._close(session, line.at)]
        pauses = self._pauses.get(agent_id, {})
        if queue != ALL_QUEUES and queue in pauses:
            produced.append(self._close(pauses.pop(queue), line.at))
        if not sessions:  # the agent's last session: no pause outlives it
            produced.extend(self._close(pause, line.at) for pause in pauses.values())
            pauses.clear()
            self._sessions.pop(agent_id, None)
        if not pauses:
            self._pauses.pop(agent_id, None)
        return produced

    def _pause(self, line: _Line) -> list[Record]:
        agent_name = self._agent_name(line)
        scope = ALL_QUEUES if line.event == "PAUSEALL" else line.queue
        reason = line.data[0] if line.data else ""
        agent_id = self._employee(agent_name)
        pauses = self._pauses.setdefault(agent_id, {})
        current = pauses.get(ALL_QUEUES) or pauses.get(scope)
        if current is None:
            pauses[scope] = self._open(line.at, agent_name, agent_id, StateKind.AUX, scope, reason)
            return []
        if not current.reason and reason:
            current.reason = reason
        if not reason or reason == current.reason:
            self.skipped_events[line.event] += 1
            return []
        pauses[current.queue] = self._open(
            line.at, current.agent_name, agent_id, StateKind.AUX, current.queue, reason
        )
        return [self._close(current, line.at)]

    def _unpause(self, line: _Line) -> list[Record]:
        agent_name = self._agent_name(line)
        scope = ALL_QUEUES if line.event == "UNPAUSEALL" else line.queue
        agent_id = self._employee(agent_name)
        pauses = self._pauses.get(agent_id, {})
        current = pauses.pop(scope, None)
        if current is None:
            self.skipped_events[line.event] += 1
            return []
        if not pauses:
            self._pauses.pop(agent_id, None)
        return [self._close(current, line.at)]


# -- the edge: records → protobuf ---------------------------------------------------

_CALL_OUTCOMES = {
    Outcome.ANSWERED: events_pb2.CALL_OUTCOME_ANSWERED,
    Outcome.ABANDONED: events_pb2.CALL_OUTCOME_ABANDONED,
    Outcome.TIMEOUT: events_pb2.CALL_OUTCOME_TIMEOUT,
    Outcome.TRANSFERRED: events_pb2.CALL_OUTCOME_TRANSFERRED,
}
_STATE_KINDS = {
    StateKind.LOGGED_IN: events_pb2.AGENT_STATE_KIND_LOGGED_IN,
    StateKind.AUX: events_pb2.AGENT_STATE_KIND_AUX,
    StateKind.ON_CALL: events_pb2.AGENT_STATE_KIND_ON_CALL,
}


def to_event(record: Record) -> events_pb2.Event:
    if isinstance(record, CallRecord):
        call = events_pb2.Call(
            call_id=record.call_id,
            queue=record.queue,
            channel=events_pb2.CHANNEL_PHONE,
            agent_id=record.agent_id,
            caller_key=record.caller_key,
            wait_seconds=record.wait_seconds,
            talk_seconds=record.talk_seconds,
            outcome=_CALL_OUTCOMES[record.outcome],
        )
        call.offered_at.FromDatetime(record.offered_at)
        if record.answered_at is not None:
            call.answered_at.FromDatetime(record.answered_at)
        call.ended_at.FromDatetime(record.ended_at)
        return events_pb2.Event(event_id=record.event_id, call=call)
    state = events_pb2.AgentState(
        agent_id=record.agent_id,
        state=_STATE_KINDS[record.kind],
        reason=record.reason,
        queue=record.queue,
    )
    state.start_time.FromDatetime(record.start)
    state.end_time.FromDatetime(record.end)
    return events_pb2.Event(event_id=record.event_id, agent_state=state)


def parse_queue_log(
    lines: Iterable[str], *, timezone: zoneinfo.ZoneInfo, agent_map: Mapping[str, str]
) -> QueueLogResult:
    """Read a whole queue_log; ``events`` are sorted by start time, then event id.

    For files too big to hold their events in memory, use ``QueueLogReader.events``.
    """
    reader = QueueLogReader(timezone=timezone, agent_map=agent_map)
    records = sorted(reader.records(lines), key=lambda r: (r.start, r.event_id))
    return reader.result(to_event(record) for record in records)


AGENT_MAP_HEADER = ["queue_log_agent", "employee_id"]


def load_agent_map(path: str | Path) -> dict[str, str]:
    """Read ``queue_log_agent,employee_id`` rows; ValueError names the line of a bad row."""
    mapping: dict[str, str] = {}
    first_line: dict[str, int] = {}
    with Path(path).open(newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        header = next(reader, None)
        if header is None or [h.strip() for h in header] != AGENT_MAP_HEADER:
            raise ValueError(f"{path}:1: the header must be {','.join(AGENT_MAP_HEADER)}")
        for row in reader:
            line = reader.line_num
            values = [value.strip() for value in row]
            if not any(values):
                raise ValueError(f"{path}:{line}: blank row")
            if len(values) != 2 or not all(values):
                raise ValueError(f"{path}:{line}: expected queue_log_agent,employee_id")
            agent, employee = values
            if agent in mapping:
                raise ValueError(
                    f"{path}:{line}: duplicate queue_log_agent {agent!r} "
                    f"(first on line {first_line[agent]})"
                )
            mapping[agent] = employee
            first_line[agent] = line
    return mapping
