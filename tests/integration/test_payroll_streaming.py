"""StreamBatchLines' reads on Postgres: chunks in order, the next one read ahead."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

from services.common.auth import Role
from services.common.db import UnitOfWorkFactory
from services.common.pagination import PageRequest
from services.common.periods import Period
from services.payroll_bridge import service
from services.payroll_bridge.appraisal_source import FiledResult
from services.payroll_bridge.domain.brackets import SEED_003_BID_TEAM
from services.payroll_bridge.domain.money import Money
from services.payroll_bridge.domain.performance_pay import CoefficientBound
from tests.integration.org_factories import add_employees, employee, seed_tree, who

HR = who("H1", Role.HR)
NOW = dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC)
OCTOBER = Period.parse("2026-10")
CLERKS = [f"B{i}" for i in range(1, 8)]


def no_results(period: str) -> list[FiledResult]:
    return []


def seven_line_batch(uows: UnitOfWorkFactory) -> str:
    seven_computed_lines(uows)
    return service.create_batch(uows(), HR, OCTOBER, now=NOW).id


def seven_computed_lines(uows: UnitOfWorkFactory) -> None:
    """October computed, not batched: an incentive line for each of seven clerks."""
    seed_tree(uows)
    add_employees(uows, *(employee(e, "OPS-T1") for e in CLERKS))
    service.set_incentive_schedule(uows(), HR, "BID", SEED_003_BID_TEAM, now=NOW)
    service.record_incentive_amounts(
        uows(), HR, OCTOBER, "BID",
        [service.IncentiveInput(e, Money(Decimal(1_000_000 * i), "CNY"), "won 2026-10")
         for i, e in enumerate(CLERKS, start=1)],
        now=NOW,
    )  # fmt: skip
    service.compute_period(uows(), HR, OCTOBER, no_results, CoefficientBound(), now=NOW)


def test_chunks_come_in_line_order_as_the_pages_do(uow_factory: UnitOfWorkFactory) -> None:
    batch_id = seven_line_batch(uow_factory)
    chunks = list(service.stream_batch_lines(uow_factory, batch_id, chunk=3))
    assert [len(c) for c in chunks] == [3, 3, 1]
    streamed = [line for chunk in chunks for line in chunk]
    pages, _ = service.list_batch_lines(uow_factory(), batch_id, PageRequest(100, None), [])
    assert [s[:5] for s in streamed] == [
        (p.id, p.line_no, p.employee_id, p.kind, p.reference) for p in pages
    ]
    assert [s[1] for s in streamed] == list(range(1, 8))
    assert [Decimal(s[5]) for s in streamed] == [p.amount for p in pages]
    assert list(service.stream_batch_lines(uow_factory, batch_id, chunk=7)) == [streamed]
    assert list(service.stream_batch_lines(uow_factory, batch_id, chunk=100)) == [streamed]


def test_a_stream_left_early_stops_reading(uow_factory: UnitOfWorkFactory) -> None:
    batch_id = seven_line_batch(uow_factory)
    before = set(threading.enumerate())
    stream = service.stream_batch_lines(uow_factory, batch_id, chunk=2)
    assert [line[1] for line in next(stream)] == [1, 2]
    stream.close()  # the client went away: the read ahead ends with the stream
    assert not [t for t in set(threading.enumerate()) - before if t.is_alive()]
