"""The shared ORM base, engine construction and the unit of work.

One ``Base.metadata`` holds the whole shared schema; ``services.schema`` imports
every model module so Alembic and tests see all tables. Engines are built at
start-up (never at import) from ``Settings``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Annotated, Any, Self

from sqlalchemy import (
    DateTime,
    Dialect,
    Engine,
    Enum,
    MetaData,
    Numeric,
    String,
    TypeDecorator,
    create_engine,
    event,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Reusable column types, so the same thing has the same type in every table.
HrisKey = Annotated[str, mapped_column(String(64))]
"""A key assigned by an upstream system (HRIS employee number, org unit code, leave id)."""
Name = Annotated[str, mapped_column(String(200))]
Timestamp = Annotated[dt.datetime, mapped_column(DateTime(timezone=True))]


def text_enum(enum_type: type[Any], name: str) -> Enum:
    """A StrEnum column stored as its values in text with a CHECK constraint.

    Portable, and adding a value is an easy migration (no native enum type).
    """
    return Enum(
        enum_type,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored digit for digit: unconstrained NUMERIC on Postgres, text on SQLite.

    Postgres keeps a NUMERIC without precision exactly as written ("65.50"
    stays "65.50", "2.0" stays "2.0"), so what one backend returns the other
    does too; SQLite's NUMERIC is a binary float, hence text there. Callers
    bound the digits (``protoconv.read_decimal``) and round where documented.
    """

    impl = Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(48))
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads this class attribute)
        str: String(200),
        dt.datetime: DateTime(timezone=True),
    }


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_engine(
    url: str, *, pool_size: int = 10, statement_timeout_ms: int = 30_000, pre_ping: bool = False
) -> Engine:
    """Build the engine for a URL: psycopg 3 pool for Postgres, WAL + FKs for SQLite."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        # A failed statement's values (names, amounts) stay out of its error, so out of the
        # INTERNAL error's trace in the log.
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=pre_ping,
        pool_recycle=1800,
        connect_args={"options": f"-c statement_timeout={statement_timeout_ms}"},
    )


OUTAGE_SQLSTATES = ("08", "53", "57P01", "57P02", "57P03", "57014", "40")
"""SQLSTATE prefixes that mean "not now" rather than "never": connection exceptions (08),
insufficient resources (53: too many connections, disk full), the server shutting down,
crashed or starting (57P01-57P03), a statement timeout (57014), and a transaction the
server rolled back (40: deadlock, serialization), which a retry completes."""

_DISCONNECT_WORDS = (
    "connection", "server closed", "could not send", "could not receive", "eof detected",
    "ssl syscall", "timed out", "terminating",
)  # fmt: skip
"""How libpq words a lost or refused connection when the driver has no SQLSTATE."""

_SQLITE_OUTAGES = frozenset({5, 6, 10, 13, 14, 15})
"""SQLite result codes (primary) of a database that cannot be used now: BUSY, LOCKED,
IOERR, FULL, CANTOPEN, PROTOCOL. Any other (SQLITE_ERROR: "too many SQL variables", a
syntax error) is a bug in the statement, not an outage."""


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached or dropped the connection
    (restart, failover, network), so the call may succeed if retried later.

    Decided by what the error says, never by its class alone: the driver raises the
    same OperationalError for a lost connection and for a statement it refuses to send
    (psycopg: "number of parameters must be between 0 and 65535"), and only the first
    is an outage. In order: the SQLSTATE when the server sent one (`OUTAGE_SQLSTATES`);
    the connection's state (SQLAlchemy invalidated it, or libpq reports it bad); for a
    client-side error without either, whether libpq's message is about the connection.
    SQLAlchemy wraps driver errors; the COPY paths meet psycopg's own, unwrapped.
    """
    any_error, outage_classes = _driver_errors()
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        outage_class = isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError)
        if not isinstance(exc.orig, any_error):
            return outage_class  # a driver this cannot inspect: its class is all there is
        error: BaseException = exc.orig
    elif isinstance(exc, any_error):
        error, outage_class = exc, False
    else:
        return False
    return _says_outage(error, outage_class=outage_class or isinstance(error, outage_classes))


def _says_outage(error: BaseException, *, outage_class: bool) -> bool:
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate:
        return sqlstate.startswith(OUTAGE_SQLSTATES)
    sqlite_code = getattr(error, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int):
        return sqlite_code & 0xFF in _SQLITE_OUTAGES
    pgconn = getattr(error, "pgconn", None)
    if pgconn is not None:
        return bool(pgconn.status != _CONNECTION_OK)
    if not outage_class:
        return False
    message = str(error).lower()
    return any(word in message for word in _DISCONNECT_WORDS)


_CONNECTION_OK = 0  # libpq's CONNECTION_OK (psycopg.pq.ConnStatus.OK)


@functools.cache
def _driver_errors() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """The drivers' base error classes, and the two a connection problem is raised as."""
    import sqlite3  # noqa: PLC0415

    any_error: tuple[type[BaseException], ...] = (sqlite3.Error,)
    outage: tuple[type[BaseException], ...] = (sqlite3.OperationalError, sqlite3.InterfaceError)
    try:
        import psycopg  # noqa: PLC0415 (only installed with the Postgres driver)
    except ImportError:  # pragma: no cover
        return any_error, outage
    return (*any_error, psycopg.Error), (*outage, psycopg.OperationalError, psycopg.InterfaceError)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


class UnitOfWork:
    """One transaction: ``with uow: ...; uow.commit()``. Rolls back unless committed.

    Repositories and domain code never commit; the application function that owns
    the RPC does, once, at the end.
    """

    session: Session

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            # Detach first so rows read here stay readable after the transaction ends
            # (a rollback would otherwise expire them).
            self.session.expunge_all()
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()


UnitOfWorkFactory = Callable[[], UnitOfWork]
