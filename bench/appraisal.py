"""Appraisal workflow throughput: a month's cycle for 5,000 employees, every step over gRPC.

Prints, never asserts on speed. Needs Postgres (BENCH_DATABASE_URL or the local server);
it creates and drops its own database.

Set-up (not timed): HRIS loads 5,000 agents in 50 teams under 50 supervisors, who are
management employees under one head (so they are appraised too; the head has no
supervisor and is skipped), through ``UpsertEmployees`` in batches; the ACD ingests 2-4
answered calls per agent for October 2026 and the rollups are rebuilt.

Then, with BENCH_THREADS (32) client threads, each on its own channel and driving its own
slice of the appraisals, one token per subject passed per call as a portal would:

- ``OpenCycle("2026-10")`` as hr (timed on its own), and hr lists the cycle (summary) to
  learn every appraisal's id and etag;
- phase 1, per appraisal: SetTargets (assessor), ConfirmTargets (employee),
  ApproveTargets (perf_admin, non-management only), StartAppraisal (assessor);
- one ``CollectKpiData`` for the whole cycle as duty officer (timed on its own);
- phase 2, per appraisal: GetAppraisal (employee, reads the new etag and the KPI values),
  SubmitSelfAssessment (employee), for management also two 360 ratings (self and the
  assessor: SubmitRating), SubmitReview, IssueResult (assessor), SignResult (employee),
  SignResult (assessor), FileResult (hr).

It prints appraisals/s end to end, workflow RPC/s, latency p50/p90/p99 overall and per
method, and, as the ceiling in the same run, the gRPC health Check on the same server under
the same client load. Goals: workflow RPC p99 under 50 ms and at least 0.25 of the health
Check's RPC/s. BENCH_EMPLOYEES (5,000), BENCH_THREADS (32) and BENCH_HEALTH_CALLS (20,000)
scale it. The appraisal server runs as BENCH_SERVER_PROCESSES (2) ``ccperf serve`` processes
sharing its port, each with CCPERF_MAX_WORKERS and CCPERF_DB_POOL_SIZE 4 unless set; the
metrics server (only CollectKpiData calls it) and the clients share this process
(BENCH_SERVER_PROCESSES=0 puts the appraisal server here too, as before 2026-12-04).
At the end GetCycle's per-state counts confirm every appraisal was filed; a workflow error
stops that appraisal, is listed, and makes the run exit 1 after the figures.

Last, it prints the whole machine's CPU a call (/proc/stat: servers, Postgres and clients)
for the workflow and the health Check, and the database floor (``_step_floor``): a step's
transaction alone through the bare driver, BENCH_FLOOR_STEPS (10,000) of them from as many
threads as the servers' pools hold connections. Against the ratio goal's CPU budget a call,
that shows how much of a call no Python service can avoid, and how much is ours.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import grpc
from _step_floor import Floor, machine_cpu, step_floor
from _support import server_processes, throwaway_database
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy.orm import sessionmaker

from ccperf.appraisal.v1 import appraisal_pb2 as pb
from ccperf.appraisal.v1 import appraisal_pb2_grpc
from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from services.app import Process, start_services
from services.common.auth import Role, mint_token
from services.common.protoconv import write_date
from services.common.settings import Settings
from services.metrics.refresh import refresh_dirty
from tests.support.appraisal_flow import (
    behaviour_scores,
    management_ratings,
    non_management_targets,
)
from tests.support.metrics_events import T0, answered_call

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "5000"))
THREADS = int(os.environ.get("BENCH_THREADS", "32"))
SERVER_PROCESSES = int(os.environ.get("BENCH_SERVER_PROCESSES", "2"))
HEALTH_CALLS = int(os.environ.get("BENCH_HEALTH_CALLS", "20000"))
FLOOR_STEPS = int(os.environ.get("BENCH_FLOOR_STEPS", "10000"))
TEAMS = max(1, min(50, EMPLOYEES // 20))
PERIOD = "2026-10"
HEAD = "H0000"
HR, PERF_ADMIN, DUTY = "HR01", "PA01", "DO01"
UPSERT_BATCH = 1_000
INGEST_BATCH = 10_000  # the most IngestEvents takes in one message
TIMEOUT = 60.0
P99_GOAL_MS = 50.0
RATIO_GOAL = 0.25

METHODS = (  # in workflow order, as the figures are printed
    "SetTargets", "ConfirmTargets", "ApproveTargets", "StartAppraisal", "GetAppraisal",
    "SubmitSelfAssessment", "SubmitRating", "SubmitReview", "IssueResult",
    "SignResult (employee)", "SignResult (assessor)", "FileResult",
)  # fmt: skip

Metadata = tuple[tuple[str, str], ...]


def agent_id(i: int) -> str:
    return f"E{i:06d}"


def supervisor_id(team: int) -> str:
    return f"S{team:04d}"


# --- org and KPI data ------------------------------------------------------------------


def org_units() -> list[org_pb2.OrgUnit]:
    kind = org_pb2.OrgUnitKind
    units = [
        org_pb2.OrgUnit(id="CC", kind=kind.ORG_UNIT_KIND_CENTER, name="center"),
        org_pb2.OrgUnit(id="D", kind=kind.ORG_UNIT_KIND_DEPARTMENT, name="ops", parent_id="CC"),
    ]
    units += [
        org_pb2.OrgUnit(id=f"T{t:02d}", kind=kind.ORG_UNIT_KIND_TEAM, name=f"team {t}",
                        parent_id="D")
        for t in range(TEAMS)
    ]  # fmt: skip
    for unit in units:
        unit.effective_from.CopyFrom(write_date(dt.date(2026, 1, 1)))
    return units


def person(emp_id: str, unit: str, supervisor: str, management: bool) -> org_pb2.Employee:
    emp = org_pb2.Employee(
        id=emp_id, name=f"员工{emp_id}", org_unit_id=unit, supervisor_id=supervisor,
        position="主管" if management else "客服代表",
        position_type=org_pb2.POSITION_TYPE_MANAGEMENT if management
        else org_pb2.POSITION_TYPE_NON_MANAGEMENT,
        grade="M1" if management else "S3", employment_status=org_pb2.EMPLOYMENT_STATUS_REGULAR,
    )  # fmt: skip
    emp.hire_date.CopyFrom(write_date(dt.date(2024, 3, 1)))
    emp.effective_from.CopyFrom(write_date(dt.date(2026, 1, 1)))
    return emp


def people() -> list[org_pb2.Employee]:
    """Head and supervisors first: a supervisor exists before their reports are loaded."""
    staff = [person(HEAD, "D", "", True)]
    staff += [person(supervisor_id(t), f"T{t:02d}", HEAD, True) for t in range(TEAMS)]
    staff += [
        person(agent_id(i), f"T{i % TEAMS:02d}", supervisor_id(i % TEAMS), False)
        for i in range(EMPLOYEES)
    ]
    return staff


def call_events() -> list[Any]:
    """2-4 answered calls per agent, spread over October."""
    events = []
    for i in range(EMPLOYEES):
        for k in range(2 + i % 3):
            at = T0 + dt.timedelta(days=5 * k, seconds=7 * i)
            events.append(
                answered_call(f"C{i:06d}-{k}", agent=agent_id(i), wait=10 + i % 30,
                              talk=100 + (i * 37 + k * 53) % 300, at=at)
            )  # fmt: skip
    return events


# --- the workflow ----------------------------------------------------------------------


@dataclass
class Job:
    """One appraisal as the clients see it, with the etag of its latest response."""

    appraisal_id: str
    employee: str
    assessor: str
    management: bool
    etag: str
    ok: bool = True


@dataclass
class Client:
    """One client thread: a channel, its stub and the latencies it measured."""

    channel: grpc.Channel
    tokens: dict[str, Metadata]
    samples: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stub = appraisal_pb2_grpc.AppraisalServiceStub(self.channel)  # type: ignore[no-untyped-call]

    def call(self, label: str, method: str, subject: str, request: Any) -> Any:
        rpc = getattr(self.stub, method)
        started = time.perf_counter()
        reply = rpc(request, metadata=self.tokens[subject], timeout=TIMEOUT)
        self.samples.append((label, (time.perf_counter() - started) * 1000))
        return reply

    def step(self, job: Job, method: str, subject: str, label: str = "", **fields: Any) -> None:
        """One transition on the etag of the last reply, which gives the next etag."""
        if not job.ok:
            return
        request = getattr(pb, f"{method}Request")(appraisal_id=job.appraisal_id, **fields)
        if "etag" in request.DESCRIPTOR.fields_by_name:
            request.etag = job.etag
        try:
            job.etag = self.call(label or method, method, subject, request).appraisal.etag
        except grpc.RpcError as exc:
            job.ok = False
            self.errors.append(f"{job.appraisal_id} {label or method}: {exc.code().name} "
                               f"{exc.details()}")  # fmt: skip


def targets(job: Job) -> dict[str, Any]:
    if job.management:  # a team goal only: supervisors have no agent-level KPIs of their own
        weights = [pb.SectionWeight(section="kpi", weight="0"),
                   pb.SectionWeight(section="work_goals", weight="80")]  # fmt: skip
        items = [pb.TargetItem(
            section="work_goals", code="team_results", name="团队业绩 team results",
            weight="100", points="100", standard="team service level at target",
            scoring=pb.Scoring(rated=pb.Rated()),
        )]  # fmt: skip
    else:
        weights, items = non_management_targets()
    return {"section_weights": weights, "items": items}


def scores(job: Job, goal: str, each: str) -> list[pb.ItemScore]:
    code = "team_results" if job.management else "knowledge_base"
    return [pb.ItemScore(section="work_goals", code=code, score=goal), *behaviour_scores(each)]


def phase_one(client: Client, jobs: Sequence[Job]) -> None:
    """Targets set, confirmed, approved (non-management) and the appraisal started."""
    for job in jobs:
        client.step(job, "SetTargets", job.assessor, **targets(job))
        client.step(job, "ConfirmTargets", job.employee)
        if not job.management:  # management targets need no approval
            client.step(job, "ApproveTargets", PERF_ADMIN)
        client.step(job, "StartAppraisal", job.assessor)


def rate(client: Client, job: Job, rater: str, each: str) -> None:
    if job.ok:
        request = pb.SubmitRatingRequest(
            appraisal_id=job.appraisal_id, scores=management_ratings(each)
        )
        try:
            client.call("SubmitRating", "SubmitRating", rater, request)
        except grpc.RpcError as exc:
            job.ok = False
            client.errors.append(f"{job.appraisal_id} SubmitRating: {exc.code().name} "
                                 f"{exc.details()}")  # fmt: skip


def phase_two(client: Client, jobs: Sequence[Job]) -> None:
    """The employee reads the collected appraisal, then self-assessment through filing."""
    for job in jobs:
        client.step(job, "GetAppraisal", job.employee)
        client.step(job, "SubmitSelfAssessment", job.employee, scores=scores(job, "90", "23"))
        if job.management:  # the 360 section: the supervisor's self rating and the head's
            rate(client, job, job.employee, "20")
            rate(client, job, job.assessor, "15")
        client.step(job, "SubmitReview", job.assessor, scores=scores(job, "80", "20"))
        client.step(job, "IssueResult", job.assessor)
        client.step(job, "SignResult", job.employee, "SignResult (employee)")
        client.step(job, "SignResult", job.assessor, "SignResult (assessor)")
        client.step(job, "FileResult", HR)


def in_parallel(clients: Sequence[Client], work: Callable[[int], None]) -> float:
    """Run work(i) on THREADS threads at once; the wall time in seconds."""
    with ThreadPoolExecutor(len(clients)) as pool:
        started = time.perf_counter()
        list(pool.map(work, range(len(clients))))
        return time.perf_counter() - started


# --- figures ---------------------------------------------------------------------------


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest rank."""
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summary(samples: Sequence[float]) -> str:
    ordered = sorted(samples)
    return (f"p50 {percentile(ordered, 0.5):6.2f}  p90 {percentile(ordered, 0.9):6.2f}  "
            f"p99 {percentile(ordered, 0.99):6.2f}  max {ordered[-1]:7.2f} ms")  # fmt: skip


def health_ceiling(channels: Sequence[grpc.Channel]) -> tuple[float, list[float]]:
    """The health Check with the same threads and channels: (calls/s, latencies in ms)."""
    per_thread = max(1, HEALTH_CALLS // len(channels))
    stubs = [health_pb2_grpc.HealthStub(c) for c in channels]
    request = health_pb2.HealthCheckRequest()
    results: list[list[float]] = [[] for _ in channels]

    def work(i: int) -> None:
        check, out = stubs[i].Check, results[i]
        for _ in range(per_thread):
            started = time.perf_counter()
            check(request, timeout=TIMEOUT)
            out.append((time.perf_counter() - started) * 1000)

    for stub in stubs:
        for _ in range(20):
            stub.Check(request, timeout=TIMEOUT)  # warm up
    with ThreadPoolExecutor(len(channels)) as pool:
        started = time.perf_counter()
        list(pool.map(work, range(len(channels))))
        elapsed = time.perf_counter() - started
    samples = [s for out in results for s in out]
    return len(samples) / elapsed, samples


def list_cycle(client: Client) -> list[pb.Appraisal]:
    """Every appraisal of the cycle, summary only, as hr reads them."""
    found: list[pb.Appraisal] = []
    request = pb.ListAppraisalsRequest(cycle_id=PERIOD, summary=True, page_size=1000)
    while True:
        page = client.call("ListAppraisals", "ListAppraisals", HR, request)
        found += page.appraisals
        if not page.next_page_token:
            return found
        request.page_token = page.next_page_token


def states(client: Client) -> dict[str, int]:
    reply = client.call("GetCycle", "GetCycle", HR, pb.GetCycleRequest(cycle_id=PERIOD))
    return dict(reply.cycle.appraisals_by_state)


def cpu_budget(
    calls: int, workflow_cpu: float | None, checks: int, check_cpu: float | None, floor: Floor
) -> None:
    """The whole machine's CPU a call (servers, Postgres, clients), and what the ratio goal
    leaves a workflow call once the step's bare database work and gRPC's own are paid."""
    if workflow_cpu is None or check_cpu is None or floor.cpu_ms is None:
        print("CPU a call: /proc/stat is not readable here")
        return
    workflow_ms, check_ms = 1000 * workflow_cpu / calls, 1000 * check_cpu / checks
    budget = check_ms / RATIO_GOAL  # the goal's rate, on the machine busy as for the Check
    print(f"CPU a call, whole machine: workflow {workflow_ms:.2f} ms, health Check "
          f"{check_ms:.2f} ms")  # fmt: skip
    print(f"database floor: a step's transaction alone (lock, items, adjustments, update, "
          f"audit, commit) through the bare driver, {floor.threads} threads: "
          f"{floor.rate:,.0f} steps/s, {floor.cpu_ms:.2f} ms CPU a step")  # fmt: skip
    print(f"at the ratio goal a workflow call may cost {budget:.2f} ms; the floor and the "
          f"Check's gRPC work alone take {floor.cpu_ms + check_ms:.2f} ms, leaving "
          f"{budget - floor.cpu_ms - check_ms:.2f} ms for auth, rules, scoring and the reply "
          f"(now {workflow_ms - floor.cpu_ms - check_ms:.2f} ms)")  # fmt: skip


# --- the run ---------------------------------------------------------------------------


def main() -> None:
    with throwaway_database() as url:
        run(url)


def server_settings(url: str) -> Settings:
    """Sized for THREADS concurrent clients, as production sets it through the environment."""
    env = {
        "DATABASE_URL": url,
        "CCPERF_ENV": "test",
        "CCPERF_ROLLUP_REFRESH_SECONDS": "0",  # rebuilt once below, before the clock starts
        # Few threads a process: on 2 cores more only fight over the GIL (1,000 agents,
        # 2026-12-04: 4 workers 343 RPC/s, p99 168 ms; 32 workers 266 RPC/s, p99 269 ms).
        "CCPERF_MAX_WORKERS": os.environ.get("CCPERF_MAX_WORKERS", "4"),
        "CCPERF_DB_POOL_SIZE": os.environ.get("CCPERF_DB_POOL_SIZE", "4"),
    }
    return Settings.from_env(env)


def bearer(token: str) -> Metadata:
    return (("authorization", f"Bearer {token}"),)


def run(url: str) -> None:
    settings = server_settings(url)
    if SERVER_PROCESSES == 0:  # everything in this process, sharing the clients' GIL
        process = start_services(
            ["metrics", "appraisal"], settings, ports={"metrics": 0, "appraisal": 0}
        )
        addresses = {s.name: s.address for s in process.servers}
        measure(settings, process, addresses)
        return
    process = start_services(["metrics"], settings, ports={"metrics": 0})
    addresses = {"metrics": process.servers[0].address}
    env = {
        "DATABASE_URL": url,
        "CCPERF_ENV": "test",
        "CCPERF_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "warning"),
        "CCPERF_MAX_WORKERS": str(settings.max_workers),
        "CCPERF_DB_POOL_SIZE": str(settings.db_pool_size),
        "CCPERF_METRICS_TARGET": addresses["metrics"],
    }
    with server_processes("appraisal", SERVER_PROCESSES, env) as address:
        addresses["appraisal"] = address
        measure(settings, process, addresses)


def measure(settings: Settings, process: Process, addresses: dict[str, str]) -> None:
    secret = settings.effective_jwt_secret or ""

    def token(subject: str, *roles: Role) -> Metadata:
        return bearer(mint_token(secret=secret, subject=subject, roles=roles))

    where = (f"{SERVER_PROCESSES} appraisal server processes on one port (SO_REUSEPORT), "
             "metrics in this process" if SERVER_PROCESSES
             else "servers and clients share this process")  # fmt: skip
    print(f"server: max_workers {settings.max_workers}, db_pool_size {settings.db_pool_size} "
          f"(+{settings.db_pool_size} overflow) a process; clients: {THREADS} threads, one "
          f"channel each, the caller's token per call; {where}; {os.cpu_count()} CPUs",
          flush=True)  # fmt: skip
    channels: list[grpc.Channel] = []
    try:
        staff = people()
        started = time.perf_counter()
        with grpc.insecure_channel(addresses["appraisal"]) as channel:
            org = org_pb2_grpc.OrgServiceStub(channel)  # type: ignore[no-untyped-call]
            hris = token("hris", Role.HRIS)
            org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=org_units()),
                               metadata=hris, timeout=TIMEOUT)  # fmt: skip
            for start in range(0, len(staff), UPSERT_BATCH):
                batch = staff[start : start + UPSERT_BATCH]
                org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=batch),
                                    metadata=hris, timeout=TIMEOUT)  # fmt: skip
        events = call_events()
        with grpc.insecure_channel(addresses["metrics"]) as channel:
            metrics = metrics_pb2_grpc.MetricsServiceStub(channel)  # type: ignore[no-untyped-call]
            batches = iter(
                metrics_pb2.IngestEventsRequest(source="acd", events=events[s : s + INGEST_BATCH])
                for s in range(0, len(events), INGEST_BATCH)
            )
            reply = metrics.IngestEvents(batches, metadata=token("acd", Role.INGEST),
                                         timeout=600)  # fmt: skip
        assert reply.accepted == len(events), reply
        rebuilt = refresh_dirty(
            sessionmaker(bind=process.engine), ZoneInfo(settings.timezone), workers=2
        )
        print(f"set-up: 1 head, {TEAMS} supervisors and {EMPLOYEES:,} agents "
              f"(UpsertEmployees, {UPSERT_BATCH:,} a call), {len(events):,} calls ingested, "
              f"{rebuilt} rollup days rebuilt: {time.perf_counter() - started:.1f} s",
              flush=True)  # fmt: skip

        tokens: dict[str, Metadata] = {
            HR: token(HR, Role.HR),
            PERF_ADMIN: token(PERF_ADMIN, Role.PERF_ADMIN),
            DUTY: token(DUTY, Role.DUTY_OFFICER),
        }
        for emp in staff:  # the head and the supervisors assess; everyone is an employee
            manager = emp.position_type == org_pb2.POSITION_TYPE_MANAGEMENT
            roles = (Role.SUPERVISOR, Role.EMPLOYEE) if manager else (Role.EMPLOYEE,)
            tokens[emp.id] = token(emp.id, *roles)
        # Each client its own connection, as separate portal pods would have: by default
        # gRPC shares one TCP connection among channels to the same target in a process,
        # which would also pin every client to one of the server processes.
        own_connection = [("grpc.use_local_subchannel_pool", 1)]
        channels = [
            grpc.insecure_channel(addresses["appraisal"], options=own_connection)
            for _ in range(THREADS)
        ]
        clients = [Client(c, tokens) for c in channels]
        for client in clients:  # connect every channel before the clock starts
            health_pb2_grpc.HealthStub(client.channel).Check(health_pb2.HealthCheckRequest())
        admin_channel = grpc.insecure_channel(addresses["appraisal"])
        channels.append(admin_channel)
        hr = Client(admin_channel, tokens)  # cycle-wide calls, outside the workflow figures

        # OpenCycle, then hr lists the cycle to learn every appraisal's etag.
        started = time.perf_counter()
        opened = hr.call("OpenCycle", "OpenCycle", HR,
                         pb.OpenCycleRequest(period=common_pb2.Period(value=PERIOD)))  # fmt: skip
        open_seconds = time.perf_counter() - started
        print(f"OpenCycle {PERIOD}: {opened.opened:,} appraisals opened, "
              f"{len(opened.skipped)} skipped, in {open_seconds:.2f} s "
              f"({opened.opened / open_seconds:,.0f} appraisals/s)", flush=True)  # fmt: skip
        started = time.perf_counter()
        jobs = [
            Job(a.id, a.employee_id, a.assessor_id,
                a.position_type == pb.POSITION_TYPE_MANAGEMENT, a.etag)
            for a in list_cycle(hr)
        ]  # fmt: skip
        list_seconds = time.perf_counter() - started
        print(f"ListAppraisals (hr, summary, 1,000 a page): {len(jobs):,} in "
              f"{list_seconds:.2f} s", flush=True)  # fmt: skip
        slices = [jobs[i::THREADS] for i in range(THREADS)]

        one, cpu_one = machine_cpu(
            lambda: in_parallel(clients, lambda i: phase_one(clients[i], slices[i]))
        )
        print(f"phase 1 (SetTargets → StartAppraisal), {THREADS} threads: {one:.1f} s",
              flush=True)  # fmt: skip

        started = time.perf_counter()
        collection = hr.call("CollectKpiData", "CollectKpiData", DUTY,
                             pb.CollectKpiDataRequest(cycle_id=PERIOD))  # fmt: skip
        collect_seconds = time.perf_counter() - started
        print(f"CollectKpiData (one call, duty officer): {collection.collected:,} collected, "
              f"{len(collection.missing)} values missing, in {collect_seconds:.2f} s "
              f"({collection.collected / max(collect_seconds, 1e-9):,.0f} appraisals/s)",
              flush=True)  # fmt: skip

        two, cpu_two = machine_cpu(
            lambda: in_parallel(clients, lambda i: phase_two(clients[i], slices[i]))
        )
        print(f"phase 2 (GetAppraisal → FileResult), {THREADS} threads: {two:.1f} s",
              flush=True)  # fmt: skip

        by_state = states(hr)
        (ceiling_rate, ceiling), cpu_ceiling = machine_cpu(
            lambda: health_ceiling([c.channel for c in clients])
        )
        connections = max(1, SERVER_PROCESSES) * settings.db_pool_size  # the servers' pools
        floor = step_floor(
            settings.database_url, [j.appraisal_id for j in jobs], connections, FLOOR_STEPS
        )
    finally:
        for channel in channels:
            channel.close()
        process.stop(grace=0)

    samples = [s for c in clients for s in c.samples]
    errors = [e for c in clients for e in c.errors]
    filed = by_state.get("filed", 0)
    workflow = one + two
    total = open_seconds + list_seconds + one + collect_seconds + two
    rpc_rate = len(samples) / workflow
    by_method: dict[str, list[float]] = {label: [] for label in METHODS}
    for label, ms in samples:
        by_method.setdefault(label, []).append(ms)
    overall = sorted(ms for _, ms in samples)
    p99 = percentile(overall, 0.99)

    print()
    print(f"appraisals filed: {filed:,} of {len(jobs):,} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(by_state.items()))})")  # fmt: skip
    print(f"end to end, OpenCycle → every appraisal filed: {total:.1f} s "
          f"= {filed / total:,.1f} appraisals/s")  # fmt: skip
    print(f"  the two workflow phases alone:              {workflow:.1f} s "
          f"= {filed / workflow:,.1f} appraisals/s")  # fmt: skip
    print(f"workflow RPCs: {len(samples):,} in {workflow:.1f} s = {rpc_rate:,.0f} RPC/s; "
          f"{summary(overall)}")  # fmt: skip
    width = max(len(k) for k in by_method)
    for label, values in by_method.items():
        if not values:
            continue
        print(f"  {label:<{width}} {len(values):>6,}  {summary(values)}")
    ordered_ceiling = sorted(ceiling)
    ratio = rpc_rate / ceiling_rate
    print(f"health Check (ceiling), same {THREADS} threads and channels: {ceiling_rate:,.0f} "
          f"RPC/s; {summary(ordered_ceiling)}")  # fmt: skip
    print(f"ratio workflow RPC/s ÷ health RPC/s: {ratio:.3f}")
    print(f"goal p99 < {P99_GOAL_MS:.0f} ms: {'met' if p99 < P99_GOAL_MS else 'NOT met'} "
          f"(p99 {p99:.1f} ms); goal ratio >= {RATIO_GOAL}: "
          f"{'met' if ratio >= RATIO_GOAL else 'NOT met'} ({ratio:.3f})")  # fmt: skip
    workflow_cpu = None if cpu_one is None or cpu_two is None else cpu_one + cpu_two
    cpu_budget(len(samples), workflow_cpu, len(ceiling), cpu_ceiling, floor)
    if errors:
        kinds = Counter(e.split(":", 1)[0].split(" ", 1)[1] for e in errors)
        print(f"{len(errors)} appraisals stopped on an error ({dict(kinds)}); first ones:")
        for line in errors[:5]:
            print(f"  {line}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
