"""Base measures: the additive counts and sums every KPI is computed from.

Raw events are rolled up per local day of the center (and per queue, agent, team
or system) into these measures. Each is a plain count or sum, so the measures of
any period are the sum of its days, and those of a team the sum of its agents'.
A KPI (see ``catalog.py``) only ever divides two small functions of summed
measures, which is what makes every value explainable and cheap to aggregate.

Rules shared by all call measures:

- a *call* is one call event with a terminal outcome (answered, transferred,
  abandoned, timeout, ivr_completed); a call the source left without a terminal
  event is reported by the importer and never becomes a call, so it is in no
  measure (it is not guessed to be abandoned or answered);
- a call is counted whether or not the source recorded its end (``ended_at`` is
  optional): no measure reads the end, and the outcome says how the call ended. When
  no end is recorded, the end is placed from the durations: an abandoned or timed-out
  call left when it left the queue (``offered_at + wait_seconds``), an answered or
  transferred call ended after its talk and hold, an IVR call needs none. A call with
  no end and no duration to place it (``uncounted_call``: an abandon without a wait, an
  answer without talk time, such as a call still in progress when it was exported) is
  in no measure: counting it would put a guessed 0 into waits and talk times. It is
  stored, counted in the ingest response's ``uncounted_by_reason`` and in the
  data-quality report, never silently left out;
- a call counts on the local day it was offered, for the agent who answered it
  (calls nobody answered belong to no agent, hence only to the center);
- durations are the seconds the source reports; ``talk`` excludes ``hold``.

Thresholds (``DEFAULT_PARAMETERS``) are applied when measures are counted, not
when KPIs are computed: ``calls_answered_in_sl`` at 20 s and at 30 s are two
different numbers. Changing a threshold therefore means recomputing the rollups
of the periods it applies to; ``PARAMETERS_OF`` says which measures it changes.

Keys are ``StrEnum`` members, so a mapping keyed by the plain column names
(``{"calls_offered": 12.0}``) is read with ``Measure`` keys unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "ANSWERED_OUTCOMES",
    "DEFAULT_PARAMETERS",
    "LEFT_QUEUE_OUTCOMES",
    "PARAMETERS_OF",
    "SYSTEM_KINDS",
    "UNPLACED_ANSWER",
    "UNPLACED_LEFT_QUEUE",
    "CallFacts",
    "CallOutcome",
    "Measure",
    "count_calls",
    "downtime_minutes",
    "scheduled_minutes",
    "uncounted_call",
]

SECONDS_PER_DAY = 86_400.0


class Measure(StrEnum):
    """A base measure; the value is the rollup column name."""

    # --- calls (PBX/ACD/IVR/CTI), by offered day and answering agent ----------------------
    CALLS_OFFERED = "calls_offered"
    """Calls offered to agents: every call whose outcome is answered, transferred,
    abandoned or timeout, i.e. every call except those completed in the IVR."""
    CALLS_ANSWERED = "calls_answered"
    """Calls an agent answered: outcome answered or transferred (a transferred call
    was answered before it was passed on). DOMAIN's "handled calls/contacts"."""
    CALLS_ABANDONED = "calls_abandoned"
    """Calls the caller hung up in the queue before an agent answered: outcome
    abandoned, whatever the wait (short abandons included)."""
    CALLS_SHORT_ABANDONED = "calls_short_abandoned"
    """Abandoned calls whose wait is strictly less than ``short_abandon_seconds``
    (default 5 s): callers who hung up before anyone could answer."""
    CALLS_ANSWERED_IN_SL = "calls_answered_in_sl"
    """Answered calls (answered or transferred) whose wait is at most
    ``service_level_seconds`` (default 20 s): the "within T" of service level."""
    CALLS_IVR_COMPLETED = "calls_ivr_completed"
    """Calls completed in the IVR without asking for an agent: outcome ivr_completed."""
    CALLS_INBOUND = "calls_inbound"
    """All calls reaching the system: calls_offered + calls_ivr_completed."""
    CALLS_TRANSFERRED = "calls_transferred"
    """Answered calls the agent transferred: outcome transferred (also in calls_answered)."""
    CALLS_TIMEOUT = "calls_timeout"
    """Calls that left the queue at its maximum wait (Asterisk EXITWITHTIMEOUT): outcome
    timeout. Offered, neither answered nor abandoned."""
    CALLS_FCR_FLAGGED = "calls_fcr_flagged"
    """Answered calls with first_contact_resolved = true (resolved on first contact)."""
    CALLS_FCR_KNOWN = "calls_fcr_known"
    """Answered calls whose first_contact_resolved flag is set (true or false); shows
    how much of the flag the source actually fills in."""
    WAIT_ANSWERED_SECONDS = "wait_answered_seconds"
    """Σ wait (offered → answered) in seconds over answered calls."""
    TALK_SECONDS = "talk_seconds"
    """Σ talk seconds over answered calls, hold excluded."""
    HOLD_SECONDS = "hold_seconds"
    """Σ hold seconds over answered calls."""
    ACW_SECONDS = "acw_seconds"
    """Σ after-call work (话后处理) seconds over answered calls, as the call reports it."""
    CASES = "cases"
    """Answered calls that carry a caller key (a case whose repeat can be looked for)."""
    CASES_WITHOUT_REPEAT = "cases_without_repeat"
    """Cases with no other call (any outcome, queue or channel) from the same caller key
    offered within ``fcr_window_days`` (default 7) after the case, i.e. in
    (t, t + window]. Counted on the case's day, so that day changes as repeats arrive
    until its window has passed."""

    # --- agent states (ACD), seconds of each interval inside the day ----------------------
    LOGGED_IN_SECONDS = "logged_in_seconds"
    """Seconds in logged-in (session) intervals, clipped to the day."""
    AVAILABLE_SECONDS = "available_seconds"
    """Seconds in the available state: ready and idle, waiting for a call."""
    ON_CALL_SECONDS = "on_call_seconds"
    """Seconds in the on-call state, as the ACD reports the state."""
    ACW_STATE_SECONDS = "acw_state_seconds"
    """Seconds in the after-call-work state, as the ACD reports the state."""
    AUX_SECONDS = "aux_seconds"
    """Seconds in aux (not ready, any reason: break, meeting, training, …)."""
    AGENT_SHIFTS = "agent_shifts"
    """Login sessions (logged-in intervals) that start on the day: the agent's shifts."""

    # --- HR facts, per employee (or unit) and the period the HR system reports ------------
    SCHEDULED_DAYS = "scheduled_days"
    """Days the employee was scheduled to work (排班天数)."""
    ATTENDED_DAYS = "attended_days"
    """Scheduled days the employee attended (出勤天数)."""
    SCHEDULED_PAID_SECONDS = "scheduled_paid_seconds"
    """scheduled_days × ``paid_hours_per_day`` (default 8) × 3600: scheduled paid time."""
    TRAINING_HOURS = "training_hours"
    """Hours of off-the-job training (脱产培训) attended."""
    HEADCOUNT = "headcount"
    """Average headcount over the fact's period, as HR reports it. Additive across
    subjects but not over time: a quarter or a year must use the facts HR reports for
    exactly that period, not the sum of its months' averages."""
    SUGGESTIONS_SUBMITTED = "suggestions_submitted"
    """Improvement suggestions (建议案) submitted."""
    SUGGESTIONS_ADOPTED = "suggestions_adopted"
    """Suggestions adopted (采纳)."""
    LEAVERS = "leavers"
    """Employees who left (流失) in the period, voluntary or not."""
    PROMOTIONS_INTERNAL = "promotions_internal"
    """Promoted positions filled by existing employees (内部提升)."""
    PROMOTIONS_TOTAL = "promotions_total"
    """All promoted positions filled: internal + external hires."""
    EMPLOYEE_SATISFACTION_SUM = "employee_satisfaction_sum"
    """Σ employee-survey satisfaction scores (on the survey's own scale)."""
    EMPLOYEE_SATISFACTION_ANSWERS = "employee_satisfaction_answers"
    """Facts that carry an employee-survey satisfaction score."""

    # --- work orders / tickets (non-real-time work), by the day they were created ---------
    WORK_ORDERS_DUE = "work_orders_due"
    """Work orders that have a due time."""
    WORK_ORDERS_ON_TIME = "work_orders_on_time"
    """Work orders with a due time closed at or before it."""
    FIRST_RESPONSE_SECONDS = "first_response_seconds"
    """Σ (first response − created) seconds over work orders that got a first response."""
    FIRST_RESPONSES = "first_responses"
    """Work orders that got a first response."""

    # --- QA evaluations (call-recording rubric), by evaluation day and evaluated agent ----
    QA_SCORE = "qa_score"
    """Σ evaluation scores (each the sum of its rubric item scores)."""
    QA_MAX_SCORE = "qa_max_score"
    """Σ the maximum possible score of each evaluation's rubric items."""
    QA_EVALUATIONS = "qa_evaluations"
    """QA evaluations."""

    # --- customer surveys, by answer day and the agent of the surveyed contact ------------
    SURVEY_ANSWERS = "survey_answers"
    """Survey responses, whatever they answered."""
    CSAT_ANSWERS = "csat_answers"
    """Responses with a CSAT score (1–5)."""
    CSAT_SATISFIED = "csat_satisfied"
    """Responses with CSAT ≥ ``csat_top_box_min`` (default 4: the top two boxes, 4–5)."""
    CSAT_DISSATISFIED = "csat_dissatisfied"
    """Responses with CSAT ≤ 2 (the bottom two boxes, 1–2)."""
    NPS_ANSWERS = "nps_answers"
    """Responses with an NPS score (0–10)."""
    NPS_PROMOTERS = "nps_promoters"
    """Responses with NPS 9–10."""
    NPS_DETRACTORS = "nps_detractors"
    """Responses with NPS 0–6."""
    NEGATIVE_REMARKS = "negative_remarks"
    """Responses whose free text is flagged negative (差评)."""
    PRAISE_REMARKS = "praise_remarks"
    """Responses whose free text is flagged praise (表扬)."""

    # --- complaints, by receipt day and the agent they are attributed to ------------------
    COMPLAINTS_RECEIVED = "complaints_received"
    """Complaints received, confirmed or not."""
    COMPLAINTS_CONFIRMED = "complaints_confirmed"
    """Complaints confirmed (有效投诉) after investigation."""

    # --- accuracy audits (manual and system monitoring) -----------------------------------
    AUDIT_ITEMS = "audit_items"
    """Items (records, orders, answers) checked in accuracy audits."""
    AUDIT_ERRORS = "audit_errors"
    """Errors found among the audited items."""

    # --- forecast and schedule, per queue interval ----------------------------------------
    FORECAST_INTERVALS = "forecast_intervals"
    """Schedule intervals whose actual volume (calls of the queue offered in the
    interval, any outcome) is above zero."""
    FORECAST_ERROR_RATIO_SUM = "forecast_error_ratio_sum"
    """Σ |actual − forecast| / actual over those intervals."""
    SCHEDULE_INTERVALS = "schedule_intervals"
    """Schedule intervals whose required staff is above zero."""
    SCHEDULE_ERROR_RATIO_SUM = "schedule_error_ratio_sum"
    """Σ |scheduled − required| / required staff over those intervals."""

    # --- finance, per org unit and the period finance reports -----------------------------
    OPERATING_COST = "operating_cost"
    """Actual operating cost, in the center's currency."""
    BUDGET = "budget"
    """Budgeted operating cost for the same scope, in the same currency."""

    # --- system availability, per system and day (minutes) --------------------------------
    LINES_SCHEDULED_MINUTES = "lines_scheduled_minutes"
    """Scheduled service minutes of communication lines (通信线路)."""
    LINES_DOWNTIME_MINUTES = "lines_downtime_minutes"
    """Minutes of communication lines down within their scheduled service time."""
    NETWORK_SCHEDULED_MINUTES = "network_scheduled_minutes"
    """Scheduled service minutes of network links (网络线路)."""
    NETWORK_DOWNTIME_MINUTES = "network_downtime_minutes"
    """Minutes of network links down within their scheduled service time."""
    APPLICATIONS_SCHEDULED_MINUTES = "applications_scheduled_minutes"
    """Scheduled service minutes of applications (应用程序)."""
    APPLICATIONS_DOWNTIME_MINUTES = "applications_downtime_minutes"
    """Minutes of applications down within their scheduled service time."""
    HARDWARE_SCHEDULED_MINUTES = "hardware_scheduled_minutes"
    """Scheduled service minutes of hardware (硬件设备)."""
    HARDWARE_DOWNTIME_MINUTES = "hardware_downtime_minutes"
    """Minutes of hardware down within its scheduled service time."""


SYSTEM_KINDS: tuple[str, ...] = ("lines", "network", "applications", "hardware")
"""The system kinds whose availability is measured."""


def scheduled_minutes(kind: str) -> Measure:
    """The scheduled-service-minutes measure of a system kind."""
    return Measure(f"{kind}_scheduled_minutes")


def downtime_minutes(kind: str) -> Measure:
    """The downtime-minutes measure of a system kind."""
    return Measure(f"{kind}_downtime_minutes")


DEFAULT_PARAMETERS: Mapping[str, float] = MappingProxyType(
    {
        "service_level_seconds": 20.0,  # answered within T (服务水平 "80/20")
        "short_abandon_seconds": 5.0,  # abandons quicker than this are short abandons
        "fcr_window_days": 7.0,  # repeat window of the statistical FCR
        "csat_top_box_min": 4.0,  # lowest CSAT score counted satisfied
        "paid_hours_per_day": 8.0,  # paid hours of a scheduled day
    }
)
"""Counting thresholds and their defaults; all are applied when measures are rolled up."""

PARAMETERS_OF: Mapping[Measure, tuple[str, ...]] = MappingProxyType(
    {
        Measure.CALLS_SHORT_ABANDONED: ("short_abandon_seconds",),
        Measure.CALLS_ANSWERED_IN_SL: ("service_level_seconds",),
        Measure.CASES_WITHOUT_REPEAT: ("fcr_window_days",),
        Measure.CSAT_SATISFIED: ("csat_top_box_min",),
        Measure.SCHEDULED_PAID_SECONDS: ("paid_hours_per_day",),
    }
)
"""Which parameters each measure depends on; a change to one needs a recompute of these."""


# --- which stored calls count ----------------------------------------------------------------

ANSWERED_OUTCOMES = ("answered", "transferred")
LEFT_QUEUE_OUTCOMES = ("abandoned", "timeout")
UNPLACED_LEFT_QUEUE = "call.ended_at: unset, and no wait_seconds to place when it left the queue"
UNPLACED_ANSWER = "call.ended_at: unset, and no talk_seconds to place when it ended"


def uncounted_call(
    outcome: str, has_end: bool, wait_seconds: float, talk_seconds: float
) -> str | None:
    """Why a stored call is in no measure, or None when it counts (see the module's rules).

    The rollup's ``WHERE`` (``rollups.counted_call``) is the same rule in SQL.
    """
    if has_end:
        return None
    if outcome in LEFT_QUEUE_OUTCOMES and wait_seconds <= 0:
        return UNPLACED_LEFT_QUEUE
    if outcome in ANSWERED_OUTCOMES and talk_seconds <= 0:
        return UNPLACED_ANSWER
    return None


# --- a reference count of the call measures ------------------------------------------------


class CallOutcome(StrEnum):
    """How a call ended (the call event's terminal outcome)."""

    ANSWERED = "answered"
    TRANSFERRED = "transferred"
    ABANDONED = "abandoned"
    TIMEOUT = "timeout"
    IVR_COMPLETED = "ivr_completed"


@dataclass(frozen=True)
class CallFacts:
    """The facts of one call that its measures are counted from."""

    outcome: CallOutcome
    wait_seconds: float = 0.0
    talk_seconds: float = 0.0
    hold_seconds: float = 0.0
    acw_seconds: float = 0.0
    first_contact_resolved: bool | None = None
    caller_key: str | None = None
    offered_epoch: float = 0.0


def count_calls(
    calls: Iterable[CallFacts],
    params: Mapping[str, float] | None = None,
    later_calls: Iterable[CallFacts] = (),
) -> dict[Measure, float]:
    """Count the call measures of ``calls`` exactly as the docstrings above define them.

    The executable form of the definitions: the SQL rollup must agree with it.
    ``later_calls`` are calls after the period, looked at only as repeats.
    """
    p = {**DEFAULT_PARAMETERS, **(params or {})}
    calls = list(calls)
    window = p["fcr_window_days"] * SECONDS_PER_DAY
    offers_by_caller: dict[str, list[float]] = {}
    for call in (*calls, *later_calls):
        if call.caller_key is not None:
            offers_by_caller.setdefault(call.caller_key, []).append(call.offered_epoch)

    totals = dict.fromkeys(_CALL_MEASURES, 0.0)
    for call in calls:
        repeated = call.caller_key is not None and any(
            call.offered_epoch < later <= call.offered_epoch + window
            for later in offers_by_caller[call.caller_key]
        )
        for measure, amount in _one_call(call, p, repeated).items():
            totals[measure] += amount
    return totals


def _one_call(call: CallFacts, p: Mapping[str, float], repeated: bool) -> dict[Measure, float]:
    answered = call.outcome in (CallOutcome.ANSWERED, CallOutcome.TRANSFERRED)
    abandoned = call.outcome == CallOutcome.ABANDONED
    case = answered and call.caller_key is not None
    counted = {
        Measure.CALLS_INBOUND: True,
        Measure.CALLS_IVR_COMPLETED: call.outcome == CallOutcome.IVR_COMPLETED,
        Measure.CALLS_OFFERED: call.outcome != CallOutcome.IVR_COMPLETED,
        Measure.CALLS_ANSWERED: answered,
        Measure.CALLS_TRANSFERRED: call.outcome == CallOutcome.TRANSFERRED,
        Measure.CALLS_TIMEOUT: call.outcome == CallOutcome.TIMEOUT,
        Measure.CALLS_ABANDONED: abandoned,
        Measure.CALLS_SHORT_ABANDONED: abandoned and call.wait_seconds < p["short_abandon_seconds"],
        Measure.CALLS_ANSWERED_IN_SL: answered and call.wait_seconds <= p["service_level_seconds"],
        Measure.CALLS_FCR_KNOWN: answered and call.first_contact_resolved is not None,
        Measure.CALLS_FCR_FLAGGED: answered and call.first_contact_resolved is True,
        Measure.CASES: case,
        Measure.CASES_WITHOUT_REPEAT: case and not repeated,
    }
    summed = {
        Measure.WAIT_ANSWERED_SECONDS: call.wait_seconds,
        Measure.TALK_SECONDS: call.talk_seconds,
        Measure.HOLD_SECONDS: call.hold_seconds,
        Measure.ACW_SECONDS: call.acw_seconds,
    }
    return {
        **{measure: 1.0 if yes else 0.0 for measure, yes in counted.items()},
        **{measure: seconds if answered else 0.0 for measure, seconds in summed.items()},
    }


_CALL_MEASURES: tuple[Measure, ...] = (
    Measure.CALLS_OFFERED,
    Measure.CALLS_ANSWERED,
    Measure.CALLS_ABANDONED,
    Measure.CALLS_SHORT_ABANDONED,
    Measure.CALLS_ANSWERED_IN_SL,
    Measure.CALLS_IVR_COMPLETED,
    Measure.CALLS_INBOUND,
    Measure.CALLS_TRANSFERRED,
    Measure.CALLS_TIMEOUT,
    Measure.CALLS_FCR_FLAGGED,
    Measure.CALLS_FCR_KNOWN,
    Measure.WAIT_ANSWERED_SECONDS,
    Measure.TALK_SECONDS,
    Measure.HOLD_SECONDS,
    Measure.ACW_SECONDS,
    Measure.CASES,
    Measure.CASES_WITHOUT_REPEAT,
)
