"""Mixed load: portal users, workflow writers, live ingestion and a payroll pull, at once.

Prints, never asserts on speed. Needs Postgres (BENCH_DATABASE_URL or the local server);
it creates and drops its own database.

Servers: as production runs them, ``ccperf serve metrics|appraisal|payroll`` in OS
processes of their own (BENCH_SERVER_PROCESSES per service, 1 by default, sharing the
service's port), configured only by environment variables (logs at warning), each
reaching the others through its ``CCPERF_*_TARGET``; so the load generator's GIL is not
the servers'. Sized for this machine: three services, Postgres and the clients share 2
cores, so each server gets CCPERF_MAX_WORKERS 4 and CCPERF_DB_POOL_SIZE 4 unless set
(deploy/k8s/base gives a pod of one core 16 and 8). More threads and processes only
fight over the cores and the GIL: on 2026-12-04, 2 processes of 16 workers per service
gave p99 430 ms where 1 process of 4 gave 166 ms, with less CPU per call.
Clients: this one process, a thread per client, each client its own TCP
connection per service. One process is enough: a closed-loop client with think times is
asleep most of the time, and 64 of them at 100-200 RPC/s took 7-8 % of a core here
(printed as "client (this process)" below), so client-side queueing is small next to
the servers' latency, and more client processes would only add start-up. Should that
figure near a core, the latencies include the generator's queueing.

Set-up (not timed), with bench/appraisal.py's org, events and workflow steps and the cap
table of tests/support/payroll_population.py: HRIS loads BENCH_EMPLOYEES agents (5,000)
in teams under supervisors through ``UpsertEmployees``; the ACD ingests 2-4 answered
calls per agent for October 2026 and the rollups are rebuilt; hr opens the "2026-10"
cycle; for a slice of the non-management appraisals the targets are set, confirmed,
approved and the appraisal started; one ``CollectKpiData``; BENCH_FILED (500) of them
are driven on to filed; hr sets the cap table, computes 2026-10 and freezes its batch.
The rest of the slice waits, collected, for the workflow writers.

Load (timed): BENCH_SECONDS (60) with BENCH_CLIENTS (64) closed-loop clients. Before
every call a client thinks for a uniform random 0.5-1.5 x BENCH_THINK_MS (300 ms: a
portal user does not fire back to back), so the offered rate is at most
clients / think time (printed). The clients:

- 1 ingestion client, the ACD live: ``IngestEvents`` of BENCH_INGEST_BATCH (50) answered
  calls a call (one batch a call, so its latency is a batch's commit): the morning of
  2 November, a call every 0.1 s of that day from 08:00 local, some 170 calls/s offered
  (a 5,000-agent center answers some 15 a second at its peak: a stress), from callers
  of their own, each batch marking that day dirty for the rollups (and, were a caller
  to have called in the 7 days before, those days); BENCH_INGEST_BATCH=0 leaves it
  idle, to compare;
- 1 payroll client: ``StreamBatchLines`` of the frozen batch (every line), and every
  other time ``GetBatch`` and the first ``ListBatchLines`` page of 100;
- CLIENTS / 8 workflow writers, each taking collected appraisals from a shared queue
  and driving each one to filed with bench/appraisal.py's ``phase_two``: GetAppraisal
  and SubmitSelfAssessment (employee), SubmitReview and IssueResult (assessor), both
  SignResults, FileResult (hr), each call on the etag of the previous answer;
- the rest are portal readers; each call is, at random, an employee (60 %:
  ``GetAppraisal`` of their own appraisal or ``GetScorecard`` of their own month), a
  supervisor (30 %: ``ListAppraisals`` of the cycle, summary, page of 100, which is
  their team; the team's ``GetScorecard``; a report's ``GetScorecard``) or hr (10 %:
  ``ListKpiValues`` of one team's agents, ``GetScorecard`` of the center).
  Deliberate errors: one employee call in 50 reads another employee's appraisal or
  scorecard and must get PERMISSION_DENIED; those are counted apart as "deliberate"
  (any other answer to them is an error).

Output: per RPC, grouped (portal reads, portal writes, ingestion, payroll): calls, RPC/s,
p50, p99, max in ms, errors by status code and deliberate errors; totals; the portal
RPCs' p99 (reads and workflow writes: what a person waits for) against the goal of
100 ms at 64 clients, and the errors other than deliberate against the goal of 0; the
CPU each server used (and per call), Postgres's backends for this database, this
process, the whole machine's busy share; database transactions per RPC; the load
average before and after (the machine may be shared: read the latencies with it).
Exits 1 on any error that was not deliberate.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import appraisal as flow
import grpc
from _support import server_processes, throwaway_database
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import Connection, text

from ccperf.appraisal.v1 import appraisal_pb2 as pb
from ccperf.appraisal.v1 import appraisal_pb2_grpc
from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from ccperf.payroll.v1 import payroll_pb2, payroll_pb2_grpc
from services.common.auth import Role, mint_token
from services.common.db import make_engine, make_session_factory
from services.common.settings import DEV_JWT_SECRET, Settings
from services.metrics.refresh import refresh_dirty
from tests.support.metrics_events import answered_call
from tests.support.payroll_population import cap_rows

SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "64"))
THINK = float(os.environ.get("BENCH_THINK_MS", "300")) / 1000
FILED = int(os.environ.get("BENCH_FILED", "500"))
INGEST_BATCH = int(os.environ.get("BENCH_INGEST_BATCH", "50"))
SERVER_PROCESSES = int(os.environ.get("BENCH_SERVER_PROCESSES", "1"))
MAX_WORKERS = os.environ.get("CCPERF_MAX_WORKERS", "4")
POOL_SIZE = os.environ.get("CCPERF_DB_POOL_SIZE", "4")
WRITERS = max(1, CLIENTS // 8)
SETUP_THREADS = 16
TIMEOUT = 30.0
P99_GOAL_MS = 100.0
DELIBERATE_EVERY = 50  # one employee call in 50 reads someone else's record
LIVE_DAY = dt.datetime(2026, 11, 2, 0, 0, tzinfo=dt.UTC)  # the ACD's "today", 08:00 local
OCTOBER = common_pb2.Period(value=flow.PERIOD)
PORTAL = ("portal reads", "portal writes")
GROUPS = (*PORTAL, "ingestion", "payroll")
DENIED = grpc.StatusCode.PERMISSION_DENIED

Metadata = flow.Metadata


class TimeUp(Exception):
    """The load's time is over; a writer stops in the middle of its appraisal."""


# --- what the clients measure ----------------------------------------------------------


@dataclass
class Tally:
    """One client's measurements per (group, RPC label)."""

    samples: defaultdict[tuple[str, str], list[float]] = field(
        default_factory=lambda: defaultdict(list)
    )
    errors: defaultdict[tuple[str, str], Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    deliberate: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def measure(
        self,
        where: tuple[str, str],
        rpc: Any,
        request: Any,
        metadata: Metadata,
        *,
        expect: grpc.StatusCode | None = None,
        reraise: bool = False,
    ) -> Any:
        """Time one call (a server stream: to its last message) under (group, label); an
        answer other than ``expect`` (None: success) is an error."""
        failure: grpc.RpcError | None = None
        started = time.perf_counter()
        try:
            reply = rpc(request, metadata=metadata, timeout=TIMEOUT)
            if isinstance(reply, grpc.Call) and isinstance(reply, Iterator):
                reply = sum(len(part.lines) for part in reply)
            code = "OK"
        except grpc.RpcError as exc:
            reply, failure, code = None, exc, exc.code().name
        self.samples[where].append((time.perf_counter() - started) * 1000)
        if expect is not None and code == expect.name:
            self.deliberate[where] += 1
            return None
        if expect is not None or failure is not None:
            kind = code if expect is None else f"{code} (expected {expect.name})"
            self.errors[where][kind] += 1
            if len(self.examples) < 5:
                detail = failure.details() if failure is not None else "answered"
                self.examples.append(f"{where[1]}: {kind}: {detail}")
        if failure is not None and reraise:
            raise failure
        return reply

    def add(self, other: Tally) -> None:
        for key, values in other.samples.items():
            self.samples[key].extend(values)
        for key, counts in other.errors.items():
            self.errors[key].update(counts)
        self.deliberate.update(other.deliberate)
        self.examples.extend(other.examples[: max(0, 5 - len(self.examples))])


def think(deadline: float) -> bool:
    """Sleep a think time; False once the load's time is over."""
    time.sleep(random.uniform(0.5, 1.5) * THINK)
    return time.perf_counter() < deadline


# --- the org as the portal users see it ----------------------------------------------


@dataclass
class Org:
    """Tokens per subject and who is who, learnt during the set-up."""

    tokens: dict[str, Metadata]
    appraisal_of: dict[str, str]  # agent → their 2026-10 appraisal id
    team_of: dict[str, str]  # supervisor → their team's org unit
    reports: dict[str, list[str]]  # supervisor → agents
    agents: list[str]
    supervisors: list[str]


def org_from(staff: Sequence[org_pb2.Employee], jobs: Sequence[flow.Job], secret: str) -> Org:
    def token(subject: str, *roles: Role) -> Metadata:
        return flow.bearer(mint_token(secret=secret, subject=subject, roles=roles))

    tokens = {
        flow.HR: token(flow.HR, Role.HR),
        flow.PERF_ADMIN: token(flow.PERF_ADMIN, Role.PERF_ADMIN),
        flow.DUTY: token(flow.DUTY, Role.DUTY_OFFICER),
        "acd": token("acd", Role.INGEST),
        "payroll-system": token("payroll-system", Role.PAYROLL),
    }
    reports: dict[str, list[str]] = defaultdict(list)
    team_of: dict[str, str] = {}
    for emp in staff:
        manager = emp.position_type == org_pb2.POSITION_TYPE_MANAGEMENT
        roles = (Role.SUPERVISOR, Role.EMPLOYEE) if manager else (Role.EMPLOYEE,)
        tokens[emp.id] = token(emp.id, *roles)
        if manager and emp.id != flow.HEAD:
            team_of[emp.id] = emp.org_unit_id
        elif not manager:
            reports[emp.supervisor_id].append(emp.id)
    appraisal_of = {job.employee: job.appraisal_id for job in jobs if not job.management}
    return Org(tokens, appraisal_of, team_of, dict(reports), sorted(appraisal_of),
               sorted(team_of))  # fmt: skip


# --- the clients -----------------------------------------------------------------------


@dataclass
class Stubs:
    """One client's channels: its own connection to each service it calls."""

    targets: dict[str, str]
    channels: list[grpc.Channel] = field(default_factory=list)

    def open(self, service: str) -> grpc.Channel:
        # Its own TCP connection, as many portal pods and systems would have (gRPC
        # otherwise shares one among a process's channels to the same target).
        channel = grpc.insecure_channel(
            self.targets[service], options=[("grpc.use_local_subchannel_pool", 1)]
        )
        health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT)
        self.channels.append(channel)
        return channel

    def close(self) -> None:
        for channel in self.channels:
            channel.close()


def reader(org: Org, stubs: Stubs, tally: Tally, deadline: float, seed: int) -> None:
    """A portal: each call from a random employee, supervisor or hr user."""
    rng = random.Random(seed)
    appraisals = appraisal_pb2_grpc.AppraisalServiceStub(stubs.open("appraisal"))  # type: ignore[no-untyped-call]
    metrics = metrics_pb2_grpc.MetricsServiceStub(stubs.open("metrics"))  # type: ignore[no-untyped-call]
    level = metrics_pb2.SubjectLevel

    def scorecard(label: str, who: str, kind: Any, subject: str, **expect: Any) -> None:
        card = metrics_pb2.Subject(level=kind, id=subject)
        request = metrics_pb2.GetScorecardRequest(subject=card, period=OCTOBER)
        tally.measure(("portal reads", f"GetScorecard ({label})"), metrics.GetScorecard,
                      request, org.tokens[who], **expect)  # fmt: skip

    def appraisal(label: str, who: str, whose: str, **expect: Any) -> None:
        request = pb.GetAppraisalRequest(appraisal_id=org.appraisal_of[whose])
        tally.measure(("portal reads", f"GetAppraisal ({label})"), appraisals.GetAppraisal,
                      request, org.tokens[who], **expect)  # fmt: skip

    while think(deadline):
        persona, pick = rng.random(), rng.random()
        if persona < 0.6:  # an employee
            me, other = rng.choice(org.agents), rng.choice(org.agents)
            if rng.random() < 1 / DELIBERATE_EVERY and other != me:
                if pick < 0.5:
                    appraisal("employee, another's", me, other, expect=DENIED)
                else:
                    scorecard("employee, another's", me, level.SUBJECT_LEVEL_AGENT, other,
                              expect=DENIED)  # fmt: skip
            elif pick < 0.5:
                appraisal("employee, own", me, me)
            else:
                scorecard("employee, own month", me, level.SUBJECT_LEVEL_AGENT, me)
        elif persona < 0.9:  # a supervisor
            boss = rng.choice(org.supervisors)
            if pick < 0.4:
                listing = pb.ListAppraisalsRequest(cycle_id=flow.PERIOD, summary=True,
                                                   page_size=100)  # fmt: skip
                tally.measure(("portal reads", "ListAppraisals (supervisor, team)"),
                              appraisals.ListAppraisals, listing, org.tokens[boss])  # fmt: skip
            elif pick < 0.7:
                scorecard("supervisor, team", boss, level.SUBJECT_LEVEL_TEAM, org.team_of[boss])
            else:
                report = rng.choice(org.reports[boss])
                scorecard("supervisor, a report", boss, level.SUBJECT_LEVEL_AGENT, report)
        elif pick < 0.5:  # hr
            team = org.reports[rng.choice(org.supervisors)]
            values = metrics_pb2.ListKpiValuesRequest(
                level=level.SUBJECT_LEVEL_AGENT, period=OCTOBER, subject_ids=team, page_size=100
            )
            tally.measure(("portal reads", "ListKpiValues (hr, a team's agents)"),
                          metrics.ListKpiValues, values, org.tokens[flow.HR])  # fmt: skip
        else:
            scorecard("hr, center", flow.HR, level.SUBJECT_LEVEL_CENTER, "")


@dataclass
class Writer(flow.Client):
    """bench/appraisal.py's workflow client, thinking before each call and tallying it."""

    tally: Tally = field(default_factory=Tally)
    deadline: float = 0.0

    def call(self, label: str, method: str, subject: str, request: Any) -> Any:
        if not think(self.deadline):
            raise TimeUp
        return self.tally.measure(("portal writes", label), getattr(self.stub, method),
                                  request, self.tokens[subject], reraise=True)  # fmt: skip


def writer(
    client: Writer, deadline: float, pending: queue.SimpleQueue[flow.Job], done: list[int]
) -> None:
    """Collected appraisals, one after the other, to filed."""
    client.deadline = deadline
    while True:
        try:
            job = pending.get_nowait()
        except queue.Empty:
            done.append(-1)  # the queue ran dry before the time was over
            return
        try:
            flow.phase_two(client, [job])
        except TimeUp:
            return
        if job.ok:
            done.append(1)


def live_calls(agents: Sequence[str], size: int) -> Iterator[metrics_pb2.IngestEventsRequest]:
    """The ACD's batches: answered calls on 2 November, 0.1 s of that day apart, from
    callers of their own (each calls twice in a row: the second is a repeat)."""
    seq = 0
    while True:
        events = []
        for _ in range(size):
            at = LIVE_DAY + dt.timedelta(seconds=seq / 10)
            call = answered_call(f"L{seq:09d}", agent=agents[seq * 7919 % len(agents)],
                                 wait=5 + seq % 40, talk=60 + seq % 300, at=at)  # fmt: skip
            call.call.caller_key = f"+86139{seq // 2:08d}"
            events.append(call)
            seq += 1
        yield metrics_pb2.IngestEventsRequest(source="acd-live", events=events)


def ingester(org: Org, stubs: Stubs, tally: Tally, deadline: float) -> None:
    metrics = metrics_pb2_grpc.MetricsServiceStub(stubs.open("metrics"))  # type: ignore[no-untyped-call]
    if INGEST_BATCH <= 0:  # BENCH_INGEST_BATCH=0: no live ingestion, for comparison
        return
    batches = live_calls(org.agents, INGEST_BATCH)
    where = ("ingestion", f"IngestEvents (a batch of {INGEST_BATCH} calls)")
    while think(deadline):
        reply = tally.measure(where, metrics.IngestEvents, iter([next(batches)]),
                              org.tokens["acd"])  # fmt: skip
        if reply is not None and reply.accepted != INGEST_BATCH:
            tally.errors[where][f"{INGEST_BATCH - reply.accepted} events not accepted"] += 1


def payroll_puller(org: Org, stubs: Stubs, tally: Tally, deadline: float, batch_id: str) -> None:
    """Pulls the whole batch; every other time also reads the batch and a page of it."""
    payroll = payroll_pb2_grpc.PayrollBridgeServiceStub(stubs.open("payroll"))  # type: ignore[no-untyped-call]
    token = org.tokens["payroll-system"]
    stream = payroll_pb2.StreamBatchLinesRequest(batch_id=batch_id)
    get = payroll_pb2.GetBatchRequest(batch_id=batch_id)
    page = payroll_pb2.ListBatchLinesRequest(batch_id=batch_id, page_size=100)
    pulls = 0
    while think(deadline):
        pulls += 1
        tally.measure(("payroll", "StreamBatchLines (whole batch)"), payroll.StreamBatchLines,
                      stream, token)  # fmt: skip
        if pulls % 2 == 0 and think(deadline):
            tally.measure(("payroll", "GetBatch"), payroll.GetBatch, get, token)
            tally.measure(("payroll", "ListBatchLines (first page of 100)"),
                          payroll.ListBatchLines, page, token)  # fmt: skip


# --- set-up ----------------------------------------------------------------------------


def start_servers(stack: ExitStack, url: str) -> dict[str, str]:
    """metrics, appraisal (Org API too) and payroll, each in SERVER_PROCESSES processes of
    its own (on one port), each reaching the others through its CCPERF_*_TARGET."""
    env = {
        "DATABASE_URL": url,
        "CCPERF_ENV": "test",
        "CCPERF_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "warning"),
        "CCPERF_MAX_WORKERS": MAX_WORKERS,
        "CCPERF_DB_POOL_SIZE": POOL_SIZE,
        "CCPERF_SHUTDOWN_GRACE": "2",  # the load is over when they are stopped
    }
    targets: dict[str, str] = {}
    for name in ("metrics", "appraisal", "payroll"):  # each after those it calls
        targets[name] = stack.enter_context(server_processes(name, SERVER_PROCESSES, env))
        env[f"CCPERF_{name.upper()}_TARGET"] = targets[name]
    return targets


def server_pids() -> dict[str, list[int]]:
    """This process's children, the ``ccperf serve`` processes, by service."""
    found: dict[str, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != os.getpid():
                continue
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if b"serve" in command:
            found[command[command.index(b"serve") + 1].decode()].append(int(stat.parent.name))
    return dict(found)


def set_up(url: str, targets: dict[str, str]) -> tuple[Org, list[flow.Job], str]:
    """The org, October's calls, the cycle driven partly, a frozen pay batch."""
    secret = DEV_JWT_SECRET
    hris = flow.bearer(mint_token(secret=secret, subject="hris", roles=[Role.HRIS]))
    staff = flow.people()
    started = time.perf_counter()
    with grpc.insecure_channel(targets["appraisal"]) as channel:
        org_api = org_pb2_grpc.OrgServiceStub(channel)  # type: ignore[no-untyped-call]
        org_api.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=flow.org_units()),
                               metadata=hris, timeout=600)  # fmt: skip
        for first in range(0, len(staff), flow.UPSERT_BATCH):
            people = staff[first : first + flow.UPSERT_BATCH]
            org_api.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=people),
                                    metadata=hris, timeout=600)  # fmt: skip
    events = flow.call_events()
    acd = flow.bearer(mint_token(secret=secret, subject="acd", roles=[Role.INGEST]))
    with grpc.insecure_channel(targets["metrics"]) as channel:
        metrics = metrics_pb2_grpc.MetricsServiceStub(channel)  # type: ignore[no-untyped-call]
        reply = metrics.IngestEvents(
            (metrics_pb2.IngestEventsRequest(source="acd", events=events[s : s + 10_000])
             for s in range(0, len(events), 10_000)),
            metadata=acd, timeout=600,
        )  # fmt: skip
    if reply.accepted != len(events):
        raise SystemExit(f"set-up: {reply.accepted} of {len(events)} October calls accepted")
    engine = make_engine(url, pool_size=2)
    try:
        refresh_dirty(make_session_factory(engine), ZoneInfo(Settings().timezone), workers=2)
    finally:
        engine.dispose()
    print(f"set-up: {len(staff):,} people (UpsertEmployees), {len(events):,} October calls "
          f"ingested, rollups rebuilt: {time.perf_counter() - started:.1f} s",
          flush=True)  # fmt: skip

    started = time.perf_counter()
    hr_channel = grpc.insecure_channel(targets["appraisal"])
    clients = [flow.Client(grpc.insecure_channel(targets["appraisal"]), {})
               for _ in range(SETUP_THREADS)]  # fmt: skip
    try:
        hr = flow.Client(hr_channel, {})
        hr.tokens = {flow.HR: flow.bearer(mint_token(secret=secret, subject=flow.HR,
                                                     roles=[Role.HR]))}  # fmt: skip
        hr.call("OpenCycle", "OpenCycle", flow.HR, pb.OpenCycleRequest(period=OCTOBER))
        jobs = [
            flow.Job(a.id, a.employee_id, a.assessor_id,
                     a.position_type == pb.POSITION_TYPE_MANAGEMENT, a.etag)
            for a in flow.list_cycle(hr)
        ]  # fmt: skip
        org = org_from(staff, jobs, secret)
        for client in [hr, *clients]:
            client.tokens = org.tokens
        per_writer = int(1.25 * SECONDS / (7 * max(THINK, 0.02))) + 2
        started_jobs = [j for j in jobs if not j.management][: FILED + WRITERS * per_writer]
        filed = started_jobs[: min(FILED, len(started_jobs) // 2)]
        flow.in_parallel(
            clients, lambda i: flow.phase_one(clients[i], started_jobs[i :: len(clients)])
        )
        hr.call("CollectKpiData", "CollectKpiData", flow.DUTY,
                pb.CollectKpiDataRequest(cycle_id=flow.PERIOD))  # fmt: skip
        flow.in_parallel(clients, lambda i: flow.phase_two(clients[i], filed[i :: len(clients)]))
        errors = [e for c in clients for e in c.errors]
        if errors:
            raise SystemExit(f"set-up: {len(errors)} workflow errors, first: {errors[0]}")
    finally:
        for client in [hr, *clients]:
            client.channel.close()
    print(f"set-up: cycle {flow.PERIOD} opened ({len(jobs):,} appraisals), "
          f"{len(started_jobs):,} started and collected, {len(filed):,} of them filed: "
          f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip

    hr_token = org.tokens[flow.HR]
    with grpc.insecure_channel(targets["payroll"]) as channel:
        payroll = payroll_pb2_grpc.PayrollBridgeServiceStub(channel)  # type: ignore[no-untyped-call]
        payroll.SetCapTable(payroll_pb2.SetCapTableRequest(rows=cap_rows()),
                            metadata=hr_token, timeout=600)  # fmt: skip
        computed = payroll.ComputePeriod(payroll_pb2.ComputePeriodRequest(period=OCTOBER),
                                         metadata=hr_token, timeout=600)  # fmt: skip
        batch = payroll.CreateBatch(payroll_pb2.CreateBatchRequest(period=OCTOBER),
                                    metadata=hr_token, timeout=600).batch  # fmt: skip
    print(f"set-up: cap table, ComputePeriod {flow.PERIOD} ({computed.lines} lines), "
          f"CreateBatch {batch.id} ({batch.line_count} lines)", flush=True)  # fmt: skip
    return org, started_jobs[len(filed) :], batch.id


# --- CPU and figures -------------------------------------------------------------------


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def transactions(conn: Connection) -> int:
    """Transactions this database has committed or rolled back so far (as the statistics
    collector last heard: backends report at most once a second)."""
    conn.execute(text("SELECT pg_stat_clear_snapshot()"))
    count = conn.scalar(text("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                             "WHERE datname = current_database()"))  # fmt: skip
    conn.rollback()
    return int(count or 0)


def backends_cpu(conn: Connection) -> dict[int, float]:
    """CPU seconds so far of each Postgres backend serving this database (but this one)."""
    pids = conn.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = "
                             "current_database() AND pid <> pg_backend_pid()")).all()  # fmt: skip
    conn.rollback()
    found = {}
    for pid in pids:
        try:
            found[pid] = process_cpu(pid)
        except OSError:  # gone, or Postgres runs elsewhere
            continue
    return found


def loadavg() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def row(label: str, samples: list[float], errors: Counter[str], deliberate: int,
        seconds: float) -> str:  # fmt: skip
    ordered = sorted(samples)
    failed = ", ".join(f"{k} {v}" for k, v in sorted(errors.items())) or "0"
    return (f"  {label:<40} {len(ordered):>7,} {len(ordered) / seconds:>7.1f} "
            f"{flow.percentile(ordered, 0.5):>7.1f} {flow.percentile(ordered, 0.99):>7.1f} "
            f"{ordered[-1]:>8.1f}  {failed:<12} {deliberate:>4}")  # fmt: skip


def report(total: Tally, seconds: float) -> int:
    """Prints the table; returns the number of errors that were not deliberate."""
    print(f"\n  {'RPC':<40} {'calls':>7} {'RPC/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
          f"{'max ms':>8}  {'errors':<12} {'deliberate':>4}")  # fmt: skip
    undeliberate = sum(sum(c.values()) for c in total.errors.values())
    for group in GROUPS:
        keys = sorted(k for k in total.samples if k[0] == group)
        if not keys:
            continue
        merged: list[float] = []
        errors: Counter[str] = Counter()
        print(f"{group}:")
        for key in keys:
            merged += total.samples[key]
            errors.update(total.errors.get(key, Counter()))
            print(row(key[1], total.samples[key], total.errors.get(key, Counter()),
                      total.deliberate[key], seconds))  # fmt: skip
        deliberate = sum(v for k, v in total.deliberate.items() if k[0] == group)
        print(row(f"all {group}", merged, errors, deliberate, seconds))
    for key, counts in total.errors.items():
        if key not in total.samples:
            print(f"  {key[1]}: {dict(counts)}")
    everything = [s for values in total.samples.values() for s in values]
    every_error: Counter[str] = Counter()
    for counts in total.errors.values():
        every_error.update(counts)
    print(row("all RPCs", everything, every_error, sum(total.deliberate.values()), seconds))
    portal = sorted(s for k, values in total.samples.items() if k[0] in PORTAL for s in values)
    p99 = flow.percentile(portal, 0.99) if portal else float("nan")
    print(f"\ngoal portal RPCs (reads and workflow writes) p99 < {P99_GOAL_MS:.0f} ms at "
          f"{CLIENTS} clients: {'met' if p99 < P99_GOAL_MS else 'NOT met'} (p99 {p99:.1f} ms "
          f"over {len(portal):,} calls)")  # fmt: skip
    print(f"goal errors other than deliberate: 0: {'met' if undeliberate == 0 else 'NOT met'} "
          f"({undeliberate}; deliberate {sum(total.deliberate.values())})")  # fmt: skip
    for line in total.examples:
        print(f"  e.g. {line}")
    return undeliberate


# --- the run ---------------------------------------------------------------------------


def main() -> None:
    with throwaway_database() as url, ExitStack() as stack:
        targets = start_servers(stack, url)
        failed = run(url, targets)
    if failed:
        raise SystemExit(1)


def run(url: str, targets: dict[str, str]) -> int:
    servers = server_pids()
    pids = ", ".join(f"{name} {' '.join(map(str, p))}" for name, p in servers.items())
    print(f"servers: {SERVER_PROCESSES} process(es) per service (pids {pids}), "
          f"CCPERF_MAX_WORKERS {MAX_WORKERS}, CCPERF_DB_POOL_SIZE {POOL_SIZE}; "
          f"{os.cpu_count()} CPUs; load average {loadavg()}", flush=True)  # fmt: skip
    org, collected, batch_id = set_up(url, targets)

    pending: queue.SimpleQueue[flow.Job] = queue.SimpleQueue()
    for job in collected:
        pending.put(job)
    tallies = [Tally() for _ in range(CLIENTS)]
    stubs = [Stubs(targets) for _ in range(CLIENTS)]
    done: list[int] = []
    clock: dict[str, float] = {}  # "deadline", set once every client is connected
    connected = threading.Barrier(CLIENTS + 1)
    go = threading.Event()

    def client(i: int) -> None:
        workflow = None
        if 2 <= i < 2 + WRITERS:
            workflow = Writer(stubs[i].open("appraisal"), org.tokens, tally=tallies[i])
        connected.wait()
        go.wait()
        time.sleep(random.uniform(0, THINK))  # users do not all start at once
        end = clock["deadline"]
        if i == 0:
            ingester(org, stubs[0], tallies[0], end)
        elif i == 1:
            payroll_puller(org, stubs[1], tallies[1], end, batch_id)
        elif workflow is not None:
            writer(workflow, end, pending, done)
        else:
            reader(org, stubs[i], tallies[i], end, seed=i)

    offered = CLIENTS / THINK if THINK else float("inf")
    print(f"load: {CLIENTS} clients (1 ingestion, 1 payroll, {WRITERS} workflow writers, "
          f"{CLIENTS - 2 - WRITERS} portal readers) for {SECONDS:.0f} s, think time "
          f"{THINK * 1000:.0f} ms (uniform 0.5-1.5 x): offered at most {offered:,.0f} RPC/s; "
          f"{len(collected):,} collected appraisals queued for the writers",
          flush=True)  # fmt: skip
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    connected.wait()  # channels are opened before the clock starts
    engine = make_engine(url, pool_size=1)
    with engine.connect() as conn:
        before = Usage.now(servers, conn)
        started = time.perf_counter()
        clock["deadline"] = started + SECONDS
        go.set()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        after = Usage.now(servers, conn)
        time.sleep(1.5)  # backends report their transactions at most once a second
        after.transactions = transactions(conn)
    engine.dispose()
    for s in stubs:
        s.close()

    total = Tally()
    for tally in tallies:
        total.add(tally)
    failed = report(total, seconds)
    filed = sum(1 for d in done if d == 1)
    print(f"\nappraisals filed by the writers during the load: {filed:,}"
          f"{'; the writers ran out of collected appraisals' if -1 in done else ''}")  # fmt: skip
    after.print_since(before, seconds, total)
    return failed


@dataclass
class Usage:
    """CPU seconds so far: the servers, this process, Postgres's backends, the machine."""

    servers: dict[str, float]
    client: float
    backends: dict[int, float]
    transactions: int
    machine: tuple[float, float]
    load: str

    @classmethod
    def now(cls, servers: dict[str, list[int]], conn: Connection) -> Usage:
        return cls({name: sum(map(process_cpu, pids)) for name, pids in servers.items()},
                   sum(os.times()[:2]), backends_cpu(conn), transactions(conn), machine_busy(),
                   loadavg())  # fmt: skip

    def print_since(self, before: Usage, seconds: float, total: Tally) -> None:
        calls: Counter[str] = Counter()
        for (group, label), values in total.samples.items():
            calls[service_of(group, label)] += len(values)
        parts = []
        for name, cpu in self.servers.items():
            used = cpu - before.servers[name]
            parts.append(f"{name} server {used:.1f} s ({100 * used / seconds:.0f} %, "
                         f"{1000 * used / max(1, calls[name]):.1f} ms a call)")  # fmt: skip
        client = self.client - before.client
        postgres = sum(cpu - before.backends.get(pid, 0.0) for pid, cpu in self.backends.items())
        busy = (self.machine[0] - before.machine[0]) / max(1, self.machine[1] - before.machine[1])
        print(f"CPU during the load ({seconds:.1f} s, {os.cpu_count()} CPUs): {', '.join(parts)}; "
              f"Postgres backends of this database {postgres:.1f} s "
              f"({100 * postgres / seconds:.0f} %); client (this process) {client:.1f} s "
              f"({100 * client / seconds:.0f} %); the whole machine busy {100 * busy:.0f} % "
              f"(other work on it included)")  # fmt: skip
        xacts = self.transactions - before.transactions
        print(f"database transactions during the load: {xacts:,} "
              f"({xacts / max(1, sum(calls.values())):.1f} per RPC, the servers' background "
              f"work included); Postgres backends: {len(self.backends)} at the end")  # fmt: skip
        print(f"load average (1, 5, 15 min): {before.load} at the start, {self.load} at the end")


def service_of(group: str, label: str) -> str:
    if group == "payroll":
        return "payroll"
    if group == "ingestion" or label.startswith(("GetScorecard", "ListKpiValues")):
        return "metrics"
    return "appraisal"


if __name__ == "__main__":
    main()
