"""Storing batches of raw events: one transaction per batch, duplicates skipped.

On Postgres a batch is COPYed into a per-connection staging table and moved
with one ``INSERT … SELECT … ON CONFLICT (source, event_id) DO NOTHING`` per
kind, so throughput stays near raw COPY and replays are free of side effects.
SQLite (the embedded dev database) takes the same rows with a plain
``INSERT … ON CONFLICT DO NOTHING``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.common.db import UnitOfWork, utcnow
from services.metrics import rollups
from services.metrics.domain.measures import uncounted_call
from services.metrics.models import EVENT_TABLES, IngestLogEntry, RollupDirtyDay


@dataclass(frozen=True)
class KindOutcome:
    accepted: int
    duplicate: int
    uncounted: Mapping[str, int] = field(default_factory=dict)
    """Accepted (newly stored) events no measure counts, by reason (``uncounted_call``)."""


def _uncounted(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> Counter[str]:
    """Reasons of the stored-now calls that no measure will count (calls only, so far).

    Asked before the rows are stored: the ids already stored are duplicates, not new."""
    flagged: dict[str, str] = {}
    for row in rows:
        if row["ended_at"] is not None:
            continue  # nearly every call: no function call on the hot path
        reason = uncounted_call(row["outcome"], False, row["wait_seconds"], row["talk_seconds"])
        if reason is not None:
            flagged.setdefault(row["event_id"], reason)  # the first copy of an id is stored
    if flagged:
        c = table.c
        stored = conn.execute(
            select(c.event_id).where(c.source == rows[0]["source"], c.event_id.in_(list(flagged)))
        )
        for (event_id,) in stored:
            flagged.pop(event_id, None)
    return Counter(flagged.values())


def _columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name != "ingested_at"]


def _copy_into(cursor: Any, target: str, columns: list[str], json_columns: set[str],
               rows: Sequence[Mapping[str, Any]]) -> None:  # fmt: skip
    from psycopg.types.json import Jsonb  # noqa: PLC0415 (psycopg only on the Postgres path)

    column_list = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{target}" ({column_list}) FROM STDIN') as copy:
        if json_columns:
            for row in rows:
                copy.write_row([Jsonb(row[c]) if c in json_columns else row[c] for c in columns])
        else:
            pick = itemgetter(*columns)  # a C-level tuple of the columns, in order
            for row in rows:
                copy.write_row(pick(row))


def _copy_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """Store the rows whose key is new; returns how many were.

    Fast path: when none of the batch's keys is stored yet, COPY straight into the
    table (inside a savepoint). If a concurrent writer stores one of them first,
    the unique key stops the COPY, the savepoint is rolled back, and the slow path
    runs: COPY into a staging twin, then ``INSERT … ON CONFLICT DO NOTHING``.
    """
    from psycopg import errors  # noqa: PLC0415

    columns = _columns(table)
    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ in ("JSON", "JSONB")}
    raw = conn.connection.driver_connection
    assert raw is not None
    source = rows[0]["source"]
    ids = [row["event_id"] for row in rows]
    with raw.cursor() as cursor:
        if len(set(ids)) == len(ids):
            cursor.execute(
                f'SELECT 1 FROM "{table.name}" WHERE source = %s AND event_id = ANY(%s) LIMIT 1',  # noqa: S608 (names from our metadata)
                (source, ids),
            )
            if cursor.fetchone() is None:
                try:
                    with conn.begin_nested():
                        _copy_into(cursor, table.name, columns, json_columns, rows)
                    return len(rows)
                except errors.UniqueViolation:
                    pass  # a concurrent writer got there first: sort it out below
        stage = f"stage_{table.name}"
        # Lives as long as the pooled connection and is emptied at every commit. Not
        # cached per connection: a rolled-back transaction takes the CREATE with it.
        cursor.execute(
            f'CREATE TEMP TABLE IF NOT EXISTS "{stage}" '
            f'(LIKE "{table.name}" INCLUDING DEFAULTS) ON COMMIT DELETE ROWS'
        )
        _copy_into(cursor, stage, columns, json_columns, rows)
        column_list = ", ".join(f'"{c}"' for c in columns)
        cursor.execute(
            f'INSERT INTO "{table.name}" ({column_list}) SELECT {column_list} FROM "{stage}" '  # noqa: S608 (names from our metadata)
            "ON CONFLICT (source, event_id) DO NOTHING"
        )
        inserted = cursor.rowcount
        # Emptied now, not only at commit: the fast path may run again in this transaction.
        cursor.execute(f'DELETE FROM "{stage}"')  # noqa: S608
    return int(inserted)


def _insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """Portable path: find which keys exist, insert the rest (first copy of a key wins)."""
    keys = {(r["source"], r["event_id"]) for r in rows}
    existing: set[tuple[str, str]] = set()
    key_list = sorted(keys)
    for start in range(0, len(key_list), 500):
        chunk = key_list[start : start + 500]
        found = conn.execute(
            select(table.c.source, table.c.event_id).where(
                tuple_(table.c.source, table.c.event_id).in_(chunk)
            )
        )
        existing.update((s, e) for s, e in found)
    fresh: dict[tuple[str, str], Mapping[str, Any]] = {}
    for row in rows:
        key = (row["source"], row["event_id"])
        if key not in existing and key not in fresh:
            fresh[key] = row
    if fresh:
        conn.execute(insert(table), list(fresh.values()))
    return len(fresh)


def mark_dirty(conn: Connection, pairs: Iterable[tuple[str, dt.date]]) -> None:
    """Record (kind, day) rollups to rebuild. Bumping ``marked_at`` on conflict matters:
    it waits for a refresher holding the row, so a mark made during a rebuild survives."""
    values = [{"kind": k, "day": d, "marked_at": utcnow()} for k, d in sorted(set(pairs))]
    if not values:
        return
    dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(RollupDirtyDay).values(values)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["kind", "day"], set_={"marked_at": statement.excluded.marked_at}
        )
    )


def store_batch(
    uow: UnitOfWork,
    source: str,
    rows_by_kind: Mapping[str, Sequence[dict[str, Any]]],
    *,
    timezone: ZoneInfo,
    fcr_window_days: int = 7,
    rejected: Mapping[str, Mapping[str, int]] | None = None,
) -> dict[str, KindOutcome]:
    """Store one batch atomically, with the rollup days it makes dirty.

    Returns accepted and duplicate counts per kind. A kind whose rows were all
    duplicates marks nothing: replaying old data costs no recomputation.
    """
    outcomes: dict[str, KindOutcome] = {}
    with uow:
        conn = uow.session.connection()
        use_copy = conn.dialect.name == "postgresql"
        dirty: set[tuple[str, dt.date]] = set()
        days: dict[str, set[dt.date]] = {}
        for kind, rows in rows_by_kind.items():
            if not rows:
                continue
            table: Table = EVENT_TABLES[kind].__table__  # type: ignore[attr-defined]
            for row in rows:
                row["source"] = source
            uncounted = _uncounted(conn, table, rows) if kind == "call" else Counter[str]()
            inserted = (_copy_rows if use_copy else _insert_rows)(conn, table, rows)
            outcomes[kind] = KindOutcome(
                accepted=inserted, duplicate=len(rows) - inserted, uncounted=dict(uncounted)
            )
            days[kind] = rollups.event_days(kind, rows, timezone)
            if inserted:
                repeats = (
                    rollups.earlier_call_days(conn, rows, fcr_window_days, timezone)
                    if kind == "call"
                    else None
                )
                dirty |= rollups.touched(kind, days[kind], fcr_window_days, repeats)
        mark_dirty(conn, dirty)
        _log_batch(conn, source, outcomes, rejected or {}, days)
        uow.commit()
    return outcomes


def _log_batch(
    conn: Connection,
    source: str,
    outcomes: Mapping[str, KindOutcome],
    rejected: Mapping[str, Mapping[str, int]],
    days: Mapping[str, set[dt.date]],
) -> None:
    now = utcnow()
    rows = [
        {
            "source": source,
            "kind": kind,
            "received_at": now,
            "accepted": outcomes[kind].accepted if kind in outcomes else 0,
            "duplicate": outcomes[kind].duplicate if kind in outcomes else 0,
            "rejected": sum(rejected.get(kind, {}).values()),
            "rejected_by_reason": dict(rejected.get(kind, {})),
            "first_day": min(days[kind]) if days.get(kind) else None,
            "last_day": max(days[kind]) if days.get(kind) else None,
        }
        for kind in sorted(set(outcomes) | set(rejected))
    ]
    if rows:
        conn.execute(insert(IngestLogEntry), rows)
