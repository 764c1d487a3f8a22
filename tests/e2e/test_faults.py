"""Faults (issue #7): a server killed mid-import, Postgres restarted under load, the
payroll server killed mid-freeze. Real processes, real clients; every wait polls a
condition with a deadline, and nothing asserts on how fast anything is."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.support.polling import wait_until
from tests.support.processes import free_port, serve

IMPORT_EVENTS = 200_000  # the figure
IMPORT_BATCH = 2_000
BATCHES_PER_CALL = 5
SEGMENT = IMPORT_BATCH * BATCHES_PER_CALL  # the server acknowledges every 10,000 events
KILL_AFTER = 50_000  # stored events before the kill: several acknowledgements in


def write_calls_csv(path: Path, count: int) -> None:
    """``count`` answered calls over October 2026, one per line (fast: plain string joins)."""
    start = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)  # written without the offset
    lines = ["call_id,queue,channel,agent_id,caller_key,offered_at,answered_at,ended_at,"
             "wait_seconds,talk_seconds,hold_seconds,acw_seconds,outcome,"
             "first_contact_resolved"]  # fmt: skip
    for i in range(count):
        offered = start + dt.timedelta(seconds=11 * i)  # 200k calls span 25 days
        answered = offered + dt.timedelta(seconds=15)
        ended = answered + dt.timedelta(seconds=200)
        lines.append(f"F{i:07d},billing,phone,E{1000 + i % 50},138{i % 10**8:08d},"
                     f"{offered:%Y-%m-%d %H:%M:%S},{answered:%Y-%m-%d %H:%M:%S},"
                     f"{ended:%Y-%m-%d %H:%M:%S},15,200,0,20,answered,yes")  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def mid_segment(stored: int) -> bool:
    return stored >= KILL_AFTER and stored % SEGMENT != 0


def stored_calls(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT count(*), count(DISTINCT (source, event_id)) FROM call_events")
        ).one()
    return int(row[0]), int(row[1])


@pytest.mark.usefixtures("clean_tables")
def test_an_import_resumes_after_the_metrics_server_is_killed_and_restarted(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    csv_path = tmp_path / "calls.csv"
    write_calls_csv(csv_path, IMPORT_EVENTS)
    port = str(free_port())  # the restarted server listens where the client connects
    out, err = tmp_path / "import.out", tmp_path / "import.err"
    with serve("metrics", database_url, tmp_path, CCPERF_METRICS_PORT=port) as first:
        with out.open("wb") as stdout, err.open("wb") as stderr:
            importer = subprocess.Popen(
                [sys.executable, "-m", "services.cli", "import", "csv", "--kind", "call",
                 str(csv_path), "--timezone", "Asia/Shanghai", "--target", first.target,
                 "--batch-size", str(IMPORT_BATCH), "--batches-per-call", str(BATCHES_PER_CALL),
                 "--retry-for", "120"],
                stdout=stdout, stderr=stderr, env={**os.environ, "CCPERF_ENV": "test"},
            )  # fmt: skip
        try:
            # Kill with several segments acknowledged and the next one partly stored: a
            # count between segment boundaries means batches of an unanswered call are
            # committed (they must come back as duplicates, not twice).
            wait_until(
                lambda: importer.poll() is not None or mid_segment(stored_calls(engine)[0]),
                timeout=300, what=f"{KILL_AFTER:,} events and part of a segment stored",
            )  # fmt: skip
            assert importer.poll() is None, out.read_text() + err.read_text()
            first.proc.kill()  # SIGKILL: no drain, no goodbye
            first.proc.wait()
            at_kill, _ = stored_calls(engine)
            assert KILL_AFTER <= at_kill < IMPORT_EVENTS
            # The client noticed (UNAVAILABLE) and is backing off before the server is back.
            wait_until(
                lambda: "resuming from event" in err.read_text(errors="replace"),
                timeout=60, what="the importer retrying",
            )  # fmt: skip
            with serve("metrics", database_url, tmp_path, CCPERF_METRICS_PORT=port):
                importer.wait(timeout=600)
        finally:
            if importer.poll() is None:
                importer.kill()
                importer.wait()

    output = out.read_text()
    assert importer.returncode == 0, output + err.read_text()
    # Every event exactly once, whatever the killed server had half-written.
    assert stored_calls(engine) == (IMPORT_EVENTS, IMPORT_EVENTS)
    # The summary adds up the acknowledged calls only, each event once. What the dead
    # server had committed of the call in flight comes back as duplicates: at least what
    # was stored past the last acknowledgement when it died, at most one segment (so the
    # import resumed from that acknowledgement, not from the start).
    counts = re.search(r"accepted: ([\d,]+)  duplicate: ([\d,]+)  rejected: 0", output)
    resumed = re.search(r"from events ([\d, ]+)\n", output)
    assert counts is not None and resumed is not None, output
    accepted, duplicate = (int(c.replace(",", "")) for c in counts.groups())
    position = int(resumed.group(1).split(", ")[-1].replace(",", ""))
    assert f"events sent: {IMPORT_EVENTS:,}" in output
    assert accepted + duplicate == IMPORT_EVENTS
    assert at_kill - SEGMENT <= position <= at_kill and position % SEGMENT == 0, output
    assert at_kill - position <= duplicate <= SEGMENT, output
    print(f"killed with {at_kill:,} stored; resumed from {position:,}; {duplicate:,} duplicates")
