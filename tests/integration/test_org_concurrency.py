"""Two upserts of the same employee at once, on real committed Postgres transactions.

A third connection holds the employee row locked while both upserts start, so
both are in flight together; then it lets go. The upserts must serialise: the
etag is checked against the other's committed change, and the version chain
stays a chain (one version in force on any day).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, text

from services.common.db import UnitOfWork, UnitOfWorkFactory, make_session_factory
from services.common.errors import Conflict
from services.org.service import EmployeeInput, UpsertCounts
from tests.integration.org_factories import (
    JAN1,
    add_employees,
    d,
    employee,
    employee_chain,
    seed_tree,
)


@pytest.fixture
def committing(engine: Engine, clean_tables: None) -> UnitOfWorkFactory:
    """Units of work that really commit (tables are emptied after the test)."""
    factory = make_session_factory(engine)
    return lambda: UnitOfWork(factory)


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=2) as executor:
        yield executor


def wait_for_lock_waiters(engine: Engine, waiting: int, timeout: float = 10.0) -> None:
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(query).scalar_one() >= waiting:
                return
        time.sleep(0.02)
    raise TimeoutError(f"{waiting} upserts never waited on the employee row together")


def upsert_together(
    engine: Engine, uows: UnitOfWorkFactory, pool: ThreadPoolExecutor, *changes: EmployeeInput
) -> list[Any]:
    """Start every change while E1 is locked, release it, return each result or error."""
    with engine.connect() as blocker:
        blocker.execute(text("SELECT 1 FROM employees WHERE id = 'E1' FOR UPDATE"))
        futures: list[Future[UpsertCounts]] = [
            pool.submit(add_employees, uows, change) for change in changes
        ]
        wait_for_lock_waiters(engine, len(changes))
        blocker.rollback()
    outcomes: list[Any] = []
    for future in futures:
        error = future.exception(timeout=30)
        outcomes.append(error if error is not None else future.result())
    return outcomes


def assert_is_a_chain(chain: list[tuple[Any, Any, str]]) -> None:
    ends = [valid_to for _, valid_to, _ in chain]
    starts = [valid_from for valid_from, _, _ in chain]
    assert ends == [*starts[1:], None], chain


def test_concurrent_changes_with_the_same_etag_let_exactly_one_win(
    engine: Engine, committing: UnitOfWorkFactory, pool: ThreadPoolExecutor
) -> None:
    seed_tree(committing)
    add_employees(committing, employee("E1"))
    outcomes = upsert_together(
        engine,
        committing,
        pool,
        employee("E1", grade="G4", since=d("2026-05-01"), etag="1"),
        employee("E1", grade="G5", since=d("2026-06-01"), etag="1"),
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "UpsertCounts"]
    assert UpsertCounts(updated=1) in outcomes
    assert any(isinstance(o, Conflict) for o in outcomes)
    chain = employee_chain(committing, "E1")
    assert len(chain) == 2
    assert_is_a_chain(chain)


def test_concurrent_changes_without_etag_both_apply_and_keep_the_chain(
    engine: Engine, committing: UnitOfWorkFactory, pool: ThreadPoolExecutor
) -> None:
    seed_tree(committing)
    add_employees(committing, employee("E1"))
    outcomes = upsert_together(
        engine,
        committing,
        pool,
        employee("E1", grade="G4", since=d("2026-05-01")),
        employee("E1", grade="G5", since=d("2026-06-01")),
    )
    assert outcomes == [UpsertCounts(updated=1), UpsertCounts(updated=1)]
    assert employee_chain(committing, "E1") == [
        (JAN1, d("2026-05-01"), "G3"),
        (d("2026-05-01"), d("2026-06-01"), "G4"),
        (d("2026-06-01"), None, "G5"),
    ]
