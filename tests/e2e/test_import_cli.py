"""`ccperf import` streams real files through the running metrics service."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from pathlib import Path

import grpc
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, text

from services.cli import main
from services.metrics.domain.measures import UNPLACED_LEFT_QUEUE

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
    assert first.exit_code == 3, first.output  # the sample has malformed lines
    with engine.connect() as conn:
        calls = conn.execute(text("SELECT count(*) FROM call_events")).scalar_one()
        states = conn.execute(text("SELECT count(*) FROM agent_state_events")).scalar_one()
    assert (calls, states) == (12, 12)
    assert "accepted: 24  duplicate: 0  rejected: 0" in first.output
    assert "calls without a terminal event (not imported): 1" in first.output
    assert "malformed lines: 3" in first.output
    for line in ("line 43: calltime is not a number", "line 48: bad time", "line 49: too few"):
        assert line in first.output, first.output

    again = CliRunner().invoke(main, args)
    assert again.exit_code == 3, again.output
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


def test_csv_import_reports_malformed_rows_by_line_and_imports_the_rest(
    tmp_path: Path, address: Callable[[str], str], engine: Engine
) -> None:
    header, first, second = (DATA / "csv" / "call.csv").read_bytes().splitlines()[:3]
    bad = tmp_path / "calls.csv"
    bad.write_bytes(b"\n".join([
        header,
        first,                                                     # 2
        b"C-short,billing",                                        # 3: two cells
        first.replace(b"2026-10-07 09:00:00", b"2026-13-07 09:00:00", 1).replace(
            b"1791334800.1", b"C-month", 1),                       # 4: no such month
        first.replace(b"billing", b"bill\xe9ing", 1).replace(
            b"1791334800.1", b"C-latin1", 1),                      # 5: not UTF-8
        second,                                                    # 6
    ]) + b"\n")  # fmt: skip
    result = CliRunner().invoke(
        main, ["import", "csv", "--kind", "call", str(bad), "--timezone", "Asia/Shanghai",
               "--target", address("metrics")],
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "rows read: 5" in result.output, result.output
    assert "malformed rows (not sent): 3" in result.output, result.output
    assert "line 3: has 2 cells, the header has 14" in result.output
    assert re.search(r"line 4: offered_at: .*2026-13-07", result.output), result.output
    assert "line 5: queue: not valid UTF-8" in result.output
    assert "accepted: 2  duplicate: 0  rejected: 0" in result.output
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM call_events")).scalar_one()
    assert stored == 2


CALLER_NUMBERS = re.compile(r"1[3-9][0-9]{9}")
"""Mainland mobile numbers, as the sample files' callers have."""


def test_caller_numbers_are_stored_hashed_and_never_logged(
    address: Callable[[str], str], engine: Engine, capfd: pytest.CaptureFixture[str]
) -> None:
    """No caller number in any table, in the logs or in the import's output (issue #7)."""
    queue_log = DATA / "queue_log" / "sample.queue_log"
    calls = DATA / "csv" / "call.csv"
    numbers = set(CALLER_NUMBERS.findall(queue_log.read_text() + calls.read_text()))
    assert len(numbers) >= 5, numbers
    outputs = [
        CliRunner().invoke(main, [
            "import", "queue-log", str(queue_log), "--agent-map",
            str(DATA / "queue_log" / "agents.csv"), "--timezone", "Asia/Shanghai",
            "--target", address("metrics")]),
        CliRunner().invoke(main, [
            "import", "csv", "--kind", "call", str(calls), "--timezone", "Asia/Shanghai",
            "--target", address("metrics")]),
    ]  # fmt: skip
    for result, status in zip(outputs, (3, 0), strict=True):  # the queue_log has bad lines
        assert result.exit_code == status, result.output
    with engine.connect() as conn:
        hashes = conn.execute(text("SELECT caller_hash FROM call_events")).scalars().all()
        tables = conn.execute(text(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )).scalars().all()  # fmt: skip
        dump = "\n".join(
            conn.execute(
                text(f"SELECT coalesce(string_agg(t::text, chr(10)), '') FROM \"{t}\" t")
            ).scalar_one()
            for t in tables
        )
    hashed = [h for h in hashes if h is not None]  # a call may come without a number
    assert len(hashed) > 10 and all(re.fullmatch("[0-9a-f]{40}", h) for h in hashed), hashes
    logs = capfd.readouterr()
    assert "rpc.finished" in logs.out + logs.err  # the servers' logs were captured
    for where, seen in {
        "the database": dump, "the logs": logs.out + logs.err,
        "the import's output": "".join(r.output for r in outputs),
    }.items():  # fmt: skip
        leaked = sorted(n for n in numbers if n in seen)
        assert not leaked, f"caller numbers in {where}: {leaked}"


# -- exit status (issue #13 point 14) ----------------------------------------------------


def _import_csv(path: Path, address: Callable[[str], str], *extra: str) -> Result:
    return CliRunner().invoke(
        main,
        ["import", "csv", "--kind", "call", str(path), "--timezone", "Asia/Shanghai",
         "--target", address("metrics"), *extra],
    )  # fmt: skip


CALL_HEADER = "call_id,queue,agent_id,offered_at,answered_at,ended_at,wait_seconds,outcome\n"


def test_an_import_with_only_malformed_rows_stores_nothing_and_exits_3(
    tmp_path: Path, address: Callable[[str], str], engine: Engine
) -> None:
    bad = tmp_path / "calls.csv"
    bad.write_text(CALL_HEADER + "C1,billing,,2026-13-07 09:00,,,5,abandoned\nC2,billing\n")
    result = _import_csv(bad, address)
    assert result.exit_code == 3, result.output
    assert "accepted: 0  duplicate: 0  rejected: 0" in result.output
    assert "malformed rows (not sent): 2" in result.output
    assert "exit status 3: 2 malformed rows (not sent) not sent and 0 events rejected" in (
        result.output
    )
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM call_events")).scalar_one() == 0


def test_events_the_service_rejects_make_the_import_exit_3_after_storing_the_rest(
    tmp_path: Path, address: Callable[[str], str], engine: Engine
) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text(
        CALL_HEADER
        + "C1,billing,,2026-10-07 09:00,,2026-10-07 09:00:30,30,abandoned\n"
        + "C2,billing,E1001,2026-10-07 09:01,,2026-10-07 09:03,20,answered\n"  # no answered_at
    )
    result = _import_csv(calls, address)
    assert result.exit_code == 3, result.output
    assert "accepted: 1  duplicate: 0  rejected: 1" in result.output
    assert "e.g. event #1 C2: call.answered_at" in result.output
    with engine.connect() as conn:
        assert conn.execute(text("SELECT call_id FROM call_events")).scalars().all() == ["C1"]


def test_a_clean_import_and_its_repeat_exit_0(
    tmp_path: Path, address: Callable[[str], str]
) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text(
        CALL_HEADER + "C1,billing,,2026-10-07 09:00,,2026-10-07 09:00:30,30,abandoned\n"
    )
    first, again = _import_csv(calls, address), _import_csv(calls, address)
    assert (first.exit_code, again.exit_code) == (0, 0), first.output + again.output
    assert "accepted: 0  duplicate: 1  rejected: 0" in again.output


def test_an_unreachable_service_exits_1_with_the_status_not_a_traceback(
    tmp_path: Path, address: Callable[[str], str]
) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text(
        CALL_HEADER + "C1,billing,,2026-10-07 09:00,,2026-10-07 09:00:30,30,abandoned\n"
    )
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(
        main, ["import", "csv", "--kind", "call", str(calls), "--target", f"127.0.0.1:{port}",
               "--retry-for", "0"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "UNAVAILABLE" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, grpc.RpcError)


# -- the shared calendar window (issue #13 point 13) -------------------------------------


def test_a_queue_log_from_1999_is_imported(
    tmp_path: Path, address: Callable[[str], str], engine: Engine
) -> None:
    """Every line of a February 1999 archive used to be refused ("outside 2000–2100").

    Needs the server's event validation on the same window (branch h/events)."""
    feb_1999 = 917830800  # 1999-02-01 09:00 in Shanghai
    log = tmp_path / "queue_log"
    log.write_text("".join(f"{line}\n" for line in (
        f"{feb_1999}|c1|support|NONE|ENTERQUEUE||13800138001|1",
        f"{feb_1999 + 8}|c1|support|SIP/1001|CONNECT|8|c1.1|2",
        f"{feb_1999 + 128}|c1|support|SIP/1001|COMPLETECALLER|8|120|1",
        f"{feb_1999 + 60}|c2|billing|NONE|ENTERQUEUE||13800138002|1",
        f"{feb_1999 + 95}|c2|billing|NONE|ABANDON|1|1|35",
    )))  # fmt: skip
    result = CliRunner().invoke(main, [
        "import", "queue-log", str(log), "--agent-map", str(DATA / "queue_log" / "agents.csv"),
        "--timezone", "Asia/Shanghai", "--target", address("metrics"),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "accepted: 3  duplicate: 0  rejected: 0" in result.output
    with engine.connect() as conn:
        offered = conn.execute(text("SELECT min(offered_at) FROM call_events")).scalar_one()
    assert offered.year == 1999 and offered.month == 2


# -- accepted but uncounted (issue #13 point 18) -----------------------------------------


def _uncountable_calls(tmp_path: Path) -> Path:
    calls = tmp_path / "calls.csv"
    calls.write_text(
        CALL_HEADER
        + "C1,billing,,2026-10-07 09:00,,,,abandoned\n"  # 2: no end, no wait
        + "C2,billing,,2026-10-07 09:01,,,40,abandoned\n"  # left after its wait: counted
    )
    return calls


def test_calls_no_kpi_can_count_are_sent_and_warned_about_by_line(
    tmp_path: Path, address: Callable[[str], str]
) -> None:
    result = _import_csv(_uncountable_calls(tmp_path), address)
    assert result.exit_code == 0, result.output  # accepted: a warning, not a failure
    assert "accepted: 2  duplicate: 0  rejected: 0" in result.output
    assert "warnings (sent and stored, but no KPI will count them): 1" in result.output
    assert f"line 2: {UNPLACED_LEFT_QUEUE}" in result.output


def test_the_summary_says_how_many_accepted_calls_no_kpi_counts(
    tmp_path: Path, address: Callable[[str], str]
) -> None:
    """Needs the server's uncounted_by_reason (branch h/events)."""
    result = _import_csv(_uncountable_calls(tmp_path), address)
    assert result.exit_code == 0, result.output
    assert "accepted but left out of every KPI: 1 " in result.output, result.output
    assert re.search(r"  uncounted +1  call\.ended_at", result.output), result.output
