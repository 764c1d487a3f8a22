"""``ccperf.payroll.v1.PayrollBridgeService``: maps protobuf to the payroll use cases."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import grpc

from ccperf.common.v1 import common_pb2
from ccperf.payroll.v1 import payroll_pb2 as pb
from ccperf.payroll.v1 import payroll_pb2_grpc
from services.common.auth import Role, current_principal
from services.common.db import UnitOfWork
from services.common.errors import Violations
from services.common.grpc_server import ServiceRegistration, bearer_token
from services.common.pagination import int_key, parse_page
from services.common.periods import Period
from services.common.protoconv import (
    COEFFICIENT,
    MONEY,
    RATE,
    Digits,
    read_date,
    read_decimal,
    read_enum,
    read_key,
    read_period,
    read_text,
    read_year,
    write_date,
    write_enum,
    write_timestamp,
)
from services.payroll_bridge import service
from services.payroll_bridge.appraisal_source import AppraisalResults
from services.payroll_bridge.domain.brackets import Bracket, BracketMode, BracketSchedule, RateUnit
from services.payroll_bridge.domain.caps import CapRow, require_tier
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money, require_currency
from services.payroll_bridge.domain.performance_pay import CoefficientBound
from services.payroll_bridge.domain.year_end import YearEndParameters
from services.payroll_bridge.models import PayBatch, PayBatchLine

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["PayrollBridgeService"].full_name
HR_ONLY = frozenset({Role.HR})
READERS = frozenset({Role.PAYROLL, Role.HR})

ACCESS: dict[str, frozenset[Role]] = {
    "SetCapTable": HR_ONLY,
    "ListCapTable": frozenset({Role.HR, Role.PAYROLL, Role.PERF_ADMIN}),
    "SetBaseTiers": HR_ONLY,
    "ComputePeriod": HR_ONLY,
    "CreateBatch": HR_ONLY,
    "GetBatch": READERS,
    "ListBatchLines": READERS,
    "StreamBatchLines": READERS,
    "AcknowledgeBatch": frozenset({Role.PAYROLL}),
    # Employees read the explanation of their own lines: checked per line.
    "ExplainLine": READERS | {Role.EMPLOYEE},
    "SetYearEndParameters": HR_ONLY,
    "SetBasePay": HR_ONLY,
    "SetIncentiveSchedule": HR_ONLY,
    # HRIS may feed the amounts (seed 003: the month's won amounts) as hr may.
    "RecordIncentiveAmounts": frozenset({Role.HR, Role.HRIS}),
}
KINDS = {
    "performance_pay": pb.LINE_KIND_PERFORMANCE_PAY,
    "year_end_bonus": pb.LINE_KIND_YEAR_END_BONUS,
    "incentive": pb.LINE_KIND_INCENTIVE,
    "adjustment": pb.LINE_KIND_ADJUSTMENT,
}


def _money(amount: Any, currency: str) -> common_pb2.Money:
    return common_pb2.Money(currency_code=currency, amount=str(amount))


def write_batch(batch: PayBatch) -> pb.Batch:
    return pb.Batch(
        id=batch.id,
        period=common_pb2.Period(value=batch.period),
        content_hash=batch.content_hash,
        line_count=batch.line_count,
        totals=[_money(amount, currency) for currency, amount in sorted(batch.totals.items())],
        state=pb.BATCH_STATE_ACKNOWLEDGED if batch.acknowledged_at else pb.BATCH_STATE_FROZEN,
        created_at=write_timestamp(batch.created_at),
        created_by=batch.created_by,
        acknowledged_at=write_timestamp(batch.acknowledged_at),
        acknowledged_by=batch.acknowledged_by or "",
    )


def write_line(line: PayBatchLine | tuple[Any, ...]) -> pb.BatchLine:
    if isinstance(line, PayBatchLine):
        line = (line.id, line.line_no, line.employee_id, line.kind, line.reference,
                line.amount, line.currency, line.original_line_id)  # fmt: skip
    line_id, line_no, employee, kind, reference, amount, currency, original = line
    return pb.BatchLine(
        id=line_id, line_no=line_no, employee_id=employee, kind=KINDS[kind],
        reference=reference, amount=_money(amount, currency), original_line_id=original or "",
    )  # fmt: skip


def write_cap_row(row: CapRow) -> pb.CapRow:
    return pb.CapRow(
        position=row.position, grade=row.grade, tier=row.tier,
        amount=_money(row.amount.amount, row.amount.currency),
        valid_from=write_date(row.valid_from), valid_to=write_date(row.valid_to),
    )  # fmt: skip


def _read_money(msg: common_pb2.Money, field: str, v: Violations) -> Money | None:
    amount = read_decimal(msg.amount, f"{field}.amount", v, digits=MONEY)
    currency = _read_currency(msg.currency_code, f"{field}.currency_code", v)
    if amount is None or not currency:
        return None
    return Money(amount, currency)


def _read_cap_row(msg: pb.CapRow, path: str, v: Violations) -> CapRow | None:
    read_text(msg.position, f"{path}.position", v)
    read_key(msg.grade, f"{path}.grade", v)
    amount = _read_money(msg.amount, f"{path}.amount", v)
    valid_from = read_date(msg.valid_from, f"{path}.valid_from", v, required=True)
    valid_to = read_date(msg.valid_to, f"{path}.valid_to", v, required=False)
    if amount is None or valid_from is None or not msg.position.strip() or not msg.grade:
        return None
    try:
        return CapRow(msg.position, msg.grade, msg.tier, amount, valid_from, valid_to)
    except PayInputError as exc:
        for violation in exc.violations:
            v.add(f"{path}.{violation.field}", violation.description)
        return None


def _month(request: Any, v: Violations) -> Period | None:
    return read_period(request.period.value, "period", v)


class PayrollServicer(payroll_pb2_grpc.PayrollBridgeServiceServicer):
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        results: AppraisalResults,
        bound: CoefficientBound,
    ) -> None:
        self._uow = uow_factory
        self._results = results
        self._bound = bound

    def SetCapTable(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        rows = [_read_cap_row(r, f"rows[{i}]", v) for i, r in enumerate(request.rows)]
        if not request.rows:
            v.add("rows", "give at least one row")
        v.raise_if_any()
        counts = service.set_cap_table(
            self._uow(), current_principal(), [r for r in rows if r is not None]
        )
        return pb.SetCapTableResponse(**vars(counts))

    def ListCapTable(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        as_of = read_date(request.as_of, "as_of", v, required=True)
        v.raise_if_any()
        assert as_of is not None
        rows = service.list_cap_table(self._uow(), as_of)
        return pb.ListCapTableResponse(rows=[write_cap_row(r) for r in rows])

    def SetBaseTiers(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        assignments = []
        for i, a in enumerate(request.assignments):
            read_key(a.employee_id, f"assignments[{i}].employee_id", v)
            try:
                require_tier(f"assignments[{i}].tier", a.tier)  # as a cap row's tier is
            except PayInputError as exc:
                v.extend(exc.violations)
            since = read_date(
                a.effective_from, f"assignments[{i}].effective_from", v, required=True
            )
            if since is not None:
                assignments.append(service.TierAssignment(a.employee_id, a.tier, since))
        v.raise_if_any()
        counts = service.set_base_tiers(self._uow(), current_principal(), assignments)
        return pb.SetBaseTiersResponse(**vars(counts))

    def ComputePeriod(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        period = _month(request, v)
        v.raise_if_any()
        assert period is not None
        token = bearer_token(context)
        done = service.compute_period(
            self._uow(),
            current_principal(),
            period,
            self._results.fetcher(token),
            self._bound,
            fetch_annual=self._results.annual_fetcher(token),
        )
        return pb.ComputePeriodResponse(
            period=common_pb2.Period(value=str(done.period)),
            lines=done.lines,
            adjustments=done.adjustments,
            totals=[_money(m.amount, c) for c, m in done.totals.items()],
            skipped=[pb.SkippedEmployee(employee_id=e, reason=r) for e, r in done.skipped],
            incentives=done.incentives,
            unpaid=done.unpaid,
        )

    def CreateBatch(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        period = _month(request, v)
        v.raise_if_any()
        assert period is not None
        batch = service.create_batch(self._uow(), current_principal(), period)
        return pb.CreateBatchResponse(batch=write_batch(batch))

    def GetBatch(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.batch_id, "batch_id", v)
        v.raise_if_any()
        return pb.GetBatchResponse(
            batch=write_batch(service.get_batch(self._uow(), request.batch_id))
        )

    def ListBatchLines(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.batch_id, "batch_id", v)
        v.raise_if_any()
        filters = [("batch_id", request.batch_id)]
        page = parse_page(request.page_size, request.page_token, filters, key=int_key)
        lines, token = service.list_batch_lines(self._uow(), request.batch_id, page, filters)
        return pb.ListBatchLinesResponse(
            lines=[write_line(x) for x in lines], next_page_token=token
        )

    def StreamBatchLines(self, request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        v = Violations()
        read_key(request.batch_id, "batch_id", v)
        v.raise_if_any()
        for chunk in service.stream_batch_lines(self._uow, request.batch_id):
            # Built in place: a BatchLine and a Money made apart are copied again into
            # the response (twice the work of the whole read). An original line only when
            # there is one, the amount's wrapper fetched once: a sixth less per line.
            response = pb.StreamBatchLinesResponse()
            add = response.lines.add
            for line_id, line_no, employee, kind, reference, amount, currency, original in chunk:
                line = add(id=line_id, line_no=line_no, employee_id=employee, kind=KINDS[kind],
                           reference=reference)  # fmt: skip
                if original:
                    line.original_line_id = original
                money = line.amount
                money.currency_code = currency
                money.amount = amount  # text: the query casts it
            yield response

    def AcknowledgeBatch(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.batch_id, "batch_id", v)
        read_key(request.content_hash, "content_hash", v)
        v.raise_if_any()
        batch = service.acknowledge_batch(
            self._uow(), current_principal(), request.batch_id, request.content_hash
        )
        return pb.AcknowledgeBatchResponse(batch=write_batch(batch))

    def ExplainLine(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.line_id, "line_id", v)
        v.raise_if_any()
        line = service.explain_line(self._uow(), current_principal(), request.line_id)
        explanation = line.explanation or {}  # explain_line completes a shared one
        return pb.ExplainLineResponse(
            line=write_line(line),
            formula=explanation.get("formula", ""),
            values=explanation.get("values", {}),
            explanation=explanation.get("text", ""),
        )

    def SetYearEndParameters(self, request: Any, context: grpc.ServicerContext) -> Any:
        parameters = read_year_end_parameters(request)
        view, created = service.set_year_end_parameters(
            self._uow(), current_principal(), parameters
        )
        return pb.SetYearEndParametersResponse(
            parameters=write_year_end_parameters(view), created=created
        )

    def SetBasePay(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        assignments = []
        if not request.assignments:
            v.add("assignments", "give at least one assignment")
        for i, a in enumerate(request.assignments):
            path = f"assignments[{i}]"
            read_key(a.employee_id, f"{path}.employee_id", v)
            amount = _read_money(a.amount, f"{path}.amount", v)
            since = read_date(a.effective_from, f"{path}.effective_from", v, required=True)
            if amount is not None and since is not None:
                assignments.append(service.BasePayAssignment(a.employee_id, amount, since))
        v.raise_if_any()
        counts = service.set_base_pay(self._uow(), current_principal(), assignments)
        return pb.SetBasePayResponse(**vars(counts))

    def SetIncentiveSchedule(self, request: Any, context: grpc.ServicerContext) -> Any:
        schedule = read_schedule(request)
        view, created = service.set_incentive_schedule(
            self._uow(), current_principal(), request.code, schedule
        )
        return pb.SetIncentiveScheduleResponse(schedule=write_schedule(view), created=created)

    def RecordIncentiveAmounts(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        period = _month(request, v)
        read_key(request.schedule_code, "schedule_code", v)
        amounts = []
        for i, a in enumerate(request.amounts):
            path = f"amounts[{i}]"
            read_key(a.employee_id, f"{path}.employee_id", v)
            read_text(a.reference, f"{path}.reference", v, max_length=120)
            amount = _read_money(a.amount, f"{path}.amount", v)
            if amount is not None:
                amounts.append(service.IncentiveInput(a.employee_id, amount, a.reference))
        v.raise_if_any()
        assert period is not None
        counts = service.record_incentive_amounts(
            self._uow(), current_principal(), period, request.schedule_code, amounts
        )
        return pb.RecordIncentiveAmountsResponse(**vars(counts))


def _read_coefficient(text: str, field: str, v: Violations, digits: Digits) -> Decimal | None:
    """Decimal text, not negative."""
    value = read_decimal(text, field, v, digits=digits)
    if value is not None and value < 0:
        v.add(field, f"must not be negative, got {value}")
        return None
    return value


def _read_currency(code: str, field: str, v: Violations) -> str:
    try:
        return require_currency(code, field)
    except PayInputError as exc:
        for violation in exc.violations:
            v.add(violation.field, violation.description)
        return ""


def _coefficients(
    messages: Sequence[Any], path: str, name: str, v: Violations
) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}
    first: dict[str, int] = {}
    for i, m in enumerate(messages):
        key = getattr(m, name)
        read_text(key, f"{path}[{i}].{name}", v)
        coefficient = _read_coefficient(m.coefficient, f"{path}[{i}].coefficient", v, COEFFICIENT)
        if key in first:
            v.add(f"{path}[{i}].{name}", f"{key!r} repeats {path}[{first[key]}]")
        elif key.strip() and coefficient is not None:
            first[key] = i
            found[key] = coefficient
    return found


def read_year_end_parameters(request: Any) -> YearEndParameters:
    v = Violations()
    read_year(request.year, "year", v)
    rate = _read_coefficient(request.completion_rate, "completion_rate", v, RATE)
    by_grade = _coefficients(request.grade_coefficients, "grade_coefficients", "grade", v)
    by_position = _coefficients(
        request.position_coefficients, "position_coefficients", "position", v
    )
    if not request.grade_coefficients and not request.position_coefficients:
        v.add("grade_coefficients", "give a bonus coefficient for at least one grade or position")
    currency = _read_currency(request.currency_code, "currency_code", v)
    v.raise_if_any()
    assert rate is not None
    return YearEndParameters(request.year, rate, by_grade, by_position, currency)


def write_year_end_parameters(view: service.YearEndView) -> pb.YearEndParameters:
    p = view.parameters
    return pb.YearEndParameters(
        year=p.year,
        completion_rate=str(p.completion_rate),
        grade_coefficients=[
            pb.GradeBonusCoefficient(grade=k, coefficient=str(c))
            for k, c in p.bonus_coefficient_by_grade.items()
        ],
        position_coefficients=[
            pb.PositionBonusCoefficient(position=k, coefficient=str(c))
            for k, c in p.bonus_coefficient_by_position.items()
        ],
        currency_code=p.currency,
        updated_at=write_timestamp(view.updated_at),
        updated_by=view.updated_by,
    )


def read_schedule(request: Any) -> BracketSchedule:
    v = Violations()
    read_key(request.code, "code", v)
    brackets = []
    if not request.brackets:
        v.add("brackets", "a schedule needs at least one bracket")
    for i, b in enumerate(request.brackets):
        lower = _read_coefficient(b.lower, f"brackets[{i}].lower", v, MONEY)
        rate = _read_coefficient(b.rate, f"brackets[{i}].rate", v, RATE)
        if lower is not None and rate is not None:
            brackets.append(Bracket(lower, rate))
    threshold = (
        _read_coefficient(request.threshold, "threshold", v, MONEY)
        if request.threshold
        else Decimal(0)
    )
    mode = read_enum(request.mode, pb.BracketMode, BracketMode, "mode", v)
    unit = read_enum(request.unit, pb.RateUnit, RateUnit, "unit", v)
    currency = _read_currency(request.currency_code, "currency_code", v)
    v.raise_if_any()
    assert threshold is not None and mode is not None and unit is not None
    return BracketSchedule(tuple(brackets), currency, threshold, mode, unit)


def write_schedule(view: service.ScheduleView) -> pb.IncentiveSchedule:
    s = view.schedule
    return pb.IncentiveSchedule(
        code=view.code,
        brackets=[pb.Bracket(lower=str(b.lower), rate=str(b.rate)) for b in s.brackets],
        threshold=str(s.threshold),
        mode=write_enum(s.mode, pb.BracketMode),
        unit=write_enum(s.unit, pb.RateUnit),
        currency_code=s.currency,
        updated_at=write_timestamp(view.updated_at),
        updated_by=view.updated_by,
    )


def registration(
    uow_factory: Callable[[], UnitOfWork], appraisal_target: Callable[[], str], ceiling: str
) -> ServiceRegistration:
    servicer = PayrollServicer(
        uow_factory, AppraisalResults(appraisal_target), service.bound_from_setting(ceiling)
    )
    return ServiceRegistration(
        full_name=SERVICE_NAME,
        # generated *_grpc.py has no type stubs
        add_to_server=lambda server: payroll_pb2_grpc.add_PayrollBridgeServiceServicer_to_server(  # type: ignore[no-untyped-call]
            servicer, server
        ),
        access=ACCESS,
    )
