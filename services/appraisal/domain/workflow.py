"""The appraisal state machine (DOMAIN.md §4.2, seed 004 §6; issue 4 "The workflow").

States, in the order of a normal cycle::

    draft → targets_set → targets_confirmed (→ targets_approved) → in_progress
    → data_collected → self_assessed → reviewed → result_issued → signed
    → filed → final

    result_issued / signed / filed → appealed → appeal_upheld → result_issued (re-issued)
                                              → appeal_rejected → final

Transitions are data (`TRANSITIONS`); `apply` checks, in this order: the
transition name (INVALID_ARGUMENT), who is acting (PERMISSION_DENIED), the
version the caller read (`Conflict`, ABORTED), the current state
(FAILED_PRECONDITION naming the state and the transitions allowed from it),
the transition's guard (FAILED_PRECONDITION) and a reason where one is
required (INVALID_ARGUMENT). It returns a new `Appraisal` (the version one
higher) and the `AuditRecord`; the input is never changed.

| transition | from | to | who |
|---|---|---|---|
| set_targets | draft, targets_set/_confirmed/_approved | targets_set | the assessor (supervisor) |
| confirm_targets | targets_set | targets_confirmed | the employee |
| approve_targets | targets_confirmed | targets_approved | perf_admin (绩效考核管理小组) |
| reject_targets | targets_confirmed | targets_set | perf_admin, with a reason |
| start | targets_confirmed, targets_approved | in_progress | the assessor or perf_admin |
| collect_data | in_progress | data_collected | duty_officer (考核值班主任) |
| self_assess | data_collected | self_assessed | the employee |
| review | self_assessed | reviewed | the assessor |
| issue_result | reviewed | result_issued | the assessor |
| sign | result_issued | signed once both have signed | the employee and the assessor |
| file | signed | filed | hr |
| appeal | result_issued, signed, filed | appealed | the employee, with a reason |
| uphold_appeal | appealed | appeal_upheld | perf_admin, with a reason |
| reject_appeal | appealed | appeal_rejected | perf_admin, with a reason |
| reissue_result | appeal_upheld | result_issued | the assessor or perf_admin |
| finalize | filed, appeal_rejected | final | hr or perf_admin |

Reading: the employee reads their own appraisal, the assessor the
appraisals they assess; hr, perf_admin and duty_officer (who compiles every
employee's KPI report) read all; anyone else gets PERMISSION_DENIED.

Who counts as whom: the employee role acts only on the actor's own appraisal,
the supervisor role only where the actor is the assessor; the other roles act
on anyone's appraisal but their own. Tie-breaks are documented on the rules:

- Deadlines are dates in the center's time zone (`Context.tz`, default
  UTC+8), counted in working days of the center's `WorkCalendar`.
- Data is due by ``nth_working_day_after(period_end, 3)``; later collection
  is accepted and flagged: `Appraisal.collected_late` and `AuditRecord.late`.
- An appeal is accepted up to and including
  ``nth_working_day_after(issued_on, 5)``; ``issued_on`` is the day of the
  latest issue. One appeal per appraisal: the group's decision is final, so a
  re-issued result cannot be appealed again.
- Non-management appraisals must pass targets_approved before they start;
  management appraisals may, but need not.
- Re-setting targets after confirmation or approval needs a new
  confirmation (and approval).
- Issuing and re-issuing clear the signatures; each party signs once.
- ``finalize`` from filed waits until the appeal window has closed, unless
  the appraisal has already been appealed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from types import MappingProxyType

from services.common.auth import Role
from services.common.errors import (
    Conflict,
    FailedPrecondition,
    InvalidArgument,
    PermissionDenied,
)
from services.org.domain.calendar import WorkCalendar
from services.org.domain.model import PositionType

__all__ = [
    "APPEAL_WORKING_DAYS",
    "CENTER_TZ",
    "DATA_DUE_WORKING_DAYS",
    "TRANSITIONS",
    "Actor",
    "Appraisal",
    "AppraisalState",
    "AuditRecord",
    "Context",
    "Party",
    "Step",
    "Transition",
    "allowed_transitions",
    "appeal_deadline",
    "apply",
    "can_read",
    "check_read",
    "data_deadline",
]

CENTER_TZ: tzinfo = timezone(timedelta(hours=8), "CST")
"""The center's time zone (China has no daylight saving)."""

APPEAL_WORKING_DAYS = 5
"""An appeal within 5 working days of receiving the result (seed 004 §6.3)."""

DATA_DUE_WORKING_DAYS = 3
"""Data within the first 3 working days of the next month (seed 004 §6.3)."""


class AppraisalState(StrEnum):
    DRAFT = "draft"
    TARGETS_SET = "targets_set"
    TARGETS_CONFIRMED = "targets_confirmed"
    TARGETS_APPROVED = "targets_approved"
    IN_PROGRESS = "in_progress"
    DATA_COLLECTED = "data_collected"
    SELF_ASSESSED = "self_assessed"
    REVIEWED = "reviewed"
    RESULT_ISSUED = "result_issued"
    SIGNED = "signed"
    FILED = "filed"
    APPEALED = "appealed"
    APPEAL_UPHELD = "appeal_upheld"
    APPEAL_REJECTED = "appeal_rejected"
    FINAL = "final"


class Party(StrEnum):
    """In which capacity an actor performs a transition."""

    EMPLOYEE = "employee"  # 被考核人, on their own appraisal
    ASSESSOR = "assessor"  # 考核负责人, the direct supervisor
    OFFICE = "office"  # hr, perf_admin, duty_officer: by role, on anyone else's appraisal


@dataclass(frozen=True)
class Actor:
    """Who acts: a subject id and roles (a `Principal` converts field by field)."""

    subject: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class Appraisal:
    """The workflow-relevant part of one appraisal."""

    appraisal_id: str
    employee_id: str
    assessor_id: str
    position_type: PositionType
    period_end: date
    state: AppraisalState = AppraisalState.DRAFT
    version: int = 1
    signatures: frozenset[Party] = frozenset()
    issued_on: date | None = None
    collected_late: bool = False
    appeals_filed: int = 0

    def __post_init__(self) -> None:
        if self.employee_id == self.assessor_id:
            raise ValueError(f"{self.employee_id} cannot be their own assessor")


@dataclass(frozen=True)
class Context:
    """What a transition needs from outside the appraisal."""

    calendar: WorkCalendar
    reason: str = ""
    tz: tzinfo = field(default=CENTER_TZ)


@dataclass(frozen=True)
class Step:
    """One attempted transition, as guards and effects see it."""

    actor: Actor
    party: Party
    at: datetime
    day: date  # `at` as a date in the center's time zone
    context: Context


@dataclass(frozen=True)
class AuditRecord:
    appraisal_id: str
    transition: str
    who: str
    party: Party
    when: datetime
    from_state: AppraisalState
    to_state: AppraisalState
    reason: str
    version: int  # the appraisal's version after the transition
    late: bool = False  # set on the collection that missed the data deadline


Guard = Callable[[Appraisal, Step], str | None]
"""Returns why the transition is refused now, or None."""

Effect = Callable[[Appraisal, Step], Appraisal]
"""Further changes, applied after the state and version are set."""


@dataclass(frozen=True)
class Transition:
    name: str
    from_states: frozenset[AppraisalState]
    to_state: AppraisalState
    roles: frozenset[Role]
    guard: Guard | None = None
    effect: Effect | None = None
    reason_required: bool = False


def data_deadline(period_end: date, calendar: WorkCalendar) -> date:
    """The last day data is on time: the 3rd working day after the period."""
    return calendar.nth_working_day_after(period_end, DATA_DUE_WORKING_DAYS)


def appeal_deadline(appraisal: Appraisal, calendar: WorkCalendar) -> date:
    """The last day an appeal is accepted: the 5th working day after the issue."""
    if appraisal.issued_on is None:
        raise FailedPrecondition(f"appraisal {appraisal.appraisal_id} has no issued result")
    return calendar.nth_working_day_after(appraisal.issued_on, APPEAL_WORKING_DAYS)


# guards ---------------------------------------------------------------------


def _approved_if_non_management(appraisal: Appraisal, step: Step) -> str | None:
    if (
        appraisal.position_type is PositionType.NON_MANAGEMENT
        and appraisal.state is AppraisalState.TARGETS_CONFIRMED
    ):
        return "non-management KPI targets take effect only after approval by perf_admin"
    return None


def _within_appeal_window(appraisal: Appraisal, step: Step) -> str | None:
    if appraisal.appeals_filed:
        return "this appraisal has already been appealed; the decision on it is final"
    deadline = appeal_deadline(appraisal, step.context.calendar)
    if step.day > deadline:
        return (
            f"the appeal deadline was {deadline.isoformat()} "
            f"({APPEAL_WORKING_DAYS} working days after the result issued on "
            f"{appraisal.issued_on}); today is {step.day.isoformat()}"
        )
    return None


def _not_signed_yet(appraisal: Appraisal, step: Step) -> str | None:
    if step.party in appraisal.signatures:
        return f"the {step.party} has already signed"
    return None


def _appeal_window_closed(appraisal: Appraisal, step: Step) -> str | None:
    if appraisal.state is not AppraisalState.FILED or appraisal.appeals_filed:
        return None
    deadline = appeal_deadline(appraisal, step.context.calendar)
    if step.day <= deadline:
        return f"the appeal window is open until {deadline.isoformat()}"
    return None


# effects --------------------------------------------------------------------


def _issue(appraisal: Appraisal, step: Step) -> Appraisal:
    return replace(appraisal, issued_on=step.day, signatures=frozenset())


def _sign(appraisal: Appraisal, step: Step) -> Appraisal:
    signatures = appraisal.signatures | {step.party}
    both = {Party.EMPLOYEE, Party.ASSESSOR} <= signatures
    state = AppraisalState.SIGNED if both else AppraisalState.RESULT_ISSUED
    return replace(appraisal, signatures=signatures, state=state)


def _collect(appraisal: Appraisal, step: Step) -> Appraisal:
    late = step.day > data_deadline(appraisal.period_end, step.context.calendar)
    return replace(appraisal, collected_late=late)


def _count_appeal(appraisal: Appraisal, step: Step) -> Appraisal:
    return replace(appraisal, appeals_filed=appraisal.appeals_filed + 1)


# the table ------------------------------------------------------------------

_S = AppraisalState


def _t(
    name: str,
    from_states: set[AppraisalState],
    to_state: AppraisalState,
    roles: set[Role],
    guard: Guard | None = None,
    effect: Effect | None = None,
    *,
    reason_required: bool = False,
) -> Transition:
    return Transition(
        name, frozenset(from_states), to_state, frozenset(roles), guard, effect, reason_required
    )


_TABLE = (
    _t(
        "set_targets",
        {_S.DRAFT, _S.TARGETS_SET, _S.TARGETS_CONFIRMED, _S.TARGETS_APPROVED},
        _S.TARGETS_SET,
        {Role.SUPERVISOR},
    ),
    _t("confirm_targets", {_S.TARGETS_SET}, _S.TARGETS_CONFIRMED, {Role.EMPLOYEE}),
    _t("approve_targets", {_S.TARGETS_CONFIRMED}, _S.TARGETS_APPROVED, {Role.PERF_ADMIN}),
    _t(
        "reject_targets",
        {_S.TARGETS_CONFIRMED},
        _S.TARGETS_SET,
        {Role.PERF_ADMIN},
        reason_required=True,
    ),
    _t(
        "start",
        {_S.TARGETS_CONFIRMED, _S.TARGETS_APPROVED},
        _S.IN_PROGRESS,
        {Role.SUPERVISOR, Role.PERF_ADMIN},
        _approved_if_non_management,
    ),
    _t("collect_data", {_S.IN_PROGRESS}, _S.DATA_COLLECTED, {Role.DUTY_OFFICER}, effect=_collect),
    _t("self_assess", {_S.DATA_COLLECTED}, _S.SELF_ASSESSED, {Role.EMPLOYEE}),
    _t("review", {_S.SELF_ASSESSED}, _S.REVIEWED, {Role.SUPERVISOR}),
    _t("issue_result", {_S.REVIEWED}, _S.RESULT_ISSUED, {Role.SUPERVISOR}, effect=_issue),
    _t(
        "sign",
        {_S.RESULT_ISSUED},
        _S.SIGNED,
        {Role.EMPLOYEE, Role.SUPERVISOR},
        _not_signed_yet,
        _sign,
    ),
    _t("file", {_S.SIGNED}, _S.FILED, {Role.HR}),
    _t(
        "appeal",
        {_S.RESULT_ISSUED, _S.SIGNED, _S.FILED},
        _S.APPEALED,
        {Role.EMPLOYEE},
        _within_appeal_window,
        _count_appeal,
        reason_required=True,
    ),
    _t(
        "uphold_appeal",
        {_S.APPEALED},
        _S.APPEAL_UPHELD,
        {Role.PERF_ADMIN},
        reason_required=True,
    ),
    _t(
        "reject_appeal",
        {_S.APPEALED},
        _S.APPEAL_REJECTED,
        {Role.PERF_ADMIN},
        reason_required=True,
    ),
    _t(
        "reissue_result",
        {_S.APPEAL_UPHELD},
        _S.RESULT_ISSUED,
        {Role.SUPERVISOR, Role.PERF_ADMIN},
        effect=_issue,
    ),
    _t(
        "finalize",
        {_S.FILED, _S.APPEAL_REJECTED},
        _S.FINAL,
        {Role.HR, Role.PERF_ADMIN},
        _appeal_window_closed,
    ),
)

TRANSITIONS: Mapping[str, Transition] = MappingProxyType({t.name: t for t in _TABLE})


def allowed_transitions(state: AppraisalState) -> tuple[str, ...]:
    """Names of the transitions out of `state`, in table order."""
    return tuple(t.name for t in _TABLE if state in t.from_states)


# access ---------------------------------------------------------------------

_PERSONAL_ROLES = frozenset({Role.EMPLOYEE, Role.SUPERVISOR})
_READ_ALL = frozenset({Role.HR, Role.PERF_ADMIN, Role.DUTY_OFFICER})


def _party(appraisal: Appraisal, actor: Actor, transition: Transition) -> Party:
    """The capacity the actor acts in, or PermissionDenied."""
    wanted = transition.roles
    if (
        Role.EMPLOYEE in wanted
        and Role.EMPLOYEE in actor.roles
        and actor.subject == appraisal.employee_id
    ):
        return Party.EMPLOYEE
    if (
        Role.SUPERVISOR in wanted
        and Role.SUPERVISOR in actor.roles
        and actor.subject == appraisal.assessor_id
    ):
        return Party.ASSESSOR
    office = (wanted - _PERSONAL_ROLES) & actor.roles
    if office and actor.subject != appraisal.employee_id:
        return Party.OFFICE
    name = transition.name
    if office:
        raise PermissionDenied(f"{actor.subject} may not {name} on their own appraisal")
    if actor.roles.isdisjoint(wanted):
        roles = ", ".join(sorted(wanted))
        raise PermissionDenied(f"{name} needs one of the roles: {roles}")
    if Role.SUPERVISOR in wanted and Role.SUPERVISOR in actor.roles:
        raise PermissionDenied(
            f"{actor.subject} is not the assessor of appraisal {appraisal.appraisal_id} "
            f"(the assessor is {appraisal.assessor_id}); only the assessor may {name}"
        )
    raise PermissionDenied(
        f"{actor.subject} may not {name} on {appraisal.employee_id}'s appraisal; "
        "employees act on their own appraisal only"
    )


def can_read(appraisal: Appraisal, actor: Actor) -> bool:
    if not actor.roles.isdisjoint(_READ_ALL):
        return True
    if Role.EMPLOYEE in actor.roles and actor.subject == appraisal.employee_id:
        return True
    return Role.SUPERVISOR in actor.roles and actor.subject == appraisal.assessor_id


def check_read(appraisal: Appraisal, actor: Actor) -> None:
    if not can_read(appraisal, actor):
        raise PermissionDenied(f"{actor.subject} may not read appraisal {appraisal.appraisal_id}")


# apply ----------------------------------------------------------------------


def apply(
    appraisal: Appraisal,
    transition_name: str,
    actor: Actor,
    at: datetime,
    context: Context,
    *,
    expected_version: int,
) -> tuple[Appraisal, AuditRecord]:
    """Perform one transition; return the new appraisal and its audit record."""
    transition = TRANSITIONS.get(transition_name)
    if transition is None:
        known = ", ".join(TRANSITIONS)
        raise InvalidArgument.field(
            "transition", f"unknown transition {transition_name!r}; known: {known}"
        )
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidArgument.field("at", "the time of a transition must carry a time zone")
    party = _party(appraisal, actor, transition)
    if expected_version != appraisal.version:
        raise Conflict(
            f"appraisal {appraisal.appraisal_id} is at version {appraisal.version}, "
            f"not {expected_version}; re-read it and retry"
        )
    if appraisal.state not in transition.from_states:
        allowed = ", ".join(allowed_transitions(appraisal.state)) or "none"
        raise FailedPrecondition(
            f"appraisal {appraisal.appraisal_id} is in state {appraisal.state}; "
            f"{transition.name} is not allowed; allowed next: {allowed}"
        )
    step = Step(actor, party, at, at.astimezone(context.tz).date(), context)
    if transition.guard is not None:
        refusal = transition.guard(appraisal, step)
        if refusal is not None:
            raise FailedPrecondition(
                f"{transition.name} refused in state {appraisal.state}: {refusal}"
            )
    reason = context.reason.strip()
    if transition.reason_required and not reason:
        raise InvalidArgument.field("reason", f"{transition.name} needs a reason")
    updated = replace(appraisal, state=transition.to_state, version=appraisal.version + 1)
    if transition.effect is not None:
        updated = transition.effect(updated, step)
    record = AuditRecord(
        appraisal_id=appraisal.appraisal_id,
        transition=transition.name,
        who=actor.subject,
        party=party,
        when=at.astimezone(UTC),
        from_state=appraisal.state,
        to_state=updated.state,
        reason=reason,
        version=updated.version,
        late=updated.collected_late and not appraisal.collected_late,
    )
    return updated, record
