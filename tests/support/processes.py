"""Start ``ccperf serve`` as real processes, configured only by environment variables."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
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


def time_scale() -> float:
    """How much longer than on an idle machine things may take here: ``CCPERF_TEST_TIME_SCALE``
    if set, else the 1-minute load average per core now, at least 1 and at most 10."""
    configured = os.environ.get("CCPERF_TEST_TIME_SCALE")
    if configured:
        return float(configured)
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    return min(10.0, max(1.0, load))


def session_pids(session: int) -> set[int]:
    """Every live process of a session (Linux /proc), zombies included until reaped."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm)", which may hold spaces
        if int(fields[3]) == session and fields[0] != "Z":
            found.add(int(entry.name))
    return found


class Stalled(AssertionError):
    """A watched command printed nothing for too long, or ran past its limit."""


@dataclass
class Watched:
    """A command run in a session of its own, its stdout read line by line as it comes."""

    proc: subprocess.Popen[str]
    stderr_path: Path
    lines: list[str] = field(default_factory=list)
    last_output: float = field(default_factory=time.monotonic)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            self.last_output = time.monotonic()

    @property
    def stdout(self) -> str:
        return "".join(self.lines)

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def processes(self) -> set[int]:
        """The command and every process it started (the session's), alive now."""
        return session_pids(self.proc.pid)

    def wait_for_output(self, text: str, *, stall: float) -> None:
        """Wait until ``text`` is printed; Stalled if nothing new is printed for ``stall`` s."""
        while text not in self.stdout:
            if self.proc.poll() is not None:
                raise AssertionError(f"exited ({self.proc.returncode}) before {text!r}: {self}")
            if time.monotonic() - self.last_output > stall:
                raise Stalled(f"nothing printed for {stall:.0f} s, waiting for {text!r}: {self}")
            time.sleep(0.05)

    def finish(self, *, stall: float, limit: float) -> int:
        """Wait for the exit code. Stalled if it prints nothing for ``stall`` seconds (stuck,
        however slow the machine) or runs ``limit`` seconds in all (it loops)."""
        deadline = time.monotonic() + limit
        while self.proc.poll() is None:
            now = time.monotonic()
            if now - self.last_output > stall or now > deadline:
                why = f"nothing printed for {stall:.0f} s" if now <= deadline else f"{limit:.0f} s"
                raise Stalled(f"still running after {why}: {self}")
            time.sleep(0.05)
        return self.proc.returncode

    def __str__(self) -> str:
        shown = " ".join(str(arg) for arg in self.proc.args)  # type: ignore[union-attr]
        out, err = self.stdout[-4000:], self.stderr[-4000:]
        return f"{shown}\n--- stdout (end)\n{out}\n--- stderr (end)\n{err}"


@contextmanager
def watched(args: list[str], env: Mapping[str, str], log_dir: Path) -> Iterator[Watched]:
    """Run ``args`` in a new session (its own process group too), unbuffered; when the
    block ends every process still in the session is killed, so nothing outlives a test."""
    stderr_path = log_dir / "stderr.txt"
    with stderr_path.open("w") as stderr:
        proc = subprocess.Popen(
            args,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            start_new_session=True,
        )
    run = Watched(proc, stderr_path)
    reader = threading.Thread(target=run._read, daemon=True)
    reader.start()
    try:
        yield run
    finally:
        for pid in session_pids(proc.pid):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait()
        reader.join(timeout=5)
        assert proc.stdout is not None
        proc.stdout.close()
