"""Shared by the benchmarks: a throwaway migrated Postgres database and quiet logs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command
from sqlalchemy import text

from services.cli import alembic_config
from services.common.db import make_engine
from services.common.log import configure_logging
from services.common.settings import normalise_database_url
from tests.support.processes import free_port

SERVER = normalise_database_url(
    os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
)


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A fresh database migrated to head; dropped afterwards. Per-call logs are silenced."""
    configure_logging("json", os.environ.get("BENCH_LOG_LEVEL", "warning"))
    admin = make_engine(SERVER, pool_size=1).execution_options(isolation_level="AUTOCOMMIT")
    name = f"ccperf_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        command.upgrade(alembic_config(url), "head")  # type: ignore[arg-type]
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _listeners(port: int) -> int:
    """Sockets listening on the port, from /proc/net/tcp{,6} (state 0A is LISTEN)."""
    suffix = f":{port:04X}"
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as rows:
            count += sum(
                1 for row in rows if row.split()[1].endswith(suffix) and row.split()[3] == "0A"
            )
    return count


@contextmanager
def server_processes(service: str, count: int, env: Mapping[str, str]) -> Iterator[str]:
    """``count`` ``ccperf serve <service>`` processes sharing one port (SO_REUSEPORT), as
    production runs them to use several cores; yields the address once all listen."""
    port = free_port()
    child_env = {**os.environ, **env, f"CCPERF_{service.upper()}_PORT": str(port),
                 "CCPERF_HOST": "127.0.0.1", "CCPERF_SO_REUSEPORT": "1"}  # fmt: skip
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "services.cli", "serve", service],
            env=child_env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    try:
        deadline = time.monotonic() + 60
        while _listeners(port) < count:
            if any(child.poll() is not None for child in children):
                raise RuntimeError(f"a {service} server process exited at start-up")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{service} servers did not all listen on {port} in 60 s")
            time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
