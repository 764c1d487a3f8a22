from __future__ import annotations

import base64
from typing import Any

import pytest

from services.common.db import make_engine
from services.common.errors import InvalidArgument
from services.common.pagination import (
    MAX_PAGE_SIZE,
    date_key,
    int_key,
    next_page_token,
    parse_page,
)
from services.common.settings import DEV_JWT_SECRET, Settings, SettingsError


def test_defaults_need_nothing() -> None:
    settings = Settings.from_env({})
    assert settings.database_url.startswith("sqlite:///")
    assert dict(settings.ports) == {"metrics": 50051, "appraisal": 50052, "payroll": 50053}
    assert settings.effective_jwt_secret == DEV_JWT_SECRET


def test_environment_overrides_ports_and_normalises_postgres_urls() -> None:
    settings = Settings.from_env(
        {"CCPERF_APPRAISAL_PORT": "6000", "DATABASE_URL": "postgresql://u@db:5432/ccperf"}
    )
    assert settings.ports["appraisal"] == 6000
    assert settings.database_url == "postgresql+psycopg://u@db:5432/ccperf"
    assert settings.target("appraisal") == "127.0.0.1:6000"


def test_production_refuses_to_start_without_a_key() -> None:
    with pytest.raises(SettingsError, match="JWT"):
        Settings.from_env({"CCPERF_ENV": "prod"})
    with pytest.raises(SettingsError, match="dev JWT secret"):
        Settings.from_env({"CCPERF_ENV": "prod", "CCPERF_JWT_SECRET": DEV_JWT_SECRET})
    with pytest.raises(SettingsError, match="CCPERF_CALLER_HASH_KEY"):
        Settings.from_env({"CCPERF_ENV": "prod", "CCPERF_JWT_SECRET": "s" * 40})
    prod = {"CCPERF_ENV": "prod", "CCPERF_JWT_SECRET": "s" * 40, "CCPERF_CALLER_HASH_KEY": "k" * 32}
    assert Settings.from_env(prod).is_production


def test_bad_numbers_name_the_variable() -> None:
    with pytest.raises(SettingsError, match="CCPERF_METRICS_PORT"):
        Settings.from_env({"CCPERF_METRICS_PORT": "fifty"})


@pytest.mark.parametrize(("env", "pre_ping"), [({}, False), ({"CCPERF_DB_PRE_PING": "true"}, True)])
def test_the_pool_pings_before_use_only_when_asked(env: dict[str, str], pre_ping: bool) -> None:
    settings = Settings.from_env({"DATABASE_URL": "postgresql://u@h/db", **env})
    engine = make_engine(settings.database_url, pre_ping=settings.db_pre_ping)
    assert engine.pool._pre_ping is pre_ping
    engine.dispose()


def test_page_tokens_round_trip_and_are_bound_to_filters() -> None:
    filters = [("org_unit_id", "OPS")]
    token = next_page_token("E0042", filters)
    page = parse_page(10, token, filters)
    assert (page.size, page.after) == (10, "E0042")
    with pytest.raises(InvalidArgument, match="page_token"):
        parse_page(10, token, [("org_unit_id", "SUP")])
    with pytest.raises(InvalidArgument, match="page_token"):
        parse_page(10, "garbage!", filters)
    with pytest.raises(InvalidArgument, match="page_size"):
        parse_page(-1, "", filters)
    assert parse_page(10**6, "", filters).size == MAX_PAGE_SIZE


@pytest.mark.parametrize(
    ("key", "kind", "after"),
    [("E0042", None, "E0042"), (7, int_key, 7), ("2026-10-01", date_key, "2026-10-01")],
)
def test_a_page_key_is_converted_to_its_lists_kind(key: object, kind: Any, after: object) -> None:
    token = next_page_token(key, [])
    page = parse_page(10, token, []) if kind is None else parse_page(10, token, [], key=kind)
    assert page.after == after


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ({"x": 1}, None), (5, None), (None, None), ("E\x00", None), ("x" * 201, None),
        ("E1", int_key), (True, int_key), (-1, int_key), (2**31, int_key), (1.5, int_key),
        ("E1", date_key), (20261001, date_key), ("2026-02-30", date_key),
    ],
)  # fmt: skip
def test_a_page_key_of_another_kind_than_issued_names_the_token(key: object, kind: Any) -> None:
    """Tokens are not signed: a client can mint one with any key (issue #7)."""
    token = next_page_token(key, [])
    with pytest.raises(InvalidArgument, match="page_token: is not a token this service issued"):
        parse_page(10, token, []) if kind is None else parse_page(10, token, [], key=kind)


def test_a_deeply_nested_page_token_names_the_token() -> None:
    token = base64.urlsafe_b64encode(b"[" * 100_000 + b"]" * 100_000).decode()
    with pytest.raises(InvalidArgument, match="page_token"):
        parse_page(10, token, [])
