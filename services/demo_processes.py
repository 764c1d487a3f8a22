"""The demo's child processes: started so they never outlive it, stopped within seconds.

Every child (the three ``ccperf serve`` processes and each ``ccperf import``) runs under
``services.demo_child``, which stops it when the demo closes its end of a pipe or dies,
however it dies (see that module for why a pipe). The children get a process group of
their own, so Ctrl-C at the terminal (SIGINT to the foreground group) reaches only the
demo, which stops them itself, in order, instead of racing them: the demo is the one
place a stop is decided.

``stop_signals`` turns SIGINT, SIGTERM and SIGHUP into ``DemoStopped`` in the main thread,
so every ``finally`` runs (Python's default SIGTERM and SIGHUP end the process at once,
leaving nothing to stop the children but the pipe). Every wait here polls in short steps:
a signal the kernel hands to another thread (gRPC has several) is only acted on when the
main thread next runs Python code, so no wait blocks for long.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

POLL_SECONDS = 0.1
STOP_GRACE = 5.0
"""Seconds the children have to exit once asked; then they are killed (SIGKILL)."""
START_TIMEOUT = 300.0
"""Seconds a server that is still running may take to answer health SERVING. One that
exits is reported at once; this only bounds one that runs but never serves."""

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class DemoStopped(BaseException):
    """The demo received a stop signal; its exit code is 128 + the signal's number.

    A BaseException, like KeyboardInterrupt: raised wherever the main thread is, it must
    not be taken for an error by an ``except Exception`` on the way (gRPC has several)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"stopped by {signal.Signals(signum).name}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


@contextmanager
def stop_signals() -> Iterator[None]:
    """Raise ``DemoStopped`` on SIGINT, SIGTERM or SIGHUP. A second signal may cut the
    stopping short; the children then stop on their own when the demo exits."""

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        raise DemoStopped(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class ServerDidNotStart(Exception):
    """A server exited while starting, or never answered health SERVING."""


@dataclass
class Child:
    """One child process and the write end of the pipe it watches."""

    name: str
    proc: subprocess.Popen[bytes]
    pipe: int | None

    def request_stop(self) -> None:
        """Close the pipe (the child then stops itself) and send SIGTERM, as an operator would."""
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)


def spawn(
    name: str, args: Sequence[str], env: Mapping[str, str], *, stdout: IO[bytes] | int,
    stderr: IO[bytes] | int,
) -> Child:  # fmt: skip
    """Start ``ccperf <args>`` as a child that stops when the demo does."""
    read_end, write_end = os.pipe()  # neither end is inherited unless passed
    try:
        proc = subprocess.Popen(  # noqa: S603 (our own CLI, arguments we built)
            [sys.executable, "-m", "services.demo_child", str(read_end), *args],
            env=dict(env),
            stdout=stdout,
            stderr=stderr,
            pass_fds=(read_end,),
            process_group=0,
        )
    except BaseException:
        os.close(write_end)
        raise
    finally:
        os.close(read_end)
    return Child(name, proc, write_end)


def stop_all(children: Sequence[Child], grace: float = STOP_GRACE) -> dict[str, int]:
    """Ask every child to stop, wait up to ``grace`` seconds for all of them together,
    SIGKILL the rest; each child's exit code (negative: the signal that ended it)."""
    for child in children:
        child.request_stop()
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(c.proc.poll() is None for c in children):
        time.sleep(POLL_SECONDS)
    for child in children:
        if child.proc.poll() is None:
            child.proc.kill()
    return {child.name: child.proc.wait() for child in children}


def wait_until_serving(child: Child, target: str, log: Path) -> None:
    """Poll health until SERVING; fail at once if the server exits, naming its log."""
    deadline = time.monotonic() + START_TIMEOUT
    status = "no answer"
    with grpc.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            code = child.proc.poll()
            if code is not None:
                raise ServerDidNotStart(f"{child.name} exited with code {code}; see {log}")
            try:
                reply = stub.Check(health_pb2.HealthCheckRequest(), timeout=1)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
                status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
            except grpc.RpcError as exc:
                status = exc.code().name
            if time.monotonic() > deadline:
                raise ServerDidNotStart(
                    f"{child.name} not SERVING after {START_TIMEOUT:.0f} s ({status}); see {log}"
                )
            time.sleep(POLL_SECONDS)


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = field(default=False)


def run_child(name: str, args: Sequence[str], env: Mapping[str, str], timeout: float) -> Finished:
    """Run ``ccperf <args>`` to its end (at most ``timeout`` seconds) and return its output;
    stopped with the demo if the demo is stopped meanwhile."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = spawn(name, args, env, stdout=out, stderr=err)
        timed_out = False
        try:
            deadline = time.monotonic() + timeout
            while child.proc.poll() is None:
                if time.monotonic() > deadline:
                    timed_out = True
                    break
                time.sleep(POLL_SECONDS)
        finally:
            code = stop_all([child])[name]
        out.seek(0)
        err.seek(0)
        return Finished(code, out.read().decode(errors="replace"),
                        err.read().decode(errors="replace"), timed_out)  # fmt: skip
