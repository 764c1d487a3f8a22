"""The gRPC server every service runs: interceptors, health, reflection, shutdown.

``build_server`` is used by ``ccperf serve`` and by the end-to-end tests alike,
so tests exercise the production interceptors. One interceptor does, per call
and in this order: bind request id and method to the log context, authenticate
the bearer token, check the service's access table, run the handler, map domain
errors to status codes (with ``google.rpc.BadRequest`` details for
INVALID_ARGUMENT), and log one ``rpc.finished`` event with status and duration.

The server is ``grpc.aio``: one event loop thread per server holds every open call,
so an idle client stream costs a coroutine, not a thread (a thread per stream let 16
idle streams freeze a server). Use cases stay plain blocking functions: a servicer
method written with ``def`` runs on the server's bounded executor
(``CCPERF_MAX_WORKERS`` threads), in a copy of the call's context (log keys,
principal), so contextvars never leak between calls. Streaming-request handlers are
``async def`` and hand their blocking steps to the executor with ``run_blocking``.
Health and reflection run on the loop, so they answer while every worker is busy.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Iterator,
    Mapping,
    Sequence,
)
from concurrent import futures
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, TypeVar

import grpc
import grpc.aio
import structlog
from google.protobuf.message import DecodeError
from grpc._cython import cygrpc  # type: ignore[attr-defined]
from grpc_health.v1 import _async as health_async
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.common import errors
from services.common.auth import (
    Principal,
    Role,
    TokenVerifier,
    bind_principal,
    unbind_principal,
)
from services.common.grpc_errors import (
    StreamIdle,
    TooManyStreams,
    classify,
    rich_status,
)
from services.common.limits import check_request_limits
from services.common.observability import observe_rpc
from services.common.wire_format import invalid_utf8_field

log = structlog.get_logger("ccperf.grpc")

HEALTH_SERVICE = health_pb2.DESCRIPTOR.services_by_name["Health"].full_name
PUBLIC_SERVICES = frozenset({HEALTH_SERVICE, reflection.SERVICE_NAME})
"""Services callable without a token: probes and tooling must reach them."""


AccessTable = Mapping[str, frozenset[Role]]
"""RPC method name (short, e.g. ``GetEmployee``) → roles allowed to call it."""


@dataclass(frozen=True)
class ServiceRegistration:
    """One gRPC service a process serves, with its access table."""

    full_name: str  # e.g. "ccperf.org.v1.OrgService"
    add_to_server: Callable[[grpc.aio.Server], None]
    access: AccessTable
    method_names: tuple[str, ...] = field(default=())


T = TypeVar("T")

_RUNNER: contextvars.ContextVar[BlockingRunner | None] = contextvars.ContextVar(
    "ccperf_blocking_runner", default=None
)


class BlockingRunner:
    """The server's bounded executor: where blocking use cases run, off the event loop."""

    def __init__(self, max_workers: int, name: str) -> None:
        self._pool = futures.ThreadPoolExecutor(
            max_workers=max_workers, thread_name_prefix=f"{name}-rpc"
        )

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        # A copy of the call's context: the worker sees its log keys and principal, and
        # whatever it binds is gone when it returns.
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(self._pool, context.run, fn, *args)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


async def run_blocking(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(*args)`` on the executor of the server serving this call."""
    runner = _RUNNER.get()
    if runner is None:
        raise RuntimeError("run_blocking called outside an RPC")
    return await runner.run(fn, *args)


@contextmanager
def blocking_on(runner: BlockingRunner) -> Iterator[None]:
    """Bind ``runner`` for ``run_blocking`` outside a call (tests, tools)."""
    token = _RUNNER.set(runner)
    try:
        yield
    finally:
        _RUNNER.reset(token)


@dataclass(frozen=True)
class StreamLimits:
    """What one client stream may hold: documented in the README's Limits table."""

    per_caller: int = 32  # concurrent streams (either direction) per token subject
    idle_seconds: float = 60.0  # between two messages, in or out


def _undecodable(field: str | None, index: int | None) -> errors.InvalidArgument:
    """What a request protobuf refused is answered with: the field, never its bytes."""
    if field is None:
        where = "request" if index is None else f"request message {index}"
        return errors.InvalidArgument.field(where, "is not a valid protobuf message")
    where = "" if index is None else f" (in stream message {index})"
    return errors.InvalidArgument.field(field, f"is not valid UTF-8{where}")


class _Parser:
    """A handler's request deserializer, run by the interceptor after authentication.

    grpc hands the interceptor raw bytes (its own deserializer would end the call
    INTERNAL "Exception deserializing request!" on invalid UTF-8, with no
    ``rpc.finished`` line), and parsing waits until the caller is known: a parse holds
    the GIL for as long as the message takes, so only authenticated callers can spend
    that (bounded by CCPERF_MAX_MESSAGE_BYTES).
    """

    def __init__(self, deserializer: Callable[[bytes], Any] | None) -> None:
        self._deserializer = deserializer
        message_class = getattr(deserializer, "__self__", None)
        self._descriptor = getattr(message_class, "DESCRIPTOR", None)

    def __call__(self, data: Any, index: int | None = None) -> Any:
        if self._deserializer is None or not isinstance(data, bytes):
            return data
        try:
            request = self._deserializer(data)
        except DecodeError:
            raise _undecodable(invalid_utf8_field(self._descriptor, data), index) from None
        check_request_limits(request)  # every repeated field by its count, before any handler
        return request


class _StreamCounter:
    """Open streams per caller; only the server's event loop thread touches it."""

    def __init__(self, per_caller: int) -> None:
        self._per_caller = per_caller
        self._open: Counter[str] = Counter()

    def acquire(self, caller: str) -> None:
        if self._open[caller] >= self._per_caller:
            raise TooManyStreams(
                f"this caller already has {self._per_caller} open streams, the most a caller may;"
                " close one or retry later"
            )
        self._open[caller] += 1

    def release(self, caller: str) -> None:
        self._open[caller] -= 1
        if self._open[caller] <= 0:
            del self._open[caller]


class ServerInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[type-arg]
    def __init__(
        self,
        service: str,
        verifier: TokenVerifier,
        access: Mapping[str, frozenset[Role]],
        runner: BlockingRunner,
        stream_limits: StreamLimits,
    ) -> None:
        self._service = service
        self._verifier = verifier
        self._access = access  # full method path → roles
        self._runner = runner
        self._stream_limits = stream_limits
        self._streams = _StreamCounter(stream_limits.per_caller)

    async def intercept_service(
        self,
        continuation: Callable[
            [grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any]]
        ],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any]:
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        method: str = handler_call_details.method
        service = method.split("/")[1] if method.count("/") >= 2 else ""
        if service in PUBLIC_SERVICES:
            return handler
        metadata = {k: v for k, v in (handler_call_details.invocation_metadata or ())}
        streaming = handler.request_streaming or handler.response_streaming
        guard = _CallGuard(
            self._service, method, metadata, self._verifier, self._access.get(method),
            runner=self._runner, streams=self._streams if streaming else None,
        )  # fmt: skip
        return _wrap_handler(handler, guard, self._stream_limits.idle_seconds)


class _CallGuard:
    """Runs one call's behaviour inside its log context, auth and error mapping."""

    def __init__(
        self,
        service: str,
        method: str,
        metadata: Mapping[str, Any],
        verifier: TokenVerifier,
        allowed: frozenset[Role] | None,
        *,
        runner: BlockingRunner | None = None,
        streams: _StreamCounter | None = None,
    ) -> None:
        self.service = service
        self.method = method
        self.metadata = metadata
        self.verifier = verifier
        self.allowed = allowed
        self.runner = runner
        self.streams = streams

    def authorise(self) -> Principal:
        principal = self.verifier.verify_header(self.metadata.get("authorization"))
        if self.allowed is None:
            # Deny by default: an RPC nobody wrote a rule for is callable by nobody.
            raise errors.PermissionDenied(f"no access rule for {self.method}")
        principal.require_any(self.allowed, self.method.rsplit("/", 1)[-1])
        return principal

    @asynccontextmanager
    async def scope(self, context: Any) -> AsyncIterator[None]:
        """Around one call: log context, auth, principal, error mapping, one log event."""
        request_id = str(self.metadata.get("x-request-id") or uuid.uuid4())
        started = time.perf_counter()
        status = grpc.StatusCode.OK
        caller = "-"
        with structlog.contextvars.bound_contextvars(method=self.method, request_id=request_id):
            token = None
            runner_token = _RUNNER.set(self.runner)
            holds_stream = False
            try:
                await context.send_initial_metadata((("x-request-id", request_id),))
                principal = self.authorise()
                caller = principal.subject
                token = bind_principal(principal)
                if self.streams is not None:
                    self.streams.acquire(caller)
                    holds_stream = True
                with structlog.contextvars.bound_contextvars(caller=caller):
                    yield
            except asyncio.CancelledError:  # the client went away (or the server stopped)
                status = grpc.StatusCode.CANCELLED
                raise
            except Exception as exc:  # every failure is answered with a status
                status, message = classify(exc)
                if status is grpc.StatusCode.INTERNAL:
                    log.exception("rpc.internal_error", caller=caller)
                await context.abort_with_status(rich_status(status, message, exc))
            finally:
                if holds_stream and self.streams is not None:
                    self.streams.release(caller)
                if token is not None:
                    unbind_principal(token)
                _RUNNER.reset(runner_token)
                elapsed = time.perf_counter() - started
                observe_rpc(self.service, self.method, status.name, elapsed)
                log.info(
                    "rpc.finished",
                    caller=caller,
                    status=status.name,
                    duration_ms=round(elapsed * 1000, 2),
                )

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """A servicer method: awaited when async, else run on the executor."""
        if inspect.iscoroutinefunction(fn):
            return await fn(*args)
        assert self.runner is not None, "a server's guard has a runner"
        return await self.runner.run(fn, *args)


async def _incoming(
    requests: AsyncIterator[Any], parse: _Parser, idle_seconds: float
) -> AsyncIterator[Any]:
    """A client stream's messages, each parsed, the stream closed when it idles."""
    iterator = aiter(requests)
    index = 0
    while True:
        try:
            async with asyncio.timeout(idle_seconds):
                message = await anext(iterator)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise StreamIdle(
                f"no message for {idle_seconds:g} s: the stream was closed"
                " (what it committed before is kept)"
            ) from None
        yield parse(message, index)
        index += 1


async def _write(context: Any, message: Any, idle_seconds: float) -> None:
    try:
        async with asyncio.timeout(idle_seconds):
            await context.write(message)
    except TimeoutError:
        raise StreamIdle(
            f"the client read nothing for {idle_seconds:g} s: the stream was closed"
        ) from None


class _SyncItems:
    """A blocking generator stepped on the executor, one item at a time."""

    _END = object()

    def __init__(self, items: Any) -> None:
        self._items = items
        self._lock = threading.Lock()  # a close waits for the step in flight

    def step(self) -> Any:
        with self._lock:
            return next(self._items, self._END)

    def close(self) -> None:
        with self._lock:
            self._items.close()


def _wrap_handler(
    handler: grpc.RpcMethodHandler[Any, Any], guard: _CallGuard, idle_seconds: float
) -> grpc.RpcMethodHandler[Any, Any]:
    parse = _Parser(handler.request_deserializer)
    deserializer = None  # raw bytes: parsed in the scope, after authentication
    serializer = handler.response_serializer
    if handler.unary_unary:
        inner = handler.unary_unary

        async def unary_unary(request: Any, context: Any) -> Any:
            async with guard.scope(context):
                return await guard.call(inner, parse(request), context)

        return grpc.unary_unary_rpc_method_handler(unary_unary, deserializer, serializer)
    if handler.unary_stream:
        inner_us = handler.unary_stream

        async def unary_stream(request: Any, context: Any) -> None:
            async with guard.scope(context):
                if inspect.isasyncgenfunction(inner_us):
                    async for item in inner_us(parse(request), context):
                        await _write(context, item, idle_seconds)
                    return
                assert guard.runner is not None
                items = _SyncItems(await guard.runner.run(inner_us, parse(request), context))
                try:
                    while (item := await guard.runner.run(items.step)) is not _SyncItems._END:
                        await _write(context, item, idle_seconds)
                finally:
                    await asyncio.shield(guard.runner.run(items.close))

        return grpc.unary_stream_rpc_method_handler(unary_stream, deserializer, serializer)
    inner_stream = handler.stream_unary or handler.stream_stream
    assert inner_stream is not None  # grpc handlers have exactly one of the four behaviours
    if not inspect.iscoroutinefunction(inner_stream) and not inspect.isasyncgenfunction(
        inner_stream
    ):
        # A blocking handler would hold a worker for as long as the client keeps the
        # stream open: exactly what let idle streams freeze the server.
        raise TypeError(f"{guard.method}: a streaming-request handler must be async")
    if handler.stream_unary:
        inner_su: Any = handler.stream_unary  # async: grpc-stubs know only sync handlers

        async def stream_unary(requests: Any, context: Any) -> Any:
            async with guard.scope(context):
                return await inner_su(_incoming(requests, parse, idle_seconds), context)

        return grpc.stream_unary_rpc_method_handler(
            stream_unary,
            deserializer,
            serializer,
        )
    inner_ss: Any = handler.stream_stream

    async def stream_stream(requests: Any, context: Any) -> None:
        async with guard.scope(context):
            async for item in inner_ss(_incoming(requests, parse, idle_seconds), context):
                await _write(context, item, idle_seconds)

    return grpc.stream_stream_rpc_method_handler(
        stream_stream,
        deserializer,
        serializer,
    )


async def _hold_grpc_aio() -> None:
    cygrpc.init_grpc_aio()  # never matched by shutdown_grpc_aio: see _EventLoopThread


class _EventLoopThread:
    """An asyncio loop on a thread of its own, driven from synchronous code.

    One per process, serving every server it runs, and never closed: grpc.aio
    dispatches completions to the loop a call was made on, and a closed loop that
    still had a call pending fails inside grpc ("Event loop is closed"). For the same
    reason grpc.aio stays initialised for the life of the process: left to its own
    count, it shuts its completion poller down when the last server stops and the
    loop's reader then fires on a closed descriptor (a process that starts a server
    again, as the tests and benchmarks do, logged "Bad file descriptor").
    """

    _shared: _EventLoopThread | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="grpc-loop", daemon=True)
        self._thread.start()
        self.run(_hold_grpc_aio())

    @classmethod
    def shared(cls) -> _EventLoopThread:
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


class HealthStatus:
    """The server's health servicer, set from any thread (the database probe's)."""

    def __init__(self, servicer: health_async.HealthServicer, loop: _EventLoopThread) -> None:
        self._servicer = servicer
        self._loop = loop

    def set(self, service: str, status: Any) -> None:
        self._loop.run(self._servicer.set(service, status), timeout=10)

    def enter_graceful_shutdown(self) -> None:
        self._loop.run(self._servicer.enter_graceful_shutdown(), timeout=10)


@dataclass
class RunningServer:
    """A started server; ``stop()`` drains it the same way SIGTERM does."""

    name: str
    health: HealthStatus
    port: int
    shutdown_delay: float
    shutdown_grace: float
    _server: grpc.aio.Server
    _loop: _EventLoopThread
    _runner: BlockingRunner
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
        self._loop.run(self._server.stop(self.shutdown_grace if grace is None else grace))
        self._runner.shutdown()
        log.info("server.stopped", service=self.name)

    def wait(self) -> None:
        if not self._stopped.is_set():
            self._loop.run(self._server.wait_for_termination())


def build_server(
    name: str,
    registrations: Sequence[ServiceRegistration],
    *,
    verifier: TokenVerifier,
    host: str = "127.0.0.1",
    port: int = 0,
    max_workers: int = 16,
    so_reuseport: bool = False,
    max_message_bytes: int = 8 * 1024 * 1024,
    max_concurrent_rpcs: int | None = 4096,
    stream_limits: StreamLimits | None = None,
    shutdown_delay: float = 0.0,
    shutdown_grace: float = 20.0,
) -> RunningServer:
    """Build, register and start a server; ``port=0`` picks a free one (tests)."""
    access: dict[str, frozenset[Role]] = {}
    for registration in registrations:
        for method, roles in registration.access.items():
            access[f"/{registration.full_name}/{method}"] = roles
    runner = BlockingRunner(max_workers, name)
    loop = _EventLoopThread.shared()
    limits = stream_limits or StreamLimits()

    async def start() -> tuple[grpc.aio.Server, health_async.HealthServicer, int]:
        server = grpc.aio.server(
            interceptors=[ServerInterceptor(name, verifier, access, runner, limits)],
            options=[
                ("grpc.max_receive_message_length", max_message_bytes),
                ("grpc.max_send_message_length", max_message_bytes),
                ("grpc.so_reuseport", int(so_reuseport)),
            ],
            # Past this many calls in flight a new one is refused RESOURCE_EXHAUSTED.
            maximum_concurrent_rpcs=max_concurrent_rpcs,
        )
        health_servicer = health_async.HealthServicer()
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
        await server.start()
        for service_name in ["", *service_names]:
            await health_servicer.set(service_name, health_pb2.HealthCheckResponse.SERVING)
        return server, health_servicer, bound

    try:
        server, health_servicer, bound = loop.run(start())
    except BaseException:
        runner.shutdown()
        raise
    log.info(
        "server.started",
        service=name,
        address=f"{host}:{bound}",
        services=[r.full_name for r in registrations],
    )
    return RunningServer(
        name, HealthStatus(health_servicer, loop), bound, shutdown_delay, shutdown_grace,
        server, loop, runner,
    )  # fmt: skip


def serve_until_signalled(servers: Sequence[RunningServer]) -> None:
    """Block until SIGTERM or SIGINT, then drain every server (in parallel) and return."""
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("server.signal", signal=signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # Python runs a handler only when the main thread wakes: a wait with no timeout
    # could sleep through a signal the kernel handed to another thread.
    while not stop.wait(0.5):
        pass
    threads = [threading.Thread(target=s.stop) for s in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def bearer_token(context: Any) -> str:
    """The caller's bearer token, to call another service on their behalf."""
    for key, value in context.invocation_metadata() or ():
        if key == "authorization" and isinstance(value, str):
            return value.removeprefix("Bearer ").strip()
    return ""
