"""The KPI catalog: a hand-computed example for every KPI, the edge cases, the invariants."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace

import pytest

from services.metrics.domain import measures as measures_module
from services.metrics.domain.catalog import (
    CATALOG,
    DEFINITIONS,
    Department,
    KpiDefinition,
    Unit,
    compute,
)
from services.metrics.domain.measures import (
    DEFAULT_PARAMETERS,
    PARAMETERS_OF,
    CallFacts,
    CallOutcome,
    Measure,
    count_calls,
)

M = Measure
ANSWERED, TRANSFERRED, ABANDONED = (
    CallOutcome.ANSWERED,
    CallOutcome.TRANSFERRED,
    CallOutcome.ABANDONED,
)
TIMEOUT, IVR = CallOutcome.TIMEOUT, CallOutcome.IVR_COMPLETED

REQUIRED_CODES = (
    "calls_offered", "calls_answered", "calls_abandoned", "service_level", "asa",
    "abandon_rate", "avg_talk_time", "avg_hold_time", "avg_acw", "aht", "transfer_rate",
    "occupancy", "utilization", "fcr", "csat", "nps", "complaint_rate",
)  # fmt: skip

DOMAIN_CODES = (  # DOMAIN.md §3.1 and the agent KPIs of §3.2 the measures support
    "csat", "dsat", "complaint_rate", "cost_per_call", "budget_accuracy",
    "employee_satisfaction", "attrition", "attendance", "suggestion_adoption",
    "training_hours_per_head", "internal_promotion_rate", "forecast_accuracy",
    "schedule_accuracy", "calls_per_agent_shift", "abandon_rate", "avg_talk_time", "avg_acw",
    "aht", "occupancy", "utilization", "productivity", "self_service_ratio", "service_level",
    "asa", "fcr", "first_call_resolution", "service_accuracy", "error_rate", "on_time_rate",
    "transfer_rate", "lines_availability", "network_availability",
    "applications_availability", "hardware_availability", "first_response_time", "qa_score",
    "nps", "negative_review_share", "praise_count",
)  # fmt: skip

REQUIRED_MEASURES = (
    "calls_offered", "calls_answered", "calls_abandoned", "calls_short_abandoned",
    "calls_answered_in_sl", "calls_ivr_completed", "calls_inbound", "calls_transferred",
    "calls_timeout", "calls_fcr_flagged", "calls_fcr_known", "wait_answered_seconds",
    "talk_seconds", "hold_seconds", "acw_seconds", "cases", "cases_without_repeat",
    "logged_in_seconds", "available_seconds", "on_call_seconds", "acw_state_seconds",
    "aux_seconds", "agent_shifts", "scheduled_paid_seconds", "work_orders_due",
    "work_orders_on_time", "first_response_seconds", "first_responses", "qa_score",
    "qa_max_score", "qa_evaluations", "csat_answers", "csat_satisfied", "csat_dissatisfied",
    "nps_answers", "nps_promoters", "nps_detractors", "negative_remarks", "praise_remarks",
    "survey_answers", "complaints_confirmed", "complaints_received", "audit_items",
    "audit_errors", "forecast_intervals", "forecast_error_ratio_sum", "schedule_intervals",
    "schedule_error_ratio_sum", "scheduled_days", "attended_days", "training_hours",
    "headcount", "suggestions_submitted", "suggestions_adopted", "leavers",
    "promotions_internal", "promotions_total", "employee_satisfaction_sum",
    "employee_satisfaction_answers", "operating_cost", "budget",
    "lines_scheduled_minutes", "lines_downtime_minutes", "network_scheduled_minutes",
    "network_downtime_minutes", "applications_scheduled_minutes",
    "applications_downtime_minutes", "hardware_scheduled_minutes", "hardware_downtime_minutes",
)  # fmt: skip


def example(
    code: str, measures: Mapping[Measure, float], numerator: float, denominator: float,
    value: float,
) -> object:  # fmt: skip
    return pytest.param(code, measures, numerator, denominator, value, id=code)


# Each example: the measures, then numerator / denominator × scale = value, worked by hand.
EXAMPLES = [
    # calls --------------------------------------------------------------------------------
    # 120 calls offered (count: numerator 120, denominator 1)
    example("calls_offered", {M.CALLS_OFFERED: 120}, 120, 1, 120),
    # 100 calls answered
    example("calls_answered", {M.CALLS_ANSWERED: 100}, 100, 1, 100),
    # 15 calls abandoned, short ones included
    example("calls_abandoned", {M.CALLS_ABANDONED: 15, M.CALLS_SHORT_ABANDONED: 3}, 15, 1, 15),
    # 80 within 20 s / (120 offered − 20 short abandons) = 80 / 100 = 0.80 → 80 %
    example(
        "service_level",
        {M.CALLS_ANSWERED_IN_SL: 80, M.CALLS_OFFERED: 120, M.CALLS_SHORT_ABANDONED: 20},
        80,
        100,
        80.0,
    ),
    # 1,500 s of wait over 100 answered = 15 s
    example("asa", {M.WAIT_ANSWERED_SECONDS: 1500, M.CALLS_ANSWERED: 100}, 1500, 100, 15.0),
    # (15 abandoned − 3 short) / 120 offered = 12 / 120 = 0.10 → 10 %
    example(
        "abandon_rate",
        {M.CALLS_ABANDONED: 15, M.CALLS_SHORT_ABANDONED: 3, M.CALLS_OFFERED: 120},
        12,
        120,
        10.0,
    ),
    # 30 IVR-completed / 150 inbound = 0.20 → 20 %
    example("self_service_ratio", {M.CALLS_IVR_COMPLETED: 30, M.CALLS_INBOUND: 150}, 30, 150, 20.0),
    # handling ----------------------------------------------------------------------------
    # 18,000 s talk / 100 answered = 180 s
    example("avg_talk_time", {M.TALK_SECONDS: 18000, M.CALLS_ANSWERED: 100}, 18000, 100, 180.0),
    # 1,200 s hold / 100 answered = 12 s
    example("avg_hold_time", {M.HOLD_SECONDS: 1200, M.CALLS_ANSWERED: 100}, 1200, 100, 12.0),
    # 3,000 s ACW / 100 answered = 30 s
    example("avg_acw", {M.ACW_SECONDS: 3000, M.CALLS_ANSWERED: 100}, 3000, 100, 30.0),
    # (18,000 + 1,200 + 3,000) / 100 = 22,200 / 100 = 222 s
    example(
        "aht",
        {M.TALK_SECONDS: 18000, M.HOLD_SECONDS: 1200, M.ACW_SECONDS: 3000, M.CALLS_ANSWERED: 100},
        22200,
        100,
        222.0,
    ),
    # 8 transferred / 100 answered = 8 %
    example("transfer_rate", {M.CALLS_TRANSFERRED: 8, M.CALLS_ANSWERED: 100}, 8, 100, 8.0),
    # handling 18,000 + 1,200 + 3,000 = 22,200; / (22,200 + 7,800 available) = 0.74 → 74 %
    example(
        "occupancy",
        {
            M.TALK_SECONDS: 18000,
            M.HOLD_SECONDS: 1200,
            M.ACW_SECONDS: 3000,
            M.AVAILABLE_SECONDS: 7800,
        },
        22200,
        30000,
        74.0,
    ),
    # 25,200 s logged in (7 h) / 28,800 s paid (1 day × 8 h) = 0.875 → 87.5 %
    example(
        "utilization",
        {M.LOGGED_IN_SECONDS: 25200, M.SCHEDULED_PAID_SECONDS: 28800},
        25200,
        28800,
        87.5,
    ),
    # 42 answered / (25,200 s / 3600 = 7 h) = 6 calls per hour
    example("productivity", {M.CALLS_ANSWERED: 42, M.LOGGED_IN_SECONDS: 25200}, 42, 7, 6.0),
    # 300 answered / 4 shifts = 75
    example("calls_per_agent_shift", {M.CALLS_ANSWERED: 300, M.AGENT_SHIFTS: 4}, 300, 4, 75.0),
    # 68 cases without repeat / 80 cases = 0.85 → 85 %
    example("fcr", {M.CASES_WITHOUT_REPEAT: 68, M.CASES: 80}, 68, 80, 85.0),
    # 72 flagged / 90 answered = 0.80 → 80 %
    example("first_call_resolution", {M.CALLS_FCR_FLAGGED: 72, M.CALLS_ANSWERED: 90}, 72, 90, 80.0),
    # quality ------------------------------------------------------------------------------
    # (400 items − 6 errors) / 400 = 394 / 400 = 0.985 → 98.5 %
    example("service_accuracy", {M.AUDIT_ITEMS: 400, M.AUDIT_ERRORS: 6}, 394, 400, 98.5),
    # 6 errors / 400 items = 0.015 → 1.5 %
    example("error_rate", {M.AUDIT_ITEMS: 400, M.AUDIT_ERRORS: 6}, 6, 400, 1.5),
    # 45 closed on time / 50 due = 0.90 → 90 %
    example("on_time_rate", {M.WORK_ORDERS_ON_TIME: 45, M.WORK_ORDERS_DUE: 50}, 45, 50, 90.0),
    # 5,400 s / 60 first responses = 90 s
    example(
        "first_response_time",
        {M.FIRST_RESPONSE_SECONDS: 5400, M.FIRST_RESPONSES: 60},
        5400,
        60,
        90.0,
    ),
    # 1,710 points / 1,900 possible (19 forms of 100) = 0.90 → 90 %
    example("qa_score", {M.QA_SCORE: 1710, M.QA_MAX_SCORE: 1900}, 1710, 1900, 90.0),
    # customer -----------------------------------------------------------------------------
    # 170 satisfied / 200 answers = 0.85 → 85 %
    example("csat", {M.CSAT_SATISFIED: 170, M.CSAT_ANSWERS: 200}, 170, 200, 85.0),
    # 10 dissatisfied / 200 answers = 0.05 → 5 %
    example("dsat", {M.CSAT_DISSATISFIED: 10, M.CSAT_ANSWERS: 200}, 10, 200, 5.0),
    # (60 promoters − 15 detractors) / 100 answers × 100 = 45 (60 % − 15 %)
    example("nps", {M.NPS_PROMOTERS: 60, M.NPS_DETRACTORS: 15, M.NPS_ANSWERS: 100}, 45, 100, 45.0),
    # 3 confirmed / 2,500 handled = 0.0012 → 1.2 ‰
    example("complaint_rate", {M.COMPLAINTS_CONFIRMED: 3, M.CALLS_ANSWERED: 2500}, 3, 2500, 1.2),
    # 4 negative / 160 answers = 0.025 → 2.5 %
    example("negative_review_share", {M.NEGATIVE_REMARKS: 4, M.SURVEY_ANSWERS: 160}, 4, 160, 2.5),
    # 7 praise remarks (count)
    example("praise_count", {M.PRAISE_REMARKS: 7}, 7, 1, 7),
    # financial ----------------------------------------------------------------------------
    # 250,000 cost / 50,000 handled = 5.00 per call
    example(
        "cost_per_call", {M.OPERATING_COST: 250000, M.CALLS_ANSWERED: 50000}, 250000, 50000, 5.0
    ),
    # cost 105,000 vs budget 100,000: (100,000 − 5,000) / 100,000 = 0.95 → 95 %
    example("budget_accuracy", {M.OPERATING_COST: 105000, M.BUDGET: 100000}, 95000, 100000, 95.0),
    # employees ----------------------------------------------------------------------------
    # 328 points / 80 answers = 4.1
    example(
        "employee_satisfaction",
        {M.EMPLOYEE_SATISFACTION_SUM: 328, M.EMPLOYEE_SATISFACTION_ANSWERS: 80},
        328,
        80,
        4.1,
    ),
    # 3 leavers / 60 average headcount = 0.05 → 5 %
    example("attrition", {M.LEAVERS: 3, M.HEADCOUNT: 60}, 3, 60, 5.0),
    # 209 attended / 220 scheduled days = 0.95 → 95 %
    example("attendance", {M.ATTENDED_DAYS: 209, M.SCHEDULED_DAYS: 220}, 209, 220, 95.0),
    # 12 adopted / 40 submitted = 0.30 → 30 %
    example(
        "suggestion_adoption",
        {M.SUGGESTIONS_ADOPTED: 12, M.SUGGESTIONS_SUBMITTED: 40},
        12,
        40,
        30.0,
    ),
    # 1,440 training hours / 60 heads = 24 h
    example("training_hours_per_head", {M.TRAINING_HOURS: 1440, M.HEADCOUNT: 60}, 1440, 60, 24.0),
    # 6 internal / 8 promotions = 0.75 → 75 %
    example(
        "internal_promotion_rate", {M.PROMOTIONS_INTERNAL: 6, M.PROMOTIONS_TOTAL: 8}, 6, 8, 75.0
    ),
    # planning and systems -----------------------------------------------------------------
    # 1 − 3.2 / 40 intervals: (40 − 3.2) / 40 = 36.8 / 40 = 0.92 → 92 %
    example(
        "forecast_accuracy",
        {M.FORECAST_INTERVALS: 40, M.FORECAST_ERROR_RATIO_SUM: 3.2},
        36.8,
        40,
        92.0,
    ),
    # (40 − 2) / 40 = 0.95 → 95 %
    example(
        "schedule_accuracy",
        {M.SCHEDULE_INTERVALS: 40, M.SCHEDULE_ERROR_RATIO_SUM: 2.0},
        38,
        40,
        95.0,
    ),
    # 31 days × 1,440 = 44,640 min, 44.64 down: 44,595.36 / 44,640 = 0.999 → 99.9 %
    example(
        "lines_availability",
        {M.LINES_SCHEDULED_MINUTES: 44640, M.LINES_DOWNTIME_MINUTES: 44.64},
        44595.36,
        44640,
        99.9,
    ),
    # (1,440 − 72) / 1,440 = 1,368 / 1,440 = 0.95 → 95 %
    example(
        "network_availability",
        {M.NETWORK_SCHEDULED_MINUTES: 1440, M.NETWORK_DOWNTIME_MINUTES: 72},
        1368,
        1440,
        95.0,
    ),
    # (1,000 − 5) / 1,000 = 0.995 → 99.5 %
    example(
        "applications_availability",
        {M.APPLICATIONS_SCHEDULED_MINUTES: 1000, M.APPLICATIONS_DOWNTIME_MINUTES: 5},
        995,
        1000,
        99.5,
    ),
    # no downtime: 2,000 / 2,000 → 100 %
    example(
        "hardware_availability",
        {M.HARDWARE_SCHEDULED_MINUTES: 2000, M.HARDWARE_DOWNTIME_MINUTES: 0},
        2000,
        2000,
        100.0,
    ),
]


@pytest.mark.parametrize(("code", "measures", "numerator", "denominator", "value"), EXAMPLES)
def test_hand_computed_example(
    code: str, measures: Mapping[Measure, float], numerator: float, denominator: float,
    value: float,
) -> None:  # fmt: skip
    result = compute(CATALOG[code], measures)
    assert result.code == code
    assert result.unit is CATALOG[code].unit
    assert result.numerator == pytest.approx(numerator)
    assert result.denominator == pytest.approx(denominator)
    assert result.value == pytest.approx(value)


def test_every_kpi_has_a_hand_computed_example() -> None:
    assert {p.values[0] for p in EXAMPLES} == set(CATALOG)  # type: ignore[attr-defined]


# --- edge cases ------------------------------------------------------------------------------


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.code)
def test_no_data_is_none_not_zero(definition: KpiDefinition) -> None:
    """No events at all: every ratio is None (no ZeroDivisionError); a count is 0."""
    result = compute(definition, {})
    if definition.unit is Unit.COUNT:
        assert result.value == 0
        assert result.denominator == 1
    else:
        assert result.value is None
        assert result.denominator == 0


def test_no_calls() -> None:
    measures = count_calls([])
    assert set(measures.values()) == {0.0}
    for code in ("service_level", "asa", "abandon_rate", "aht", "transfer_rate", "fcr"):
        assert compute(CATALOG[code], measures).value is None
    assert compute(CATALOG["calls_offered"], measures).value == 0


def test_all_abandoned() -> None:
    # Waits 2, 4, 6, 10, 30 s; short abandons (< 5 s): 2 and 4.
    calls = [CallFacts(ABANDONED, wait_seconds=w) for w in (2, 4, 6, 10, 30)]
    m = count_calls(calls)
    assert (m[M.CALLS_OFFERED], m[M.CALLS_ABANDONED], m[M.CALLS_SHORT_ABANDONED]) == (5, 5, 2)
    # abandon rate (5 − 2) / 5 = 60 %; service level 0 / (5 − 2) = 0 %, a real zero.
    assert compute(CATALOG["abandon_rate"], m).value == pytest.approx(60.0)
    assert compute(CATALOG["service_level"], m).value == 0.0
    # Nothing answered: the per-answered-call averages have nothing to average.
    for code in ("asa", "aht", "avg_talk_time", "transfer_rate", "first_call_resolution"):
        assert compute(CATALOG[code], m).value is None


def test_only_short_abandons_leave_service_level_undefined() -> None:
    # 2 short abandons: SL = 0 / (2 − 2) → None; abandon rate = (2 − 2) / 2 = 0 %.
    m = count_calls([CallFacts(ABANDONED, wait_seconds=1), CallFacts(ABANDONED, wait_seconds=3)])
    assert compute(CATALOG["service_level"], m).value is None
    assert compute(CATALOG["abandon_rate"], m).value == 0.0


def test_short_abandons_are_excluded_from_service_level_and_abandon_rate() -> None:
    calls = [
        CallFacts(ANSWERED, wait_seconds=5),  # in SL
        CallFacts(ANSWERED, wait_seconds=15),  # in SL
        CallFacts(ANSWERED, wait_seconds=20),  # in SL: "within 20 s" includes 20
        CallFacts(ANSWERED, wait_seconds=25),  # late
        CallFacts(ABANDONED, wait_seconds=3),  # short
        CallFacts(ABANDONED, wait_seconds=4.99),  # short
        CallFacts(ABANDONED, wait_seconds=5),  # not short: short means < 5 s
        CallFacts(ABANDONED, wait_seconds=40),
    ]
    m = count_calls(calls)
    assert m[M.CALLS_OFFERED] == 8
    assert m[M.CALLS_SHORT_ABANDONED] == 2
    assert m[M.CALLS_ANSWERED_IN_SL] == 3
    # service level 3 / (8 − 2) = 50 %; abandon rate (4 − 2) / 8 = 25 %
    sl = compute(CATALOG["service_level"], m)
    assert (sl.numerator, sl.denominator) == (3, 6)
    assert sl.value == pytest.approx(50.0)
    ar = compute(CATALOG["abandon_rate"], m)
    assert (ar.numerator, ar.denominator) == (2, 8)
    assert ar.value == pytest.approx(25.0)


def test_transfers_count_as_answered_and_in_transfer_rate() -> None:
    calls = [
        CallFacts(ANSWERED, wait_seconds=10, talk_seconds=100, acw_seconds=20),
        CallFacts(ANSWERED, wait_seconds=30, talk_seconds=200, hold_seconds=30),
        CallFacts(ANSWERED, wait_seconds=5, talk_seconds=150),
        CallFacts(TRANSFERRED, wait_seconds=12, talk_seconds=50, hold_seconds=10),
        CallFacts(ABANDONED, wait_seconds=30),
    ]
    m = count_calls(calls)
    assert (m[M.CALLS_ANSWERED], m[M.CALLS_TRANSFERRED]) == (4, 1)
    # transfer rate 1 / 4 = 25 %
    assert compute(CATALOG["transfer_rate"], m).value == pytest.approx(25.0)
    # SL: waits 10, 5, 12 ≤ 20 → 3 / (5 offered − 0 short) = 60 %
    assert compute(CATALOG["service_level"], m).value == pytest.approx(60.0)
    # AHT (500 talk + 40 hold + 20 ACW) / 4 = 140 s; ASA (10 + 30 + 5 + 12) / 4 = 14.25 s
    assert compute(CATALOG["aht"], m).value == pytest.approx(140.0)
    assert compute(CATALOG["asa"], m).value == pytest.approx(14.25)


def test_timeouts_are_offered_and_ivr_calls_are_not() -> None:
    calls = [
        CallFacts(ANSWERED, wait_seconds=10),
        CallFacts(TIMEOUT, wait_seconds=300),
        CallFacts(IVR),
        CallFacts(IVR),
    ]
    m = count_calls(calls)
    assert (m[M.CALLS_OFFERED], m[M.CALLS_TIMEOUT], m[M.CALLS_INBOUND]) == (2, 1, 4)
    # SL 1 / 2 = 50 % (a timeout is a missed call); self-service 2 / 4 = 50 %
    assert compute(CATALOG["service_level"], m).value == pytest.approx(50.0)
    assert compute(CATALOG["self_service_ratio"], m).value == pytest.approx(50.0)
    assert compute(CATALOG["abandon_rate"], m).value == 0.0


def test_calls_without_a_terminal_event_are_not_calls() -> None:
    """Only terminal outcomes exist: an unfinished call never reaches the counts (the
    importer reports it instead of guessing), so it cannot inflate or deflate a KPI."""
    assert {o.value for o in CallOutcome} == {
        "answered", "transferred", "abandoned", "timeout", "ivr_completed",
    }  # fmt: skip
    with pytest.raises(TypeError):
        CallFacts()  # type: ignore[call-arg]


def test_fcr_flag_and_statistical_fcr() -> None:
    day = 86_400.0
    calls = [
        # A calls on day 0 and again on day 3: the first case has a repeat.
        CallFacts(ANSWERED, caller_key="A", offered_epoch=0, first_contact_resolved=True),
        CallFacts(ANSWERED, caller_key="A", offered_epoch=3 * day, first_contact_resolved=True),
        # B never calls again; C's flag is unknown (not resolved for the flagged KPI).
        CallFacts(ANSWERED, caller_key="B", offered_epoch=day, first_contact_resolved=False),
        CallFacts(ANSWERED, caller_key="C", offered_epoch=day),
        # Without a caller key a call is not a case.
        CallFacts(ANSWERED, offered_epoch=day, first_contact_resolved=True),
    ]
    m = count_calls(calls)
    assert (m[M.CASES], m[M.CASES_WITHOUT_REPEAT]) == (4, 3)
    assert (m[M.CALLS_FCR_FLAGGED], m[M.CALLS_FCR_KNOWN]) == (3, 4)
    # statistical 3 / 4 = 75 %; flagged 3 / 5 answered = 60 %
    assert compute(CATALOG["fcr"], m).value == pytest.approx(75.0)
    assert compute(CATALOG["first_call_resolution"], m).value == pytest.approx(60.0)
    # A repeat after the period still counts, when the rollup is given it.
    later = [CallFacts(ABANDONED, caller_key="B", offered_epoch=2 * day)]
    assert count_calls(calls, later_calls=later)[M.CASES_WITHOUT_REPEAT] == 2


# --- parameters ----------------------------------------------------------------------------


def test_a_threshold_is_applied_when_measures_are_counted() -> None:
    """A different service-level threshold is a different measure: the same calls counted
    at 30 s give another calls_answered_in_sl. Passing the threshold to ``compute`` only
    records it; changing it needs the periods' measures recounted (a recompute)."""
    calls = [CallFacts(ANSWERED, wait_seconds=w) for w in (5, 15, 25, 35)]
    at_20 = count_calls(calls)
    at_30 = count_calls(calls, {"service_level_seconds": 30})
    service_level = CATALOG["service_level"]
    # 2 of 4 within 20 s = 50 %; 3 of 4 within 30 s = 75 %
    assert compute(service_level, at_20).value == pytest.approx(50.0)
    assert compute(service_level, at_30, {"service_level_seconds": 30}).value == pytest.approx(75.0)
    # The parameter alone does not move a value computed from measures counted at 20 s.
    relabelled = compute(service_level, at_20, {"service_level_seconds": 30})
    assert relabelled.value == pytest.approx(50.0)
    assert relabelled.parameters == {"service_level_seconds": 30, "short_abandon_seconds": 5}
    assert set(PARAMETERS_OF[M.CALLS_ANSWERED_IN_SL]) == {"service_level_seconds"}


def test_short_abandon_threshold_changes_the_counts() -> None:
    calls = [CallFacts(ABANDONED, wait_seconds=w) for w in (3, 8, 12)] + [
        CallFacts(ANSWERED, wait_seconds=10)
    ]
    # 5 s: 1 short → abandon rate (3 − 1) / 4 = 50 %; 10 s: 2 short → (3 − 2) / 4 = 25 %
    assert compute(CATALOG["abandon_rate"], count_calls(calls)).value == pytest.approx(50.0)
    at_10 = count_calls(calls, {"short_abandon_seconds": 10})
    assert compute(CATALOG["abandon_rate"], at_10).value == pytest.approx(25.0)


def test_fcr_window_changes_the_counts() -> None:
    day = 86_400.0
    calls = [
        CallFacts(ANSWERED, caller_key="A", offered_epoch=0),
        CallFacts(ANSWERED, caller_key="A", offered_epoch=3 * day),
    ]
    # 7-day window: the first call is repeated → 1 / 2; 1-day window: neither → 2 / 2
    assert compute(CATALOG["fcr"], count_calls(calls)).value == pytest.approx(50.0)
    one_day = count_calls(calls, {"fcr_window_days": 1})
    assert compute(CATALOG["fcr"], one_day).value == pytest.approx(100.0)


def test_parameters_default_and_unrelated_names_are_ignored() -> None:
    result = compute(CATALOG["csat"], {M.CSAT_SATISFIED: 1, M.CSAT_ANSWERS: 2}, {"other": 1})
    assert result.parameters == {"csat_top_box_min": 4.0}
    assert compute(CATALOG["aht"], {M.CALLS_ANSWERED: 1}).parameters == {}


# --- the model -----------------------------------------------------------------------------


def test_ratios_are_taken_on_summed_measures() -> None:
    """A period's value is the ratio of its sums, not the mean of its days' ratios."""
    # Month 1: 110 spent of 100 (90 %); month 2: 90 of 100 (90 %). Quarter: 200 of 200.
    months = [{M.OPERATING_COST: 110.0, M.BUDGET: 100.0}, {M.OPERATING_COST: 90.0, M.BUDGET: 100.0}]
    assert [compute(CATALOG["budget_accuracy"], m).value for m in months] == [90.0, 90.0]
    total = {k: sum(m[k] for m in months) for k in months[0]}
    assert compute(CATALOG["budget_accuracy"], total).value == pytest.approx(100.0)
    # Underspending is as inaccurate as overspending: 80 of 100 → 80 %
    under = compute(CATALOG["budget_accuracy"], {M.OPERATING_COST: 80, M.BUDGET: 100})
    assert under.value == pytest.approx(80.0)


def test_plain_column_names_work_as_keys_and_the_value_explains_itself() -> None:
    result = compute(
        CATALOG["service_level"],
        {"calls_answered_in_sl": 8, "calls_offered": 11, "calls_short_abandoned": 1, "x": 9},
    )
    assert result.value == pytest.approx(80.0)
    assert result.measures == {
        M.CALLS_ANSWERED_IN_SL: 8, M.CALLS_OFFERED: 11, M.CALLS_SHORT_ABANDONED: 1,
    }  # fmt: skip


def test_scales() -> None:
    assert CATALOG["service_level"].value_scale == 100
    assert CATALOG["complaint_rate"].value_scale == 1000
    assert CATALOG["aht"].value_scale == 1
    assert CATALOG["cost_per_call"].value_scale == 1
    assert CATALOG["nps"].unit is Unit.SCORE
    # NPS ranges from −100 (all detractors) to 100 (all promoters)
    worst = {M.NPS_PROMOTERS: 0, M.NPS_DETRACTORS: 5, M.NPS_ANSWERS: 5}
    best = {M.NPS_PROMOTERS: 5, M.NPS_DETRACTORS: 0, M.NPS_ANSWERS: 5}
    assert compute(CATALOG["nps"], worst).value == -100
    assert compute(CATALOG["nps"], best).value == 100


# --- catalog invariants --------------------------------------------------------------------


def test_required_codes_exist() -> None:
    assert set(REQUIRED_CODES) <= set(CATALOG)
    assert set(DOMAIN_CODES) <= set(CATALOG)


def test_codes_are_unique_snake_case() -> None:
    codes = [d.code for d in DEFINITIONS]
    assert len(codes) == len(set(codes)) == len(CATALOG)
    assert list(CATALOG) == codes
    for code in codes:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", code), code
    with pytest.raises(ValueError, match="snake_case"):
        replace(CATALOG["aht"], code="AHT")


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.code)
def test_every_definition_is_documented(definition: KpiDefinition) -> None:
    assert CJK.search(definition.name_zh)
    assert definition.name_en.strip()
    assert definition.formula.strip()
    assert definition.levels
    assert set(definition.owners) <= {d.value for d in Department}
    assert definition.owners
    # The description is the DOMAIN definition and carries the Chinese term.
    assert len(definition.description) > 20
    assert CJK.search(definition.description)


class Strict(Mapping[str, float]):
    """A mapping that knows only the declared keys and records which are read."""

    def __init__(self, allowed: Mapping[str, float]) -> None:
        self.allowed = dict(allowed)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> float:
        if key not in self.allowed:
            raise KeyError(key)
        self.read.add(key)
        return self.allowed[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.allowed)

    def __len__(self) -> int:
        return len(self.allowed)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.code)
def test_declared_measures_and_parameters_are_exactly_what_is_read(
    definition: KpiDefinition,
) -> None:
    measures = Strict({m: 1.0 + i for i, m in enumerate(definition.measures)})
    params = Strict(definition.parameters)
    definition.numerator(measures, params)  # type: ignore[arg-type]
    definition.denominator(measures, params)  # type: ignore[arg-type]
    assert measures.read == set(definition.measures)
    # Parameters are those the measures were counted with, and their defaults.
    expected = {
        n: DEFAULT_PARAMETERS[n] for m in definition.measures for n in PARAMETERS_OF.get(m, ())
    }
    assert dict(definition.parameters) == expected


# --- measures --------------------------------------------------------------------------------


def test_required_measures_exist() -> None:
    assert set(REQUIRED_MEASURES) <= {m.value for m in Measure}


def test_every_measure_is_snake_case_and_documented() -> None:
    """Each member is followed by a docstring saying how it is counted."""
    tree = ast.parse(inspect.getsource(measures_module))
    enum = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Measure")
    documented = set()
    for here, after in zip(enum.body, enum.body[1:], strict=False):
        if (
            isinstance(here, ast.Assign)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
            and len(after.value.value) > 10
        ):
            documented.add(here.targets[0].id)  # type: ignore[attr-defined]
    assert documented == {m.name for m in Measure}
    for m in Measure:
        assert m.value == m.name.lower()


def test_parameters_belong_to_measures() -> None:
    assert {n for names in PARAMETERS_OF.values() for n in names} == set(DEFAULT_PARAMETERS)
    assert DEFAULT_PARAMETERS == {
        "service_level_seconds": 20,
        "short_abandon_seconds": 5,
        "fcr_window_days": 7,
        "csat_top_box_min": 4,
        "paid_hours_per_day": 8,
    }
