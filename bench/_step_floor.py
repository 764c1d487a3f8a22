"""What a workflow step's database work alone costs, and CPU time measured machine-wide.

A workflow RPC's floor is the transaction every step runs (lock the appraisal, read its
items and adjustments, update it, append the audit record, commit), whatever the service
does around it. ``step_floor`` runs exactly that through the bare driver (psycopg, no
SQLAlchemy, no gRPC, no rules, no reply) from several threads on the bench's own data,
and reports the CPU it took on the whole machine, Postgres included: no Python service
can make a step cost less than that.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import psycopg
from psycopg.types.json import Json
from sqlalchemy import make_url

_STEP = (
    "SELECT * FROM appraisals WHERE id = %(id)s FOR UPDATE",
    "SELECT * FROM appraisal_items WHERE appraisal_id = ANY(%(ids)s)"
    " ORDER BY appraisal_id, position",
    "SELECT * FROM appraisal_adjustments WHERE appraisal_id = ANY(%(ids)s)"
    " ORDER BY appraisal_id, filed_at, id",
    # A step changes the state, an indexed column, as the workflow's steps do.
    "UPDATE appraisals SET state = CASE WHEN state = 'filed' THEN 'final' ELSE 'filed' END,"
    " version = version + 1, updated_at = now() WHERE id = %(id)s",
    "INSERT INTO appraisal_audit (appraisal_id, transition, who, party, at, from_state,"
    " to_state, reason, version, late, detail) VALUES (%(id)s, 'bench_floor', 'bench',"
    " 'office', now(), 'filed', 'final', '', 0, false, %(detail)s)",
)


def busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy (/proc/stat), or None off Linux."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return None
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


T = TypeVar("T")


def machine_cpu(work: Callable[[], T]) -> tuple[T, float | None]:
    """`work`'s result and the machine's busy CPU seconds while it ran."""
    before = busy_seconds()
    result = work()
    after = busy_seconds()
    return result, None if before is None or after is None else after - before


@dataclass(frozen=True)
class Floor:
    threads: int
    steps: int
    seconds: float
    cpu_seconds: float | None  # the whole machine's

    @property
    def rate(self) -> float:
        return self.steps / self.seconds

    @property
    def cpu_ms(self) -> float | None:
        return None if self.cpu_seconds is None else 1000 * self.cpu_seconds / self.steps


def step_floor(database_url: str, appraisal_ids: Sequence[str], threads: int, steps: int) -> Floor:
    """`steps` bare step transactions from `threads` threads, each on its own connection."""
    conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    per_thread = max(1, steps // threads)

    def work(seed: int, count: int = per_thread) -> None:
        pick = random.Random(seed).choice
        with psycopg.connect(conninfo) as conn:
            for _ in range(count):
                appraisal_id = pick(appraisal_ids)
                params = {"id": appraisal_id, "ids": [appraisal_id], "detail": Json(None)}
                with conn.transaction(), conn.cursor() as cur:
                    for statement in _STEP:
                        cur.execute(statement, params)
                        if cur.description is not None:
                            cur.fetchall()

    def run_all() -> float:
        pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
        started = time.perf_counter()
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        return time.perf_counter() - started

    work(-1, 20)  # warm the caches before the clock starts
    seconds, cpu = machine_cpu(run_all)
    return Floor(threads, per_thread * threads, seconds, cpu)
