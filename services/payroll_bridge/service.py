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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.appraisal.models import CapTierChange
from services.common.auth import Principal, Role
from services.common.db import UnitOfWork, utcnow
from services.common.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.common.pagination import PageRequest, next_page_token
from services.common.periods import Granularity, Period
from services.org.models import EmployeeVersion
from services.payroll_bridge.appraisal_source import FiledResult, ResultsFetcher
from services.payroll_bridge.domain.adjustments import adjustment
from services.payroll_bridge.domain.batch import BatchLine, LineKind, batch_hash, batch_totals
from services.payroll_bridge.domain.caps import CapRow, CapTable, NoCapInForce, TierMove
from services.payroll_bridge.domain.money import Money
from services.payroll_bridge.domain.performance_pay import (
    CoefficientBound,
    PerformancePayLine,
    monthly_performance_pay,
)
from services.payroll_bridge.models import (
    BaseTier,
    CapRowRecord,
    DraftLine,
    PayBatch,
    PayBatchLine,
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


def set_cap_table(uow: UnitOfWork, rows: Sequence[CapRow]) -> Counts:
    """Upsert rows by (position, grade, tier, valid_from); the whole table is checked first."""
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
                created += 1
            elif _domain_row(record) == row:
                unchanged += 1
            else:
                record.valid_to = row.valid_to
                record.amount = row.amount.amount
                record.currency = row.amount.currency
                updated += 1
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


def set_base_tiers(uow: UnitOfWork, assignments: Sequence[TierAssignment]) -> Counts:
    created = updated = unchanged = 0
    with uow:
        session = uow.session
        for a in assignments:
            record = session.get(BaseTier, (a.employee_id, a.effective_from))
            if record is None:
                session.add(
                    BaseTier(
                        employee_id=a.employee_id, effective_from=a.effective_from, tier=a.tier
                    )
                )
                created += 1
            elif record.tier == a.tier:
                unchanged += 1
            else:
                record.tier = a.tier
                updated += 1
        try:
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


@dataclass(frozen=True)
class _Payee:
    position: str
    grade: str
    base_tier: int | None
    moves: tuple[TierMove, ...]


def _payees(session: Session, employee_ids: set[str], as_of: dt.date) -> dict[str, _Payee]:
    versions = session.execute(
        select(EmployeeVersion.employee_id, EmployeeVersion.position, EmployeeVersion.grade).where(
            EmployeeVersion.employee_id.in_(employee_ids),
            EmployeeVersion.valid_from <= as_of,
            (EmployeeVersion.valid_to.is_(None)) | (EmployeeVersion.valid_to > as_of),
        )
    ).all()
    tiers: dict[str, int] = {}
    for employee, tier in session.execute(
        select(BaseTier.employee_id, BaseTier.tier)
        .where(BaseTier.employee_id.in_(employee_ids), BaseTier.effective_from <= as_of)
        .order_by(BaseTier.employee_id, BaseTier.effective_from)
    ).all():
        tiers[employee] = tier  # the latest assignment wins
    moves: dict[str, list[TierMove]] = {}
    for change in session.scalars(
        select(CapTierChange).where(CapTierChange.employee_id.in_(employee_ids))
    ):
        moves.setdefault(change.employee_id, []).append(
            TierMove(change.delta, change.effective_from, change.recommendation_key)
        )
    return {
        employee: _Payee(position, grade, tiers.get(employee), tuple(moves.get(employee, ())))
        for employee, position, grade in versions
    }


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
) -> Computation:
    _month(period)
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
        )
    results = fetch(str(period))  # over gRPC, outside any transaction
    later = {p: {r.appraisal_id: r for r in fetch(p)} for p in paid_periods}

    with uow:
        session = uow.session
        table = _cap_table(session)
        payees = _payees(session, {r.employee_id for r in results}, period.end)
        drafts: list[dict[str, Any]] = []
        skipped: list[tuple[str, str]] = []
        for result in sorted(results, key=lambda r: r.employee_id):
            payee = payees.get(result.employee_id)
            if payee is None:
                skipped.append((result.employee_id, f"no HRIS record on {period.end}"))
                continue
            try:
                line = _pay(table, payee, result.coefficient, period.end, bound)
            except NoCapInForce as exc:
                skipped.append((result.employee_id, exc.violations[0].description))
                continue
            drafts.append(
                _draft(period, result.employee_id, LineKind.PERFORMANCE_PAY, result.appraisal_id,
                       line.amount, result.issue, None, _explain(line, result), principal, now)
            )  # fmt: skip
        adjustments = _adjustments(session, period, later, table, bound, principal, now, skipped)
        drafts.extend(adjustments)
        session.execute(delete(DraftLine).where(DraftLine.period == str(period)))
        if drafts:
            session.execute(insert(DraftLine), drafts)
        uow.commit()
    totals = batch_totals(_batch_line(d) for d in drafts)
    return Computation(period, len(drafts), len(adjustments), totals, skipped)


def _draft(
    period: Period, employee: str, kind: LineKind, reference: str, amount: Money, issue: int,
    original: str | None, explanation: dict[str, Any], principal: Principal, now: dt.datetime,
) -> dict[str, Any]:  # fmt: skip
    return {
        "period": str(period), "employee_id": employee, "kind": str(kind),
        "reference": reference, "amount": amount.amount, "currency": amount.currency,
        "source_issue": issue, "original_line_id": original, "explanation": explanation,
        "computed_at": now, "computed_by": principal.subject,
    }  # fmt: skip


def _batch_line(d: Mapping[str, Any]) -> BatchLine:
    return BatchLine(
        d["employee_id"], LineKind(d["kind"]), d["reference"], Money(d["amount"], d["currency"])
    )


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
            _draft(period, original.employee_id, LineKind.ADJUSTMENT,
                   f"{original.id}#issue{result.issue}", change.difference, result.issue,
                   original.id, explanation, principal, now)
        )  # fmt: skip
    return drafts


# --- batches ---------------------------------------------------------------------------


def create_batch(
    uow: UnitOfWork, principal: Principal, period: Period, now: dt.datetime | None = None
) -> PayBatch:
    _month(period)
    now = now or utcnow()
    with uow:
        session = uow.session
        if session.get(PayBatch, batch_id_for(period)) is not None:
            raise AlreadyExists(f"{period} already has a batch ({batch_id_for(period)})")
        drafts = session.scalars(
            select(DraftLine).where(DraftLine.period == str(period)).with_for_update()
        ).all()
        if not drafts:
            raise FailedPrecondition(f"{period} has no computed lines: run ComputePeriod first")
        domain = [
            _batch_line({"employee_id": d.employee_id, "kind": d.kind, "reference": d.reference,
                         "amount": d.amount, "currency": d.currency})
            for d in drafts
        ]  # fmt: skip
        batch = PayBatch(
            id=batch_id_for(period),
            period=str(period),
            content_hash=batch_hash(domain),
            line_count=len(drafts),
            totals={c: str(m.amount) for c, m in batch_totals(domain).items()},
            created_at=now,
            created_by=principal.subject,
        )
        session.add(batch)
        try:
            session.flush()  # the unique period: a second replica's freeze fails here
        except IntegrityError as exc:
            raise AlreadyExists(f"{period} already has a batch") from exc
        ordered = sorted(drafts, key=lambda d: (d.employee_id, d.kind, d.reference))
        session.execute(
            insert(PayBatchLine),
            [
                {
                    "id": f"{batch.id}/{n}", "batch_id": batch.id, "line_no": n,
                    "employee_id": d.employee_id, "kind": d.kind, "reference": d.reference,
                    "amount": d.amount, "currency": d.currency, "source_issue": d.source_issue,
                    "original_line_id": d.original_line_id, "explanation": d.explanation,
                }
                for n, d in enumerate(ordered, start=1)
            ],
        )  # fmt: skip
        session.execute(delete(DraftLine).where(DraftLine.period == str(period)))
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
    with uow:
        if uow.session.get(PayBatch, batch_id) is None:
            raise NotFound(f"batch {batch_id!r} does not exist")
        query = select(PayBatchLine).where(PayBatchLine.batch_id == batch_id)
        if page.after is not None:
            query = query.where(PayBatchLine.line_no > int(page.after))
        rows = list(uow.session.scalars(query.order_by(PayBatchLine.line_no).limit(page.size + 1)))
    more = len(rows) > page.size
    rows = rows[: page.size]
    return rows, next_page_token(rows[-1].line_no, token_filters) if more else ""


STREAM_CHUNK = 2000


def stream_batch_lines(
    uow_factory: Any, batch_id: str, chunk: int = STREAM_CHUNK
) -> Iterator[list[tuple[Any, ...]]]:
    """The batch's lines in order, `chunk` at a time, each chunk its own short read."""
    get_batch(uow_factory(), batch_id)
    columns = (
        PayBatchLine.id, PayBatchLine.line_no, PayBatchLine.employee_id, PayBatchLine.kind,
        PayBatchLine.reference, PayBatchLine.amount, PayBatchLine.currency,
        PayBatchLine.original_line_id,
    )  # fmt: skip
    after = 0
    while True:
        with uow_factory() as uow:
            rows = uow.session.execute(
                select(*columns)
                .where(PayBatchLine.batch_id == batch_id, PayBatchLine.line_no > after)
                .order_by(PayBatchLine.line_no)
                .limit(chunk)
            ).all()
        if not rows:
            return
        yield [tuple(r) for r in rows]
        after = rows[-1][1]


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
            batch.acknowledged_at = now
            batch.acknowledged_by = principal.subject
            uow.commit()
        return batch


def explain_line(uow: UnitOfWork, principal: Principal, line_id: str) -> PayBatchLine:
    with uow:
        line = uow.session.get(PayBatchLine, line_id)
        if line is None:
            raise NotFound(f"line {line_id!r} does not exist")
    if not principal.has_any(LINE_READERS) and principal.subject != line.employee_id:
        raise PermissionDenied(f"{principal.subject} may not read {line.employee_id}'s pay")
    return line
