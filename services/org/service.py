"""Application functions of the org: one per use case, each inside one unit of work.

The gRPC module maps requests to the input dataclasses below and calls these;
they validate against the database, change it and commit once. Resource-level
access rules (an employee reads only their own record) are checked here, with
the caller's ``Principal`` passed in explicitly.

Changes to the calendar and to leave (they move data deadlines, appeal windows and
who is appraised) leave one row per changed day or leave in ``org_audit``, in the
change's transaction (``services.common.audit``):

| entity | key | action | before / after |
|---|---|---|---|
| ``calendar_day`` | the date | created, updated, removed | working, name |
| ``leave`` | leave id | created, updated | employee, kind, start and end date, cancelled |

A call that changes nothing (a replay) records nothing; a refused call records nothing
either, since its transaction rolls back. Org units and employees are HRIS's records,
kept as dated versions; they have no such record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from services.common import audit
from services.common.auth import Principal, Role
from services.common.db import UnitOfWork, utcnow
from services.common.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    Violations,
)
from services.common.limits import MAX_UPSERT, chunked
from services.common.pagination import PageRequest, next_page_token
from services.common.periods import Granularity, Period
from services.org.domain.calendar import WorkCalendar
from services.org.domain.eligibility import (
    EligibilityDecision,
    EmploymentFacts,
    LeaveSpan,
    decide_eligibility,
)
from services.org.domain.model import EmploymentStatus, LeaveKind, OrgUnitKind, PositionType
from services.org.models import (
    CalendarException,
    Employee,
    EmployeeVersion,
    Leave,
    OrgAuditEntry,
    OrgUnit,
    OrgUnitVersion,
    VersionMixin,
)

ORG_READERS = frozenset({Role.HR, Role.HRIS, Role.PERF_ADMIN, Role.DUTY_OFFICER})
"""Roles that may read every employee's org record and leave."""

MAX_BATCH = MAX_UPSERT  # services.common.limits: the interceptor checks it first
"""Largest upsert accepted in one call (keeps one transaction and one message bounded)."""


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


# --- inputs and outputs ------------------------------------------------------------


@dataclass(frozen=True)
class OrgUnitInput:
    id: str
    kind: OrgUnitKind
    name: str
    parent_id: str | None
    effective_from: dt.date
    etag: str | None = None


@dataclass(frozen=True)
class EmployeeInput:
    id: str
    name: str
    org_unit_id: str
    supervisor_id: str | None
    position: str
    position_type: PositionType
    grade: str
    employment_status: EmploymentStatus
    hire_date: dt.date
    confirmation_date: dt.date | None
    termination_date: dt.date | None
    effective_from: dt.date
    etag: str | None = None

    def attributes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in EmployeeVersion.ATTRIBUTES}


@dataclass(frozen=True)
class LeaveInput:
    id: str
    employee_id: str
    kind: LeaveKind
    start_date: dt.date
    end_date: dt.date
    cancelled: bool = False


@dataclass(frozen=True)
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


V = TypeVar("V", bound=VersionMixin)
T = TypeVar("T")


@dataclass(frozen=True)
class Dated(Generic[V]):
    """A version as of some date, with the entity's etag."""

    version: V
    etag: str


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_page_token: str


class _Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def _count(outcomes: Iterable[_Outcome]) -> UpsertCounts:
    tally: dict[_Outcome, int] = defaultdict(int)
    for outcome in outcomes:
        tally[outcome] += 1
    return UpsertCounts(
        created=tally[_Outcome.CREATED],
        updated=tally[_Outcome.UPDATED],
        unchanged=tally[_Outcome.UNCHANGED],
    )


# --- dated versions ----------------------------------------------------------------


def _apply_version(
    versions: list[V],
    valid_from: dt.date,
    attrs: dict[str, Any],
    make: Callable[[dt.date, dt.date | None], V],
) -> V | None:
    """Put ``attrs`` in force from ``valid_from`` until the next existing version.

    ``versions`` is the entity's history sorted by ``valid_from`` and is updated
    in place. Returns the changed or added version, or None when the data was
    already in force from that date (which makes upserts idempotent).
    """
    same_day = next((v for v in versions if v.valid_from == valid_from), None)
    if same_day is not None:
        if same_day.attributes() == attrs:
            return None
        for name, value in attrs.items():
            setattr(same_day, name, value)
        return same_day
    earlier = [v for v in versions if v.valid_from < valid_from]
    later = [v for v in versions if v.valid_from > valid_from]
    if earlier and earlier[-1].attributes() == attrs:
        return None
    added = make(valid_from, later[0].valid_from if later else None)
    if earlier:
        earlier[-1].valid_to = valid_from
    versions.insert(len(earlier), added)
    return added


def _in_force(model: type[VersionMixin], as_of: dt.date) -> Any:
    return and_(
        model.valid_from <= as_of,
        or_(model.valid_to.is_(None), model.valid_to > as_of),
    )


def _check_etag(field: str, etag: str | None, revision: int) -> None:
    if etag and etag != str(revision):
        raise Conflict(f"{field}: etag {etag!r} is stale (current {revision}); re-read and retry")


def _load_versions(
    session: Session, model: type[V], key: Any, ids: Sequence[str]
) -> dict[str, list[V]]:
    found: dict[str, list[V]] = defaultdict(list)
    for chunk in chunked(ids):
        rows = session.scalars(select(model).where(key.in_(chunk)).order_by(key, model.valid_from))
        for row in rows:
            found[getattr(row, key.key)].append(row)
    return found


def _existing_ids(session: Session, key: Any, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    present: set[str] = set()
    for chunk in chunked(wanted):
        present.update(session.scalars(select(key).where(key.in_(chunk))))
    return present


def _check_batch_size(field: str, size: int) -> None:
    if size == 0:
        raise InvalidArgument.field(field, "must not be empty")
    if size > MAX_BATCH:
        raise InvalidArgument.field(field, f"at most {MAX_BATCH} per call, got {size}")


def _check_unique(field: str, keys: Sequence[Any], violations: Violations) -> None:
    seen: set[Any] = set()
    for index, key in enumerate(keys):
        if key in seen:
            violations.add(f"{field}[{index}]", f"duplicates an earlier entry {key}")
        seen.add(key)


class _Versioned(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def effective_from(self) -> dt.date: ...
    @property
    def etag(self) -> str | None: ...


Item = TypeVar("Item", bound=_Versioned)


def _upsert_versioned(
    session: Session,
    entity_model: Any,  # OrgUnit or Employee: an id and a revision
    version_model: Any,  # its *Version class
    key: str,
    items: Sequence[Item],
    field: str,
    attributes: Callable[[Item], dict[str, Any]],
) -> list[_Outcome]:
    """Apply each item as a dated version of its entity (creating entities as needed)."""
    ids = sorted({item.id for item in items})
    # Lock the rows (in id order) so a concurrent upsert waits, then sees our commit.
    # Chunks of the sorted ids lock in id order too.
    entities: dict[str, Any] = {
        e.id: e
        for chunk in chunked(ids)
        for e in session.scalars(
            select(entity_model)
            .where(entity_model.id.in_(chunk))
            .order_by(entity_model.id)
            .with_for_update()
        )
    }
    versions = _load_versions(session, version_model, getattr(version_model, key), ids)
    # Entities first, so versions can reference parents or supervisors created in this batch.
    for item in items:
        if item.id not in entities:
            entities[item.id] = entity_model(id=item.id, revision=0)
            session.add(entities[item.id])
    session.flush()
    outcomes: list[_Outcome] = []
    for index, item in sorted(enumerate(items), key=lambda p: p[1].effective_from):
        entity = entities[item.id]
        _check_etag(f"{field}[{index}].etag", item.etag, entity.revision)
        attrs = attributes(item)
        is_new = entity.revision == 0
        changed = _apply_version(
            versions[item.id],
            item.effective_from,
            attrs,
            lambda start, end, i=item, a=attrs: version_model(  # type: ignore[misc]
                **{key: i.id}, valid_from=start, valid_to=end, **a
            ),
        )
        if changed is None:
            outcomes.append(_Outcome.UNCHANGED)
            continue
        session.add(changed)
        entity.revision += 1
        outcomes.append(_Outcome.CREATED if is_new else _Outcome.UPDATED)
    return outcomes


# --- org units ---------------------------------------------------------------------


def upsert_org_units(uow: UnitOfWork, units: Sequence[OrgUnitInput]) -> UpsertCounts:
    _check_batch_size("org_units", len(units))
    with uow:
        session = uow.session
        ids = sorted({u.id for u in units})
        violations = Violations()
        _check_unique("org_units", [(u.id, u.effective_from) for u in units], violations)
        known = _existing_ids(session, OrgUnit.id, [*ids, *(u.parent_id or "" for u in units)])
        known.update(ids)
        for index, unit in enumerate(units):
            if unit.kind is OrgUnitKind.CENTER and unit.parent_id:
                violations.add(f"org_units[{index}].parent_id", "a center has no parent")
            if unit.kind is not OrgUnitKind.CENTER and not unit.parent_id:
                violations.add(f"org_units[{index}].parent_id", f"a {unit.kind} needs a parent")
            if unit.parent_id and unit.parent_id not in known:
                violations.add(
                    f"org_units[{index}].parent_id", f"unknown org unit {unit.parent_id!r}"
                )
            if unit.parent_id == unit.id:
                violations.add(f"org_units[{index}].parent_id", "a unit cannot be its own parent")
        violations.raise_if_any()

        outcomes = _upsert_versioned(
            session, OrgUnit, OrgUnitVersion, "org_unit_id", units, "org_units",
            lambda u: {"kind": u.kind, "name": u.name, "parent_id": u.parent_id},
        )  # fmt: skip
        uow.commit()
    return _count(outcomes)


def _unit_query(as_of: dt.date) -> Select[OrgUnitVersion, int]:
    return (
        select(OrgUnitVersion, OrgUnit.revision)
        .join(OrgUnit, OrgUnit.id == OrgUnitVersion.org_unit_id)
        .where(_in_force(OrgUnitVersion, as_of))
    )


def get_org_unit(uow: UnitOfWork, unit_id: str, as_of: dt.date) -> Dated[OrgUnitVersion]:
    with uow:
        row = uow.session.execute(
            _unit_query(as_of).where(OrgUnitVersion.org_unit_id == unit_id)
        ).one_or_none()
    if row is None:
        raise NotFound(f"org unit {unit_id!r} does not exist on {as_of}")
    return Dated(row[0], str(row[1]))


def list_org_units(
    uow: UnitOfWork, parent_id: str | None, as_of: dt.date, page: PageRequest, filters: Any
) -> Page[Dated[OrgUnitVersion]]:
    query = _unit_query(as_of)
    if parent_id:
        query = query.where(OrgUnitVersion.parent_id == parent_id)
    if page.after is not None:
        query = query.where(OrgUnitVersion.org_unit_id > page.after)
    query = query.order_by(OrgUnitVersion.org_unit_id).limit(page.size + 1)
    with uow:
        rows = uow.session.execute(query).all()
    return _page(
        [Dated(v, str(r)) for v, r in rows], page, filters, lambda d: d.version.org_unit_id
    )


def _page(items: list[T], page: PageRequest, filters: Any, key: Callable[[T], Any]) -> Page[T]:
    if len(items) <= page.size:
        return Page(items, "")
    items = items[: page.size]
    return Page(items, next_page_token(key(items[-1]), filters))


def descendants(session: Session, root: str, as_of: dt.date) -> set[str]:
    children: dict[str, list[str]] = defaultdict(list)
    for unit_id, parent in session.execute(
        select(OrgUnitVersion.org_unit_id, OrgUnitVersion.parent_id).where(
            _in_force(OrgUnitVersion, as_of)
        )
    ):
        if parent:
            children[parent].append(unit_id)
    found, stack = {root}, [root]
    while stack:
        for child in children[stack.pop()]:
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


# --- employees ---------------------------------------------------------------------


def upsert_employees(uow: UnitOfWork, employees: Sequence[EmployeeInput]) -> UpsertCounts:
    _check_batch_size("employees", len(employees))
    with uow:
        session = uow.session
        ids = sorted({e.id for e in employees})
        violations = Violations()
        _check_unique("employees", [(e.id, e.effective_from) for e in employees], violations)
        units = _existing_ids(session, OrgUnit.id, (e.org_unit_id for e in employees))
        people = _existing_ids(session, Employee.id, (e.supervisor_id or "" for e in employees))
        people.update(ids)
        for index, emp in enumerate(employees):
            path = f"employees[{index}]"
            if emp.org_unit_id not in units:
                violations.add(f"{path}.org_unit_id", f"unknown org unit {emp.org_unit_id!r}")
            if emp.supervisor_id and emp.supervisor_id not in people:
                violations.add(f"{path}.supervisor_id", f"unknown employee {emp.supervisor_id!r}")
            if emp.supervisor_id == emp.id:
                violations.add(f"{path}.supervisor_id", "an employee cannot supervise themself")
        violations.raise_if_any()

        outcomes = _upsert_versioned(
            session, Employee, EmployeeVersion, "employee_id", employees, "employees",
            EmployeeInput.attributes,
        )  # fmt: skip
        uow.commit()
    return _count(outcomes)


def _employee_query(as_of: dt.date) -> Select[EmployeeVersion, int]:
    return (
        select(EmployeeVersion, Employee.revision)
        .join(Employee, Employee.id == EmployeeVersion.employee_id)
        .where(_in_force(EmployeeVersion, as_of))
    )


def _may_read_employee(principal: Principal, version: EmployeeVersion) -> bool:
    if principal.has_any(ORG_READERS) or principal.subject == version.employee_id:
        return True
    return Role.SUPERVISOR in principal.roles and version.supervisor_id == principal.subject


def get_employee(
    uow: UnitOfWork, principal: Principal, employee_id: str, as_of: dt.date
) -> Dated[EmployeeVersion]:
    if not principal.has_any(ORG_READERS | {Role.SUPERVISOR}) and principal.subject != employee_id:
        raise PermissionDenied("employees may read only their own record")
    with uow:
        row = uow.session.execute(
            _employee_query(as_of).where(EmployeeVersion.employee_id == employee_id)
        ).one_or_none()
    if row is None and (principal.has_any(ORG_READERS) or principal.subject == employee_id):
        raise NotFound(f"employee {employee_id!r} does not exist on {as_of}")
    if row is None or not _may_read_employee(principal, row[0]):
        # The same answer whether or not the employee exists: a supervisor learns neither.
        raise PermissionDenied("supervisors may read only their direct reports")
    return Dated(row[0], str(row[1]))


def list_employees(
    uow: UnitOfWork,
    principal: Principal,
    *,
    org_unit_id: str | None,
    include_descendants: bool,
    supervisor_id: str | None,
    as_of: dt.date,
    page: PageRequest,
    filters: Any,
) -> Page[Dated[EmployeeVersion]]:
    if not principal.has_any(ORG_READERS):
        if Role.SUPERVISOR not in principal.roles:
            raise PermissionDenied("listing employees needs an HR, HRIS or supervisor role")
        if supervisor_id != principal.subject:
            raise PermissionDenied("supervisors list only their own reports (supervisor_id)")
    query = _employee_query(as_of)
    with uow:
        if org_unit_id:
            units = (
                descendants(uow.session, org_unit_id, as_of)
                if include_descendants
                else {org_unit_id}
            )
            query = query.where(EmployeeVersion.org_unit_id.in_(sorted(units)))
        if supervisor_id:
            query = query.where(EmployeeVersion.supervisor_id == supervisor_id)
        if page.after is not None:
            query = query.where(EmployeeVersion.employee_id > page.after)
        query = query.order_by(EmployeeVersion.employee_id).limit(page.size + 1)
        rows = uow.session.execute(query).all()
    items = [Dated(v, str(r)) for v, r in rows]
    return _page(items, page, filters, lambda d: d.version.employee_id)


def list_employee_history(
    uow: UnitOfWork, principal: Principal, employee_id: str, page: PageRequest, filters: Any
) -> Page[Dated[EmployeeVersion]]:
    principal.require_any({Role.HR, Role.HRIS, Role.PERF_ADMIN}, "ListEmployeeHistory")
    query = (
        select(EmployeeVersion, Employee.revision)
        .join(Employee, Employee.id == EmployeeVersion.employee_id)
        .where(EmployeeVersion.employee_id == employee_id)
    )
    if page.after is not None:
        query = query.where(EmployeeVersion.valid_from > dt.date.fromisoformat(page.after))
    query = query.order_by(EmployeeVersion.valid_from).limit(page.size + 1)
    with uow:
        if uow.session.get(Employee, employee_id) is None:
            raise NotFound(f"employee {employee_id!r} does not exist")
        rows = uow.session.execute(query).all()
    items = [Dated(v, str(r)) for v, r in rows]
    return _page(items, page, filters, lambda d: d.version.valid_from.isoformat())


# --- leave -------------------------------------------------------------------------


def upsert_leaves(
    uow: UnitOfWork,
    principal: Principal,
    leaves: Sequence[LeaveInput],
    *,
    now: dt.datetime | None = None,
) -> UpsertCounts:
    _check_batch_size("leaves", len(leaves))
    violations = Violations()
    _check_unique("leaves", [leave.id for leave in leaves], violations)
    for index, leave in enumerate(leaves):
        if leave.end_date < leave.start_date:
            violations.add(f"leaves[{index}].end_date", "is before start_date")
    violations.raise_if_any()
    with uow:
        session = uow.session
        people = _existing_ids(session, Employee.id, (leave.employee_id for leave in leaves))
        for index, leave in enumerate(leaves):
            if leave.employee_id not in people:
                violations.add(
                    f"leaves[{index}].employee_id", f"unknown employee {leave.employee_id!r}"
                )
        violations.raise_if_any()
        existing = {
            row.id: row
            for chunk in chunked(sorted({x.id for x in leaves}))
            for row in session.scalars(select(Leave).where(Leave.id.in_(chunk)))
        }
        outcomes: list[_Outcome] = []
        trail = audit.Trail(OrgAuditEntry, principal, now or utcnow())
        for leave in leaves:
            values = {
                "employee_id": leave.employee_id,
                "kind": leave.kind,
                "start_date": leave.start_date,
                "end_date": leave.end_date,
                "cancelled": leave.cancelled,
            }
            row = existing.get(leave.id)
            if row is None:
                session.add(Leave(id=leave.id, **values))
                trail.add("leave", leave.id, None, values)
                outcomes.append(_Outcome.CREATED)
            elif all(getattr(row, k) == v for k, v in values.items()):
                outcomes.append(_Outcome.UNCHANGED)
            else:
                before = {k: getattr(row, k) for k in values}
                for key, value in values.items():
                    setattr(row, key, value)
                trail.add("leave", leave.id, before, values)
                outcomes.append(_Outcome.UPDATED)
        trail.write(session)
        uow.commit()
    return _count(outcomes)


def _check_may_read_person(session: Session, principal: Principal, employee_id: str) -> None:
    if principal.has_any(ORG_READERS) or principal.subject == employee_id:
        return
    if Role.SUPERVISOR in principal.roles:
        row = session.execute(
            _employee_query(today()).where(EmployeeVersion.employee_id == employee_id)
        ).one_or_none()
        if row is not None and row[0].supervisor_id == principal.subject:
            return
    raise PermissionDenied("you may read only your own and your direct reports' leave")


def list_leaves(
    uow: UnitOfWork,
    principal: Principal,
    *,
    employee_id: str,
    start: dt.date | None,
    end: dt.date | None,
    page: PageRequest,
    filters: Any,
) -> Page[Leave]:
    query = select(Leave).where(Leave.employee_id == employee_id)
    if start is not None:
        query = query.where(Leave.end_date >= start)
    if end is not None:
        query = query.where(Leave.start_date <= end)
    if page.after is not None:
        query = query.where(Leave.id > page.after)
    query = query.order_by(Leave.id).limit(page.size + 1)
    with uow:
        _check_may_read_person(uow.session, principal, employee_id)
        rows = list(uow.session.scalars(query))
    return _page(rows, page, filters, lambda leave: leave.id)


# --- calendar ----------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    working: bool
    name: str


@dataclass(frozen=True)
class CalendarYear:
    year: int
    exceptions: list[CalendarDay]
    working_days: int


def load_calendar(session: Session, start: dt.date, end: dt.date) -> WorkCalendar:
    """The working-day calendar with every exception between start and end."""
    rows = session.scalars(
        select(CalendarException).where(CalendarException.day.between(start, end))
    ).all()
    return WorkCalendar(
        holidays=frozenset(r.day for r in rows if not r.working),
        makeup_workdays=frozenset(r.day for r in rows if r.working),
    )


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def set_calendar_year(
    uow: UnitOfWork,
    principal: Principal,
    year: int,
    days: Sequence[CalendarDay],
    *,
    now: dt.datetime | None = None,
) -> CalendarYear:
    """Replace the year's exceptions; each day added, changed or removed is audited."""
    first, last = _year_bounds(year)
    violations = Violations()
    _check_unique("exceptions", [d.day for d in days], violations)
    for index, spec in enumerate(days):
        if not first <= spec.day <= last:
            violations.add(f"exceptions[{index}].date", f"is not in {year}")
        elif spec.working and spec.day.weekday() < 5:
            violations.add(f"exceptions[{index}].working", "a weekday is a working day already")
        # A holiday on a weekend is kept as sent: official lists give whole ranges (1-7
        # October) that include the weekend; it changes no working day. A day sent both
        # as a holiday and as a make-up working day is a duplicate date, refused above.
    violations.raise_if_any()
    with uow:
        session = uow.session
        existing = {
            row.day: row
            for row in session.scalars(
                select(CalendarException).where(CalendarException.day.between(first, last))
            )
        }
        wanted = {d.day: d for d in days}
        trail = audit.Trail(OrgAuditEntry, principal, now or utcnow())
        for when in sorted(existing.keys() | wanted.keys()):
            current, new = existing.get(when), wanted.get(when)
            before = None if current is None else {"working": current.working, "name": current.name}
            after = None if new is None else {"working": new.working, "name": new.name}
            if before == after:
                continue
            if new is None:
                session.delete(current)
            elif current is None:
                session.add(CalendarException(day=when, working=new.working, name=new.name))
            else:
                current.working, current.name = new.working, new.name
            action = "removed" if after is None else None
            trail.add("calendar_day", when.isoformat(), before, after, action)
        session.flush()
        trail.write(session)
        result = _calendar_year(session, year)
        uow.commit()
    return result


def _calendar_year(session: Session, year: int) -> CalendarYear:
    first, last = _year_bounds(year)
    rows = session.scalars(
        select(CalendarException)
        .where(CalendarException.day.between(first, last))
        .order_by(CalendarException.day)
    ).all()
    calendar = WorkCalendar(
        holidays=frozenset(r.day for r in rows if not r.working),
        makeup_workdays=frozenset(r.day for r in rows if r.working),
    )
    return CalendarYear(
        year=year,
        exceptions=[CalendarDay(r.day, r.working, r.name) for r in rows],
        working_days=calendar.count_working_days(first, last),
    )


def get_calendar_year(uow: UnitOfWork, year: int) -> CalendarYear:
    with uow:
        return _calendar_year(uow.session, year)


def nth_working_day_after(uow: UnitOfWork, after: dt.date, n: int) -> dt.date:
    # n working days never span more than n weeks plus the longest holiday run.
    horizon = after + dt.timedelta(days=7 * n + 60)
    with uow:
        calendar = load_calendar(uow.session, after, horizon)
    return calendar.nth_working_day_after(after, n)


# --- eligibility -------------------------------------------------------------------


def check_eligibility(uow: UnitOfWork, employee_id: str, period: Period) -> EligibilityDecision:
    if period.granularity is Granularity.DAY:
        raise InvalidArgument.field("period", "must be a month, quarter or year")
    with uow:
        session = uow.session
        if session.get(Employee, employee_id) is None:
            raise NotFound(f"employee {employee_id!r} does not exist")
        version = session.scalars(
            select(EmployeeVersion)
            .where(
                EmployeeVersion.employee_id == employee_id,
                EmployeeVersion.valid_from <= period.end,
            )
            .order_by(EmployeeVersion.valid_from.desc())
            .limit(1)
        ).first()
        if version is None:
            raise FailedPrecondition(
                f"employee {employee_id!r} has no HRIS record on or before {period.end}"
            )
        leaves = session.scalars(
            select(Leave).where(
                Leave.employee_id == employee_id,
                Leave.cancelled.is_(False),
                Leave.start_date <= period.end,
                Leave.end_date >= period.start,
            )
        ).all()
        calendar = load_calendar(session, period.start, period.end)
    facts = EmploymentFacts(
        status=version.employment_status,
        hire_date=version.hire_date,
        confirmation_date=version.confirmation_date,
        termination_date=version.termination_date,
    )
    spans = [LeaveSpan(leave.kind, leave.start_date, leave.end_date) for leave in leaves]
    return decide_eligibility(facts, spans, period, calendar)
