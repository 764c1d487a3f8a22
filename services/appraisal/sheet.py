"""An appraisal as one call reads and writes it: plain records through SQLAlchemy Core.

Every workflow step, GetAppraisal and a listing's page go through here. They used the
ORM: its identity map, attribute instrumentation and unit-of-work flush were most of a
step's server time (bench/appraisal.py, 2026-12-05). A record below is a plain copy of one
row, its fields the table's columns in order, so a result row builds one positionally; a
step changes the copies in memory, writes back what it changed with prebuilt statements
and answers from the same copies, without reading them again. ``models.py`` stays the
schema (and the ORM for the paths that are not per call).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Connection, String, Table, bindparam, insert, select, update

from services.appraisal.domain.workflow import AppraisalState
from services.appraisal.models import (
    Adjustment,
    Appraisal,
    AppraisalItem,
    AuditEntry,
    IssuedResult,
    RaterInvitation,
    Rating,
)
from services.common.limits import chunked
from services.org.domain.model import PositionType

APPRAISALS: Table = Appraisal.__table__  # type: ignore[assignment]
ITEMS: Table = AppraisalItem.__table__  # type: ignore[assignment]
RATERS: Table = RaterInvitation.__table__  # type: ignore[assignment]
RATINGS: Table = Rating.__table__  # type: ignore[assignment]
ADJUSTMENTS: Table = Adjustment.__table__  # type: ignore[assignment]
RESULTS: Table = IssuedResult.__table__  # type: ignore[assignment]
AUDIT: Table = AuditEntry.__table__  # type: ignore[assignment]


@dataclass(slots=True)
class AppraisalRow:
    id: str
    cycle_id: str
    employee_id: str
    assessor_id: str
    org_unit_id: str
    position_type: PositionType
    template_code: str
    period_end: dt.date
    state: AppraisalState
    version: int
    section_weights: dict[str, str]
    signed_by_employee: bool
    signed_by_assessor: bool
    issued_on: dt.date | None
    collected_late: bool
    appeals_filed: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(slots=True)
class ItemRow:
    appraisal_id: str
    section: str
    code: str
    position: int
    from_targets: bool
    name: str
    weight: Decimal
    points: Decimal
    scoring: dict[str, Any]
    target: Decimal | None
    standard: str
    data_provider: str
    actual: Decimal | None = None
    definition_version: int | None = None
    collected_at: dt.datetime | None = None
    self_score: Decimal | None = None
    review_score: Decimal | None = None
    self_level: str | None = None
    review_level: str | None = None


@dataclass(slots=True)
class RaterRow:
    appraisal_id: str
    rater_id: str
    role: str
    submitted_at: dt.datetime | None = None


@dataclass(slots=True)
class RatingRow:
    appraisal_id: str
    rater_id: str
    item_code: str
    role: str
    score: Decimal


@dataclass(slots=True)
class AdjustmentRow:
    id: str
    appraisal_id: str
    kind: str
    item_code: str
    points: Decimal
    description: str
    request_key: str
    filed_by: str
    filed_at: dt.datetime
    status: str
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str


@dataclass(slots=True)
class ResultRow:
    appraisal_id: str
    issue: int
    issued_on: dt.date
    issued_by: str
    total: Decimal
    full_score: Decimal
    coefficient: Decimal
    grade: str
    sections: list[dict[str, Any]]
    explanation: list[dict[str, Any]]
    appeal_deadline: dt.date


RECORDS: Mapping[type[Any], Table] = {
    AppraisalRow: APPRAISALS,
    ItemRow: ITEMS,
    RaterRow: RATERS,
    RatingRow: RATINGS,
    AdjustmentRow: ADJUSTMENTS,
    ResultRow: RESULTS,
}
"""Each record and its table: the fields are the columns, in order (a unit test holds it)."""


@dataclass(slots=True)
class Sheet:
    """One appraisal and everything under it, as loaded for one call."""

    row: AppraisalRow
    items: list[ItemRow] = field(default_factory=list)
    ratings: list[RatingRow] = field(default_factory=list)
    raters: list[RaterRow] = field(default_factory=list)
    adjustments: list[AdjustmentRow] = field(default_factory=list)
    results: list[ResultRow] = field(default_factory=list)  # by issue; the last counts


# The statements, built once: building a statement and its cache key on every call cost
# about a sixth of a step's server time.
_ONE = bindparam("appraisal_id", type_=String())
_IDS = bindparam("ids", type_=String(), expanding=True)
_READ_ONE = select(APPRAISALS).where(APPRAISALS.c.id == _ONE)
_LOCK_ONE = _READ_ONE.with_for_update()
_ITEMS_OF = (
    select(ITEMS)
    .where(ITEMS.c.appraisal_id.in_(_IDS))
    .order_by(ITEMS.c.appraisal_id, ITEMS.c.position)
)
_RATINGS_OF = select(RATINGS).where(RATINGS.c.appraisal_id.in_(_IDS))
_RATERS_OF = (
    select(RATERS)
    .where(RATERS.c.appraisal_id.in_(_IDS))
    .order_by(RATERS.c.appraisal_id, RATERS.c.role, RATERS.c.rater_id)
)
_ADJUSTMENTS_OF = (
    select(ADJUSTMENTS)
    .where(ADJUSTMENTS.c.appraisal_id.in_(_IDS))
    .order_by(ADJUSTMENTS.c.appraisal_id, ADJUSTMENTS.c.filed_at, ADJUSTMENTS.c.id)
)
_RESULTS_OF = (
    select(RESULTS)
    .where(RESULTS.c.appraisal_id.in_(_IDS))
    .order_by(RESULTS.c.appraisal_id, RESULTS.c.issue)
)

STEP_COLUMNS = (
    "state", "version", "section_weights", "signed_by_employee", "signed_by_assessor",
    "issued_on", "collected_late", "appeals_filed", "updated_at",
)  # fmt: skip
"""What a workflow step may change on the appraisal row."""
SCORE_COLUMNS = (
    "actual", "definition_version", "collected_at", "self_score", "review_score",
    "self_level", "review_level",
)  # fmt: skip
"""What collection, assessment, review and an upheld appeal change on an item."""


def _setter(table: Table, keys: Sequence[str], columns: Sequence[str]) -> Any:
    """UPDATE `table` SET columns WHERE keys, its parameters named b_<column>."""
    statement = update(table)
    for key in keys:
        statement = statement.where(table.c[key] == bindparam(f"b_{key}"))
    return statement.values(
        {name: bindparam(f"b_{name}", type_=table.c[name].type) for name in columns}
    )


_SAVE_APPRAISAL = _setter(APPRAISALS, ("id",), STEP_COLUMNS)
_SAVE_ITEM = _setter(ITEMS, ("appraisal_id", "section", "code"), SCORE_COLUMNS)
_INSERT_ITEMS = insert(ITEMS)
_INSERT_AUDIT = insert(AUDIT)
_INSERT_RESULT = insert(RESULTS)


R = TypeVar("R")


def fetch(
    conn: Connection, cls: type[R], query: Any, params: Mapping[str, Any] | None = None
) -> list[R]:
    """The records a query selects: all columns of `cls`'s table, in order."""
    return [cls(*row) for row in conn.execute(query, params)]


def fetch_of(conn: Connection, cls: type[R], query: Any, ids: Sequence[str]) -> list[R]:
    """`fetch` for a query on ``:ids``, in chunks below the driver's parameter limit."""
    return [record for chunk in chunked(ids) for record in fetch(conn, cls, query, {"ids": chunk})]


def _run(conn: Connection, statement: Any, params: list[dict[str, Any]]) -> None:
    """One set of parameters is a plain execute (executemany costs more for one)."""
    if params:
        conn.execute(statement, params[0] if len(params) == 1 else params)


def read(conn: Connection, appraisal_id: str, *, lock: bool) -> AppraisalRow | None:
    """The appraisal row, locked FOR UPDATE (to change it) or not (to read it)."""
    found = conn.execute(_LOCK_ONE if lock else _READ_ONE, {"appraisal_id": appraisal_id}).first()
    return None if found is None else AppraisalRow(*found)


def load(conn: Connection, rows: Sequence[AppraisalRow], rated: Sequence[str]) -> list[Sheet]:
    """Sheets for `rows`: items, adjustments, results where issued, ratings and raters
    for the ids in `rated` (only appraisals whose 360 section weighs have any)."""
    sheets = {row.id: Sheet(row) for row in rows}
    ids = list(sheets)
    for item in fetch_of(conn, ItemRow, _ITEMS_OF, ids):
        sheets[item.appraisal_id].items.append(item)
    for adj in fetch_of(conn, AdjustmentRow, _ADJUSTMENTS_OF, ids):
        sheets[adj.appraisal_id].adjustments.append(adj)
    attach_results(conn, sheets.values())
    if rated:
        for rating in fetch_of(conn, RatingRow, _RATINGS_OF, rated):
            sheets[rating.appraisal_id].ratings.append(rating)
        for rater in fetch_of(conn, RaterRow, _RATERS_OF, rated):
            sheets[rater.appraisal_id].raters.append(rater)
    return list(sheets.values())


def attach_results(conn: Connection, sheets: Iterable[Sheet]) -> None:
    """Every issue of each sheet's result (there is none before the first issue)."""
    issued = {sheet.row.id: sheet for sheet in sheets if sheet.row.issued_on is not None}
    if issued:
        for result in fetch_of(conn, ResultRow, _RESULTS_OF, list(issued)):
            issued[result.appraisal_id].results.append(result)


def raters_of(conn: Connection, appraisal_id: str) -> list[RaterRow]:
    return fetch(conn, RaterRow, _RATERS_OF, {"ids": [appraisal_id]})


def save_steps(conn: Connection, rows: Sequence[AppraisalRow]) -> None:
    """Write back what steps changed on these appraisal rows."""
    _run(
        conn,
        _SAVE_APPRAISAL,
        [
            {"b_id": row.id} | {f"b_{name}": getattr(row, name) for name in STEP_COLUMNS}
            for row in rows
        ],
    )


def save_scores(conn: Connection, items: Sequence[ItemRow]) -> None:
    """Write back the values and scores of these items."""
    _run(
        conn,
        _SAVE_ITEM,
        [
            {"b_appraisal_id": i.appraisal_id, "b_section": i.section, "b_code": i.code}
            | {f"b_{name}": getattr(i, name) for name in SCORE_COLUMNS}
            for i in items
        ],
    )


def insert_items(conn: Connection, items: Sequence[ItemRow]) -> None:
    _run(conn, _INSERT_ITEMS, [_values(item) for item in items])


def insert_audit(conn: Connection, entries: Sequence[dict[str, Any]]) -> None:
    """Append audit records (the columns of ``appraisal_audit`` but its id)."""
    _run(conn, _INSERT_AUDIT, list(entries))


def insert_result(conn: Connection, result: ResultRow) -> None:
    conn.execute(_INSERT_RESULT, _values(result))


def _values(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in fields(record)}
