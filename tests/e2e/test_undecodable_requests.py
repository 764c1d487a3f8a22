"""A request protobuf cannot decode is INVALID_ARGUMENT, logged like any call (issue #13, point 4).

Invalid UTF-8 in any string field used to end the call INTERNAL "Exception
deserializing request!", logged by grpc with the raw request bytes and without an
``rpc.finished`` line. Now the interceptor answers INVALID_ARGUMENT naming the field,
and logs the call like any other, without the payload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlalchemy import Engine, text
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from ccperf.metrics.v1 import events_pb2, metrics_pb2
from ccperf.org.v1 import org_pb2
from services.common.auth import Role
from tests.support.metrics_events import answered_call
from tests.support.org_messages import employee, small_org
from tests.support.polling import wait_until

MARK = "Zq7Zq7"
BROKEN = b"\xff\xfe\xc3("  # not UTF-8: a lone continuation byte, an overlong start


def spliced(message: Any) -> bytes:
    """``message`` serialized with every MARK string replaced by invalid UTF-8."""
    data: bytes = message.SerializeToString()
    assert MARK.encode() in data
    return data.replace(MARK.encode(), BROKEN[: len(MARK)].ljust(len(MARK), b"\xff"))


def field_violations(error: grpc.RpcError) -> list[str]:
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    assert status is not None
    bad_request = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad_request)
    return [v.field for v in bad_request.field_violations]


def raw_method(address: str, method: str, *, stream: bool = False) -> Any:
    channel = grpc.insecure_channel(address)
    identity: Callable[[bytes], bytes] = lambda data: data  # noqa: E731
    if stream:
        return channel, channel.stream_unary(method, identity, identity)
    return channel, channel.unary_unary(method, identity, identity)


def test_invalid_utf8_in_a_nested_string_is_invalid_argument_naming_the_field(
    services: Any, address: Callable[[str], str], token_for: Callable[..., str], engine: Engine
) -> None:
    second = employee("E2")
    second.name = MARK
    request = org_pb2.UpsertEmployeesRequest(employees=[employee("E1"), second])
    channel, call = raw_method(address("appraisal"), "/ccperf.org.v1.OrgService/UpsertEmployees")
    metadata = (("authorization", f"Bearer {token_for('hris', Role.HRIS)}"),)
    with capture_logs([merge_contextvars]) as logs:
        with channel, pytest.raises(grpc.RpcError) as caught:
            call(spliced(request), metadata=metadata, timeout=10)
        # The server logs the call once its answer is sent: wait for the line.
        finished = wait_until(
            lambda: [e for e in logs if e["event"] == "rpc.finished"], timeout=10,
            what="the rpc.finished line",
        )  # fmt: skip
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert field_violations(caught.value) == ["employees[1].name"]
    assert [(e["method"], e["status"], e["caller"]) for e in finished] == [
        ("/ccperf.org.v1.OrgService/UpsertEmployees", "INVALID_ARGUMENT", "hris")
    ]
    assert not any(e["log_level"] in ("error", "critical") for e in logs)
    assert "name E1" not in repr(logs)  # no payload: the valid employee's name either
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM employees")).scalar_one() == 0


def test_invalid_utf8_before_authentication_is_still_unauthenticated(
    services: Any, address: Callable[[str], str]
) -> None:
    request = org_pb2.UpsertOrgUnitsRequest(org_units=small_org())
    request.org_units[0].name = MARK
    channel, call = raw_method(address("appraisal"), "/ccperf.org.v1.OrgService/UpsertOrgUnits")
    with channel, pytest.raises(grpc.RpcError) as caught:
        call(spliced(request), timeout=10)
    assert caught.value.code() is grpc.StatusCode.UNAUTHENTICATED


def test_invalid_utf8_in_a_stream_message_is_invalid_argument_and_earlier_batches_stay(
    services: Any, address: Callable[[str], str], token_for: Callable[..., str], engine: Engine
) -> None:
    good = metrics_pb2.IngestEventsRequest(source="acd", events=[answered_call("c1")])
    bad_event: events_pb2.Event = answered_call("c2")
    bad_event.event_id = MARK
    bad = metrics_pb2.IngestEventsRequest(source="acd", events=[bad_event])
    channel, call = raw_method(
        address("metrics"), "/ccperf.metrics.v1.MetricsService/IngestEvents", stream=True
    )
    metadata = (("authorization", f"Bearer {token_for('acd', Role.INGEST)}"),)
    with channel, pytest.raises(grpc.RpcError) as caught:
        call(iter([good.SerializeToString(), spliced(bad)]), metadata=metadata, timeout=10)
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert field_violations(caught.value) == ["events[0].event_id"]
    assert "stream message 1" in (caught.value.details() or "")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM call_events")).scalar_one() == 1


def test_bytes_that_are_no_message_at_all_are_invalid_argument(
    services: Any, address: Callable[[str], str], token_for: Callable[..., str]
) -> None:
    channel, call = raw_method(address("appraisal"), "/ccperf.org.v1.OrgService/UpsertOrgUnits")
    metadata = (("authorization", f"Bearer {token_for('hris', Role.HRIS)}"),)
    with channel, pytest.raises(grpc.RpcError) as caught:
        call(b"\x0a\xff\xff\xff\xff\x0f", metadata=metadata, timeout=10)  # length past the end
    assert caught.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert field_violations(caught.value) == ["request"]
