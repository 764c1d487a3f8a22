"""Filed appraisal results and annual results, read from the appraisal service over gRPC.

The payroll bridge asks ``ListFiledResults`` (a month) and
``ListAnnualResults`` (a year) on behalf of its caller (hr's token is
forwarded, so the appraisal service applies its own access rules).
Coefficients arrive as decimal text and stay Decimals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import grpc

from ccperf.appraisal.v1 import appraisal_pb2, appraisal_pb2_grpc
from services.appraisal.domain.results import Grade
from services.common.grpc_client import authorized_channel, upstream_error

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


@dataclass(frozen=True)
class AnnualResult:
    employee_id: str
    population: str
    coefficient: Decimal | None
    """None when the year gave the employee no annual coefficient."""
    grade: Grade | None
    """After calibration; None without a coefficient."""
    basis: str
    months_used: int


AnnualFetcher = Callable[[int], list[AnnualResult]]
"""year → every employee's annual result ([] when the year has no annual grades)."""


class AppraisalResults:
    def __init__(self, target: Callable[[], str]) -> None:
        self._target = target

    def fetcher(self, token: str) -> ResultsFetcher:
        return lambda cycle_id: self.fetch(token, cycle_id)

    def annual_fetcher(self, token: str) -> AnnualFetcher:
        return lambda year: self.fetch_annual(token, year)

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
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return []  # no appraisal cycle for the period: nothing to pay
            raise upstream_error(exc, "appraisal", "the results") from exc
        finally:
            channel.close()

    def fetch_annual(self, token: str, year: int) -> list[AnnualResult]:
        results: list[AnnualResult] = []
        channel = authorized_channel(self._target(), token)
        try:
            stub = appraisal_pb2_grpc.AppraisalServiceStub(channel)  # type: ignore[no-untyped-call]
            page_token = ""
            while True:
                response = stub.ListAnnualResults(
                    appraisal_pb2.ListAnnualResultsRequest(
                        year=year, page_size=PAGE_SIZE, page_token=page_token
                    ),
                    timeout=TIMEOUT_SECONDS,
                )
                results.extend(_annual(g) for g in response.grades)
                page_token = response.next_page_token
                if not page_token:
                    return results
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return []  # no annual grades for the year (the service refuses to pay on none)
            raise upstream_error(exc, "appraisal", "the results") from exc
        finally:
            channel.close()


def _annual(g: appraisal_pb2.AnnualGrade) -> AnnualResult:
    grade = appraisal_pb2.Grade.Name(g.grade).removeprefix("GRADE_")
    return AnnualResult(
        employee_id=g.employee_id,
        population=g.population,
        coefficient=Decimal(g.coefficient) if g.coefficient else None,
        grade=None if grade == "UNSPECIFIED" else Grade(grade),
        basis=g.basis,
        months_used=g.months_used,
    )
