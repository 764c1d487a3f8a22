"""Builders for the appraisal service tests: a small org, targets, fake metrics, a flow driver.

The org (October 2026, no calendar exceptions unless a test sets them)::

    M0 (management, no supervisor: never appraised)
    └── E0 (management, team lead of OPS-T1)
        ├── E1 (non-management agent)
        └── E2 (non-management agent)

`Flow` drives one appraisal along the normal path with the real use cases
(`services.appraisal.service`), each step at a fixed time, so a test can stop
at any state and try the rule it is about. With the default targets, KPI
readings and scores a non-management result is exactly 86.00:

    KPI 60 %:        calls_answered 200 of target 200 → 100 (item weight 60)
                     aht 250 (floor 400, target 200)  →  75 (item weight 40)
                     section (100 × 60 + 75 × 40) / 100 = 90 → 60 × 90 % = 54
    work goals 20 %: review 80 of 100                 → 20 × 80 % = 16
    behaviour 20 %:  review 4 × 20 of 4 × 25          → 20 × 80 % = 16
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Engine, func, select, text

from services.appraisal import service
from services.appraisal.domain.scoring import Linear, Rated, RatioToTarget
from services.appraisal.domain.templates import TargetItem
from services.appraisal.domain.workflow import CENTER_TZ, AppraisalState
from services.appraisal.models import (
    Adjustment,
    Appraisal,
    AppraisalItem,
    AuditEntry,
    IssuedResult,
)
from services.appraisal.service import AppraisalView, Collection, KpiFetcher, KpiReading
from services.common.auth import Principal, Role
from services.common.db import UnitOfWorkFactory
from services.common.periods import Period
from services.org import service as org
from services.org.domain.model import PositionType
from services.org.service import CalendarDay, EmployeeInput
from tests.integration.org_factories import add_employees, d, employee, seed_tree, who

S = AppraisalState
OCT = Period.parse("2026-10")
CYCLE = "2026-10"
E0_ID, E1_ID, E2_ID = "2026-10/E0", "2026-10/E1", "2026-10/E2"

HR = who("H1", Role.HR)
ADMIN = who("P1", Role.PERF_ADMIN)
DUTY = who("D1", Role.DUTY_OFFICER)
BOSS = who("M0", Role.SUPERVISOR, Role.EMPLOYEE)
LEAD = who("E0", Role.SUPERVISOR, Role.EMPLOYEE)
AGENT = who("E1", Role.EMPLOYEE)
AGENT2 = who("E2", Role.EMPLOYEE)

Score = tuple[str, str, Decimal | None, str]


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment on `day` in the center's time zone (UTC+8)."""
    return dt.datetime.combine(d(day), dt.time(hour, minute), tzinfo=CENTER_TZ)


T_TARGETS = at("2026-09-28")
T_START = at("2026-10-01")
T_COLLECT = at("2026-11-03")  # on time: the 3rd working day of November is the 4th
T_SELF = at("2026-11-06")
T_REVIEW = at("2026-11-10")
T_ISSUE = at("2026-11-16")  # a Monday; with no holidays the appeal window ends on the 23rd
T_SIGN = at("2026-11-17")
T_FILE = at("2026-11-18")


# --- org ------------------------------------------------------------------------------


def person(
    emp_id: str,
    org_unit: str,
    supervisor: str | None,
    *,
    management: bool = False,
    **kw: Any,
) -> EmployeeInput:
    made = employee(emp_id, org_unit, supervisor, **kw)
    if management:
        return replace(made, position="team lead", position_type=PositionType.MANAGEMENT)
    return made


def seed_org(uows: UnitOfWorkFactory, *more: EmployeeInput) -> None:
    seed_tree(uows)
    add_employees(
        uows,
        person("M0", "OPS", None, management=True),
        person("E0", "OPS-T1", "M0", management=True),
        person("E1", "OPS-T1", "E0"),
        person("E2", "OPS-T1", "E0"),
    )
    if more:
        add_employees(uows, *more)


def set_calendar(
    uows: UnitOfWorkFactory, *, holidays: Sequence[str] = (), makeup: Sequence[str] = ()
) -> None:
    days = [CalendarDay(d(h), False, "holiday") for h in holidays]
    days += [CalendarDay(d(m), True, "调休 make-up day") for m in makeup]
    org.set_calendar_year(uows(), HR, 2026, days)


def open_october(uows: UnitOfWorkFactory) -> service.OpenedCycle:
    return service.open_cycle(uows(), HR, OCT, "", None, None, now=at("2026-09-25"))


# --- targets --------------------------------------------------------------------------

CALLS = TargetItem(
    section="kpi", code="calls_answered", name="接通量 calls answered", weight=Decimal(60),
    points=Decimal(100), scoring=RatioToTarget(cap=Decimal("1.2")), target=Decimal(200),
    data_provider="ACD",
)  # fmt: skip
AHT = TargetItem(
    section="kpi", code="aht", name="平均处理时长 AHT", weight=Decimal(40), points=Decimal(100),
    scoring=Linear(floor=Decimal(400)), target=Decimal(200), data_provider="ACD",
)  # fmt: skip
GOAL = TargetItem(
    section="work_goals", code="knowledge_base", name="知识库 knowledge base",
    weight=Decimal(100), points=Decimal(100), scoring=Rated(), standard="10 articles",
)  # fmt: skip
SPLIT = {"kpi": Decimal(60), "work_goals": Decimal(20)}
ITEMS = (CALLS, AHT, GOAL)
MANAGEMENT_SPLIT = {"kpi": Decimal(0), "work_goals": Decimal(80)}
MANAGEMENT_ITEMS = (GOAL,)

BEHAVIOUR = ("discipline", "responsibility", "teamwork", "service_attitude")
MANAGEMENT = ("planning", "coaching", "communication", "execution")


def behaviour(*scores: int | str) -> list[Score]:
    """Scores for the four behaviour items; one value is used for all four."""
    values = scores * 4 if len(scores) == 1 else scores
    return [
        ("behaviour_attitude", c, Decimal(v), "") for c, v in zip(BEHAVIOUR, values, strict=True)
    ]


def goal(score: int | str) -> Score:
    return ("work_goals", "knowledge_base", Decimal(score), "")


def ratings(each: int | str) -> list[Score]:
    return [("management_ability", c, Decimal(each), "") for c in MANAGEMENT]


# --- fake metrics ---------------------------------------------------------------------


def reading(value: str | None, version: int = 1) -> KpiReading:
    return KpiReading(None if value is None else Decimal(value), version)


def metrics(values: Mapping[tuple[str, str], KpiReading]) -> KpiFetcher:
    """A KpiFetcher answering from `values`, only for what it is asked."""

    def fetch(
        period: Period, employees: Sequence[str], kpis: Sequence[str]
    ) -> Mapping[tuple[str, str], KpiReading]:
        return {k: v for k, v in values.items() if k[0] in employees and k[1] in kpis}

    return fetch


def default_readings(emp_id: str) -> dict[tuple[str, str], KpiReading]:
    return {(emp_id, "calls_answered"): reading("200"), (emp_id, "aht"): reading("250")}


# --- reading back ---------------------------------------------------------------------


def load(uows: UnitOfWorkFactory, appraisal_id: str) -> Appraisal:
    with uows() as uow:
        row = uow.session.get(Appraisal, appraisal_id)
        assert row is not None, appraisal_id
        return row


def etag_of(uows: UnitOfWorkFactory, appraisal_id: str) -> str:
    return str(load(uows, appraisal_id).version)


def audit(uows: UnitOfWorkFactory, appraisal_id: str) -> list[AuditEntry]:
    with uows() as uow:
        return list(
            uow.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.appraisal_id == appraisal_id)
                .order_by(AuditEntry.id)
            )
        )


def results(uows: UnitOfWorkFactory, appraisal_id: str) -> list[IssuedResult]:
    with uows() as uow:
        return list(
            uow.session.scalars(
                select(IssuedResult)
                .where(IssuedResult.appraisal_id == appraisal_id)
                .order_by(IssuedResult.issue)
            )
        )


def items(uows: UnitOfWorkFactory, appraisal_id: str) -> dict[str, AppraisalItem]:
    with uows() as uow:
        return {
            i.code: i
            for i in uow.session.scalars(
                select(AppraisalItem).where(AppraisalItem.appraisal_id == appraisal_id)
            )
        }


def adjustments(uows: UnitOfWorkFactory, appraisal_id: str) -> list[Adjustment]:
    with uows() as uow:
        return list(
            uow.session.scalars(
                select(Adjustment)
                .where(Adjustment.appraisal_id == appraisal_id)
                .order_by(Adjustment.filed_at, Adjustment.id)
            )
        )


def count(uows: UnitOfWorkFactory, model: type[Any]) -> int:
    with uows() as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def snapshot(uows: UnitOfWorkFactory, appraisal_id: str) -> dict[str, Any]:
    """Everything a refused step must leave as it was."""
    row = load(uows, appraisal_id)
    return {
        "state": row.state,
        "version": row.version,
        "signatures": (row.signed_by_employee, row.signed_by_assessor),
        "issued_on": row.issued_on,
        "collected_late": row.collected_late,
        "appeals_filed": row.appeals_filed,
        "section_weights": dict(row.section_weights),
        "audit": [(a.id, a.transition) for a in audit(uows, appraisal_id)],
        "results": [(r.issue, r.total) for r in results(uows, appraisal_id)],
        "items": sorted(
            (i.section, i.code, i.target, i.actual, i.self_score, i.review_score)
            for i in items(uows, appraisal_id).values()
        ),
        "adjustments": [(a.id, a.status) for a in adjustments(uows, appraisal_id)],
    }


def section(result: IssuedResult, name: str) -> dict[str, Decimal | None]:
    """One section of an issued result, its numbers as Decimals."""
    for s in result.sections:
        if s["section"] == name:
            return {
                "weight": Decimal(s["weight"]),
                "score": None if s["score"] is None else Decimal(s["score"]),
                "weighted": Decimal(s["weighted"]),
            }
    raise KeyError(name)


# --- the flow -------------------------------------------------------------------------


@dataclass
class Flow:
    """One appraisal driven along the normal path by the real use cases."""

    uows: UnitOfWorkFactory
    employee: Principal
    assessor: Principal
    management: bool = False
    cycle: str = CYCLE
    readings: Mapping[tuple[str, str], KpiReading] | None = None
    self_scores: Sequence[Score] = field(default_factory=lambda: [goal(90), *behaviour(25)])
    review_scores: Sequence[Score] = field(default_factory=lambda: [goal(80), *behaviour(20)])

    @property
    def id(self) -> str:
        return f"{self.cycle}/{self.employee.subject}"

    def etag(self) -> str:
        return etag_of(self.uows, self.id)

    def row(self) -> Appraisal:
        return load(self.uows, self.id)

    def set_targets(
        self,
        split: Mapping[str, Decimal] | None = None,
        targets: Sequence[TargetItem] | None = None,
        now: dt.datetime = T_TARGETS,
    ) -> AppraisalView:
        default_split, default_items = (
            (MANAGEMENT_SPLIT, MANAGEMENT_ITEMS) if self.management else (SPLIT, ITEMS)
        )
        return service.set_targets(
            self.uows(), self.assessor, self.id, self.etag(), split or default_split,
            list(targets or default_items), now=now,
        )  # fmt: skip

    def step(self, who: Principal, name: str, now: dt.datetime, reason: str = "") -> AppraisalView:
        return service.simple_transition(
            self.uows(), who, self.id, self.etag(), name, reason=reason, now=now
        )

    def confirm(self, now: dt.datetime = T_TARGETS) -> AppraisalView:
        return self.step(self.employee, "confirm_targets", now)

    def approve(self, now: dt.datetime = T_TARGETS) -> AppraisalView:
        return self.step(ADMIN, "approve_targets", now)

    def start(self, now: dt.datetime = T_START) -> AppraisalView:
        return service.start_appraisal(self.uows(), self.assessor, self.id, self.etag(), now=now)

    def collect(self, fetch: KpiFetcher | None = None, now: dt.datetime = T_COLLECT) -> Collection:
        fetch = fetch or metrics(self.readings or default_readings(self.employee.subject))
        return service.collect_kpi_data(self.uows(), DUTY, self.cycle, [self.id], fetch, now=now)

    def self_assess(
        self, scores: Sequence[Score] | None = None, now: dt.datetime = T_SELF
    ) -> AppraisalView:
        return service.record_scores(
            self.uows(), self.employee, self.id, self.etag(),
            list(scores or self.self_scores), review=False, now=now,
        )  # fmt: skip

    def review(
        self, scores: Sequence[Score] | None = None, now: dt.datetime = T_REVIEW
    ) -> AppraisalView:
        return service.record_scores(
            self.uows(), self.assessor, self.id, self.etag(),
            list(scores or self.review_scores), review=True, now=now,
        )  # fmt: skip

    def issue(self, now: dt.datetime = T_ISSUE) -> AppraisalView:
        return service.issue_result(self.uows(), self.assessor, self.id, self.etag(), now=now)

    def sign(self, now: dt.datetime = T_SIGN) -> AppraisalView:
        self.step(self.employee, "sign", now)
        return self.step(self.assessor, "sign", now)

    def file(self, now: dt.datetime = T_FILE) -> AppraisalView:
        return self.step(HR, "file", now)

    def appeal(self, now: dt.datetime, reason: str = "the KB articles were 10") -> AppraisalView:
        return self.step(self.employee, "appeal", now, reason)

    def uphold(
        self, now: dt.datetime, corrections: Sequence[Score] = (), reason: str = "verified"
    ) -> AppraisalView:
        return service.decide_appeal(
            self.uows(), ADMIN, self.id, self.etag(), uphold=True, reason=reason,
            corrections=list(corrections), now=now,
        )  # fmt: skip

    def reject_appeal(self, now: dt.datetime, reason: str = "scores stand") -> AppraisalView:
        return service.decide_appeal(
            self.uows(), ADMIN, self.id, self.etag(), uphold=False, reason=reason,
            corrections=[], now=now,
        )  # fmt: skip

    def reissue(self, now: dt.datetime) -> AppraisalView:
        return service.issue_result(self.uows(), ADMIN, self.id, self.etag(), reissue=True, now=now)

    def to(self, target: AppraisalState) -> None:
        """Drive the appraisal from where it is to `target` along the normal path."""
        steps: list[tuple[AppraisalState, Any]] = [
            (S.TARGETS_SET, self.set_targets),
            (S.TARGETS_CONFIRMED, self.confirm),
        ]
        if not self.management:
            steps.append((S.TARGETS_APPROVED, self.approve))
        steps += [
            (S.IN_PROGRESS, self.start),
            (S.DATA_COLLECTED, self.collect),
            (S.SELF_ASSESSED, self.self_assess),
            (S.REVIEWED, self.review),
            (S.RESULT_ISSUED, self.issue),
            (S.SIGNED, self.sign),
            (S.FILED, self.file),
        ]
        path = [S.DRAFT, *(state for state, _ in steps)]
        here = path.index(self.row().state)
        there = path.index(target)
        for state, run in steps[here:there]:
            run()
            assert self.row().state is state, (self.id, state, self.row().state)


def agent_flow(uows: UnitOfWorkFactory, who: Principal = AGENT, **kw: Any) -> Flow:
    return Flow(uows, who, LEAD, **kw)


def lead_flow(uows: UnitOfWorkFactory, **kw: Any) -> Flow:
    return Flow(uows, LEAD, BOSS, management=True, **kw)


# --- concurrency ----------------------------------------------------------------------


def wait_for_lock_waiters(engine: Engine, waiting: int, timeout: float = 10.0) -> None:
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(query).scalar_one() >= waiting:
                return
        time.sleep(0.02)
    raise TimeoutError(f"{waiting} writers never waited on the appraisal row together")


RaceResult = TypeVar("RaceResult")


def race_behind_a_lock(
    engine: Engine, lock: str, params: dict[str, object], *calls: Callable[[], RaceResult]
) -> list[RaceResult | BaseException]:
    """Run ``calls`` at once, all held behind a row lock (``lock``, a FOR UPDATE query)
    until every one waits on it, then release them together; each call's result or
    the exception it raised, in order."""
    with ThreadPoolExecutor(max_workers=len(calls)) as pool, engine.connect() as blocker:
        blocker.execute(text(lock), params)
        futures = [pool.submit(call) for call in calls]
        wait_for_lock_waiters(engine, len(calls))
        blocker.rollback()
        return [f.exception(timeout=30) or f.result() for f in futures]
