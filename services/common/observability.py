"""Prometheus metrics and optional OpenTelemetry tracing for every service process.

Metrics are served on ``CCPERF_PROMETHEUS_PORT`` (0, the dev default, turns the
endpoint off). Tracing is off unless ``CCPERF_OTEL_ENABLED=true``; the exporter
then follows the standard ``OTEL_EXPORTER_OTLP_*`` variables.
"""

from __future__ import annotations

from typing import Any

import structlog
from prometheus_client import Counter, Gauge, Histogram, start_http_server
from sqlalchemy import Engine

log = structlog.get_logger("ccperf.observability")

RPC_REQUESTS = Counter(
    "ccperf_rpc_requests_total", "RPCs served, by final status code", ["service", "method", "code"]
)
RPC_ERRORS = Counter(
    "ccperf_rpc_errors_total",
    "RPCs that ended in a status other than OK",
    ["service", "method", "code"],
)
RPC_DURATION = Histogram(
    "ccperf_rpc_duration_seconds",
    "Server-side RPC duration",
    ["service", "method"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
DB_POOL = Gauge(
    "ccperf_db_pool_connections", "Database connections by pool state", ["service", "state"]
)
INGESTED_EVENTS = Counter(
    "ccperf_ingest_events_total", "Ingested events by kind and outcome", ["kind", "outcome"]
)


def observe_rpc(service: str, method: str, code: str, seconds: float) -> None:
    RPC_REQUESTS.labels(service, method, code).inc()
    RPC_DURATION.labels(service, method).observe(seconds)
    if code != "OK":
        RPC_ERRORS.labels(service, method, code).inc()


def watch_pool(service: str, engine: Engine) -> None:
    """Expose the engine's pool (checked out, idle, overflow) as gauges."""
    pool: Any = engine.pool
    for state, reader in (
        ("checked_out", "checkedout"),
        ("idle", "checkedin"),
        ("overflow", "overflow"),
    ):
        if hasattr(pool, reader):
            DB_POOL.labels(service, state).set_function(getattr(pool, reader))


def start_metrics_endpoint(port: int, host: str = "0.0.0.0") -> None:  # noqa: S104 (scraped from the pod network)
    if port:
        start_http_server(port, addr=host)
        log.info("metrics.endpoint", port=port)


def setup_tracing(service: str, enabled: bool) -> None:
    if not enabled:
        return
    # Imported only when on: tracing is optional and its import is not free.
    from opentelemetry import trace  # noqa: PLC0415
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (  # noqa: PLC0415
        OTLPSpanExporter,
    )
    from opentelemetry.instrumentation.grpc import (  # noqa: PLC0415
        GrpcAioInstrumentorServer,
        GrpcInstrumentorClient,
    )
    from opentelemetry.sdk.resources import Resource  # noqa: PLC0415
    from opentelemetry.sdk.trace import TracerProvider  # noqa: PLC0415
    from opentelemetry.sdk.trace.export import BatchSpanProcessor  # noqa: PLC0415

    provider = TracerProvider(resource=Resource.create({"service.name": f"ccperf-{service}"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    GrpcAioInstrumentorServer().instrument()  # type: ignore[no-untyped-call]
    GrpcInstrumentorClient().instrument()  # type: ignore[no-untyped-call]
    log.info("tracing.enabled", service=service)
