"""Logged tracebacks carry no personal data (issue #13, point 5).

A traceback used to include every frame's local variables (raw request bytes with a
caller number and a name, SQL parameters) and the error text as the database wrote
it (a COPY error quotes the refused row). Frames are kept, locals are not, and error
texts are scrubbed of the values they quote.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from services.common.log import configure_logging, scrub

CALLER_NUMBER = "13800138000"
NAME = "张三丰"


@pytest.fixture(autouse=True)
def logging_restored() -> Iterator[None]:
    """Each test here configures logging into a stream of its own; put back the suite's."""
    config = structlog.get_config()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    structlog.configure(**config)
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def json_logs() -> io.StringIO:
    stream = io.StringIO()
    configure_logging("json", "info", cache=False, stream=stream)
    return stream


def handle(raw_request: bytes, person: str) -> None:
    parameters = {"caller": CALLER_NUMBER, "name": person}
    raise ValueError(f"could not store the row {parameters!r}")


@pytest.mark.parametrize("through", ["structlog", "stdlib"])
def test_a_logged_traceback_keeps_frames_and_drops_locals_and_quoted_values(
    json_logs: io.StringIO, through: str
) -> None:
    try:
        handle(f"\x0a\x0b{CALLER_NUMBER}{NAME}".encode(), NAME)
    except ValueError:
        if through == "structlog":
            structlog.get_logger("test").exception("rpc.internal_error")
        else:  # grpc, SQLAlchemy and alembic log through the standard library
            logging.getLogger("grpc._server").exception("Exception calling application")
    output = json_logs.getvalue()
    assert CALLER_NUMBER not in output
    assert NAME not in output
    assert "raw_request" not in output
    (event,) = [json.loads(line) for line in output.splitlines() if line]
    (exception,) = event["exception"]
    assert exception["exc_type"] == "ValueError"
    assert exception["exc_value"].startswith("could not store the row")
    assert [f["name"] for f in exception["frames"]][-1] == "handle"
    assert all(set(f) == {"filename", "lineno", "name"} for f in exception["frames"])


def test_postgres_error_texts_lose_the_row_and_the_key_but_keep_the_problem() -> None:
    copy_error = (
        "(psycopg.errors.InvalidTextRepresentation) invalid input syntax for type numeric:"
        f' "{CALLER_NUMBER}x"\nCONTEXT:  COPY finance_fact_events, line 3, column amount:'
        f' "{CALLER_NUMBER}x"\n[SQL: COPY finance_fact_events (amount) FROM STDIN]\n'
        "(Background on this error at: https://sqlalche.me/e/21/9h9h)"
    )
    unique = (
        'duplicate key value violates unique constraint "uq_employees_number"\n'
        f"DETAIL:  Key (employee_number)=({NAME}) already exists."
    )
    parameters = f"[SQL: SELECT 1 WHERE x = %(x)s]\n[parameters: {{'x': '{CALLER_NUMBER}'}}]"
    for text in (copy_error, unique, parameters):
        cleaned = scrub(text)
        assert CALLER_NUMBER not in cleaned and NAME not in cleaned, cleaned
    assert scrub(copy_error).startswith(
        "(psycopg.errors.InvalidTextRepresentation) invalid input syntax for type numeric"
    )
    assert "COPY finance_fact_events (amount) FROM STDIN" in scrub(copy_error)
    assert scrub(unique) == "duplicate key value violates unique constraint '…'"


def test_console_tracebacks_are_scrubbed_too() -> None:
    stream = io.StringIO()
    configure_logging("console", "info", cache=False, stream=stream)
    try:
        handle(CALLER_NUMBER.encode(), NAME)
    except ValueError:
        structlog.get_logger("test").exception("rpc.internal_error")
    output = stream.getvalue()
    assert "Traceback (most recent call last):" in output
    assert "in handle" in output
    assert CALLER_NUMBER not in output and NAME not in output
