"""Client side: channels that carry a bearer token and a request id, and health waits.

Used by services calling each other, the CLI, the demo and the tests.

Every channel carries the retry policy in its service config: a call answered
UNAVAILABLE (the server's database is down, or the server is unreachable) is tried
again by gRPC itself, up to 5 attempts in all with exponential backoff (0.1 s
doubling to at most 2 s, randomised), and retry throttling stops retrying when most
calls fail, so an outage is not multiplied into a storm. Retrying writes is safe:
UNAVAILABLE from a server means its transaction did not commit, and the rare
unknown outcome (a connection cut after the commit) meets idempotent writes (upserts,
event keys), etags (ABORTED) or one-per-period rules (ALREADY_EXISTS). Reconnection
backoff is capped at 2 s so a restarted server is found again quickly.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.common.auth import Role, mint_token
from services.common.errors import DomainError, FailedPrecondition, Unauthenticated, Unavailable
from services.common.settings import Settings


class _CallDetails(NamedTuple):
    method: str
    timeout: float | None
    metadata: Any
    credentials: Any
    wait_for_ready: bool | None
    compression: Any


class _MetadataInterceptor(
    grpc.UnaryUnaryClientInterceptor,  # type: ignore[type-arg]
    grpc.UnaryStreamClientInterceptor,  # type: ignore[type-arg]
    grpc.StreamUnaryClientInterceptor,  # type: ignore[type-arg]
    grpc.StreamStreamClientInterceptor,  # type: ignore[type-arg]
):
    """Adds ``authorization`` and a fresh ``x-request-id`` unless the call sets them."""

    def __init__(self, token: str) -> None:
        self._token = token

    def _details(self, details: Any) -> _CallDetails:
        metadata = list(details.metadata or [])
        keys = {k for k, _ in metadata}
        if "authorization" not in keys:
            metadata.append(("authorization", f"Bearer {self._token}"))
        if "x-request-id" not in keys:
            metadata.append(("x-request-id", uuid.uuid4().hex))
        return _CallDetails(
            details.method,
            details.timeout,
            metadata,
            details.credentials,
            getattr(details, "wait_for_ready", None),
            getattr(details, "compression", None),
        )

    def intercept_unary_unary(
        self, continuation: Callable[..., Any], details: Any, request: Any
    ) -> Any:
        return continuation(self._details(details), request)

    def intercept_unary_stream(
        self, continuation: Callable[..., Any], details: Any, request: Any
    ) -> Any:
        return continuation(self._details(details), request)

    def intercept_stream_unary(
        self, continuation: Callable[..., Any], details: Any, requests: Any
    ) -> Any:
        return continuation(self._details(details), requests)

    def intercept_stream_stream(
        self, continuation: Callable[..., Any], details: Any, requests: Any
    ) -> Any:
        return continuation(self._details(details), requests)


def cli_token(settings: Settings, explicit: str | None, subject: str, role: Role) -> str:
    """The bearer token a command-line client uses: ``--token``, else ``CCPERF_TOKEN``,
    else (dev and test only) one minted with the dev secret for ``role``."""
    token = explicit or os.environ.get("CCPERF_TOKEN")
    if token:
        return token
    secret = settings.effective_jwt_secret
    if secret is None:
        raise Unauthenticated(f"set CCPERF_TOKEN (a token with the {role} role)")
    return mint_token(secret=secret, subject=subject, roles=[role])


RETRY_SERVICE_CONFIG = {
    "methodConfig": [
        {
            "name": [{}],  # every method of every service
            "retryPolicy": {
                "maxAttempts": 5,
                "initialBackoff": "0.1s",
                "maxBackoff": "2s",
                "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"],
            },
        }
    ],
    # Each failed call costs a token and each success gives back 0.1; below half the
    # tokens, gRPC stops retrying until calls succeed again.
    "retryThrottling": {"maxTokens": 10, "tokenRatio": 0.1},
}
CHANNEL_OPTIONS = (
    ("grpc.enable_retries", 1),
    ("grpc.service_config", json.dumps(RETRY_SERVICE_CONFIG)),
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 2000),
)


def authorized_channel(target: str, token: str) -> grpc.Channel:
    """An insecure channel (loopback, or a mesh that terminates TLS) with a bearer token
    and the retry policy."""
    return grpc.intercept_channel(
        grpc.insecure_channel(target, options=CHANNEL_OPTIONS), _MetadataInterceptor(token)
    )


def upstream_error(exc: grpc.RpcError, service: str, what: str) -> DomainError:
    """What a call to another ccperf service that failed becomes for our own caller:
    UNAVAILABLE when it did not answer (our caller may retry), FAILED_PRECONDITION with
    its reason when it refused `what`."""
    code, details = exc.code(), exc.details()
    if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
        return Unavailable(f"the {service} service did not answer: {details}")
    return FailedPrecondition(f"the {service} service refused {what} ({code.name}): {details}")


def wait_for_serving(target: str, timeout: float = 15.0, service: str = "") -> None:
    """Block until the server's health service answers SERVING, or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    last_error: str = "no answer"
    with grpc.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            try:
                reply = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=1)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
                last_error = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
            except grpc.RpcError as exc:
                last_error = str(exc.code())
            time.sleep(0.1)
    raise TimeoutError(f"{target} not SERVING after {timeout}s ({last_error})")
