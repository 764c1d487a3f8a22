"""OpenTelemetry tracing is off by default and on with CCPERF_OTEL_ENABLED (in a child
process: instrumenting grpc is process-wide and must not leak into other tests)."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import grpc.aio
from opentelemetry import trace
from services.common.observability import setup_tracing
from services.common.settings import Settings
settings = Settings.from_env()
setup_tracing("metrics", settings.otel_enabled)
provider = trace.get_tracer_provider()
print(type(provider).__module__, grpc.aio.server.__module__)
"""


def probe(enabled: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CCPERF_OTEL_ENABLED"}
    if enabled is not None:
        env["CCPERF_OTEL_ENABLED"] = enabled
    env["OTEL_BSP_SCHEDULE_DELAY"] = "600000"  # never export during the probe
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60,
        check=True,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[-1]  # after any log lines


def test_tracing_is_off_unless_switched_on() -> None:
    assert probe(None) == "opentelemetry.trace grpc.aio._server"
    assert probe("true") == "opentelemetry.sdk.trace opentelemetry.instrumentation.grpc"
