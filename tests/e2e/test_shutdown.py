"""SIGTERM drains: health goes NOT_SERVING, an in-flight call finishes, the process exits 0.

The server runs as a real ``ccperf serve`` process configured only by environment
variables. The "slow call" is made slow the way production calls get slow: the
test holds a lock on the table the call needs, then releases it after SIGTERM.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import Engine, text

from ccperf.org.v1 import org_pb2, org_pb2_grpc
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from tests.support.processes import ServerProcess, serve


@pytest.fixture
def server_process(
    database_url: str, clean_tables: None, tmp_path: Path
) -> Iterator[ServerProcess]:
    with serve(
        "appraisal", database_url, tmp_path, CCPERF_SHUTDOWN_DELAY="1.0", CCPERF_SHUTDOWN_GRACE="30"
    ) as server:
        yield server


def wait_until_blocked_on_lock(engine: Engine, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(query).scalar_one() > 0:
                return
        time.sleep(0.05)
    raise TimeoutError("the call never waited on the lock")


def health_status(target: str) -> int:
    with grpc.insecure_channel(target) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(), timeout=2
        )
    return reply.status  # type: ignore[no-any-return]


def test_sigterm_lets_a_slow_call_finish_and_exits_zero(
    server_process: ServerProcess,
    engine: Engine,
    token_for: Callable[..., str],
) -> None:
    proc, target, log_path = server_process.proc, server_process.target, server_process.log_path
    outcome: dict[str, object] = {}

    def slow_call() -> None:
        with authorized_channel(target, token_for("hr1", Role.HR)) as channel:
            stub = org_pb2_grpc.OrgServiceStub(channel)
            try:
                outcome["reply"] = stub.SetCalendarYear(
                    org_pb2.SetCalendarYearRequest(year=2026), timeout=30
                )
            except grpc.RpcError as exc:
                outcome["error"] = exc.code()

    with engine.connect() as locker:
        transaction = locker.begin()
        locker.execute(text("LOCK TABLE calendar_exceptions IN ACCESS EXCLUSIVE MODE"))
        caller = threading.Thread(target=slow_call)
        caller.start()
        wait_until_blocked_on_lock(engine)

        proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        assert health_status(target) == health_pb2.HealthCheckResponse.NOT_SERVING
        assert proc.poll() is None, "the server must wait for the in-flight call"
        transaction.rollback()  # release the lock: the slow call can now finish

    caller.join(timeout=30)
    assert outcome.get("error") is None, outcome
    assert outcome["reply"].working_days == 261  # type: ignore[attr-defined]  # 2026, weekday rule
    assert proc.wait(timeout=30) == 0
    events = [
        json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")
    ]
    names = [e["event"] for e in events]
    assert names.index("server.draining") < names.index("server.stopped")
    finished = next(e for e in events if e["event"] == "rpc.finished")
    assert finished["method"] == "/ccperf.org.v1.OrgService/SetCalendarYear"
    assert finished["caller"] == "hr1"
    assert finished["status"] == "OK"
    assert finished["duration_ms"] >= 300  # it waited on the lock through the SIGTERM
    assert finished["request_id"]
