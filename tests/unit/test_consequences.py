from decimal import Decimal

import pytest

from services.appraisal.domain.consequences import (
    SEED_004_RULES,
    Action,
    Comparison,
    ConsequenceRule,
    History,
    HistoryKind,
    Recommendation,
    Sequencing,
    Window,
    evaluate,
)
from services.appraisal.domain.results import Grade
from services.appraisal.domain.scoring import AppraisalInputError
from services.common.periods import Period

D = Decimal  # short for the many literals below


def history(months: dict[str, str] | None = None, years: dict[str, Grade] | None = None) -> History:
    return History(
        employee_id="e1",
        monthly_coefficients={Period.parse(m): D(c) for m, c in (months or {}).items()},
        annual_grades={Period.parse(y): g for y, g in (years or {}).items()},
    )


def summary(recommendations: tuple[Recommendation, ...]) -> list[tuple[Action, list[str]]]:
    return [(r.action, [str(e.period) for e in r.evidence]) for r in recommendations]


# -- monthly: two consecutive months below 50 % → warning ---------------------


def test_two_consecutive_months_below_half_give_a_warning():
    found = evaluate(history({"2024-03": "0.4500", "2024-04": "0.4000"}))
    assert summary(found) == [(Action.WARNING, ["2024-03", "2024-04"])]
    assert found[0].key == "two_consecutive_months_below_50:e1:2024-03+2024-04"
    assert [e.value for e in found[0].evidence] == [D("0.4500"), D("0.4000")]


def test_two_months_below_half_with_a_good_month_between_give_nothing():
    assert evaluate(history({"2024-03": "0.4500", "2024-04": "0.7000", "2024-05": "0.4"})) == ()


def test_a_month_without_an_appraisal_breaks_the_run():
    assert evaluate(history({"2024-03": "0.4500", "2024-05": "0.4000"})) == ()


def test_exactly_half_is_not_below_half():
    assert evaluate(history({"2024-03": "0.5000", "2024-04": "0.4000"})) == ()
    found = evaluate(history({"2024-03": "0.4999", "2024-04": "0.4000"}))
    assert summary(found) == [(Action.WARNING, ["2024-03", "2024-04"])]


def test_december_and_january_are_consecutive():
    found = evaluate(history({"2023-12": "0.45", "2024-01": "0.40"}))
    assert summary(found) == [(Action.WARNING, ["2023-12", "2024-01"])]


# -- monthly: cumulative within the appraisal year ------------------------------


def test_three_months_below_half_in_a_year_give_a_dismissal_review_and_a_lower_cap():
    found = evaluate(
        history({"2024-01": "0.40", "2024-03": "0.45", "2024-04": "0.8", "2024-07": "0.3"})
    )
    assert summary(found) == [
        (Action.DISMISSAL_REVIEW, ["2024-01", "2024-03", "2024-07"]),
        (Action.CAP_TIER_DOWN, ["2024-01", "2024-03", "2024-07"]),
    ]


def test_cumulative_counts_start_again_each_year():
    assert evaluate(history({"2023-10": "0.4", "2023-12": "0.4", "2024-02": "0.4"})) == ()


def test_three_months_above_ninety_but_not_at_ninety():
    found = evaluate(history({"2024-01": "0.9100", "2024-05": "0.9500", "2024-09": "0.9001"}))
    assert summary(found) == [
        (Action.CAP_TIER_UP_OR_EXCELLENCE_BONUS, ["2024-01", "2024-05", "2024-09"])
    ]
    assert evaluate(history({"2024-01": "0.9100", "2024-05": "0.9500", "2024-09": "0.9000"})) == ()


def test_three_months_below_sixty_but_not_at_sixty():
    found = evaluate(history({"2024-01": "0.55", "2024-05": "0.59", "2024-09": "0.5999"}))
    assert summary(found) == [(Action.CAP_TIER_DOWN, ["2024-01", "2024-05", "2024-09"])]
    assert evaluate(history({"2024-01": "0.55", "2024-05": "0.59", "2024-09": "0.6000"})) == ()


def test_matches_are_used_once_per_rule():
    found = evaluate(history({f"2024-0{m}": "0.40" for m in range(1, 5)}))
    assert summary(found) == [
        (Action.WARNING, ["2024-01", "2024-02"]),
        (Action.DISMISSAL_REVIEW, ["2024-01", "2024-02", "2024-03"]),
        (Action.CAP_TIER_DOWN, ["2024-01", "2024-02", "2024-03"]),
        (Action.WARNING, ["2024-03", "2024-04"]),
    ]


# -- annual grades ------------------------------------------------------------------


def test_annual_e_costs_the_bonus_and_twice_running_a_demotion_review():
    found = evaluate(history(years={"2023": Grade.E, "2024": Grade.E}))
    assert summary(found) == [
        (Action.NO_ANNUAL_BONUS, ["2023"]),
        (Action.NO_ANNUAL_BONUS, ["2024"]),
        (Action.DEMOTION_OR_DISMISSAL_REVIEW, ["2023", "2024"]),
    ]


def test_b_or_better_two_years_running_and_an_a():
    found = evaluate(history(years={"2023": Grade.B, "2024": Grade.A}))
    assert summary(found) == [
        (Action.PROMOTION_OR_POSITION_PAY_RAISE, ["2023", "2024"]),
        (Action.EXCELLENT_EMPLOYEE_AWARD, ["2024"]),
    ]
    assert found[1].evidence[0].value is Grade.A


@pytest.mark.parametrize(
    "years",
    [
        {"2022": Grade.B, "2023": Grade.C, "2024": Grade.B},  # interrupted
        {"2022": Grade.B, "2024": Grade.B},  # 2023 not graded
        {"2023": Grade.E, "2024": Grade.D},
    ],
)
def test_annual_runs_need_consecutive_years(years: dict[str, Grade]):
    found = evaluate(history(years=years))
    assert Action.PROMOTION_OR_POSITION_PAY_RAISE not in [r.action for r in found]
    assert Action.DEMOTION_OR_DISMISSAL_REVIEW not in [r.action for r in found]


# -- idempotence and rules as data --------------------------------------------


def test_re_evaluation_gives_the_same_recommendations_and_keys():
    months = {"2024-03": "0.45", "2024-04": "0.40"}
    first = evaluate(history(months, {"2023": Grade.A}))
    assert evaluate(history(months, {"2023": Grade.A})) == first
    later = evaluate(history({**months, "2024-05": "0.80"}, {"2023": Grade.A}))
    assert (
        [r.key for r in later]
        == [r.key for r in first]
        == [
            "annual_a:e1:2023",
            "two_consecutive_months_below_50:e1:2024-03+2024-04",
        ]
    )


def test_a_rule_is_data():
    at_or_below_half = ConsequenceRule(
        code="any_month_at_or_below_50",
        kind=HistoryKind.MONTHLY_COEFFICIENT,
        comparison=Comparison.AT_OR_BELOW,
        threshold=D("0.50"),
        count=1,
        sequencing=Sequencing.CUMULATIVE,
        window=Window.WHOLE_HISTORY,
        action=Action.WARNING,
    )
    found = evaluate(history({"2024-03": "0.5000", "2024-04": "0.5001"}), [at_or_below_half])
    assert summary(found) == [(Action.WARNING, ["2024-03"])]
    assert len(SEED_004_RULES) == 8


@pytest.mark.parametrize(
    ("kind", "threshold", "count", "window", "name"),
    [
        (HistoryKind.ANNUAL_GRADE, D("0.5"), 1, Window.WHOLE_HISTORY, "rules[r].threshold"),
        (HistoryKind.MONTHLY_COEFFICIENT, Grade.B, 1, Window.WHOLE_HISTORY, "rules[r].threshold"),
        (HistoryKind.ANNUAL_GRADE, Grade.E, 1, Window.APPRAISAL_YEAR, "rules[r].window"),
        (HistoryKind.MONTHLY_COEFFICIENT, D("0.5"), 0, Window.WHOLE_HISTORY, "rules[r].count"),
    ],
)
def test_rules_are_checked(
    kind: HistoryKind, threshold: D | Grade, count: int, window: Window, name: str
):
    with pytest.raises(AppraisalInputError) as excinfo:
        ConsequenceRule(
            "r",
            kind,
            Comparison.BELOW,
            threshold,
            count,
            Sequencing.CUMULATIVE,
            window,
            Action.WARNING,
        )
    assert excinfo.value.input_name == name


def test_history_periods_must_be_months_and_years():
    with pytest.raises(AppraisalInputError) as excinfo:
        History("e1", {Period.parse("2024-Q1"): D("0.5")}, {})
    assert excinfo.value.input_name == "monthly_coefficients[2024-Q1]"
    with pytest.raises(AppraisalInputError):
        History("e1", {}, {Period.parse("2024-01"): Grade.A})


def test_rule_codes_are_unique():
    with pytest.raises(AppraisalInputError):
        evaluate(history(), [SEED_004_RULES[0], SEED_004_RULES[0]])
