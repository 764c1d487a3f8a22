"""The appraisal workflow's use cases: one function per RPC, one transaction each.

Every workflow step locks the appraisal row (``SELECT … FOR UPDATE``), lets
`domain.workflow.apply` decide (role and party, etag, state, guard, reason),
applies the payload, bumps the version and writes the audit record, all in
one transaction: a refused step changes nothing. Decisions on incidents and
bonus items and KPI re-collections also bump the version and are audited.
A 360 rating is the rater's own record (who, when, what, in
``appraisal_ratings``), not a change to the appraisal: it takes the same row
lock but leaves the etag alone, so an assessor's form is not invalidated by a
subordinate rating; the review closes the ratings.

Choices where the seeds are silent:

- An appraisal's id is ``<cycle>/<employee>`` (``2026-10/E1001``): readable,
  and unique per cycle by construction.
- The assessor is the employee's supervisor as of the period's end; an
  employee without a supervisor is skipped when the cycle opens (and listed).
- 360 raters are invited when the appraisal starts: the employee (self), their
  direct reports as of the period's end (subordinates) and the assessor
  (supervisor). Ratings are accepted until the review; the review closes them.
- Incidents may be filed and bonus items requested until the result is
  issued, and decided until then or while an upheld appeal is being corrected.
  A decision bumps the etag and is audited.
- A duty officer does not collect their own appraisal's data (someone else
  must), as with every office role on one's own appraisal.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, exists, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from services.appraisal import sheet as sheets
from services.appraisal.domain import workflow as wf
from services.appraisal.domain.evaluation import (
    ItemRecord,
    ScoredItem,
    adjustment,
    evaluate,
    score_items,
)
from services.appraisal.domain.results import DEFAULT_GRADE_BANDS, AppraisalResult, UnscoredSection
from services.appraisal.domain.scoring import (
    Rated,
    RaterRole,
    Rubric,
    ScoringParams,
    ThreeSixty,
    params_from_dict,
    params_to_dict,
)
from services.appraisal.domain.templates import (
    BUILT_IN_TEMPLATES,
    SEED_004_DEFAULT,
    TARGET_KINDS,
    SectionKind,
    TargetItem,
    TargetSheet,
    Template,
)
from services.appraisal.models import (
    Adjustment,
    Appraisal,
    AppraisalItem,
    AuditEntry,
    Cycle,
    IssuedResult,
    OutcomeAuditEntry,
    RaterInvitation,
    Rating,
)
from services.appraisal.sheet import (
    AdjustmentRow,
    AppraisalRow,
    ItemRow,
    RaterRow,
    RatingRow,
    ResultRow,
)
from services.common.audit import Trail
from services.common.auth import Principal, Role
from services.common.db import UnitOfWork, utcnow
from services.common.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Violations,
)
from services.common.limits import chunked
from services.common.pagination import PageRequest, next_page_token
from services.common.periods import Granularity, Period
from services.metrics.domain.catalog import CATALOG, Level
from services.org.domain.calendar import WorkCalendar
from services.org.domain.eligibility import EmploymentFacts, LeaveSpan, decide_eligibility
from services.org.models import EmployeeVersion, Leave
from services.org.service import load_calendar

S = wf.AppraisalState
CLOSE_WORKING_DAYS = 15
"""A cycle closes by default on the 15th working day after its period."""

BEFORE_ISSUE = frozenset(
    {
        S.DRAFT,
        S.TARGETS_SET,
        S.TARGETS_CONFIRMED,
        S.TARGETS_APPROVED,
        S.IN_PROGRESS,
        S.DATA_COLLECTED,
        S.SELF_ASSESSED,
        S.REVIEWED,
    }
)
RATING_OPEN = frozenset({S.IN_PROGRESS, S.DATA_COLLECTED, S.SELF_ASSESSED})
RECOLLECTABLE = frozenset({S.DATA_COLLECTED, S.SELF_ASSESSED, S.REVIEWED})
FILED_STATES = frozenset({S.FILED, S.FINAL})
READ_ALL = frozenset({Role.HR, Role.PERF_ADMIN, Role.DUTY_OFFICER})
RESULT_READERS = frozenset({Role.HR, Role.PERF_ADMIN, Role.PAYROLL})
INCIDENT_DECIDERS = frozenset({Role.HR, Role.PERF_ADMIN})


def template(code: str) -> Template:
    found = BUILT_IN_TEMPLATES.get(code)
    if found is None:
        known = ", ".join(BUILT_IN_TEMPLATES)
        raise InvalidArgument.field("template_code", f"unknown template {code!r}; known: {known}")
    return found


def _actor(principal: Principal) -> wf.Actor:
    return wf.Actor(principal.subject, principal.roles)


MAX_ETAG_DIGITS = 18


def _expected_version(etag: str) -> int:
    if not etag:
        raise InvalidArgument.field("etag", "is required: pass the etag of the appraisal you read")
    # Etags are versions this service wrote: ASCII digits, a handful of them.
    if not (etag.isascii() and etag.isdigit() and len(etag) <= MAX_ETAG_DIGITS):
        raise InvalidArgument.field("etag", f"{etag[:40]!r} is not an etag this service issued")
    return int(etag)


# --- cycles ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedCycle:
    cycle: Cycle
    opened: int
    skipped: list[tuple[str, list[str]]]
    counts: dict[str, int]


def open_cycle(
    uow: UnitOfWork,
    principal: Principal,
    period: Period,
    template_code: str,
    opens_on: dt.date | None,
    closes_on: dt.date | None,
    now: dt.datetime | None = None,
) -> OpenedCycle:
    if period.granularity is Granularity.DAY:
        raise InvalidArgument.field("period", "must be a month, quarter or year")
    form = template(template_code or SEED_004_DEFAULT.code)
    now = now or utcnow()
    with uow:
        session = uow.session
        if session.get(Cycle, str(period)) is not None:
            raise AlreadyExists(f"the cycle for {period} is already open")
        calendar = load_calendar(session, period.start, period.end + dt.timedelta(days=90))
        data_due = wf.data_deadline(period.end, calendar)
        closes = closes_on or calendar.nth_working_day_after(period.end, CLOSE_WORKING_DAYS)
        opens = opens_on or period.start
        if closes < opens:
            raise InvalidArgument.field("closes_on", f"{closes} is before opens_on {opens}")
        cycle = Cycle(
            id=str(period),
            granularity=period.granularity,
            period_start=period.start,
            period_end=period.end,
            template_code=form.code,
            opens_on=opens,
            closes_on=closes,
            data_due_on=data_due,
            opened_at=now,
            opened_by=principal.subject,
        )
        session.add(cycle)
        session.flush()
        versions = session.scalars(
            select(EmployeeVersion).where(
                EmployeeVersion.valid_from <= period.end,
                (EmployeeVersion.valid_to.is_(None)) | (EmployeeVersion.valid_to > period.end),
            )
        ).all()
        leaves: dict[str, list[LeaveSpan]] = {}
        for leave in session.scalars(
            select(Leave).where(
                Leave.cancelled.is_(False),
                Leave.start_date <= period.end,
                Leave.end_date >= period.start,
            )
        ):
            leaves.setdefault(leave.employee_id, []).append(
                LeaveSpan(leave.kind, leave.start_date, leave.end_date)
            )
        skipped: list[tuple[str, list[str]]] = []
        appraisals: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        for version in sorted(versions, key=lambda v: v.employee_id):
            facts = EmploymentFacts(
                status=version.employment_status,
                hire_date=version.hire_date,
                confirmation_date=version.confirmation_date,
                termination_date=version.termination_date,
            )
            decision = decide_eligibility(
                facts, leaves.get(version.employee_id, []), period, calendar
            )
            reasons = [str(r) for r in decision.reasons]
            if version.supervisor_id is None:
                reasons.append("no supervisor to assess them")
            if reasons:
                skipped.append((version.employee_id, reasons))
                continue
            appraisal_id = f"{cycle.id}/{version.employee_id}"
            appraisals.append(
                {
                    "id": appraisal_id,
                    "cycle_id": cycle.id,
                    "employee_id": version.employee_id,
                    "assessor_id": version.supervisor_id,
                    "org_unit_id": version.org_unit_id,
                    "position_type": version.position_type,
                    "template_code": form.code,
                    "period_end": period.end,
                    "state": S.DRAFT,
                    "version": 1,
                    "section_weights": {},
                    "signed_by_employee": False,
                    "signed_by_assessor": False,
                    "collected_late": False,
                    "appeals_filed": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            items.extend(_template_items(form, appraisal_id))
        if appraisals:
            session.execute(insert(Appraisal), appraisals)
        if items:
            session.execute(insert(AppraisalItem), items)
        uow.commit()
        return OpenedCycle(
            cycle, len(appraisals), skipped, {str(S.DRAFT): len(appraisals)} if appraisals else {}
        )


def _template_items(form: Template, appraisal_id: str) -> Iterable[dict[str, Any]]:
    """The template's own scored items (not KPI and work goals, which come from targets)."""
    position = 0
    for section in form.sections:
        if section.kind in TARGET_KINDS or not section.weighted:
            continue
        for item in section.items:
            assert item.scoring is not None  # weighted sections' items are scored (template check)
            position += 1
            yield {
                "appraisal_id": appraisal_id,
                "section": section.code,
                "code": item.code,
                "position": 1000 + position,
                "from_targets": False,
                "name": item.name,
                "weight": item.points,
                "points": item.points,
                "scoring": params_to_dict(item.scoring),
                "standard": "",
                "data_provider": "",
            }


@dataclass(frozen=True)
class CycleStatus:
    cycle: Cycle
    counts: dict[str, int]
    """Appraisals per state."""
    data_due_on: dt.date
    """From the org calendar as it is now, as collection judges lateness: a holiday or
    make-up day declared after the cycle opened moves it (``Cycle.data_due_on`` keeps the
    deadline as it was at opening)."""


def get_cycle(uow: UnitOfWork, cycle_id: str) -> CycleStatus:
    with uow:
        cycle = uow.session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound(f"cycle {cycle_id!r} does not exist")
        counts = dict(
            uow.session.execute(
                select(Appraisal.state, func.count())
                .where(Appraisal.cycle_id == cycle_id)
                .group_by(Appraisal.state)
            ).all()
        )
        due = _data_due(uow.session, cycle.period_end)
        return CycleStatus(cycle, {str(k): v for k, v in counts.items()}, due)


def _data_due(session: Session, period_end: dt.date) -> dt.date:
    """The data deadline under the org calendar as it is now."""
    calendar = load_calendar(session, period_end, period_end + dt.timedelta(days=60))
    return wf.data_deadline(period_end, calendar)


# --- reading ---------------------------------------------------------------------------


@dataclass
class AppraisalView:
    """An appraisal with everything a portal shows; `items` etc. are empty in a summary."""

    row: AppraisalRow
    items: list[ScoredItem] = field(default_factory=list)
    item_rows: list[ItemRow] = field(default_factory=list)
    adjustments: list[AdjustmentRow] = field(default_factory=list)
    raters: list[RaterRow] = field(default_factory=list)
    result: ResultRow | None = None
    section_weights: dict[str, Decimal] = field(default_factory=dict)

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return wf.allowed_transitions(self.row.state)


def _domain(row: AppraisalRow) -> wf.Appraisal:
    signatures = set()
    if row.signed_by_employee:
        signatures.add(wf.Party.EMPLOYEE)
    if row.signed_by_assessor:
        signatures.add(wf.Party.ASSESSOR)
    return wf.Appraisal(
        appraisal_id=row.id,
        employee_id=row.employee_id,
        assessor_id=row.assessor_id,
        position_type=row.position_type,
        period_end=row.period_end,
        state=row.state,
        version=row.version,
        signatures=frozenset(signatures),
        issued_on=row.issued_on,
        collected_late=row.collected_late,
        appeals_filed=row.appeals_filed,
    )


def _records(item_rows: Sequence[ItemRow], ratings: Sequence[RatingRow]) -> list[ItemRecord]:
    by_item: dict[str, dict[RaterRole, list[Decimal]]] = {}
    for rating in ratings:
        by_item.setdefault(rating.item_code, {}).setdefault(RaterRole(rating.role), []).append(
            rating.score
        )
    return [
        ItemRecord(
            section=row.section,
            code=row.code,
            weight=row.weight,
            points=row.points,
            scoring=params_from_dict(row.scoring),
            target=row.target,
            actual=row.actual,
            self_score=row.self_score,
            review_score=row.review_score,
            review_level=row.review_level,
            ratings=by_item.get(row.code, {}) if row.section == _three_sixty_section(row) else {},
        )
        for row in item_rows
    ]


def _three_sixty_section(row: ItemRow) -> str:
    # Ratings are stored per item code; only items scored by 360 read them.
    return row.section if row.scoring.get("method") == "three_sixty" else ""


def _split(row: AppraisalRow) -> dict[str, Decimal]:
    return {code: Decimal(weight) for code, weight in row.section_weights.items()}


def _sheets(conn: Connection, rows: Sequence[AppraisalRow]) -> list[sheets.Sheet]:
    """Rows with everything under them; ratings and raters only where the 360 section
    weighs more than 0 (nobody is invited elsewhere)."""
    return sheets.load(conn, rows, [row.id for row in rows if _three_sixty_weighted(row)])


def _view(sheet: sheets.Sheet) -> AppraisalView:
    """The full view of a sheet: items scored and the section weights resolved."""
    row = sheet.row
    form = template(row.template_code)
    view = AppraisalView(
        row,
        items=_score(form, sheet.items, sheet.ratings),
        item_rows=sheet.items,
        adjustments=sheet.adjustments,
        raters=sheet.raters,
        result=sheet.results[-1] if sheet.results else None,
    )
    try:
        view.section_weights = form.section_weights(row.position_type, _split(row))
    except InvalidArgument:
        view.section_weights = {}  # shared weights not split yet (targets not set)
    return view


def _summaries(conn: Connection, rows: Sequence[AppraisalRow]) -> list[AppraisalView]:
    """Rows with their latest result, nothing else."""
    bare = [sheets.Sheet(row) for row in rows]
    sheets.attach_results(conn, bare)
    return [AppraisalView(s.row, result=s.results[-1] if s.results else None) for s in bare]


def _three_sixty_weighted(row: AppraisalRow) -> bool:
    form = template(row.template_code)
    sections = {s.code for s in form.sections if s.kind is SectionKind.THREE_SIXTY}
    return any(
        share.weight > 0 and sections.intersection(share.sections)
        for share in form.weights[row.position_type]
    )


def _score(
    form: Template, rows: Sequence[ItemRow], ratings: Sequence[RatingRow]
) -> list[ScoredItem]:
    return score_items(form, _records(rows, ratings))


def _supervisor_of(session: Session, employee_id: str, as_of: dt.date) -> str | None:
    return session.scalar(
        select(EmployeeVersion.supervisor_id).where(
            EmployeeVersion.employee_id == employee_id,
            EmployeeVersion.valid_from <= as_of,
            (EmployeeVersion.valid_to.is_(None)) | (EmployeeVersion.valid_to > as_of),
        )
    )


def _check_read(session: Session, row: AppraisalRow, principal: Principal) -> None:
    """The workflow's read rule, plus the assessor's own supervisor where the template says."""
    if wf.can_read(_domain(row), _actor(principal)):
        return
    if (
        Role.SUPERVISOR in principal.roles
        and template(row.template_code).supervisor_reach >= 2
        and _supervisor_of(session, row.assessor_id, row.period_end) == principal.subject
    ):
        return
    raise _denied(principal, row.id)


def _denied(principal: Principal, appraisal_id: str) -> PermissionDenied:
    return PermissionDenied(f"{principal.subject} may not read appraisal {appraisal_id}")


def _readable(session: Session, principal: Principal, appraisal_id: str) -> AppraisalRow:
    """The appraisal, if the caller may read it. A caller who reads only some appraisals
    (their own, their reports') gets the same PERMISSION_DENIED for one that does not
    exist as for one not theirs: the answer never tells whether it exists."""
    row = sheets.read(session.connection(), appraisal_id, lock=False)
    if row is None:
        if principal.has_any(READ_ALL):
            raise NotFound(f"appraisal {appraisal_id!r} does not exist")
        raise _denied(principal, appraisal_id)
    _check_read(session, row, principal)
    return row


def get_appraisal(uow: UnitOfWork, principal: Principal, appraisal_id: str) -> AppraisalView:
    with uow:
        row = _readable(uow.session, principal, appraisal_id)
        return _view(_sheets(uow.session.connection(), [row])[0])


def _second_level(period_end: dt.date, supervisor: str) -> Any:
    """Appraisals whose assessor reports to `supervisor` at the period's end, on a
    template whose `supervisor_reach` is 2.

    The period's end is the cycle's, a constant: the assessors are one uncorrelated set
    that Postgres builds once and hashes, not a subquery run again for every appraisal.
    """
    reach_two = [code for code, t in BUILT_IN_TEMPLATES.items() if t.supervisor_reach >= 2]
    assessors = select(EmployeeVersion.employee_id).where(
        EmployeeVersion.supervisor_id == supervisor,
        EmployeeVersion.valid_from <= period_end,
        (EmployeeVersion.valid_to.is_(None)) | (EmployeeVersion.valid_to > period_end),
    )
    return Appraisal.template_code.in_(reach_two) & Appraisal.assessor_id.in_(assessors)


@dataclass(frozen=True)
class AppraisalFilter:
    cycle_id: str
    employee_id: str = ""
    assessor_id: str = ""
    state: wf.AppraisalState | None = None


def list_appraisals(
    uow: UnitOfWork,
    principal: Principal,
    filters: AppraisalFilter,
    page: PageRequest,
    token_filters: Any,
    *,
    full: bool,
) -> tuple[list[AppraisalView], str]:
    query = select(sheets.APPRAISALS).where(Appraisal.cycle_id == filters.cycle_id)
    if filters.employee_id:
        query = query.where(Appraisal.employee_id == filters.employee_id)
    if filters.assessor_id:
        query = query.where(Appraisal.assessor_id == filters.assessor_id)
    if filters.state is not None:
        query = query.where(Appraisal.state == filters.state)
    reads_all = principal.has_any(READ_ALL)
    if not reads_all and not principal.has_any((Role.EMPLOYEE, Role.SUPERVISOR)):
        raise PermissionDenied(
            "listing appraisals needs hr, perf_admin, duty_officer, supervisor or employee"
        )
    if page.after is not None:
        query = query.where(Appraisal.id > str(page.after))
    with uow:
        cycle = uow.session.get(Cycle, filters.cycle_id)
        if cycle is None:
            raise NotFound(f"cycle {filters.cycle_id!r} does not exist")
        if not reads_all:
            mine = []
            if Role.EMPLOYEE in principal.roles:
                mine.append(Appraisal.employee_id == principal.subject)
            if Role.SUPERVISOR in principal.roles:
                mine.append(Appraisal.assessor_id == principal.subject)
                mine.append(_second_level(cycle.period_end, principal.subject))
            query = query.where(or_(*mine))
        views, more = _page(uow.session, query.order_by(Appraisal.id), page.size, full=full)
    token = next_page_token(views[-1].row.id, token_filters) if more else ""
    return views, token


def _page(
    session: Session, query: Any, size: int, *, full: bool
) -> tuple[list[AppraisalView], bool]:
    """The first `size` appraisals of `query` as views, and whether more follow."""
    conn = session.connection()
    rows = sheets.fetch(conn, AppraisalRow, query.limit(size + 1))
    page = rows[:size]
    views = [_view(s) for s in _sheets(conn, page)] if full else _summaries(conn, page)
    return views, len(rows) > size


def list_audit(uow: UnitOfWork, principal: Principal, appraisal_id: str) -> list[AuditEntry]:
    with uow:
        _readable(uow.session, principal, appraisal_id)
        return list(
            uow.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.appraisal_id == appraisal_id)
                .order_by(AuditEntry.id)
            )
        )


# --- transitions -----------------------------------------------------------------------


def _lock(conn: Connection, appraisal_id: str) -> AppraisalRow:
    row = sheets.read(conn, appraisal_id, lock=True)
    if row is None:
        raise NotFound(f"appraisal {appraisal_id!r} does not exist")
    return row


CALENDAR_TRANSITIONS = frozenset(
    {"collect_data", "issue_result", "reissue_result", "appeal", "finalize"}
)
"""Transitions whose guard, effect or payload counts working days (the others skip the query)."""


def _context(
    session: Session, row: AppraisalRow, now: dt.datetime, reason: str, transition: str = ""
) -> wf.Context:
    if transition and transition not in CALENDAR_TRANSITIONS:
        return wf.Context(calendar=WorkCalendar(), reason=reason)
    today = now.astimezone(wf.CENTER_TZ).date()
    start = min(row.period_end, row.issued_on or row.period_end)
    end = max(today, row.issued_on or row.period_end, row.period_end) + dt.timedelta(days=60)
    return wf.Context(calendar=load_calendar(session, start, end), reason=reason)


def _write_back(row: AppraisalRow, updated: wf.Appraisal, now: dt.datetime) -> None:
    row.state = updated.state
    row.version = updated.version
    row.signed_by_employee = wf.Party.EMPLOYEE in updated.signatures
    row.signed_by_assessor = wf.Party.ASSESSOR in updated.signatures
    row.issued_on = updated.issued_on
    row.collected_late = updated.collected_late
    row.appeals_filed = updated.appeals_filed
    row.updated_at = now


def _audit(record: wf.AuditRecord, detail: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {
        "appraisal_id": record.appraisal_id,
        "transition": record.transition,
        "who": record.who,
        "party": record.party,
        "at": record.when,
        "from_state": record.from_state,
        "to_state": record.to_state,
        "reason": record.reason,
        "version": record.version,
        "late": record.late,
        "detail": dict(detail) if detail else None,
    }


@dataclass
class Step:
    """A transition in progress: the locked appraisal's sheet, the template and the audit
    record. A payload changes the sheet's records and writes what it changed through
    `conn`; the reply is built from the sheet as the payload leaves it."""

    conn: Connection
    sheet: sheets.Sheet
    form: Template
    record: wf.AuditRecord
    context: wf.Context
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def row(self) -> AppraisalRow:
        return self.sheet.row


def _transition(
    uow: UnitOfWork,
    principal: Principal,
    appraisal_id: str,
    etag: str,
    name: str,
    *,
    reason: str = "",
    now: dt.datetime | None = None,
    payload: Callable[[Step], None] | None = None,
) -> AppraisalView:
    """Apply one workflow transition and its payload in one transaction."""
    expected = _expected_version(etag)
    now = now or utcnow()
    with uow:
        session = uow.session
        conn = session.connection()
        row = _lock(conn, appraisal_id)
        context = _context(session, row, now, reason, name)
        updated, record = wf.apply(
            _domain(row), name, _actor(principal), now, context, expected_version=expected
        )
        step = Step(conn, _sheets(conn, [row])[0], template(row.template_code), record, context)
        if payload is not None:
            payload(step)  # may raise: the transaction rolls back, nothing changes
        _write_back(row, updated, now)
        sheets.save_steps(conn, [row])
        sheets.insert_audit(conn, [_audit(record, step.detail)])
        view = _view(step.sheet)
        uow.commit()
        return view


def _touch(
    row: AppraisalRow,
    principal: Principal,
    name: str,
    party: wf.Party,
    now: dt.datetime,
    reason: str,
    detail: Mapping[str, Any],
) -> dict[str, Any]:
    """An audited change that is not a state transition (decisions, re-collections): bumps
    the row's version and returns its audit record; the caller writes both."""
    row.version += 1
    row.updated_at = now
    return {
        "appraisal_id": row.id,
        "transition": name,
        "who": principal.subject,
        "party": party,
        "at": now.astimezone(dt.UTC),
        "from_state": row.state,
        "to_state": row.state,
        "reason": reason,
        "version": row.version,
        "late": False,
        "detail": dict(detail),
    }


# --- targets ---------------------------------------------------------------------------


def set_targets(
    uow: UnitOfWork,
    principal: Principal,
    appraisal_id: str,
    etag: str,
    split: Mapping[str, Decimal],
    items: Sequence[TargetItem],
    now: dt.datetime | None = None,
) -> AppraisalView:
    def payload(step: Step) -> None:
        sheet = TargetSheet(step.form, step.row.position_type, tuple(items), dict(split))
        sheet.validate()
        violations = Violations()
        for i, item in enumerate(items):
            if step.form.section(item.section).kind is not SectionKind.KPI:
                continue
            definition = CATALOG.get(item.code)
            if definition is None or Level.AGENT not in definition.levels:
                violations.add(
                    f"items[{i}].code",
                    f"{item.code!r} is not an agent-level KPI of the metrics catalog",
                )
        violations.raise_if_any()
        targets = [
            ItemRow(
                appraisal_id=step.row.id,
                section=item.section,
                code=item.code,
                position=position,
                from_targets=True,
                name=item.name,
                weight=item.weight,
                points=item.points,
                scoring=params_to_dict(item.scoring),
                target=item.target,
                standard=item.standard,
                data_provider=item.data_provider,
            )
            for position, item in enumerate(items, start=1)
        ]
        step.conn.execute(
            delete(AppraisalItem).where(
                AppraisalItem.appraisal_id == step.row.id, AppraisalItem.from_targets.is_(True)
            )
        )
        sheets.insert_items(step.conn, targets)
        # Targets take positions 1..n, the template's own items 1001 on: targets first.
        step.sheet.items = targets + [i for i in step.sheet.items if not i.from_targets]
        step.row.section_weights = {code: str(w) for code, w in split.items()}
        step.detail["section_weights"] = dict(step.row.section_weights)
        step.detail["targets"] = {
            f"{item.section}/{item.code}": {
                "target": _text(item.target),
                "weight": str(item.weight),
                "points": str(item.points),
                "scoring": params_to_dict(item.scoring),
            }
            for item in items
        }

    return _transition(uow, principal, appraisal_id, etag, "set_targets", now=now, payload=payload)


def simple_transition(
    uow: UnitOfWork,
    principal: Principal,
    appraisal_id: str,
    etag: str,
    name: str,
    *,
    reason: str = "",
    now: dt.datetime | None = None,
) -> AppraisalView:
    """Transitions with no payload: confirm, approve, reject, sign, file, appeal, finalize."""
    return _transition(uow, principal, appraisal_id, etag, name, reason=reason, now=now)


def start_appraisal(
    uow: UnitOfWork,
    principal: Principal,
    appraisal_id: str,
    etag: str,
    now: dt.datetime | None = None,
) -> AppraisalView:
    def payload(step: Step) -> None:
        row = step.row
        weights = step.form.section_weights(row.position_type, _split(row))
        three_sixty = [
            s.code
            for s in step.form.sections
            if s.kind is SectionKind.THREE_SIXTY and weights.get(s.code, Decimal(0)) > 0
        ]
        if not three_sixty:
            return
        reports = step.conn.scalars(
            select(EmployeeVersion.employee_id).where(
                EmployeeVersion.supervisor_id == row.employee_id,
                EmployeeVersion.valid_from <= row.period_end,
                (EmployeeVersion.valid_to.is_(None)) | (EmployeeVersion.valid_to > row.period_end),
            )
        ).all()
        invited = [(row.employee_id, RaterRole.SELF), (row.assessor_id, RaterRole.SUPERVISOR)]
        invited += [(r, RaterRole.SUBORDINATES) for r in reports if r != row.assessor_id]
        step.conn.execute(delete(RaterInvitation).where(RaterInvitation.appraisal_id == row.id))
        step.conn.execute(
            insert(RaterInvitation),
            [
                {"appraisal_id": row.id, "rater_id": rater, "role": str(role)}
                for rater, role in invited
            ],
        )
        step.sheet.raters = sheets.raters_of(step.conn, row.id)  # in the order reads give
        step.detail["raters_invited"] = len(invited)

    return _transition(uow, principal, appraisal_id, etag, "start", now=now, payload=payload)


# --- KPI data --------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiReading:
    value: Decimal | None
    definition_version: int


KpiFetcher = Callable[[Period, Sequence[str], Sequence[str]], Mapping[tuple[str, str], KpiReading]]
"""(period, employee ids, KPI codes) → {(employee, kpi): reading}; raises Unavailable."""


@dataclass(frozen=True)
class Collection:
    collected: int
    changed: int
    late: bool
    data_due_on: dt.date
    missing: list[str]


def collect_kpi_data(
    uow: UnitOfWork,
    principal: Principal,
    cycle_id: str,
    appraisal_ids: Sequence[str],
    fetch: KpiFetcher,
    *,
    recollect: bool = False,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Collection:
    """Read KPI values from metrics (outside any transaction), then store them in one."""
    now = now or utcnow()
    principal.require_any({Role.DUTY_OFFICER}, "collecting KPI data")
    if recollect and not reason.strip():
        raise InvalidArgument.field("reason", "a re-collection needs a reason")
    states = RECOLLECTABLE if recollect else frozenset({S.IN_PROGRESS})
    with uow:
        cycle = uow.session.get(Cycle, cycle_id)
        if cycle is None:
            raise NotFound(f"cycle {cycle_id!r} does not exist")
        query = select(Appraisal.id, Appraisal.employee_id).where(
            Appraisal.cycle_id == cycle_id,
            Appraisal.state.in_(states),
            Appraisal.employee_id != principal.subject,
        )
        if appraisal_ids:
            listed = sorted(set(appraisal_ids))
            targets = {
                appraisal_id: employee_id
                for chunk in chunked(listed)
                for appraisal_id, employee_id in uow.session.execute(
                    query.where(Appraisal.id.in_(chunk))
                )
            }
            _check_listed(uow.session, cycle_id, appraisal_ids, targets, states, principal)
        else:
            targets = dict(uow.session.execute(query).all())
        kpis = sorted(
            set(
                uow.session.scalars(
                    select(AppraisalItem.code)
                    .join(Appraisal, Appraisal.id == AppraisalItem.appraisal_id)
                    .where(
                        Appraisal.cycle_id == cycle_id,
                        AppraisalItem.from_targets.is_(True),
                        AppraisalItem.section.in_(_kpi_sections(cycle.template_code)),
                    )
                )
            )
        )
        period = Period.parse(cycle.id)
        due = _data_due(uow.session, cycle.period_end)
    readings = fetch(period, sorted(set(targets.values())), kpis) if targets and kpis else {}
    tally = _Tally()
    for chunk in _chunks(sorted(targets), 500):
        with uow:
            _collect_chunk(uow.session, chunk, states, cycle, readings, principal, now,
                           recollect=recollect, reason=reason.strip(), tally=tally)  # fmt: skip
            uow.commit()
    return Collection(tally.collected, tally.changed, tally.late, due,
                      tally.missing)  # fmt: skip


@dataclass
class _Tally:
    collected: int = 0
    changed: int = 0
    late: bool = False
    missing: list[str] = field(default_factory=list)


def _collect_chunk(
    session: Session,
    chunk: Sequence[str],
    states: frozenset[wf.AppraisalState],
    cycle: Cycle,
    readings: Mapping[tuple[str, str], KpiReading],
    principal: Principal,
    now: dt.datetime,
    *,
    recollect: bool,
    reason: str,
    tally: _Tally,
) -> None:
    """Store the readings of one chunk of appraisals, locked, with their steps audited."""
    conn = session.connection()
    rows = sheets.fetch(
        conn,
        AppraisalRow,
        select(sheets.APPRAISALS)
        .where(Appraisal.id.in_(chunk))
        .order_by(Appraisal.id)
        .with_for_update(),
    )
    items: dict[str, list[ItemRow]] = {}
    for item in sheets.fetch(
        conn,
        ItemRow,
        select(sheets.ITEMS).where(
            AppraisalItem.appraisal_id.in_(chunk),
            AppraisalItem.section.in_(_kpi_sections(cycle.template_code)),
            AppraisalItem.from_targets.is_(True),
        ),
    ):
        items.setdefault(item.appraisal_id, []).append(item)
    contexts: dict[tuple[dt.date, dt.date | None], wf.Context] = {}
    stored: list[ItemRow] = []
    steps: list[AppraisalRow] = []
    audits: list[dict[str, Any]] = []
    for row in rows:
        if row.state not in states:
            continue  # moved on since we read it
        outcome = _store_readings(row, items.get(row.id, []), readings, now)
        stored += items.get(row.id, [])
        tally.missing.extend(f"{row.id}/{kpi}" for kpi in outcome.missing)
        tally.collected += 1
        if recollect:
            if outcome.changes:
                tally.changed += 1
                steps.append(row)
                audits.append(
                    _touch(row, principal, "recollect_kpi_data", wf.Party.OFFICE, now, reason,
                           {"changes": outcome.changes})
                )  # fmt: skip
            continue
        key = (row.period_end, row.issued_on)  # one calendar read per chunk
        if key not in contexts:
            contexts[key] = _context(session, row, now, reason)
        updated, record = wf.apply(
            _domain(row), "collect_data", _actor(principal), now, contexts[key],
            expected_version=row.version,
        )  # fmt: skip
        _write_back(row, updated, now)
        steps.append(row)
        audits.append(_audit(record, {"kpis": outcome.values} if outcome.values else None))
        tally.late = tally.late or updated.collected_late
    sheets.save_scores(conn, stored)
    sheets.save_steps(conn, steps)
    sheets.insert_audit(conn, audits)


def _kpi_sections(template_code: str) -> list[str]:
    return [s.code for s in template(template_code).sections if s.kind is SectionKind.KPI]


def _check_listed(
    session: Session,
    cycle_id: str,
    appraisal_ids: Sequence[str],
    found: Mapping[str, str],
    states: Iterable[wf.AppraisalState],
    principal: Principal,
) -> None:
    rows = {
        r.id: r
        for chunk in chunked(sorted(set(appraisal_ids)))
        for r in session.scalars(
            select(Appraisal).where(Appraisal.cycle_id == cycle_id, Appraisal.id.in_(chunk))
        )
    }
    for appraisal_id in appraisal_ids:
        row = rows.get(appraisal_id)
        if row is None:
            raise NotFound(f"appraisal {appraisal_id!r} is not in cycle {cycle_id}")
        if row.employee_id == principal.subject:
            raise PermissionDenied(
                f"{principal.subject} may not collect data for their own appraisal"
            )
        if appraisal_id not in found:
            allowed = ", ".join(sorted(str(s) for s in states))
            raise FailedPrecondition(
                f"appraisal {appraisal_id} is in state {row.state}; data is collected in: {allowed}"
            )


@dataclass
class _Stored:
    values: dict[str, str] = field(default_factory=dict)
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def _store_readings(
    row: AppraisalRow,
    items: Sequence[ItemRow],
    readings: Mapping[tuple[str, str], KpiReading],
    now: dt.datetime,
) -> _Stored:
    """Store the readings on the appraisal's KPI target items (loaded by the caller)."""
    stored = _Stored()
    for item in items:
        if item.scoring.get("method") == "rubric":
            continue  # a rubric KPI is scored by the reviewer, not from data
        reading = readings.get((row.employee_id, item.code))
        value = None if reading is None else reading.value
        version = None if reading is None else reading.definition_version
        if value is None:
            stored.missing.append(item.code)
        if (value, version) != (item.actual, item.definition_version):
            stored.changes[item.code] = {
                "old": None if item.actual is None else str(item.actual),
                "new": None if value is None else str(value),
                "old_definition_version": item.definition_version,
                "new_definition_version": version,
            }
        item.actual = value
        item.definition_version = version
        item.collected_at = now
        if value is not None:
            stored.values[item.code] = str(value)
    return stored


def _chunks(values: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- self-assessment, 360, review ------------------------------------------------------


def _score_inputs(
    step: Step, scores: Sequence[tuple[str, str, Decimal | None, str]], *, review: bool
) -> dict[tuple[str, str], ItemRow]:
    """Check scores against the items; return the rows they are for."""
    rows = {(i.section, i.code): i for i in step.sheet.items}
    violations = Violations()
    given: set[tuple[str, str]] = set()
    for n, (section, code, score, level) in enumerate(scores):
        path = f"scores[{n}]"
        item = rows.get((section, code))
        if item is None:
            violations.add(path, f"{section}/{code} is not an item of this appraisal")
            continue
        if (section, code) in given:
            violations.add(path, f"{section}/{code} is scored twice")
        given.add((section, code))
        params = params_from_dict(item.scoring)
        kind = step.form.section(section).kind
        _check_score(violations, path, item, params, kind, score, level, review=review)
    for key, item in rows.items():
        if _needs_score(step.form, item, review=review) and key not in given:
            violations.add("scores", f"{key[0]}/{key[1]} needs a score")
    violations.raise_if_any()
    return rows


def _needs_score(form: Template, item: ItemRow, *, review: bool) -> bool:
    method = item.scoring.get("method")
    kind = form.section(item.section).kind
    if method == "rated":
        return True
    if method == "rubric":
        return review or kind is not SectionKind.KPI
    return False


def _check_score(
    violations: Violations,
    path: str,
    item: ItemRow,
    params: ScoringParams,
    kind: SectionKind,
    score: Decimal | None,
    level: str,
    *,
    review: bool,
) -> None:
    if isinstance(params, Rated):
        if score is None:
            violations.add(f"{path}.score", "a rated item needs a score")
        elif not 0 <= score <= item.points:
            violations.add(f"{path}.score", f"must be between 0 and {item.points}, got {score}")
    elif isinstance(params, Rubric):
        codes = [lv.code for lv in params.levels]
        if level not in codes:
            violations.add(
                f"{path}.level", f"{level!r} is not one of the levels {' / '.join(codes)}"
            )
        elif kind is SectionKind.KPI and not review:
            violations.add(path, "a KPI rubric item is scored by the reviewer")
    else:
        violations.add(
            path, f"{item.section}/{item.code} is scored by {params.method}, not by hand"
        )


def record_scores(
    uow: UnitOfWork,
    principal: Principal,
    appraisal_id: str,
    etag: str,
    scores: Sequence[tuple[str, str, Decimal | None, str]],
    *,
    review: bool,
    now: dt.datetime | None = None,
) -> AppraisalView:
    """The employee's self-assessment, or the assessor's review (which counts)."""
    which = "review" if review else "self"

    def payload(step: Step) -> None:
        rows = _score_inputs(step, scores, review=review)
        changes: dict[str, dict[str, str | None]] = {}
        for section, code, score, level in scores:
            item = rows[(section, code)]
            # A rated item keeps its score, a rubric item its level: the other stays empty.
            rubric = isinstance(params_from_dict(item.scoring), Rubric)
            value = (level or None) if rubric else _text(score)
            field_name = f"{which}_level" if rubric else f"{which}_score"
            changes[f"{section}/{code}"] = {
                "field": field_name,
                "old": _text(getattr(item, field_name)),
                "new": value,
            }
            setattr(item, f"{which}_score", None if rubric else score)
            setattr(item, f"{which}_level", value if rubric else None)
        sheets.save_scores(step.conn, [rows[(section, code)] for section, code, _, _ in scores])
        step.detail["scores"] = changes  # the shape of an upheld appeal's corrections

    name = "review" if review else "self_assess"
    return _transition(uow, principal, appraisal_id, etag, name, now=now, payload=payload)


def submit_rating(
    uow: UnitOfWork,
    principal: Principal,
    appraisal_id: str,
    scores: Sequence[tuple[str, str, Decimal | None, str]],
    now: dt.datetime | None = None,
) -> RaterRole:
    now = now or utcnow()
    with uow:
        session = uow.session
        row = _lock(session.connection(), appraisal_id)
        invitation = session.scalars(
            select(RaterInvitation)
            .where(
                RaterInvitation.appraisal_id == appraisal_id,
                RaterInvitation.rater_id == principal.subject,
            )
            .with_for_update()
        ).first()
        if invitation is None:
            raise PermissionDenied(
                f"{principal.subject} is not invited to rate appraisal {appraisal_id}"
            )
        if invitation.submitted_at is not None:
            raise AlreadyExists(f"{principal.subject} has already rated appraisal {appraisal_id}")
        if row.state not in RATING_OPEN:
            raise FailedPrecondition(
                f"appraisal {appraisal_id} is in state {row.state}; 360 ratings are accepted "
                "from in_progress until the review"
            )
        items = {
            (i.section, i.code): i
            for i in session.scalars(
                select(AppraisalItem).where(AppraisalItem.appraisal_id == appraisal_id)
            )
            if i.scoring.get("method") == "three_sixty"
        }
        violations = Violations()
        given = set()
        for n, (section, code, score, _level) in enumerate(scores):
            item = items.get((section, code))
            if item is None:
                violations.add(f"scores[{n}]", f"{section}/{code} is not a 360 item")
                continue
            if (section, code) in given:
                violations.add(f"scores[{n}]", f"{section}/{code} is rated twice")
            given.add((section, code))
            if score is None or not 0 <= score <= item.points:
                violations.add(f"scores[{n}].score", f"must be between 0 and {item.points}")
        for key in items:
            if key not in given:
                violations.add("scores", f"{key[0]}/{key[1]} needs a rating")
        violations.raise_if_any()
        role = RaterRole(invitation.role)
        # A rating does not move the appraisal's version (raters hold no etag), so it is
        # recorded in the service's change log rather than in the appraisal's own steps.
        trail = Trail(OutcomeAuditEntry, principal, now)
        trail.add(
            "360_rating",
            f"{appraisal_id}/{principal.subject}",
            None,
            {"role": role, "ratings": {f"{sec}/{code}": score for sec, code, score, _ in scores}},
            action="submitted",
        )
        trail.write(session)
        for _section, code, score, _level in scores:
            assert score is not None
            session.add(
                Rating(
                    appraisal_id=appraisal_id,
                    rater_id=principal.subject,
                    item_code=code,
                    role=str(role),
                    score=score,
                )
            )
        invitation.submitted_at = now
        uow.commit()
        return role


# --- incidents and bonus items ---------------------------------------------------------


def file_adjustment(
    uow: UnitOfWork,
    principal: Principal,
    appraisal_id: str,
    kind: str,
    item_code: str,
    description: str,
    request_key: str,
    now: dt.datetime | None = None,
) -> Adjustment:
    """File an incident (anyone) or request a bonus item (employee, colleague, supervisor)."""
    now = now or utcnow()
    if kind not in ("incident", "bonus"):
        raise InvalidArgument.field("kind", f"{kind!r} is neither an incident nor a bonus item")
    if kind == "bonus" and not principal.has_any({Role.EMPLOYEE, Role.SUPERVISOR}):
        raise PermissionDenied(
            "a bonus item is requested by the employee, a colleague or the supervisor"
        )
    with uow:
        session = uow.session
        row = _lock(session.connection(), appraisal_id)  # serialises retries and the issue
        key = request_key or str(uuid.uuid4())
        existing = session.scalars(
            select(Adjustment).where(
                Adjustment.appraisal_id == appraisal_id,
                Adjustment.kind == kind,
                Adjustment.filed_by == principal.subject,
                Adjustment.request_key == key,
            )
        ).first()
        if existing is not None:
            return existing  # a retry: nothing new
        if row.state not in BEFORE_ISSUE:
            raise FailedPrecondition(
                f"appraisal {appraisal_id} is in state {row.state}; incidents and bonus items "
                "are recorded until the result is issued"
            )
        section_kind = SectionKind.INCIDENTS if kind == "incident" else SectionKind.BONUS
        form = template(row.template_code)
        items = {i.code: i for s in form.sections if s.kind is section_kind for i in s.items}
        item = items.get(item_code)
        if item is None:
            raise InvalidArgument.field(
                "item_code",
                f"{item_code!r} is not a {kind} item of template {form.code}; "
                f"known: {', '.join(items) or 'none'}",
            )
        record = Adjustment(
            id=str(uuid.uuid4()),
            appraisal_id=appraisal_id,
            kind=kind,
            item_code=item_code,
            points=item.points,
            description=description,
            request_key=key,
            filed_by=principal.subject,
            filed_at=now,
            status="pending",
            decision_reason="",
        )
        session.add(record)
        uow.commit()
        return record


def decide_adjustment(
    uow: UnitOfWork,
    principal: Principal,
    adjustment_id: str,
    confirm: bool,
    reason: str,
    now: dt.datetime | None = None,
) -> Adjustment:
    now = now or utcnow()
    with uow:
        session = uow.session
        record = session.get(Adjustment, adjustment_id)
        if record is None:
            raise NotFound(f"adjustment {adjustment_id!r} does not exist")
        row = _lock(session.connection(), record.appraisal_id)
        is_assessor = Role.SUPERVISOR in principal.roles and principal.subject == row.assessor_id
        if principal.subject == row.employee_id:
            raise PermissionDenied("an employee does not decide on records of their own appraisal")
        if record.kind == "bonus" and not is_assessor:
            raise PermissionDenied("a bonus item is confirmed by the employee's assessor")
        if record.kind == "incident" and not (is_assessor or principal.has_any(INCIDENT_DECIDERS)):
            raise PermissionDenied("an incident is confirmed by the assessor, hr or perf_admin")
        session.refresh(record, with_for_update=True)
        if record.status != "pending":
            raise FailedPrecondition(f"adjustment {adjustment_id} is already {record.status}")
        if row.state not in BEFORE_ISSUE | {S.APPEAL_UPHELD}:
            raise FailedPrecondition(
                f"appraisal {row.id} is in state {row.state}; records are decided before the "
                "result is issued or while an upheld appeal is corrected"
            )
        if not confirm and not reason.strip():
            raise InvalidArgument.field("reason", "a rejection needs a reason")
        record.status = "confirmed" if confirm else "rejected"
        record.decided_by = principal.subject
        record.decided_at = now
        record.decision_reason = reason.strip()
        party = wf.Party.ASSESSOR if is_assessor else wf.Party.OFFICE
        verb = "confirm" if confirm else "reject"
        entry = _touch(
            row,
            principal,
            f"{verb}_{record.kind}",
            party,
            now,
            reason.strip(),
            {"adjustment": record.id, "item": record.item_code, "points": str(record.points)},
        )
        sheets.save_steps(session.connection(), [row])
        sheets.insert_audit(session.connection(), [entry])
        uow.commit()
        return record


# --- results ---------------------------------------------------------------------------


def _compute(sheet: sheets.Sheet) -> tuple[list[ScoredItem], AppraisalResult]:
    row = sheet.row
    form = template(row.template_code)
    adjustments = [
        adjustment(a.kind, a.item_code, a.points, confirmed=a.status == "confirmed")
        for a in sheet.adjustments
        if a.status != "rejected"
    ]
    try:
        return evaluate(
            form,
            row.position_type,
            _split(row),
            _records(sheet.items, sheet.ratings),
            adjustments,
            bands=DEFAULT_GRADE_BANDS,
        )
    except UnscoredSection as exc:
        raise FailedPrecondition(
            f"the result of {row.id} cannot be computed: "
            + "; ".join(f"{v.field} {v.description}" for v in exc.violations)
        ) from exc


def _issue_payload(step: Step) -> None:
    _scored, result = _compute(step.sheet)
    # Every earlier issue is on the sheet: an issued appraisal's results are loaded.
    issue = max((r.issue for r in step.sheet.results), default=0) + 1
    issued_on = step.record.when.astimezone(wf.CENTER_TZ).date()
    deadline = step.context.calendar.nth_working_day_after(issued_on, wf.APPEAL_WORKING_DAYS)
    step.sheet.results.append(
        ResultRow(
            appraisal_id=step.row.id,
            issue=issue,
            issued_on=issued_on,
            issued_by=step.record.who,
            total=result.total,
            full_score=result.full_score,
            coefficient=result.coefficient,
            grade=str(result.grade),
            sections=[
                {
                    "section": s.name,
                    "weight": str(s.weight),
                    "score": None if s.score is None else str(s.score),
                    "weighted": str(s.weighted),
                }
                for s in result.sections
            ],
            explanation=[
                {
                    "kind": str(c.kind),
                    "section": c.section,
                    "name": c.name,
                    "amount": str(c.amount),
                    "counted": c.counted,
                    "detail": c.detail,
                }
                for c in result.explanation
            ],
            appeal_deadline=deadline,
        )
    )
    sheets.insert_result(step.conn, step.sheet.results[-1])
    step.detail.update({"issue": issue, "total": str(result.total), "grade": str(result.grade)})


def issue_result(
    uow: UnitOfWork,
    principal: Principal,
    appraisal_id: str,
    etag: str,
    *,
    reissue: bool = False,
    now: dt.datetime | None = None,
) -> AppraisalView:
    name = "reissue_result" if reissue else "issue_result"
    return _transition(uow, principal, appraisal_id, etag, name, now=now, payload=_issue_payload)


def decide_appeal(
    uow: UnitOfWork,
    principal: Principal,
    appraisal_id: str,
    etag: str,
    *,
    uphold: bool,
    reason: str,
    corrections: Sequence[tuple[str, str, Decimal | None, str]],
    now: dt.datetime | None = None,
) -> AppraisalView:
    """Reject, or uphold and correct review scores (rated, rubric) or KPI values, audited."""

    def payload(step: Step) -> None:
        if not uphold:
            if corrections:
                raise InvalidArgument.field("corrections", "a rejected appeal corrects nothing")
            return
        rows = {(i.section, i.code): i for i in step.sheet.items}
        violations = Violations()
        changes: dict[str, dict[str, str | None]] = {}
        for n, (section, code, score, level) in enumerate(corrections):
            path = f"corrections[{n}]"
            item = rows.get((section, code))
            if item is None:
                violations.add(path, f"{section}/{code} is not an item of this appraisal")
                continue
            params = params_from_dict(item.scoring)
            key = f"{section}/{code}"
            if isinstance(params, Rated):
                if score is None or not 0 <= score <= item.points:
                    violations.add(f"{path}.score", f"must be between 0 and {item.points}")
                    continue
                changes[key] = {
                    "field": "review_score",
                    "old": _text(item.review_score),
                    "new": str(score),
                }
                item.review_score = score
            elif isinstance(params, Rubric):
                codes = [lv.code for lv in params.levels]
                if level not in codes:
                    violations.add(f"{path}.level", f"{level!r} is not one of {' / '.join(codes)}")
                    continue
                changes[key] = {"field": "review_level", "old": item.review_level, "new": level}
                item.review_level = level
            elif isinstance(params, ThreeSixty):
                violations.add(path, "360 ratings are the raters' own and are not corrected")
            else:
                if score is None:
                    violations.add(f"{path}.score", "give the corrected KPI value")
                    continue
                changes[key] = {"field": "actual", "old": _text(item.actual), "new": str(score)}
                item.actual = score
        violations.raise_if_any()
        sheets.save_scores(step.conn, [rows[(sec, code)] for sec, code, _, _ in corrections])
        step.detail["corrections"] = changes

    name = "uphold_appeal" if uphold else "reject_appeal"
    return _transition(
        uow, principal, appraisal_id, etag, name, reason=reason, now=now, payload=payload
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class FiledResult:
    """What payroll reads of a filed or final appraisal: its latest issued result."""

    appraisal_id: str
    employee_id: str
    org_unit_id: str
    cycle_id: str
    state: wf.AppraisalState
    issue: int
    total: Decimal
    coefficient: Decimal
    grade: str


def list_filed_results(
    uow: UnitOfWork,
    principal: Principal,
    cycle_id: str,
    page: PageRequest,
    token_filters: Any,
) -> tuple[list[FiledResult], str]:
    """A cycle's filed or final results, latest issue each, by employee id.

    Keyset over the unique (cycle_id, employee_id) index, and "no later issue" instead
    of a max(issue) per appraisal over the whole results table, so a page costs the
    same wherever it falls and however many cycles the table holds. Columns, not
    entities: payroll pulls every row of a cycle.
    """
    principal.require_any(RESULT_READERS, "listing filed results")
    later = aliased(IssuedResult)
    query = (
        select(
            Appraisal.id, Appraisal.employee_id, Appraisal.org_unit_id, Appraisal.cycle_id,
            Appraisal.state, IssuedResult.issue, IssuedResult.total, IssuedResult.coefficient,
            IssuedResult.grade,
        )
        .join(IssuedResult, IssuedResult.appraisal_id == Appraisal.id)
        .where(
            Appraisal.cycle_id == cycle_id,
            Appraisal.state.in_(FILED_STATES),
            ~exists().where(
                later.appraisal_id == IssuedResult.appraisal_id, later.issue > IssuedResult.issue
            ),
        )
        .order_by(Appraisal.employee_id)
        .limit(page.size + 1)
    )  # fmt: skip
    if page.after is not None:
        query = query.where(Appraisal.employee_id > str(page.after))
    with uow:
        if uow.session.get(Cycle, cycle_id) is None:
            raise NotFound(f"cycle {cycle_id!r} does not exist")
        rows = [FiledResult(*row) for row in uow.session.execute(query)]
    more = len(rows) > page.size
    rows = rows[: page.size]
    token = next_page_token(rows[-1].employee_id, token_filters) if more else ""
    return rows, token


__all__ = [
    "AppraisalFilter",
    "AppraisalView",
    "Collection",
    "CycleStatus",
    "FiledResult",
    "KpiFetcher",
    "KpiReading",
    "OpenedCycle",
    "collect_kpi_data",
    "decide_adjustment",
    "decide_appeal",
    "file_adjustment",
    "get_appraisal",
    "get_cycle",
    "issue_result",
    "list_appraisals",
    "list_audit",
    "list_filed_results",
    "open_cycle",
    "record_scores",
    "set_targets",
    "simple_transition",
    "start_appraisal",
    "submit_rating",
    "template",
]
