"""Alembic environment for the one shared schema.

The URL comes from ``DATABASE_URL`` (or a connection handed over in
``config.attributes["connection"]`` by tests and ``ccperf migrate``). On
Postgres, a transaction-level advisory lock makes concurrent runs (two pods
starting at once) take turns, and ``lock_timeout`` keeps a migration from
queueing behind long transactions forever.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from services.common.db import make_engine
from services.common.settings import Settings
from services.schema import metadata

MIGRATION_LOCK_ID = 7_406_001  # arbitrary, fixed: the advisory lock all ccperf migrations share


def run_with(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=is_sqlite,  # SQLite can only ALTER by copying the table
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})"))
        context.run_migrations()


def database_url() -> str:
    """``ccperf migrate`` and tests set the URL on the config; plain ``alembic`` uses env."""
    return context.config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = make_engine(database_url(), pool_size=1)
    with engine.connect() as conn:
        run_with(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=database_url(),
        target_metadata=metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
