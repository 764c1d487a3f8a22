"""``ccperf.appraisal.v1.AppraisalService``: maps protobuf to the appraisal use cases.

Every method has one shape: read the request (collecting field violations),
call one function of ``services.appraisal.service`` as the caller, map the
result. Role checks that depend on the record (own appraisal, the assessor)
happen in the workflow; the table below only keeps out roles that can never
make a call.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

import grpc

from ccperf.appraisal.v1 import appraisal_pb2 as pb
from ccperf.appraisal.v1 import appraisal_pb2_grpc
from ccperf.common.v1 import common_pb2
from services.appraisal import outcomes, service
from services.appraisal.domain import workflow as wf
from services.appraisal.domain.certification import CCCS_OP_2003, CertificationAssessment
from services.appraisal.domain.results import Grade
from services.appraisal.domain.scoring import (
    AppraisalInputError,
    Direction,
    RaterRole,
    ScoringParams,
    params_from_dict,
    params_to_dict,
    prefixed,
)
from services.appraisal.domain.templates import BUILT_IN_TEMPLATES, TargetItem, Template
from services.appraisal.kpi_source import MetricsKpiSource
from services.appraisal.models import (
    Adjustment,
    AnnualGrade,
    AuditEntry,
    CenterAssessmentRecord,
    Cycle,
    Recommendation,
)
from services.appraisal.sheet import AdjustmentRow
from services.common import limits
from services.common.auth import ANY_ROLE, Role, current_principal
from services.common.db import UnitOfWork
from services.common.errors import Violations
from services.common.grpc_server import ServiceRegistration, bearer_token
from services.common.pagination import parse_page
from services.common.protoconv import (
    COEFFICIENT,
    KPI_VALUE,
    POINTS,
    Digits,
    page_filters,
    read_date,
    read_decimal,
    read_enum,
    read_key,
    read_period,
    read_text,
    write_date,
    write_decimal,
    write_enum,
    write_timestamp,
)

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["AppraisalService"].full_name
CYCLE_ADMINS = frozenset({Role.HR, Role.PERF_ADMIN})
PEOPLE = frozenset({Role.EMPLOYEE, Role.SUPERVISOR})
READERS = frozenset({Role.EMPLOYEE, Role.SUPERVISOR, Role.HR, Role.PERF_ADMIN, Role.DUTY_OFFICER})

ACCESS: dict[str, frozenset[Role]] = {
    "ListTemplates": ANY_ROLE,
    "OpenCycle": CYCLE_ADMINS,
    "GetCycle": ANY_ROLE,
    "GetAppraisal": READERS,
    "ListAppraisals": READERS,
    "ListAuditRecords": READERS,
    "SetTargets": frozenset({Role.SUPERVISOR}),
    "ConfirmTargets": frozenset({Role.EMPLOYEE}),
    "ApproveTargets": frozenset({Role.PERF_ADMIN}),
    "RejectTargets": frozenset({Role.PERF_ADMIN}),
    "StartAppraisal": frozenset({Role.SUPERVISOR, Role.PERF_ADMIN}),
    "CollectKpiData": frozenset({Role.DUTY_OFFICER}),
    "SubmitSelfAssessment": frozenset({Role.EMPLOYEE}),
    "SubmitRating": PEOPLE,
    "SubmitReview": frozenset({Role.SUPERVISOR}),
    # Anyone may report an incident (不良事故); it counts only once confirmed.
    "FileIncident": ANY_ROLE,
    "RequestBonus": PEOPLE,
    "DecideAdjustment": frozenset({Role.SUPERVISOR, Role.HR, Role.PERF_ADMIN}),
    "IssueResult": frozenset({Role.SUPERVISOR}),
    "SignResult": PEOPLE,
    "FileResult": frozenset({Role.HR}),
    "Appeal": frozenset({Role.EMPLOYEE}),
    "DecideAppeal": frozenset({Role.PERF_ADMIN}),
    "ReissueResult": frozenset({Role.SUPERVISOR, Role.PERF_ADMIN}),
    "FinalizeAppraisal": frozenset({Role.HR, Role.PERF_ADMIN}),
    "ListFiledResults": service.RESULT_READERS,
    "ComputeAnnualGrades": CYCLE_ADMINS,
    "ListAnnualGrades": CYCLE_ADMINS,
    "ListAnnualResults": outcomes.ANNUAL_RESULT_READERS,
    "CalibrateGrades": frozenset({Role.HR}),
    "EvaluateConsequences": CYCLE_ADMINS,
    "ListRecommendations": CYCLE_ADMINS,
    "DecideRecommendation": outcomes.DECIDERS,
    "GetCertificationStandard": ANY_ROLE,
    "AssessCenter": frozenset({Role.PERF_ADMIN}),
    "ListCenterAssessments": CYCLE_ADMINS,
}

ADJUSTMENT_KINDS = {"incident": pb.Adjustment.KIND_INCIDENT, "bonus": pb.Adjustment.KIND_BONUS}
ADJUSTMENT_STATUS = {
    "pending": pb.Adjustment.STATUS_PENDING,
    "confirmed": pb.Adjustment.STATUS_CONFIRMED,
    "rejected": pb.Adjustment.STATUS_REJECTED,
}
MAX_ITEMS = limits.MAX_ITEMS


# --- scoring parameters ----------------------------------------------------------------


_DIRECTIONS = {
    pb.DIRECTION_HIGHER_IS_BETTER: Direction.HIGHER_IS_BETTER.value,
    pb.DIRECTION_LOWER_IS_BETTER: Direction.LOWER_IS_BETTER.value,
}


def _scoring_dict(msg: pb.Scoring, owner: str, v: Violations) -> dict[str, Any]:
    """The Scoring message as `params_from_dict` data (defaults left out).

    Its decimal text is read here, as every request decimal is (``read_decimal``):
    the engine also reads stored JSON and would take "1e999999999" or "2_800".
    """
    which = msg.WhichOneof("method")
    data: dict[str, Any] = {"method": which}
    path = f"{owner}.scoring"

    def number(text: str, name: str, digits: Digits) -> Decimal | None:
        return read_decimal(text, f"{path}.{name}", v, digits=digits)

    if which == "ratio_to_target":
        if msg.ratio_to_target.cap:
            data["cap"] = number(msg.ratio_to_target.cap, "cap", COEFFICIENT)
        if msg.ratio_to_target.direction in _DIRECTIONS:
            data["direction"] = _DIRECTIONS[msg.ratio_to_target.direction]
    elif which == "linear":
        data["floor"] = number(msg.linear.floor, "floor", KPI_VALUE)
    elif which == "step_bands":
        data["bands"] = [
            {
                "threshold": number(b.threshold, f"bands[{i}].threshold", KPI_VALUE),
                "fraction": number(b.fraction, f"bands[{i}].fraction", COEFFICIENT),
            }
            for i, b in enumerate(msg.step_bands.bands)
        ]
        if msg.step_bands.direction in _DIRECTIONS:
            data["direction"] = _DIRECTIONS[msg.step_bands.direction]
    elif which == "rubric":
        data["levels"] = [
            {
                "code": lv.code,
                "description": lv.description,
                "share": number(lv.share, f"levels[{i}].share", COEFFICIENT),
            }
            for i, lv in enumerate(msg.rubric.levels)
        ]
    elif which == "three_sixty" and msg.three_sixty.weights:
        data["weights"] = {
            role: number(weight, f"weights[{role}]", POINTS)
            for role, weight in msg.three_sixty.weights.items()
        }
    return data


def read_scoring(msg: pb.Scoring, owner: str, v: Violations) -> ScoringParams | None:
    """A Scoring message → the engine's parameters; violations at ``<owner>.scoring.*``."""
    if msg.WhichOneof("method") is None:
        v.add(f"{owner}.scoring", "set one scoring method")
        return None
    found = Violations()
    data = _scoring_dict(msg, owner, found)
    if found:
        v.extend(found)
        return None
    try:
        return params_from_dict(data)
    except AppraisalInputError as exc:
        for violation in prefixed(exc, owner).violations:
            v.add(violation.field, violation.description)
        return None


def write_scoring(params: ScoringParams | None) -> pb.Scoring | None:
    if params is None:
        return None
    data = params_to_dict(params)
    method = data.pop("method")
    message = pb.Scoring()
    part = getattr(message, method)
    part.SetInParent()
    for key, value in data.items():  # set directly: json_format.ParseDict cost ~40 % of the mapping
        if key == "direction":
            part.direction = write_enum(Direction(value), pb.Direction)
        elif key == "bands":
            part.bands.extend(pb.StepBand(**band) for band in value)
        elif key == "levels":
            part.levels.extend(pb.RubricLevel(**level) for level in value)
        elif key == "weights":
            part.weights.update(value)
        else:
            setattr(part, key, value)
    return message


# --- mapping out -----------------------------------------------------------------------


def write_template(form: Template) -> pb.Template:
    return pb.Template(
        code=form.code,
        name=form.name,
        supervisor_reach=form.supervisor_reach,
        sections=[
            pb.TemplateSection(
                code=s.code,
                name_zh=s.name_zh,
                name_en=s.name_en,
                kind=write_enum(s.kind, pb.SectionKind),
                items=[
                    pb.TemplateItem(
                        code=i.code,
                        name=i.name,
                        points=str(i.points),
                        scoring=write_scoring(i.scoring),
                    )
                    for i in s.items
                ],
            )
            for s in form.sections
        ],
        weights=[
            pb.PositionWeights(
                position_type=write_enum(position_type, pb.PositionType),
                shares=[
                    pb.WeightShare(sections=list(w.sections), weight=str(w.weight)) for w in shares
                ],
            )
            for position_type, shares in form.weights.items()
        ],
    )


def write_cycle(cycle: Cycle, counts: dict[str, int], data_due_on: dt.date) -> pb.Cycle:
    return pb.Cycle(
        id=cycle.id,
        period=common_pb2.Period(value=cycle.id),
        template_code=cycle.template_code,
        opens_on=write_date(cycle.opens_on),
        closes_on=write_date(cycle.closes_on),
        data_due_on=write_date(data_due_on),
        appraisals_by_state=counts,
        opened_at=write_timestamp(cycle.opened_at),
        opened_by=cycle.opened_by,
    )


def write_adjustment(a: Adjustment | AdjustmentRow) -> pb.Adjustment:
    return pb.Adjustment(
        id=a.id,
        kind=ADJUSTMENT_KINDS[a.kind],
        item_code=a.item_code,
        points=str(a.points),
        description=a.description,
        filed_by=a.filed_by,
        filed_at=write_timestamp(a.filed_at),
        status=ADJUSTMENT_STATUS[a.status],
        decided_by=a.decided_by or "",
        decision_reason=a.decision_reason,
    )


def write_appraisal(view: service.AppraisalView) -> pb.Appraisal:
    row = view.row
    message = pb.Appraisal(
        id=row.id,
        cycle_id=row.cycle_id,
        employee_id=row.employee_id,
        assessor_id=row.assessor_id,
        org_unit_id=row.org_unit_id,
        position_type=write_enum(row.position_type, pb.PositionType),
        period=common_pb2.Period(value=row.cycle_id),
        template_code=row.template_code,
        state=write_enum(row.state, pb.AppraisalState),
        etag=str(row.version),
        allowed_transitions=list(view.allowed_transitions),
        section_weights=[
            pb.SectionWeight(section=code, weight=str(weight))
            for code, weight in view.section_weights.items()
        ],
        collected_late=row.collected_late,
        signed_by_employee=row.signed_by_employee,
        signed_by_assessor=row.signed_by_assessor,
    )
    for scored, item in zip(view.items, view.item_rows, strict=True):
        message.items.append(
            pb.AppraisalItem(
                section=item.section,
                code=item.code,
                name=item.name,
                weight=str(item.weight),
                points=str(item.points),
                scoring=write_scoring(scored.record.scoring),
                target=write_decimal(item.target),
                standard=item.standard,
                data_provider=item.data_provider,
                actual=write_decimal(item.actual),
                definition_version=item.definition_version or 0,
                collected_at=write_timestamp(item.collected_at),
                self_score=write_decimal(item.self_score),
                review_score=write_decimal(item.review_score),
                self_level=item.self_level or "",
                review_level=item.review_level or "",
                score=write_decimal(scored.score),
                unscored_reason=scored.unscored_reason,
            )
        )
    message.adjustments.extend(write_adjustment(a) for a in view.adjustments)
    message.raters.extend(
        pb.RaterInvitation(
            rater_id=r.rater_id,
            role=write_enum(RaterRole(r.role), pb.RaterRole),
            submitted=r.submitted_at is not None,
        )
        for r in view.raters
    )
    result = view.result
    if result is not None:
        message.result.CopyFrom(
            pb.Result(
                issue=result.issue,
                issued_on=write_date(result.issued_on),
                total=str(result.total),
                full_score=str(result.full_score),
                coefficient=str(result.coefficient),
                grade=f"GRADE_{Grade(result.grade).value}",
                sections=[
                    pb.SectionResult(
                        section=s["section"],
                        weight=s["weight"],
                        score=s["score"] or "",
                        weighted=s["weighted"],
                    )
                    for s in result.sections
                ],
                explanation=[
                    pb.Contribution(
                        kind=c["kind"],
                        section=c["section"] or "",
                        name=c["name"],
                        amount=c["amount"],
                        counted=c["counted"],
                        detail=c["detail"],
                    )
                    for c in result.explanation
                ],
                appeal_deadline=write_date(result.appeal_deadline),
            )
        )
    return message


def write_audit(entry: AuditEntry) -> pb.AuditRecord:
    return pb.AuditRecord(
        transition=entry.transition,
        who=entry.who,
        party=str(entry.party),
        when=write_timestamp(entry.at),
        from_state=write_enum(entry.from_state, pb.AppraisalState),
        to_state=write_enum(entry.to_state, pb.AppraisalState),
        reason=entry.reason,
        detail=json.dumps(entry.detail, ensure_ascii=False, sort_keys=True) if entry.detail else "",
        late=entry.late,
    )


# --- mapping in ------------------------------------------------------------------------


def _appraisal_id(request: Any, v: Violations) -> str:
    read_text(request.appraisal_id, "appraisal_id", v, max_length=96)
    return str(request.appraisal_id)


def _scores(
    messages: Sequence[pb.ItemScore], field: str, v: Violations
) -> list[tuple[str, str, Decimal | None, str]]:
    if len(messages) > MAX_ITEMS:
        v.add(field, f"at most {MAX_ITEMS} scores")
        return []
    scores = []
    for i, m in enumerate(messages):
        path = f"{field}[{i}]"
        read_key(m.section, f"{path}.section", v)
        read_key(m.code, f"{path}.code", v)
        read_key(m.level, f"{path}.level", v, required=False)
        score = read_decimal(m.score, f"{path}.score", v, digits=POINTS, required=False)
        if not m.score and not m.level:
            v.add(path, "give a score or a level")
        scores.append((m.section, m.code, score, m.level))
    return scores


def _target_items(messages: Sequence[pb.TargetItem], v: Violations) -> list[TargetItem]:
    if len(messages) > MAX_ITEMS:
        v.add("items", f"at most {MAX_ITEMS} items")
        return []
    items = []
    for i, m in enumerate(messages):
        path = f"items[{i}]"
        read_key(m.section, f"{path}.section", v)
        read_key(m.code, f"{path}.code", v)
        read_text(m.name, f"{path}.name", v)
        read_text(m.standard, f"{path}.standard", v, required=False, max_length=2000)
        read_text(m.data_provider, f"{path}.data_provider", v, required=False)
        weight = read_decimal(m.weight, f"{path}.weight", v, digits=POINTS)
        points = read_decimal(m.points, f"{path}.points", v, digits=POINTS)
        target = read_decimal(m.target, f"{path}.target", v, digits=KPI_VALUE, required=False)
        scoring = read_scoring(m.scoring, path, v)
        if weight is None or points is None or scoring is None:
            continue
        items.append(
            TargetItem(
                section=m.section,
                code=m.code,
                name=m.name,
                weight=weight,
                points=points,
                scoring=scoring,
                target=target,
                standard=m.standard,
                data_provider=m.data_provider,
            )
        )
    return items


class AppraisalServicer(appraisal_pb2_grpc.AppraisalServiceServicer):
    def __init__(self, uow_factory: Callable[[], UnitOfWork], kpi_source: MetricsKpiSource) -> None:
        self._uow = uow_factory
        self._kpis = kpi_source

    # reading

    def ListTemplates(self, request: Any, context: grpc.ServicerContext) -> Any:
        return pb.ListTemplatesResponse(
            templates=[write_template(t) for t in BUILT_IN_TEMPLATES.values()]
        )

    def OpenCycle(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        period = read_period(request.period.value, "period", v)
        read_key(request.template_code, "template_code", v, required=False)
        opens_on = read_date(request.opens_on, "opens_on", v, required=False)
        closes_on = read_date(request.closes_on, "closes_on", v, required=False)
        v.raise_if_any()
        assert period is not None
        opened = service.open_cycle(
            self._uow(), current_principal(), period, request.template_code, opens_on, closes_on
        )
        return pb.OpenCycleResponse(
            cycle=write_cycle(opened.cycle, opened.counts, opened.cycle.data_due_on),
            opened=opened.opened,
            skipped=[pb.Skipped(employee_id=e, reasons=r) for e, r in opened.skipped],
        )

    def GetCycle(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.cycle_id, "cycle_id", v)
        v.raise_if_any()
        status = service.get_cycle(self._uow(), request.cycle_id)
        return pb.GetCycleResponse(
            cycle=write_cycle(status.cycle, status.counts, status.data_due_on)
        )

    def GetAppraisal(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        v.raise_if_any()
        view = service.get_appraisal(self._uow(), current_principal(), appraisal_id)
        return pb.GetAppraisalResponse(appraisal=write_appraisal(view))

    def ListAppraisals(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.cycle_id, "cycle_id", v)
        read_key(request.employee_id, "employee_id", v, required=False)
        read_key(request.assessor_id, "assessor_id", v, required=False)
        state = read_enum(
            request.state, pb.AppraisalState, wf.AppraisalState, "state", v, required=False
        )
        v.raise_if_any()
        filters = page_filters(request)
        page = parse_page(request.page_size, request.page_token, filters)
        views, token = service.list_appraisals(
            self._uow(),
            current_principal(),
            service.AppraisalFilter(
                request.cycle_id, request.employee_id, request.assessor_id, state
            ),
            page,
            filters,
            full=not request.summary,
        )
        return pb.ListAppraisalsResponse(
            appraisals=[write_appraisal(view) for view in views], next_page_token=token
        )

    def ListAuditRecords(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        v.raise_if_any()
        entries = service.list_audit(self._uow(), current_principal(), appraisal_id)
        return pb.ListAuditRecordsResponse(records=[write_audit(e) for e in entries])

    # targets

    def SetTargets(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        split: dict[str, Decimal] = {}
        for i, sw in enumerate(request.section_weights):
            read_key(sw.section, f"section_weights[{i}].section", v)
            weight = read_decimal(sw.weight, f"section_weights[{i}].weight", v, digits=POINTS)
            if sw.section in split:
                v.add(f"section_weights[{i}].section", f"{sw.section} is given twice")
            if weight is not None:
                split[sw.section] = weight
        items = _target_items(request.items, v)
        v.raise_if_any()
        view = service.set_targets(
            self._uow(), current_principal(), appraisal_id, request.etag, split, items
        )
        return pb.SetTargetsResponse(appraisal=write_appraisal(view))

    def _simple(self, request: Any, name: str, reason: str = "") -> pb.Appraisal:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        if reason:
            read_text(reason, "reason", v, max_length=2000)
        v.raise_if_any()
        view = service.simple_transition(
            self._uow(), current_principal(), appraisal_id, request.etag, name, reason=reason
        )
        return write_appraisal(view)

    def ConfirmTargets(self, request: Any, context: grpc.ServicerContext) -> Any:
        return pb.ConfirmTargetsResponse(appraisal=self._simple(request, "confirm_targets"))

    def ApproveTargets(self, request: Any, context: grpc.ServicerContext) -> Any:
        return pb.ApproveTargetsResponse(appraisal=self._simple(request, "approve_targets"))

    def RejectTargets(self, request: Any, context: grpc.ServicerContext) -> Any:
        return pb.RejectTargetsResponse(
            appraisal=self._simple(request, "reject_targets", request.reason)
        )

    def StartAppraisal(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        v.raise_if_any()
        view = service.start_appraisal(self._uow(), current_principal(), appraisal_id, request.etag)
        return pb.StartAppraisalResponse(appraisal=write_appraisal(view))

    # data and scores

    def CollectKpiData(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.cycle_id, "cycle_id", v)
        for i, appraisal_id in enumerate(request.appraisal_ids):
            read_text(appraisal_id, f"appraisal_ids[{i}]", v, max_length=96)
        read_text(request.reason, "reason", v, required=False, max_length=2000)
        v.raise_if_any()
        collection = service.collect_kpi_data(
            self._uow(),
            current_principal(),
            request.cycle_id,
            list(request.appraisal_ids),
            self._kpis.fetcher(bearer_token(context)),
            recollect=request.recollect,
            reason=request.reason,
        )
        return pb.CollectKpiDataResponse(
            collected=collection.collected,
            changed=collection.changed,
            late=collection.late,
            data_due_on=write_date(collection.data_due_on),
            missing=collection.missing,
        )

    def SubmitSelfAssessment(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        scores = _scores(request.scores, "scores", v)
        v.raise_if_any()
        view = service.record_scores(
            self._uow(), current_principal(), appraisal_id, request.etag, scores, review=False
        )
        return pb.SubmitSelfAssessmentResponse(appraisal=write_appraisal(view))

    def SubmitRating(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        scores = _scores(request.scores, "scores", v)
        v.raise_if_any()
        role = service.submit_rating(self._uow(), current_principal(), appraisal_id, scores)
        return pb.SubmitRatingResponse(role=write_enum(role, pb.RaterRole))

    def SubmitReview(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        scores = _scores(request.scores, "scores", v)
        v.raise_if_any()
        view = service.record_scores(
            self._uow(), current_principal(), appraisal_id, request.etag, scores, review=True
        )
        return pb.SubmitReviewResponse(appraisal=write_appraisal(view))

    # incidents and bonus items

    def _adjustment(self, request: Any, kind: str) -> pb.Adjustment:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        read_key(request.item_code, "item_code", v)
        read_text(request.description, "description", v, max_length=2000)
        read_text(request.request_key, "request_key", v, required=False, max_length=128)
        v.raise_if_any()
        record = service.file_adjustment(
            self._uow(),
            current_principal(),
            appraisal_id,
            kind,
            request.item_code,
            request.description,
            request.request_key,
        )
        return write_adjustment(record)

    def FileIncident(self, request: Any, context: grpc.ServicerContext) -> Any:
        return pb.FileIncidentResponse(adjustment=self._adjustment(request, "incident"))

    def RequestBonus(self, request: Any, context: grpc.ServicerContext) -> Any:
        return pb.RequestBonusResponse(adjustment=self._adjustment(request, "bonus"))

    def DecideAdjustment(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.adjustment_id, "adjustment_id", v)
        read_text(request.reason, "reason", v, required=False, max_length=2000)
        v.raise_if_any()
        record = service.decide_adjustment(
            self._uow(),
            current_principal(),
            request.adjustment_id,
            request.confirm,
            request.reason,
        )
        return pb.DecideAdjustmentResponse(adjustment=write_adjustment(record))

    # results

    def IssueResult(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        v.raise_if_any()
        view = service.issue_result(self._uow(), current_principal(), appraisal_id, request.etag)
        return pb.IssueResultResponse(appraisal=write_appraisal(view))

    def SignResult(self, request: Any, context: grpc.ServicerContext) -> Any:
        return pb.SignResultResponse(appraisal=self._simple(request, "sign"))

    def FileResult(self, request: Any, context: grpc.ServicerContext) -> Any:
        return pb.FileResultResponse(appraisal=self._simple(request, "file"))

    def Appeal(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_text(request.reason, "reason", v, max_length=2000)
        v.raise_if_any()
        return pb.AppealResponse(appraisal=self._simple(request, "appeal", request.reason))

    def DecideAppeal(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        read_text(request.reason, "reason", v, max_length=2000)
        corrections = _scores(request.corrections, "corrections", v)
        v.raise_if_any()
        view = service.decide_appeal(
            self._uow(),
            current_principal(),
            appraisal_id,
            request.etag,
            uphold=request.uphold,
            reason=request.reason,
            corrections=corrections,
        )
        return pb.DecideAppealResponse(appraisal=write_appraisal(view))

    def ReissueResult(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        appraisal_id = _appraisal_id(request, v)
        v.raise_if_any()
        view = service.issue_result(
            self._uow(), current_principal(), appraisal_id, request.etag, reissue=True
        )
        return pb.ReissueResultResponse(appraisal=write_appraisal(view))

    def FinalizeAppraisal(self, request: Any, context: grpc.ServicerContext) -> Any:
        return pb.FinalizeAppraisalResponse(appraisal=self._simple(request, "finalize"))

    def ListFiledResults(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.cycle_id, "cycle_id", v)
        v.raise_if_any()
        # Tokens now carry an employee id: ones issued before (an appraisal id) are refused.
        filters = [*page_filters(request), ("after", "employee_id")]
        page = parse_page(request.page_size, request.page_token, filters)
        rows, token = service.list_filed_results(
            self._uow(), current_principal(), request.cycle_id, page, filters
        )
        return pb.ListFiledResultsResponse(
            results=[
                pb.FiledResult(
                    appraisal_id=r.appraisal_id,
                    employee_id=r.employee_id,
                    org_unit_id=r.org_unit_id,
                    period=common_pb2.Period(value=r.cycle_id),
                    state=write_enum(r.state, pb.AppraisalState),
                    issue=r.issue,
                    total=str(r.total),
                    coefficient=str(r.coefficient),
                    grade=f"GRADE_{Grade(r.grade).value}",
                )
                for r in rows
            ],
            next_page_token=token,
        )

    # annual grades, consequences, certification

    def ComputeAnnualGrades(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        level = read_enum(request.level, pb.PopulationLevel, _PopulationLevel, "level", v)
        v.raise_if_any()
        assert level is not None
        outcome = outcomes.compute_annual_grades(
            self._uow(), current_principal(), request.year, str(level)
        )
        return pb.ComputeAnnualGradesResponse(
            populations=[
                write_population(request.year, p, people=False) for p in outcome.populations
            ],
            graded=outcome.graded,
            without_coefficient=[write_annual_grade(g) for g in outcome.without_coefficient],
        )

    def ListAnnualGrades(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.population, "population", v)
        v.raise_if_any()
        view = outcomes.list_annual_grades(self._uow(), request.year, request.population)
        return pb.ListAnnualGradesResponse(population=write_population(request.year, view))

    def ListAnnualResults(self, request: Any, context: grpc.ServicerContext) -> Any:
        filters = page_filters(request)
        page = parse_page(request.page_size, request.page_token, filters)
        rows, token = outcomes.list_annual_results(
            self._uow(), current_principal(), request.year, page, filters
        )
        return pb.ListAnnualResultsResponse(
            grades=[write_annual_grade(g) for g in rows], next_page_token=token
        )

    def CalibrateGrades(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.population, "population", v)
        moves = []
        for i, m in enumerate(request.moves):
            path = f"moves[{i}]"
            read_key(m.employee_id, f"{path}.employee_id", v)
            read_text(m.reason, f"{path}.reason", v, max_length=2000)
            before = _read_grade(m.from_grade, f"{path}.from_grade", v)
            after = _read_grade(m.to_grade, f"{path}.to_grade", v)
            if before is not None and after is not None:
                moves.append(outcomes.GradeMove(m.employee_id, before, after, m.reason))
        v.raise_if_any()
        view = outcomes.calibrate_grades(
            self._uow(), current_principal(), request.year, request.population, moves
        )
        return pb.CalibrateGradesResponse(population=write_population(request.year, view))

    def EvaluateConsequences(self, request: Any, context: grpc.ServicerContext) -> Any:
        found = outcomes.evaluate_consequences(self._uow(), current_principal())
        return pb.EvaluateConsequencesResponse(
            created=found.created, already_known=found.already_known, employees=found.employees
        )

    def ListRecommendations(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.employee_id, "employee_id", v, required=False)
        status = read_enum(
            request.status,
            pb.Recommendation.Status,
            _RecommendationStatus,
            "status",
            v,
            required=False,
        )
        v.raise_if_any()
        filters = page_filters(request)
        page = parse_page(request.page_size, request.page_token, filters)
        rows, token = outcomes.list_recommendations(
            self._uow(), str(status) if status else "", request.employee_id, page, filters
        )
        return pb.ListRecommendationsResponse(
            recommendations=[write_recommendation(r) for r in rows], next_page_token=token
        )

    def DecideRecommendation(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_text(request.key, "key", v, max_length=400)
        read_text(request.reason, "reason", v, required=False, max_length=2000)
        read_key(request.outcome, "outcome", v, required=False)
        v.raise_if_any()
        row = outcomes.decide_recommendation(
            self._uow(),
            current_principal(),
            request.key,
            request.accept,
            request.reason,
            request.outcome,
        )
        return pb.DecideRecommendationResponse(recommendation=write_recommendation(row))

    def GetCertificationStandard(self, request: Any, context: grpc.ServicerContext) -> Any:
        return pb.GetCertificationStandardResponse(
            code=CCCS_OP_2003.code,
            name=CCCS_OP_2003.name_zh,
            categories=[
                pb.CertificationCategory(
                    code=c.code,
                    name_zh=c.name_zh,
                    name_en=c.name_en,
                    maximum=str(c.maximum),
                    sub_items=[
                        pb.CertificationSubItem(
                            code=i.code,
                            name_zh=i.name_zh,
                            name_en=i.name_en,
                            maximum=str(i.maximum),
                        )
                        for i in c.sub_items
                    ],
                )
                for c in CCCS_OP_2003.categories
            ],
        )

    def AssessCenter(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.center_id, "center_id", v)
        assessed_on = read_date(request.assessed_on, "assessed_on", v, required=True)
        scores: dict[str, Decimal] = {}
        for code, text in request.scores.items():
            score = read_decimal(text, f"scores[{code}]", v, digits=POINTS)
            if score is not None:
                scores[code] = score
        v.raise_if_any()
        assert assessed_on is not None
        record, assessment = outcomes.assess_center(
            self._uow(), current_principal(), request.center_id, assessed_on, scores
        )
        return pb.AssessCenterResponse(assessment=write_assessment(record, assessment))

    def ListCenterAssessments(self, request: Any, context: grpc.ServicerContext) -> Any:
        v = Violations()
        read_key(request.center_id, "center_id", v)
        v.raise_if_any()
        found = outcomes.list_center_assessments(self._uow(), request.center_id)
        return pb.ListCenterAssessmentsResponse(
            assessments=[write_assessment(r, a) for r, a in found]
        )


def _read_grade(value: int, field: str, v: Violations) -> Grade | None:
    """GRADE_B → Grade.B (read_enum would lower-case it; grades are upper-case letters)."""
    if value not in pb.Grade.values() or value == pb.GRADE_UNSPECIFIED:
        v.add(field, "is required: GRADE_A … GRADE_E")
        return None
    return Grade(pb.Grade.Name(value).removeprefix("GRADE_"))


class _PopulationLevel(StrEnum):
    DEPARTMENT = "department"
    CENTER = "center"


class _RecommendationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


def _grade(value: str | None) -> str:
    return f"GRADE_{value}" if value else "GRADE_UNSPECIFIED"


def write_annual_grade(g: AnnualGrade) -> pb.AnnualGrade:
    return pb.AnnualGrade(
        employee_id=g.employee_id,
        population=g.population,
        coefficient=write_decimal(g.coefficient),
        basis=g.basis,
        months_used=g.months_used,
        explanation=g.explanation,
        grade=_grade(g.grade),
        distributed_grade=_grade(g.distributed_grade),
        calibration_reason=g.calibration_reason or "",
        calibrated_by=g.calibrated_by or "",
    )


def write_population(
    year: int, view: outcomes.PopulationView, *, people: bool = True
) -> pb.PopulationGrades:
    counts = {str(g): 0 for g in Grade}
    for row in view.grades:
        counts[row.grade or "C"] += 1
    return pb.PopulationGrades(
        year=year,
        population=view.population.population,
        quotas=pb.GradeCounts(counts=view.population.quotas),
        allowed=pb.GradeCounts(counts=view.population.allowed),
        counts=pb.GradeCounts(counts=counts),
        grades=[write_annual_grade(g) for g in view.grades] if people else [],
    )


def write_recommendation(r: Recommendation) -> pb.Recommendation:
    return pb.Recommendation(
        key=r.key,
        employee_id=r.employee_id,
        rule_code=r.rule_code,
        action=r.action,
        evidence=[
            pb.Evidence(period=common_pb2.Period(value=e["period"]), value=e["value"])
            for e in r.evidence
        ],
        status=f"STATUS_{r.status.upper()}",
        decided_by=r.decided_by or "",
        decision_reason=r.decision_reason,
        outcome=r.outcome,
        created_at=write_timestamp(r.created_at),
    )


def write_assessment(
    record: CenterAssessmentRecord, assessment: CertificationAssessment
) -> pb.CenterAssessment:
    return pb.CenterAssessment(
        id=record.id,
        center_id=record.center_id,
        assessed_on=write_date(record.assessed_on),
        categories=[
            pb.CategoryScore(code=c.code, subtotal=str(c.subtotal), maximum=str(c.maximum))
            for c in assessment.categories
        ],
        total=str(assessment.total),
        rounded_total=str(assessment.rounded_total),
        level=write_enum(assessment.level, pb.CertificationLevel),
        assessed_by=record.assessed_by,
        scores=record.scores,
    )


def registration(
    uow_factory: Callable[[], UnitOfWork], metrics_target: Callable[[], str]
) -> ServiceRegistration:
    servicer = AppraisalServicer(uow_factory, MetricsKpiSource(metrics_target))
    return ServiceRegistration(
        full_name=SERVICE_NAME,
        # generated *_grpc.py has no type stubs
        add_to_server=lambda server: appraisal_pb2_grpc.add_AppraisalServiceServicer_to_server(  # type: ignore[no-untyped-call]
            servicer, server
        ),
        access=ACCESS,
    )


__all__ = ["ACCESS", "SERVICE_NAME", "registration"]
