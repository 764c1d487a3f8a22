import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.appraisal.domain.scoring import (
    DEFAULT_360_WEIGHTS,
    AppraisalInputError,
    Direction,
    Linear,
    Rated,
    RaterRole,
    RatioToTarget,
    Rubric,
    RubricLevel,
    ScoringMethod,
    ScoringParams,
    StepBand,
    StepBands,
    ThreeSixty,
    params_from_dict,
    params_to_dict,
    prefixed,
    round_coefficient,
    round_score,
)
from services.common.errors import FieldViolation, InvalidArgument

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
def test_linear_higher_is_better(actual: str, expected: str):
    # Service level: 0 at a 60 % floor, 10 points at the 80 % target.
    assert Linear(floor=D(60)).score(D(10), actual=D(actual), target=D(80)) == D(expected)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("35", "0"), ("30", "0"), ("25", "2.5"), ("20", "5"), ("10", "10"), ("5", "10")],
)
def test_linear_lower_is_better(actual: str, expected: str):
    # Answer delay: 0 at 30 s or worse, 10 points at 10 s or better.
    assert Linear(floor=D(30)).score(D(10), actual=D(actual), target=D(10)) == D(expected)


def test_linear_needs_a_target_apart_from_the_floor():
    with pytest.raises(AppraisalInputError) as excinfo:
        Linear(floor=D(80)).score(D(10), actual=D(70), target=D(80))
    names_input(excinfo, "target")


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"points": D(0), "actual": D(70), "target": D(80)}, "points"),
        ({"points": D(10), "actual": D("NaN"), "target": D(80)}, "actual"),
        ({"points": D(10), "actual": D(70), "target": D("Infinity")}, "target"),
    ],
)
def test_linear_rejects_bad_input_by_name(kwargs: dict[str, D], name: str):
    with pytest.raises(AppraisalInputError) as excinfo:
        Linear(floor=D(60)).score(
            kwargs["points"], actual=kwargs["actual"], target=kwargs["target"]
        )
    names_input(excinfo, name)


def test_linear_floor_must_be_finite():
    with pytest.raises(AppraisalInputError) as excinfo:
        Linear(floor=D("NaN"))
    names_input(excinfo, "floor")


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

RUBRIC = Rubric(
    (
        RubricLevel("met", "met every goal", D(1)),
        RubricLevel("partly", "met some goals", D("0.4")),
        RubricLevel("missed", "met none", D(0)),
    )
)


@pytest.mark.parametrize(("level", "expected"), [("met", "5"), ("partly", "2"), ("missed", "0")])
def test_rubric_pays_the_share_of_the_chosen_level(level: str, expected: str):
    assert RUBRIC.score(D(5), level=level) == D(expected)


def test_rubric_refuses_a_level_it_does_not_have():
    with pytest.raises(
        AppraisalInputError, match=r"'great' is not one of the levels met / partly / missed"
    ) as excinfo:
        RUBRIC.score(D(5), level="great")
    names_input(excinfo, "level")
    with pytest.raises(AppraisalInputError) as excinfo:
        RUBRIC.score(D(5), level="MET")  # codes are exact
    names_input(excinfo, "level")


def test_rubric_needs_points():
    with pytest.raises(AppraisalInputError) as excinfo:
        RUBRIC.score(D(0), level="met")
    names_input(excinfo, "points")


@pytest.mark.parametrize(
    ("levels", "name"),
    [
        ((), "levels"),
        ((RubricLevel("a", "", D(1)), RubricLevel("a", "", D(0))), "levels[1].code"),
        ((RubricLevel("", "", D(1)),), "levels[0].code"),
        ((RubricLevel("  ", "", D(1)),), "levels[0].code"),
        ((RubricLevel("a", "", D(2)),), "levels[0].share"),
        ((RubricLevel("a", "", D(1)), RubricLevel("b", "", D("-0.1"))), "levels[1].share"),
        ((RubricLevel("a", "", D("NaN")),), "levels[0].share"),
    ],
)
def test_rubric_rejects_bad_levels_by_name(levels: tuple[RubricLevel, ...], name: str):
    with pytest.raises(AppraisalInputError) as excinfo:
        Rubric(levels)
    names_input(excinfo, name)


def test_rubric_levels_keep_their_order_and_take_any_share_between_0_and_1():
    rubric = Rubric((RubricLevel("b", "", D("0.5")), RubricLevel("a", "", D(1))))
    assert [lv.code for lv in rubric.levels] == ["b", "a"]
    assert rubric.score(D(10), level="b") == D(5)


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


def test_default_360_weights_are_20_20_60_and_valid():
    assert dict(ThreeSixty().weights) == {SELF: D(20), SUBS: D(20), SUP: D(60)}
    assert dict(DEFAULT_360_WEIGHTS) == dict(ThreeSixty().weights)
    assert sum(DEFAULT_360_WEIGHTS.values()) == 100


def test_360_weights_must_add_up_to_100():
    with pytest.raises(AppraisalInputError) as excinfo:
        ThreeSixty({SELF: D(20), SUP: D(60)})
    names_input(excinfo, "weights")
    assert "add up to 80, not 100" in str(excinfo.value)
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


# -- every method names itself ---------------------------------------------------------

EXAMPLES: list[ScoringParams] = [
    RatioToTarget(),
    RatioToTarget(cap=D("1.2"), direction=LOWER),
    Linear(floor=D(60)),
    Linear(floor=D("-2.5")),
    COMPLAINTS,
    StepBands(
        (StepBand(D(90), D("0.5")), StepBand(D(95), D(1))), direction=Direction.HIGHER_IS_BETTER
    ),
    RUBRIC,
    Rubric((RubricLevel("达标", "目标达成", D(1)),)),
    Rated(),
    ThreeSixty(),
    ThreeSixty({SELF: D(10), PEERS: D("30.5"), SUP: D("59.5")}),
]


def test_each_params_class_names_its_method():
    assert {type(p): p.method for p in EXAMPLES} == {
        RatioToTarget: ScoringMethod.RATIO_TO_TARGET,
        Linear: ScoringMethod.LINEAR,
        StepBands: ScoringMethod.STEP_BANDS,
        Rubric: ScoringMethod.RUBRIC,
        Rated: ScoringMethod.RATED,
        ThreeSixty: ScoringMethod.THREE_SIXTY,
    }
    assert [m.value for m in ScoringMethod] == [
        "ratio_to_target",
        "linear",
        "step_bands",
        "rubric",
        "rated",
        "three_sixty",
    ]


def test_params_are_frozen():
    with pytest.raises(AttributeError):
        RatioToTarget().cap = D(2)  # type: ignore[misc]


# -- to and from JSON-safe data ------------------------------------------------------------


def test_params_to_dict_is_json_safe_with_decimals_as_strings():
    assert params_to_dict(RatioToTarget(cap=D("1.2"), direction=LOWER)) == {
        "method": "ratio_to_target",
        "cap": "1.2",
        "direction": "lower_is_better",
    }
    assert params_to_dict(Linear(floor=D("0.6"))) == {"method": "linear", "floor": "0.6"}
    assert params_to_dict(COMPLAINTS) == {
        "method": "step_bands",
        "bands": [{"threshold": "1", "fraction": "1"}, {"threshold": "2", "fraction": "0.8"}],
        "direction": "lower_is_better",
    }
    assert params_to_dict(Rubric((RubricLevel("met", "met it", D("0.5")),))) == {
        "method": "rubric",
        "levels": [{"code": "met", "description": "met it", "share": "0.5"}],
    }
    assert params_to_dict(Rated()) == {"method": "rated"}
    assert params_to_dict(ThreeSixty()) == {
        "method": "three_sixty",
        "weights": {"self": "20", "subordinates": "20", "supervisor": "60"},
    }


@pytest.mark.parametrize("params", EXAMPLES, ids=lambda p: p.method)
def test_params_round_trip_through_json(params: ScoringParams):
    data = json.loads(json.dumps(params_to_dict(params)))
    back = params_from_dict(data)
    assert back == params
    assert type(back) is type(params)
    assert params_to_dict(back) == params_to_dict(params)


def test_params_from_dict_fills_defaults_and_takes_numbers():
    assert params_from_dict({"method": "ratio_to_target"}) == RatioToTarget()
    assert params_from_dict({"method": "ratio_to_target", "cap": 1.2}) == RatioToTarget(
        cap=D("1.2")
    )
    assert params_from_dict({"method": "linear", "floor": 60}) == Linear(floor=D(60))
    assert params_from_dict({"method": "linear", "floor": D("0.5")}) == Linear(floor=D("0.5"))
    bands = params_from_dict(
        {
            "method": "step_bands",
            "bands": [{"threshold": "2", "fraction": "0.8"}, {"threshold": 1, "fraction": 1}],
        }
    )
    assert bands == COMPLAINTS  # lower is better by default; kept best first
    assert params_from_dict({"method": "three_sixty"}) == ThreeSixty()
    rubric = params_from_dict({"method": "rubric", "levels": [{"code": "a", "share": "1"}]})
    assert rubric == Rubric((RubricLevel("a", "", D(1)),))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ({}, "scoring.method"),
        ({"method": None}, "scoring.method"),
        ({"method": "guess"}, "scoring.method"),
        ({"method": ["rated"]}, "scoring.method"),
        ({"method": "rated", "cap": "1"}, "scoring.cap"),
        ({"method": "ratio_to_target", "cap": "0.9"}, "scoring.cap"),
        ({"method": "ratio_to_target", "cap": "lots"}, "scoring.cap"),
        ({"method": "ratio_to_target", "cap": True}, "scoring.cap"),
        ({"method": "ratio_to_target", "cap": [1]}, "scoring.cap"),
        ({"method": "ratio_to_target", "cap": "NaN"}, "scoring.cap"),
        ({"method": "ratio_to_target", "cap": float("inf")}, "scoring.cap"),
        ({"method": "ratio_to_target", "direction": "up"}, "scoring.direction"),
        ({"method": "linear"}, "scoring.floor"),
        ({"method": "linear", "floor": "60", "target": "80"}, "scoring.target"),
        ({"method": "step_bands"}, "scoring.bands"),
        ({"method": "step_bands", "bands": []}, "scoring.bands"),
        ({"method": "step_bands", "bands": "1:1"}, "scoring.bands"),
        (
            {"method": "step_bands", "bands": [{"threshold": "1", "fraction": "1"}, 2]},
            "scoring.bands[1]",
        ),
        ({"method": "step_bands", "bands": [{"fraction": "1"}]}, "scoring.bands[0].threshold"),
        (
            {
                "method": "step_bands",
                "bands": [
                    {"threshold": "1", "fraction": "0.5"},
                    {"threshold": "2", "fraction": "0.8"},
                ],
            },
            "scoring.bands[1].fraction",
        ),
        ({"method": "rubric", "levels": []}, "scoring.levels"),
        ({"method": "rubric", "levels": [{"code": 1, "share": "1"}]}, "scoring.levels[0].code"),
        (
            {"method": "rubric", "levels": [{"code": "a", "description": 2, "share": "1"}]},
            "scoring.levels[0].description",
        ),
        ({"method": "rubric", "levels": [{"code": "a"}]}, "scoring.levels[0].share"),
        (
            {"method": "rubric", "levels": [{"code": "a", "share": "1.5"}]},
            "scoring.levels[0].share",
        ),
        ({"method": "three_sixty", "weights": ["self"]}, "scoring.weights"),
        (
            {"method": "three_sixty", "weights": {"self": "40", "boss": "60"}},
            "scoring.weights[boss]",
        ),
        (
            {"method": "three_sixty", "weights": {"self": "40", "supervisor": "x"}},
            "scoring.weights[supervisor]",
        ),
        (
            {"method": "three_sixty", "weights": {"self": "40", "supervisor": "50"}},
            "scoring.weights",
        ),
    ],
)
def test_params_from_dict_names_the_bad_field(data: dict[str, Any], name: str):
    with pytest.raises(AppraisalInputError) as excinfo:
        params_from_dict(data)
    names_input(excinfo, name)


def test_params_from_dict_refuses_what_is_not_an_object():
    with pytest.raises(AppraisalInputError) as excinfo:
        params_from_dict(["rated"])  # type: ignore[arg-type]
    names_input(excinfo, "scoring")


_DECIMALS = st.decimals(
    min_value=D(-(10**6)), max_value=D(10**6), allow_nan=False, allow_infinity=False, places=4
)
_SHARES = st.decimals(min_value=D(0), max_value=D(1), places=3)
_DIRECTIONS = st.sampled_from(list(Direction))


@st.composite
def _step_bands(draw: st.DrawFn) -> StepBands:
    thresholds = draw(st.lists(_DECIMALS, min_size=1, max_size=5, unique=True))
    direction = draw(_DIRECTIONS)
    best_first = sorted(thresholds, reverse=direction is Direction.HIGHER_IS_BETTER)
    fractions = sorted(
        draw(st.lists(_SHARES, min_size=len(thresholds), max_size=len(thresholds))), reverse=True
    )
    bands = [StepBand(t, f) for t, f in zip(best_first, fractions, strict=True)]
    return StepBands(tuple(draw(st.permutations(bands))), direction=direction)


@st.composite
def _rubrics(draw: st.DrawFn) -> Rubric:
    codes = draw(
        st.lists(st.text(min_size=1).filter(str.strip), min_size=1, max_size=4, unique=True)
    )
    return Rubric(tuple(RubricLevel(c, draw(st.text()), draw(_SHARES)) for c in codes))


@st.composite
def _three_sixties(draw: st.DrawFn) -> ThreeSixty:
    roles = draw(st.lists(st.sampled_from(list(RaterRole)), min_size=1, unique=True))
    cuts = sorted(
        draw(
            st.lists(
                st.decimals(min_value=0, max_value=100, places=2),
                min_size=len(roles) - 1,
                max_size=len(roles) - 1,
            )
        )
    )
    bounds = [D(0), *cuts, D(100)]
    return ThreeSixty({r: hi - lo for r, lo, hi in zip(roles, bounds, bounds[1:], strict=False)})


_PARAMS: st.SearchStrategy[ScoringParams] = st.one_of(
    st.builds(
        RatioToTarget,
        cap=st.decimals(min_value=1, max_value=10, places=3),
        direction=_DIRECTIONS,
    ),
    st.builds(Linear, floor=_DECIMALS),
    _step_bands(),
    _rubrics(),
    st.just(Rated()),
    _three_sixties(),
)


@given(_PARAMS)
def test_any_params_round_trip_exactly(params: ScoringParams):
    data = params_to_dict(params)
    assert data["method"] == params.method.value
    assert params_from_dict(json.loads(json.dumps(data))) == params


# -- prefixed field paths ----------------------------------------------------------------


def test_prefixed_puts_every_violation_under_the_prefix():
    error = InvalidArgument([FieldViolation("cap", "too low"), FieldViolation("direction", "?")])
    moved = prefixed(error, "items[3].scoring")
    assert type(moved) is InvalidArgument
    assert moved.violations == (
        FieldViolation("items[3].scoring.cap", "too low"),
        FieldViolation("items[3].scoring.direction", "?"),
    )
    assert error.violations[0].field == "cap"  # the original is untouched


def test_prefixed_keeps_an_appraisal_input_error_one():
    with pytest.raises(AppraisalInputError) as excinfo:
        params_from_dict({"method": "ratio_to_target", "cap": "0.5"})
    moved = prefixed(excinfo.value, "items[3]")
    assert isinstance(moved, AppraisalInputError)
    assert moved.input_name == "items[3].scoring.cap"
    assert moved.violations == (
        FieldViolation("items[3].scoring.cap", excinfo.value.violations[0].description),
    )
    assert "items[3].scoring.cap" in str(moved)
