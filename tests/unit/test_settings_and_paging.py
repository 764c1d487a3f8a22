from __future__ import annotations

import pytest

from services.common.errors import InvalidArgument
from services.common.pagination import MAX_PAGE_SIZE, next_page_token, parse_page
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
