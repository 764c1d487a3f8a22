"""`make demo`'s flow and the operator CLI, run as a user would run them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from services.cli import main
from services.common.auth import Role, TokenVerifier
from services.common.settings import DEV_JWT_SECRET
from tests.support.polling import wait_until
from tests.support.processes import Watched, time_scale, watched

CCPERF = [sys.executable, "-m", "services.cli"]


def run_cli(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CCPERF, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


IMPORT_COUNTS = re.compile(r"accepted: ([\d,]+)  duplicate: ([\d,]+)  rejected: ([\d,]+)")
CSV_KINDS = ("survey", "qa_evaluation", "complaint", "work_order", "audit_finding",
             "schedule_interval", "hr_fact", "finance_fact", "system_availability")  # fmt: skip


def import_counts(out: str) -> list[tuple[int, int, int]]:
    """(accepted, duplicate, rejected) of each ``ccperf import`` the demo ran, in order."""
    return [
        (int(a.replace(",", "")), int(d.replace(",", "")), int(r.replace(",", "")))
        for a, d, r in IMPORT_COUNTS.findall(out)
    ]


def center_kpi(out: str, code: str) -> float:
    match = re.search(rf"^  {code}\s+.+?\s+(-?[\d,]+\.\d+)(?: \S+)?$", out, re.MULTILINE)
    assert match, f"{code} not in the center scorecard"
    return float(match.group(1).replace(",", ""))


SCALE = time_scale()
DEMO_STALL = 90 * SCALE
"""Seconds the demo may print nothing before it counts as stuck (its longest quiet step,
importing the queue_log, takes about 5 s on an idle laptop)."""
DEMO_LIMIT = 600 * SCALE
"""Seconds one demo run may take in all (about 25 s on an idle laptop)."""
STOPPED_WITHIN = 10.0
"""Seconds from a stop signal until the demo and every process it started are gone."""


def run_demo(env: dict[str, str], log_dir: Path) -> tuple[int, str, str]:
    """``ccperf demo`` to its end: (exit code, stdout, stderr). Stuck (silent for DEMO_STALL
    seconds) or over DEMO_LIMIT, it is stopped and the test fails with its output."""
    log_dir.mkdir(exist_ok=True)
    with watched([*CCPERF, "demo"], env, log_dir) as demo:
        code = demo.finish(stall=DEMO_STALL, limit=DEMO_LIMIT)
        assert not demo.processes(), f"the demo left processes behind: {demo}"
        return code, demo.stdout, demo.stderr


@pytest.mark.timeout(2 * DEMO_LIMIT + 60)  # two runs; each stops itself well before
def test_demo_runs_end_to_end_on_embedded_sqlite(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/demo.db", "CCPERF_ENV": "dev"}
    code, out, err = run_demo(env, tmp_path / "first")
    assert code == 0, out + err
    for service in ("metrics", "appraisal", "payroll"):
        assert re.search(rf"{service}\s+stopped on SIGTERM, exit code 0", out)
    assert "ccperf.org.v1.OrgService" in out
    assert "employees: 61 created, 0 updated, 0 unchanged" in out
    assert "2026-10 data due (3rd working day of next month): 2026-11-04" in out
    assert "55 of 61 employees are appraised" in out

    # A month of data written beside the database, then imported through the CLI.
    files = tmp_path / "demo"
    assert (files / "queue_log").read_text().count("|ENTERQUEUE|") > 15_000
    assert {p.name for p in files.glob("*.csv")} == {"agent_map.csv"} | {
        f"{kind}.csv" for kind in CSV_KINDS
    }
    generated = re.search(r"([\d,]+) calls \(", out)
    assert generated
    calls = int(generated.group(1).replace(",", ""))
    assert 15_000 <= calls <= 25_000
    assert re.search(r"50 agents on [\d,]+ shifts", out)
    counts = import_counts(out)
    assert len(counts) == 1 + len(CSV_KINDS)  # the queue_log, then one CSV per kind
    retried = "retrying the import" in out  # a replay after UNAVAILABLE finds duplicates
    for accepted, duplicate, rejected in counts:
        assert accepted > 0 and rejected == 0
        assert duplicate == 0 or retried
    for kind in CSV_KINDS:
        assert re.search(rf"^  {kind}\.csv\s+rows read: [\d,]+\s+accepted: [\d,]+  "
                         rf"duplicate: [\d,]+  rejected: 0$", out, re.MULTILINE), kind  # fmt: skip
    assert "calls without a terminal event" not in out
    assert "agents not in the agent map" not in out
    assert "malformed" not in out

    # The center scorecard, with plausible values.
    assert "Center scorecard 2026-10" in out
    service_level = center_kpi(out, "service_level")
    assert 0 < service_level < 100
    assert 0 < center_kpi(out, "abandon_rate") < 20
    assert 0 < center_kpi(out, "csat") < 100
    assert 60 < center_kpi(out, "aht") < 600
    assert re.search(rf"^  calls_offered\s+Calls offered\s+{calls:,}$", out, re.MULTILINE)

    # The top and bottom agents, ranked by the composite the demo names.
    assert "ranked by a composite" in out
    top = re.findall(r"^  top [1-5]\s+(E\d{4})\s.*\s(-?\d+\.\d\d)$", out, re.MULTILINE)
    bottom = re.findall(r"^  bottom [1-5]\s+(E\d{4})\s.*\s(-?\d+\.\d\d)$", out, re.MULTILINE)
    assert len(top) == 5 and len(bottom) == 5
    assert not {agent for agent, _ in top} & {agent for agent, _ in bottom}
    scores = [float(score) for _, score in top + bottom]
    assert scores == sorted(scores, reverse=True)
    assert scores[4] > 0 > scores[5]

    # The appraisal month: every appraised employee issued, signed, filed; one appeal upheld.
    assert "OpenCycle 2026-10: 54 appraisals" in out
    results = appraisal_rows(out)
    assert len(results) == 54
    for total, coefficient, _grade in results.values():
        assert Decimal(coefficient) == (Decimal(total) / 100).quantize(Decimal("0.0001"))
    assert re.search(r"appealed; perf_admin upheld it; re-issued \(issue 2\)", out)

    # The pay month: computed, batched, pulled, summed, acknowledged, explained.
    assert "ComputePeriod 2026-10: 54 lines" in out
    assert re.search(r"payroll streamed 54 lines; their sum [\d.]+ matches the total", out)
    assert "acknowledged by demo-payroll-system" in out
    paid = pay_lines(out)
    assert len(paid) == 54 and all(Decimal(a) > 0 for a in paid.values())

    # The demo is idempotent: a second run over the same database changes nothing.
    code, again, err = run_demo(env, tmp_path / "second")
    assert code == 0, again + err
    assert "employees: 0 created, 0 updated, 61 unchanged" in again
    recounted = import_counts(again)
    assert len(recounted) == len(counts)
    for (accepted, _, _), (accepted_again, duplicate, rejected) in zip(
        counts, recounted, strict=True
    ):
        assert (accepted_again, duplicate, rejected) == (0, accepted, 0)
    assert center_kpi(again, "service_level") == service_level
    scorecard = out[out.index("7. Center scorecard") : out.index("  scorecards answered")]
    assert scorecard in again
    assert "the 2026-10 cycle is already open" in again
    assert appraisal_rows(again) == results
    assert "2026-10 is already batched" in again
    assert pay_lines(again) == paid


def pay_lines(out: str) -> dict[str, str]:
    """The demo's batch table: employee → amount."""
    rows = re.findall(r"^  \d+\s+(E\d{4})\s.*performance_pay\s+([\d.]+) CNY$", out, re.MULTILINE)
    return dict(rows)


def appraisal_rows(out: str) -> dict[str, tuple[str, str, str]]:
    """The demo's result table: employee → (total, coefficient, grade)."""
    rows = re.findall(r"^  (E\d{4})\s.*\s(\d+\.\d\d)\s+(\d\.\d{4})  ([A-E])$", out, re.MULTILINE)
    return {employee: (total, coefficient, grade) for employee, total, coefficient, grade in rows}


def test_migrate_creates_the_schema_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    result = CliRunner().invoke(main, ["migrate", "--check"], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert "database at revision head" in result.output
    assert (tmp_path / "cli.db").stat().st_size > 0


def test_token_command_mints_a_verifiable_token() -> None:
    result = CliRunner().invoke(
        main, ["token", "--sub", "hris", "--roles", "hris,hr"], env={"CCPERF_ENV": "dev"}
    )
    assert result.exit_code == 0, result.output
    principal = TokenVerifier(secret=DEV_JWT_SECRET).verify(result.output.strip())
    assert principal.subject == "hris"
    assert principal.roles == {Role.HRIS, Role.HR}


@pytest.mark.parametrize("roles", ["root", "hr,,nobody"])
def test_token_command_rejects_unknown_roles(roles: str) -> None:
    result = CliRunner().invoke(main, ["token", "--sub", "x", "--roles", roles])
    assert result.exit_code != 0
    assert "roles are" in result.output


def test_serve_refuses_to_start_in_production_without_a_key() -> None:
    result = run_cli("serve", "metrics", env={"CCPERF_ENV": "prod"}, timeout=30)
    assert result.returncode != 0
    assert "CCPERF_JWT_PUBLIC_KEY" in result.stderr


# Ctrl-C used to stop the servers (SIGINT reached their process group too) while the demo
# hung at its next step for over a minute; a killed demo left its three servers running,
# parented to init. Now the demo stops them itself, and they stop when the demo dies.
@pytest.mark.parametrize(
    ("signum", "to_group", "during"),
    [(signal.SIGINT, True, "6. Importing"), (signal.SIGTERM, False, "4. What the appraisal")],
    ids=["ctrl-c-to-the-group-while-importing", "sigterm-to-the-demo-while-loading"],
)
def test_a_stop_signal_stops_the_demo_and_its_servers_within_seconds(
    signum: signal.Signals, to_group: bool, during: str, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/demo.db", "CCPERF_ENV": "dev"}
    with watched([*CCPERF, "demo"], env, tmp_path) as demo:
        started = _demo_at(demo, during)
        if to_group:
            os.killpg(demo.proc.pid, signum)
        else:
            demo.proc.send_signal(signum)
        gone = _all_gone(demo, started)
        assert demo.proc.wait() == 128 + signum, str(demo)
        assert f"demo stopped by {signum.name}" in demo.stderr, str(demo)
        for service in ("metrics", "appraisal", "payroll"):
            stopped = rf"{service}\s+stopped on SIGTERM, exit code 0"
            assert re.search(stopped, demo.stdout), str(demo)
        assert gone < STOPPED_WITHIN


def test_a_killed_demo_takes_its_servers_with_it(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/demo.db", "CCPERF_ENV": "dev"}
    with watched([*CCPERF, "demo"], env, tmp_path) as demo:
        started = _demo_at(demo, "6. Importing")
        demo.proc.kill()  # SIGKILL: the demo runs no code of its own any more
        assert _all_gone(demo, started) < STOPPED_WITHIN


def _demo_at(demo: Watched, step: str) -> set[int]:
    """Wait for the demo's ``step``; the processes it runs then (itself, three servers, and
    an import while importing)."""
    demo.wait_for_output(step, stall=DEMO_STALL)
    expected = 5 if step.startswith("6.") else 4

    def running() -> set[int] | None:
        found = demo.processes()
        return found if len(found) == expected else None

    return wait_until(
        running,
        timeout=DEMO_STALL,
        what=f"{expected} processes at {step!r}",
    )


def _all_gone(demo: Watched, started: set[int]) -> float:
    """Seconds until none of ``started`` is alive; fails after STOPPED_WITHIN."""
    began = time.monotonic()
    wait_until(
        lambda: not (demo.processes() & started),
        timeout=STOPPED_WITHIN,
        what=f"the demo and its servers gone ({sorted(demo.processes() & started)} left)",
    )
    return time.monotonic() - began
