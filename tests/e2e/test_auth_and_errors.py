"""Every caller gets a clear status: no token, bad token, wrong role, bad fields, not found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import grpc
import jwt
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from ccperf.common.v1 import common_pb2
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from services.common.auth import Role
from tests.support.org_messages import employee, small_org

Stub = Callable[..., org_pb2_grpc.OrgServiceStub]


def field_violations(err: grpc.RpcError) -> dict[str, str]:
    status = rpc_status.from_call(err)  # type: ignore[arg-type]
    assert status is not None, "INVALID_ARGUMENT must carry google.rpc.Status details"
    violations: dict[str, str] = {}
    for detail in status.details:
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            violations.update({v.field: v.description for v in bad_request.field_violations})
    return violations


def call_status(fn: Callable[[], object]) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as err:
        fn()
    return err.value.code()


def raw_stub(address: Callable[[str], str], authorization: str | None) -> Callable[[], object]:
    def call() -> object:
        with grpc.insecure_channel(address("appraisal")) as channel:
            stub = org_pb2_grpc.OrgServiceStub(channel)
            metadata = [("authorization", authorization)] if authorization is not None else []
            return stub.GetCalendarYear(
                org_pb2.GetCalendarYearRequest(year=2026), metadata=metadata
            )

    return call


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Basic dXNlcjpwYXNz",
        "Bearer ",
        "Bearer not-a-jwt",
        "Bearer "
        + jwt.encode({"sub": "x", "roles": ["hr"]}, "wrong-secret-wrong-secret-32-bytes!"),
    ],
    ids=["missing", "empty", "basic", "empty-bearer", "garbage", "unsigned-claims"],
)
def test_missing_or_malformed_token_is_unauthenticated(
    address: Callable[[str], str], authorization: str | None
) -> None:
    assert call_status(raw_stub(address, authorization)) is grpc.StatusCode.UNAUTHENTICATED


def test_bad_signature_is_unauthenticated(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> None:
    forged = token_for("hr1", Role.HR, secret="another-secret-of-enough-length-xx")
    assert call_status(raw_stub(address, f"Bearer {forged}")) is grpc.StatusCode.UNAUTHENTICATED


def test_expired_token_is_unauthenticated(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> None:
    expired = token_for(
        "hr1",
        Role.HR,
        now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2),
        ttl=dt.timedelta(hours=1),
    )
    assert call_status(raw_stub(address, f"Bearer {expired}")) is grpc.StatusCode.UNAUTHENTICATED


def test_valid_token_is_accepted(
    address: Callable[[str], str], token_for: Callable[..., str]
) -> None:
    reply = raw_stub(address, f"Bearer {token_for('agent7', Role.EMPLOYEE)}")()
    assert reply.year == 2026  # type: ignore[attr-defined]


def test_wrong_role_is_permission_denied(org_stub: Stub) -> None:
    payroll = org_stub("payroll-system", Role.PAYROLL)
    request = org_pb2.UpsertOrgUnitsRequest(org_units=small_org())
    assert call_status(lambda: payroll.UpsertOrgUnits(request)) is grpc.StatusCode.PERMISSION_DENIED


def test_employee_cannot_read_another_employee(org_stub: Stub) -> None:
    hris = org_stub()
    hris.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
    hris.UpsertEmployees(
        org_pb2.UpsertEmployeesRequest(employees=[employee("E1"), employee("E2", supervisor="E1")])
    )
    agent = org_stub("E2", Role.EMPLOYEE)
    assert agent.GetEmployee(org_pb2.GetEmployeeRequest(id="E2")).employee.id == "E2"
    denied = call_status(lambda: agent.GetEmployee(org_pb2.GetEmployeeRequest(id="E1")))
    assert denied is grpc.StatusCode.PERMISSION_DENIED
    supervisor = org_stub("E1", Role.SUPERVISOR)
    assert (
        supervisor.GetEmployee(org_pb2.GetEmployeeRequest(id="E2")).employee.supervisor_id == "E1"
    )


def test_bad_fields_are_invalid_argument_naming_each_field(org_stub: Stub) -> None:
    hris = org_stub()
    hris.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
    good = employee("E1")
    no_name = employee("E2")
    no_name.name = ""
    bad_date = employee("E3")
    bad_date.hire_date.month = 13
    unknown_unit = employee("E4", org_unit="NOPE")
    with pytest.raises(grpc.RpcError) as err:
        hris.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=[good, no_name, bad_date]))
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    violations = field_violations(err.value)
    assert violations["employees[1].name"] == "is required"
    assert "not a valid date" in violations["employees[2].hire_date"]
    assert "employees[0].name" not in violations

    with pytest.raises(grpc.RpcError) as err:
        hris.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=[good, unknown_unit]))
    assert field_violations(err.value) == {"employees[1].org_unit_id": "unknown org unit 'NOPE'"}


def test_a_rejected_call_changes_nothing(org_stub: Stub) -> None:
    hris = org_stub("hr1", Role.HR)
    hris.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
    batch = [employee(f"E{i}") for i in range(50)] + [employee("BAD", supervisor="GHOST")]
    with pytest.raises(grpc.RpcError) as err:
        hris.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=batch))
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    listed = hris.ListEmployees(org_pb2.ListEmployeesRequest(page_size=1000))
    assert list(listed.employees) == []


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (org_pb2.CheckEligibilityRequest(employee_id="E1"), "period.value"),
        (
            org_pb2.CheckEligibilityRequest(
                employee_id="E1", period=common_pb2.Period(value="2026-13")
            ),
            "period.value",
        ),
        (
            org_pb2.CheckEligibilityRequest(
                employee_id="E1", period=common_pb2.Period(value="2026-10-07")
            ),
            "period",
        ),
        (org_pb2.CheckEligibilityRequest(period=common_pb2.Period(value="2026-10")), "employee_id"),
    ],
    ids=["missing-period", "bad-month", "day-period", "missing-employee"],
)
def test_eligibility_request_validation(
    org_stub: Stub, request_: org_pb2.CheckEligibilityRequest, field: str
) -> None:
    hr = org_stub("hr1", Role.HR)
    with pytest.raises(grpc.RpcError) as err:
        hr.CheckEligibility(request_)
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert field in field_violations(err.value)


def test_unknown_employee_is_not_found(org_stub: Stub) -> None:
    hr = org_stub("hr1", Role.HR)
    status = call_status(lambda: hr.GetEmployee(org_pb2.GetEmployeeRequest(id="NOBODY")))
    assert status is grpc.StatusCode.NOT_FOUND


def test_stale_etag_is_aborted(org_stub: Stub) -> None:
    hris = org_stub()
    hris.UpsertOrgUnits(org_pb2.UpsertOrgUnitsRequest(org_units=small_org()))
    hris.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=[employee("E1")]))
    read = hris.GetEmployee(org_pb2.GetEmployeeRequest(id="E1")).employee
    renamed = employee("E1")
    renamed.name, renamed.etag = "new name", read.etag
    hris.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=[renamed]))
    again = employee("E1")
    again.name, again.etag = "newer name", read.etag  # the etag read before the rename
    status = call_status(
        lambda: hris.UpsertEmployees(org_pb2.UpsertEmployeesRequest(employees=[again]))
    )
    assert status is grpc.StatusCode.ABORTED
    assert hris.GetEmployee(org_pb2.GetEmployeeRequest(id="E1")).employee.name == "new name"
