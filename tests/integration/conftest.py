"""Integration fixtures shared by several test modules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from services.cli import alembic_config
from services.common.db import UnitOfWork, UnitOfWorkFactory, make_engine, make_session_factory


@pytest.fixture(params=["postgres", "sqlite"])
def session_factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], Session]]:
    """Sessions on the test's Postgres database (rolled back) or a fresh SQLite file."""
    if request.param == "postgres":
        uow_factory = request.getfixturevalue("uow_factory")
        yield uow_factory()._session_factory  # the savepoint-bound factory of the test
        return
    url = f"sqlite:///{tmp_path}/rollups.db"
    command.upgrade(alembic_config(url), "head")  # type: ignore[arg-type]
    engine = make_engine(url)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def own_engine(database_url: str, clean_tables: None) -> Iterator[Engine]:
    """An engine of this test's own on the test database (commits for real, unlike the
    savepoint-bound ``uow_factory``); every table is emptied after."""
    engine = make_engine(database_url, pool_size=4)
    yield engine
    engine.dispose()


@pytest.fixture
def committing(own_engine: Engine) -> UnitOfWorkFactory:
    """Units of work on ``own_engine``: for tests of concurrent writers."""
    factory = make_session_factory(own_engine)
    return lambda: UnitOfWork(factory)
