"""A month of demo contact-center data: an Asterisk ``queue_log`` and one CSV per event kind.

Everything comes from seeded ``random.Random`` streams (standard library only), so the
same staff and month give byte-identical files, and importing them twice finds only
duplicates the second time.

The model, in the order it is built:

* **Demand.** Four queues share the calls offered per day (``MonthSpec.calls_per_day``
  on an ordinary weekday) along an intraday curve with a mid-morning and an afternoon
  peak, 08:00–20:00 in 30-minute intervals. Mondays are busiest, weekends quiet, public
  holidays quieter still (the first one the quietest), and the day after a holiday
  week surges. Each interval's calls are Poisson; the planner's forecast misses the
  true rate by a few percent.
* **Staff.** Every agent has a persistent skill (a z-score) that shortens talk and
  wrap-up, raises CSAT, QA and first-contact resolution, and lowers transfers, ring
  no-answers, complaints and audit errors. Probation, temporary and external part-time
  staff start lower. Managers and team leads take no calls.
* **Roster.** Agents work about five days in seven (fewer on weekends and holidays,
  never during their leave, now and then absent when rostered) on shifts A 08:00–17:00,
  B 09:30–18:30 and C 11:00–20:00 (part-timers 16:00–20:00), with a lunch hour, two
  15-minute breaks and now and then an hour of training. Per interval, the planner puts
  as many agents of each queue on the phones as Erlang C asks for 80 % in 20 s (times
  a daily staffing factor, so some days run short); the others work tickets
  (``backoffice``).
* **Calls.** Callers arrive and are answered first come, first served by the agent of
  the queue's skill who is free first; an agent is free inside a phone window and
  after the previous call's wrap-up. Callers hang up after their patience runs out
  (a few almost at once: short abandons), press 1 for a callback, or leave at the
  queue's 300-second timeout. Answered calls end with either side hanging up, or a
  blind transfer to another queue (the call enters that queue again with the same
  call id) or an attended transfer to second line. Unresolved calls bring the same
  caller back within days, which first-contact resolution counts.
* **Around the calls.** Post-call surveys (CSAT 1–5, often NPS 0–10) for a quarter of
  the answered calls, QA evaluations on the seed 004 recording rubric, a few complaints
  (most confirmed), tickets, audits, the 30-minute schedule (forecast, required and
  scheduled staff per queue), HR facts per employee and for the center, the center's
  cost and budget, and daily availability of lines, network, applications and hardware.

The queue_log is what Asterisk writes: ``epoch|callid|queue|agent|EVENT|data…`` with
AGENTLOGIN/AGENTLOGOFF, PAUSEALL/PAUSE and UNPAUSEALL/UNPAUSE (one all-queue line plus
one per queue, as app_queue logs a pause across queues), ENTERQUEUE, RINGNOANSWER,
CONNECT, COMPLETEAGENT/COMPLETECALLER, BLINDTRANSFER/ATTENDEDTRANSFER, ABANDON,
EXITWITHKEY and EXITWITHTIMEOUT. It carries no hold or after-call-work seconds, so
those are not in the data (wrap-up only keeps agents busy).
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = [
    "CSV_KINDS",
    "QUEUES",
    "RUBRIC",
    "Contract",
    "DemoData",
    "MonthSpec",
    "StaffMember",
    "erlang_c_agents",
    "generate_month",
]

Contract = Literal["regular", "probation", "temporary", "part_time"]


@dataclass(frozen=True)
class QueueSpec:
    share: float
    """Share of the calls offered."""
    talk_seconds: float
    """Mean talk time of an average agent."""
    extension: str
    """Dialplan extension that reaches the queue (target of blind transfers)."""
    transfer_to: str
    """Queue a blind transfer from this queue goes to."""


QUEUES: dict[str, QueueSpec] = {
    "consult": QueueSpec(0.55, 190.0, "6001", "billing"),
    "billing": QueueSpec(0.25, 245.0, "6002", "consult"),
    "repair": QueueSpec(0.12, 285.0, "6003", "consult"),
    "vip": QueueSpec(0.08, 225.0, "6004", "billing"),
}

# Seed 004 appendix 2 (客服录音监听标准): category, item, allowed scores (best first).
# The seed's text breaks off after 业务熟悉 15/10/…: the other business-knowledge items
# and the service-attitude category (so the form totals 100) are assumed.
RUBRIC: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("handling_skills", "greeting", (5, 2, 0)),
    ("handling_skills", "listening", (5, 2, 0)),
    ("handling_skills", "questioning", (5, 2, 0)),
    ("handling_skills", "wording", (5, 2, 1, 0)),
    ("handling_skills", "voice", (5, 2, 0)),
    ("handling_skills", "closing", (5, 2, 0)),
    ("business_knowledge", "familiarity", (15, 10, 5, 0)),
    ("business_knowledge", "accuracy", (15, 10, 5, 0)),
    ("business_knowledge", "completeness", (15, 10, 5, 0)),
    ("service_attitude", "patience", (10, 5, 0)),
    ("service_attitude", "initiative", (15, 10, 5, 0)),
)
RUBRIC_CODE = "seed004_recording"

CSV_KINDS = (
    "survey",
    "qa_evaluation",
    "complaint",
    "work_order",
    "audit_finding",
    "schedule_interval",
    "hr_fact",
    "finance_fact",
    "system_availability",
)
"""The CSV files written, in import order (file name: ``<kind>.csv``)."""

OPEN_MINUTE = 8 * 60
INTERVAL_SECONDS = 1800
INTERVALS = 24  # 08:00–20:00
# Relative calls per 30-minute interval from 08:00: peaks at 10:00 and 14:30.
INTRADAY = (
    0.55, 0.80, 1.15, 1.35, 1.45, 1.40, 1.25, 1.00, 0.75, 0.70, 0.85, 1.05,
    1.25, 1.30, 1.25, 1.15, 1.05, 0.95, 0.80, 0.65, 0.50, 0.40, 0.35, 0.25,
)  # fmt: skip
INTRADAY_TOTAL = sum(INTRADAY)
WEEKDAY_FACTOR = (1.15, 1.05, 1.0, 1.0, 0.95, 0.55, 0.5)  # Monday … Sunday
SHIFTS = {  # first interval, end interval (exclusive), lunch starts to choose from
    "A": (0, 18, (6, 7, 8)),  # 08:00–17:00
    "B": (3, 21, (8, 9, 10)),  # 09:30–18:30
    "C": (6, 24, (15, 16, 17)),  # 11:00–20:00
    "P": (16, 24, ()),  # part-time 16:00–20:00
}
FULL_SHIFTS = ("A", "C", "B")
QUEUE_TIMEOUT = 300
PENALTY_SECONDS = 30
SL_SECONDS = 20.0
WRAP_MEAN = 30.0
# Repeat callers and transfers on top of first-time calls: the planner forecasts them too.
FORECAST_UPLIFT = 1.09
MONTHLY_SALARY = {"agent": Decimal(7800), "lead": Decimal(11500), "manager": Decimal(16500)}


@dataclass(frozen=True)
class StaffMember:
    """One employee as the generator needs them (ids as in the org)."""

    employee_id: str
    org_unit_id: str
    queues: tuple[str, ...] = ()
    """Queues the agent serves, primary first; empty for staff who take no calls."""
    contract: Contract = "regular"
    leave: tuple[tuple[dt.date, dt.date], ...] = ()
    """Leave periods (first and last day) in or around the month."""
    management: bool = False


@dataclass(frozen=True)
class MonthSpec:
    year: int = 2026
    month: int = 10
    timezone: str = "Asia/Shanghai"
    holidays: frozenset[dt.date] = frozenset()
    working_weekends: frozenset[dt.date] = frozenset()
    """Weekend days worked to make up for a holiday (调休)."""
    calls_per_day: float = 720.0
    """First-time calls offered on an ordinary weekday (weekday factor 1)."""
    center_id: str = "CC"
    evaluators: tuple[str, ...] = ()
    """Employee ids of the QA evaluators."""
    seed: int = 20261001

    @property
    def days(self) -> list[dt.date]:
        first = dt.date(self.year, self.month, 1)
        following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return [first + dt.timedelta(days=n) for n in range((following - first).days)]

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def is_working_day(self, day: dt.date) -> bool:
        """A working day of the office calendar (managers' schedule)."""
        if day in self.holidays:
            return False
        return day.weekday() < 5 or day in self.working_weekends


@dataclass
class DemoData:
    """The files written and what is in them."""

    directory: Path
    queue_log: Path
    agent_map: Path
    csv_files: dict[str, Path]
    counts: dict[str, int] = field(default_factory=dict)


# --- helpers ---------------------------------------------------------------------------------


def erlang_c_agents(
    calls: float, handle_seconds: float, interval_seconds: float = INTERVAL_SECONDS,
    target: float = 0.8, threshold: float = SL_SECONDS,
) -> int:  # fmt: skip
    """Agents needed so that ``target`` of the calls wait at most ``threshold`` seconds."""
    if calls <= 0:
        return 0
    load = calls * handle_seconds / interval_seconds
    agents = max(1, math.ceil(load))
    while True:
        if agents > load:
            blocking = 1.0  # Erlang B by recursion, then Erlang C
            for k in range(1, agents + 1):
                blocking = load * blocking / (k + load * blocking)
            waiting = agents * blocking / (agents - load * (1 - blocking))
            level = 1 - waiting * math.exp(-(agents - load) * threshold / handle_seconds)
            if level >= target:
                return agents
        agents += 1


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


# --- the model ---------------------------------------------------------------------------------


@dataclass
class _Agent:
    member: StaffMember
    extension: str
    skill: float

    @property
    def id(self) -> str:
        return self.member.employee_id

    @property
    def interface(self) -> str:
        return f"SIP/{self.extension}"

    @property
    def primary(self) -> str:
        return self.member.queues[0]


@dataclass
class _AgentDay:
    agent: _Agent
    day: dt.date
    shift: str
    login: int  # epoch seconds
    logoff: int  # scheduled logoff, epoch seconds
    segments: list[tuple[int, int, str]]  # (start, end, state): phone or a pause reason
    windows: list[tuple[int, int]] = field(default_factory=list)  # phone windows
    busy_until: int = 0
    window_index: int = 0
    busy: list[tuple[int, int]] = field(default_factory=list)  # (answered, free again)
    answered: int = 0

    def next_free(self, at: int) -> int | None:
        """The first instant ≥ ``at`` the agent is on the phones and not busy."""
        start = max(at, self.busy_until)
        windows = self.windows
        while self.window_index < len(windows) and windows[self.window_index][1] <= at:
            self.window_index += 1
        for begin, end in windows[self.window_index :]:
            if end <= start:
                continue
            moment = max(start, begin)
            if moment < end:
                return moment
        return None


@dataclass
class _CallOutcome:
    call_id: str
    queue: str
    caller: str
    offered: int
    agent: _AgentDay | None
    answered: int | None
    ended: int
    wait: int
    talk: int
    end_event: str


@dataclass(order=True)
class _Arrival:
    at: int
    seq: int
    queue: str = field(compare=False)
    caller: str = field(compare=False)
    call_id: str = field(compare=False, default="")
    transferred_in: bool = field(compare=False, default=False)


class _Month:
    def __init__(self, staff: Sequence[StaffMember], spec: MonthSpec) -> None:
        self.spec = spec
        self.staff = list(staff)
        self.zone = ZoneInfo(spec.timezone)
        self.days = spec.days
        seed = spec.seed
        self.rng = {
            name: random.Random(f"{seed}:{name}")  # noqa: S311 (made-up data, not secrets)
            for name in ("skill", "demand", "roster", "calls", "surveys", "qa", "tickets",
                         "facts")
        }  # fmt: skip
        self.agents = self._agents()
        self.lines: list[tuple[int, int, int, str]] = []  # (epoch, priority, seq, line)
        self.line_seq = 0
        self.unique_seq = 0
        self.calls: list[_CallOutcome] = []
        self.agent_days: dict[dt.date, list[_AgentDay]] = defaultdict(list)
        self.absences: dict[str, int] = defaultdict(int)
        self.rostered: dict[str, int] = defaultdict(int)
        self.training_seconds: dict[str, int] = defaultdict(int)
        self.schedule_rows: list[tuple[object, ...]] = []
        self.forecast: dict[tuple[dt.date, str], list[tuple[float, float]]] = {}

    # -- time -----------------------------------------------------------------------------

    def midnight(self, day: dt.date) -> int:
        return int(dt.datetime(day.year, day.month, day.day, tzinfo=self.zone).timestamp())

    def local(self, epoch: float) -> str:
        return dt.datetime.fromtimestamp(epoch, self.zone).strftime("%Y-%m-%d %H:%M:%S")

    def interval_start(self, day: dt.date, index: int) -> int:
        return self.midnight(day) + OPEN_MINUTE * 60 + index * INTERVAL_SECONDS

    @property
    def month_end(self) -> int:
        return self.midnight(self.days[-1]) + 86_400

    # -- staff ----------------------------------------------------------------------------

    def _agents(self) -> list[_Agent]:
        rng = self.rng["skill"]
        offsets = {"regular": 0.0, "probation": -1.4, "temporary": -0.7, "part_time": -0.5}
        agents = []
        for member in self.staff:
            skill = max(-2.2, min(2.2, rng.gauss(0.0, 1.0)))
            if not member.queues:
                continue
            skill = max(-2.5, skill * (0.5 if member.contract != "regular" else 1.0)
                        + offsets[member.contract])  # fmt: skip
            digits = "".join(ch for ch in member.employee_id if ch.isdigit())
            agents.append(_Agent(member, f"8{int(digits):03d}", skill))
        return agents

    @staticmethod
    def on_leave(member: StaffMember, day: dt.date) -> bool:
        return any(first <= day <= last for first, last in member.leave)

    # -- demand ---------------------------------------------------------------------------

    def day_factor(self, day: dt.date) -> float:
        holidays = self.spec.holidays
        yesterday = day - dt.timedelta(days=1)
        if day in holidays:
            return 0.3 if yesterday not in holidays else 0.42
        if yesterday in holidays:
            return 1.3
        if day in self.spec.working_weekends:
            return 0.95
        return WEEKDAY_FACTOR[day.weekday()]

    def plan_demand(self) -> list[_Arrival]:
        rng = self.rng["demand"]
        arrivals: list[_Arrival] = []
        for day in self.days:
            factor = self.day_factor(day)
            for queue, q in QUEUES.items():
                rates = []
                for index, weight in enumerate(INTRADAY):
                    rate = self.spec.calls_per_day * factor * q.share * weight / INTRADAY_TOTAL
                    forecast = max(0.0, rate * FORECAST_UPLIFT * rng.gauss(1.0, 0.07))
                    rates.append((rate, forecast))
                    start = self.interval_start(day, index)
                    for _ in range(_poisson(rng, rate)):
                        at = start + rng.randrange(INTERVAL_SECONDS)
                        arrivals.append(_Arrival(at, 0, queue, self._new_caller(rng)))
                self.forecast[day, queue] = rates
        arrivals.sort(key=lambda a: a.at)
        for seq, arrival in enumerate(arrivals):
            arrival.seq = seq
        return arrivals

    @staticmethod
    def _new_caller(rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.03:
            return ""  # withheld number
        if roll < 0.15:
            return f"021{rng.randrange(10_000_000, 99_999_999)}"
        return f"1{rng.choice('3456789')}{rng.randrange(100_000_000, 999_999_999)}"

    # -- roster ---------------------------------------------------------------------------

    def roster_share(self, day: dt.date) -> float:
        holidays = self.spec.holidays
        if day in holidays:
            return 0.36
        if day - dt.timedelta(days=1) in holidays:
            return 0.9
        if day.weekday() >= 5 and day not in self.spec.working_weekends:
            return 0.5
        return 0.82

    def plan_roster(self) -> None:
        rng = self.rng["roster"]
        streak: dict[str, int] = defaultdict(int)
        by_queue: dict[str, list[_Agent]] = defaultdict(list)
        for agent in self.agents:
            by_queue[agent.primary].append(agent)
        for day in self.days:
            working: list[tuple[_Agent, str]] = []
            for group in by_queue.values():
                working += self._roster_group(rng, day, group, streak)
            staffing = rng.uniform(0.65, 0.95)  # the planner's luck of the day
            away: Counter[tuple[str, int]] = Counter()  # (queue, interval) → agents away
            states = {
                agent.id: self._day_states(rng, agent, shift, away) for agent, shift in working
            }
            self._assign_phones(rng, day, working, states, staffing)
            for agent, shift in working:
                self.agent_days[day].append(self._agent_day(rng, day, agent, shift, states))

    def _roster_group(
        self, rng: random.Random, day: dt.date, group: list[_Agent], streak: dict[str, int]
    ) -> list[tuple[_Agent, str]]:
        eligible = [a for a in group if not self.on_leave(a.member, day)]
        share = self.roster_share(day)
        part_timers = [a for a in eligible if a.member.contract == "part_time"]
        full = [a for a in eligible if a.member.contract != "part_time"]
        wanted = max(min(2, len(full)), round(len(full) * share))
        full.sort(key=lambda a: (streak[a.id] >= 6, self.rostered[a.id], rng.random()))
        chosen = [(a, FULL_SHIFTS[i % 3]) for i, a in enumerate(full[:wanted])]
        chosen += [(a, "P") for a in part_timers if rng.random() < share * 0.7]
        working = []
        for agent in eligible:
            streak[agent.id] = streak[agent.id] + 1 if any(a is agent for a, _ in chosen) else 0
        for agent, shift in chosen:
            self.rostered[agent.id] += 1
            if rng.random() < 0.012 + 0.012 * max(0.0, -agent.skill):
                self.absences[agent.id] += 1  # rostered, did not come
                continue
            working.append((agent, shift))
        return working

    def _day_states(
        self, rng: random.Random, agent: _Agent, shift: str, away: Counter[tuple[str, int]]
    ) -> list[str]:
        """Per interval: backoffice (may go to the phones), lunch, training, break or off.

        Lunches and breaks go where the fewest colleagues of the agent's queue are away.
        """
        first, end, lunches = SHIFTS[shift]
        states = ["" for _ in range(INTERVALS)]
        for index in range(first, end):
            states[index] = "backoffice"
        if not lunches:
            return states

        def least_away(choices: Sequence[int], length: int) -> int | None:
            free = [i for i in choices if all(states[i + k] == "backoffice" for k in range(length))]
            if not free:
                return None
            return min(
                free,
                key=lambda i: (
                    sum(away[agent.primary, i + k] for k in range(length)),
                    rng.random(),
                ),
            )

        plans: list[tuple[str, Sequence[int], int]] = [("lunch", lunches, 2)]
        if rng.random() < 0.05 + 0.05 * max(0.0, -agent.skill):
            plans.append(("training", range(first + 4, end - 3), 2))
        # Two 15-minute breaks: about two hours in and two hours before the end.
        plans += [("break", range(first + 3, first + 6), 1), ("break", range(end - 5, end - 2), 1)]
        for state, choices, length in plans:
            start = least_away(choices, length)
            if start is None:
                continue
            for k in range(length):
                states[start + k] = state
                away[agent.primary, start + k] += 1
        return states

    def _assign_phones(
        self, rng: random.Random, day: dt.date, working: list[tuple[_Agent, str]],
        states: dict[str, list[str]], staffing: float,
    ) -> None:  # fmt: skip
        phone_time: dict[str, int] = defaultdict(int)
        for queue, q in QUEUES.items():
            team = [agent for agent, _ in working if agent.primary == queue]
            handle = q.talk_seconds + WRAP_MEAN
            for index in range(INTERVALS):
                forecast = self.forecast[day, queue][index][1]
                required = erlang_c_agents(forecast, handle)
                target = math.ceil(required * staffing) - (1 if rng.random() < 0.1 else 0)
                target = max(1 if forecast > 0.2 else 0, target)
                free = [a for a in team if states[a.id][index] in ("backoffice",)]
                on_before = [a for a in free if index and states[a.id][index - 1] == "phone"]
                on_before.sort(key=lambda a: phone_time[a.id])
                chosen = on_before[:target]
                others = [a for a in free if a not in chosen]
                others.sort(key=lambda a: (phone_time[a.id], rng.random()))
                chosen += others[: max(0, target - len(chosen))]
                for agent in chosen:
                    states[agent.id][index] = "phone"
                    phone_time[agent.id] += 1
                self.schedule_rows.append(
                    (queue, self.local(self.interval_start(day, index)), 30,
                     f"{forecast:.1f}", required, len(chosen))
                )  # fmt: skip

    def _agent_day(
        self, rng: random.Random, day: dt.date, agent: _Agent, shift: str,
        states: dict[str, list[str]],
    ) -> _AgentDay:  # fmt: skip
        first, end, _ = SHIFTS[shift]
        login = self.interval_start(day, first) - rng.randrange(0, 300)
        logoff = self.interval_start(day, end) + rng.randrange(0, 180)
        day_states = states[agent.id]
        segments: list[tuple[int, int, str]] = []
        for index in range(first, end):
            start = login if index == first else self.interval_start(day, index)
            stop = logoff if index == end - 1 else self.interval_start(day, index + 1)
            state = day_states[index]
            if state == "break":  # a 15-minute break in an interval otherwise on tickets
                begin = start + rng.randrange(0, 600)
                finish = begin + rng.randrange(900, 1080)
                segments += [(start, begin, "backoffice"), (begin, finish, "break")]
                start, state = finish, "backoffice"
            segments.append((start, stop, state))
        merged: list[tuple[int, int, str]] = []
        for start, stop, state in segments:
            if merged and merged[-1][2] == state and merged[-1][1] == start:
                merged[-1] = (merged[-1][0], stop, state)
            else:
                merged.append((start, stop, state))
        self.training_seconds[agent.id] += sum(e - s for s, e, st in merged if st == "training")
        result = _AgentDay(agent, day, shift, login, logoff, merged)
        result.windows = [(s, e) for s, e, st in merged if st == "phone"]
        return result

    # -- calls ----------------------------------------------------------------------------

    def unique_id(self, at: int) -> str:
        self.unique_seq += 1
        return f"{at}.{self.unique_seq}"

    def log(self, at: int, priority: int, call_id: str, queue: str, agent: str, event: str,
            *data: object) -> None:  # fmt: skip
        fields = [str(at), call_id or "NONE", queue or "NONE", agent or "NONE", event]
        fields += [str(d) for d in data]
        self.line_seq += 1
        self.lines.append((at, priority, self.line_seq, "|".join(fields)))

    def simulate(self, arrivals: list[_Arrival]) -> None:
        rng = self.rng["calls"]
        heap = list(arrivals)
        heapq.heapify(heap)
        seq = len(heap)
        by_day_queue: dict[tuple[dt.date, str], list[_AgentDay]] = defaultdict(list)
        for day, agent_days in self.agent_days.items():
            for agent_day in agent_days:
                for queue in agent_day.agent.member.queues:
                    by_day_queue[day, queue].append(agent_day)
        waiting: dict[str, list[int]] = defaultdict(list)  # queue → departure times
        while heap:
            arrival = heapq.heappop(heap)
            day = dt.datetime.fromtimestamp(arrival.at, self.zone).date()
            agents = by_day_queue.get((day, arrival.queue), [])
            outcome, follow_ups = self._one_call(rng, arrival, agents, waiting)
            self.calls.append(outcome)
            for at, queue, caller, call_id in follow_ups:
                if at < self.month_end:
                    seq += 1
                    heapq.heappush(heap, _Arrival(at, seq, queue, caller, call_id, bool(call_id)))

    def _one_call(
        self, rng: random.Random, arrival: _Arrival, agents: list[_AgentDay],
        waiting: dict[str, list[int]],
    ) -> tuple[_CallOutcome, list[tuple[int, str, str, str]]]:  # fmt: skip
        at, queue = arrival.at, arrival.queue
        call_id = arrival.call_id or self.unique_id(at)
        queued = [t for t in waiting[queue] if t > at]
        position = len(queued) + 1
        self.log(at, 2, call_id, queue, "", "ENTERQUEUE", "", arrival.caller, position)
        roll = rng.random()
        patience = rng.uniform(1, 4.5) if roll < 0.025 else 5 + rng.expovariate(1 / 140)
        # Asterisk member penalties: a queue rings members for whom it is a secondary skill
        # only when none of its own members is free within PENALTY_SECONDS.
        candidates = sorted(
            (free + (0 if a.agent.primary == queue else PENALTY_SECONDS), a.busy_until,
             a.agent.id, free, a)
            for a in agents
            if (free := a.next_free(at)) is not None
        )  # fmt: skip
        answer: tuple[int, _AgentDay, int] | None = None
        missed: tuple[int, str] | None = None  # an agent who let it ring: (when, interface)
        if candidates:
            *_, free, chosen = candidates[0]
            if rng.random() < 0.012 * math.exp(-0.6 * chosen.agent.skill):
                missed = (free + 15, chosen.agent.interface)
                if len(candidates) > 1:  # the queue rings the next free agent
                    retry = free + 15
                    *_, free, chosen = min(
                        (max(c[0], retry), c[1], c[2], max(c[3], retry), c[4])
                        for c in candidates[1:]
                    )
                else:
                    free += 20
            ring = rng.randint(2, 5) + (2 if chosen.agent.skill < -1 else 0)
            answer = (free + ring, chosen, ring)
        wait_limit = min(patience, QUEUE_TIMEOUT)
        if answer is None or answer[0] - at > wait_limit:
            leave = self._left_unanswered(rng, call_id, arrival, patience, position)
            if missed is not None and missed[0] < leave.ended:
                self.log(missed[0], 3, call_id, queue, missed[1], "RINGNOANSWER", 15000)
            waiting[queue] = [*queued, leave.ended]
            return leave, []
        if missed is not None:
            self.log(missed[0], 3, call_id, queue, missed[1], "RINGNOANSWER", 15000)
        answered, agent_day, ring = answer
        waiting[queue] = [*queued, answered]
        return self._answered(rng, arrival, call_id, position, answered, agent_day, ring)

    def _left_unanswered(
        self, rng: random.Random, call_id: str, arrival: _Arrival, patience: float, position: int
    ) -> _CallOutcome:
        at, queue = arrival.at, arrival.queue
        if patience >= QUEUE_TIMEOUT:
            end, event = at + QUEUE_TIMEOUT, "EXITWITHTIMEOUT"
            self.log(end, 5, call_id, queue, "", event, 1, position, QUEUE_TIMEOUT)
        elif patience > 60 and rng.random() < 0.15:
            wait = rng.randint(30, 60)
            end, event = at + wait, "EXITWITHKEY"
            self.log(end, 5, call_id, queue, "", event, 1, 1, position, wait)
        else:
            wait = max(1, int(patience))
            end, event = at + wait, "ABANDON"
            self.log(end, 5, call_id, queue, "", event, 1, position, wait)
        return _CallOutcome(call_id, queue, arrival.caller, at, None, None, end, end - at, 0, event)

    def _answered(
        self, rng: random.Random, arrival: _Arrival, call_id: str, position: int, answered: int,
        agent_day: _AgentDay, ring: int,
    ) -> tuple[_CallOutcome, list[tuple[int, str, str, str]]]:  # fmt: skip
        at, queue, agent = arrival.at, arrival.queue, agent_day.agent
        skill = agent.skill
        wait = answered - at
        mean = QUEUES[queue].talk_seconds * math.exp(-0.2 * skill)
        sigma = 0.55
        talk = int(min(3600, max(15, rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma))))
        follow_ups: list[tuple[int, str, str, str]] = []
        transfer = rng.random() < 0.025 * math.exp(-0.6 * skill) and not arrival.transferred_in
        if transfer:
            talk = max(15, talk // 2)
        end = answered + talk
        wrap = int(8 + WRAP_MEAN * math.exp(-0.3 * skill) * rng.uniform(0.4, 1.4))
        agent_day.busy_until = end + wrap
        agent_day.busy.append((answered - ring, end + wrap))
        agent_day.answered += 1
        iface = agent.interface
        self.log(answered, 4, call_id, queue, iface, "CONNECT", wait,
                 self.unique_id(answered - ring), ring)  # fmt: skip
        if transfer and rng.random() < 0.6:
            target = QUEUES[queue].transfer_to
            event = "BLINDTRANSFER"
            self.log(end, 5, call_id, queue, iface, event, QUEUES[target].extension,
                     "from-internal", wait, talk, position)  # fmt: skip
            follow_ups.append((end + 1, target, arrival.caller, call_id))
        elif transfer:
            event = "ATTENDEDTRANSFER"
            bridge = f"{rng.getrandbits(64):016x}"
            self.log(end, 5, call_id, queue, iface, event, "BRIDGE", bridge, wait, talk, position)
        else:
            event = "COMPLETECALLER" if rng.random() < 0.6 else "COMPLETEAGENT"
            self.log(end, 5, call_id, queue, iface, event, wait, talk, position)
            repeat = 0.1 * math.exp(-0.45 * skill) + (0.05 if wait > 120 else 0.0)
            if arrival.caller and rng.random() < repeat:
                follow_ups.append((self._repeat_time(rng, end), queue, arrival.caller, ""))
        outcome = _CallOutcome(call_id, queue, arrival.caller, at, agent_day, answered, end,
                               wait, talk, event)  # fmt: skip
        return outcome, follow_ups

    def _repeat_time(self, rng: random.Random, after: int) -> int:
        """When an unresolved caller calls again: later that day or within a week."""
        local = dt.datetime.fromtimestamp(after, self.zone)
        if rng.random() < 0.35:
            later = after + rng.randint(600, 7200)
            when = dt.datetime.fromtimestamp(later, self.zone)
            if when.date() == local.date() and when.hour < 20:
                return later
        day = local.date() + dt.timedelta(days=min(7, 1 + int(rng.expovariate(0.7))))
        index = rng.choices(range(INTERVALS), weights=INTRADAY)[0]
        return self.interval_start(day, index) + rng.randrange(INTERVAL_SECONDS)

    # -- agent lines ----------------------------------------------------------------------

    def log_agent_days(self) -> None:
        for agent_days in self.agent_days.values():
            for agent_day in agent_days:
                self._log_agent_day(agent_day)

    def _log_agent_day(self, agent_day: _AgentDay) -> None:
        agent = agent_day.agent
        iface, queues = agent.interface, agent.member.queues
        channel = f"{iface}-{agent_day.login & 0xFFFFFFFF:08x}"
        session = self.unique_id(agent_day.login)
        self.log(agent_day.login, 0, session, "", iface, "AGENTLOGIN", channel)
        busy = agent_day.busy
        pointer = 0
        paused_until: int | None = None  # end of the pause logged last
        last_reason = ""
        for start, stop, state in agent_day.segments:
            if state == "phone":
                continue
            while pointer < len(busy) and busy[pointer][1] <= start:
                pointer += 1
            begin = start
            if pointer < len(busy) and busy[pointer][0] < start:
                begin = busy[pointer][1]  # the pause waits for the call (and wrap-up) to end
            if begin >= stop:
                continue
            if paused_until is not None and paused_until != begin:
                self._unpause(paused_until, iface, queues)
            if paused_until != begin or state != last_reason:
                self.log(begin, 1, "", "", iface, "PAUSEALL", state)
                for queue in queues:
                    self.log(begin, 1, "", queue, iface, "PAUSE", state)
            paused_until, last_reason = stop, state
        logoff = max(agent_day.logoff, agent_day.busy_until)
        if paused_until is not None and paused_until < logoff:
            self._unpause(paused_until, iface, queues)
        self.log(logoff, 9, session, "", iface, "AGENTLOGOFF", channel, logoff - agent_day.login)

    def _unpause(self, at: int, iface: str, queues: Sequence[str]) -> None:
        self.log(at, 1, "", "", iface, "UNPAUSEALL", "")
        for queue in queues:
            self.log(at, 1, "", queue, iface, "UNPAUSE", "")

    def write_queue_log(self, path: Path) -> int:
        self.log(self.midnight(self.days[0]), 0, "", "", "", "QUEUESTART", "")
        self.lines.sort()
        with path.open("w", encoding="utf-8", newline="\n") as file:
            for _, _, _, line in self.lines:
                file.write(line + "\n")
        return len(self.lines)


# --- the CSV files ---------------------------------------------------------------------------


class _Files:
    """The CSV files written from a simulated month."""

    def __init__(self, month: _Month) -> None:
        self.m = month
        self.spec = month.spec
        self.answered = [c for c in month.calls if c.agent is not None]
        self.by_agent: dict[str, list[_CallOutcome]] = defaultdict(list)
        for call in self.answered:
            assert call.agent is not None
            self.by_agent[call.agent.agent.id].append(call)
        self.survey_scores: dict[str, int] = {}

    def clamp(self, epoch: int) -> int:
        return min(epoch, self.m.month_end - 3600)

    def office_hours(self, epoch: int) -> int:
        """``epoch``, or when the office reopens if it falls after 20:00 or before 08:00."""
        local = dt.datetime.fromtimestamp(epoch, self.m.zone)
        day = local.date() + dt.timedelta(days=1 if local.hour >= 20 else 0)
        if 8 <= local.hour < 20:
            return epoch
        return self.m.interval_start(day, 0) + epoch % 1800

    def surveys(self) -> Iterable[tuple[object, ...]]:
        rng = self.m.rng["surveys"]
        for call in self.answered:
            if call.end_event not in ("COMPLETEAGENT", "COMPLETECALLER") or rng.random() > 0.25:
                continue
            assert call.agent is not None
            skill = call.agent.agent.skill
            mood = 4.2 + 0.45 * skill - 0.005 * max(0, call.wait - 20) + rng.gauss(0, 0.8)
            csat = max(1, min(5, round(mood)))
            nps: object = ""
            if rng.random() < 0.7:
                low, high = {5: (8, 10), 4: (7, 9), 3: (5, 8), 2: (2, 6), 1: (0, 4)}[csat]
                nps = rng.randint(low, high)
            remark = "none"
            if csat <= 2 and rng.random() < 0.6:
                remark = "negative"
            elif csat == 5 and rng.random() < 0.08:
                remark = "praise"
            self.survey_scores[call.call_id] = csat
            answered_at = self.clamp(call.ended + rng.randint(20, 180))
            yield (f"SV-{call.call_id}", call.agent.agent.id, call.call_id,
                   self.m.local(answered_at), csat, nps, remark)  # fmt: skip

    def qa_evaluations(self) -> Iterable[tuple[object, ...]]:
        rng = self.m.rng["qa"]
        evaluators = self.spec.evaluators or ("QA",)
        number = 0
        for agent in self.m.agents:
            calls = self.by_agent.get(agent.id, [])
            if len(calls) < 20:
                continue
            count = 6 if agent.member.contract == "probation" else 4
            for call in sorted(rng.sample(calls, count), key=lambda c: c.offered):
                number += 1
                items = ";".join(
                    f"{category}/{item}={self._qa_score(rng, agent.skill, levels)}/{levels[0]}"
                    for category, item, levels in RUBRIC
                )
                when = self.clamp(call.ended + rng.randint(1, 4) * 86_400 + rng.randint(0, 7200))
                yield (f"QA-{self.spec.period}-{number:04d}", agent.id, rng.choice(evaluators),
                       call.call_id, RUBRIC_CODE, self.m.local(when), items)  # fmt: skip

    @staticmethod
    def _qa_score(rng: random.Random, skill: float, levels: tuple[int, ...]) -> int:
        if rng.random() < _sigmoid(1.6 + 1.2 * skill):
            return levels[0]
        if len(levels) > 3 and rng.random() < 0.25:
            return levels[2]
        return levels[1] if rng.random() < 0.92 else levels[-1]

    def complaints(self) -> Iterable[tuple[object, ...]]:
        rng = self.m.rng["surveys"]
        categories = ("attitude", "wrong_information", "slow_handling", "no_callback")
        number = 0
        for call in self.answered:
            assert call.agent is not None
            skill = call.agent.agent.skill
            chance = 0.0011 * math.exp(-0.9 * skill)
            if self.survey_scores.get(call.call_id, 5) <= 2:
                chance *= 6
            if rng.random() >= chance:
                continue
            number += 1
            received = self.clamp(call.ended + rng.randint(1800, 3 * 86_400))
            yield (f"CP-{self.spec.period}-{number:04d}", call.agent.agent.id, call.call_id,
                   self.m.local(received), str(rng.random() < 0.7).lower(),
                   rng.choice(categories))  # fmt: skip
        for _ in range(3):  # about the service, not about anyone
            number += 1
            day = rng.choice(self.m.days)
            received = self.m.interval_start(day, rng.randrange(INTERVALS))
            yield (f"CP-{self.spec.period}-{number:04d}", "", "", self.m.local(received),
                   str(rng.random() < 0.5).lower(), "policy")  # fmt: skip

    def work_orders(self) -> Iterable[tuple[object, ...]]:
        rng = self.m.rng["tickets"]
        for day in self.m.days:
            number = 0
            for agent_day in self.m.agent_days.get(day, []):
                backoffice = sum(e - s for s, e, st in agent_day.segments if st == "backoffice")
                skill = agent_day.agent.skill
                for _ in range(min(4, backoffice // 5400 + rng.randint(0, 1))):
                    number += 1
                    chat = rng.random() < 0.3
                    span = max(1, agent_day.logoff - agent_day.login - 1800)
                    created = agent_day.login + rng.randrange(span)
                    due = created + (2 * 3600 if chat else 24 * 3600)
                    speed = math.exp(-0.35 * skill)
                    first = self.office_hours(
                        created + int(rng.expovariate(1 / ((240 if chat else 9000) * speed)))
                    )
                    closed = self.office_hours(
                        first + int(rng.expovariate(1 / ((1500 if chat else 20_000) * speed)))
                    )
                    reopened = int(rng.random() < 0.04 * math.exp(-0.5 * skill))
                    yield (f"WO-{day:%Y%m%d}-{number:04d}", agent_day.agent.id,
                           "chat" if chat else "mail", self.m.local(created), self.m.local(due),
                           self.m.local(first) if first < self.m.month_end else "",
                           self.m.local(closed) if closed < self.m.month_end else "",
                           reopened)  # fmt: skip

    def audit_findings(self) -> Iterable[tuple[object, ...]]:
        rng = self.m.rng["tickets"]
        number = 0
        for agent in self.m.agents:
            if agent.id not in self.by_agent:
                continue
            for _ in range(2):
                number += 1
                checked = rng.randint(30, 60)
                rate = 0.025 * math.exp(-0.6 * agent.skill)
                errors = sum(rng.random() < rate for _ in range(checked))
                day = rng.choice(self.m.days)
                when = self.m.interval_start(day, rng.randrange(4, 18))
                yield (f"AU-{self.spec.period}-{number:04d}", agent.id, self.m.local(when),
                       checked, errors, rng.choice(("order_entry", "ticket_notes")))  # fmt: skip

    def hr_facts(self) -> Iterable[tuple[object, ...]]:
        rng = self.m.rng["facts"]
        agent_ids = {a.id for a in self.m.agents}
        for member in self.m.staff:
            if member.employee_id in agent_ids:
                scheduled = self.m.rostered[member.employee_id]
                attended = scheduled - self.m.absences[member.employee_id]
                training = self.m.training_seconds[member.employee_id] / 3600
            else:
                scheduled = sum(
                    self.spec.is_working_day(d) and not self.m.on_leave(member, d)
                    for d in self.m.days
                )
                attended = scheduled - (1 if scheduled and rng.random() < 0.15 else 0)
                training = float(rng.choice((0, 2, 4)))
            submitted = rng.choice((0, 0, 1, 1, 2, 3)) if attended else 0
            adopted = sum(rng.random() < 0.4 for _ in range(submitted))
            yield (member.employee_id, "", self.spec.period, scheduled, attended,
                   f"{training:g}", submitted, adopted, "", "", "", "", "")  # fmt: skip
        yield ("", self.spec.center_id, self.spec.period, "", "", "", "", "", 1,
               f"{len(self.m.staff) - 0.5:g}", 1, 0, "81.5")  # fmt: skip

    def finance(self) -> Iterable[tuple[object, ...]]:
        staff = Decimal(0)
        for member in self.m.staff:
            if not member.management:
                staff += MONTHLY_SALARY["agent"]
            else:  # team ids carry a dash (OPS-T1); the center and departments do not
                staff += MONTHLY_SALARY["lead" if "-" in member.org_unit_id else "manager"]
        talk_minutes = sum(c.talk for c in self.answered) / 60
        telecom = Decimal(str(round(talk_minutes * 0.12, 2)))
        cost = (staff * Decimal("1.35") + telecom + Decimal(86_000)).quantize(Decimal("0.01"))
        budget = (cost * Decimal("1.03")).quantize(Decimal(1000))
        yield (self.spec.center_id, self.spec.period, "CNY", f"{cost:.2f}", f"{budget:.2f}")

    def system_availability(self) -> Iterable[tuple[object, ...]]:
        rng = self.m.rng["facts"]
        systems = (("lines", "trunk-01", 1440), ("lines", "trunk-02", 1440),
                   ("network", "core-switch-01", 1440), ("applications", "acd", 1440),
                   ("applications", "crm", 720), ("hardware", "ivr-server-01", 1440))  # fmt: skip
        for day in self.m.days:
            for kind, system, minutes in systems:
                down = 0.0
                if rng.random() < 0.03:
                    down = round(rng.uniform(2, 45), 1)
                yield (kind, system, day.isoformat(), minutes, f"{down:g}")


HEADERS: dict[str, tuple[str, ...]] = {
    "survey": ("survey_id", "agent_id", "call_id", "answered_at", "csat", "nps", "remark"),
    "qa_evaluation": ("evaluation_id", "agent_id", "evaluator_id", "call_id", "rubric_code",
                      "evaluated_at", "items"),
    "complaint": ("complaint_id", "agent_id", "call_id", "received_at", "confirmed", "category"),
    "work_order": ("work_order_id", "agent_id", "channel", "created_at", "due_at",
                   "first_response_at", "closed_at", "reopen_count"),
    "audit_finding": ("audit_id", "agent_id", "audited_at", "items_checked", "errors",
                      "category"),
    "schedule_interval": ("queue", "interval_start", "interval_minutes", "forecast_volume",
                          "required_staff", "scheduled_staff"),
    "hr_fact": ("employee_id", "org_unit_id", "period", "scheduled_days", "attended_days",
                "training_hours", "suggestions_submitted", "suggestions_adopted", "leavers",
                "average_headcount", "promotions_internal", "promotions_external",
                "employee_satisfaction"),
    "finance_fact": ("org_unit_id", "period", "currency_code", "operating_cost", "budget"),
    "system_availability": ("kind", "system_id", "day", "scheduled_minutes",
                            "downtime_minutes"),
}  # fmt: skip


def generate_month(directory: Path, staff: Sequence[StaffMember], spec: MonthSpec) -> DemoData:
    """Simulate the month and write ``queue_log``, ``agent_map.csv`` and ``<kind>.csv``."""
    directory.mkdir(parents=True, exist_ok=True)
    month = _Month(staff, spec)
    arrivals = month.plan_demand()
    month.plan_roster()
    month.simulate(arrivals)
    month.log_agent_days()
    data = DemoData(
        directory=directory,
        queue_log=directory / "queue_log",
        agent_map=directory / "agent_map.csv",
        csv_files={kind: directory / f"{kind}.csv" for kind in CSV_KINDS},
    )
    counts = data.counts
    counts["queue_log_lines"] = month.write_queue_log(data.queue_log)
    _write_csv(data.agent_map, ("queue_log_agent", "employee_id"),
               ((a.interface, a.id) for a in month.agents))  # fmt: skip
    ends: dict[str, int] = defaultdict(int)
    for call in month.calls:
        ends[call.end_event] += 1
    counts["calls"] = len(month.calls)
    counts["answered"] = sum(c.agent is not None for c in month.calls)
    counts["abandoned"] = ends["ABANDON"]
    counts["timeout"] = ends["EXITWITHTIMEOUT"] + ends["EXITWITHKEY"]
    counts["transferred"] = ends["BLINDTRANSFER"] + ends["ATTENDEDTRANSFER"]
    counts["agents"] = len(month.agents)
    counts["shifts"] = sum(len(days) for days in month.agent_days.values())
    files = _Files(month)
    rows = {
        "survey": files.surveys(),
        "qa_evaluation": files.qa_evaluations(),
        "complaint": files.complaints(),
        "work_order": files.work_orders(),
        "audit_finding": files.audit_findings(),
        "schedule_interval": iter(month.schedule_rows),
        "hr_fact": files.hr_facts(),
        "finance_fact": files.finance(),
        "system_availability": files.system_availability(),
    }
    for kind in CSV_KINDS:  # in this order: complaints read the survey scores
        counts[kind] = _write_csv(data.csv_files[kind], HEADERS[kind], rows[kind])
    return data
