"""Structured logging: structlog events with keys, JSON when not on a TTY.

Request-scoped keys (method, request id, caller) are bound with
``structlog.contextvars.bound_contextvars`` inside each wrapped RPC, so they
reset after every call instead of leaking between calls on a pooled thread.

Logs never carry personal data. A traceback is logged as frames (file, line,
function) without their local variables, which held raw request bytes and SQL
parameters; and an exception's text is scrubbed of the values it quotes (a COPY
error quotes the refused row, a unique violation the key): see ``scrub``.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any, TextIO

import structlog
from structlog.tracebacks import ExceptionDictTransformer
from structlog.typing import EventDict, WrappedLogger

_FRAMES_ONLY = ExceptionDictTransformer(show_locals=False, use_rich=False)

_VALUE_LINE = re.compile(r"^\s*(DETAIL|CONTEXT|HINT|WHERE|LINE \d+):.*$", re.MULTILINE)
_PARAMETERS = re.compile(r"\[parameters: .*?\]\n?", re.DOTALL)
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_KEY_VALUES = re.compile(r"=\([^)]*\)")
_LONG_NUMBER = re.compile(r"\d{6,}")


def scrub(text: str) -> str:
    """An error text without the values it quotes: what it says, not what it was given.

    Drops Postgres' DETAIL/CONTEXT/HINT lines (the refused row, the key), SQLAlchemy's
    parameter list, quoted literals, ``=(…)`` key values and long digit runs (caller
    numbers); keeps the error's class of problem and the SQL statement's shape.
    """
    text = _PARAMETERS.sub("", text)
    text = _VALUE_LINE.sub("", text)
    text = _QUOTED.sub("'…'", text)
    text = _KEY_VALUES.sub("=(…)", text)
    text = _LONG_NUMBER.sub("…", text)
    return "\n".join(line for line in text.splitlines() if line.strip())


def scrubbed_exception(_logger: WrappedLogger, _name: str, event: EventDict) -> EventDict:
    """``exc_info`` as frames without locals, each exception's text scrubbed."""
    exc_info = event.pop("exc_info", None)
    if not exc_info:
        return event
    if exc_info is True:
        exc_info = sys.exc_info()
    elif isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if not isinstance(exc_info, tuple) or exc_info[0] is None:
        return event
    chain = _FRAMES_ONLY(exc_info)
    for entry in chain:
        entry["exc_value"] = scrub(str(entry.get("exc_value", "")))
    event["exception"] = chain
    return event


def _exception_text(_logger: WrappedLogger, _name: str, event: EventDict) -> EventDict:
    """For the console: the scrubbed chain as a readable traceback."""
    chain = event.get("exception")
    if isinstance(chain, list):
        lines = []
        for entry in reversed(chain):  # the cause first, as Python prints it
            lines.append("Traceback (most recent call last):")
            for frame in entry.get("frames", []):
                lines.append(
                    f'  File "{frame["filename"]}", line {frame["lineno"]}, in {frame["name"]}'
                )
            lines.append(f"{entry['exc_type']}: {entry['exc_value']}")
        event["exception"] = "\n".join(lines)
    return event


def configure_logging(
    log_format: str = "auto",
    level: str = "info",
    *,
    cache: bool = True,
    stream: TextIO | None = None,
) -> None:
    """Configure structlog and the stdlib root logger (alembic, grpc) the same way."""
    stream = stream or sys.stderr
    json_output = log_format == "json" or (log_format == "auto" and not stream.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        scrubbed_exception,
    ]
    renderer: Any
    if json_output:
        renderer = structlog.processors.JSONRenderer()
    else:
        shared.append(_exception_text)
        renderer = structlog.dev.ConsoleRenderer()
    numeric_level = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    structlog.configure(
        processors=[*shared, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(numeric_level),
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        cache_logger_on_first_use=cache,  # tests turn it off so capture_logs() works
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
            foreign_pre_chain=shared,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(max(numeric_level, logging.INFO))


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
