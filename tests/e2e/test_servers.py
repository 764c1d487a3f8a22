"""The three servers answer health, list their services by reflection, and grpcurl works."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

from ccperf.org.v1 import org_pb2
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from services.common.settings import SERVICES
from tests.support.org_messages import small_org

GRPCURL = shutil.which("grpcurl") or str(Path(sys.executable).parent / "grpcurl")
BASE_SERVICES = {"grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"}


def grpcurl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([GRPCURL, *args], capture_output=True, text=True, timeout=30, check=False)


@pytest.mark.parametrize("name", SERVICES)
def test_health_is_serving(address: Callable[[str], str], name: str) -> None:
    with grpc.insecure_channel(address(name)) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(), timeout=5
        )
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_health_answers_per_service_name(address: Callable[[str], str]) -> None:
    with grpc.insecure_channel(address("appraisal")) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        reply = stub.Check(health_pb2.HealthCheckRequest(service="ccperf.org.v1.OrgService"))
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        with pytest.raises(grpc.RpcError) as err:
            stub.Check(health_pb2.HealthCheckRequest(service="no.such.Service"))
    assert err.value.code() is grpc.StatusCode.NOT_FOUND


def test_reflection_lists_each_process_services(address: Callable[[str], str]) -> None:
    listed = {}
    for name in SERVICES:
        with grpc.insecure_channel(address(name)) as channel:
            listed[name] = set(ProtoReflectionDescriptorDatabase(channel).get_services())
    assert listed["metrics"] >= BASE_SERVICES
    assert listed["payroll"] == BASE_SERVICES | {"ccperf.payroll.v1.PayrollBridgeService"}
    assert listed["appraisal"] == BASE_SERVICES | {
        "ccperf.org.v1.OrgService",
        "ccperf.appraisal.v1.AppraisalService",
    }


def test_grpcurl_lists_services_by_reflection(address: Callable[[str], str]) -> None:
    result = grpcurl("-plaintext", address("appraisal"), "list")
    assert result.returncode == 0, result.stderr
    assert "ccperf.org.v1.OrgService" in result.stdout.split()


def test_grpcurl_describes_and_calls_with_a_token(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> None:
    described = grpcurl("-plaintext", address("appraisal"), "describe", "ccperf.org.v1.OrgService")
    assert "rpc GetNthWorkingDay" in described.stdout

    token = token_for("hris", Role.HRIS)
    request = json.dumps({"after": {"year": 2026, "month": 10, "day": 30}, "n": 1})
    result = grpcurl(
        "-plaintext",
        "-H", f"authorization: Bearer {token}",
        "-d", request,
        address("appraisal"),
        "ccperf.org.v1.OrgService/GetNthWorkingDay",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # 2026-10-30 is a Friday: the next working day on the weekday rule is Monday 2 November.
    assert json.loads(result.stdout) == {"date": {"year": 2026, "month": 11, "day": 2}}


def test_grpcurl_without_a_token_is_unauthenticated(address: Callable[[str], str]) -> None:
    result = grpcurl(
        "-plaintext", "-d", '{"year": 2026}', address("appraisal"),
        "ccperf.org.v1.OrgService/GetCalendarYear",
    )  # fmt: skip
    assert result.returncode != 0
    assert "Code: Unauthenticated" in result.stdout + result.stderr


def test_request_id_is_echoed(address: Callable[[str], str], token_for: Callable[..., str]) -> None:
    with authorized_channel(address("appraisal"), token_for("hris", Role.HRIS)) as channel:
        call = channel.unary_unary(
            "/ccperf.org.v1.OrgService/UpsertOrgUnits",
            request_serializer=org_pb2.UpsertOrgUnitsRequest.SerializeToString,
            response_deserializer=org_pb2.UpsertOrgUnitsResponse.FromString,
        )
        reply, rpc = call.with_call(
            org_pb2.UpsertOrgUnitsRequest(org_units=small_org()),
            metadata=(("x-request-id", "req-42"),),
        )
    assert reply.created == 3
    assert ("x-request-id", "req-42") in rpc.initial_metadata()
