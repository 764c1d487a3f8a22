"""Rebuilding dirty rollup days: by a background thread and before every KPI query.

Each (kind, day) is rebuilt in its own short transaction. On Postgres the dirty
rows are claimed with ``FOR UPDATE SKIP LOCKED``, so several replicas (or a
query and the background thread) share the work without doing a day twice; an
ingest that marks a day while it is being rebuilt waits for the claim and
leaves a fresh mark behind (see ``ingest.mark_dirty``).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.metrics import rollups
from services.metrics.definitions import parameters_on
from services.metrics.models import RollupDirtyDay

log = structlog.get_logger("ccperf.metrics.refresh")
_SQLITE_WRITER = threading.Lock()
CLAIM_BATCH = 4  # days per transaction: small, so parallel workers share a month evenly


def refresh_dirty(
    session_factory: Callable[[], Session],
    timezone: ZoneInfo,
    params: Mapping[str, float] | None = None,
    *,
    workers: int = 1,
) -> int:
    """Rebuild every dirty (kind, day); returns how many were rebuilt.

    Each day is counted with the parameters in force on it (``params`` overrides
    that, for tests and benchmarks).

    ``workers`` > 1 rebuilds days in parallel on Postgres (each claims its own days);
    SQLite has one writer, so it always uses one.
    """
    with session_factory() as probe:
        postgres = probe.connection().dialect.name == "postgresql"
    if not postgres:
        # SQLite has one writer: the query-time and background refreshes take turns
        # instead of failing each other with "database is locked".
        with _SQLITE_WRITER:
            return _refresh_loop(session_factory, timezone, params)
    if workers <= 1:
        return _refresh_loop(session_factory, timezone, params)
    with ThreadPoolExecutor(workers, thread_name_prefix="rollup") as pool:
        runs = [
            pool.submit(_refresh_loop, session_factory, timezone, params) for _ in range(workers)
        ]
        return sum(run.result() for run in runs)


def _refresh_loop(
    session_factory: Callable[[], Session],
    timezone: ZoneInfo,
    params: Mapping[str, float] | None,
) -> int:
    rebuilt = 0
    while True:
        with session_factory() as session, session.begin():
            conn = session.connection()
            claim = select(RollupDirtyDay.kind, RollupDirtyDay.day).order_by(
                RollupDirtyDay.day, RollupDirtyDay.kind
            )
            if conn.dialect.name == "postgresql":
                claim = claim.with_for_update(skip_locked=True)
            claimed = conn.execute(claim.limit(CLAIM_BATCH)).all()
            if not claimed:
                return rebuilt
            for kind, day in claimed:
                if _has_a_window(day, timezone):
                    in_force, version = (
                        parameters_on(session, day) if params is None else (params, 0)
                    )
                    rollups.rebuild_day(conn, kind, day, timezone, in_force, params_version=version)
                else:
                    # Requests refuse such days; one marked all the same is dropped, or every
                    # refresh, and every KPI read behind it, would fail on it for good.
                    log.warning("rollups.day_dropped", kind=kind, day=day.isoformat())
                conn.execute(
                    delete(RollupDirtyDay).where(
                        RollupDirtyDay.kind == kind, RollupDirtyDay.day == day
                    )
                )
            rebuilt += len(claimed)


def _has_a_window(day: dt.date, timezone: ZoneInfo) -> bool:
    """Whether the day's local midnights are instants (not at the ends of the calendar)."""
    try:
        rollups.day_window(day, timezone)
    except (ValueError, OverflowError):
        return False
    return True


class BackgroundRefresher:
    """Keeps rollups current in a server process: wakes every ``interval`` seconds."""

    def __init__(
        self, session_factory: Callable[[], Session], timezone: ZoneInfo, interval: float = 2.0
    ) -> None:
        self._session_factory = session_factory
        self._timezone = timezone
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rollup-refresh", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                count = refresh_dirty(self._session_factory, self._timezone, workers=2)
                if count:
                    log.info("rollups.refreshed", days=count)
            except Exception:  # keep the thread alive; the next round retries
                log.exception("rollups.refresh_failed")
