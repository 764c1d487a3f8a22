"""KPI values for appraisals, read from the metrics service over gRPC.

The appraisal service never reads metrics tables: it asks ``ListKpiValues``
for the period, the employees and the KPI codes, on behalf of the caller
(the duty officer's own token is forwarded, so metrics applies its own access
rules). Values arrive as doubles; they become Decimals through their shortest
text form (``0.85`` stays ``0.85``), the one conversion point.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import grpc

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from services.appraisal.service import KpiReading
from services.common.grpc_client import authorized_channel, upstream_error
from services.common.periods import Period

SUBJECTS_PER_CALL = 500
TIMEOUT_SECONDS = 60.0


class MetricsKpiSource:
    """Fetches KPI readings from the metrics service at ``target()`` with a caller's token."""

    def __init__(self, target: Callable[[], str]) -> None:
        self._target = target

    def fetcher(
        self, token: str
    ) -> Callable[[Period, Sequence[str], Sequence[str]], Mapping[tuple[str, str], KpiReading]]:
        def fetch(
            period: Period, employee_ids: Sequence[str], kpis: Sequence[str]
        ) -> Mapping[tuple[str, str], KpiReading]:
            return self.fetch(token, period, employee_ids, kpis)

        return fetch

    def fetch(
        self, token: str, period: Period, employee_ids: Sequence[str], kpis: Sequence[str]
    ) -> dict[tuple[str, str], KpiReading]:
        readings: dict[tuple[str, str], KpiReading] = {}
        channel = authorized_channel(self._target(), token)
        try:
            stub = metrics_pb2_grpc.MetricsServiceStub(channel)  # type: ignore[no-untyped-call]
            for start in range(0, len(employee_ids), SUBJECTS_PER_CALL):
                chunk = employee_ids[start : start + SUBJECTS_PER_CALL]
                token_ = ""
                while True:
                    response = stub.ListKpiValues(
                        metrics_pb2.ListKpiValuesRequest(
                            level=metrics_pb2.SUBJECT_LEVEL_AGENT,
                            period=common_pb2.Period(value=str(period)),
                            kpis=list(kpis),
                            subject_ids=list(chunk),
                            page_size=len(chunk),
                            page_token=token_,
                        ),
                        timeout=TIMEOUT_SECONDS,
                    )
                    for value in response.values:
                        readings[(value.subject.id, value.kpi)] = KpiReading(
                            value=Decimal(repr(value.value)) if value.HasField("value") else None,
                            definition_version=value.definition_version,
                        )
                    token_ = response.next_page_token
                    if not token_:
                        break
        except grpc.RpcError as exc:
            raise upstream_error(exc, "metrics", "the KPI values") from exc
        finally:
            channel.close()
        return readings
