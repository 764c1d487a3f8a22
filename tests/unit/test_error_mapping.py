"""Domain errors map to one status each; INVALID_ARGUMENT carries BadRequest details."""

from __future__ import annotations

import grpc
import pytest
from google.rpc import code_pb2, error_details_pb2, status_pb2
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from services.common import errors
from services.common.db import make_engine
from services.common.grpc_errors import MAX_VIOLATIONS, classify, rich_status


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.InvalidArgument.field("x", "bad"), grpc.StatusCode.INVALID_ARGUMENT),
        (errors.NotFound("nope"), grpc.StatusCode.NOT_FOUND),
        (errors.AlreadyExists("dup"), grpc.StatusCode.ALREADY_EXISTS),
        (errors.FailedPrecondition("state"), grpc.StatusCode.FAILED_PRECONDITION),
        (errors.Conflict("stale"), grpc.StatusCode.ABORTED),
        (errors.PermissionDenied("no"), grpc.StatusCode.PERMISSION_DENIED),
        (errors.Unauthenticated("who"), grpc.StatusCode.UNAUTHENTICATED),
        (errors.Unavailable("down"), grpc.StatusCode.UNAVAILABLE),
        (sa_exc.OperationalError("SELECT 1", {}, Exception("gone")), grpc.StatusCode.UNAVAILABLE),
        (sa_exc.IntegrityError("INSERT", {}, Exception("dup")), grpc.StatusCode.ABORTED),
        (KeyError("bug"), grpc.StatusCode.INTERNAL),
    ],
)
def test_each_error_has_its_status(error: Exception, code: grpc.StatusCode) -> None:
    assert classify(error)[0] is code


def test_internal_errors_hide_their_message() -> None:
    assert classify(RuntimeError("password=hunter2"))[1] == "internal error"


def test_invalid_argument_carries_every_field_violation() -> None:
    error = errors.InvalidArgument(
        [errors.FieldViolation("a", "is required"), errors.FieldViolation("b[2].c", "too long")]
    )
    status = rich_status(grpc.StatusCode.INVALID_ARGUMENT, error.message, error)
    decoded = status_pb2.Status.FromString(
        dict(status.trailing_metadata)["grpc-status-details-bin"]
    )
    assert decoded.code == code_pb2.INVALID_ARGUMENT
    bad_request = error_details_pb2.BadRequest()
    assert decoded.details[0].Unpack(bad_request)
    assert [(v.field, v.description) for v in bad_request.field_violations] == [
        ("a", "is required"),
        ("b[2].c", "too long"),
    ]


def test_violations_collect_and_raise_once() -> None:
    violations = errors.Violations()
    violations.raise_if_any()  # nothing collected: no error
    violations.add("x", "bad")
    violations.add("y", "worse")
    with pytest.raises(errors.InvalidArgument) as err:
        violations.raise_if_any()
    assert [v.field for v in err.value.violations] == ["x", "y"]


def _trailer(status: object) -> tuple[int, status_pb2.Status, error_details_pb2.BadRequest]:
    """The bytes the status takes in the trailer, and what it carries."""
    trailers = dict(status.trailing_metadata)  # type: ignore[attr-defined]
    raw = trailers["grpc-status-details-bin"]
    decoded = status_pb2.Status.FromString(raw)
    bad_request = error_details_pb2.BadRequest()
    assert decoded.details[0].Unpack(bad_request)
    # grpc-message is percent-encoded (3 characters a non-ASCII byte), the details base64.
    size = 3 * len(decoded.message.encode()) + (len(raw) + 2) // 3 * 4
    return size, decoded, bad_request


@pytest.mark.parametrize(
    "violations",
    [
        [errors.FieldViolation(f"leaves[{i}].id", "is required") for i in range(500)],
        [errors.FieldViolation("period.value", f"invalid period {'x' * 20_000!r}")],
        [errors.FieldViolation("名" * 5000, "坏" * 5000)] * 50,
    ],
    ids=["500-violations", "long-description", "long-non-ascii"],
)
def test_a_status_with_many_or_long_violations_stays_small(
    violations: list[errors.FieldViolation],
) -> None:
    """The client refuses trailers over 8 KiB at random, over 16 KiB always (issue #7)."""
    error = errors.InvalidArgument(violations)
    size, decoded, bad_request = _trailer(
        rich_status(grpc.StatusCode.INVALID_ARGUMENT, error.message, error)
    )
    assert size < 7000
    kept = bad_request.field_violations
    assert 1 <= len(kept) <= MAX_VIOLATIONS
    assert kept[0].field.startswith(violations[0].field[:10])
    if len(kept) < len(violations):
        omitted = len(violations) - len(kept)
        assert f"[{omitted} of {len(violations)} violations omitted" in decoded.message


def test_a_failed_statement_keeps_its_values_out_of_the_error() -> None:
    """The error's text goes into the INTERNAL trace in the log: no names in it (issue #7)."""
    engine = make_engine("sqlite://")
    with pytest.raises(sa_exc.DBAPIError) as caught, engine.connect() as conn:
        conn.execute(text("SELECT * FROM nowhere WHERE name = :name"), {"name": "张三"})
    assert "张三" not in str(caught.value)
    assert "hidden" in str(caught.value)
