"""The demo's pay month: HR sets the cap table and computes October; the payroll
system pulls the batch, checks it and acknowledges it; one line is explained.

On a second run the month is already batched: the same batch is shown again
(a batch is never recomputed; later changes would become adjustments).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import grpc

from ccperf.common.v1 import common_pb2
from ccperf.payroll.v1 import payroll_pb2 as pb
from ccperf.payroll.v1 import payroll_pb2_grpc
from services.common.auth import Role, mint_token
from services.common.protoconv import write_date

PERIOD = "2026-10"
HR = "demo-hr"
PAYROLL = "demo-payroll-system"
CAPS = {  # (position, job grade) → monthly performance cap per tier, CNY
    ("客服代表", "S3"): ("2800.00", "3200.00", "3600.00"),
    ("班组长", "M2"): ("4500.00", "5000.00"),
    ("科室经理", "M2"): ("6500.00", "7000.00"),
    ("中心主任", "M2"): ("9000.00",),
}
SENIOR_AGENTS = {"E0011": 2, "E0021": 2, "E0031": 3, "E0041": 2}  # base tiers above the lowest


class _Caller:
    def __init__(self, target: str, secret: str) -> None:
        self._channel = grpc.insecure_channel(target)
        self._stub = payroll_pb2_grpc.PayrollBridgeServiceStub(self._channel)  # type: ignore[no-untyped-call]
        self._secret = secret

    def __call__(self, method: str, request: Any, subject: str, role: Role) -> Any:
        token = mint_token(secret=self._secret, subject=subject, roles=[role])
        rpc: Callable[..., Any] = getattr(self._stub, method)
        return rpc(request, metadata=(("authorization", f"Bearer {token}"),))

    def close(self) -> None:
        self._channel.close()


def _cap_rows() -> list[pb.CapRow]:
    start = write_date(dt.date(2026, 1, 1))
    return [
        pb.CapRow(position=position, grade=grade, tier=tier, valid_from=start,
                  amount=common_pb2.Money(currency_code="CNY", amount=amount))
        for (position, grade), amounts in CAPS.items()
        for tier, amount in enumerate(amounts, start=1)
    ]  # fmt: skip


def run_pay_month(target: str, secret: str, names: dict[str, str]) -> bool:
    call = _Caller(target, secret)
    period = common_pb2.Period(value=PERIOD)
    try:
        try:
            counts = call("SetCapTable", pb.SetCapTableRequest(rows=_cap_rows()), HR, Role.HR)
            print(f"  cap table: {counts.created} rows created, {counts.unchanged} unchanged")
            since = write_date(dt.date(2026, 1, 1))
            tiers = [pb.TierAssignment(employee_id=e, tier=t, effective_from=since)
                     for e, t in SENIOR_AGENTS.items()]  # fmt: skip
            call("SetBaseTiers", pb.SetBaseTiersRequest(assignments=tiers), HR, Role.HR)
            done = call("ComputePeriod", pb.ComputePeriodRequest(period=period), HR, Role.HR)
            totals = ", ".join(f"{t.amount} {t.currency_code}" for t in done.totals)
            print(f"  ComputePeriod {PERIOD}: {done.lines} lines, total {totals}; "
                  f"{len(done.skipped)} skipped")  # fmt: skip
            batch = call("CreateBatch", pb.CreateBatchRequest(period=period), HR, Role.HR).batch
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise
            print(f"  {PERIOD} is already batched (an earlier run): the batch as payroll took it")
            batch = call(
                "GetBatch", pb.GetBatchRequest(batch_id=f"PAY-{PERIOD}"), HR, Role.HR
            ).batch
        print(f"  batch {batch.id}: {batch.line_count} lines, sha256 {batch.content_hash[:16]}…")
        stream = call("StreamBatchLines", pb.StreamBatchLinesRequest(batch_id=batch.id),
                      PAYROLL, Role.PAYROLL)  # fmt: skip
        lines = [line for part in stream for line in part.lines]
        pulled = sum((Decimal(line.amount.amount) for line in lines), Decimal(0))
        declared = sum((Decimal(t.amount) for t in batch.totals), Decimal(0))
        verdict = "matches" if pulled == declared else "DOES NOT MATCH"
        print(f"  payroll streamed {len(lines)} lines; their sum {pulled} {verdict} the total")
        ack = pb.AcknowledgeBatchRequest(batch_id=batch.id, content_hash=batch.content_hash)
        acked = call("AcknowledgeBatch", ack, PAYROLL, Role.PAYROLL).batch
        print(f"  acknowledged by {acked.acknowledged_by} with the batch's hash")
        example = next(line for line in lines if line.employee_id == "E0031")
        explained = call("ExplainLine", pb.ExplainLineRequest(line_id=example.id),
                         example.employee_id, Role.EMPLOYEE)  # fmt: skip
        print(f"  ExplainLine {example.id} ({names.get(example.employee_id, '')}, as the "
              f"employee): {explained.explanation}")  # fmt: skip
        print(f"  {'line':<6}{'employee':<9}{'name':<12}{'kind':<17}{'amount':>10}")
        for line in lines:
            name = names.get(line.employee_id, "")
            name += " " * max(1, 12 - 2 * len(name))  # CJK characters take two columns
            kind = pb.LineKind.Name(line.kind).removeprefix("LINE_KIND_").lower()
            print(f"  {line.line_no:<6}{line.employee_id:<9}{name}{kind:<17}"
                  f"{line.amount.amount:>10} {line.amount.currency_code}")  # fmt: skip
        print(f"  total {' '.join(f'{t.amount} {t.currency_code}' for t in batch.totals)}")
        return pulled == declared
    except grpc.RpcError as exc:
        print(f"  pay step failed: {exc.code().name}: {exc.details()}")
        return False
    finally:
        call.close()
