"""Settings come from the environment only (12-factor), read once at start-up.

Every variable is prefixed ``CCPERF_`` except ``DATABASE_URL``, which follows the
common convention. Nothing here has a production secret as default: without
``CCPERF_JWT_SECRET`` or ``CCPERF_JWT_PUBLIC_KEY`` the servers refuse to start
unless ``CCPERF_ENV=dev``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SERVICES = ("metrics", "appraisal", "payroll")
DEFAULT_PORTS = {"metrics": 50051, "appraisal": 50052, "payroll": 50053}
DEFAULT_SQLITE_URL = "sqlite:///var/ccperf.db"
DEV_JWT_SECRET = "ccperf-dev-secret-not-for-production-use"  # noqa: S105 (dev only, refused in prod)
DEV_CALLER_HASH_KEY = "ccperf-dev-caller-hash-key"


class SettingsError(ValueError):
    """A setting is missing or malformed; the process should not start."""


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Settings:
    env: str = "dev"
    database_url: str = DEFAULT_SQLITE_URL
    host: str = "127.0.0.1"
    ports: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    # Addresses other services use to reach each service (host:port).
    targets: Mapping[str, str] = field(default_factory=dict)
    jwt_secret: str | None = None
    jwt_public_key: str | None = None
    jwt_issuer: str = "ccperf"
    jwt_audience: str = "ccperf"
    log_format: str = "auto"  # auto | json | console
    log_level: str = "info"
    max_workers: int = 16
    # Several `ccperf serve` processes may share one port (the kernel spreads connections
    # over them): how a Python gRPC server uses more than one core.
    so_reuseport: bool = False
    # The largest request message a server takes (RESOURCE_EXHAUSTED past it). Parsing
    # holds the process's GIL for the message's length (about 0.45 µs a byte at worst,
    # for a flood of empty entries, on this project's 2-core machine), so this bounds
    # how long one authenticated request can stall a process. The largest real request,
    # 20,000 employees in UpsertEmployees, is some 2 MB.
    max_message_bytes: int = 8 * 1024 * 1024
    # Calls in flight a process takes before refusing new ones RESOURCE_EXHAUSTED; open
    # streams count (an idle stream costs a coroutine, not a thread).
    max_concurrent_rpcs: int = 4096
    # Open streams (IngestEvents, StreamBatchLines) one token subject may hold at once,
    # and how long a stream may go without a message before it is closed.
    max_streams_per_caller: int = 32
    stream_idle_seconds: float = 60.0
    # On SIGTERM: health goes NOT_SERVING, we wait shutdown_delay seconds so load
    # balancers notice, then in-flight calls get shutdown_grace seconds to finish.
    shutdown_delay: float = 0.0
    shutdown_grace: float = 20.0
    db_pool_size: int = 10
    # A ping per unit of work finds a dropped connection before use. Off by default: it
    # cost ~20 % of the servers' CPU in bench/load.py, and without it a dropped connection
    # fails one call with UNAVAILABLE (clients' retry policy resends it) and the pool
    # replaces every connection older than the failure.
    db_pre_ping: bool = False
    db_statement_timeout_ms: int = 30_000
    prometheus_port: int = 0  # 0: no /metrics endpoint
    # Keys the hash of caller numbers; changing it breaks repeat-caller linkage (FCR).
    caller_hash_key: str = DEV_CALLER_HASH_KEY
    # The center's time zone: KPI days and months are local days and months.
    timezone: str = "Asia/Shanghai"
    # How often the metrics process rebuilds dirty rollup days (0: only on queries).
    rollup_refresh_seconds: float = 2.0
    # How often the database is probed; while it is unreachable each service reports
    # NOT_SERVING (0: no probe).
    health_probe_seconds: float = 5.0
    otel_enabled: bool = False
    # The most of the cap a month's performance pay may reach, as a coefficient
    # ("1": never above the cap; "1.2"; "none": no ceiling, bonus items count in full).
    pay_coefficient_ceiling: str = "1"

    @property
    def is_production(self) -> bool:
        return self.env not in ("dev", "test")

    def target(self, service: str) -> str:
        return self.targets.get(service) or f"{self.host}:{self.ports[service]}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str, default: str | None = None) -> str | None:
            value = env.get(name)
            return value if value not in (None, "") else default

        def get_number(name: str, default: float, kind: type[int] | type[float]) -> float:
            raw = get(name)
            if raw is None:
                return default
            try:
                return kind(raw)
            except ValueError as exc:
                raise SettingsError(f"{name}={raw!r} is not a {kind.__name__}") from exc

        ports = {}
        targets = {}
        for service in SERVICES:
            ports[service] = int(
                get_number(f"CCPERF_{service.upper()}_PORT", DEFAULT_PORTS[service], int)
            )
            target = get(f"CCPERF_{service.upper()}_TARGET")
            if target:
                targets[service] = target

        public_key = get("CCPERF_JWT_PUBLIC_KEY")
        key_file = get("CCPERF_JWT_PUBLIC_KEY_FILE")
        if key_file and not public_key:
            public_key = Path(key_file).read_text(encoding="utf-8")

        settings = cls(
            env=get("CCPERF_ENV", "dev") or "dev",
            database_url=normalise_database_url(get("DATABASE_URL", DEFAULT_SQLITE_URL) or ""),
            host=get("CCPERF_HOST", "127.0.0.1") or "127.0.0.1",
            ports=ports,
            targets=targets,
            jwt_secret=get("CCPERF_JWT_SECRET"),
            jwt_public_key=public_key,
            jwt_issuer=get("CCPERF_JWT_ISSUER", "ccperf") or "ccperf",
            jwt_audience=get("CCPERF_JWT_AUDIENCE", "ccperf") or "ccperf",
            log_format=get("CCPERF_LOG_FORMAT", "auto") or "auto",
            log_level=get("CCPERF_LOG_LEVEL", "info") or "info",
            max_workers=int(get_number("CCPERF_MAX_WORKERS", 16, int)),
            max_message_bytes=int(get_number("CCPERF_MAX_MESSAGE_BYTES", 8 * 1024 * 1024, int)),
            max_concurrent_rpcs=int(get_number("CCPERF_MAX_CONCURRENT_RPCS", 4096, int)),
            max_streams_per_caller=int(get_number("CCPERF_MAX_STREAMS_PER_CALLER", 32, int)),
            stream_idle_seconds=get_number("CCPERF_STREAM_IDLE_SECONDS", 60.0, float),
            so_reuseport=(get("CCPERF_SO_REUSEPORT", "false") or "").lower()
            in ("1", "true", "yes"),
            shutdown_delay=get_number("CCPERF_SHUTDOWN_DELAY", 0.0, float),
            shutdown_grace=get_number("CCPERF_SHUTDOWN_GRACE", 20.0, float),
            db_pool_size=int(get_number("CCPERF_DB_POOL_SIZE", 10, int)),
            db_pre_ping=(get("CCPERF_DB_PRE_PING", "false") or "").lower() in ("1", "true", "yes"),
            db_statement_timeout_ms=int(get_number("CCPERF_DB_STATEMENT_TIMEOUT_MS", 30_000, int)),
            prometheus_port=int(get_number("CCPERF_PROMETHEUS_PORT", 0, int)),
            caller_hash_key=get("CCPERF_CALLER_HASH_KEY", DEV_CALLER_HASH_KEY) or "",
            timezone=get("CCPERF_TIMEZONE", "Asia/Shanghai") or "Asia/Shanghai",
            rollup_refresh_seconds=get_number("CCPERF_ROLLUP_REFRESH_SECONDS", 2.0, float),
            health_probe_seconds=get_number("CCPERF_HEALTH_PROBE_SECONDS", 5.0, float),
            otel_enabled=(get("CCPERF_OTEL_ENABLED", "false") or "").lower()
            in ("1", "true", "yes"),
            pay_coefficient_ceiling=get("CCPERF_PAY_COEFFICIENT_CEILING", "1") or "1",
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        if not 64 * 1024 <= self.max_message_bytes <= 64 * 1024 * 1024:
            raise SettingsError("CCPERF_MAX_MESSAGE_BYTES must be between 65536 and 67108864")
        if self.max_concurrent_rpcs < 1 or self.max_streams_per_caller < 1:
            raise SettingsError(
                "CCPERF_MAX_CONCURRENT_RPCS and CCPERF_MAX_STREAMS_PER_CALLER must be at least 1"
            )
        if not 0 < self.stream_idle_seconds <= 86_400:
            raise SettingsError("CCPERF_STREAM_IDLE_SECONDS must be in (0, 86400]")
        ceiling = self.pay_coefficient_ceiling
        if ceiling != "none" and not re.fullmatch(r"\d+(\.\d+)?", ceiling):
            raise SettingsError(
                f"CCPERF_PAY_COEFFICIENT_CEILING={ceiling!r} is not a decimal or 'none'"
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(
                f"CCPERF_TIMEZONE={self.timezone!r} is not an IANA time zone"
            ) from exc
        if self.log_format not in ("auto", "json", "console"):
            raise SettingsError("CCPERF_LOG_FORMAT must be auto, json or console")
        if self.is_production and not (self.jwt_public_key or self.jwt_secret):
            raise SettingsError(
                "set CCPERF_JWT_PUBLIC_KEY (RS256) or CCPERF_JWT_SECRET (HS256) outside dev"
            )
        if self.is_production and self.jwt_secret == DEV_JWT_SECRET:
            raise SettingsError("the dev JWT secret cannot be used outside dev")
        if self.is_production and self.caller_hash_key == DEV_CALLER_HASH_KEY:
            raise SettingsError("set CCPERF_CALLER_HASH_KEY outside dev (it keys caller hashes)")

    @property
    def effective_jwt_secret(self) -> str | None:
        """HS256 secret: the configured one, or the well-known dev secret in dev/test."""
        if self.jwt_secret:
            return self.jwt_secret
        if not self.is_production and not self.jwt_public_key:
            return DEV_JWT_SECRET
        return None
