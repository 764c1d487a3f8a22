"""A database outage is UNAVAILABLE (retry), whether SQLAlchemy wraps the driver's error
or a COPY path meets psycopg's own; the health probe's interval comes from the env."""

from __future__ import annotations

import sqlite3

import grpc
import psycopg
import pytest
from sqlalchemy import exc as sa_exc

from services.common.db import database_unavailable
from services.common.grpc_errors import classify
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
    assert classify(error)[0] is grpc.StatusCode.UNAVAILABLE


@pytest.mark.parametrize(
    "error", [psycopg.errors.UniqueViolation("duplicate key"), ValueError("bug")]
)
def test_other_database_errors_are_not_an_outage(error: Exception) -> None:
    assert not database_unavailable(error)


PARAMETER_LIMIT = (
    "sending query and params failed: number of parameters must be between 0 and 65535"
)


def _sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # what sqlite3 sets on the errors it raises
    return error


@pytest.mark.parametrize(
    "error",
    [
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
        psycopg.errors.CannotConnectNow("the database system is starting up"),
        psycopg.errors.TooManyConnections("sorry, too many clients already"),
        sa_exc.OperationalError("SELECT 1", {}, psycopg.errors.AdminShutdown("terminating")),
        sa_exc.DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True),
        _sqlite_error("database is locked", 5),
    ],
)
def test_an_outage_is_told_by_sqlstate_or_connection_state(error: Exception) -> None:
    assert database_unavailable(error)


# CollectKpiData with 70,000 ids: psycopg refuses to send a statement with over 65,535
# parameters, as an OperationalError without SQLSTATE on a healthy connection, and the
# call was answered "the database is unavailable; retry later" (clients retried it 5 times).
@pytest.mark.parametrize(
    "error",
    [
        psycopg.OperationalError(PARAMETER_LIMIT),
        sa_exc.OperationalError("SELECT …", {}, psycopg.OperationalError(PARAMETER_LIMIT)),
        sa_exc.OperationalError("SELECT …", {}, psycopg.errors.SyntaxError("syntax error")),
        sa_exc.OperationalError("SELECT …", {}, _sqlite_error("too many SQL variables", 1)),
        sa_exc.ProgrammingError("SELECT …", {}, psycopg.errors.UndefinedTable("no table")),
        sa_exc.TimeoutError("QueuePool limit reached"),
    ],
)
def test_a_statement_the_driver_refuses_is_not_an_outage(error: Exception) -> None:
    assert not database_unavailable(error)
    assert classify(error)[0] is not grpc.StatusCode.UNAVAILABLE


def test_the_health_probe_interval_is_a_setting() -> None:
    assert Settings.from_env({}).health_probe_seconds == 5.0
    assert Settings.from_env({"CCPERF_HEALTH_PROBE_SECONDS": "0.5"}).health_probe_seconds == 0.5
