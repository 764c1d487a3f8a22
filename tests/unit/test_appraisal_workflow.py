from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from services.appraisal.domain import workflow
from services.appraisal.domain.workflow import (
    CENTER_TZ,
    TRANSITIONS,
    Actor,
    Appraisal,
    AppraisalState,
    AuditRecord,
    Context,
    Party,
    allowed_transitions,
    appeal_deadline,
    apply,
    can_read,
    check_read,
    data_deadline,
)
from services.common.auth import Role
from services.common.errors import Conflict, FailedPrecondition, InvalidArgument, PermissionDenied
from services.org.domain.calendar import WorkCalendar
from services.org.domain.model import PositionType

S = AppraisalState

# National Day week as test data: Thu 1 .. Wed 7 Oct off; Sun 27 Sep and Sat 10 Oct worked.
NATIONAL_DAY = WorkCalendar(
    holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
    makeup_workdays=frozenset({date(2026, 9, 27), date(2026, 10, 10)}),
)
CTX = Context(calendar=NATIONAL_DAY)

EMPLOYEE = Actor("e-1", frozenset({Role.EMPLOYEE}))
OTHER_EMPLOYEE = Actor("e-2", frozenset({Role.EMPLOYEE}))
ASSESSOR = Actor("s-1", frozenset({Role.EMPLOYEE, Role.SUPERVISOR}))
OTHER_SUPERVISOR = Actor("s-2", frozenset({Role.EMPLOYEE, Role.SUPERVISOR}))
PERF_ADMIN = Actor("pa-1", frozenset({Role.EMPLOYEE, Role.PERF_ADMIN}))
DUTY = Actor("d-1", frozenset({Role.EMPLOYEE, Role.DUTY_OFFICER}))
HR = Actor("hr-1", frozenset({Role.EMPLOYEE, Role.HR}))
PAYROLL = Actor("payroll", frozenset({Role.PAYROLL}))

REASONED = frozenset({"reject_targets", "appeal", "uphold_appeal", "reject_appeal"})

# An actor allowed to perform each transition on `new()`'s appraisal.
ACTOR_FOR = {
    "set_targets": ASSESSOR,
    "confirm_targets": EMPLOYEE,
    "approve_targets": PERF_ADMIN,
    "reject_targets": PERF_ADMIN,
    "start": ASSESSOR,
    "collect_data": DUTY,
    "self_assess": EMPLOYEE,
    "review": ASSESSOR,
    "issue_result": ASSESSOR,
    "sign": EMPLOYEE,
    "file": HR,
    "appeal": EMPLOYEE,
    "uphold_appeal": PERF_ADMIN,
    "reject_appeal": PERF_ADMIN,
    "reissue_result": ASSESSOR,
    "finalize": HR,
}


def local(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), CENTER_TZ)


def new(position_type: PositionType = PositionType.MANAGEMENT, **changes) -> Appraisal:
    base = Appraisal(
        appraisal_id="a-1",
        employee_id="e-1",
        assessor_id="s-1",
        position_type=position_type,
        period_end=date(2026, 9, 30),
    )
    return replace(base, **changes)


def step(
    appraisal: Appraisal,
    name: str,
    actor: Actor | None = None,
    on: date = date(2026, 9, 29),
    ctx: Context | None = None,
    *,
    at: datetime | None = None,
) -> tuple[Appraisal, AuditRecord]:
    if ctx is None:
        ctx = replace(CTX, reason="because") if name in REASONED else CTX
    return apply(
        appraisal,
        name,
        actor or ACTOR_FOR[name],
        at or local(on),
        ctx,
        expected_version=appraisal.version,
    )


def drive(appraisal: Appraisal, plan) -> tuple[Appraisal, list[AuditRecord]]:
    records = []
    for name, actor, on in plan:
        appraisal, record = step(appraisal, name, actor, on)
        records.append(record)
    return appraisal, records


SEP_1 = date(2026, 9, 1)
ISSUED = date(2026, 9, 29)  # a Tuesday; the 5th working day after it is Mon 12 Oct
FIFTH_WORKING_DAY = date(2026, 10, 12)
SIXTH_WORKING_DAY = date(2026, 10, 13)

TARGETS_TO_START = [
    ("set_targets", ASSESSOR, SEP_1),
    ("confirm_targets", EMPLOYEE, SEP_1),
]
COLLECT_TO_ISSUE = [
    ("collect_data", DUTY, date(2026, 9, 29)),
    ("self_assess", EMPLOYEE, ISSUED),
    ("review", ASSESSOR, ISSUED),
    ("issue_result", ASSESSOR, ISSUED),
]


def issued(position_type: PositionType = PositionType.MANAGEMENT) -> Appraisal:
    """An appraisal whose result was issued on ISSUED (Tue 29 Sep 2026)."""
    return new(position_type, state=S.RESULT_ISSUED, version=9, issued_on=ISSUED)


# -- happy paths -----------------------------------------------------------------


def test_management_happy_path_end_to_end():
    plan = [
        *TARGETS_TO_START,
        ("start", ASSESSOR, SEP_1),
        *COLLECT_TO_ISSUE,
        ("sign", EMPLOYEE, ISSUED),
        ("sign", ASSESSOR, ISSUED),
        ("file", HR, date(2026, 9, 30)),
        ("finalize", HR, SIXTH_WORKING_DAY),
    ]
    final, records = drive(new(), plan)
    assert final.state is S.FINAL
    assert final.version == 1 + len(plan)
    assert [(r.from_state, r.to_state) for r in records] == [
        (S.DRAFT, S.TARGETS_SET),
        (S.TARGETS_SET, S.TARGETS_CONFIRMED),
        (S.TARGETS_CONFIRMED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.DATA_COLLECTED),
        (S.DATA_COLLECTED, S.SELF_ASSESSED),
        (S.SELF_ASSESSED, S.REVIEWED),
        (S.REVIEWED, S.RESULT_ISSUED),
        (S.RESULT_ISSUED, S.RESULT_ISSUED),
        (S.RESULT_ISSUED, S.SIGNED),
        (S.SIGNED, S.FILED),
        (S.FILED, S.FINAL),
    ]
    assert [r.who for r in records] == [actor.subject for _, actor, _ in plan]
    assert [r.version for r in records] == list(range(2, 2 + len(plan)))
    assert records[0] == AuditRecord(
        appraisal_id="a-1",
        transition="set_targets",
        who="s-1",
        party=Party.ASSESSOR,
        when=datetime(2026, 9, 1, 2, tzinfo=UTC),
        from_state=S.DRAFT,
        to_state=S.TARGETS_SET,
        reason="",
        version=2,
    )
    assert final.issued_on == ISSUED
    assert not final.collected_late


def test_non_management_needs_approval_before_it_starts():
    confirmed, _ = drive(new(PositionType.NON_MANAGEMENT), TARGETS_TO_START)
    with pytest.raises(FailedPrecondition, match="approval by perf_admin"):
        step(confirmed, "start", ASSESSOR, SEP_1)
    plan = [
        ("approve_targets", PERF_ADMIN, SEP_1),
        ("start", PERF_ADMIN, SEP_1),
        *COLLECT_TO_ISSUE,
        ("sign", ASSESSOR, ISSUED),
        ("sign", EMPLOYEE, ISSUED),
        ("file", HR, ISSUED),
        ("finalize", PERF_ADMIN, SIXTH_WORKING_DAY),
    ]
    final, records = drive(confirmed, plan)
    assert final.state is S.FINAL
    assert records[0].to_state is S.TARGETS_APPROVED
    assert records[0].party is Party.OFFICE
    assert records[1].from_state is S.TARGETS_APPROVED


def test_rejected_targets_go_back_to_the_assessor_with_the_reason():
    confirmed, _ = drive(new(PositionType.NON_MANAGEMENT), TARGETS_TO_START)
    with pytest.raises(InvalidArgument) as exc:
        step(confirmed, "reject_targets", ctx=CTX)
    assert exc.value.violations[0].field == "reason"
    rejected, record = step(confirmed, "reject_targets", ctx=replace(CTX, reason=" too easy "))
    assert rejected.state is S.TARGETS_SET
    assert record.reason == "too easy"


def test_resetting_confirmed_targets_needs_a_new_confirmation():
    confirmed, _ = drive(new(), TARGETS_TO_START)
    reset, _ = step(confirmed, "set_targets")
    assert reset.state is S.TARGETS_SET
    with pytest.raises(FailedPrecondition, match="state targets_set"):
        step(reset, "start")


# -- illegal transitions -------------------------------------------------------------


@pytest.mark.parametrize(
    "state", [S.DRAFT, S.IN_PROGRESS, S.RESULT_ISSUED, S.APPEALED, S.FINAL], ids=str
)
def test_every_illegal_transition_names_the_state_and_the_allowed_ones(state):
    appraisal = new(state=state, issued_on=ISSUED)
    allowed = allowed_transitions(state)
    illegal = [name for name in TRANSITIONS if name not in allowed]
    assert illegal
    for name in illegal:
        with pytest.raises(FailedPrecondition) as exc:
            step(appraisal, name)
        message = exc.value.message
        assert f"in state {state};" in message, name
        assert f"{name} is not allowed" in message
        assert f"allowed next: {', '.join(allowed) or 'none'}" in message


def test_allowed_transitions_out_of_some_states():
    assert allowed_transitions(S.DRAFT) == ("set_targets",)
    assert allowed_transitions(S.RESULT_ISSUED) == ("sign", "appeal")
    assert allowed_transitions(S.APPEALED) == ("uphold_appeal", "reject_appeal")
    assert allowed_transitions(S.FINAL) == ()


def test_every_state_is_reachable_and_only_final_is_terminal():
    reachable = {S.DRAFT}
    frontier = [S.DRAFT]
    while frontier:
        state = frontier.pop()
        for t in TRANSITIONS.values():
            targets = {t.to_state, S.RESULT_ISSUED} if t.name == "sign" else {t.to_state}
            if state in t.from_states and not targets <= reachable:
                frontier.extend(targets - reachable)
                reachable |= targets
    assert reachable == set(AppraisalState)
    assert [s for s in AppraisalState if not allowed_transitions(s)] == [S.FINAL]


def test_module_docstring_lists_every_transition():
    doc = workflow.__doc__ or ""
    for name in TRANSITIONS:
        assert f"| {name} |" in doc


def test_unknown_transition_is_an_invalid_argument():
    with pytest.raises(InvalidArgument) as exc:
        apply(new(), "promote", ASSESSOR, local(SEP_1), CTX, expected_version=1)
    assert exc.value.violations[0].field == "transition"


def test_a_naive_time_is_refused():
    with pytest.raises(InvalidArgument) as exc:
        apply(new(), "set_targets", ASSESSOR, datetime(2026, 9, 1, 10), CTX, expected_version=1)  # noqa: DTZ001
    assert exc.value.violations[0].field == "at"


# -- who may act --------------------------------------------------------------------


def test_employee_cannot_act_on_someone_elses_appraisal():
    targets_set = new(state=S.TARGETS_SET)
    with pytest.raises(PermissionDenied, match="e-2 may not confirm_targets on e-1's"):
        step(targets_set, "confirm_targets", OTHER_EMPLOYEE)
    with pytest.raises(PermissionDenied):
        step(issued(), "appeal", OTHER_EMPLOYEE)
    with pytest.raises(PermissionDenied):
        step(issued(), "sign", OTHER_EMPLOYEE)


def test_supervisor_who_is_not_the_assessor_is_refused():
    for name, state in [("set_targets", S.DRAFT), ("review", S.SELF_ASSESSED)]:
        with pytest.raises(PermissionDenied, match=r"s-2 is not the assessor .* s-1"):
            step(new(state=state), name, OTHER_SUPERVISOR)
    with pytest.raises(PermissionDenied, match="not the assessor"):
        step(issued(), "sign", OTHER_SUPERVISOR)


def test_the_assessor_cannot_act_for_the_employee():
    with pytest.raises(PermissionDenied):
        step(new(state=S.TARGETS_SET), "confirm_targets", ASSESSOR)
    with pytest.raises(PermissionDenied):
        step(new(state=S.DATA_COLLECTED), "self_assess", ASSESSOR)


def test_the_employee_cannot_act_for_the_assessor():
    with pytest.raises(PermissionDenied, match="set_targets needs one of the roles: supervisor"):
        step(new(), "set_targets", EMPLOYEE)


@pytest.mark.parametrize(
    ("name", "state", "actor"),
    [
        ("approve_targets", S.TARGETS_CONFIRMED, ASSESSOR),
        ("approve_targets", S.TARGETS_CONFIRMED, HR),
        ("collect_data", S.IN_PROGRESS, ASSESSOR),
        ("collect_data", S.IN_PROGRESS, PERF_ADMIN),
        ("file", S.SIGNED, ASSESSOR),
        ("file", S.SIGNED, PERF_ADMIN),
        ("uphold_appeal", S.APPEALED, HR),
        ("reject_appeal", S.APPEALED, ASSESSOR),
        ("finalize", S.FILED, DUTY),
        ("sign", S.RESULT_ISSUED, Actor("hris", frozenset({Role.HRIS}))),
        ("issue_result", S.REVIEWED, PERF_ADMIN),
    ],
)
def test_office_roles_are_required(name, state, actor):
    with pytest.raises(PermissionDenied, match=f"{name} needs one of the roles"):
        step(new(state=state, issued_on=ISSUED), name, actor)


def test_nobody_acts_in_office_on_their_own_appraisal():
    own = new(employee_id="pa-1", state=S.APPEALED, issued_on=ISSUED, appeals_filed=1)
    with pytest.raises(PermissionDenied, match="on their own appraisal"):
        step(own, "uphold_appeal", PERF_ADMIN)
    own_data = new(employee_id="d-1", state=S.IN_PROGRESS)
    with pytest.raises(PermissionDenied, match="on their own appraisal"):
        step(own_data, "collect_data", DUTY)


def test_permission_is_checked_before_the_state():
    with pytest.raises(PermissionDenied):
        step(new(state=S.FINAL), "confirm_targets", OTHER_EMPLOYEE)


def test_who_may_read():
    appraisal = new()
    for reader in (EMPLOYEE, ASSESSOR, HR, PERF_ADMIN, DUTY):
        assert can_read(appraisal, reader)
        check_read(appraisal, reader)
    for stranger in (OTHER_EMPLOYEE, OTHER_SUPERVISOR, PAYROLL):
        assert not can_read(appraisal, stranger)
        with pytest.raises(PermissionDenied):
            check_read(appraisal, stranger)
    assert not can_read(appraisal, Actor("e-1", frozenset({Role.PAYROLL})))


# -- signatures ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "first_party"),
    [(EMPLOYEE, ASSESSOR, Party.EMPLOYEE), (ASSESSOR, EMPLOYEE, Party.ASSESSOR)],
    ids=["employee-first", "assessor-first"],
)
def test_both_signatures_in_either_order(first, second, first_party):
    half, record = step(issued(), "sign", first)
    assert half.state is S.RESULT_ISSUED
    assert half.signatures == {first_party}
    assert half.version == 10
    assert (record.from_state, record.to_state, record.party) == (
        S.RESULT_ISSUED,
        S.RESULT_ISSUED,
        first_party,
    )
    with pytest.raises(FailedPrecondition, match=f"the {first_party} has already signed"):
        step(half, "sign", first)
    with pytest.raises(FailedPrecondition, match="state result_issued"):
        step(half, "file")
    both, record = step(half, "sign", second)
    assert both.state is S.SIGNED
    assert both.signatures == {Party.EMPLOYEE, Party.ASSESSOR}
    assert record.to_state is S.SIGNED


# -- the appeal window ------------------------------------------------------------------


def test_appeal_deadline_counts_working_days_of_the_center_calendar():
    assert appeal_deadline(issued(), NATIONAL_DAY) == FIFTH_WORKING_DAY
    # plain weekdays would end the window on Tue 6 Oct, in the middle of the holiday
    assert appeal_deadline(issued(), WorkCalendar()) == date(2026, 10, 6)


def test_appeal_on_the_fifth_working_day_is_accepted():
    appealed, record = step(issued(), "appeal", on=FIFTH_WORKING_DAY)
    assert appealed.state is S.APPEALED
    assert record.reason == "because"
    late_evening = local(FIFTH_WORKING_DAY, hour=23)
    appealed, _ = step(issued(), "appeal", at=late_evening)
    assert appealed.state is S.APPEALED


def test_appeal_on_the_sixth_working_day_is_refused_with_the_deadline():
    with pytest.raises(FailedPrecondition, match="2026-10-12"):
        step(issued(), "appeal", on=SIXTH_WORKING_DAY)
    # 16:30 UTC on the 12th is already the 13th at the center
    with pytest.raises(FailedPrecondition, match="deadline was 2026-10-12"):
        step(issued(), "appeal", at=datetime(2026, 10, 12, 16, 30, tzinfo=UTC))


def test_the_calendar_decides_the_window():
    plain = replace(CTX, calendar=WorkCalendar(), reason="because")
    with pytest.raises(FailedPrecondition, match="2026-10-06"):
        step(issued(), "appeal", on=FIFTH_WORKING_DAY, ctx=plain)


@pytest.mark.parametrize("state", [S.SIGNED, S.FILED], ids=str)
def test_signed_and_filed_results_can_be_appealed_within_the_window(state):
    appraisal = replace(issued(), state=state)
    appealed, _ = step(appraisal, "appeal", on=date(2026, 10, 8))
    assert appealed.state is S.APPEALED
    assert appealed.appeals_filed == 1


def test_appeal_needs_a_reason():
    with pytest.raises(InvalidArgument):
        step(issued(), "appeal", ctx=replace(CTX, reason="   "))


def test_upheld_appeal_reissues_the_result_and_cannot_be_appealed_again():
    plan = [
        ("sign", EMPLOYEE, ISSUED),
        ("appeal", EMPLOYEE, date(2026, 9, 30)),
        ("uphold_appeal", PERF_ADMIN, date(2026, 10, 8)),
        ("reissue_result", ASSESSOR, date(2026, 10, 9)),
    ]
    reissued, records = drive(issued(), plan)
    assert [r.to_state for r in records] == [
        S.RESULT_ISSUED,
        S.APPEALED,
        S.APPEAL_UPHELD,
        S.RESULT_ISSUED,
    ]
    assert reissued.issued_on == date(2026, 10, 9)
    assert reissued.signatures == frozenset()
    with pytest.raises(FailedPrecondition, match="already been appealed"):
        step(reissued, "appeal", on=date(2026, 10, 9))
    rest = [
        ("sign", EMPLOYEE, date(2026, 10, 9)),
        ("sign", ASSESSOR, date(2026, 10, 9)),
        ("file", HR, date(2026, 10, 9)),
        ("finalize", HR, date(2026, 10, 9)),  # the one appeal is used: no window to wait for
    ]
    final, _ = drive(reissued, rest)
    assert final.state is S.FINAL


def test_rejected_appeal_becomes_final():
    appealed, _ = step(issued(), "appeal", on=date(2026, 9, 30))
    rejected, record = step(appealed, "reject_appeal", on=date(2026, 10, 8))
    assert rejected.state is S.APPEAL_REJECTED
    assert record.reason == "because"
    final, _ = step(rejected, "finalize", PERF_ADMIN, date(2026, 10, 8))
    assert final.state is S.FINAL


def test_finalize_waits_for_the_appeal_window_to_close():
    filed = replace(issued(), state=S.FILED)
    with pytest.raises(FailedPrecondition, match="open until 2026-10-12"):
        step(filed, "finalize", on=FIFTH_WORKING_DAY)
    final, _ = step(filed, "finalize", on=SIXTH_WORKING_DAY)
    assert final.state is S.FINAL


# -- data deadline ------------------------------------------------------------------------


def test_data_deadline_is_the_third_working_day_after_the_period():
    # Oct 8, 9 and the make-up Saturday Oct 10 are the first working days after September
    assert data_deadline(date(2026, 9, 30), NATIONAL_DAY) == date(2026, 10, 10)


def test_collection_on_the_third_working_day_is_on_time():
    collected, record = step(new(state=S.IN_PROGRESS), "collect_data", on=date(2026, 10, 10))
    assert collected.state is S.DATA_COLLECTED
    assert not collected.collected_late
    assert not record.late


def test_late_collection_is_allowed_and_flagged():
    collected, record = step(new(state=S.IN_PROGRESS), "collect_data", on=date(2026, 10, 12))
    assert collected.state is S.DATA_COLLECTED
    assert collected.collected_late
    assert record.late
    following, record = step(collected, "self_assess", on=date(2026, 10, 12))
    assert following.collected_late
    assert not record.late


# -- versions ------------------------------------------------------------------------------


def test_stale_version_is_a_conflict_and_the_current_one_works():
    current = new(version=7)
    with pytest.raises(Conflict, match="version 7, not 6"):
        apply(current, "set_targets", ASSESSOR, local(SEP_1), CTX, expected_version=6)
    updated, record = apply(current, "set_targets", ASSESSOR, local(SEP_1), CTX, expected_version=7)
    assert updated.version == record.version == 8
    with pytest.raises(Conflict):
        apply(updated, "confirm_targets", EMPLOYEE, local(SEP_1), CTX, expected_version=7)


def test_apply_leaves_the_input_alone():
    before = new()
    after, _ = step(before, "set_targets")
    assert before.state is S.DRAFT and before.version == 1
    assert after is not before


def test_an_employee_cannot_assess_themselves():
    with pytest.raises(ValueError, match="own assessor"):
        new(assessor_id="e-1")


def test_every_transition_that_counts_working_days_gets_the_calendar():
    """The service loads the calendar only for CALENDAR_TRANSITIONS: none may be missing."""
    import inspect  # noqa: PLC0415

    from services.appraisal.service import CALENDAR_TRANSITIONS  # noqa: PLC0415

    counting = {
        name
        for name, t in TRANSITIONS.items()
        if any(f is not None and "calendar" in inspect.getsource(f) for f in (t.guard, t.effect))
    }
    counting |= {"issue_result", "reissue_result"}  # the issue payload computes the appeal deadline
    assert counting <= CALENDAR_TRANSITIONS
