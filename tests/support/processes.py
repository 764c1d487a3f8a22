"""Start ``ccperf serve`` as real processes, configured only by environment variables."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from services.common.grpc_client import wait_for_serving


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    service: str
    proc: subprocess.Popen[bytes]
    target: str
    log_path: Path
    env: dict[str, str]


@contextmanager
def serve(
    service: str, database_url: str, log_dir: Path, **extra_env: str
) -> Iterator[ServerProcess]:
    """Run ``ccperf serve <service>`` until the block ends (then kill it), on a free port
    unless ``CCPERF_<SERVICE>_PORT`` is given. The log goes to ``<log_dir>/<service>.log``,
    appended to, so a server restarted on the same port keeps one log."""
    port = int(extra_env.get(f"CCPERF_{service.upper()}_PORT") or free_port())
    env = {
        "DATABASE_URL": database_url,
        "CCPERF_ENV": "test",
        f"CCPERF_{service.upper()}_PORT": str(port),
        "CCPERF_LOG_FORMAT": "json",
        **extra_env,
    }
    log_path = log_dir / f"{service}.log"
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "serve", service],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    server = ServerProcess(service, proc, f"127.0.0.1:{port}", log_path, env)
    try:
        wait_for_serving(server.target, timeout=30)
        yield server
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
