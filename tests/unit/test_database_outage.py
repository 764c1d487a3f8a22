"""A database outage is UNAVAILABLE (retry), whether SQLAlchemy wraps the driver's error
or a COPY path meets psycopg's own; the health probe's interval comes from the env."""

from __future__ import annotations

import grpc
import psycopg
import pytest
from sqlalchemy import exc as sa_exc

from services.common.db import database_unavailable
from services.common.grpc_server import _classify
from services.common.settings import Settings


@pytest.mark.parametrize(
    "error",
    [
        sa_exc.OperationalError("SELECT 1", {}, Exception("server closed the connection")),
        sa_exc.InterfaceError("SELECT 1", {}, Exception("connection already closed")),
        psycopg.OperationalError("consuming input failed: server closed the connection"),
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.InterfaceError("the connection is closed"),
    ],
)
def test_a_lost_database_is_unavailable(error: Exception) -> None:
    assert database_unavailable(error)
    assert _classify(error)[0] is grpc.StatusCode.UNAVAILABLE


@pytest.mark.parametrize(
    "error", [psycopg.errors.UniqueViolation("duplicate key"), ValueError("bug")]
)
def test_other_database_errors_are_not_an_outage(error: Exception) -> None:
    assert not database_unavailable(error)


def test_the_health_probe_interval_is_a_setting() -> None:
    assert Settings.from_env({}).health_probe_seconds == 5.0
    assert Settings.from_env({"CCPERF_HEALTH_PROBE_SECONDS": "0.5"}).health_probe_seconds == 0.5
