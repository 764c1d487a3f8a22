"""Payroll bridge speed: a month's pay for 100,000 employees with final appraisal results.

Prints, never asserts on speed. Needs Postgres (BENCH_DATABASE_URL or the local server);
it creates and drops its own database.

Set-up (not timed): 100,000 employees (3 positions x 4 job grades, in teams of 100) and
one appraisal cycle "2026-10" with an appraisal in state ``final`` and one issued result
per employee, written straight into the org and appraisal tables with ``generate_series``
(as the workflow leaves them, see tests/support/appraisal_records.py); then, over gRPC as
hr, a cap table of 3 positions x 4 grades x 3 tiers (``SetCapTable``) and base tiers 2
and 3 for one employee in 50 (one ``SetBaseTiers``); the others start at the lowest tier.
Coefficients run from 0.6 to 1.09, so one result in five is held to the default ceiling.

Then, against the real appraisal and payroll servers started in this process:

- ``ComputePeriod("2026-10")`` as hr: it pages through the appraisal service's
  ``ListFiledResults`` over gRPC and writes the draft lines (goal: under 10 s); for the
  breakdown, the same ``ListFiledResults`` paging on its own, as hr, is timed first;
- ``CreateBatch("2026-10")`` as hr, which freezes the draft into batch lines;
- ``StreamBatchLines`` as payroll, to a client that iterates every line, and, for
  comparison, ``ListBatchLines`` paged with page_size 1000;
- the ceiling, in the same run: a plain SQLAlchemy Core read of the same columns of the
  same batch lines ordered by ``line_no``. Goal: the stream reaches at least 0.5 of its
  rows/s. The stream and the plain read are each run 3 times and the best is kept.

The reads are measured twice: right after the freeze, as payroll meets a new batch (the
planner's statistics still describe ``pay_batch_lines`` without it), and again after
``ANALYZE pay_batch_lines``, as autovacuum leaves it some time later. The goal is judged
on the first.

BENCH_EMPLOYEES (100,000) scales it down for a quick look.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import grpc
from _support import throwaway_database
from sqlalchemy import select, text

from ccperf.appraisal.v1 import appraisal_pb2, appraisal_pb2_grpc
from ccperf.common.v1 import common_pb2
from ccperf.payroll.v1 import payroll_pb2 as pb
from ccperf.payroll.v1 import payroll_pb2_grpc
from services.app import Process, start_services
from services.common.auth import Role, mint_token
from services.common.grpc_client import authorized_channel
from services.common.settings import Settings
from services.payroll_bridge.models import PayBatchLine
from tests.support.payroll_population import PERIOD, cap_rows, load, write_date_text

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "100000"))
RUNS = 3
COMPUTE_GOAL_SECONDS = 10.0
STREAM_GOAL_RATIO = 0.5
RPC_TIMEOUT = 900.0


def base_tiers() -> list[pb.TierAssignment]:
    """Tier 2 or 3 for one employee in 50; the others start at the lowest tier."""
    since = write_date_text("2026-01-01")
    assignments = []
    for i in range(0, EMPLOYEES, 50):
        a = pb.TierAssignment(employee_id=f"E{i:06d}", tier=2 + i % 100 // 50)
        a.effective_from.CopyFrom(since)
        assignments.append(a)
    return assignments


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def best(fn: Callable[[], Any]) -> tuple[float, Any]:
    return min((timed(fn) for _ in range(RUNS)), key=lambda r: float(r[0]))


def failed(what: str, started: float, error: grpc.RpcError) -> None:
    print(f"{what} failed after {time.perf_counter() - started:.2f} s: "
          f"{error.code().name}: {error.details()}; nothing further to measure")  # fmt: skip


def main() -> None:
    with throwaway_database() as url:
        settings = Settings.from_env({"DATABASE_URL": url, "CCPERF_ENV": "test"})
        process = start_services(
            ["appraisal", "payroll"], settings, ports={"appraisal": 0, "payroll": 0}
        )
        try:
            run(process, settings)
        finally:
            process.stop(grace=0)


def run(process: Process, settings: Settings) -> None:
    address = {s.name: s.address for s in process.servers}
    secret = settings.effective_jwt_secret or ""
    hr_token = mint_token(secret=secret, subject="H1", roles=[Role.HR])
    payroll_token = mint_token(secret=secret, subject="payroll-system", roles=[Role.PAYROLL])
    month = common_pb2.Period(value=PERIOD)

    started = time.perf_counter()
    with process.engine.begin() as conn:
        load(conn, EMPLOYEES)
    with process.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    loaded = time.perf_counter() - started
    tiers = base_tiers()
    with authorized_channel(address["payroll"], hr_token) as channel:
        hr = payroll_pb2_grpc.PayrollBridgeServiceStub(channel)  # type: ignore[no-untyped-call]
        hr.SetCapTable(pb.SetCapTableRequest(rows=cap_rows()))
        tiers_seconds, _ = timed(
            lambda: hr.SetBaseTiers(pb.SetBaseTiersRequest(assignments=tiers), timeout=RPC_TIMEOUT)
        )
    print(f"set-up: {EMPLOYEES:,} employees with final {PERIOD} results loaded in "
          f"{loaded:.1f} s; {len(cap_rows())} cap rows; SetBaseTiers of {len(tiers):,} "
          f"in {tiers_seconds:.1f} s")  # fmt: skip

    with authorized_channel(address["appraisal"], hr_token) as channel:
        appraisal = appraisal_pb2_grpc.AppraisalServiceStub(channel)  # type: ignore[no-untyped-call]

        def list_filed() -> int:
            request = appraisal_pb2.ListFiledResultsRequest(cycle_id=PERIOD, page_size=1000)
            count = 0
            while True:
                reply = appraisal.ListFiledResults(request, timeout=RPC_TIMEOUT)
                count += len(reply.results)
                if not reply.next_page_token:
                    return count
                request.page_token = reply.next_page_token

        filed_seconds, filed = timed(list_filed)
    print(f"ListFiledResults as hr, page_size 1000 (what ComputePeriod pulls): "
          f"{filed_seconds:6.2f} s ({filed / filed_seconds:,.0f} results/s, "
          f"{filed:,} results)")  # fmt: skip

    with (
        authorized_channel(address["payroll"], hr_token) as hr_channel,
        authorized_channel(address["payroll"], payroll_token) as payroll_channel,
    ):
        hr = payroll_pb2_grpc.PayrollBridgeServiceStub(hr_channel)  # type: ignore[no-untyped-call]
        payroll = payroll_pb2_grpc.PayrollBridgeServiceStub(payroll_channel)  # type: ignore[no-untyped-call]
        started = time.perf_counter()
        try:
            computed = hr.ComputePeriod(pb.ComputePeriodRequest(period=month), timeout=RPC_TIMEOUT)
        except grpc.RpcError as error:
            failed(f"ComputePeriod({PERIOD})", started, error)
            return
        compute_seconds = time.perf_counter() - started
        lines = computed.lines
        print(f"ComputePeriod({PERIOD}): {compute_seconds:6.2f} s "
              f"({lines / compute_seconds:,.0f} lines/s, {lines:,} lines, "
              f"{len(computed.skipped)} skipped, totals "
              f"{', '.join(f'{t.amount} {t.currency_code}' for t in computed.totals)}"
              ")")  # fmt: skip

        started = time.perf_counter()
        try:
            batch = hr.CreateBatch(pb.CreateBatchRequest(period=month), timeout=RPC_TIMEOUT).batch
        except grpc.RpcError as error:
            failed(f"CreateBatch({PERIOD})", started, error)
            return
        batch_seconds = time.perf_counter() - started
        print(f"CreateBatch({PERIOD}):   {batch_seconds:6.2f} s "
              f"({batch.line_count / batch_seconds:,.0f} lines/s, "
              f"{batch.line_count:,} lines)")  # fmt: skip

        def stream() -> int:
            count = last = 0
            request = pb.StreamBatchLinesRequest(batch_id=batch.id)
            for part in payroll.StreamBatchLines(request, timeout=RPC_TIMEOUT):
                for line in part.lines:
                    last = line.line_no
                    count += 1
            return count if last == count else -1

        def paged() -> int:
            request = pb.ListBatchLinesRequest(batch_id=batch.id, page_size=1000)
            count = 0
            while True:
                reply = payroll.ListBatchLines(request, timeout=RPC_TIMEOUT)
                for _line in reply.lines:
                    count += 1
                if not reply.next_page_token:
                    return count
                request.page_token = reply.next_page_token

        def plain_read() -> int:
            columns = (
                PayBatchLine.id, PayBatchLine.line_no, PayBatchLine.employee_id,
                PayBatchLine.kind, PayBatchLine.reference, PayBatchLine.amount,
                PayBatchLine.currency, PayBatchLine.original_line_id,
            )  # fmt: skip
            query = (
                select(*columns)
                .where(PayBatchLine.batch_id == batch.id)
                .order_by(PayBatchLine.line_no)
            )
            count = 0
            with process.engine.connect() as conn:
                for _row in conn.execute(query):
                    count += 1
            return count

        # First as payroll meets a batch just frozen (the planner has not seen its lines
        # yet), then once more after ANALYZE, as autovacuum would leave it a while later.
        ratios = [reads(stream, paged, plain_read, batch.line_count, "just frozen")]
        with process.engine.connect() as conn:
            conn.execute(text("ANALYZE pay_batch_lines"))
            conn.commit()
        ratios.append(reads(stream, paged, plain_read, batch.line_count, "after ANALYZE"))

    compute_met = "met" if compute_seconds < COMPUTE_GOAL_SECONDS else "MISSED"
    stream_met = "met" if ratios[0] >= STREAM_GOAL_RATIO else "MISSED"
    print(f"goal compute < {COMPUTE_GOAL_SECONDS:.0f} s: {compute_met} "
          f"({compute_seconds:.2f} s); goal stream >= {STREAM_GOAL_RATIO} of the plain "
          f"read's rate: {stream_met} ({ratios[0]:.2f} just frozen, "
          f"{ratios[1]:.2f} after ANALYZE)")  # fmt: skip


def reads(
    stream: Callable[[], int],
    paged: Callable[[], int],
    plain_read: Callable[[], int],
    line_count: int,
    label: str,
) -> float:
    """Prints the stream, the paging and the plain read; returns stream / plain read."""
    plain_seconds, plain_rows = best(plain_read)
    stream_seconds, streamed = best(stream)
    paged_seconds, paged_lines = timed(paged)
    plain_rate = plain_rows / plain_seconds
    ratio = float(streamed / stream_seconds / plain_rate)
    print(f"{label}: StreamBatchLines as payroll, best of {RUNS}: {stream_seconds:6.2f} s "
          f"({streamed / stream_seconds:,.0f} lines/s)")  # fmt: skip
    print(f"{label}: ListBatchLines, page_size 1000: {paged_seconds:6.2f} s "
          f"({paged_lines / paged_seconds:,.0f} lines/s)")  # fmt: skip
    print(f"{label}: baseline, plain Core read of the same columns by line_no, best of "
          f"{RUNS}: {plain_seconds:6.2f} s ({plain_rate:,.0f} rows/s)")  # fmt: skip
    print(f"{label}: stream / plain read: {ratio:.2f}; paged / plain read: "
          f"{paged_lines / paged_seconds / plain_rate:.2f}")  # fmt: skip
    if not streamed == paged_lines == plain_rows == line_count:
        print(f"note: the batch has {line_count:,} lines; streamed {streamed:,} "
              f"(-1: out of order), paged {paged_lines:,}, read {plain_rows:,}")  # fmt: skip
    return ratio


if __name__ == "__main__":
    main()
