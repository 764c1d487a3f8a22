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


def test_csv_import_of_every_kind_goes_through_ingestion(
    address: Callable[[str], str], engine: Engine
) -> None:
    for path in sorted((DATA / "csv").glob("*.csv")):
        kind = path.stem
        result = CliRunner().invoke(
            main,
            ["import", "csv", "--kind", kind, str(path), "--timezone", "Asia/Shanghai",
             "--target", address("metrics")],
        )  # fmt: skip
        assert result.exit_code == 0, f"{kind}: {result.output}"
        assert "rejected: 0" in result.output, f"{kind}: {result.output}"
    with engine.connect() as conn:
        stored = {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("call_events", "survey_events", "hr_fact_events", "finance_fact_events")
        }
    assert all(count > 0 for count in stored.values()), stored


def test_csv_with_an_unknown_column_is_refused(
    tmp_path: Path, address: Callable[[str], str]
) -> None:
    bad = tmp_path / "calls.csv"
    bad.write_text("call_id,queue,colour\nC1,billing,red\n")
    result = CliRunner().invoke(
        main, ["import", "csv", "--kind", "call", str(bad), "--target", address("metrics")]
    )
    assert result.exit_code == 1
    assert "colour" in result.output
