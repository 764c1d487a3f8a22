"""A throwaway Postgres cluster of the test's own, to stop and start at will.

Fault tests restart the database; they must never touch the shared server other
tests use, so they ``initdb`` a cluster into a temporary directory, run it on a free
port with its socket in that directory, and delete it afterwards. fsync is off:
nothing here must survive a machine crash, and crash recovery after ``pg_ctl stop
-m immediate`` works all the same (that is the point of the WAL, not of fsync).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.processes import free_port


def postgres_bindir() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, or the newest /usr/lib/postgresql/<v>/bin."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


@dataclass
class PrivatePostgres:
    bindir: Path
    root: Path
    port: int
    as_user: list[str]  # runuser prefix when the tests run as root (Postgres refuses root)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def log_path(self) -> Path:
        return self.root / "postgres.log"

    def _pg_ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run(
            [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), *args],
            check=check, capture_output=True, timeout=120,
        )  # fmt: skip

    def start(self) -> None:
        """Start and wait (``-w``) until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._pg_ctl("-l", str(self.log_path), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast", *, check: bool = True) -> None:
        """``immediate``: kill every backend at once, no checkpoint (a crash, for clients)."""
        self._pg_ctl("-m", mode, "-w", "stop", check=check)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A running cluster with trust auth for ``postgres``; stopped and removed afterwards."""
    bindir = postgres_bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        pytest.skip("initdb/pg_ctl not found (install the postgresql server package)")
    root = Path(tempfile.mkdtemp(prefix="ccperf-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    cluster = PrivatePostgres(bindir, root, free_port(), as_user)
    try:
        subprocess.run(
            [*as_user, str(bindir / "initdb"), "-D", str(root / "data"), "-A", "trust",
             "-U", "postgres", "-E", "UTF8", "--no-sync"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        cluster.start()
        try:
            yield cluster
        finally:
            cluster.stop("immediate", check=False)  # a failed test may have left it down
    finally:
        shutil.rmtree(root, ignore_errors=True)
