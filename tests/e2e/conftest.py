"""End-to-end fixtures: the real servers (production interceptors) on free loopback ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc
import pytest
from sqlalchemy import Engine

from ccperf.metrics.v1 import metrics_pb2_grpc
from ccperf.org.v1 import org_pb2_grpc
from services.app import Process, start_services
from services.common.auth import Role
from services.common.grpc_client import authorized_channel
from services.common.settings import SERVICES, Settings


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings.from_env({"DATABASE_URL": database_url, "CCPERF_ENV": "test"})


@pytest.fixture
def services(settings: Settings, engine: Engine, clean_tables: None) -> Iterator[Process]:
    """All three services in this process, each on its own free port."""
    process = start_services(
        list(SERVICES), settings, ports=dict.fromkeys(SERVICES, 0), engine=engine
    )
    yield process
    for worker in process.background:  # before clean_tables truncates what it writes
        worker.stop()
    for server in process.servers:
        server.stop(grace=0)


@pytest.fixture
def address(services: Process) -> Callable[[str], str]:
    by_name = {s.name: s.address for s in services.servers}
    return by_name.__getitem__


@pytest.fixture
def org_stub(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> Iterator[Callable[..., org_pb2_grpc.OrgServiceStub]]:
    """``org_stub("hris", Role.HRIS)``: an OrgService client calling as that subject."""
    channels: list[grpc.Channel] = []

    def make(subject: str = "hris", *roles: Role) -> org_pb2_grpc.OrgServiceStub:
        channel = authorized_channel(
            address("appraisal"), token_for(subject, *(roles or (Role.HRIS,)))
        )
        channels.append(channel)
        return org_pb2_grpc.OrgServiceStub(channel)

    yield make
    for channel in channels:
        channel.close()


@pytest.fixture
def metrics_as(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> Iterator[Callable[..., metrics_pb2_grpc.MetricsServiceStub]]:
    """``metrics_as("acd", Role.INGEST)``: a MetricsService client calling as that subject."""
    channels: list[grpc.Channel] = []

    def make(subject: str, *roles: Role) -> metrics_pb2_grpc.MetricsServiceStub:
        channel = authorized_channel(address("metrics"), token_for(subject, *roles))
        channels.append(channel)
        return metrics_pb2_grpc.MetricsServiceStub(channel)

    yield make
    for channel in channels:
        channel.close()
