"""Shared by the benchmarks: a throwaway migrated Postgres database and quiet logs."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command
from sqlalchemy import text

from services.cli import alembic_config
from services.common.db import make_engine
from services.common.log import configure_logging
from services.common.settings import normalise_database_url

SERVER = normalise_database_url(
    os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
)


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A fresh database migrated to head; dropped afterwards. Per-call logs are silenced."""
    configure_logging("json", os.environ.get("BENCH_LOG_LEVEL", "warning"))
    admin = make_engine(SERVER, pool_size=1).execution_options(isolation_level="AUTOCOMMIT")
    name = f"ccperf_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        command.upgrade(alembic_config(url), "head")  # type: ignore[arg-type]
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
