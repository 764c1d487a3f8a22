"""`ccperf import` streams real files through the running metrics service."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine, text

from services.cli import main

DATA = Path(__file__).resolve().parent.parent / "data"


def test_queue_log_import_is_complete_reported_and_idempotent(
    address: Callable[[str], str], engine: Engine
) -> None:
    args = [
        "import", "queue-log", str(DATA / "queue_log" / "sample.queue_log"),
        "--agent-map", str(DATA / "queue_log" / "agents.csv"),
        "--timezone", "Asia/Shanghai", "--target", address("metrics"),
    ]  # fmt: skip
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    with engine.connect() as conn:
        calls = conn.execute(text("SELECT count(*) FROM call_events")).scalar_one()
        states = conn.execute(text("SELECT count(*) FROM agent_state_events")).scalar_one()
    assert (calls, states) == (12, 12)
    assert "accepted: 24  duplicate: 0  rejected: 0" in first.output
    assert "calls without a terminal event (not imported): 1" in first.output
    assert "malformed lines: 3" in first.output

    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "accepted: 0  duplicate: 24  rejected: 0" in again.output


def test_a_bad_agent_map_is_a_usage_error(tmp_path: Path, address: Callable[[str], str]) -> None:
    bad = tmp_path / "agents.csv"
    bad.write_text("wrong,header\n")
    result = CliRunner().invoke(
        main,
        ["import", "queue-log", str(DATA / "queue_log" / "sample.queue_log"),
         "--agent-map", str(bad), "--target", address("metrics")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--agent-map" in result.output
