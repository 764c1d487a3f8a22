"""Health follows the database: a thread probes it and sets each service's status.

While Postgres is unreachable every RPC that needs it fails (UNAVAILABLE), so the
process tells load balancers and clients before they try: each served service
(e.g. ``ccperf.metrics.v1.MetricsService``) goes NOT_SERVING, and SERVING again
once the database answers. The overall status (``""``) is left alone: it says the
process is alive, and a liveness check must not restart every replica because the
database restarted (the pool reconnects by itself: ``pool_pre_ping``).

The probe opens its own connection each time (no pool), so a pool busy with slow
calls does not read as an outage, and a connect timeout bounds each check.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol

import structlog
from grpc_health.v1 import health_pb2
from sqlalchemy import URL, Engine, create_engine, text
from sqlalchemy.pool import NullPool

log = structlog.get_logger("ccperf.health")

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


def _probe_engine(url: URL, timeout: float) -> Engine:
    if url.get_backend_name() == "postgresql":
        # libpq's connect_timeout is whole seconds, at least 2.
        return create_engine(
            url, poolclass=NullPool, connect_args={"connect_timeout": max(2, round(timeout))}
        )
    return create_engine(url, poolclass=NullPool)


class HealthSetter(Protocol):
    """A server's health statuses (``grpc_server.HealthStatus``), settable from a thread."""

    def set(self, service: str, status: Any) -> None: ...


class DatabaseHealthProbe:
    """Every ``interval`` seconds: ``SELECT 1``; on a change, set every service's status."""

    def __init__(
        self,
        url: URL,
        targets: Sequence[tuple[HealthSetter, Sequence[str]]],
        interval: float,
    ) -> None:
        self._engine = _probe_engine(url, timeout=interval)
        self._targets = targets
        self._interval = interval
        self._stop = threading.Event()
        self._serving = True  # build_server starts every service SERVING
        self._thread = threading.Thread(target=self._run, name="db-health-probe", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._engine.dispose()

    def database_reachable(self) -> bool:
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # any failure to answer is an outage to report
            if self._serving:
                log.warning("health.database_unreachable", error=str(exc).splitlines()[0])
            return False
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            serving = self.database_reachable()
            if serving != self._serving and not self._stop.is_set():
                self._serving = serving
                for servicer, names in self._targets:
                    for name in names:
                        servicer.set(name, SERVING if serving else NOT_SERVING)
                if serving:
                    log.info("health.database_reachable")
            self._stop.wait(self._interval)
