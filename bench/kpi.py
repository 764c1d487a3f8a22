"""KPI speed: a month of 10,000,000 call events for 5,000 agents.

Loads the month straight into Postgres with ``generate_series`` (the ingestion
path has its own benchmark), then prints:
- the time to recompute the month's rollups from raw events (goal: under 60 s);
- the time to answer the month's center scorecard and the all-agents list over
  gRPC (goal: under 1 s), and, as a same-run baseline, the time of a plain
  ``SELECT count(*)`` over the month's raw calls, which any rescan would pay.
BENCH_EVENTS and BENCH_AGENTS scale it down for a quick look.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

from _support import throwaway_database
from sqlalchemy import text

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from services.app import start_services
from services.common.auth import Role, mint_token
from services.common.grpc_client import authorized_channel
from services.common.settings import Settings
from services.metrics.ingest import mark_dirty
from services.metrics.refresh import refresh_dirty

EVENTS = int(os.environ.get("BENCH_EVENTS", "10000000"))
AGENTS = int(os.environ.get("BENCH_AGENTS", "5000"))
MONTH_START = "2026-09-30 16:00:00+00"  # 1 October 00:00 in Shanghai
MONTH_SECONDS = 31 * 86400


def load(conn: object) -> None:
    execute = conn.execute  # type: ignore[attr-defined]
    execute(text("INSERT INTO org_units (id, revision, created_at, updated_at) VALUES "
                 "('CC', 1, now(), now()), ('D1', 1, now(), now())"))  # fmt: skip
    execute(text("INSERT INTO org_unit_versions (org_unit_id, valid_from, kind, name, parent_id) "
                 "VALUES ('CC', '2026-01-01', 'center', 'center', NULL), "
                 "('D1', '2026-01-01', 'department', 'dept', 'CC')"))  # fmt: skip
    execute(text(
        "INSERT INTO org_units (id, revision, created_at, updated_at) "
        "SELECT 'T' || t, 1, now(), now() FROM generate_series(0, :teams - 1) t"
    ), {"teams": AGENTS // 10})  # fmt: skip
    execute(text(
        "INSERT INTO org_unit_versions (org_unit_id, valid_from, kind, name, parent_id) "
        "SELECT 'T' || t, '2026-01-01', 'team', 'team ' || t, 'D1' "
        "FROM generate_series(0, :teams - 1) t"
    ), {"teams": AGENTS // 10})  # fmt: skip
    execute(text(
        "INSERT INTO employees (id, revision, created_at, updated_at) "
        "SELECT 'E' || lpad(a::text, 5, '0'), 1, now(), now() FROM generate_series(0, :n - 1) a"
    ), {"n": AGENTS})  # fmt: skip
    execute(text(
        "INSERT INTO employee_versions (employee_id, valid_from, name, org_unit_id, position, "
        "position_type, grade, employment_status, hire_date) "
        "SELECT 'E' || lpad(a::text, 5, '0'), '2026-01-01', 'agent ' || a, 'T' || (a / 10), "
        "'agent', 'non_management', 'S3', 'regular', '2024-01-01' "
        "FROM generate_series(0, :n - 1) a"
    ), {"n": AGENTS})  # fmt: skip
    execute(
        text(
            """
        INSERT INTO call_events (source, event_id, call_id, queue, channel, agent_id, caller_hash,
            offered_at, offered_epoch, answered_at, ended_at, wait_seconds, talk_seconds,
            hold_seconds, acw_seconds, outcome, first_contact_resolved)
        SELECT 'bench', 'C' || i, 'C' || i, 'Q' || (i % 8), 'phone',
            CASE WHEN o < 83 THEN 'E' || lpad((i % :agents)::text, 5, '0') END,
            md5((i % 400000)::text),
            t, extract(epoch FROM t),
            CASE WHEN o < 83 THEN t + make_interval(secs => i % 60) END,
            t + make_interval(secs => 300),
            i % 60, CASE WHEN o < 83 THEN 60 + i % 400 ELSE 0 END,
            CASE WHEN o < 83 THEN i % 20 ELSE 0 END, CASE WHEN o < 83 THEN i % 45 ELSE 0 END,
            CASE WHEN o < 80 THEN 'answered' WHEN o < 83 THEN 'transferred'
                 WHEN o < 97 THEN 'abandoned' ELSE 'timeout' END,
            CASE WHEN o < 83 THEN (i % 5) <> 0 END
        FROM (
            SELECT i, (i * 7919) % 100 AS o,
                   CAST(:start AS timestamptz)
                   + make_interval(secs => i::double precision * :step) AS t
            FROM generate_series(CAST(0 AS bigint), :n - 1) i
        ) g
        """
        ),
        {"n": EVENTS, "agents": AGENTS, "start": MONTH_START, "step": MONTH_SECONDS / EVENTS},
    )


def main() -> None:
    with throwaway_database() as url:
        settings = Settings.from_env(
            {
                "DATABASE_URL": url,
                "CCPERF_ENV": "test",
                "CCPERF_ROLLUP_REFRESH_SECONDS": "0",
                "CCPERF_DB_STATEMENT_TIMEOUT_MS": "900000",
            }  # the bulk load is one long statement
        )
        process = start_services(["metrics"], settings, ports={"metrics": 0})
        zone = ZoneInfo(settings.timezone)
        try:
            started = time.perf_counter()
            with process.engine.begin() as conn:
                load(conn)
            with process.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
            print(f"loaded {EVENTS:,} calls for {AGENTS:,} agents in "
                  f"{time.perf_counter() - started:.1f} s")  # fmt: skip

            days = [dt.date(2026, 10, 1) + dt.timedelta(days=d) for d in range(31)]
            with process.engine.begin() as conn:
                mark_dirty(conn, [("call", day) for day in days])
            from sqlalchemy.orm import sessionmaker  # noqa: PLC0415

            factory = sessionmaker(bind=process.engine)
            started = time.perf_counter()
            rebuilt = refresh_dirty(factory, zone, workers=2)
            recompute = time.perf_counter() - started
            print(f"recompute the month from raw events ({rebuilt} days): {recompute:.1f} s "
                  f"(goal < 60 s)")  # fmt: skip

            with process.engine.connect() as conn:
                started = time.perf_counter()
                conn.execute(text("SELECT count(*) FROM call_events")).scalar_one()
                rescan = time.perf_counter() - started
            token = mint_token(secret=settings.effective_jwt_secret or "", subject="b",
                               roles=[Role.HR])  # fmt: skip
            with authorized_channel(process.servers[0].address, token) as channel:
                stub = metrics_pb2_grpc.MetricsServiceStub(channel)  # type: ignore[no-untyped-call]
                october = common_pb2.Period(value="2026-10")
                started = time.perf_counter()
                center = stub.GetScorecard(metrics_pb2.GetScorecardRequest(
                    subject=metrics_pb2.Subject(level=metrics_pb2.SUBJECT_LEVEL_CENTER),
                    period=october))  # fmt: skip
                center_seconds = time.perf_counter() - started
                started = time.perf_counter()
                listed, request = (
                    0,
                    metrics_pb2.ListKpiValuesRequest(
                        level=metrics_pb2.SUBJECT_LEVEL_AGENT, period=october, page_size=1000
                    ),
                )
                while True:
                    reply = stub.ListKpiValues(request)
                    listed += len(reply.values)
                    if not reply.next_page_token:
                        break
                    request.page_token = reply.next_page_token
                agents_seconds = time.perf_counter() - started
        finally:
            process.stop(grace=0)
    print(f"center scorecard, month: {center_seconds * 1000:.0f} ms ({len(center.values)} KPIs)")
    print(f"all-agents scorecard, month: {agents_seconds * 1000:.0f} ms ({listed:,} values)")
    print(
        f"goal: each under 1 s; baseline rescan of raw calls (count only): {rescan * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
