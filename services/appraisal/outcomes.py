"""What follows from results: annual grades, consequences, certification (DOMAIN.md §4.3–4.4).

- **Annual grades.** `compute_annual_grades` reads every employee's filed
  (or final) results of the year: the monthly coefficients, or an annual
  appraisal's (`domain.annual`), then force-distributes grades within each
  population (`domain.distribution`): each department as of the year's end, or
  the whole center. Re-running replaces the year's grades until hr has
  calibrated one of its populations; after that it is refused, so a
  calibration is never silently lost. `calibrate_grades` applies hr's moves
  as one batch within the quotas.
- **Consequences.** `evaluate_consequences` runs seed 004's rules
  (`domain.consequences`) over every employee's monthly coefficients and
  annual grades and stores each new recommendation as pending; a key seen
  before is left as it is (decided or not). hr accepts or rejects; an accepted
  cap tier move becomes a `CapTierChange` the payroll bridge applies from the
  first day of the month after the decision. Nothing else acts on its own.
- **Center certification.** `assess_center` scores a center against
  CCCS-OP-2003 (`domain.certification`) and keeps every assessment.
- **Audit.** Every change here leaves a row in ``appraisal_outcome_audit``
  (`services.common.audit`: who, when, before, after), in the same transaction:
  a population's annual grades computed (entity ``annual_grades``, key
  ``year/population``, only when they differ from what they replace), a grade
  calibrated (``annual_grade``, ``year/employee``), a recommendation made and
  decided (``recommendation``, its key), a cap tier move accepted (``cap_tier``,
  the employee: the net of their moves before and after) and a center assessed
  (``center_assessment``, the center: its previous assessment and this one).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services.appraisal.domain import annual, consequences, distribution
from services.appraisal.domain.certification import CCCS_OP_2003, CertificationAssessment, assess
from services.appraisal.domain.results import Grade
from services.appraisal.domain.workflow import CENTER_TZ, AppraisalState
from services.appraisal.models import (
    AnnualGrade,
    AnnualPopulation,
    Appraisal,
    CapTierChange,
    CenterAssessmentRecord,
    Cycle,
    IssuedResult,
    OutcomeAuditEntry,
    Recommendation,
)
from services.common.audit import Trail
from services.common.auth import Principal, Role
from services.common.db import UnitOfWork, utcnow
from services.common.errors import FailedPrecondition, InvalidArgument, NotFound
from services.common.pagination import PageRequest, next_page_token
from services.common.periods import FIRST_YEAR, LAST_YEAR, Granularity, Period
from services.org.domain.model import OrgUnitKind
from services.org.models import EmployeeVersion, OrgUnitVersion

CENTER = "center"
FILED = (AppraisalState.FILED, AppraisalState.FINAL)
DECIDERS = frozenset({Role.HR})
CAP_TIER_MOVES = {
    consequences.Action.CAP_TIER_DOWN: -1,
    consequences.Action.CAP_TIER_UP_OR_EXCELLENCE_BONUS: +1,
}
CHOICES = {consequences.Action.CAP_TIER_UP_OR_EXCELLENCE_BONUS: ("cap_tier_up", "excellence_bonus")}


# --- reading filed results ---------------------------------------------------------------


def _filed_results(
    session: Session, start: dt.date, end: dt.date
) -> list[tuple[str, str, str, Decimal]]:
    """(employee, cycle id, granularity, coefficient of the latest issue) of filed results."""
    latest = (
        select(IssuedResult.appraisal_id, func.max(IssuedResult.issue).label("issue"))
        .group_by(IssuedResult.appraisal_id)
        .subquery()
    )
    query = (
        select(Appraisal.employee_id, Cycle.id, Cycle.granularity, IssuedResult.coefficient)
        .join(Cycle, Cycle.id == Appraisal.cycle_id)
        .join(latest, latest.c.appraisal_id == Appraisal.id)
        .join(
            IssuedResult,
            (IssuedResult.appraisal_id == latest.c.appraisal_id)
            & (IssuedResult.issue == latest.c.issue),
        )
        .where(
            Appraisal.state.in_(FILED),
            Cycle.period_start >= start,
            Cycle.period_end <= end,
        )
    )
    return [(e, c, str(g), k) for e, c, g, k in session.execute(query).all()]


def _departments(session: Session, as_of: dt.date) -> dict[str, str]:
    """Each employee's department as of a date (their unit's department ancestor)."""
    units = {
        v.org_unit_id: v
        for v in session.scalars(
            select(OrgUnitVersion).where(
                OrgUnitVersion.valid_from <= as_of,
                (OrgUnitVersion.valid_to.is_(None)) | (OrgUnitVersion.valid_to > as_of),
            )
        )
    }

    def department(unit_id: str | None) -> str:
        seen = 0
        while unit_id is not None and unit_id in units and seen < 50:
            if units[unit_id].kind is OrgUnitKind.DEPARTMENT:
                return unit_id
            unit_id, seen = units[unit_id].parent_id, seen + 1
        return CENTER  # not under a department: graded with the center

    employees = session.execute(
        select(EmployeeVersion.employee_id, EmployeeVersion.org_unit_id).where(
            EmployeeVersion.valid_from <= as_of,
            (EmployeeVersion.valid_to.is_(None)) | (EmployeeVersion.valid_to > as_of),
        )
    ).all()
    return {employee: department(unit) for employee, unit in employees}


# --- annual grades -----------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationView:
    population: AnnualPopulation
    grades: list[AnnualGrade]


@dataclass(frozen=True)
class AnnualOutcome:
    populations: list[PopulationView]
    graded: int
    without_coefficient: list[AnnualGrade]


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidArgument.field(
            "year", f"must be between {FIRST_YEAR} and {LAST_YEAR}, got {year}"
        )


def compute_annual_grades(
    uow: UnitOfWork, principal: Principal, year: int, level: str, now: dt.datetime | None = None
) -> AnnualOutcome:
    _check_year(year)
    now = now or utcnow()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    with uow:
        session = uow.session
        calibrated = session.scalar(
            select(func.count())
            .select_from(AnnualGrade)
            .where(AnnualGrade.year == year, AnnualGrade.calibrated_by.is_not(None))
        )
        if calibrated:
            raise FailedPrecondition(
                f"{calibrated} annual grades of {year} were calibrated; they are not recomputed"
            )
        monthly: dict[str, list[annual.MonthlyResult]] = {}
        yearly: dict[str, Decimal] = {}
        for employee, cycle_id, granularity, coefficient in _filed_results(session, start, end):
            period = Period.parse(cycle_id)
            if granularity == Granularity.MONTH:
                monthly.setdefault(employee, []).append(annual.MonthlyResult(period, coefficient))
            elif granularity == Granularity.YEAR:
                yearly[employee] = coefficient
        populations = _departments(session, end) if level == "department" else {}
        before = _grades_by_population(session, year)
        session.execute(delete(AnnualGrade).where(AnnualGrade.year == year))
        session.execute(delete(AnnualPopulation).where(AnnualPopulation.year == year))
        rows: dict[str, AnnualGrade] = {}
        for employee in sorted(set(monthly) | set(yearly)):
            found = annual.annual_coefficient(
                year, monthly.get(employee, []), annual_result=yearly.get(employee)
            )
            rows[employee] = AnnualGrade(
                year=year,
                employee_id=employee,
                population=populations.get(employee, CENTER),
                coefficient=found.coefficient,
                basis=str(found.basis),
                months_used=len(found.months_used),
                explanation=found.explanation,
            )
        by_population: dict[str, list[AnnualGrade]] = {}
        for row in rows.values():
            if row.coefficient is not None:
                by_population.setdefault(row.population, []).append(row)
        views = []
        for name, members in sorted(by_population.items()):
            placed = distribution.distribute(
                [
                    distribution.Candidate(m.employee_id, m.coefficient or Decimal(0))
                    for m in members
                ]
            )
            for placement in placed.placements:
                rows[placement.person_id].grade = str(placement.grade)
                rows[placement.person_id].distributed_grade = str(placement.grade)
            population = AnnualPopulation(
                year=year,
                population=name,
                level=level,
                quotas={str(g): n for g, n in placed.quotas.items()},
                allowed={str(g): n for g, n in placed.allowed.items()},
                computed_at=now,
                computed_by=principal.subject,
            )
            session.add(population)
            views.append(PopulationView(population, sorted(members, key=_rank)))
        session.add_all(rows.values())
        after = _grades_by_population(session, year)
        trail = Trail(OutcomeAuditEntry, principal, now)
        for name in sorted(set(before) | set(after)):
            if before.get(name) != after.get(name):  # a re-run giving the same grades: no change
                trail.add("annual_grades", f"{year}/{name}", before.get(name), after.get(name),
                          "computed")  # fmt: skip
        trail.write(session)
        uow.commit()
        without = [r for r in rows.values() if r.coefficient is None]
        return AnnualOutcome(views, sum(len(v.grades) for v in views), without)


def _grades_by_population(session: Session, year: int) -> dict[str, dict[str, Any]]:
    """A year's populations as the audit keeps them: quotas and each member's grade."""
    found: dict[str, dict[str, Any]] = {}
    for p in session.scalars(select(AnnualPopulation).where(AnnualPopulation.year == year)):
        found[p.population] = {"level": p.level, "quotas": dict(p.quotas), "grades": {}}
    grades = session.execute(
        select(AnnualGrade.population, AnnualGrade.employee_id, AnnualGrade.coefficient,
               AnnualGrade.grade)
        .where(AnnualGrade.year == year)
        .order_by(AnnualGrade.population, AnnualGrade.employee_id)
    )  # fmt: skip
    for population, employee, coefficient, grade in grades:
        entry = found.setdefault(population, {"level": None, "quotas": None, "grades": {}})
        entry["grades"][employee] = {
            "coefficient": None if coefficient is None else str(coefficient),
            "grade": grade,
        }
    return found


def _rank(row: AnnualGrade) -> tuple[Decimal, str]:
    return (-(row.coefficient or Decimal(0)), row.employee_id)


def _population(session: Session, year: int, population: str) -> PopulationView:
    found = session.get(AnnualPopulation, (year, population))
    if found is None:
        raise NotFound(f"no annual grades for population {population!r} in {year}")
    grades = session.scalars(
        select(AnnualGrade).where(AnnualGrade.year == year, AnnualGrade.population == population)
    ).all()
    return PopulationView(found, sorted((g for g in grades if g.grade), key=_rank))


def list_annual_grades(uow: UnitOfWork, year: int, population: str) -> PopulationView:
    _check_year(year)
    with uow:
        return _population(uow.session, year, population)


ANNUAL_RESULT_READERS = frozenset({Role.HR, Role.PERF_ADMIN, Role.PAYROLL})


def list_annual_results(
    uow: UnitOfWork, principal: Principal, year: int, page: PageRequest, token_filters: Any
) -> tuple[list[AnnualGrade], str]:
    """A year's annual results across every population, by employee id (the payroll bridge's read).

    Employees without a coefficient are listed too (grade unset): the year-end
    bonus says why they get none.
    """
    principal.require_any(ANNUAL_RESULT_READERS, "listing annual results")
    _check_year(year)
    query = (
        select(AnnualGrade)
        .where(AnnualGrade.year == year)
        .order_by(AnnualGrade.employee_id)
        .limit(page.size + 1)
    )
    if page.after is not None:
        query = query.where(AnnualGrade.employee_id > str(page.after))
    with uow:
        session = uow.session
        if session.scalar(select(AnnualGrade.employee_id).where(AnnualGrade.year == year)) is None:
            raise NotFound(f"no annual grades for {year}: compute them first")
        rows = list(session.scalars(query))
    more = len(rows) > page.size
    rows = rows[: page.size]
    return rows, next_page_token(rows[-1].employee_id, token_filters) if more else ""


@dataclass(frozen=True)
class GradeMove:
    employee_id: str
    from_grade: Grade
    to_grade: Grade
    reason: str


def calibrate_grades(
    uow: UnitOfWork,
    principal: Principal,
    year: int,
    population: str,
    moves: Sequence[GradeMove],
    now: dt.datetime | None = None,
) -> PopulationView:
    _check_year(year)
    if not moves:
        raise InvalidArgument.field("moves", "give at least one move")
    now = now or utcnow()
    with uow:
        session = uow.session
        view = _population(session, year, population)
        current = distribution.Distribution(
            placements=tuple(
                distribution.Placement(
                    g.employee_id,
                    g.coefficient or Decimal(0),
                    Grade(g.grade or "C"),
                    Grade(g.distributed_grade or g.grade or "C"),
                    g.calibration_reason,
                )
                for g in view.grades
            ),
            quotas={Grade(k): v for k, v in view.population.quotas.items()},
            allowed={Grade(k): v for k, v in view.population.allowed.items()},
        )
        calibrated = distribution.calibrate(
            current,
            [distribution.Move(m.employee_id, m.from_grade, m.to_grade, m.reason) for m in moves],
        )
        by_id = {g.employee_id: g for g in view.grades}
        trail = Trail(OutcomeAuditEntry, principal, now)
        for move in moves:
            row = by_id[move.employee_id]
            before = {"grade": row.grade, "reason": row.calibration_reason}
            row.grade = str(calibrated.grade_of(move.employee_id))
            row.calibration_reason = move.reason.strip()
            row.calibrated_by = principal.subject
            row.calibrated_at = now
            after = {"grade": row.grade, "reason": row.calibration_reason}
            trail.add("annual_grade", f"{year}/{row.employee_id}", before, after, "calibrated")
        trail.write(session)
        uow.commit()
        return PopulationView(view.population, sorted(view.grades, key=_rank))


# --- consequences ------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    created: int
    already_known: int
    employees: int


def evaluate_consequences(
    uow: UnitOfWork, principal: Principal, now: dt.datetime | None = None
) -> Evaluation:
    now = now or utcnow()
    with uow:
        session = uow.session
        months: dict[str, dict[Period, Decimal]] = {}
        for employee, cycle_id, granularity, coefficient in _filed_results(
            session, dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
        ):
            if granularity == Granularity.MONTH:
                months.setdefault(employee, {})[Period.parse(cycle_id)] = coefficient
        years: dict[str, dict[Period, Grade]] = {}
        for row in session.scalars(select(AnnualGrade).where(AnnualGrade.grade.is_not(None))):
            years.setdefault(row.employee_id, {})[Period.parse(str(row.year))] = Grade(
                row.grade or "C"
            )
        known = set(session.scalars(select(Recommendation.key)))
        trail = Trail(OutcomeAuditEntry, principal, now)
        created = already = 0
        employees = sorted(set(months) | set(years))
        for employee in employees:
            history = consequences.History(
                employee, months.get(employee, {}), years.get(employee, {})
            )
            for found in consequences.evaluate(history):
                if found.key in known:
                    already += 1
                    continue
                known.add(found.key)
                created += 1
                recommendation = Recommendation(
                    key=found.key,
                    employee_id=employee,
                    rule_code=found.rule_code,
                    action=str(found.action),
                    evidence=[
                        {"period": str(e.period), "value": str(e.value)} for e in found.evidence
                    ],
                    status="pending",
                    outcome="",
                    decision_reason="",
                    created_at=now,
                )
                session.add(recommendation)
                trail.add("recommendation", found.key, None, _recommendation(recommendation),
                          "recommended")  # fmt: skip
        trail.write(session)
        uow.commit()
        return Evaluation(created, already, len(employees))


def _recommendation(row: Recommendation) -> dict[str, Any]:
    return {
        "employee": row.employee_id, "rule": row.rule_code, "action": row.action,
        "evidence": row.evidence, "status": row.status, "outcome": row.outcome,
        "reason": row.decision_reason,
    }  # fmt: skip


def list_recommendations(
    uow: UnitOfWork, status: str, employee_id: str, page: PageRequest, token_filters: Any
) -> tuple[list[Recommendation], str]:
    query = select(Recommendation).order_by(Recommendation.key).limit(page.size + 1)
    if status:
        query = query.where(Recommendation.status == status)
    if employee_id:
        query = query.where(Recommendation.employee_id == employee_id)
    if page.after is not None:
        query = query.where(Recommendation.key > str(page.after))
    with uow:
        rows = list(uow.session.scalars(query))
    more = len(rows) > page.size
    rows = rows[: page.size]
    return rows, next_page_token(rows[-1].key, token_filters) if more else ""


def decide_recommendation(
    uow: UnitOfWork,
    principal: Principal,
    key: str,
    accept: bool,
    reason: str,
    outcome: str,
    now: dt.datetime | None = None,
) -> Recommendation:
    now = now or utcnow()
    with uow:
        session = uow.session
        row = session.scalars(
            select(Recommendation).where(Recommendation.key == key).with_for_update()
        ).first()
        if row is None:
            raise NotFound(f"recommendation {key!r} does not exist")
        if row.status != "pending":
            raise FailedPrecondition(f"recommendation {key} is already {row.status}")
        if row.employee_id == principal.subject:
            raise FailedPrecondition("hr does not decide on recommendations about themselves")
        action = consequences.Action(row.action)
        choices = CHOICES.get(action, ())
        if accept and choices and outcome not in choices:
            raise InvalidArgument.field("outcome", f"{action} needs one of: {', '.join(choices)}")
        if outcome and (not accept or not choices):
            raise InvalidArgument.field("outcome", f"{action} offers no choice to make")
        if not accept and not reason.strip():
            raise InvalidArgument.field("reason", "a rejection needs a reason")
        trail = Trail(OutcomeAuditEntry, principal, now)
        before = _recommendation(row)
        row.status = "accepted" if accept else "rejected"
        row.outcome = outcome
        row.decided_by = principal.subject
        row.decided_at = now
        row.decision_reason = reason.strip()
        trail.add("recommendation", row.key, before, _recommendation(row), row.status)
        delta = CAP_TIER_MOVES.get(action)
        if accept and delta is not None and outcome != "excellence_bonus":
            today = now.astimezone(CENTER_TZ).date()
            change = CapTierChange(
                recommendation_key=row.key,
                employee_id=row.employee_id,
                delta=delta,
                effective_from=Period.of(Granularity.MONTH, today).next().start,
                decided_by=principal.subject,
                created_at=now,
            )
            net = (
                session.scalar(
                    select(func.coalesce(func.sum(CapTierChange.delta), 0)).where(
                        CapTierChange.employee_id == row.employee_id
                    )
                )
                or 0
            )
            session.add(change)
            trail.add("cap_tier", row.employee_id, {"net_delta": net},
                      {"net_delta": net + delta, "delta": delta,
                       "effective_from": change.effective_from, "recommendation": row.key},
                      "moved")  # fmt: skip
        trail.write(session)
        uow.commit()
        return row


# --- center certification ----------------------------------------------------------------


def assess_center(
    uow: UnitOfWork,
    principal: Principal,
    center_id: str,
    assessed_on: dt.date,
    scores: Mapping[str, Decimal],
) -> tuple[CenterAssessmentRecord, CertificationAssessment]:
    assessment = assess(CCCS_OP_2003, scores)
    now = utcnow()
    with uow:
        session = uow.session
        previous = session.scalars(
            select(CenterAssessmentRecord)
            .where(CenterAssessmentRecord.center_id == center_id)
            .order_by(
                CenterAssessmentRecord.assessed_on.desc(), CenterAssessmentRecord.created_at.desc()
            )
            .limit(1)
        ).first()
        record = CenterAssessmentRecord(
            id=str(uuid.uuid4()),
            center_id=center_id,
            standard=CCCS_OP_2003.code,
            assessed_on=assessed_on,
            scores={code: str(score) for code, score in scores.items()},
            total=assessment.total,
            rounded_total=assessment.rounded_total,
            level=str(assessment.level),
            assessed_by=principal.subject,
            created_at=now,
        )
        session.add(record)
        trail = Trail(OutcomeAuditEntry, principal, now)
        before = None if previous is None else _assessment(previous)
        trail.add("center_assessment", center_id, before, _assessment(record), "assessed")
        trail.write(session)
        uow.commit()
        return record, assessment


def _assessment(record: CenterAssessmentRecord) -> dict[str, Any]:
    return {
        "id": record.id, "standard": record.standard, "assessed_on": record.assessed_on,
        "scores": record.scores, "total": record.total, "rounded_total": record.rounded_total,
        "level": record.level,
    }  # fmt: skip


def list_center_assessments(
    uow: UnitOfWork, center_id: str
) -> list[tuple[CenterAssessmentRecord, CertificationAssessment]]:
    with uow:
        records = uow.session.scalars(
            select(CenterAssessmentRecord)
            .where(CenterAssessmentRecord.center_id == center_id)
            .order_by(
                CenterAssessmentRecord.assessed_on.desc(), CenterAssessmentRecord.created_at.desc()
            )
        ).all()
    return [
        (r, assess(CCCS_OP_2003, {k: Decimal(v) for k, v in r.scores.items()})) for r in records
    ]
