"""``make demo``: the whole flow on a fresh machine, against the embedded SQLite database.

Starts the three services as separate ``ccperf serve`` processes on free ports,
waits for health, lists their services by reflection, loads a demo org of about
50 agents through the Org API as HRIS would, asks the calendar and eligibility
questions the appraisal cycle depends on, generates a month of contact-center
data for that org (``services.demo_data``: an Asterisk queue_log and CSVs),
imports it with ``ccperf import`` as an operator would, prints the center's
scorecard and the best and weakest agents, runs the month's appraisal cycle
(``services.demo_appraisal``) and prints every employee's score and grade,
pays the month (``services.demo_payroll``: batch, pull, acknowledge, explain),
then stops the servers with SIGTERM.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import grpc
from google.type import date_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from services.common.auth import Role, mint_token
from services.common.grpc_client import authorized_channel
from services.common.protoconv import write_date
from services.common.settings import SERVICES, Settings
from services.demo_appraisal import run_appraisal_month
from services.demo_data import Contract, DemoData, MonthSpec, StaffMember, generate_month
from services.demo_payroll import run_pay_month
from services.demo_processes import (
    STOP_GRACE,
    Child,
    DemoStopped,
    ServerDidNotStart,
    run_child,
    spawn,
    stop_all,
    stop_signals,
    wait_until_serving,
)

DEMO_MONTH = "2026-10"


def _d(text: str) -> date_pb2.Date:
    return write_date(dt.date.fromisoformat(text))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVER_STOP_GRACE = 30.0
"""Seconds the servers have to drain and exit at the end of a demo that ran to its end
(on a stop signal they have ``demo_processes.STOP_GRACE``)."""


@contextmanager
def running_services(settings: Settings) -> Iterator[dict[str, str]]:
    """Start each service as its own ``ccperf serve`` process; stop them on exit.

    Each server's JSON log goes to ``<demo data dir>/<service>.log`` (a pipe nobody
    reads would fill up and block the server's logging). The servers stop when the
    block ends, however it ends, and die with the demo (``services.demo_child``).
    """
    ports = {name: free_port() for name in SERVICES}
    env = dict(os.environ, DATABASE_URL=settings.database_url, CCPERF_LOG_FORMAT="json")
    env.update({f"CCPERF_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    log_dir = demo_data_dir(settings.database_url)
    log_dir.mkdir(parents=True, exist_ok=True)
    logs = {name: log_dir / f"{name}.log" for name in SERVICES}
    children: list[Child] = []
    grace = STOP_GRACE
    try:
        for name in SERVICES:
            with logs[name].open("wb") as log:
                children.append(
                    spawn(name, ["serve", name], env, stdout=subprocess.DEVNULL, stderr=log)
                )
        targets = {name: f"127.0.0.1:{port}" for name, port in ports.items()}
        for child in children:
            wait_until_serving(child, targets[child.name], logs[child.name])
        yield targets
        grace = SERVER_STOP_GRACE
    finally:
        codes = stop_all(children, grace)
        for name, code in codes.items():
            print(f"  {name:<10} stopped on SIGTERM, exit code {code}; log {logs[name]}")
            if code != 0:
                print(logs[name].read_bytes()[-2000:].decode(errors="replace"))


TEAMS = {  # team → (department, agents, queues the agents serve: primary first)
    "OPS-T1": ("OPS", 9, ("consult", "billing")),
    "OPS-T2": ("OPS", 9, ("consult", "billing")),
    "OPS-T3": ("OPS", 7, ("vip", "consult")),
    "SUP-T1": ("SUP", 7, ("billing", "vip")),
    "GEN-T1": ("GEN", 4, ("consult",)),
    "FLD-T1": ("FLD", 7, ("repair", "consult")),
}
AGENT_POSITION = "客服代表"
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
)
_GIVEN_NAMES = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛",
    "明", "超", "秀英", "霞", "平", "刚", "婷", "雪", "慧", "晨", "宇", "欣怡", "子涵", "浩然",
    "梓萱", "思远", "佳琪", "嘉怡", "一鸣", "文博", "雨桐", "俊杰", "诗涵", "晓东", "海燕", "志强",
)  # fmt: skip


def _agent_name(number: int) -> str:
    return _SURNAMES[number * 7 % len(_SURNAMES)] + _GIVEN_NAMES[number * 11 % len(_GIVEN_NAMES)]


def demo_org() -> tuple[list[org_pb2.OrgUnit], list[org_pb2.Employee], list[org_pb2.Leave]]:
    """A center with four departments, six teams and 50 agents in every situation.

    Team k (1–6) is led by E00k0 and its agents are E00k1…; E0100–E0106 are the
    cases the eligibility rules are about.
    """
    start = _d("2026-01-01")
    kind = org_pb2.OrgUnitKind
    units = [org_pb2.OrgUnit(id="CC", kind=kind.ORG_UNIT_KIND_CENTER, name="客户服务中心")]
    departments = {
        "OPS": "运营管理科",
        "SUP": "运营支持科",
        "GEN": "综合科",
        "FLD": "现场服务",
    }
    for code, name in departments.items():
        units.append(
            org_pb2.OrgUnit(id=code, kind=kind.ORG_UNIT_KIND_DEPARTMENT, name=name, parent_id="CC")
        )
    for code, (parent, _, _) in TEAMS.items():
        units.append(
            org_pb2.OrgUnit(
                id=code, kind=kind.ORG_UNIT_KIND_TEAM, name=f"{code} 班组", parent_id=parent
            )
        )
    for unit in units:
        unit.effective_from.CopyFrom(start)

    status = org_pb2.EmploymentStatus
    people: list[org_pb2.Employee] = []

    def person(
        emp_id: str, name: str, unit: str, boss: str, position: str, management: bool,
        employment: Any = status.EMPLOYMENT_STATUS_REGULAR, hired: str = "2024-03-01",
        confirmed: str | None = None,
    ) -> None:  # fmt: skip
        emp = org_pb2.Employee(
            id=emp_id, name=name, org_unit_id=unit, supervisor_id=boss, position=position,
            position_type=org_pb2.POSITION_TYPE_MANAGEMENT if management
            else org_pb2.POSITION_TYPE_NON_MANAGEMENT,
            grade="M2" if management else "S3", employment_status=employment,
        )  # fmt: skip
        emp.hire_date.CopyFrom(_d(hired))
        if confirmed:
            emp.confirmation_date.CopyFrom(_d(confirmed))
        emp.effective_from.CopyFrom(start if hired < "2026-01-01" else _d(hired))
        people.append(emp)

    person("E0001", "周主任", "CC", "", "中心主任", management=True)
    for i, code in enumerate(departments, start=2):
        person(f"E000{i}", f"{departments[code]}经理", code, "E0001", "科室经理", management=True)
    managers = {code: f"E000{i}" for i, code in enumerate(departments, start=2)}
    leads = {team: f"E00{k}0" for k, team in enumerate(TEAMS, start=1)}
    for k, (team, (dept, size, _)) in enumerate(TEAMS.items(), start=1):
        person(leads[team], f"{team}组长", team, managers[dept], "班组长", management=True)
        for n in range(1, size + 1):
            number = k * 10 + n
            hired = f"202{number % 5 + 1}-{number % 12 + 1:02d}-01"
            person(f"E{number:04d}", _agent_name(number), team, leads[team], AGENT_POSITION,
                   management=False, hired=hired)  # fmt: skip
    # The cases the eligibility rules are about.
    person("E0100", "试用期员工", "OPS-T1", leads["OPS-T1"], AGENT_POSITION, False,
           status.EMPLOYMENT_STATUS_PROBATION, hired="2026-09-01")  # fmt: skip
    person("E0101", "临时工", "OPS-T2", leads["OPS-T2"], AGENT_POSITION, False,
           status.EMPLOYMENT_STATUS_TEMPORARY)  # fmt: skip
    person("E0102", "外部兼职", "OPS-T3", leads["OPS-T3"], AGENT_POSITION, False,
           status.EMPLOYMENT_STATUS_PART_TIME_EXTERNAL)  # fmt: skip
    person("E0103", "十日前转正", "OPS-T1", leads["OPS-T1"], AGENT_POSITION, False,
           hired="2026-07-01", confirmed="2026-10-09")  # fmt: skip
    person("E0104", "十日后转正", "OPS-T2", leads["OPS-T2"], AGENT_POSITION, False,
           hired="2026-07-01", confirmed="2026-10-12")  # fmt: skip
    person("E0105", "产假员工", "SUP-T1", leads["SUP-T1"], AGENT_POSITION, False)
    person("E0106", "长病假员工", "FLD-T1", leads["FLD-T1"], AGENT_POSITION, False)

    leave_kind = org_pb2.LeaveKind
    leaves = [
        org_pb2.Leave(id="L-1", employee_id="E0105", kind=leave_kind.LEAVE_KIND_MATERNITY),
        org_pb2.Leave(id="L-2", employee_id="E0106", kind=leave_kind.LEAVE_KIND_SICK),
        org_pb2.Leave(id="L-3", employee_id="E0011", kind=leave_kind.LEAVE_KIND_ANNUAL),
    ]
    for leave, (first, last) in zip(
        leaves,
        [("2026-08-01", "2026-12-31"), ("2026-10-08", "2026-10-31"), ("2026-10-12", "2026-10-16")],
        strict=True,
    ):
        leave.start_date.CopyFrom(_d(first))
        leave.end_date.CopyFrom(_d(last))
    return units, people, leaves


_CONTRACTS: dict[int, Contract] = {
    org_pb2.EMPLOYMENT_STATUS_PROBATION: "probation",
    org_pb2.EMPLOYMENT_STATUS_TEMPORARY: "temporary",
    org_pb2.EMPLOYMENT_STATUS_PART_TIME_EXTERNAL: "part_time",
}


def demo_staff(people: list[org_pb2.Employee], leaves: list[org_pb2.Leave]) -> list[StaffMember]:
    """The demo org as the data generator sees it: who takes calls in which queues."""
    leave_by_person: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for leave in leaves:
        period = (dt.date.fromisoformat(_iso(leave.start_date)),
                  dt.date.fromisoformat(_iso(leave.end_date)))  # fmt: skip
        leave_by_person.setdefault(leave.employee_id, []).append(period)
    return [
        StaffMember(
            employee_id=emp.id,
            org_unit_id=emp.org_unit_id,
            queues=TEAMS[emp.org_unit_id][2] if emp.position == AGENT_POSITION else (),
            contract=_CONTRACTS.get(emp.employment_status, "regular"),
            leave=tuple(leave_by_person.get(emp.id, ())),
            management=emp.position_type == org_pb2.POSITION_TYPE_MANAGEMENT,
        )
        for emp in people
    ]


def demo_month_spec() -> MonthSpec:
    """October 2026 in the demo calendar's time zone, with its holiday week."""
    exceptions = demo_calendar()
    days = {dt.date.fromisoformat(_iso(e.date)): e.working for e in exceptions}
    return MonthSpec(
        year=2026,
        month=10,
        timezone="Asia/Shanghai",
        holidays=frozenset(day for day, working in days.items() if not working)
        | frozenset(dt.date(2026, 10, d) for d in range(1, 8)),
        working_weekends=frozenset(day for day, working in days.items() if working),
        center_id="CC",
        evaluators=("E0040", "E0003"),  # 运营支持科 runs QA: its team lead and its manager
    )


def demo_calendar() -> list[org_pb2.CalendarException]:
    """A demo 2026 calendar with a National Day week and its make-up days (调休)."""
    holidays = ["2026-01-01", "2026-01-02", *(f"2026-10-0{d}" for d in range(1, 8))]
    makeup = ["2026-09-27", "2026-10-10"]
    days = [org_pb2.CalendarException(date=_d(d), working=False, name="假日") for d in holidays]
    days += [org_pb2.CalendarException(date=_d(d), working=True, name="调休") for d in makeup]
    return [d for d in days if dt.date.fromisoformat(_iso(d.date)).weekday() < 5 or d.working]


def _iso(date_msg: object) -> str:
    return f"{date_msg.year:04d}-{date_msg.month:02d}-{date_msg.day:02d}"  # type: ignore[attr-defined]


def list_by_reflection(target: str) -> list[str]:
    with grpc.insecure_channel(target) as channel:
        return sorted(ProtoReflectionDescriptorDatabase(channel).get_services())


def demo_data_dir(database_url: str) -> Path:
    """Where the demo month's files go: ``demo/`` beside the SQLite file, else ``var/demo``."""
    prefix = "sqlite:///"
    path = database_url[len(prefix) :].split("?", 1)[0] if database_url.startswith(prefix) else ""
    if path and path != ":memory:":
        return Path(path).parent / "demo"
    return Path("var") / "demo"


IMPORT_ATTEMPTS = 3
IMPORT_TIMEOUT = 600.0
"""Seconds one ``ccperf import`` of a demo file may take (a few seconds on a laptop)."""


def import_month(data: DemoData, target: str, token: str, timezone: str) -> bool:
    """Run ``ccperf import`` on every file, as an operator would; print the summaries."""
    env = dict(os.environ, CCPERF_TOKEN=token)
    ccperf = ["import"]
    common = ["--timezone", timezone, "--target", target]
    runs = [
        ("queue_log", [*ccperf, "queue-log", str(data.queue_log),
                       "--agent-map", str(data.agent_map), *common]),
        *((f"{kind}.csv", [*ccperf, "csv", "--kind", kind, str(path), *common])
          for kind, path in data.csv_files.items()),
    ]  # fmt: skip
    for label, args in runs:
        for attempt in range(1, IMPORT_ATTEMPTS + 1):
            done = run_child(f"import {label}", args, env, timeout=IMPORT_TIMEOUT)
            if done.timed_out:
                print(f"  {label}: ccperf import did not finish within {IMPORT_TIMEOUT:.0f} s")
                return False
            if done.returncode == 0 or "UNAVAILABLE" not in done.stderr:
                break
            if attempt < IMPORT_ATTEMPTS:  # replaying a file is safe: it is idempotent
                print(f"  {label}: metrics busy (UNAVAILABLE), retrying the import")
                time.sleep(2.0)
        if done.returncode != 0:
            print(f"  {label}: ccperf import failed (exit code {done.returncode})")
            print(done.stdout[-2000:] + done.stderr[-2000:])
            return False
        lines = done.stdout.splitlines()
        if label == "queue_log":
            print(f"  {data.queue_log.name}:")
            for line in lines:
                print(f"      {line}")
            continue
        rows = next((line for line in lines if line.startswith("rows read")), "")
        counts = next((line for line in lines if line.startswith("accepted")), "")
        print(f"  {label:<24} {rows:<18} {counts}")
        for line in lines:
            if line not in (rows, counts) and not line.startswith("events sent"):
                print(f"      {line}")
    return True


UNIT_SYMBOLS = {
    metrics_pb2.KPI_UNIT_PERCENT: "%",
    metrics_pb2.KPI_UNIT_PERMILLE: "‰",
    metrics_pb2.KPI_UNIT_SECONDS: "s",
    metrics_pb2.KPI_UNIT_MONEY: "CNY",
    metrics_pb2.KPI_UNIT_HOURS: "h",
}


def format_value(value: metrics_pb2.KpiValue) -> str:
    if not value.HasField("value"):
        return "—"
    number = value.value
    if value.unit == metrics_pb2.KPI_UNIT_COUNT:
        text = f"{number:,.0f}"
    elif value.unit == metrics_pb2.KPI_UNIT_SECONDS:
        text = f"{number:,.1f}"
    else:
        text = f"{number:,.2f}"
    symbol = UNIT_SYMBOLS.get(value.unit, "")
    return f"{text} {symbol}".rstrip()


def retrying(rpc: Any, request: Any, *, patience: float = 120.0) -> Any:
    """Call ``rpc``, retrying while the service answers UNAVAILABLE ("retry later").

    On SQLite the metrics service's background rollup refresh holds the only write
    lock for a while after a big import; a query that needs the lock then waits its
    turn and may be told to come back.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            return rpc(request)
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.UNAVAILABLE or time.monotonic() > deadline:
                raise
            time.sleep(1.0)


def kpi_names(metrics: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    token = ""
    while True:
        page = retrying(
            metrics.ListKpiDefinitions,
            metrics_pb2.ListKpiDefinitionsRequest(page_size=1000, page_token=token),
        )
        names.update((d.code, d.name_en) for d in page.definitions)
        token = page.next_page_token
        if not token:
            return names


def print_center_scorecard(metrics: Any, names: dict[str, str]) -> None:
    card = retrying(
        metrics.GetScorecard,
        metrics_pb2.GetScorecardRequest(
            subject=metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_CENTER, id="CC"),
            period=common_pb2.Period(value=DEMO_MONTH),
        ),
    )
    print(f"  {'KPI':<28} {'name':<48} {'value':>16}")
    for value in card.values:
        print(f"  {value.kpi:<28} {names.get(value.kpi, ''):<48} {format_value(value):>16}")


# Composite used to rank agents: the mean z-score of these KPIs over the ranked agents,
# each signed so that higher is better.
RANKING = {"csat": 1.0, "qa_score": 1.0, "fcr": 1.0, "aht": -1.0, "complaint_rate": -1.0}
MIN_CALLS_RANKED = 100


def agent_values(metrics: Any) -> dict[str, dict[str, float]]:
    """Every agent's ranking KPIs (and calls answered) for the demo month."""
    by_agent: dict[str, dict[str, float]] = {}
    token = ""
    while True:
        page = retrying(
            metrics.ListKpiValues,
            metrics_pb2.ListKpiValuesRequest(
                level=metrics_pb2.SUBJECT_LEVEL_AGENT,
                period=common_pb2.Period(value=DEMO_MONTH),
                kpis=["calls_answered", *RANKING],
                page_size=1000,
                page_token=token,
            ),
        )
        for value in page.values:
            if value.HasField("value"):
                by_agent.setdefault(value.subject.id, {})[value.kpi] = value.value
        token = page.next_page_token
        if not token:
            return by_agent


def rank_agents(by_agent: dict[str, dict[str, float]]) -> list[tuple[str, float]]:
    """Agents with at least MIN_CALLS_RANKED answered calls, best composite first."""
    ranked = {
        agent: values
        for agent, values in by_agent.items()
        if values.get("calls_answered", 0) >= MIN_CALLS_RANKED
    }
    scores = dict.fromkeys(ranked, 0.0)
    for kpi, sign in RANKING.items():
        known = [v[kpi] for v in ranked.values() if kpi in v]
        if len(known) < 2:
            continue
        mean, spread = statistics.fmean(known), statistics.pstdev(known) or 1.0
        for agent, values in ranked.items():  # an agent without the KPI counts as average
            scores[agent] += sign * (values.get(kpi, mean) - mean) / spread / len(RANKING)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def print_agent_ranking(metrics: Any, people: list[org_pb2.Employee]) -> None:
    by_agent = agent_values(metrics)
    ranking = rank_agents(by_agent)
    names = {emp.id: (emp.name, emp.org_unit_id) for emp in people}
    print(f"  ranked by a composite: the mean z-score of CSAT, QA score and FCR (higher is better)"
          f"\n  and of AHT and complaint rate (lower is better), over the {len(ranking)} agents "
          f"with at least {MIN_CALLS_RANKED} answered calls")  # fmt: skip
    columns = [("calls_answered", "calls", ",.0f"), ("aht", "AHT s", ".0f"),
               ("csat", "CSAT %", ".1f"), ("qa_score", "QA %", ".1f"), ("fcr", "FCR %", ".1f"),
               ("complaint_rate", "compl ‰", ".2f")]  # fmt: skip
    header = f"  {'':<10}{'agent':<7}{'name':<12}{'team':<8}"
    header += "".join(f"{title:>9}" for _, title, _ in columns) + f"{'score':>8}"

    def row(label: str, agent: str, score: float) -> str:
        values = by_agent[agent]
        name, team = names.get(agent, ("", ""))
        name += " " * max(1, 12 - 2 * len(name))  # CJK characters take two columns
        cells = "".join(f"{values.get(kpi, 0.0):>9{spec}}" for kpi, _, spec in columns)
        return f"  {label:<10}{agent:<7}{name}{team:<8}{cells}{score:>8.2f}"

    print(header)
    for rank, (agent, score) in enumerate(ranking[:5], start=1):
        print(row(f"top {rank}", agent, score))
    for rank, (agent, score) in enumerate(ranking[-5:], start=len(ranking) - 4):
        print(row(f"bottom {len(ranking) - rank + 1}", agent, score))


def run_demo(settings: Settings) -> int:
    """The whole demo; 0 when every step worked, 1 when one failed, 128 + the signal's
    number when stopped by SIGINT (130), SIGTERM (143) or SIGHUP (129)."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # each step shows as it happens
    with stop_signals():
        try:
            return _run_steps(settings)
        except ServerDidNotStart as exc:
            print(f"  {exc}")
            return 1
        except DemoStopped as stopped:
            print(f"demo {stopped}; its servers are stopped", file=sys.stderr)
            return stopped.exit_code


def _run_steps(settings: Settings) -> int:
    from alembic import command  # noqa: PLC0415

    from services.cli import alembic_config  # noqa: PLC0415

    print(f"1. Migrating {settings.database_url}")
    command.upgrade(alembic_config(settings.database_url), "head")  # type: ignore[arg-type]

    print("2. Starting metrics, appraisal and payroll as three processes")
    with running_services(settings) as targets:
        for name, target in targets.items():
            print(f"  {name:<10} {target}  health SERVING; reflection lists:")
            for service_name in list_by_reflection(target):
                print(f"      {service_name}")

        secret = settings.effective_jwt_secret or ""
        hris = mint_token(secret=secret, subject="hris", roles=[Role.HRIS])
        units, people, leaves = demo_org()
        with authorized_channel(targets["appraisal"], hris) as channel:
            org = org_pb2_grpc.OrgServiceStub(channel)  # type: ignore[no-untyped-call]
            load_org(org, units, people, leaves)

        print(f"5. Generating {DEMO_MONTH} for the demo org")
        started = time.monotonic()
        spec = demo_month_spec()
        data = generate_month(
            demo_data_dir(settings.database_url), demo_staff(people, leaves), spec
        )
        c = data.counts
        print(f"  {c['calls']:,} calls ({c['answered']:,} answered, {c['abandoned']:,} abandoned, "
              f"{c['timeout']:,} timed out or left for a callback, {c['transferred']:,} "
              f"transferred), {c['agents']} agents on {c['shifts']:,} shifts")  # fmt: skip
        print(f"  {data.directory}/: {data.queue_log.name} ({c['queue_log_lines']:,} lines), "
              f"{data.agent_map.name}, {len(data.csv_files)} CSV files "
              f"({time.monotonic() - started:.1f} s)")  # fmt: skip

        print("6. Importing them with `ccperf import queue-log` and `ccperf import csv`")
        started = time.monotonic()
        ingest = mint_token(secret=secret, subject="demo-import", roles=[Role.INGEST])
        if not import_month(data, targets["metrics"], ingest, spec.timezone):
            return 1
        print(f"  imported in {time.monotonic() - started:.1f} s")

        hr = mint_token(secret=secret, subject="demo-hr", roles=[Role.HR])
        with authorized_channel(targets["metrics"], hr) as channel:
            metrics = metrics_pb2_grpc.MetricsServiceStub(channel)  # type: ignore[no-untyped-call]
            started = time.monotonic()
            print(f"7. Center scorecard {DEMO_MONTH} (GetScorecard)")
            print_center_scorecard(metrics, kpi_names(metrics))
            print(f"8. Top and bottom agents {DEMO_MONTH} (ListKpiValues)")
            print_agent_ranking(metrics, people)
            print(f"  scorecards answered in {time.monotonic() - started:.1f} s")
        print(f"9. The {DEMO_MONTH} appraisal month over AppraisalService, each step as its party")
        started = time.monotonic()
        if not run_appraisal_month(targets["appraisal"], secret, people):
            return 1
        print(f"  appraisal month done in {time.monotonic() - started:.1f} s")
        print(f"10. Paying {DEMO_MONTH} through PayrollBridgeService, as HR and as payroll")
        started = time.monotonic()
        if not run_pay_month(targets["payroll"], secret, {p.id: p.name for p in people}):
            return 1
        print(f"  pay month done in {time.monotonic() - started:.1f} s")
        print("11. Stopping the services")
    print("demo finished")
    return 0


def load_org(
    org: Any,
    units: list[org_pb2.OrgUnit],
    people: list[org_pb2.Employee],
    leaves: list[org_pb2.Leave],
) -> None:
    """Steps 3 and 4: load the org as HRIS, then ask what the appraisal cycle asks."""
    print("3. Loading the demo org through OrgService as HRIS")
    r = org.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=units))
    print(f"  org units: {r.created} created, {r.updated} updated, {r.unchanged} unchanged")
    r = org.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=people))
    print(f"  employees: {r.created} created, {r.updated} updated, {r.unchanged} unchanged")
    r = org.UpsertLeaves(org_pb2.UpsertLeavesRequest(leaves=leaves))
    print(f"  leave:     {r.created} created, {r.updated} updated, {r.unchanged} unchanged")
    cal = org.SetCalendarYear(org_pb2.SetCalendarYearRequest(year=2026, exceptions=demo_calendar()))
    print(f"  calendar 2026: {cal.working_days} working days")

    print("4. What the appraisal cycle asks the org")
    due = org.GetNthWorkingDay(org_pb2.GetNthWorkingDayRequest(after=_d("2026-10-31"), n=3))
    print(f"  {DEMO_MONTH} data due (3rd working day of next month): {_iso(due.date)}")
    appeal = org.GetNthWorkingDay(org_pb2.GetNthWorkingDayRequest(after=_d("2026-09-29"), n=5))
    print(f"  a result issued 2026-09-29 can be appealed until {_iso(appeal.date)}")
    ops = org.ListEmployees(
        org_pb2.ListEmployeesRequest(org_unit_id="OPS", include_descendants=True, page_size=500)
    )
    print(f"  运营管理科 (with its teams): {len(ops.employees)} people")
    reasons: Counter[str] = Counter()
    eligible = 0
    for emp in people:
        decision = org.CheckEligibility(
            org_pb2.CheckEligibilityRequest(
                employee_id=emp.id, period=common_pb2.Period(value=DEMO_MONTH)
            )
        )
        eligible += decision.eligible
        for reason in decision.reasons:
            name = org_pb2.IneligibilityReason.Name(reason)
            reasons[name.removeprefix("INELIGIBILITY_REASON_").lower()] += 1
            print(f"    {emp.id} {emp.name}: not appraised ({name})")
    print(f"  {DEMO_MONTH}: {eligible} of {len(people)} employees are appraised")
