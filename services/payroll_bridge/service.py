"""The payroll bridge's use cases: one function per RPC, one transaction each.

Choices where the seeds are silent:

- A month's performance pay reads the cap table, the employee's position and
  job grade (org, as of the month's last day), their base tier (the latest
  assignment on or before that day; without one, the lowest tier in force)
  and the cap tier moves hr accepted in the appraisal service (effective on
  or before that day).
- An employee whose position × grade has no cap in force is skipped and
  listed, never paid 0 silently.
- Adjustments: when a month is computed, every batched performance-pay line
  whose appraisal has since been re-issued (an upheld appeal) is recomputed
  as of its own month; the difference from what was paid (the line plus
  earlier adjustments) becomes an adjustment line in this month, referencing
  the original line. The original is never touched. Only the last 24 months
  are looked at.
- One batch per month. A month with a batch cannot be recomputed; changes
  reach payroll as adjustments in a later month.
- Incentives (seed 003): a month's computation also pays every incentive
  amount recorded for the month with its schedule as it stands then (a
  schedule is replaced whole, not versioned: a batched line keeps the
  schedule it was computed with in its explanation). Each amount is one
  INCENTIVE line referenced by the amount's own reference; an amount at or
  below the threshold gives a line of 0 with its explanation, not no line.
  Amounts are upserted by (month, employee, reference): a replay changes
  nothing, a new figure replaces the old one until the month is batched, and
  is refused after (FAILED_PRECONDITION; a correction after the batch is not
  implemented yet).
- The year-end bonus (年终奖金) is computed for a year period ("2026") into
  its own batch (``PAY-2026``). Its inputs: the year's parameters (hr,
  required: FAILED_PRECONDITION without them), each employee's annual
  coefficient and annual grade from the appraisal service (everyone the
  appraisal service has an annual result for, with or without a
  coefficient), their position and job grade from org as of December 31, and
  their base pay: the monthly base pay (基本工资 = 岗位工资 + 绩效工资) hr set,
  the row in force on December 31 (ccperf does not hold position pay, so hr
  gives the sum). An employee graded E, or without an annual coefficient,
  gets a line of 0 whose explanation says why, rather than no line: not
  paying is a decision of the rules that payroll and the employee can read,
  and a later re-grade will have a line to adjust. An employee that cannot be
  computed (no HRIS record or no base pay on December 31, no bonus
  coefficient for their position or grade, base pay in another currency) is
  skipped and listed, never paid 0 silently. A re-grade after the year's
  batch does not become an adjustment yet: that is still to be built.
- Lines not read from an appraisal result (incentives, year-end bonuses)
  carry source issue 0.
- A month's performance-pay lines of the same payee and coefficient share one stored
  explanation (``pay_explanations``, keyed by its SHA-256): the appraisal and result
  issue that differ per line are the line's reference and source issue, and
  `explain_line` puts them back. Other lines keep their own explanation.
- Every write records what it changed in ``pay_audit`` (who, when, before, after:
  ``audit.py``), in its own transaction; a replay that changes nothing records nothing.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
from collections.abc import Generator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, collate, delete, func, insert, literal, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.appraisal.domain.results import Grade
from services.appraisal.models import CapTierChange
from services.common.auth import Principal, Role
from services.common.db import UnitOfWork, utcnow
from services.common.errors import (
    AlreadyExists,
    Conflict,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.common.limits import chunked
from services.common.pagination import PageRequest, next_page_token
from services.common.periods import FIRST_YEAR, LAST_YEAR, Granularity, Period
from services.org.models import Employee, EmployeeVersion
from services.payroll_bridge import audit as pay_audit
from services.payroll_bridge.appraisal_source import (
    AnnualFetcher,
    AnnualResult,
    FiledResult,
    ResultsFetcher,
)
from services.payroll_bridge.domain.adjustments import adjustment
from services.payroll_bridge.domain.batch import LineKind, batch_summary
from services.payroll_bridge.domain.brackets import (
    Bracket,
    BracketMode,
    BracketSchedule,
    IncentiveResult,
    RateUnit,
    bracket_incentive,
)
from services.payroll_bridge.domain.caps import CapRow, CapTable, NoCapInForce, TierMove
from services.payroll_bridge.domain.money import Money, exact_add
from services.payroll_bridge.domain.performance_pay import (
    CoefficientBound,
    PerformancePayLine,
    monthly_performance_pay,
)
from services.payroll_bridge.domain.year_end import (
    NoBonusCoefficient,
    YearEndLine,
    YearEndParameters,
    year_end_bonus,
)
from services.payroll_bridge.models import (
    BasePay,
    BaseTier,
    CapRowRecord,
    DraftLine,
    IncentiveAmount,
    IncentiveBracket,
    IncentiveSchedule,
    PayBatch,
    PayBatchLine,
    SharedExplanation,
    YearEndCoefficient,
    YearEndParameterSet,
)

ADJUSTMENT_LOOKBACK_MONTHS = 24
LINE_READERS = frozenset({Role.PAYROLL, Role.HR})


def bound_from_setting(ceiling: str) -> CoefficientBound:
    return CoefficientBound(ceiling=None if ceiling == "none" else Decimal(ceiling))


def batch_id_for(period: Period) -> str:
    return f"PAY-{period}"


def _month(period: Period) -> None:
    if period.granularity is not Granularity.MONTH:
        raise InvalidArgument.field("period", f"{period} is not a month")


def _month_or_year(period: Period) -> None:
    if period.granularity not in (Granularity.MONTH, Granularity.YEAR):
        raise InvalidArgument.field(
            "period", f"{period} is neither a month (2026-10) nor a year (2026)"
        )


def _check_year(year: int) -> Period:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidArgument.field(
            "year", f"must be between {FIRST_YEAR} and {LAST_YEAR}, got {year}"
        )
    return Period(Granularity.YEAR, dt.date(year, 1, 1))


def _refuse_if_batched(session: Session, period: Period, what: str) -> None:
    if session.get(PayBatch, batch_id_for(period)) is not None:
        raise FailedPrecondition(
            f"{period} is already batched ({batch_id_for(period)}): {what} can no longer change"
        )


# --- parameters ----------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    created: int
    updated: int
    unchanged: int


def _domain_row(r: CapRowRecord) -> CapRow:
    return CapRow(
        r.position, r.grade, r.tier, Money(r.amount, r.currency), r.valid_from, r.valid_to
    )


def set_cap_table(
    uow: UnitOfWork, principal: Principal, rows: Sequence[CapRow], now: dt.datetime | None = None
) -> Counts:
    """Upsert rows by (position, grade, tier, valid_from); the whole table is checked first."""
    trail = pay_audit.trail(principal, now or utcnow())
    with uow:
        session = uow.session
        existing = {
            (r.position, r.grade, r.tier, r.valid_from): r
            for r in session.scalars(select(CapRowRecord).with_for_update())
        }
        merged = {key: _domain_row(r) for key, r in existing.items()}
        for row in rows:
            merged[(row.position, row.grade, row.tier, row.valid_from)] = row
        CapTable.of(merged.values())  # raises CapTableInvalid naming the row
        created = updated = unchanged = 0
        for row in rows:
            key = (row.position, row.grade, row.tier, row.valid_from)
            record = existing.get(key)
            if record is None:
                session.add(
                    CapRowRecord(
                        position=row.position, grade=row.grade, tier=row.tier,
                        valid_from=row.valid_from, valid_to=row.valid_to,
                        amount=row.amount.amount, currency=row.amount.currency,
                    )
                )  # fmt: skip
                trail.add("cap_row", pay_audit.cap_row_key(row), None, pay_audit.cap_row(row))
                created += 1
            elif _domain_row(record) == row:
                unchanged += 1
            else:
                before = pay_audit.cap_row(_domain_row(record))
                record.valid_to = row.valid_to
                record.amount = row.amount.amount
                record.currency = row.amount.currency
                trail.add("cap_row", pay_audit.cap_row_key(row), before, pay_audit.cap_row(row))
                updated += 1
        trail.write(session)
        uow.commit()
        return Counts(created, updated, unchanged)


def _cap_table(session: Session) -> CapTable:
    return CapTable.of(_domain_row(r) for r in session.scalars(select(CapRowRecord)))


def list_cap_table(uow: UnitOfWork, as_of: dt.date) -> list[CapRow]:
    with uow:
        rows = _cap_table(uow.session).rows
    return sorted(
        (r for r in rows if r.in_force(as_of)), key=lambda r: (r.position, r.grade, r.tier)
    )


@dataclass(frozen=True)
class TierAssignment:
    employee_id: str
    tier: int
    effective_from: dt.date


def set_base_tiers(
    uow: UnitOfWork,
    principal: Principal,
    assignments: Sequence[TierAssignment],
    now: dt.datetime | None = None,
) -> Counts:
    created = updated = unchanged = 0
    trail = pay_audit.trail(principal, now or utcnow())
    with uow:
        session = uow.session
        # One read, not a get per assignment (each get autoflushed the previous add: two
        # round trips a row, about 1 ms each, 20,000 assignments took over a minute).
        employees = {a.employee_id for a in assignments}
        existing = {
            (r.employee_id, r.effective_from): r
            for r in session.scalars(select(BaseTier).where(*_of(BaseTier.employee_id, employees)))
        }
        for a in assignments:
            record = existing.get((a.employee_id, a.effective_from))
            key = f"{a.employee_id}/{a.effective_from}"
            if record is None:
                record = BaseTier(
                    employee_id=a.employee_id, effective_from=a.effective_from, tier=a.tier
                )
                existing[(a.employee_id, a.effective_from)] = record
                session.add(record)
                trail.add("base_tier", key, None, {"tier": a.tier})
                created += 1
            elif record.tier == a.tier:
                unchanged += 1
            else:
                before = {"tier": record.tier}
                record.tier = a.tier
                trail.add("base_tier", key, before, {"tier": a.tier})
                updated += 1
        try:
            trail.write(session)  # flushes the rows first: an unknown employee fails here
            uow.commit()
        except IntegrityError as exc:
            raise InvalidArgument.field(
                "assignments", "names an employee HRIS has not sent"
            ) from exc
        return Counts(created, updated, unchanged)


# --- computing a month -----------------------------------------------------------------


@dataclass(frozen=True)
class Computation:
    period: Period
    lines: int
    adjustments: int
    totals: dict[str, Money]
    skipped: list[tuple[str, str]]
    incentives: int = 0
    unpaid: int = 0
    """Lines of 0 kept for their reason (grade E, no annual coefficient, below a threshold)."""


@dataclass(frozen=True)
class _Payee:
    position: str
    grade: str
    base_tier: int | None
    moves: tuple[TierMove, ...]


FEW_EMPLOYEES = 1000
"""Up to this many ids are looked up with IN; more read the table and keep theirs.

A month is computed for every appraised employee (100,000 ids would be 100,000 bind
parameters: psycopg refuses more than 65,535, and rendering and parsing them costs
seconds before that), while an adjustment looks up one employee."""


def _of(column: Any, employee_ids: set[str]) -> list[Any]:
    """The WHERE clause that narrows `column` to the ids, or none when they are many."""
    return [column.in_(employee_ids)] if len(employee_ids) <= FEW_EMPLOYEES else []


def _positions(
    session: Session, employee_ids: set[str], as_of: dt.date
) -> dict[str, tuple[str, str]]:
    """Each employee's (position, job grade) on a date, from the org's versions."""
    versions = session.execute(
        select(EmployeeVersion.employee_id, EmployeeVersion.position, EmployeeVersion.grade).where(
            *_of(EmployeeVersion.employee_id, employee_ids),
            EmployeeVersion.valid_from <= as_of,
            (EmployeeVersion.valid_to.is_(None)) | (EmployeeVersion.valid_to > as_of),
        )
    )
    return {
        employee: (position, grade)
        for employee, position, grade in versions
        if employee in employee_ids
    }


def _payees(session: Session, employee_ids: set[str], as_of: dt.date) -> dict[str, _Payee]:
    versions = _positions(session, employee_ids, as_of)
    tiers: dict[str, int] = {}
    for employee, tier in session.execute(
        select(BaseTier.employee_id, BaseTier.tier)
        .where(*_of(BaseTier.employee_id, employee_ids), BaseTier.effective_from <= as_of)
        .order_by(BaseTier.employee_id, BaseTier.effective_from)
    ):
        tiers[employee] = tier  # the latest assignment wins
    moves: dict[str, list[TierMove]] = {}
    for employee, delta, since, key in session.execute(
        select(
            CapTierChange.employee_id, CapTierChange.delta, CapTierChange.effective_from,
            CapTierChange.recommendation_key,
        ).where(*_of(CapTierChange.employee_id, employee_ids))
    ):  # fmt: skip
        if employee in employee_ids:
            moves.setdefault(employee, []).append(TierMove(delta, since, key))
    # One _Payee per distinct (position, grade, tier, moves), shared by its employees: a
    # frozen dataclass per employee was a third of a second for 100,000, and the month's
    # computation looks them up by value (an identical key object skips the comparison).
    shared: dict[tuple[str, str, int | None, tuple[TierMove, ...]], _Payee] = {}
    payees = {}
    for employee, (position, grade) in versions.items():
        fields = (position, grade, tiers.get(employee), tuple(moves.get(employee, ())))
        payee = shared.get(fields)
        if payee is None:
            payee = shared[fields] = _Payee(*fields)
        payees[employee] = payee
    return payees


def _pay(
    table: CapTable, payee: _Payee, coefficient: Decimal, as_of: dt.date, bound: CoefficientBound
) -> PerformancePayLine:
    base = payee.base_tier
    if base is None:
        tiers = table.tiers(payee.position, payee.grade, as_of)
        if not tiers:
            raise NoCapInForce(
                "cap", f"no performance cap for {payee.position}/{payee.grade} on {as_of}"
            )
        base = tiers[0]
    return monthly_performance_pay(
        table, position=payee.position, grade=payee.grade, base_tier=base, moves=payee.moves,
        coefficient=coefficient, as_of=as_of, bound=bound,
    )  # fmt: skip


def _explain(line: PerformancePayLine, result: FiledResult) -> dict[str, Any]:
    return {
        "formula": "performance pay = cap × coefficient (held to the bound), rounded half-up "
        "to the currency's minor unit",
        "values": {
            "appraisal": result.appraisal_id,
            "result_issue": str(result.issue),
            "coefficient": str(line.coefficient),
            "coefficient_used": str(line.coefficient_used),
            "bound_floor": str(line.bound.floor),
            "bound_ceiling": "none" if line.bound.ceiling is None else str(line.bound.ceiling),
            "bound_applied": str(line.bound_applied),
            "position": line.position,
            "grade": line.grade,
            "base_tier": str(line.tier.base_tier),
            "tier_moves": ",".join(
                f"{m.delta:+d}@{m.effective_from}" for m in line.tier.moves_counted
            ),
            "tier": str(line.tier.tier),
            "cap": str(line.cap.amount.amount),
            "cap_valid_from": line.cap.valid_from.isoformat(),
            "currency": line.amount.currency,
            "as_of": line.as_of.isoformat(),
            "raw_amount": str(line.raw_amount.amount),
            "amount": str(line.amount.amount),
        },
        "text": line.detail,
    }


def compute_period(
    uow: UnitOfWork,
    principal: Principal,
    period: Period,
    fetch: ResultsFetcher,
    bound: CoefficientBound,
    now: dt.datetime | None = None,
    fetch_annual: AnnualFetcher | None = None,
) -> Computation:
    """A month's performance pay, incentives and adjustments; or a year's year-end bonus."""
    _month_or_year(period)
    if period.granularity is Granularity.YEAR:
        if fetch_annual is None:
            raise FailedPrecondition("no source of annual results to compute a year from")
        return compute_year_end(uow, principal, period, fetch_annual, now)
    now = now or utcnow()
    with uow:
        if uow.session.scalar(select(PayBatch.id).where(PayBatch.period == str(period))):
            raise FailedPrecondition(
                f"{period} is already batched; later changes become adjustments in a later month"
            )
        earliest = period
        for _ in range(ADJUSTMENT_LOOKBACK_MONTHS):
            earliest = earliest.previous()
        paid_periods = sorted(
            p
            for p in uow.session.scalars(select(PayBatch.period).distinct())
            if str(earliest) <= p < str(period)
            and Period.parse(p).granularity is Granularity.MONTH  # not a year-end batch
        )
    results = fetch(str(period))  # over gRPC, outside any transaction
    later = {p: {r.appraisal_id: r for r in fetch(p)} for p in paid_periods}

    with uow:
        session = uow.session
        table = _cap_table(session)
        payees = _payees(session, {r.employee_id for r in results}, period.end)
        drafts: list[dict[str, Any]] = []
        skipped: list[tuple[str, str]] = []
        as_of, month = period.end, str(period)
        # Employees with the same position, grade, tiers and coefficient get the same line:
        # computed and explained once. The coefficient's text is in the key, so 0.8 and
        # 0.8000 stay apart in the explanation.
        computed: dict[tuple[_Payee, str], tuple[PerformancePayLine, str]] = {}
        shared: dict[str, dict[str, Any]] = {}
        for result in sorted(results, key=lambda r: r.employee_id):
            payee = payees.get(result.employee_id)
            if payee is None:
                skipped.append((result.employee_id, f"no HRIS record on {as_of}"))
                continue
            key = (payee, str(result.coefficient))
            known = computed.get(key)
            if known is None:
                try:
                    line = _pay(table, payee, result.coefficient, as_of, bound)
                except NoCapInForce as exc:
                    skipped.append((result.employee_id, exc.violations[0].description))
                    continue
                explanation_id, shared_part = _shared_explanation(_explain(line, result))
                shared[explanation_id] = shared_part
                known = computed[key] = (line, explanation_id)
            line, explanation_id = known
            drafts.append(
                _draft(month, result.employee_id, LineKind.PERFORMANCE_PAY, result.appraisal_id,
                       line.amount, result.issue, None, None, principal, now,
                       explanation_id=explanation_id)
            )  # fmt: skip
        adjustments = _adjustments(session, period, later, table, bound, principal, now, skipped)
        drafts.extend(adjustments)
        incentives = _incentives(session, period, principal, now, skipped)
        drafts.extend(incentives)
        session.execute(delete(DraftLine).where(DraftLine.period == str(period)))
        _store_shared_explanations(session, shared)
        if drafts:
            _insert_drafts(session, drafts)
        done = _audited(session, principal, now, _computation(
            period, drafts, skipped, adjustments=len(adjustments), incentives=len(incentives)
        ))  # fmt: skip
        uow.commit()
    return done


# A month's performance-pay lines of the same payee and coefficient share their
# explanation but for the appraisal and result issue each read, which are the line's
# reference and source issue: the rest is stored once (`SharedExplanation`), and
# ExplainLine puts the two back.
_LINE_VALUES = ("appraisal", "result_issue")


def _shared_explanation(explained: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The explanation without the line's own values, and its id (SHA-256 of its JSON)."""
    values = {k: v for k, v in explained["values"].items() if k not in _LINE_VALUES}
    part = {**explained, "values": values}
    text = json.dumps(part, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest(), part


def _line_explanation(part: Mapping[str, Any], reference: str, issue: int) -> dict[str, Any]:
    """A line's whole explanation from the shared part: what `_explain` gave it."""
    values = {"appraisal": reference, "result_issue": str(issue), **part["values"]}
    return {**part, "values": values}


def _store_shared_explanations(session: Session, shared: Mapping[str, dict[str, Any]]) -> None:
    """Each explanation not stored yet (a re-run or another month may have stored it)."""
    if not shared:
        return
    dialect = session.get_bind().dialect.name
    upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    rows = [{"id": key, "explanation": part} for key, part in shared.items()]
    session.execute(upsert(SharedExplanation).on_conflict_do_nothing(), rows)


def _insert_drafts(session: Session, drafts: Sequence[Mapping[str, Any]]) -> None:
    """Postgres: COPY (a month of 100,000 lines in about a quarter of executemany's time)."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        session.execute(insert(DraftLine), list(drafts))
        return
    columns = [c.name for c in DraftLine.__table__.columns]
    explanation = columns.index("explanation")
    raw = conn.connection.driver_connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY pay_draft_lines ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        write_row = copy.write_row
        for d in drafts:
            row = [d[c] for c in columns]
            if row[explanation] is not None:
                row[explanation] = json.dumps(row[explanation])  # as psycopg's Json writes it
            write_row(row)


def _computation(
    period: Period,
    drafts: Sequence[Mapping[str, Any]],
    skipped: list[tuple[str, str]],
    *,
    adjustments: int = 0,
    incentives: int = 0,
) -> Computation:
    """Every draft amount was rounded by its rule: a total is the exact sum of the lines."""
    sums: dict[str, Decimal] = {}
    unpaid = 0
    for d in drafts:
        amount, currency = d["amount"], d["currency"]
        sums[currency] = exact_add(sums.get(currency, _ZERO), amount)
        if amount.is_zero() and d["kind"] != LineKind.ADJUSTMENT:
            unpaid += 1
    totals = {currency: Money(sums[currency], currency) for currency in sorted(sums)}
    return Computation(period, len(drafts), adjustments, totals, skipped, incentives, unpaid)


_ZERO = Decimal(0)


def _audited(
    session: Session, principal: Principal, now: dt.datetime, done: Computation
) -> Computation:
    """Record a period's draft computed: its summary, after the one it replaced (if any)."""
    key = str(done.period)
    after = pay_audit.draft(done.lines, done.totals, adjustments=done.adjustments,
                            incentives=done.incentives, unpaid=done.unpaid,
                            skipped=len(done.skipped))  # fmt: skip
    trail = pay_audit.trail(principal, now)
    trail.add("draft", key, pay_audit.last_after(session, "draft", key), after, "computed")
    trail.write(session)
    return done


def _draft(
    period: str, employee: str, kind: LineKind, reference: str, amount: Money, issue: int,
    original: str | None, explanation: dict[str, Any] | None, principal: Principal,
    now: dt.datetime, explanation_id: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A draft row; its explanation is its own, or None for a shared one (explanation_id)."""
    return {
        "period": period, "employee_id": employee, "kind": str(kind),
        "reference": reference, "amount": amount.amount, "currency": amount.currency,
        "source_issue": issue, "original_line_id": original, "explanation": explanation,
        "explanation_id": explanation_id, "computed_at": now, "computed_by": principal.subject,
    }  # fmt: skip


def _adjustments(
    session: Session,
    period: Period,
    later: Mapping[str, Mapping[str, FiledResult]],
    table: CapTable,
    bound: CoefficientBound,
    principal: Principal,
    now: dt.datetime,
    skipped: list[tuple[str, str]],
) -> list[dict[str, Any]]:
    """Adjustment lines for batched pay whose appraisal was re-issued since."""
    originals = session.execute(
        select(PayBatchLine, PayBatch.period)
        .join(PayBatch, PayBatch.id == PayBatchLine.batch_id)
        .where(
            PayBatch.period.in_(list(later)),
            PayBatchLine.kind == str(LineKind.PERFORMANCE_PAY),
        )
    ).all()
    drafts = []
    for original, paid_period in originals:
        result = later[paid_period].get(original.reference)
        corrections = session.execute(
            select(PayBatchLine.amount, PayBatchLine.source_issue).where(
                PayBatchLine.original_line_id == original.id
            )
        ).all()
        seen_issue = max([original.source_issue, *(i for _, i in corrections)])
        if result is None or result.issue <= seen_issue:
            continue
        paid = Money(original.amount, original.currency)
        for amount, _issue in corrections:
            paid = paid + Money(amount, original.currency)
        month = Period.parse(paid_period)
        payee = _payees(session, {original.employee_id}, month.end).get(original.employee_id)
        if payee is None:
            continue
        try:
            line = _pay(table, payee, result.coefficient, month.end, bound)
        except NoCapInForce as exc:
            skipped.append((original.employee_id, f"adjustment of {original.id}: {exc}"))
            continue
        change = adjustment(paid, line.amount, original_reference=original.id,
                            reason=f"result re-issued (issue {result.issue})")  # fmt: skip
        if change.is_zero:
            continue
        explanation = _explain(line, result)
        explanation["formula"] = "adjustment = recomputed amount − amount already paid"
        explanation["values"].update(
            {"original_line": original.id, "already_paid": str(paid.amount),
             "recomputed": str(line.amount.amount), "difference": str(change.difference.amount)}
        )  # fmt: skip
        explanation["text"] = f"{line.detail}; already paid {paid} → adjustment {change.difference}"
        drafts.append(
            _draft(str(period), original.employee_id, LineKind.ADJUSTMENT,
                   f"{original.id}#issue{result.issue}", change.difference, result.issue,
                   original.id, explanation, principal, now)
        )  # fmt: skip
    return drafts


# --- year-end parameters and base pay ----------------------------------------------------


@dataclass(frozen=True)
class YearEndView:
    parameters: YearEndParameters
    updated_at: dt.datetime
    updated_by: str


GRADE_BASIS = "grade"
POSITION_BASIS = "position"


def _year_end_view(session: Session, year: int) -> YearEndView | None:
    record = session.get(YearEndParameterSet, year)
    if record is None:
        return None
    rows = session.scalars(
        select(YearEndCoefficient)
        .where(YearEndCoefficient.year == year)
        .order_by(YearEndCoefficient.basis, YearEndCoefficient.key)
    ).all()
    by = {
        basis: {r.key: r.coefficient for r in rows if r.basis == basis}
        for basis in (GRADE_BASIS, POSITION_BASIS)
    }
    parameters = YearEndParameters(
        year, record.completion_rate, by[GRADE_BASIS], by[POSITION_BASIS], record.currency
    )
    return YearEndView(parameters, record.updated_at, record.updated_by)


def set_year_end_parameters(
    uow: UnitOfWork,
    principal: Principal,
    parameters: YearEndParameters,
    now: dt.datetime | None = None,
) -> tuple[YearEndView, bool]:
    """Replace the year's parameters whole; refused once the year is batched."""
    year = _check_year(parameters.year)
    if not parameters.bonus_coefficient_by_grade and not parameters.bonus_coefficient_by_position:
        raise InvalidArgument.field(
            "grade_coefficients", "give a bonus coefficient for at least one grade or position"
        )
    now = now or utcnow()
    with uow:
        session = uow.session
        record = session.get(YearEndParameterSet, parameters.year, with_for_update=True)
        _refuse_if_batched(session, year, "its parameters")
        created = record is None
        previous = _year_end_view(session, parameters.year)
        if record is None:
            record = YearEndParameterSet(year=parameters.year)
            session.add(record)
        record.completion_rate = parameters.completion_rate
        record.currency = parameters.currency
        record.updated_at = now
        record.updated_by = principal.subject
        session.flush()
        session.execute(
            delete(YearEndCoefficient).where(YearEndCoefficient.year == year.start.year)
        )
        rows = [
            {"year": parameters.year, "basis": basis, "key": key, "coefficient": coefficient}
            for basis, mapping in (
                (GRADE_BASIS, parameters.bonus_coefficient_by_grade),
                (POSITION_BASIS, parameters.bonus_coefficient_by_position),
            )
            for key, coefficient in mapping.items()
        ]
        session.execute(insert(YearEndCoefficient), rows)
        view = _year_end_view(session, parameters.year)
        assert view is not None
        before = None if previous is None else pay_audit.year_end(previous.parameters)
        after = pay_audit.year_end(view.parameters)
        if before != after:  # a replay of the same parameters is no change
            trail = pay_audit.trail(principal, now)
            trail.add("year_end_parameters", str(parameters.year), before, after)
            trail.write(session)
        uow.commit()
    return view, created


@dataclass(frozen=True)
class BasePayAssignment:
    """An employee's monthly base pay (基本工资) from a date."""

    employee_id: str
    amount: Money
    effective_from: dt.date


def _require_pay(field: str, money: Money) -> None:
    if money.amount < 0:
        raise InvalidArgument.field(field, f"must not be negative, got {money}")
    if not money.is_rounded:
        raise InvalidArgument.field(
            field, f"{money} has more decimals than {money.currency} pays in"
        )


def _unknown_employees(session: Session, employee_ids: Sequence[str], field: str) -> None:
    known = {
        found
        for chunk in chunked(sorted(set(employee_ids)))
        for found in session.scalars(select(Employee.id).where(Employee.id.in_(chunk)))
    }
    violations = [
        FieldViolation(f"{field}[{i}].employee_id", f"{employee} is not an employee HRIS has sent")
        for i, employee in enumerate(employee_ids)
        if employee not in known
    ]
    if violations:
        raise InvalidArgument(violations)


def set_base_pay(
    uow: UnitOfWork,
    principal: Principal,
    assignments: Sequence[BasePayAssignment],
    now: dt.datetime | None = None,
) -> Counts:
    """Upsert by (employee, effective from)."""
    for i, a in enumerate(assignments):
        _require_pay(f"assignments[{i}].amount", a.amount)
    created = updated = unchanged = 0
    trail = pay_audit.trail(principal, now or utcnow())
    with uow:
        session = uow.session
        _unknown_employees(session, [a.employee_id for a in assignments], "assignments")
        for a in assignments:
            record = session.get(BasePay, (a.employee_id, a.effective_from))
            key = f"{a.employee_id}/{a.effective_from}"
            if record is None:
                session.add(
                    BasePay(
                        employee_id=a.employee_id, effective_from=a.effective_from,
                        amount=a.amount.amount, currency=a.amount.currency,
                    )
                )  # fmt: skip
                trail.add("base_pay", key, None, pay_audit.money(a.amount))
                created += 1
            elif Money(record.amount, record.currency) == a.amount:
                unchanged += 1
            else:
                before = pay_audit.money(Money(record.amount, record.currency))
                record.amount = a.amount.amount
                record.currency = a.amount.currency
                trail.add("base_pay", key, before, pay_audit.money(a.amount))
                updated += 1
        try:
            trail.write(session)  # flushes the rows first: a concurrent insert fails here
            uow.commit()
        except IntegrityError as exc:
            raise Conflict("base pay was set concurrently for the same dates; retry") from exc
        return Counts(created, updated, unchanged)


def _base_pay(
    session: Session, employee_ids: set[str], as_of: dt.date
) -> dict[str, tuple[Money, dt.date]]:
    """Each employee's base pay in force on a date (the latest row from on or before it)."""
    found: dict[str, tuple[Money, dt.date]] = {}
    for chunk in chunked(sorted(employee_ids)):
        for employee, amount, currency, since in session.execute(
            select(BasePay.employee_id, BasePay.amount, BasePay.currency, BasePay.effective_from)
            .where(BasePay.employee_id.in_(chunk), BasePay.effective_from <= as_of)
            .order_by(BasePay.employee_id, BasePay.effective_from)
        ).all():
            found[employee] = (Money(amount, currency), since)  # the latest row wins
    return found


# --- incentive schedules and amounts -----------------------------------------------------


@dataclass(frozen=True)
class ScheduleView:
    code: str
    schedule: BracketSchedule
    updated_at: dt.datetime
    updated_by: str


def _schedule(session: Session, code: str) -> ScheduleView | None:
    record = session.get(IncentiveSchedule, code)
    if record is None:
        return None
    brackets = session.scalars(
        select(IncentiveBracket)
        .where(IncentiveBracket.schedule_code == code)
        .order_by(IncentiveBracket.position)
    ).all()
    schedule = BracketSchedule(
        brackets=tuple(Bracket(b.lower, b.rate) for b in brackets),
        currency=record.currency,
        threshold=record.threshold,
        mode=BracketMode(record.mode),
        unit=RateUnit(record.unit),
    )
    return ScheduleView(code, schedule, record.updated_at, record.updated_by)


def set_incentive_schedule(
    uow: UnitOfWork,
    principal: Principal,
    code: str,
    schedule: BracketSchedule,
    now: dt.datetime | None = None,
) -> tuple[ScheduleView, bool]:
    """Create or replace a schedule whole; months computed later use the new one."""
    now = now or utcnow()
    with uow:
        session = uow.session
        record = session.get(IncentiveSchedule, code, with_for_update=True)
        created = record is None
        previous = None if record is None else _schedule(session, code)
        if record is None:
            record = IncentiveSchedule(code=code)
            session.add(record)
        record.threshold = schedule.threshold
        record.mode = str(schedule.mode)
        record.unit = str(schedule.unit)
        record.currency = schedule.currency
        record.updated_at = now
        record.updated_by = principal.subject
        try:
            session.flush()
        except IntegrityError as exc:
            raise Conflict(f"schedule {code} was created concurrently; retry") from exc
        session.execute(delete(IncentiveBracket).where(IncentiveBracket.schedule_code == code))
        session.execute(
            insert(IncentiveBracket),
            [
                {"schedule_code": code, "position": n, "lower": b.lower, "rate": b.rate}
                for n, b in enumerate(schedule.brackets)
            ],
        )
        view = _schedule(session, code)
        assert view is not None
        before = None if previous is None else pay_audit.schedule(previous.schedule)
        after = pay_audit.schedule(view.schedule)
        if before != after:  # a replay of the same schedule is no change
            trail = pay_audit.trail(principal, now)
            trail.add("incentive_schedule", code, before, after)
            trail.write(session)
        uow.commit()
    return view, created


@dataclass(frozen=True)
class IncentiveInput:
    """An amount a schedule applies to (seed 003: an employee's share of a month's won amount)."""

    employee_id: str
    amount: Money
    reference: str


def record_incentive_amounts(
    uow: UnitOfWork,
    principal: Principal,
    period: Period,
    schedule_code: str,
    amounts: Sequence[IncentiveInput],
    now: dt.datetime | None = None,
) -> Counts:
    """Upsert by (month, employee, reference); a replay is unchanged, even after the batch."""
    _month(period)
    if not amounts:
        raise InvalidArgument.field("amounts", "give at least one amount")
    seen: dict[tuple[str, str], int] = {}
    for i, a in enumerate(amounts):
        _require_pay(f"amounts[{i}].amount", a.amount)
        key = (a.employee_id, a.reference)
        if key in seen:
            raise InvalidArgument.field(
                f"amounts[{i}]", f"same employee and reference as amounts[{seen[key]}]"
            )
        seen[key] = i
    now = now or utcnow()
    with uow:
        session = uow.session
        view = _schedule(session, schedule_code)
        if view is None:
            raise NotFound(f"incentive schedule {schedule_code!r} does not exist")
        currency = view.schedule.currency
        wrong = [
            FieldViolation(
                f"amounts[{i}].amount.currency_code",
                f"{a.amount.currency} differs from schedule {schedule_code}'s {currency}",
            )
            for i, a in enumerate(amounts)
            if a.amount.currency != currency
        ]
        if wrong:
            raise InvalidArgument(wrong)
        _unknown_employees(session, [a.employee_id for a in amounts], "amounts")
        existing = {
            (r.employee_id, r.reference): r
            for chunk in chunked(sorted({a.employee_id for a in amounts}))
            for r in session.scalars(
                select(IncentiveAmount)
                .where(
                    IncentiveAmount.period == str(period), IncentiveAmount.employee_id.in_(chunk)
                )
                .with_for_update()
            )
        }
        created = updated = unchanged = 0
        trail = pay_audit.trail(principal, now)
        after = {"schedule": schedule_code}
        for a in amounts:
            row = existing.get((a.employee_id, a.reference))
            audited = f"{period}/{a.employee_id}/{a.reference}"
            if row is None:
                session.add(
                    IncentiveAmount(
                        period=str(period), employee_id=a.employee_id, reference=a.reference,
                        schedule_code=schedule_code, amount=a.amount.amount,
                        currency=a.amount.currency, recorded_at=now, recorded_by=principal.subject,
                    )
                )  # fmt: skip
                trail.add("incentive_amount", audited, None, after | pay_audit.money(a.amount))
                created += 1
            elif row.schedule_code == schedule_code and Money(row.amount, row.currency) == a.amount:
                unchanged += 1
            else:
                before = {"schedule": row.schedule_code, "amount": row.amount,
                          "currency": row.currency}  # fmt: skip
                row.schedule_code = schedule_code
                row.amount = a.amount.amount
                row.currency = a.amount.currency
                row.recorded_at = now
                row.recorded_by = principal.subject
                trail.add("incentive_amount", audited, before, after | pay_audit.money(a.amount))
                updated += 1
        if created or updated:
            _refuse_if_batched(session, period, "an incentive amount")
        try:
            trail.write(session)  # flushes the rows first: a concurrent insert fails here
            uow.commit()
        except IntegrityError as exc:
            raise Conflict("the same amounts were recorded concurrently; replay them") from exc
        return Counts(created, updated, unchanged)


_UNIT_SIGNS = {RateUnit.PER_MILLE: "‰", RateUnit.PERCENT: "%"}


def _explain_incentive(code: str, reference: str, result: IncentiveResult) -> dict[str, Any]:
    schedule = result.schedule
    sign = _UNIT_SIGNS[schedule.unit]
    values = {
        "schedule": code,
        "reference": reference,
        "won": str(result.won.amount),
        "currency": result.won.currency,
        "threshold": str(schedule.threshold),
        "mode": str(schedule.mode),
        "unit": str(schedule.unit),
        "above_threshold": str(result.above_threshold).lower(),
        "bracket": "" if result.bracket is None else str(result.bracket),
        "raw_amount": str(result.raw_amount.amount),
        "amount": str(result.amount.amount),
    }
    for piece in result.slices:
        name = f"bracket[{piece.index}]"
        values |= {
            f"{name}.lower": str(piece.lower),
            f"{name}.upper": "" if piece.upper is None else str(piece.upper),
            f"{name}.rate": str(piece.rate),
            f"{name}.base": str(piece.base.amount),
            f"{name}.amount": str(piece.amount.amount),
            f"{name}.counted": str(piece.counted).lower(),
        }
    if schedule.mode is BracketMode.FLAT:
        formula = "incentive = the whole amount × the rate of the bracket it falls in (flat)"
    else:
        formula = "incentive = Σ each bracket's slice of the amount × its rate (progressive)"
    formula += (
        ", paid only when the amount is above the threshold; rounded half-up to the"
        " currency's minor unit"
    )
    if not result.above_threshold:
        text = (
            f"{result.won} is not above schedule {code}'s threshold {schedule.threshold}:"
            f" nothing paid → {result.amount}"
        )
    else:
        parts = [f"{p.base.amount} × {p.rate}{sign}" for p in result.slices if p.counted]
        text = (
            f"{result.won} ({schedule.mode} schedule {code}): {' + '.join(parts) or '0'}"
            f" = {result.raw_amount.amount} → {result.amount}"
        )
    return {"formula": formula, "values": values, "text": text}


def _incentives(
    session: Session,
    period: Period,
    principal: Principal,
    now: dt.datetime,
    skipped: list[tuple[str, str]],
) -> list[dict[str, Any]]:
    """An INCENTIVE line per amount recorded for the month, by its schedule."""
    amounts = session.scalars(
        select(IncentiveAmount)
        .where(IncentiveAmount.period == str(period))
        .order_by(IncentiveAmount.employee_id, IncentiveAmount.reference)
    ).all()
    schedules = {code: _schedule(session, code) for code in {a.schedule_code for a in amounts}}
    drafts = []
    for a in amounts:
        view = schedules[a.schedule_code]
        assert view is not None  # a foreign key
        won = Money(a.amount, a.currency)
        if won.currency != view.schedule.currency:
            skipped.append((a.employee_id, f"incentive {a.reference}: the amount is in "
                            f"{won.currency}, schedule {a.schedule_code} pays in "
                            f"{view.schedule.currency}"))  # fmt: skip
            continue
        result = bracket_incentive(view.schedule, won)
        drafts.append(
            _draft(str(period), a.employee_id, LineKind.INCENTIVE, a.reference, result.amount, 0,
                   None, _explain_incentive(a.schedule_code, a.reference, result), principal, now)
        )  # fmt: skip
    return drafts


# --- computing a year: the year-end bonus ------------------------------------------------


def _explain_year_end(
    line: YearEndLine, result: AnnualResult, base_pay_from: dt.date | None
) -> dict[str, Any]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    values = {
        "year": str(line.year),
        "population": result.population,
        "annual_grade": text(line.annual_grade),
        "annual_coefficient": text(line.annual_coefficient),
        "annual_basis": result.basis,
        "months_used": str(result.months_used),
        "completion_rate": str(line.completion_rate),
        "bonus_coefficient": text(line.bonus_coefficient),
        "bonus_coefficient_source": text(line.bonus_coefficient_source),
        "position": line.position,
        "grade": line.grade,
        "base_pay": str(line.base_pay.amount) if base_pay_from else "",
        "base_pay_from": base_pay_from.isoformat() if base_pay_from else "",
        "currency": line.amount.currency,
        "outcome": str(line.outcome),
        "raw_amount": str(line.raw_amount.amount),
        "amount": str(line.amount.amount),
    }
    return {
        "formula": "year-end bonus = company completion rate × annual performance coefficient"
        " × annual bonus coefficient × base pay, rounded half-up to the currency's minor unit;"
        " an annual grade E gets none",
        "values": values,
        "text": f"{line.reason} = {line.raw_amount.amount} → {line.amount}"
        if line.paid
        else f"{line.reason} → {line.amount}",
    }


def compute_year_end(
    uow: UnitOfWork,
    principal: Principal,
    year: Period,
    fetch_annual: AnnualFetcher,
    now: dt.datetime | None = None,
) -> Computation:
    """A year's draft: one year-end bonus line per employee with an annual result."""
    _check_year(year.start.year)
    now = now or utcnow()
    missing = FailedPrecondition(
        f"{year} has no year-end parameters: hr sets them with SetYearEndParameters first"
    )
    with uow:
        if uow.session.get(PayBatch, batch_id_for(year)) is not None:
            raise FailedPrecondition(f"{year} is already batched ({batch_id_for(year)})")
        if uow.session.get(YearEndParameterSet, year.start.year) is None:
            raise missing
    results = fetch_annual(year.start.year)  # over gRPC, outside any transaction
    if not results:
        raise FailedPrecondition(
            f"the appraisal service has no annual results for {year}: compute the annual grades"
        )
    as_of = year.end
    with uow:
        session = uow.session
        view = _year_end_view(session, year.start.year)
        if view is None:
            raise missing
        parameters = view.parameters
        ids = {r.employee_id for r in results}
        positions = _positions(session, ids, as_of)
        base_pay = _base_pay(session, ids, as_of)
        drafts: list[dict[str, Any]] = []
        skipped: list[tuple[str, str]] = []
        for result in sorted(results, key=lambda r: r.employee_id):
            employee = result.employee_id
            if employee not in positions:
                skipped.append((employee, f"no HRIS record on {as_of}"))
                continue
            position, grade = positions[employee]
            unpaid = result.grade is Grade.E or result.coefficient is None
            pay, since = base_pay.get(employee, (None, None))
            if pay is None and unpaid:
                pay = Money.zero(parameters.currency)  # not needed: nothing is paid
            if pay is None:
                skipped.append((employee, f"no base pay in force on {as_of}"))
                continue
            if pay.currency != parameters.currency:
                skipped.append((employee, f"base pay is in {pay.currency}, {year}'s "
                                f"parameters in {parameters.currency}"))  # fmt: skip
                continue
            try:
                line = year_end_bonus(
                    parameters, position=position, grade=grade, annual_grade=result.grade,
                    annual_coefficient=result.coefficient, base_pay=pay,
                )  # fmt: skip
            except NoBonusCoefficient as exc:
                skipped.append((employee, exc.violations[0].description))
                continue
            drafts.append(
                _draft(str(year), employee, LineKind.YEAR_END_BONUS, f"{year}/{employee}",
                       line.amount, 0, None, _explain_year_end(line, result, since), principal,
                       now)
            )  # fmt: skip
        session.execute(delete(DraftLine).where(DraftLine.period == str(year)))
        if drafts:
            session.execute(insert(DraftLine), drafts)
        done = _audited(session, principal, now, _computation(year, drafts, skipped))
        uow.commit()
    return done


# --- batches ---------------------------------------------------------------------------


def create_batch(
    uow: UnitOfWork, principal: Principal, period: Period, now: dt.datetime | None = None
) -> PayBatch:
    _month_or_year(period)
    now = now or utcnow()
    with uow:
        session = uow.session
        batch_id = batch_id_for(period)
        if session.get(PayBatch, batch_id) is not None:
            raise AlreadyExists(f"{period} already has a batch ({batch_id})")
        # The hash and totals need five columns: the explanations stay in the database.
        drafts = session.execute(
            select(DraftLine.employee_id, DraftLine.kind, DraftLine.reference, DraftLine.amount,
                   DraftLine.currency)
            .where(DraftLine.period == str(period))
            .with_for_update()
        ).all()  # fmt: skip
        if not drafts:
            # A concurrent CreateBatch may have frozen (and deleted) the drafts this read
            # waited for: its batch is committed, and this statement's snapshot sees it.
            if session.scalar(select(PayBatch.id).where(PayBatch.id == batch_id)) is not None:
                raise AlreadyExists(f"{period} already has a batch ({batch_id}), frozen meanwhile")
            raise FailedPrecondition(f"{period} has no computed lines: run ComputePeriod first")
        summary = batch_summary((e, k, r, a, c) for e, k, r, a, c in drafts)
        batch = PayBatch(
            id=batch_id_for(period),
            period=str(period),
            content_hash=summary.content_hash,
            line_count=summary.line_count,
            totals={c: str(m.amount) for c, m in summary.totals.items()},
            created_at=now,
            created_by=principal.subject,
        )
        session.add(batch)
        try:
            session.flush()  # the unique period: a second replica's freeze fails here
        except IntegrityError as exc:
            raise AlreadyExists(f"{period} already has a batch ({batch_id})") from exc
        # Lines numbered by (employee, kind, reference) in code-point order, as Python sorts
        # (byte order of UTF-8: "C" on Postgres, BINARY on SQLite), copied inside the database.
        binary = "C" if session.get_bind().dialect.name == "postgresql" else "BINARY"
        d = DraftLine
        line_no = func.row_number().over(
            order_by=(collate(d.employee_id, binary), collate(d.kind, binary),
                      collate(d.reference, binary))
        )  # fmt: skip
        numbered = (
            select(d.employee_id, d.kind, d.reference, d.amount, d.currency, d.source_issue,
                   d.original_line_id, d.explanation, d.explanation_id, line_no.label("line_no"))
            .where(d.period == str(period))
            .subquery()
        )  # fmt: skip
        n = numbered.c
        session.execute(
            insert(PayBatchLine).from_select(
                ["id", "batch_id", "line_no", "employee_id", "kind", "reference", "amount",
                 "currency", "source_issue", "original_line_id", "explanation",
                 "explanation_id"],
                select(literal(f"{batch.id}/") + cast(n.line_no, String), literal(batch.id),
                       n.line_no, n.employee_id, n.kind, n.reference, n.amount, n.currency,
                       n.source_issue, n.original_line_id, n.explanation, n.explanation_id),
            )
        )  # fmt: skip
        session.execute(delete(DraftLine).where(DraftLine.period == str(period)))
        trail = pay_audit.trail(principal, now)
        trail.add("batch", batch.id, None, pay_audit.batch(batch), "frozen")
        trail.write(session)
        uow.commit()
        return batch


def get_batch(uow: UnitOfWork, batch_id: str) -> PayBatch:
    with uow:
        batch = uow.session.get(PayBatch, batch_id)
        if batch is None:
            raise NotFound(f"batch {batch_id!r} does not exist")
        return batch


def list_batch_lines(
    uow: UnitOfWork, batch_id: str, page: PageRequest, token_filters: Any
) -> tuple[list[PayBatchLine], str]:
    after = 0 if page.after is None else int(page.after)
    with uow:
        if uow.session.get(PayBatch, batch_id) is None:
            raise NotFound(f"batch {batch_id!r} does not exist")
        # A bounded range of line numbers (they run 1..line_count): see _lines.
        query = select(PayBatchLine).where(
            PayBatchLine.batch_id == batch_id,
            PayBatchLine.line_no.between(after + 1, after + page.size + 1),
        )
        rows = list(uow.session.scalars(query.order_by(PayBatchLine.line_no)))
    more = len(rows) > page.size
    rows = rows[: page.size]
    return rows, next_page_token(rows[-1].line_no, token_filters) if more else ""


STREAM_CHUNK = 5000


_LINES_SQL = (
    "SELECT id, line_no, employee_id, kind, reference, CAST(amount AS TEXT), currency, "
    "original_line_id FROM pay_batch_lines "
    "WHERE batch_id = {} AND line_no BETWEEN {} AND {} ORDER BY line_no"
)
_LINES = text(_LINES_SQL.format(":batch", ":first", ":last"))
_LINES_PSYCOPG = _LINES_SQL.format("%s", "%s", "%s")


def _lines(session: Session, batch_id: str, first: int, last: int) -> list[tuple[Any, ...]]:
    """Lines first..last of a batch, as the wire needs them (the amount as written).

    A batch's lines are numbered 1..line_count, so a chunk is a bounded range of the
    (batch_id, line_no) index: right after the freeze the planner's statistics do not
    know the batch yet, and "line_no > n ORDER BY line_no LIMIT k" was planned as a
    bitmap scan of every later line plus a sort, for every chunk. This is the hot loop
    of StreamBatchLines: on Postgres psycopg's own tuples, no SQLAlchemy rows.
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor:
            rows: list[tuple[Any, ...]] = cursor.execute(
                _LINES_PSYCOPG, (batch_id, first, last)
            ).fetchall()
            return rows
    params = {"batch": batch_id, "first": first, "last": last}
    return [tuple(row) for row in conn.execute(_LINES, params)]


def stream_batch_lines(
    uow_factory: Any, batch_id: str, chunk: int = STREAM_CHUNK
) -> Generator[list[tuple[Any, ...]], None, None]:
    """The batch's lines in order, `chunk` at a time, each chunk its own short read.

    The next chunk is read while the caller turns this one into a message and sends it:
    the database scans and ships the rows while this process builds the protobufs,
    instead of each waiting for the other (a third of the stream's time for 100,000
    lines). One read at a time, on one thread of the stream's own, in the caller's
    context (logging, tracing); a stream the client abandons waits for that one read.
    """
    batch = get_batch(uow_factory(), batch_id)

    def read(first: int) -> list[tuple[Any, ...]]:
        with uow_factory() as uow:
            return _lines(uow.session, batch_id, first, first + chunk - 1)

    firsts = range(1, batch.line_count + 1, chunk)
    if not firsts:
        return
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="stream-read") as reader:
        pending = reader.submit(context.run, read, firsts[0])
        for first in firsts[1:]:
            rows = pending.result()
            pending = reader.submit(context.run, read, first)
            yield rows
        yield pending.result()


def acknowledge_batch(
    uow: UnitOfWork, principal: Principal, batch_id: str, content_hash: str,
    now: dt.datetime | None = None,
) -> PayBatch:  # fmt: skip
    now = now or utcnow()
    with uow:
        batch = uow.session.scalars(
            select(PayBatch).where(PayBatch.id == batch_id).with_for_update()
        ).first()
        if batch is None:
            raise NotFound(f"batch {batch_id!r} does not exist")
        if content_hash != batch.content_hash:
            raise FailedPrecondition(
                f"content_hash {content_hash!r} is not batch {batch_id}'s; re-read the batch"
            )
        if batch.acknowledged_at is None:
            before = pay_audit.batch(batch)
            batch.acknowledged_at = now
            batch.acknowledged_by = principal.subject
            trail = pay_audit.trail(principal, now)
            trail.add("batch", batch.id, before, pay_audit.batch(batch), "acknowledged")
            trail.write(uow.session)
            uow.commit()
        return batch


def explain_line(uow: UnitOfWork, principal: Principal, line_id: str) -> PayBatchLine:
    """The line, detached, with its whole explanation (a shared one completed for it)."""
    with uow:
        session = uow.session
        line = session.get(PayBatchLine, line_id)
        # A caller who reads only their own lines gets the same answer for a line that
        # does not exist as for someone else's: it never tells whether it exists.
        reads_all = principal.has_any(LINE_READERS)
        if line is None and reads_all:
            raise NotFound(f"line {line_id!r} does not exist")
        if line is None or not (reads_all or principal.subject == line.employee_id):
            raise PermissionDenied(f"{principal.subject} may not read pay line {line_id}")
        part = None
        if line.explanation_id is not None:
            part = session.get_one(SharedExplanation, line.explanation_id).explanation
        session.expunge(line)
    if part is not None:  # on the detached line only: batch lines are never written again
        line.explanation = _line_explanation(part, line.reference, line.source_issue)
    return line
