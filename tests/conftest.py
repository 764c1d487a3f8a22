"""Test fixtures: a throwaway Postgres database per run, built by Alembic.

The database tests run against ``TEST_DATABASE_URL`` (or ``DATABASE_URL`` when
it is Postgres, or the local server at 127.0.0.1:5432). Each run creates a fresh
``ccperf_test_<random>`` database and drops it at the end. With ``CI=true`` a
missing Postgres fails the run instead of skipping the database tests.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from alembic import command
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import sessionmaker

from services.cli import alembic_config
from services.common.auth import Role, mint_token
from services.common.db import UnitOfWork, make_engine
from services.common.log import configure_logging
from services.common.settings import DEV_JWT_SECRET, normalise_database_url
from services.schema import metadata

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# Hypothesis' timing checks measure the machine, not the code: on 2 cores shared with
# Postgres and servers, one input once took 1.2 s to draw and failed a unit test. Speed
# lives in bench/; the checks on the strategies themselves (filtering, size) stay on.
settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-machine")


def _server_url() -> str:
    for name in ("TEST_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql")):
            return normalise_database_url(url)
    return DEFAULT_POSTGRES


def pytest_configure(config: pytest.Config) -> None:
    # Servers running inside the test process log to the real stderr (bound now), so their
    # lines never mix into what a CLI under test prints on stdout.
    configure_logging("console", "info", cache=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/integration/" in str(item.path) or "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.db)


class ThrowawayDatabases:
    """Creates databases on the test server and drops them at the end of the run."""

    def __init__(self, server_url: str) -> None:
        self.server_url = make_url(server_url)
        self.admin = make_engine(server_url, pool_size=1).execution_options(
            isolation_level="AUTOCOMMIT"
        )
        self.created: list[str] = []

    def create(self, prefix: str = "ccperf_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def databases() -> Iterator[ThrowawayDatabases]:
    server = _server_url()
    try:
        dbs = ThrowawayDatabases(server)
        with dbs.admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        message = f"Postgres is not reachable at {make_url(server).render_as_string()}: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def database_url(databases: ThrowawayDatabases) -> str:
    """A fresh database migrated to head by Alembic, shared by the run."""
    url = databases.create()
    command.upgrade(alembic_config(url), "head")  # type: ignore[arg-type]
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url, pool_size=5)
    yield eng
    eng.dispose()


@pytest.fixture
def uow_factory(engine: Engine) -> Iterator[Callable[[], UnitOfWork]]:
    """Units of work inside one outer transaction that is rolled back after the test.

    ``uow.commit()`` releases a savepoint, so application code runs unchanged and
    the test still leaves nothing behind.
    """
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield lambda: UnitOfWork(factory)
    outer.rollback()
    connection.close()


@pytest.fixture
def clean_tables(engine: Engine) -> Iterator[None]:
    """For tests whose servers commit for real: empty every table afterwards."""
    yield
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        # The audit tables refuse TRUNCATE (migration 0008); in the replica role, which only
        # a superuser may take, the database skips ordinary triggers for this transaction.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


@pytest.fixture
def token_for() -> Callable[..., str]:
    """Mint a dev token: ``token_for("hris", Role.HRIS)``."""

    def mint(subject: str, *roles: Role, secret: str = DEV_JWT_SECRET, **kwargs: object) -> str:
        return mint_token(secret=secret, subject=subject, roles=roles, **kwargs)  # type: ignore[arg-type]

    return mint
