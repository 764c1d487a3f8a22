"""All three services as separate processes on Postgres, configured only by environment
variables (as the Kubernetes manifests configure them), driven with grpcurl and scraped
by Prometheus' text format."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest

from services.common.auth import Role
from services.common.settings import SERVICES
from tests.e2e.test_servers import grpcurl
from tests.support.processes import ServerProcess, free_port, serve


@pytest.mark.usefixtures("clean_tables")
def test_three_processes_serve_health_reflection_calls_and_metrics(
    database_url: str, tmp_path: Path, token_for: Callable[..., str]
) -> None:
    prometheus = {name: free_port() for name in SERVICES}
    with ExitStack() as stack:
        servers: dict[str, ServerProcess] = {}
        for name in SERVICES:
            # Each process finds the others only through the environment, as in the manifests.
            peers = {f"CCPERF_{peer.upper()}_TARGET": s.target for peer, s in servers.items()}
            servers[name] = stack.enter_context(
                serve(name, database_url, tmp_path, CCPERF_PROMETHEUS_PORT=str(prometheus[name]),
                      **peers)
            )  # fmt: skip
        assert len({s.proc.pid for s in servers.values()}) == 3

        for name, server in servers.items():
            health = grpcurl("-plaintext", server.target, "grpc.health.v1.Health/Check")
            assert health.returncode == 0, health.stderr
            assert json.loads(health.stdout) == {"status": "SERVING"}, name
            listed = grpcurl("-plaintext", server.target, "list").stdout.split()
            assert "grpc.health.v1.Health" in listed

        token = token_for("hris", Role.HRIS)
        call = grpcurl(
            "-plaintext", "-H", f"authorization: Bearer {token}", "-d", '{"year": 2026}',
            servers["appraisal"].target, "ccperf.org.v1.OrgService/GetCalendarYear",
        )  # fmt: skip
        assert call.returncode == 0, call.stderr
        assert json.loads(call.stdout) == {"year": 2026, "working_days": 261}, call.stdout
        catalog = grpcurl(
            "-plaintext", "-H", f"authorization: Bearer {token}", "-d", '{"page_size": 500}',
            servers["metrics"].target, "ccperf.metrics.v1.MetricsService/ListKpiDefinitions",
        )  # fmt: skip
        assert catalog.returncode == 0, catalog.stderr
        codes = {d["code"] for d in json.loads(catalog.stdout)["definitions"]}
        assert {"service_level", "aht", "fcr"} <= codes
        # payroll → appraisal across processes: no cycle for the month, so nothing to pay.
        hr = token_for("H1", Role.HR)
        computed = grpcurl(
            "-plaintext", "-H", f"authorization: Bearer {hr}", "-d",
            '{"period": {"value": "2026-10"}}', servers["payroll"].target,
            "ccperf.payroll.v1.PayrollBridgeService/ComputePeriod",
        )  # fmt: skip
        assert computed.returncode == 0, computed.stderr
        assert json.loads(computed.stdout) == {"period": {"value": "2026-10"}}

        scraped = (
            urllib.request.urlopen(f"http://127.0.0.1:{prometheus['appraisal']}/metrics", timeout=5)
            .read()
            .decode()
        )
        assert (
            'ccperf_rpc_requests_total{code="OK",method="/ccperf.org.v1.OrgService/GetCalendarYear",'
            'service="appraisal"} 1.0'
        ) in scraped
        assert 'ccperf_db_pool_connections{service="appraisal",state="checked_out"}' in scraped
