"""Every RPC the processes serve, called generically, and the state a rejected call must not touch.

Shared by the fuzz and access-matrix tests. The RPC list comes from what each process
registers (``services.app.registrations``) and the proto descriptors of those services,
so a new service or RPC is picked up without editing the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import grpc
from google.protobuf import descriptor_pool
from google.protobuf.descriptor import MethodDescriptor
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ccperf.appraisal.v1 import appraisal_pb2, appraisal_pb2_grpc
from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import metrics_pb2, metrics_pb2_grpc
from ccperf.org.v1 import org_pb2, org_pb2_grpc
from ccperf.payroll.v1 import payroll_pb2, payroll_pb2_grpc
from services.app import Process, registrations, start_services
from services.common.auth import Role, mint_token
from services.common.db import UnitOfWork, make_session_factory
from services.common.grpc_client import authorized_channel
from services.common.settings import DEV_JWT_SECRET, SERVICES, Settings
from services.schema import metadata
from tests.support.appraisal_flow import non_management_targets
from tests.support.appraisal_records import filed
from tests.support.metrics_events import T0, answered_call
from tests.support.org_messages import date, employee, small_org, unit

ALL_ROLES: tuple[Role, ...] = tuple(Role)

# --- the RPC catalog --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rpc:
    """One RPC as a process serves it, with the roles its access rule allows."""

    process: str  # the process (settings.SERVICES name) that serves it
    service: str  # e.g. "ccperf.org.v1.OrgService"
    method: MethodDescriptor
    rule: frozenset[Role] | None  # None: the registration has no rule for it

    @property
    def name(self) -> str:
        return str(self.method.name)

    @property
    def path(self) -> str:
        return f"/{self.service}/{self.name}"

    @property
    def id(self) -> str:
        return f"{self.service.rsplit('.', 1)[-1]}.{self.name}"

    @property
    def request_class(self) -> type[Message]:
        return GetMessageClass(self.method.input_type)

    @property
    def response_class(self) -> type[Message]:
        return GetMessageClass(self.method.output_type)

    @property
    def client_streaming(self) -> bool:
        return bool(self.method.client_streaming)

    @property
    def server_streaming(self) -> bool:
        return bool(self.method.server_streaming)


def _no_database() -> Session:
    raise AssertionError("building registrations must not touch the database")


def catalog() -> list[Rpc]:
    """Every RPC of every service of every process, in a stable order."""
    settings = Settings.from_env({})
    pool = descriptor_pool.Default()
    rpcs = []
    for process in SERVICES:
        for registration in registrations(process, _no_database, settings):
            service = pool.FindServiceByName(registration.full_name)
            for method in service.methods:
                rpcs.append(Rpc(process, registration.full_name, method,
                                registration.access.get(method.name)))  # fmt: skip
    return rpcs


# --- calling any RPC --------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    code: grpc.StatusCode
    details: str
    violations: Mapping[str, str] = field(default_factory=dict)  # BadRequest field → why
    reply: Any = None  # the response (a list of them for a server stream) when OK

    @property
    def ok(self) -> bool:
        return self.code is grpc.StatusCode.OK

    def __str__(self) -> str:
        return f"{self.code.name}: {self.details[:300]}"


@dataclass(frozen=True)
class RawRequest:
    """A request sent as these bytes: what the protobuf API refuses to build (a string
    field holding invalid UTF-8, say). ``shown`` says what it is, for failure messages."""

    data: bytes
    shown: str


def _serialize(request: Message | RawRequest) -> bytes:
    return request.data if isinstance(request, RawRequest) else request.SerializeToString()


def invoke(
    channel: grpc.Channel,
    rpc: Rpc,
    request: Message | RawRequest | Sequence[Message | RawRequest],
    authorization: str | None,
    timeout: float = 60.0,
) -> Outcome:
    """Call ``rpc`` with raw ``authorization`` metadata (None: none sent).

    A client-streaming RPC takes a sequence of requests; a server-streaming RPC's
    answers are read to the end, so an error after the first message counts too.
    """
    metadata = () if authorization is None else (("authorization", authorization),)
    serialize = _serialize
    deserialize = rpc.response_class.FromString
    reply: Any
    try:
        if rpc.client_streaming:
            requests = list(request) if isinstance(request, Sequence) else [request]
            reply = channel.stream_unary(
                rpc.path, request_serializer=serialize, response_deserializer=deserialize
            )(iter(requests), metadata=metadata, timeout=timeout)
        else:
            assert isinstance(request, Message | RawRequest)
            if rpc.server_streaming:
                reply = list(
                    channel.unary_stream(
                        rpc.path, request_serializer=serialize, response_deserializer=deserialize
                    )(request, metadata=metadata, timeout=timeout)
                )
            else:
                reply = channel.unary_unary(
                    rpc.path, request_serializer=serialize, response_deserializer=deserialize
                )(request, metadata=metadata, timeout=timeout)
    except grpc.RpcError as err:
        return Outcome(err.code(), err.details() or "", _violations(err))
    return Outcome(grpc.StatusCode.OK, "", reply=reply)


def _violations(err: grpc.RpcError) -> dict[str, str]:
    try:
        status = rpc_status.from_call(err)  # type: ignore[arg-type]
    except ValueError:  # trailers cut off in transit: the status in them is not the call's
        return {}
    found: dict[str, str] = {}
    for detail in status.details if status is not None else ():
        bad_request = error_details_pb2.BadRequest()
        if detail.Unpack(bad_request):
            found.update({v.field: v.description for v in bad_request.field_violations})
    return found


def bearer(
    subject: str,
    roles: Iterable[Role | str],
    *,
    secret: str = DEV_JWT_SECRET,
    **kwargs: Any,
) -> str:
    return "Bearer " + mint_token(secret=secret, subject=subject, roles=roles, **kwargs)


# --- what a rejected call must leave alone ----------------------------------------------------

DERIVED_TABLE_PREFIXES = ("daily_", "period_")
"""Rollups rebuilt from raw events: a cache any read may refresh. Their dirty marks
(``rollup_dirty_days``) are compared: a refused call must not leave days to rebuild."""

INGEST_TABLES = frozenset(
    t.name for t in metadata.sorted_tables if t.name.endswith("_events") or t.name == "ingest_log"
)
"""Where an event stream writes: each of its batches commits on its own (documented)."""


def state_tables() -> list[str]:
    return sorted(
        t.name for t in metadata.sorted_tables if not t.name.startswith(DERIVED_TABLE_PREFIXES)
    )


def fingerprint_query(tables: Sequence[str]) -> str:
    parts = [
        f"SELECT '{name}', count(*), "
        f"md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), '')) "
        f'FROM "{name}" x'
        for name in tables
    ]
    return " UNION ALL ".join(parts)


@dataclass
class StateProbe:
    """Row count and content hash of every state table (not the derived rollups)."""

    engine: Engine
    tables: list[str] = field(default_factory=state_tables)

    def __post_init__(self) -> None:
        self._sql = text(fingerprint_query(self.tables))

    def snapshot(self) -> dict[str, tuple[int, str]]:
        with self.engine.connect() as conn:
            return {name: (rows, digest) for name, rows, digest in conn.execute(self._sql)}


def changed_tables(
    before: Mapping[str, tuple[int, str]], after: Mapping[str, tuple[int, str]]
) -> dict[str, str]:
    return {
        name: f"{before.get(name, (0, ''))[0]} -> {after.get(name, (0, ''))[0]} rows"
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def truncate_all(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        # Past the audit tables' append-only triggers: see tests/conftest.py clean_tables.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


# --- servers and a realistic state ------------------------------------------------------------


def quiet_settings(database_url: str) -> Settings:
    """Test settings without the background rollup refresher, so only calls change state."""
    settings = Settings.from_env({"DATABASE_URL": database_url, "CCPERF_ENV": "test"})
    return replace(settings, rollup_refresh_seconds=0)


@dataclass
class Servers:
    """The three processes' servers in this test process, and a plain channel to each."""

    process: Process
    channels: dict[str, grpc.Channel]

    def address(self, process: str) -> str:
        return next(s.address for s in self.process.servers if s.name == process)

    def channel(self, rpc: Rpc) -> grpc.Channel:
        return self.channels[rpc.process]

    def call(
        self,
        rpc: Rpc,
        request: Message | RawRequest | Sequence[Message | RawRequest],
        authorization: str | None,
    ) -> Outcome:
        return invoke(self.channel(rpc), rpc, request, authorization)


@contextmanager
def running_servers(database_url: str, engine: Engine) -> Iterator[Servers]:
    """All processes on free ports over an empty database, emptied again afterwards."""
    truncate_all(engine)
    process = start_services(
        list(SERVICES),
        quiet_settings(database_url),
        ports=dict.fromkeys(SERVICES, 0),
        engine=engine,
    )
    channels = {s.name: grpc.insecure_channel(s.address) for s in process.servers}
    try:
        yield Servers(process, channels)
    finally:
        for channel in channels.values():
            channel.close()
        for worker in process.background:
            worker.stop()
        for server in process.servers:
            server.stop(grace=0)
        truncate_all(engine)  # the engine is the session's: not disposed here


# --- a realistic state: an org, an open cycle, filed results, a frozen pay batch --------------


@dataclass(frozen=True)
class World:
    """What the seed created; ids the fuzzer and the access tests aim at.

    E0 supervises agents E1 and E2 (team OPS-T1); S9 supervises E9 (team OPS-T2); M0
    manages E0 and S9. Cycle 2026-10 is open (E1's targets set and confirmed, an
    incident filed against E1); 2026-09 is filed for E1 and E2 and paid in a frozen batch;
    2026 has year-end bonus parameters, E1 and E2 a base pay, and incentive schedule "sales".
    """

    batch_id: str
    content_hash: str
    line_of: Mapping[str, str]  # employee id -> their line in the batch
    adjustment_id: str

    def strings(self) -> list[str]:
        """Ids and codes that exist, so random requests also reach the deep code paths."""
        return [
            "E1", "E0", "E2", "E9", "S9", "M0", "CC", "OPS", "OPS-T1", "OPS-T2",
            "2026-10", "2026-09", "2026-10/E1", "2026-10/E2", "2026-10/E9", "2026-10/E0",
            "2026-09/E1", "2026-09/E2", self.batch_id, *self.line_of.values(),
            self.content_hash, self.adjustment_id, "seed004_default", "kpi", "work_goals",
            "behaviour_attitude", "calls_answered", "aht", "knowledge_base", "discipline",
            "valid_complaint", "customer_praise", "service_level", "客服代表", "S3", "CNY",
            "department", "center", "acd", "sales", "1", "2", "3", "4",
        ]  # fmt: skip


def _stub(servers: Servers, process: str, stub_class: Any, subject: str, *roles: Role) -> Any:
    channel = authorized_channel(
        servers.address(process), mint_token(secret=DEV_JWT_SECRET, subject=subject, roles=roles)
    )
    servers.channels[f"{process}/{subject}/{'+'.join(roles)}"] = channel  # closed with the rest
    return stub_class(channel)


def seed_world(servers: Servers, engine: Engine) -> World:
    org = _stub(servers, "appraisal", org_pb2_grpc.OrgServiceStub, "hris", Role.HRIS)
    kinds = org_pb2.OrgUnitKind
    org.UpsertOrgUnits(
        org_pb2.UpsertOrgUnitsRequest(
            org_units=[*small_org(), unit("OPS-T2", kinds.ORG_UNIT_KIND_TEAM, "OPS")]
        )
    )
    manager = org_pb2.POSITION_TYPE_MANAGEMENT
    org.UpsertEmployees(
        org_pb2.UpsertEmployeesRequest(
            employees=[
                employee("M0", position_type=manager),
                employee("E0", supervisor="M0", position_type=manager),
                employee("E1", supervisor="E0"),
                employee("E2", supervisor="E0"),
                employee("S9", org_unit="OPS-T2", supervisor="M0", position_type=manager),
                employee("E9", org_unit="OPS-T2", supervisor="S9"),
                employee("BOSS", supervisor="M0"),  # the assessor of the filed 2026-09 results
            ]
        )
    )
    holiday = org_pb2.CalendarException(date=date("2026-10-01"), working=False, name="国庆节")
    org.SetCalendarYear(org_pb2.SetCalendarYearRequest(year=2026, exceptions=[holiday]))

    metrics = _stub(servers, "metrics", metrics_pb2_grpc.MetricsServiceStub, "acd", Role.INGEST)
    events = [
        answered_call("C1", agent="E1", wait=10, talk=100, at=T0),
        answered_call("C2", agent="E1", wait=30, talk=200, at=T0),
        answered_call("C3", agent="E9", wait=5, talk=90, at=T0),
    ]
    metrics.IngestEvents(iter([metrics_pb2.IngestEventsRequest(source="acd", events=events)]))

    hr = _stub(servers, "appraisal", appraisal_pb2_grpc.AppraisalServiceStub, "H1", Role.HR)
    hr.OpenCycle(appraisal_pb2.OpenCycleRequest(period=common_pb2.Period(value="2026-10")))
    assessor = _stub(
        servers, "appraisal", appraisal_pb2_grpc.AppraisalServiceStub, "E0", Role.SUPERVISOR
    )
    agent = _stub(
        servers, "appraisal", appraisal_pb2_grpc.AppraisalServiceStub, "E1", Role.EMPLOYEE
    )
    e1 = "2026-10/E1"
    current = assessor.GetAppraisal(appraisal_pb2.GetAppraisalRequest(appraisal_id=e1)).appraisal
    weights, items = non_management_targets()
    current = assessor.SetTargets(
        appraisal_pb2.SetTargetsRequest(
            appraisal_id=e1, etag=current.etag, section_weights=weights, items=items
        )
    ).appraisal
    agent.ConfirmTargets(appraisal_pb2.ConfirmTargetsRequest(appraisal_id=e1, etag=current.etag))
    colleague = _stub(
        servers, "appraisal", appraisal_pb2_grpc.AppraisalServiceStub, "E2", Role.EMPLOYEE
    )
    incident = colleague.FileIncident(
        appraisal_pb2.FileIncidentRequest(
            appraisal_id=e1, item_code="valid_complaint", description="complaint #7"
        )
    ).adjustment

    uows = lambda: UnitOfWork(make_session_factory(engine))  # noqa: E731
    filed(uows, "E1", "2026-09", "0.8000")
    filed(uows, "E2", "2026-09", "1.0500")

    pay = _stub(servers, "payroll", payroll_pb2_grpc.PayrollBridgeServiceStub, "H1", Role.HR)
    rows = []
    for tier, amount in ((1, "3000.00"), (2, "3500.00")):
        row = payroll_pb2.CapRow(
            position="客服代表", grade="S3", tier=tier,
            amount=common_pb2.Money(currency_code="CNY", amount=amount),
        )  # fmt: skip
        row.valid_from.CopyFrom(date("2026-01-01"))
        rows.append(row)
    pay.SetCapTable(payroll_pb2.SetCapTableRequest(rows=rows))
    second_tier = payroll_pb2.TierAssignment(employee_id="E2", tier=2)
    second_tier.effective_from.CopyFrom(date("2026-01-01"))
    pay.SetBaseTiers(payroll_pb2.SetBaseTiersRequest(assignments=[second_tier]))
    by_grade = (("A", "1.5"), ("B", "1.2"), ("C", "1"), ("D", "0.8"), ("E", "0"))
    grades = [payroll_pb2.GradeBonusCoefficient(grade=g, coefficient=c) for g, c in by_grade]
    pay.SetYearEndParameters(
        payroll_pb2.SetYearEndParametersRequest(
            year=2026, completion_rate="1", grade_coefficients=grades, currency_code="CNY"
        )
    )
    pay.SetBasePay(
        payroll_pb2.SetBasePayRequest(
            assignments=[
                payroll_pb2.BasePay(
                    employee_id=e, effective_from=date("2026-01-01"),
                    amount=common_pb2.Money(currency_code="CNY", amount="6000.00"),
                )
                for e in ("E1", "E2")
            ]
        )
    )  # fmt: skip
    pay.SetIncentiveSchedule(
        payroll_pb2.SetIncentiveScheduleRequest(
            code="sales", brackets=[payroll_pb2.Bracket(lower="0", rate="10")],
            mode=payroll_pb2.BRACKET_MODE_FLAT, unit=payroll_pb2.RATE_UNIT_PER_MILLE,
            currency_code="CNY",
        )
    )  # fmt: skip
    september = common_pb2.Period(value="2026-09")
    pay.ComputePeriod(payroll_pb2.ComputePeriodRequest(period=september))
    batch = pay.CreateBatch(payroll_pb2.CreateBatchRequest(period=september)).batch
    lines = pay.ListBatchLines(payroll_pb2.ListBatchLinesRequest(batch_id=batch.id)).lines
    return World(
        batch_id=batch.id,
        content_hash=batch.content_hash,
        line_of={line.employee_id: line.id for line in lines},
        adjustment_id=incident.id,
    )
