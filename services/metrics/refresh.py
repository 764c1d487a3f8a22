"""Rebuilding dirty rollup days: by a background thread, and by a KPI query that needs them.

Each (kind, day) is rebuilt in its own short transaction. On Postgres the dirty
rows are claimed with ``FOR UPDATE SKIP LOCKED``, so several replicas (or a
query and the background thread) share the work without doing a day twice; an
ingest that marks a day while it is being rebuilt waits for the claim and
leaves a fresh mark behind (see ``ingest.mark_dirty``).

A KPI query first asks, in its own transaction, whether any day it reads is dirty
(``dirty_between``); only then does it refresh, and it waits for the days that
another refresher was rebuilding (``wait_for_rebuilds``), so it never reads a
rollup older than the events ingested before it started.

The background thread lets a day settle: a day marked again within the last
``SETTLE_SECONDS`` (a bulk load still writing it) waits, so the load is not slowed
by rebuilding the same day after every batch; every ``MAX_DELAY_SECONDS`` a round
rebuilds every dirty day whatever its age, so a live feed that marks today every
second still gets it rebuilt. Reads are unaffected: they rebuild what they need.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import Connection, bindparam, delete, exists, select
from sqlalchemy.orm import Session

from services.metrics import rollups
from services.metrics.definitions import parameters_on
from services.metrics.models import RollupDirtyDay

log = structlog.get_logger("ccperf.metrics.refresh")
_SQLITE_WRITER = threading.Lock()
CLAIM_BATCH = 4  # days per transaction: small, so parallel workers share a month evenly
SETTLE_SECONDS = 2.0
MAX_DELAY_SECONDS = 10.0


_FIRST_DAY = bindparam("first_day", type_=RollupDirtyDay.__table__.c.day.type)
_LAST_DAY = bindparam("last_day", type_=RollupDirtyDay.__table__.c.day.type)
_IN_RANGE = (RollupDirtyDay.day >= _FIRST_DAY, RollupDirtyDay.day <= _LAST_DAY)
_ANY_DIRTY = select(exists().where(*_IN_RANGE))
# Waits for every refresher holding one of the days (their FOR UPDATE conflicts with it);
# KEY SHARE does not conflict with an ingest bumping ``marked_at``, so writers go on.
_WAIT_FOR_CLAIMS = select(RollupDirtyDay.kind).where(*_IN_RANGE).with_for_update(key_share=True)


def dirty_between(conn: Connection, first: dt.date, last: dt.date) -> bool:
    """Whether any rollup day from ``first`` to ``last`` (inclusive) waits to be rebuilt."""
    return bool(conn.execute(_ANY_DIRTY, {"first_day": first, "last_day": last}).scalar())


def wait_for_rebuilds(conn: Connection, first: dt.date, last: dt.date) -> None:
    """Wait until no other refresher is rebuilding a day from ``first`` to ``last``.

    A refresh skips the days another one holds (SKIP LOCKED); a reader that needs
    them waits for that rebuild to commit. Any event stored before the claim is in
    it, and one stored later had to wait for the claim to mark its day, so once the
    holder commits the day is as fresh as the reader needs. The locks taken to wait
    are released at once (a rolled-back savepoint), so they hold up nobody.
    """
    if conn.dialect.name != "postgresql":
        return  # SQLite: refreshes take turns (one writer), nothing runs alongside
    savepoint = conn.begin_nested()
    try:
        conn.execute(_WAIT_FOR_CLAIMS, {"first_day": first, "last_day": last}).all()
    finally:
        savepoint.rollback()


def refresh_dirty(
    session_factory: Callable[[], Session],
    timezone: ZoneInfo,
    params: Mapping[str, float] | None = None,
    *,
    workers: int = 1,
    marked_before: dt.datetime | None = None,
) -> int:
    """Rebuild every dirty (kind, day); returns how many were rebuilt.

    Each day is counted with the parameters in force on it (``params`` overrides
    that, for tests and benchmarks). ``marked_before``: only the days last marked
    before that instant (the background thread's settling).

    ``workers`` > 1 rebuilds days in parallel on Postgres (each claims its own days);
    SQLite has one writer, so it always uses one.
    """
    with session_factory() as probe:
        postgres = probe.connection().dialect.name == "postgresql"
    if not postgres:
        # SQLite has one writer: the query-time and background refreshes take turns
        # instead of failing each other with "database is locked".
        with _SQLITE_WRITER:
            return _refresh_loop(session_factory, timezone, params, marked_before)
    if workers <= 1:
        return _refresh_loop(session_factory, timezone, params, marked_before)
    with ThreadPoolExecutor(workers, thread_name_prefix="rollup") as pool:
        runs = [
            pool.submit(_refresh_loop, session_factory, timezone, params, marked_before)
            for _ in range(workers)
        ]
        return sum(run.result() for run in runs)


def _refresh_loop(
    session_factory: Callable[[], Session],
    timezone: ZoneInfo,
    params: Mapping[str, float] | None,
    marked_before: dt.datetime | None = None,
) -> int:
    rebuilt = 0
    while True:
        with session_factory() as session, session.begin():
            conn = session.connection()
            claim = select(RollupDirtyDay.kind, RollupDirtyDay.day).order_by(
                RollupDirtyDay.day, RollupDirtyDay.kind
            )
            if marked_before is not None:
                claim = claim.where(RollupDirtyDay.marked_at < marked_before)
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
        last_full = time.monotonic()
        while not self._stop.wait(self._interval):
            full = time.monotonic() - last_full >= MAX_DELAY_SECONDS
            settled = (
                None if full else dt.datetime.now(dt.UTC) - dt.timedelta(seconds=SETTLE_SECONDS)
            )
            try:
                count = refresh_dirty(
                    self._session_factory, self._timezone, workers=2, marked_before=settled
                )
                if full:
                    last_full = time.monotonic()
                if count:
                    log.info("rollups.refreshed", days=count)
            except Exception:  # keep the thread alive; the next round retries
                log.exception("rollups.refresh_failed")
