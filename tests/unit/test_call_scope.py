"""The interceptor's per-call scope: context bound for the call only, errors mapped, one log."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
import structlog
from structlog.testing import capture_logs

from services.common.auth import Role, TokenVerifier, current_principal, mint_token
from services.common.errors import NotFound, Unauthenticated
from services.common.grpc_server import _CallGuard

SECRET = "unit-test-secret-of-sufficient-length"


class Aborted(Exception):
    pass


class FakeContext:
    def __init__(self) -> None:
        self.initial_metadata: Any = None
        self.status: Any = None

    def send_initial_metadata(self, metadata: Any) -> None:
        self.initial_metadata = metadata

    def abort_with_status(self, status: Any) -> None:
        self.status = status
        raise Aborted


def guard(roles: frozenset[Role] | None, token_roles: list[Role]) -> _CallGuard:
    token = mint_token(secret=SECRET, subject="hr1", roles=token_roles)
    metadata = {"authorization": f"Bearer {token}", "x-request-id": "req-1"}
    return _CallGuard("test", "/ccperf.x.v1.X/Do", metadata, TokenVerifier(secret=SECRET), roles)


def test_context_is_bound_during_the_call_and_reset_after() -> None:
    context = FakeContext()
    with capture_logs() as logs, guard(frozenset({Role.HR}), [Role.HR]).scope(context):  # type: ignore[arg-type]
        assert structlog.contextvars.get_contextvars() == {
            "method": "/ccperf.x.v1.X/Do",
            "request_id": "req-1",
            "caller": "hr1",
        }
        assert current_principal().subject == "hr1"
    assert structlog.contextvars.get_contextvars() == {}
    with pytest.raises(Unauthenticated):
        current_principal()
    assert context.initial_metadata == (("x-request-id", "req-1"),)
    assert logs[-1]["event"] == "rpc.finished"
    assert logs[-1]["status"] == "OK"


def test_wrong_role_aborts_with_permission_denied_before_the_handler() -> None:
    context = FakeContext()
    ran = False
    with pytest.raises(Aborted), guard(frozenset({Role.PAYROLL}), [Role.HR]).scope(context):  # type: ignore[arg-type]
        ran = True
    assert not ran
    assert context.status.code is grpc.StatusCode.PERMISSION_DENIED
    assert structlog.contextvars.get_contextvars() == {}


def test_rpc_without_a_rule_is_denied() -> None:
    context = FakeContext()
    with pytest.raises(Aborted), guard(None, list(Role)).scope(context):  # type: ignore[arg-type]
        pass
    assert context.status.code is grpc.StatusCode.PERMISSION_DENIED


def test_domain_error_in_the_handler_is_mapped_and_logged() -> None:
    context = FakeContext()
    scope = guard(frozenset({Role.HR}), [Role.HR]).scope(context)  # type: ignore[arg-type]
    with capture_logs() as logs, pytest.raises(Aborted), scope:
        raise NotFound("employee 'E9' does not exist")
    assert context.status.code is grpc.StatusCode.NOT_FOUND
    assert context.status.details == "employee 'E9' does not exist"
    assert logs[-1]["status"] == "NOT_FOUND"
