"""`make demo`'s flow and the operator CLI, run as a user would run them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from services.cli import main
from services.common.auth import Role, TokenVerifier
from services.common.settings import DEV_JWT_SECRET


def run_cli(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_demo_runs_end_to_end_on_embedded_sqlite(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/demo.db", "CCPERF_ENV": "dev"}
    first = run_cli("demo", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    out = first.stdout
    for service in ("metrics", "appraisal", "payroll"):
        assert re.search(rf"{service}\s+stopped on SIGTERM, exit code 0", out)
    assert "ccperf.org.v1.OrgService" in out
    assert "employees: 42 created, 0 updated, 0 unchanged" in out
    assert "2026-10 data due (3rd working day of next month): 2026-11-04" in out
    assert "36 of 42 employees are appraised" in out
    # The demo is idempotent: a second run over the same database changes nothing.
    second = run_cli("demo", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "employees: 0 created, 0 updated, 42 unchanged" in second.stdout


def test_migrate_creates_the_schema_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    result = CliRunner().invoke(main, ["migrate", "--check"], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert "database at revision head" in result.output
    assert (tmp_path / "cli.db").stat().st_size > 0


def test_token_command_mints_a_verifiable_token() -> None:
    result = CliRunner().invoke(
        main, ["token", "--sub", "hris", "--roles", "hris,hr"], env={"CCPERF_ENV": "dev"}
    )
    assert result.exit_code == 0, result.output
    principal = TokenVerifier(secret=DEV_JWT_SECRET).verify(result.output.strip())
    assert principal.subject == "hris"
    assert principal.roles == {Role.HRIS, Role.HR}


@pytest.mark.parametrize("roles", ["root", "hr,,nobody"])
def test_token_command_rejects_unknown_roles(roles: str) -> None:
    result = CliRunner().invoke(main, ["token", "--sub", "x", "--roles", roles])
    assert result.exit_code != 0
    assert "roles are" in result.output


def test_serve_refuses_to_start_in_production_without_a_key() -> None:
    result = run_cli("serve", "metrics", env={"CCPERF_ENV": "prod"}, timeout=30)
    assert result.returncode != 0
    assert "CCPERF_JWT_PUBLIC_KEY" in result.stderr
