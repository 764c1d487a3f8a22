"""The gRPC server every service runs: interceptors, health, reflection, shutdown.

``build_server`` is used by ``ccperf serve`` and by the end-to-end tests alike,
so tests exercise the production interceptors. One interceptor does, per call
and in this order: bind request id and method to the log context, authenticate
the bearer token, check the service's access table, run the handler, map domain
errors to status codes (with ``google.rpc.BadRequest`` details for
INVALID_ARGUMENT), and log one ``rpc.finished`` event with status and duration.
"""

from __future__ import annotations

import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any

import grpc
import structlog
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from grpc_status import rpc_status
from sqlalchemy import exc as sa_exc

from services.common import errors
from services.common.auth import (
    Principal,
    Role,
    TokenVerifier,
    bind_principal,
    unbind_principal,
)
from services.common.db import database_unavailable
from services.common.observability import observe_rpc

log = structlog.get_logger("ccperf.grpc")

HEALTH_SERVICE = health_pb2.DESCRIPTOR.services_by_name["Health"].full_name
PUBLIC_SERVICES = frozenset({HEALTH_SERVICE, reflection.SERVICE_NAME})
"""Services callable without a token: probes and tooling must reach them."""

_STATUS_BY_ERROR: tuple[tuple[type[errors.DomainError], grpc.StatusCode], ...] = (
    (errors.InvalidArgument, grpc.StatusCode.INVALID_ARGUMENT),
    (errors.NotFound, grpc.StatusCode.NOT_FOUND),
    (errors.AlreadyExists, grpc.StatusCode.ALREADY_EXISTS),
    (errors.FailedPrecondition, grpc.StatusCode.FAILED_PRECONDITION),
    (errors.Conflict, grpc.StatusCode.ABORTED),
    (errors.PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (errors.Unauthenticated, grpc.StatusCode.UNAUTHENTICATED),
    (errors.Unavailable, grpc.StatusCode.UNAVAILABLE),
)

AccessTable = Mapping[str, frozenset[Role]]
"""RPC method name (short, e.g. ``GetEmployee``) → roles allowed to call it."""


@dataclass(frozen=True)
class ServiceRegistration:
    """One gRPC service a process serves, with its access table."""

    full_name: str  # e.g. "ccperf.org.v1.OrgService"
    add_to_server: Callable[[grpc.Server], None]
    access: AccessTable
    method_names: tuple[str, ...] = field(default=())


def _status_for(exc: errors.DomainError) -> grpc.StatusCode:
    for error_type, code in _STATUS_BY_ERROR:
        if isinstance(exc, error_type):
            return code
    return grpc.StatusCode.INTERNAL


# What the status may take of the client's metadata budget: its hard limit is 16 KiB and
# past 8 KiB it refuses at random (RESOURCE_EXHAUSTED instead of this status). The message
# travels twice (grpc-message, percent-encoded: a non-ASCII byte takes 3; and inside the
# status details, base64: 4 for 3), so every byte is counted after UTF-8 encoding.
MAX_STATUS_MESSAGE = 400
MAX_VIOLATIONS = 20
MAX_VIOLATION_TEXT = 200
MAX_VIOLATION_BYTES = 3000


def _clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, marked with an ellipsis when cut."""
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode(errors="ignore") + "\u2026"  # "…" is 3 bytes


def _bad_request(violations: Sequence[errors.FieldViolation]) -> error_details_pb2.BadRequest:
    """The first violations that fit the budget, each field and description clipped."""
    bad_request = error_details_pb2.BadRequest()
    for v in violations[:MAX_VIOLATIONS]:
        item = error_details_pb2.BadRequest.FieldViolation(
            field=_clip(v.field, MAX_VIOLATION_TEXT),
            description=_clip(v.description, MAX_VIOLATION_TEXT),
        )
        if bad_request.ByteSize() + item.ByteSize() + 4 > MAX_VIOLATION_BYTES:
            break
        bad_request.field_violations.append(item)
    return bad_request


def _rich_status(code: grpc.StatusCode, message: str, exc: BaseException | None) -> Any:
    detail = None
    if isinstance(exc, errors.InvalidArgument):
        bad_request = _bad_request(exc.violations)
        omitted = len(exc.violations) - len(bad_request.field_violations)
        if omitted:
            note = f" [{omitted} of {len(exc.violations)} violations omitted from the details]"
            message = _clip(message, MAX_STATUS_MESSAGE - len(note)) + note
        detail = any_pb2.Any()
        detail.Pack(bad_request)
    status = status_pb2.Status(
        code=getattr(code_pb2, code.name), message=_clip(message, MAX_STATUS_MESSAGE)
    )
    if detail is not None:
        status.details.append(detail)
    return rpc_status.to_status(status)


def _classify(exc: BaseException) -> tuple[grpc.StatusCode, str]:
    """Map an exception to a status and a message safe to show the caller."""
    if isinstance(exc, errors.DomainError):
        return _status_for(exc), exc.message
    if database_unavailable(exc):
        return grpc.StatusCode.UNAVAILABLE, "the database is unavailable; retry later"
    if isinstance(exc, sa_exc.IntegrityError):
        # A constraint caught a concurrent writer: the caller should re-read and retry.
        return grpc.StatusCode.ABORTED, "a concurrent change conflicted with this one; retry"
    return grpc.StatusCode.INTERNAL, "internal error"


if TYPE_CHECKING:  # grpc-stubs make the interceptor generic; the runtime class is not
    _InterceptorBase = grpc.ServerInterceptor[Any, Any]
else:
    _InterceptorBase = grpc.ServerInterceptor


class ServerInterceptor(_InterceptorBase):
    def __init__(
        self, service: str, verifier: TokenVerifier, access: Mapping[str, frozenset[Role]]
    ) -> None:
        self._service = service
        self._verifier = verifier
        self._access = access  # full method path → roles

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Any, Any] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        method: str = handler_call_details.method
        service = method.split("/")[1] if method.count("/") >= 2 else ""
        if service in PUBLIC_SERVICES:
            return handler
        metadata = {k: v for k, v in (handler_call_details.invocation_metadata or ())}
        return _wrap_handler(handler, self._make_guard(method, metadata))

    def _make_guard(self, method: str, metadata: Mapping[str, Any]) -> _CallGuard:
        return _CallGuard(self._service, method, metadata, self._verifier, self._access.get(method))


class _CallGuard:
    """Runs one call's behaviour inside its log context, auth and error mapping."""

    def __init__(
        self,
        service: str,
        method: str,
        metadata: Mapping[str, Any],
        verifier: TokenVerifier,
        allowed: frozenset[Role] | None,
    ) -> None:
        self.service = service
        self.method = method
        self.metadata = metadata
        self.verifier = verifier
        self.allowed = allowed

    def authorise(self) -> Principal:
        principal = self.verifier.verify_header(self.metadata.get("authorization"))
        if self.allowed is None:
            # Deny by default: an RPC nobody wrote a rule for is callable by nobody.
            raise errors.PermissionDenied(f"no access rule for {self.method}")
        principal.require_any(self.allowed, self.method.rsplit("/", 1)[-1])
        return principal

    @contextmanager
    def scope(self, context: grpc.ServicerContext) -> Iterator[None]:
        """Around one call: log context, auth, principal, error mapping, one log event."""
        request_id = str(self.metadata.get("x-request-id") or uuid.uuid4())
        started = time.perf_counter()
        status = grpc.StatusCode.OK
        caller = "-"
        with structlog.contextvars.bound_contextvars(method=self.method, request_id=request_id):
            token = None
            try:
                context.send_initial_metadata((("x-request-id", request_id),))
                principal = self.authorise()
                caller = principal.subject
                token = bind_principal(principal)
                with structlog.contextvars.bound_contextvars(caller=caller):
                    yield
            except Exception as exc:  # every failure is answered with a status
                status, message = _classify(exc)
                if status is grpc.StatusCode.INTERNAL:
                    log.exception("rpc.internal_error", caller=caller)
                context.abort_with_status(_rich_status(status, message, exc))
            finally:
                if token is not None:
                    unbind_principal(token)
                elapsed = time.perf_counter() - started
                observe_rpc(self.service, self.method, status.name, elapsed)
                log.info(
                    "rpc.finished",
                    caller=caller,
                    status=status.name,
                    duration_ms=round(elapsed * 1000, 2),
                )


def _wrap_handler(
    handler: grpc.RpcMethodHandler[Any, Any], guard: _CallGuard
) -> grpc.RpcMethodHandler[Any, Any]:
    if handler.unary_unary:
        inner = handler.unary_unary

        def unary_unary(request: Any, context: grpc.ServicerContext) -> Any:
            with guard.scope(context):
                return inner(request, context)

        return grpc.unary_unary_rpc_method_handler(
            unary_unary, handler.request_deserializer, handler.response_serializer
        )
    if handler.stream_unary:
        inner_su = handler.stream_unary

        def stream_unary(request_iterator: Any, context: grpc.ServicerContext) -> Any:
            with guard.scope(context):
                return inner_su(request_iterator, context)

        return grpc.stream_unary_rpc_method_handler(
            stream_unary, handler.request_deserializer, handler.response_serializer
        )
    if handler.unary_stream:
        inner_us = handler.unary_stream

        def unary_stream(request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
            with guard.scope(context):
                yield from inner_us(request, context)

        return grpc.unary_stream_rpc_method_handler(
            unary_stream, handler.request_deserializer, handler.response_serializer
        )
    inner_ss = handler.stream_stream
    assert inner_ss is not None  # grpc handlers have exactly one of the four behaviours

    def stream_stream(request_iterator: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        with guard.scope(context):
            yield from inner_ss(request_iterator, context)

    return grpc.stream_stream_rpc_method_handler(
        stream_stream, handler.request_deserializer, handler.response_serializer
    )


@dataclass
class RunningServer:
    """A started server; ``stop()`` drains it the same way SIGTERM does."""

    name: str
    server: grpc.Server
    health: health.HealthServicer
    port: int
    shutdown_delay: float
    shutdown_grace: float
    _stopped: threading.Event = field(default_factory=threading.Event)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self, grace: float | None = None) -> None:
        """Health NOT_SERVING first, then stop accepting and drain in-flight calls."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self.health.enter_graceful_shutdown()
        log.info("server.draining", service=self.name, grace_s=self.shutdown_grace)
        if self.shutdown_delay > 0:
            time.sleep(self.shutdown_delay)
        self.server.stop(self.shutdown_grace if grace is None else grace).wait()
        log.info("server.stopped", service=self.name)

    def wait(self) -> None:
        self.server.wait_for_termination()


def build_server(
    name: str,
    registrations: Sequence[ServiceRegistration],
    *,
    verifier: TokenVerifier,
    host: str = "127.0.0.1",
    port: int = 0,
    max_workers: int = 16,
    so_reuseport: bool = False,
    max_message_bytes: int = 32 * 1024 * 1024,
    shutdown_delay: float = 0.0,
    shutdown_grace: float = 20.0,
) -> RunningServer:
    """Build, register and start a server; ``port=0`` picks a free one (tests)."""
    access: dict[str, frozenset[Role]] = {}
    for registration in registrations:
        for method, roles in registration.access.items():
            access[f"/{registration.full_name}/{method}"] = roles
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=f"{name}-rpc"),
        interceptors=[ServerInterceptor(name, verifier, access)],
        options=[
            ("grpc.max_receive_message_length", max_message_bytes),
            ("grpc.max_send_message_length", max_message_bytes),
            ("grpc.so_reuseport", int(so_reuseport)),
        ],
    )
    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for registration in registrations:
        registration.add_to_server(server)
    service_names = [r.full_name for r in registrations]
    reflection.enable_server_reflection(
        [*service_names, HEALTH_SERVICE, reflection.SERVICE_NAME], server
    )
    bound = server.add_insecure_port(f"{host}:{port}")
    if bound == 0:
        raise OSError(f"could not bind {host}:{port}")
    server.start()
    for service_name in ["", *service_names]:
        health_servicer.set(service_name, health_pb2.HealthCheckResponse.SERVING)
    log.info("server.started", service=name, address=f"{host}:{bound}", services=service_names)
    return RunningServer(name, server, health_servicer, bound, shutdown_delay, shutdown_grace)


def serve_until_signalled(servers: Sequence[RunningServer]) -> None:
    """Block until SIGTERM or SIGINT, then drain every server (in parallel) and return."""
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("server.signal", signal=signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    stop.wait()
    threads = [threading.Thread(target=s.stop) for s in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def bearer_token(context: grpc.ServicerContext) -> str:
    """The caller's bearer token, to call another service on their behalf."""
    for key, value in context.invocation_metadata():
        if key == "authorization" and isinstance(value, str):
            return value.removeprefix("Bearer ").strip()
    return ""
