from decimal import Decimal

import pytest

from services.appraisal.domain.scoring import (
    AppraisalInputError,
    Direction,
    LinearBetween,
    Rated,
    RaterRole,
    RatioToTarget,
    Rubric,
    StepBand,
    StepBands,
    ThreeSixty,
    round_coefficient,
    round_score,
)
from services.common.errors import InvalidArgument

D = Decimal  # short for the many literals below

LOWER = Direction.LOWER_IS_BETTER
SELF, SUBS, SUP, PEERS = (
    RaterRole.SELF,
    RaterRole.SUBORDINATES,
    RaterRole.SUPERVISOR,
    RaterRole.PEERS,
)


def names_input(excinfo: pytest.ExceptionInfo[AppraisalInputError], name: str) -> None:
    assert excinfo.value.input_name == name
    assert excinfo.value.violations[0].field == name


# -- ratio to target ---------------------------------------------------------


@pytest.mark.parametrize(
    ("cap", "actual", "target", "expected"),
    [
        ("1", "72", "80", "27"),  # 72 / 80 × 30
        ("1", "80", "80", "30"),
        ("1", "96", "80", "30"),  # 1.2 capped at 1 × 30
        ("1.1", "96", "80", "33"),  # 1.2 capped at 1.1 × 30
        ("1.2", "88", "80", "33"),  # 1.1 under the 1.2 cap
        ("1", "0", "80", "0"),
    ],
)
def test_ratio_to_target_higher_is_better(cap: str, actual: str, target: str, expected: str):
    method = RatioToTarget(cap=D(cap))
    assert method.score(D(30), actual=D(actual), target=D(target)) == D(expected)


@pytest.mark.parametrize(
    ("cap", "actual", "expected"),
    [
        ("1", "4", "5"),  # complaint rate 4‰ against ≤ 1‰: 1 / 4 × 20
        ("1", "1", "20"),
        ("1", "0.8", "20"),  # 1.25 capped at 1
        ("1.2", "0.8", "24"),  # 1.25 capped at 1.2
        ("1.2", "0", "24"),  # no complaints at all: the cap
        ("1", "2", "10"),
    ],
)
def test_ratio_to_target_lower_is_better_inverts_the_ratio(cap: str, actual: str, expected: str):
    method = RatioToTarget(cap=D(cap), direction=LOWER)
    assert method.score(D(20), actual=D(actual), target=D(1)) == D(expected)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"points": D(30), "actual": D(5), "target": D(0)}, "target"),
        ({"points": D(30), "actual": D(-1), "target": D(80)}, "actual"),
        ({"points": D(0), "actual": D(5), "target": D(80)}, "points"),
        ({"points": D(30), "actual": D("NaN"), "target": D(80)}, "actual"),
    ],
)
def test_ratio_to_target_rejects_bad_input_by_name(kwargs: dict[str, D], name: str):
    with pytest.raises(AppraisalInputError) as excinfo:
        RatioToTarget().score(kwargs["points"], actual=kwargs["actual"], target=kwargs["target"])
    names_input(excinfo, name)


def test_a_cap_below_one_is_refused():
    with pytest.raises(AppraisalInputError) as excinfo:
        RatioToTarget(cap=D("0.9"))
    names_input(excinfo, "cap")


def test_input_errors_are_value_errors_and_invalid_arguments():
    with pytest.raises(ValueError, match="target"):
        RatioToTarget().score(D(30), actual=D(5), target=D(0))
    with pytest.raises(InvalidArgument):
        RatioToTarget().score(D(30), actual=D(5), target=D(0))


# -- linear between a floor and the target ---------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("55", "0"), ("60", "0"), ("70", "5"), ("75", "7.5"), ("80", "10"), ("95", "10")],
)
def test_linear_between_higher_is_better(actual: str, expected: str):
    # Service level: 0 at a 60 % floor, 10 points at the 80 % target.
    assert LinearBetween(floor=D(60), target=D(80)).score(D(10), actual=D(actual)) == D(expected)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("35", "0"), ("30", "0"), ("25", "2.5"), ("20", "5"), ("10", "10"), ("5", "10")],
)
def test_linear_between_lower_is_better(actual: str, expected: str):
    # Answer delay: 0 at 30 s or worse, 10 points at 10 s or better.
    assert LinearBetween(floor=D(30), target=D(10)).score(D(10), actual=D(actual)) == D(expected)


def test_linear_between_needs_a_floor_apart_from_the_target():
    with pytest.raises(AppraisalInputError) as excinfo:
        LinearBetween(floor=D(80), target=D(80))
    names_input(excinfo, "target")


# -- step bands ----------------------------------------------------------------

COMPLAINTS = StepBands((StepBand(D(1), D(1)), StepBand(D(2), D("0.8"))), direction=LOWER)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("0", "10"),
        ("0.5", "10"),
        ("1", "10"),  # exactly 1‰ is within ≤ 1‰
        ("1.0001", "8"),
        ("2", "8"),  # exactly 2‰ is within ≤ 2‰
        ("2.0001", "0"),
        ("7", "0"),
    ],
)
def test_step_bands_complaint_rate_edges(rate: str, expected: str):
    assert COMPLAINTS.score(D(10), actual=D(rate)) == D(expected)


def test_step_bands_higher_is_better_and_in_any_order():
    bands = StepBands(
        (StepBand(D(90), D("0.5")), StepBand(D(95), D(1))),
        direction=Direction.HIGHER_IS_BETTER,
    )
    assert bands.score(D(10), actual=D(95)) == D(10)
    assert bands.score(D(10), actual=D("94.99")) == D(5)
    assert bands.score(D(10), actual=D(90)) == D(5)
    assert bands.score(D(10), actual=D("89.99")) == D(0)


@pytest.mark.parametrize(
    ("bands", "name"),
    [
        ((), "bands"),
        ((StepBand(D(1), D("1.5")),), "bands[0].fraction"),
        ((StepBand(D(1), D(1)), StepBand(D(1), D("0.5"))), "bands[1].threshold"),
        # the looser 2‰ band paying more than the 1‰ band
        ((StepBand(D(1), D("0.5")), StepBand(D(2), D("0.8"))), "bands[1].fraction"),
    ],
)
def test_step_bands_reject_bad_bands_by_name(bands: tuple[StepBand, ...], name: str):
    with pytest.raises(AppraisalInputError) as excinfo:
        StepBands(bands, direction=LOWER)
    names_input(excinfo, name)


# -- rubric ------------------------------------------------------------------

RUBRIC = Rubric(frozenset({D(5), D(2), D(0)}))


@pytest.mark.parametrize("chosen", ["5", "2", "0", "2.00"])
def test_rubric_takes_an_allowed_level(chosen: str):
    assert RUBRIC.score(D(5), chosen=D(chosen)) == D(chosen)


def test_rubric_refuses_a_level_it_does_not_have():
    with pytest.raises(AppraisalInputError, match=r"5 / 2 / 0") as excinfo:
        RUBRIC.score(D(5), chosen=D(3))
    names_input(excinfo, "chosen")


def test_rubric_levels_must_fit_the_points():
    with pytest.raises(AppraisalInputError) as excinfo:
        RUBRIC.score(D(4), chosen=D(2))
    names_input(excinfo, "allowed_scores")
    with pytest.raises(AppraisalInputError):
        Rubric(frozenset())


# -- rated: self, then review --------------------------------------------------


def test_rated_counts_the_review_not_the_self_score():
    assert Rated().score(D(10), self_score=D(9), review_score=D(6)) == D(6)
    assert Rated().score(D(10), self_score=D(0), review_score=D(10)) == D(10)


@pytest.mark.parametrize(
    ("self_score", "review", "name"),
    [("11", "6", "self_score"), ("-1", "6", "self_score"), ("8", "10.5", "review_score")],
)
def test_rated_scores_are_bounded_by_the_points(self_score: str, review: str, name: str):
    with pytest.raises(AppraisalInputError) as excinfo:
        Rated().score(D(10), self_score=D(self_score), review_score=D(review))
    names_input(excinfo, name)


def test_a_self_assessment_is_checked_before_any_review():
    assert Rated().check_self(D(10), D(8)) == D(8)
    with pytest.raises(AppraisalInputError):
        Rated().check_self(D(10), D(12))


# -- 360 -----------------------------------------------------------------------


def test_360_weights_each_group_mean_20_20_60():
    # self 8, subordinates (6 + 9) / 2 = 7.5, supervisor 7:
    # 0.2 × 8 + 0.2 × 7.5 + 0.6 × 7 = 1.6 + 1.5 + 4.2 = 7.3
    ratings = {SELF: [D(8)], SUBS: [D(6), D(9)], SUP: [D(7)]}
    assert ThreeSixty().score(D(10), ratings) == D("7.3")


def test_a_missing_360_group_renormalises_the_other_weights():
    # No subordinate rated: (20 × 8 + 60 × 7) / 80 = 580 / 80 = 7.25, not 0.2 × 8 + 0.6 × 7 = 5.8.
    ratings = {SELF: [D(8)], SUBS: [], SUP: [D(7)]}
    assessed = ThreeSixty().assess(D(10), ratings)
    assert assessed is not None
    assert assessed.score == D("7.25")
    assert assessed.missing == (SUBS,)
    assert [(g.role, g.effective_weight) for g in assessed.groups] == [
        (SELF, D(25)),
        (SUP, D(75)),
    ]
    assert ThreeSixty().score(D(10), {SELF: [D(8)], SUP: [D(7)]}) == D("7.25")


def test_no_360_group_at_all_is_no_score_not_zero():
    assert ThreeSixty().score(D(10), {}) is None
    assert ThreeSixty().score(D(10), {SELF: [], SUBS: [], SUP: []}) is None


def test_360_with_custom_weights_including_peers():
    method = ThreeSixty({SELF: D(10), PEERS: D(30), SUP: D(60)})
    # 0.1 × 10 + 0.3 × 5 + 0.6 × 5 = 1 + 1.5 + 3 = 5.5
    assert method.score(D(10), {SELF: [D(10)], PEERS: [D(4), D(6)], SUP: [D(5)]}) == D("5.5")


@pytest.mark.parametrize(
    ("ratings", "name"),
    [
        ({PEERS: [D(5)]}, "ratings[peers]"),  # not weighted by default
        ({SELF: [D(11)]}, "ratings[self][0]"),
        ({SUP: [D(5), D(-1)]}, "ratings[supervisor][1]"),
    ],
)
def test_360_rejects_bad_ratings_by_name(ratings: dict[RaterRole, list[D]], name: str):
    with pytest.raises(AppraisalInputError) as excinfo:
        ThreeSixty().score(D(10), ratings)
    names_input(excinfo, name)


def test_360_weights_must_add_up_to_100():
    with pytest.raises(AppraisalInputError) as excinfo:
        ThreeSixty({SELF: D(20), SUP: D(60)})
    names_input(excinfo, "weights")
    with pytest.raises(AppraisalInputError) as excinfo:
        ThreeSixty({SELF: D(-20), SUP: D(120)})
    names_input(excinfo, "weights[self]")


# -- rounding --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exact", "shown"),
    [("87.345", "87.35"), ("87.335", "87.34"), ("87.3449", "87.34"), ("0.005", "0.01")],
)
def test_scores_round_half_up_to_two_decimals(exact: str, shown: str):
    # Banker's rounding would give 87.34 for 87.345 and 0.00 for 0.005.
    assert round_score(D(exact)) == D(shown)
    assert str(round_score(D(exact))) == shown


@pytest.mark.parametrize(
    ("exact", "shown"), [("0.87345", "0.8735"), ("0.12345", "0.1235"), ("0.5", "0.5000")]
)
def test_coefficients_round_half_up_to_four_decimals(exact: str, shown: str):
    assert str(round_coefficient(D(exact))) == shown
