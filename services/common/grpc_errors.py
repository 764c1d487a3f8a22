"""How a failed call is answered: domain errors to gRPC status codes, with details.

Domain errors (``services.common.errors``) map to one status each; a database that
cannot be reached is UNAVAILABLE; anything else is INTERNAL with a generic message.
INVALID_ARGUMENT carries ``google.rpc.BadRequest`` field violations, clipped to fit
the client's metadata budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status
from sqlalchemy import exc as sa_exc

from services.common import errors
from services.common.db import database_unavailable


class StreamIdle(errors.DomainError):
    """A client stream sent (or read) nothing for the idle timeout."""


class TooManyStreams(errors.DomainError):
    """The caller already holds the most concurrent streams a caller may."""


_STATUS_BY_ERROR: tuple[tuple[type[errors.DomainError], grpc.StatusCode], ...] = (
    (StreamIdle, grpc.StatusCode.DEADLINE_EXCEEDED),
    (TooManyStreams, grpc.StatusCode.RESOURCE_EXHAUSTED),
    (errors.InvalidArgument, grpc.StatusCode.INVALID_ARGUMENT),
    (errors.NotFound, grpc.StatusCode.NOT_FOUND),
    (errors.AlreadyExists, grpc.StatusCode.ALREADY_EXISTS),
    (errors.FailedPrecondition, grpc.StatusCode.FAILED_PRECONDITION),
    (errors.Conflict, grpc.StatusCode.ABORTED),
    (errors.PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (errors.Unauthenticated, grpc.StatusCode.UNAUTHENTICATED),
    (errors.Unavailable, grpc.StatusCode.UNAVAILABLE),
)


def status_for(exc: errors.DomainError) -> grpc.StatusCode:
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


def rich_status(code: grpc.StatusCode, message: str, exc: BaseException | None) -> Any:
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


def classify(exc: BaseException) -> tuple[grpc.StatusCode, str]:
    """Map an exception to a status and a message safe to show the caller."""
    if isinstance(exc, errors.DomainError):
        return status_for(exc), exc.message
    if database_unavailable(exc):
        return grpc.StatusCode.UNAVAILABLE, "the database is unavailable; retry later"
    if isinstance(exc, sa_exc.IntegrityError):
        # A constraint caught a concurrent writer: the caller should re-read and retry.
        return grpc.StatusCode.ABORTED, "a concurrent change conflicted with this one; retry"
    return grpc.StatusCode.INTERNAL, "internal error"
