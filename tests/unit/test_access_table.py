"""Every RPC a process serves has an access rule; a new RPC without one fails here."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from ccperf.appraisal.v1 import appraisal_pb2
from ccperf.metrics.v1 import metrics_pb2
from ccperf.org.v1 import org_pb2
from ccperf.payroll.v1 import payroll_pb2
from services.app import registrations
from services.common.settings import SERVICES, Settings

DESCRIPTORS = {
    "ccperf.org.v1.OrgService": org_pb2.DESCRIPTOR.services_by_name["OrgService"],
    "ccperf.metrics.v1.MetricsService": metrics_pb2.DESCRIPTOR.services_by_name["MetricsService"],
    "ccperf.appraisal.v1.AppraisalService": appraisal_pb2.DESCRIPTOR.services_by_name[
        "AppraisalService"
    ],
    "ccperf.payroll.v1.PayrollBridgeService": payroll_pb2.DESCRIPTOR.services_by_name[
        "PayrollBridgeService"
    ],
}


def _no_database() -> Session:
    raise AssertionError("building registrations must not touch the database")


@pytest.mark.parametrize("service", SERVICES)
def test_every_rpc_has_an_access_rule(service: str) -> None:
    for registration in registrations(service, _no_database, Settings.from_env({})):
        descriptor = DESCRIPTORS[registration.full_name]
        rpcs = {method.name for method in descriptor.methods}
        assert rpcs == set(registration.access), (
            f"{registration.full_name}: no rule for {rpcs - set(registration.access)}, "
            f"rules for unknown RPCs {set(registration.access) - rpcs}"
        )
        assert all(registration.access.values()), "an empty rule would deny everyone silently"
