"""Faults (issue #7): a server killed mid-import, Postgres restarted under load, the
payroll server killed mid-freeze. Real processes, real clients; every wait polls a
condition with a deadline, and nothing asserts on how fast anything is."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent import futures
from contextlib import ExitStack
from pathlib import Path

import grpc
import pytest
from alembic import command
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import Engine, text

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from ccperf.payroll.v1 import payroll_pb2, payroll_pb2_grpc
from services.cli import alembic_config
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from tests.support.metrics_events import answered_call
from tests.support.payroll_population import PERIOD as PAYROLL_PERIOD
from tests.support.payroll_population import cap_rows
from tests.support.payroll_population import load as load_final_results
from tests.support.polling import wait_until
from tests.support.private_postgres import private_postgres
from tests.support.processes import free_port, serve

OK, UNAVAILABLE = grpc.StatusCode.OK, grpc.StatusCode.UNAVAILABLE
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING

IMPORT_EVENTS = 200_000  # the figure
IMPORT_BATCH = 2_000
BATCHES_PER_CALL = 5
SEGMENT = IMPORT_BATCH * BATCHES_PER_CALL  # the server acknowledges every 10,000 events
KILL_AFTER = 50_000  # stored events before the kill: several acknowledgements in


def write_calls_csv(path: Path, count: int) -> None:
    """``count`` answered calls over October 2026, one per line (fast: plain string joins)."""
    start = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)  # written without the offset
    lines = ["call_id,queue,channel,agent_id,caller_key,offered_at,answered_at,ended_at,"
             "wait_seconds,talk_seconds,hold_seconds,acw_seconds,outcome,"
             "first_contact_resolved"]  # fmt: skip
    for i in range(count):
        offered = start + dt.timedelta(seconds=11 * i)  # 200k calls span 25 days
        answered = offered + dt.timedelta(seconds=15)
        ended = answered + dt.timedelta(seconds=200)
        lines.append(f"F{i:07d},billing,phone,E{1000 + i % 50},138{i % 10**8:08d},"
                     f"{offered:%Y-%m-%d %H:%M:%S},{answered:%Y-%m-%d %H:%M:%S},"
                     f"{ended:%Y-%m-%d %H:%M:%S},15,200,0,20,answered,yes")  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def mid_segment(stored: int) -> bool:
    return stored >= KILL_AFTER and stored % SEGMENT != 0


def stored_calls(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT count(*), count(DISTINCT (source, event_id)) FROM call_events")
        ).one()
    return int(row[0]), int(row[1])


@pytest.mark.usefixtures("clean_tables")
def test_an_import_resumes_after_the_metrics_server_is_killed_and_restarted(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    csv_path = tmp_path / "calls.csv"
    write_calls_csv(csv_path, IMPORT_EVENTS)
    port = str(free_port())  # the restarted server listens where the client connects
    out, err = tmp_path / "import.out", tmp_path / "import.err"
    with serve("metrics", database_url, tmp_path, CCPERF_METRICS_PORT=port) as first:
        with out.open("wb") as stdout, err.open("wb") as stderr:
            importer = subprocess.Popen(
                [sys.executable, "-m", "services.cli", "import", "csv", "--kind", "call",
                 str(csv_path), "--timezone", "Asia/Shanghai", "--target", first.target,
                 "--batch-size", str(IMPORT_BATCH), "--batches-per-call", str(BATCHES_PER_CALL),
                 "--retry-for", "120"],
                stdout=stdout, stderr=stderr, env={**os.environ, "CCPERF_ENV": "test"},
            )  # fmt: skip
        try:
            # Kill with several segments acknowledged and the next one partly stored: a
            # count between segment boundaries means batches of an unanswered call are
            # committed (they must come back as duplicates, not twice).
            wait_until(
                lambda: importer.poll() is not None or mid_segment(stored_calls(engine)[0]),
                timeout=300, what=f"{KILL_AFTER:,} events and part of a segment stored",
            )  # fmt: skip
            assert importer.poll() is None, out.read_text() + err.read_text()
            first.proc.kill()  # SIGKILL: no drain, no goodbye
            first.proc.wait()
            at_kill, _ = stored_calls(engine)
            assert KILL_AFTER <= at_kill < IMPORT_EVENTS
            # The client noticed (UNAVAILABLE) and is backing off before the server is back.
            wait_until(
                lambda: "resuming from event" in err.read_text(errors="replace"),
                timeout=60, what="the importer retrying",
            )  # fmt: skip
            with serve("metrics", database_url, tmp_path, CCPERF_METRICS_PORT=port):
                importer.wait(timeout=600)
        finally:
            if importer.poll() is None:
                importer.kill()
                importer.wait()

    output = out.read_text()
    assert importer.returncode == 0, output + err.read_text()
    # Every event exactly once, whatever the killed server had half-written.
    assert stored_calls(engine) == (IMPORT_EVENTS, IMPORT_EVENTS)
    # The summary adds up the acknowledged calls only, each event once. What the dead
    # server had committed of the call in flight comes back as duplicates: at least what
    # was stored past the last acknowledgement when it died, at most one segment (so the
    # import resumed from that acknowledgement, not from the start).
    counts = re.search(r"accepted: ([\d,]+)  duplicate: ([\d,]+)  rejected: 0", output)
    resumed = re.search(r"from events ([\d, ]+)\n", output)
    assert counts is not None and resumed is not None, output
    accepted, duplicate = (int(c.replace(",", "")) for c in counts.groups())
    position = int(resumed.group(1).split(", ")[-1].replace(",", ""))
    assert f"events sent: {IMPORT_EVENTS:,}" in output
    assert accepted + duplicate == IMPORT_EVENTS
    assert at_kill - SEGMENT <= position <= at_kill and position % SEGMENT == 0, output
    assert at_kill - position <= duplicate <= SEGMENT, output
    print(f"killed with {at_kill:,} stored; resumed from {position:,}; {duplicate:,} duplicates")


class Load:
    """Real clients calling in a loop, one thread per RPC, recording every outcome."""

    def __init__(self, calls: dict[str, Callable[[], object]]) -> None:
        self.outcomes: dict[str, list[tuple[float, grpc.StatusCode]]] = {n: [] for n in calls}
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._loop, args=(name, call), daemon=True)
            for name, call in calls.items()
        ]

    def _loop(self, name: str, call: Callable[[], object]) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                call()
                code = grpc.StatusCode.OK
            except grpc.RpcError as exc:
                code = exc.code()
            self.outcomes[name].append((started, code))
            self._stop.wait(0.02)  # a steady trickle, not a flood, on 2 shared cores

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def count(self, code: grpc.StatusCode, since: float = 0.0) -> dict[str, int]:
        return {
            name: sum(1 for t, c in outcomes if c == code and t >= since)
            for name, outcomes in self.outcomes.items()
        }


def health_of(target: str, service: str) -> int:
    with grpc.insecure_channel(target) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=service), timeout=5
        )
    return int(reply.status)


def all_report(targets: dict[str, list[str]], status: int) -> bool:
    return all(health_of(t, s) == status for t, names in targets.items() for s in names)


def test_a_postgres_restart_under_load_is_unavailable_then_served_by_the_same_processes(
    tmp_path: Path, token_for: Callable[..., str]
) -> None:
    # A private cluster: the shared server at 5432 runs everyone else's tests.
    with private_postgres() as pg, ExitStack() as stack:
        command.upgrade(alembic_config(pg.url), "head")  # type: ignore[arg-type]
        env = {"CCPERF_HEALTH_PROBE_SECONDS": "0.2", "CCPERF_ROLLUP_REFRESH_SECONDS": "0.5"}
        metrics = stack.enter_context(serve("metrics", pg.url, tmp_path, **env))
        appraisal = stack.enter_context(serve("appraisal", pg.url, tmp_path, **env))
        pids = {metrics.proc.pid, appraisal.proc.pid}
        probed = {
            metrics.target: ["ccperf.metrics.v1.MetricsService"],
            appraisal.target: ["ccperf.org.v1.OrgService", "ccperf.appraisal.v1.AppraisalService"],
        }
        token = token_for("ops", Role.INGEST, Role.HR)
        metrics_stub = metrics_pb2_grpc.MetricsServiceStub(
            stack.enter_context(authorized_channel(metrics.target, token))
        )
        org_stub = org_pb2_grpc.OrgServiceStub(
            stack.enter_context(authorized_channel(appraisal.target, token))
        )
        ids = itertools.count()

        def ingest() -> object:
            batch = [answered_call(f"L{next(ids)}") for _ in range(20)]
            request = metrics_pb2.IngestEventsRequest(source="acd", events=batch)
            return metrics_stub.IngestEvents(iter([request]), timeout=30)

        calls: dict[str, Callable[[], object]] = {
            "IngestEvents": ingest,
            "ListKpiDefinitions": lambda: metrics_stub.ListKpiDefinitions(
                metrics_pb2.ListKpiDefinitionsRequest(page_size=5), timeout=30
            ),
            "GetCalendarYear": lambda: org_stub.GetCalendarYear(
                org_pb2.GetCalendarYearRequest(year=2026), timeout=30
            ),
        }
        with Load(calls) as load:
            wait_until(lambda: min(load.count(OK).values()) >= 3, timeout=60, what="calls served")

            down = time.monotonic()
            pg.stop("immediate")  # every backend killed, as in a crash
            wait_until(lambda: all_report(probed, NOT_SERVING), timeout=30, what="NOT_SERVING")
            not_serving = time.monotonic()
            # Liveness is not the database's business: the process is alive and says so.
            assert all(health_of(t, "") == SERVING for t in probed)
            # Callers learn it is worth retrying (after the channel's own retries).
            wait_until(
                lambda: min(load.count(UNAVAILABLE, since=not_serving).values()) >= 2,
                timeout=60, what="UNAVAILABLE answers during the outage",
            )  # fmt: skip

            up = time.monotonic()
            pg.start()
            wait_until(lambda: all_report(probed, SERVING), timeout=30, what="SERVING again")
            serving = time.monotonic()
            wait_until(
                lambda: min(load.count(OK, since=serving).values()) >= 3,
                timeout=60, what="calls served after the restart",
            )  # fmt: skip

        codes = {c for outcomes in load.outcomes.values() for _, c in outcomes}
        # Never INTERNAL (or anything else): a database outage is UNAVAILABLE, retryable.
        assert codes == {OK, UNAVAILABLE}, load.outcomes
        # The same processes served before, during and after: nothing was restarted.
        assert all(s.proc.poll() is None for s in (metrics, appraisal))
        assert {metrics.proc.pid, appraisal.proc.pid} == pids
        print(
            f"NOT_SERVING {not_serving - down:.2f} s after the stop, SERVING "
            f"{serving - up:.2f} s after the start; UNAVAILABLE answers: "
            f"{load.count(UNAVAILABLE)}, OK: {load.count(OK)}"
        )


def test_the_channel_service_config_retries_unavailable_and_nothing_else() -> None:
    """The retry policy lives in every client channel's service config (grpc_client)."""
    attempts: dict[str, int] = {"Flaky": 0, "Broken": 0}

    def flaky(request: bytes, context: grpc.ServicerContext) -> bytes:
        attempts["Flaky"] += 1
        if attempts["Flaky"] < 3:
            context.abort(grpc.StatusCode.UNAVAILABLE, "the database is unavailable")
        return b"ok"

    def broken(request: bytes, context: grpc.ServicerContext) -> bytes:
        attempts["Broken"] += 1
        context.abort(grpc.StatusCode.INTERNAL, "internal error")

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    server.add_generic_rpc_handlers(
        [grpc.method_handlers_generic_handler("test.Faults", {
            "Flaky": grpc.unary_unary_rpc_method_handler(flaky),
            "Broken": grpc.unary_unary_rpc_method_handler(broken),
        })]
    )  # fmt: skip
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        with authorized_channel(f"127.0.0.1:{port}", "token") as channel:

            def call(method: str) -> object:
                return channel.unary_unary(f"/test.Faults/{method}", None, None)(b"", timeout=30)

            assert call("Flaky") == b"ok"
            with pytest.raises(grpc.RpcError) as failed:
                call("Broken")
    finally:
        server.stop(0)
    assert failed.value.code() is grpc.StatusCode.INTERNAL
    assert attempts == {"Flaky": 3, "Broken": 1}


FREEZE_EMPLOYEES = 20_000  # enough lines that the freeze's transaction is open a while
PAYROLL_APP = "ccperf-payroll-under-test"  # tags the payroll server's database sessions


def freeze_rows(engine: Engine) -> tuple[int, int, int, int | None]:
    """(batches, batch lines, distinct line numbers, the batch's line_count) of PERIOD."""
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM pay_batches WHERE period = :p), "
                "count(l.id), count(DISTINCT l.line_no), "
                "(SELECT line_count FROM pay_batches WHERE period = :p) "
                "FROM pay_batch_lines l WHERE l.batch_id = :b"
            ),
            {"p": PAYROLL_PERIOD, "b": f"PAY-{PAYROLL_PERIOD}"},
        ).one()
    return int(row[0]), int(row[1]), int(row[2]), row[3]


def count_drafts(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM pay_draft_lines WHERE period = :p"),
                {"p": PAYROLL_PERIOD},
            ).scalar_one()
        )


def payroll_sessions(engine: Engine, where: str = "true") -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    f"SELECT query FROM pg_stat_activity WHERE application_name = :app AND {where}"
                ),
                {"app": PAYROLL_APP},
            ).scalars()
        )


@pytest.mark.usefixtures("clean_tables")
def test_a_payroll_server_killed_mid_freeze_leaves_all_or_nothing_and_a_retry_completes(
    database_url: str, engine: Engine, tmp_path: Path, token_for: Callable[..., str]
) -> None:
    with engine.begin() as conn:
        load_final_results(conn, FREEZE_EMPLOYEES)
    payroll_url = f"{database_url}?application_name={PAYROLL_APP}"
    period = common_pb2.Period(value=PAYROLL_PERIOD)
    port = str(free_port())
    hr = token_for("H1", Role.HR)
    with ExitStack() as stack:
        appraisal = stack.enter_context(serve("appraisal", database_url, tmp_path))
        peer = {"CCPERF_APPRAISAL_TARGET": appraisal.target, "CCPERF_PAYROLL_PORT": port}
        first = stack.enter_context(serve("payroll", payroll_url, tmp_path, **peer))
        channel = stack.enter_context(authorized_channel(first.target, hr))
        stub = payroll_pb2_grpc.PayrollBridgeServiceStub(channel)
        stub.SetCapTable(payroll_pb2.SetCapTableRequest(rows=cap_rows()), timeout=60)
        stub.ComputePeriod(payroll_pb2.ComputePeriodRequest(period=period), timeout=600)
        drafts = count_drafts(engine)
        assert drafts >= FREEZE_EMPLOYEES

        outcome: list[grpc.StatusCode] = []

        def freeze() -> None:
            try:
                stub.CreateBatch(payroll_pb2.CreateBatchRequest(period=period), timeout=600)
                outcome.append(OK)
            except grpc.RpcError as exc:
                outcome.append(exc.code())

        freezer = threading.Thread(target=freeze)
        freezer.start()
        # Mid-freeze: the freeze's transaction has locked the drafts or is copying them
        # into batch lines (the server's sessions are tagged with an application name).
        caught = wait_until(
            lambda: payroll_sessions(
                engine, "xact_start IS NOT NULL AND query ~* '(for update|pay_batch_lines)'"
            ),
            timeout=120, what="the freeze in progress", interval=0.005,
        )  # fmt: skip
        first.proc.kill()
        first.proc.wait()
        freezer.join(timeout=120)
        assert outcome == [UNAVAILABLE]  # the caller cannot know; it must retry
        # Postgres ends the dead server's sessions (rolling back unless COMMIT had arrived);
        # only then is what is stored final.
        wait_until(lambda: not payroll_sessions(engine), timeout=120, what="sessions gone")
        after_kill = freeze_rows(engine)
        assert after_kill in ((0, 0, 0, None), (1, drafts, drafts, drafts)), after_kill
        assert count_drafts(engine) == (drafts if after_kill[0] == 0 else 0)

        with serve("payroll", payroll_url, tmp_path, **peer):
            try:
                stub.CreateBatch(payroll_pb2.CreateBatchRequest(period=period), timeout=600)
            except grpc.RpcError as exc:
                # Only if the killed server had committed it: then it is that batch.
                assert exc.code() is grpc.StatusCode.ALREADY_EXISTS and after_kill[0] == 1
        assert freeze_rows(engine) == (1, drafts, drafts, drafts)
        assert count_drafts(engine) == 0
        print(f"killed during {caught[0][:60]!r}: {after_kill[0]} batch; retried: 1 batch "
              f"of {drafts:,} lines")  # fmt: skip
