"""Filed appraisal results, read from the appraisal service over gRPC.

The payroll bridge asks ``ListFiledResults`` on behalf of its caller (hr's
token is forwarded, so the appraisal service applies its own access rules).
Coefficients arrive as decimal text and stay Decimals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import grpc

from ccperf.appraisal.v1 import appraisal_pb2, appraisal_pb2_grpc
from services.common.errors import FailedPrecondition, Unavailable
from services.common.grpc_client import authorized_channel

PAGE_SIZE = 1000
TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class FiledResult:
    appraisal_id: str
    employee_id: str
    issue: int
    coefficient: Decimal


ResultsFetcher = Callable[[str], list[FiledResult]]
"""cycle id → the cycle's filed or final results (latest issue each)."""


class AppraisalResults:
    def __init__(self, target: Callable[[], str]) -> None:
        self._target = target

    def fetcher(self, token: str) -> ResultsFetcher:
        return lambda cycle_id: self.fetch(token, cycle_id)

    def fetch(self, token: str, cycle_id: str) -> list[FiledResult]:
        results: list[FiledResult] = []
        channel = authorized_channel(self._target(), token)
        try:
            stub = appraisal_pb2_grpc.AppraisalServiceStub(channel)  # type: ignore[no-untyped-call]
            page_token = ""
            while True:
                response = stub.ListFiledResults(
                    appraisal_pb2.ListFiledResultsRequest(
                        cycle_id=cycle_id, page_size=PAGE_SIZE, page_token=page_token
                    ),
                    timeout=TIMEOUT_SECONDS,
                )
                results.extend(
                    FiledResult(r.appraisal_id, r.employee_id, r.issue, Decimal(r.coefficient))
                    for r in response.results
                )
                page_token = response.next_page_token
                if not page_token:
                    return results
        except grpc.RpcError as exc:
            code, details = exc.code(), exc.details()
            if code == grpc.StatusCode.NOT_FOUND:
                return []  # no appraisal cycle for the period: nothing to pay
            if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                raise Unavailable(f"the appraisal service did not answer: {details}") from exc
            raise FailedPrecondition(
                f"the appraisal service refused the results ({code.name}): {details}"
            ) from exc
        finally:
            channel.close()
