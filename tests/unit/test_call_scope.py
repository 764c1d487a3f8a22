"""The interceptor's per-call scope: context bound for the call only, errors mapped, one log."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import pytest
import structlog
from structlog.testing import capture_logs

from services.common.auth import Role, TokenVerifier, current_principal, mint_token
from services.common.errors import NotFound, Unauthenticated
from services.common.grpc_server import _CallGuard, _StreamCounter

SECRET = "unit-test-secret-of-sufficient-length"


class Aborted(Exception):
    pass


class FakeContext:
    """The two calls the scope makes on a grpc.aio servicer context."""

    def __init__(self) -> None:
        self.initial_metadata: Any = None
        self.status: Any = None

    async def send_initial_metadata(self, metadata: Any) -> None:
        self.initial_metadata = metadata

    async def abort_with_status(self, status: Any) -> None:
        self.status = status
        raise Aborted


def guard(
    roles: frozenset[Role] | None,
    token_roles: list[Role],
    streams: _StreamCounter | None = None,
    subject: str = "hr1",
) -> _CallGuard:
    token = mint_token(secret=SECRET, subject=subject, roles=token_roles)
    metadata = {"authorization": f"Bearer {token}", "x-request-id": "req-1"}
    return _CallGuard(
        "test", "/ccperf.x.v1.X/Do", metadata, TokenVerifier(secret=SECRET), roles,
        streams=streams,
    )  # fmt: skip


def in_scope(g: _CallGuard, context: FakeContext, body: Callable[[], Awaitable[None]]) -> None:
    async def call() -> None:
        async with g.scope(context):
            await body()

    asyncio.run(call())


async def nothing() -> None:
    pass


def test_context_is_bound_during_the_call_and_reset_after() -> None:
    context = FakeContext()
    seen: dict[str, Any] = {}

    async def body() -> None:
        seen.update(structlog.contextvars.get_contextvars())
        seen["principal"] = current_principal().subject

    with capture_logs() as logs:
        in_scope(guard(frozenset({Role.HR}), [Role.HR]), context, body)
    assert seen == {
        "method": "/ccperf.x.v1.X/Do",
        "request_id": "req-1",
        "caller": "hr1",
        "principal": "hr1",
    }
    assert structlog.contextvars.get_contextvars() == {}
    with pytest.raises(Unauthenticated):
        current_principal()
    assert context.initial_metadata == (("x-request-id", "req-1"),)
    assert logs[-1]["event"] == "rpc.finished"
    assert logs[-1]["status"] == "OK"


def test_wrong_role_aborts_with_permission_denied_before_the_handler() -> None:
    context = FakeContext()
    ran = False

    async def body() -> None:
        nonlocal ran
        ran = True

    with pytest.raises(Aborted):
        in_scope(guard(frozenset({Role.PAYROLL}), [Role.HR]), context, body)
    assert not ran
    assert context.status.code is grpc.StatusCode.PERMISSION_DENIED
    assert structlog.contextvars.get_contextvars() == {}


def test_rpc_without_a_rule_is_denied() -> None:
    context = FakeContext()
    with pytest.raises(Aborted):
        in_scope(guard(None, list(Role)), context, nothing)
    assert context.status.code is grpc.StatusCode.PERMISSION_DENIED


def test_domain_error_in_the_handler_is_mapped_and_logged() -> None:
    context = FakeContext()

    async def body() -> None:
        raise NotFound("employee 'E9' does not exist")

    with capture_logs() as logs, pytest.raises(Aborted):
        in_scope(guard(frozenset({Role.HR}), [Role.HR]), context, body)
    assert context.status.code is grpc.StatusCode.NOT_FOUND
    assert context.status.details == "employee 'E9' does not exist"
    assert logs[-1]["status"] == "NOT_FOUND"


def test_a_caller_past_its_stream_limit_is_refused_and_a_closed_stream_frees_its_slot() -> None:
    streams = _StreamCounter(per_caller=1)
    held = FakeContext()
    refused = FakeContext()

    async def both() -> None:
        async def second() -> None:
            with pytest.raises(Aborted):
                async with guard(frozenset({Role.HR}), [Role.HR], streams).scope(refused):
                    pass

        async with guard(frozenset({Role.HR}), [Role.HR], streams).scope(held):
            await second()
            # Another caller is not counted against hr1.
            async with guard(frozenset({Role.HR}), [Role.HR], streams, "hr2").scope(FakeContext()):
                pass
        async with guard(frozenset({Role.HR}), [Role.HR], streams).scope(FakeContext()):
            pass  # the first stream closed: its slot is free again

    asyncio.run(both())
    assert held.status is None
    assert refused.status.code is grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "1 open streams" in refused.status.details
