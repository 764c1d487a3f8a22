"""Composition root: which gRPC services each process serves, wired to a database.

``ccperf serve`` and the end-to-end tests both start servers through
``start_service``, so tests run exactly what production runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from services.appraisal import grpc_api as appraisal_grpc
from services.common.auth import TokenVerifier
from services.common.db import UnitOfWork, make_engine, make_session_factory
from services.common.grpc_server import (
    RunningServer,
    ServiceRegistration,
    StreamLimits,
    build_server,
)
from services.common.health_probe import DatabaseHealthProbe
from services.common.observability import watch_pool
from services.common.settings import SERVICES, Settings
from services.metrics import grpc_api as metrics_grpc
from services.metrics.refresh import BackgroundRefresher, refresh_dirty
from services.org import grpc_api as org_grpc
from services.payroll_bridge import grpc_api as payroll_grpc


def registrations(
    service: str,
    session_factory: Callable[[], Session],
    settings: Settings,
    peers: Mapping[str, str] | None = None,
) -> list[ServiceRegistration]:
    """The gRPC services one process serves (besides health and reflection).

    ``peers`` maps service names to the addresses they were bound to in this
    process (tests bind free ports); other services are reached via settings.
    """

    def uow_factory() -> UnitOfWork:
        return UnitOfWork(session_factory)

    bound = peers if peers is not None else {}

    def target(name: str) -> Callable[[], str]:
        return lambda: bound.get(name) or settings.target(name)

    if service == "appraisal":
        # HRIS pushes the org to the appraisal process, which owns the org tables.
        return [
            org_grpc.registration(uow_factory),
            appraisal_grpc.registration(uow_factory, target("metrics")),
        ]
    if service == "metrics":
        zone = ZoneInfo(settings.timezone)
        return [
            metrics_grpc.registration(
                uow_factory,
                settings,
                refresh=lambda: refresh_dirty(session_factory, zone, workers=2),
            )
        ]
    if service == "payroll":
        return [
            payroll_grpc.registration(
                uow_factory, target("appraisal"), settings.pay_coefficient_ceiling
            )
        ]
    raise ValueError(f"unknown service {service!r}; expected one of {', '.join(SERVICES)}")


def token_verifier(settings: Settings) -> TokenVerifier:
    return TokenVerifier(
        secret=settings.effective_jwt_secret,
        public_key=settings.jwt_public_key,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )


class BackgroundWorker(Protocol):
    def stop(self) -> None: ...


@dataclass
class Process:
    """The servers of one process and the engine they share."""

    servers: list[RunningServer]
    engine: Engine
    background: list[BackgroundWorker] = field(default_factory=list)

    def stop(self, grace: float | None = None) -> None:
        for worker in self.background:
            worker.stop()
        for server in self.servers:
            server.stop(grace)
        self.engine.dispose()


def start_services(
    names: list[str],
    settings: Settings,
    *,
    ports: dict[str, int] | None = None,
    engine: Engine | None = None,
) -> Process:
    """Start one server per service name; ``ports`` overrides settings (0 = any free port)."""
    engine = engine or make_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        pre_ping=settings.db_pre_ping,
        statement_timeout_ms=settings.db_statement_timeout_ms,
    )
    session_factory = make_session_factory(engine)
    for name in names:
        watch_pool(name, engine)

    verifier = token_verifier(settings)
    servers = []
    served: list[list[str]] = []  # the gRPC services of each server, for the health probe
    peers: dict[str, str] = {}  # filled as servers bind; read lazily by clients
    for name in names:
        port = (ports or {}).get(name, settings.ports[name])
        registered = registrations(name, session_factory, settings, peers)
        served.append([r.full_name for r in registered])
        servers.append(
            build_server(
                name,
                registered,
                verifier=verifier,
                host=settings.host,
                port=port,
                max_workers=settings.max_workers,
                so_reuseport=settings.so_reuseport,
                max_message_bytes=settings.max_message_bytes,
                max_concurrent_rpcs=settings.max_concurrent_rpcs,
                stream_limits=StreamLimits(
                    per_caller=settings.max_streams_per_caller,
                    idle_seconds=settings.stream_idle_seconds,
                ),
                shutdown_delay=settings.shutdown_delay,
                shutdown_grace=settings.shutdown_grace,
            )
        )
        peers[name] = servers[-1].address
    background: list[BackgroundWorker] = []
    if settings.health_probe_seconds > 0:
        probe = DatabaseHealthProbe(
            engine.url,
            [(s.health, full_names) for s, full_names in zip(servers, served, strict=True)],
            settings.health_probe_seconds,
        )
        probe.start()
        background.append(probe)
    if "metrics" in names and settings.rollup_refresh_seconds > 0:
        # Keeps rollups current between queries (queries also refresh what is dirty).
        refresher = BackgroundRefresher(
            session_factory, ZoneInfo(settings.timezone), settings.rollup_refresh_seconds
        )
        refresher.start()
        background.append(refresher)
    return Process(servers, engine, background)
