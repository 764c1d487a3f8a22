from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from services.appraisal.domain import scoring, templates
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
    StepBand,
    StepBands,
    ThreeSixty,
)
from services.appraisal.domain.templates import (
    BUILT_IN_TEMPLATES,
    SEED_003_DEDENGJIQIN,
    SEED_004_DEFAULT,
    Item,
    Section,
    SectionKind,
    TargetItem,
    TargetSheet,
    Template,
    WeightShare,
    score_item,
)
from services.common.errors import InvalidArgument
from services.org.domain.model import PositionType

MGMT = PositionType.MANAGEMENT
NON_MGMT = PositionType.NON_MANAGEMENT


def d(value: int | str) -> Decimal:
    return Decimal(value)


def fields(exc: pytest.ExceptionInfo[InvalidArgument]) -> dict[str, str]:
    return {v.field: v.description for v in exc.value.violations}


# -- seed templates -----------------------------------------------------------


def test_seed_004_management_weights_with_the_assessors_split():
    weights = SEED_004_DEFAULT.section_weights(MGMT, {"kpi": d(50), "work_goals": d(30)})
    assert weights == {
        "kpi": d(50),
        "work_goals": d(30),
        "behaviour_attitude": d(10),
        "management_ability": d(10),
    }


def test_seed_004_non_management_weights_are_80_20_0():
    weights = SEED_004_DEFAULT.section_weights(NON_MGMT, {"kpi": d(80), "work_goals": d(0)})
    assert weights == {
        "kpi": d(80),
        "work_goals": d(0),
        "behaviour_attitude": d(20),
        "management_ability": d(0),
    }


def test_seed_004_has_incident_and_bonus_items_without_weight():
    incidents = SEED_004_DEFAULT.section("incidents")
    bonus = SEED_004_DEFAULT.section("bonus")
    assert incidents.kind is SectionKind.INCIDENTS and incidents.items
    assert bonus.kind is SectionKind.BONUS and bonus.items
    assert all(i.points > 0 and i.method is None for i in incidents.items + bonus.items)
    weighted = SEED_004_DEFAULT.section_weights(MGMT, {"kpi": d(80), "work_goals": d(0)})
    assert "incidents" not in weighted and "bonus" not in weighted


def test_seed_004_management_behaviour_is_360_with_20_20_60():
    section = SEED_004_DEFAULT.section("management_ability")
    assert section.kind is SectionKind.THREE_SIXTY
    for item in section.items:
        assert isinstance(item.scoring, ThreeSixty)
        assert dict(item.scoring.weights) == {
            RaterRole.SELF: d(20),
            RaterRole.SUBORDINATES: d(20),
            RaterRole.SUPERVISOR: d(60),
        }


def test_seed_004_rated_items_use_the_engines_rated():
    items = SEED_004_DEFAULT.section("behaviour_attitude").items
    assert items and all(item.scoring == Rated() for item in items)
    assert all(item.method is ScoringMethod.RATED for item in items)


def test_templates_define_no_scoring_of_their_own():
    # One engine: the parameters templates use are the scoring module's classes.
    assert templates.ScoringMethod is scoring.ScoringMethod
    for name in ("RatioToTarget", "Linear", "StepBands", "Rubric", "Rated", "ThreeSixty"):
        assert getattr(templates, name) is getattr(scoring, name)
        assert name not in templates.__all__
    for gone in ("LinearBetween", "Band", "RaterGroup", "DEFAULT_RATER_WEIGHTS"):
        assert not hasattr(templates, gone)
        assert not hasattr(scoring, gone)


def test_dedengjiqin_has_four_rated_aspects_and_no_split():
    kinds = {s.code: s.kind for s in SEED_003_DEDENGJIQIN.sections}
    assert kinds == dict.fromkeys(("de", "neng", "ji", "qin"), SectionKind.RATED)
    for pt in PositionType:
        weights = SEED_003_DEDENGJIQIN.section_weights(pt)
        assert weights == {"de": d(20), "neng": d(20), "ji": d(50), "qin": d(10)}


def test_built_in_templates_are_listed_by_code():
    assert set(BUILT_IN_TEMPLATES) == {SEED_004_DEFAULT.code, SEED_003_DEDENGJIQIN.code}


# -- the assessor's split -------------------------------------------------------


def test_missing_split_names_the_shared_sections():
    with pytest.raises(InvalidArgument) as exc:
        SEED_004_DEFAULT.section_weights(MGMT)
    assert "no split given" in fields(exc)["sections[kpi+work_goals].weight"]


def test_split_that_does_not_add_up_names_the_sum_and_the_total():
    with pytest.raises(InvalidArgument) as exc:
        SEED_004_DEFAULT.section_weights(MGMT, {"kpi": d(50), "work_goals": d(20)})
    assert fields(exc)["sections[kpi+work_goals].weight"] == (
        "kpi 50 + work_goals 20 = 70, must add up to 80"
    )


def test_split_of_a_fixed_section_is_refused():
    split = {"kpi": d(60), "work_goals": d(20), "behaviour_attitude": d(20)}
    with pytest.raises(InvalidArgument) as exc:
        SEED_004_DEFAULT.section_weights(NON_MGMT, split)
    assert set(fields(exc)) == {"sections[behaviour_attitude].weight"}


def test_split_missing_one_shared_section_is_refused():
    with pytest.raises(InvalidArgument) as exc:
        SEED_004_DEFAULT.section_weights(MGMT, {"kpi": d(80)})
    assert "no weight given for work_goals" in fields(exc)["sections[kpi+work_goals].weight"]


# -- template validation --------------------------------------------------------

RATED_ITEM = Item("x", "x", d(10), Rated())


def small_template(**changes: object) -> Template:
    base: dict[str, object] = {
        "code": "t",
        "name": "t",
        "sections": (
            Section("goals", "目标", "Goals", SectionKind.WORK_GOALS),
            Section("attitude", "态度", "Attitude", SectionKind.RATED, (RATED_ITEM,)),
            Section("minus", "扣分", "Minus", SectionKind.INCIDENTS, (Item("m", "m", d(2)),)),
        ),
        "weights": {
            pt: (WeightShare(("goals",), d(70)), WeightShare(("attitude",), d(30)))
            for pt in PositionType
        },
    }
    base.update(changes)
    return Template(**base)  # type: ignore[arg-type]


def test_small_template_is_valid():
    assert small_template().section_weights(MGMT) == {"goals": d(70), "attitude": d(30)}


def test_weights_not_adding_to_100_name_the_position_type_sections_and_sum():
    weights = {
        MGMT: (WeightShare(("goals",), d(60)), WeightShare(("attitude",), d(30))),
        NON_MGMT: (WeightShare(("goals",), d(70)), WeightShare(("attitude",), d(30))),
    }
    with pytest.raises(InvalidArgument) as exc:
        small_template(weights=weights)
    assert fields(exc) == {
        "weights[management]": "section weights (goals 60, attitude 30) add up to 90, not 100"
    }


def test_weights_missing_for_a_position_type():
    with pytest.raises(InvalidArgument) as exc:
        small_template(weights={MGMT: (WeightShare(("goals", "attitude"), d(100)),)})
    assert "no section weights" in fields(exc)["weights[non_management]"]


def test_weight_on_unknown_or_deduction_section_and_unweighted_section():
    weights = {
        pt: (
            WeightShare(("goals",), d(70)),
            WeightShare(("minus",), d(20)),
            WeightShare(("ghost",), d(10)),
        )
        for pt in PositionType
    }
    with pytest.raises(InvalidArgument) as exc:
        small_template(weights=weights)
    descriptions = [v.description for v in exc.value.violations if v.field == "weights[management]"]
    assert "minus is a incidents section and takes no weight" in descriptions
    assert "unknown section 'ghost'" in descriptions
    assert "sections without a weight: attitude" in descriptions


@pytest.mark.parametrize("points", [d(0), d(-5)])
def test_item_points_must_be_positive(points):
    bad = Section(
        "attitude", "态度", "Attitude", SectionKind.RATED, (Item("x", "x", points, Rated()),)
    )
    sections = (Section("goals", "目标", "Goals", SectionKind.WORK_GOALS), bad)
    with pytest.raises(InvalidArgument) as exc:
        small_template(sections=sections)
    assert str(points) in fields(exc)["sections[attitude].items[x].points"]


def test_incident_item_points_must_be_positive():
    sections = (
        Section("goals", "目标", "Goals", SectionKind.WORK_GOALS),
        Section("attitude", "态度", "Attitude", SectionKind.RATED, (RATED_ITEM,)),
        Section("minus", "扣分", "Minus", SectionKind.INCIDENTS, (Item("m", "m", d(0)),)),
    )
    with pytest.raises(InvalidArgument) as exc:
        small_template(sections=sections)
    assert set(fields(exc)) == {"sections[minus].items[m].points"}


def test_method_must_fit_the_section_kind():
    item = Item("x", "x", d(10), RatioToTarget())
    sections = (
        Section("goals", "目标", "Goals", SectionKind.WORK_GOALS),
        Section("attitude", "态度", "Attitude", SectionKind.RATED, (item,)),
    )
    with pytest.raises(InvalidArgument) as exc:
        small_template(sections=sections)
    assert (
        "ratio_to_target is not a scoring method for a rated section"
        in (fields(exc)["sections[attitude].items[x].method"])
    )


def test_duplicate_section_codes_are_refused():
    sections = (
        Section("goals", "目标", "Goals", SectionKind.WORK_GOALS),
        Section("attitude", "态度", "Attitude", SectionKind.RATED, (RATED_ITEM,)),
        Section("attitude", "态度", "Attitude", SectionKind.RATED),
    )
    with pytest.raises(InvalidArgument) as exc:
        small_template(sections=sections)
    assert "sections[attitude]" in fields(exc)


def test_360_rater_weights_must_add_up_to_100():
    # Parameters check themselves when built, so a bad 360 never reaches a template.
    with pytest.raises(AppraisalInputError, match="add up to 80, not 100") as exc:
        ThreeSixty({RaterRole.SELF: d(20), RaterRole.SUPERVISOR: d(60)})
    assert set(fields(exc)) == {"weights"}


def test_default_360_weights_are_valid():
    assert ThreeSixty().weights == DEFAULT_360_WEIGHTS
    assert sum(DEFAULT_360_WEIGHTS.values()) == 100


def test_template_with_every_method_in_its_allowed_section():
    rubric = Rubric((RubricLevel("met", "met", d(1)), RubricLevel("missed", "missed", d(0))))
    sections = (
        Section("goals", "目标", "Goals", SectionKind.WORK_GOALS, (Item("g", "g", d(5), rubric),)),
        Section(
            "kpi",
            "指标",
            "KPI",
            SectionKind.KPI,
            (
                Item("r", "r", d(5), RatioToTarget(cap=d("1.2"))),
                Item("l", "l", d(5), Linear(floor=d(60))),
                Item("s", "s", d(5), StepBands((StepBand(d(1), d(1)),))),
            ),
        ),
        Section("attitude", "态度", "Attitude", SectionKind.RATED, (RATED_ITEM,)),
        Section(
            "mgmt", "管理", "Mgmt", SectionKind.THREE_SIXTY, (Item("t", "t", d(5), ThreeSixty()),)
        ),
    )
    weights = {
        pt: (
            WeightShare(("goals", "kpi"), d(70)),
            WeightShare(("attitude",), d(20)),
            WeightShare(("mgmt",), d(10)),
        )
        for pt in PositionType
    }
    template = small_template(sections=sections, weights=weights)
    assert [it.method for it in template.section("kpi").items] == [
        ScoringMethod.RATIO_TO_TARGET,
        ScoringMethod.LINEAR,
        ScoringMethod.STEP_BANDS,
    ]


def test_incident_items_take_no_scoring_and_rated_items_need_one():
    sections = (
        Section("goals", "目标", "Goals", SectionKind.WORK_GOALS),
        Section("attitude", "态度", "Attitude", SectionKind.RATED, (Item("x", "x", d(5)),)),
        Section("minus", "扣分", "Minus", SectionKind.INCIDENTS, (Item("m", "m", d(2), Rated()),)),
    )
    with pytest.raises(InvalidArgument) as exc:
        small_template(sections=sections)
    found = fields(exc)
    assert set(found) == {"sections[attitude].items[x].method", "sections[minus].items[m].method"}
    assert found["sections[attitude].items[x].method"] == "a rated item needs one of: rated, rubric"
    assert "none (fixed points per confirmed record)" in found["sections[minus].items[m].method"]


# -- target sheets ----------------------------------------------------------------


def kpi(code: str, weight: int, **changes: object) -> TargetItem:
    item = TargetItem(
        section="kpi",
        code=code,
        name=code,
        weight=d(weight),
        points=d(weight),
        scoring=RatioToTarget(),
        target=d("0.8"),
    )
    return replace(item, **changes)  # type: ignore[arg-type]


def goal(code: str, weight: int, **changes: object) -> TargetItem:
    item = TargetItem("work_goals", code, code, d(weight), d(weight), Rated(), standard="on time")
    return replace(item, **changes)  # type: ignore[arg-type]


SPLIT = {"kpi": d(60), "work_goals": d(20)}


def sheet(*items: TargetItem, pt: PositionType = NON_MGMT, split=SPLIT) -> TargetSheet:
    return TargetSheet(SEED_004_DEFAULT, pt, items, split)


def test_a_valid_sheet_passes_and_gives_the_section_weights():
    valid = sheet(kpi("answer_rate", 60), kpi("fcr", 40), goal("training", 100))
    valid.validate()
    assert valid.section_weights()["kpi"] == d(60)


def test_kpi_item_weights_not_adding_up_name_the_section():
    with pytest.raises(InvalidArgument) as exc:
        sheet(kpi("answer_rate", 60), kpi("fcr", 30), goal("training", 100)).validate()
    assert fields(exc) == {
        "sections[kpi].weights": "item weights (answer_rate 60, fcr 30) add up to 90, not 100"
    }


def test_work_goal_weights_not_adding_up_name_their_section():
    with pytest.raises(InvalidArgument) as exc:
        sheet(kpi("answer_rate", 100), goal("a", 50), goal("b", 40)).validate()
    assert set(fields(exc)) == {"sections[work_goals].weights"}


def test_all_problems_are_reported_at_once():
    items = (
        kpi("answer_rate", 60, points=d(0)),
        kpi("answer_rate", 30, target=None),
        goal("training", 100, section="behaviour_attitude"),
        goal("ghost", 100, section="nowhere"),
    )
    with pytest.raises(InvalidArgument) as exc:
        sheet(*items, split={"kpi": d(60), "work_goals": d(10)}).validate()
    assert set(fields(exc)) == {
        "sections[kpi+work_goals].weight",
        "items[0].points",
        "items[1].code",
        "items[1].target",
        "items[2].section",
        "items[3].section",
        "sections[kpi].weights",
    }


def test_weighted_section_without_items_and_zero_weighted_section_with_items():
    with pytest.raises(InvalidArgument) as exc:
        sheet(kpi("answer_rate", 100)).validate()
    assert fields(exc) == {"sections[work_goals].items": "work_goals weighs 20 but has no items"}
    zero = {"kpi": d(80), "work_goals": d(0)}
    sheet(kpi("answer_rate", 100), split=zero).validate()
    with pytest.raises(InvalidArgument) as exc:
        sheet(kpi("answer_rate", 100), goal("training", 100), split=zero).validate()
    assert set(fields(exc)) == {"sections[work_goals].items"}


def test_item_method_must_fit_the_section():
    with pytest.raises(InvalidArgument) as exc:
        sheet(kpi("answer_rate", 100, scoring=Rated()), goal("training", 100)).validate()
    assert set(fields(exc)) == {"items[0].method"}


def test_linear_floor_must_differ_from_the_target():
    flat = kpi("aht", 100, scoring=Linear(floor=d("0.8")))
    with pytest.raises(InvalidArgument) as exc:
        sheet(flat, goal("training", 100)).validate()
    assert "floor equals the target" in fields(exc)["items[0].scoring"]
    sheet(kpi("aht", 100, scoring=Linear(floor=d("0.5"))), goal("training", 100)).validate()


@pytest.mark.parametrize("target", [d(0), d("-0.8")])
def test_ratio_to_target_needs_a_target_above_zero(target: Decimal):
    with pytest.raises(InvalidArgument) as exc:
        sheet(kpi("answer_rate", 100, target=target), goal("training", 100)).validate()
    assert fields(exc) == {"items[0].target": f"target {target} must be more than 0"}


def test_linear_needs_a_target():
    no_target = kpi("aht", 100, scoring=Linear(floor=d(30)), target=None)
    with pytest.raises(InvalidArgument) as exc:
        sheet(no_target, goal("training", 100)).validate()
    assert fields(exc) == {"items[0].target": "a linear item needs a target"}


def test_step_bands_and_rubric_need_no_target():
    bands = StepBands((StepBand(d("0.001"), d(1)), StepBand(d("0.002"), d("0.5"))))
    rubric = Rubric((RubricLevel("met", "met", d(1)), RubricLevel("missed", "missed", d(0))))
    items = (
        kpi("complaints", 50, scoring=bands, target=None),
        kpi("quality", 50, scoring=rubric, target=None),
        goal("training", 100),
    )
    sheet(*items).validate()
    assert {i.method for i in items} == {
        ScoringMethod.STEP_BANDS,
        ScoringMethod.RUBRIC,
        ScoringMethod.RATED,
    }


def test_non_management_kpi_targets_need_approval():
    assert sheet(kpi("answer_rate", 100), goal("t", 100)).needs_approval
    assert not sheet(kpi("answer_rate", 100), goal("t", 100), pt=MGMT).needs_approval
    only_goals = sheet(goal("t", 100), split={"kpi": d(0), "work_goals": d(80)})
    only_goals.validate()
    assert not only_goals.needs_approval


# -- scoring an item ----------------------------------------------------------------------

SEED_360 = ThreeSixty()
LEVELS = Rubric((RubricLevel("met", "met", d(1)), RubricLevel("partly", "partly", d("0.5"))))
BANDS = StepBands((StepBand(d(1), d(1)), StepBand(d(2), d("0.8"))))


@pytest.mark.parametrize(
    ("scoring", "inputs", "expected"),
    [
        (RatioToTarget(), {"actual": d(72), "target": d(80)}, d(27)),
        (
            RatioToTarget(direction=Direction.LOWER_IS_BETTER),
            {"actual": d(2), "target": d(1)},
            d(15),
        ),
        (Linear(floor=d(60)), {"actual": d(70), "target": d(80)}, d(15)),
        (Linear(floor=d(30)), {"actual": d(20), "target": d(10)}, d(15)),
        (BANDS, {"actual": d("1.5")}, d(24)),
        (LEVELS, {"level": "partly"}, d(15)),
        (Rated(), {"self_score": d(28), "review_score": d(21)}, d(21)),
        (
            SEED_360,
            {"ratings": {RaterRole.SELF: [d(30)], RaterRole.SUPERVISOR: [d(20), d(24)]}},
            d(24),  # no subordinates: (20 × 30 + 60 × 22) / 80
        ),
    ],
    ids=lambda v: getattr(v, "method", None),
)
def test_score_item_dispatches_to_the_method(scoring, inputs, expected):
    assert score_item(scoring, d(30), **inputs) == expected


@pytest.mark.parametrize(
    ("scoring", "inputs"),
    [
        (RatioToTarget(), {"target": d(80)}),  # no actual collected yet
        (Linear(floor=d(60)), {"target": d(80)}),
        (BANDS, {}),
        (LEVELS, {}),  # no level picked yet
        (Rated(), {}),
        (Rated(), {"self_score": d(20)}),  # self-assessed, not reviewed yet
        (Rated(), {"review_score": d(20)}),  # no self score yet
        (SEED_360, {}),
        (SEED_360, {"ratings": {}}),  # nobody rated
        (SEED_360, {"ratings": {RaterRole.SELF: [], RaterRole.SUPERVISOR: []}}),
    ],
)
def test_score_item_is_none_while_the_inputs_are_not_in(scoring, inputs):
    assert score_item(scoring, d(30), **inputs) is None


def test_score_item_ignores_inputs_its_method_does_not_use():
    everything: dict[str, Any] = {
        "actual": d(72),
        "target": d(80),
        "self_score": d(28),
        "review_score": d(21),
        "level": "met",
        "ratings": {RaterRole.SELF: [d(30)]},
    }
    assert score_item(Rated(), d(30), **everything) == d(21)
    assert score_item(LEVELS, d(30), **everything) == d(30)
    assert score_item(RatioToTarget(), d(30), **everything) == d(27)


@pytest.mark.parametrize(
    ("scoring", "inputs", "name"),
    [
        (RatioToTarget(), {"actual": d(72)}, "target"),  # targets are set before the period
        (Linear(floor=d(60)), {}, "target"),
        (Linear(floor=d(80)), {"actual": d(70), "target": d(80)}, "target"),
        (RatioToTarget(), {"actual": d(-1), "target": d(80)}, "actual"),
        (BANDS, {"actual": d("NaN")}, "actual"),
        (LEVELS, {"level": "great"}, "level"),
        (Rated(), {"self_score": d(31)}, "self_score"),  # checked even before the review
        (Rated(), {"self_score": d(20), "review_score": d(-1)}, "review_score"),
        (SEED_360, {"ratings": {RaterRole.PEERS: [d(5)]}}, "ratings[peers]"),
        (SEED_360, {"ratings": {RaterRole.SELF: [d(31)]}}, "ratings[self][0]"),
    ],
)
def test_score_item_refuses_bad_inputs_by_name(scoring, inputs, name):
    with pytest.raises(AppraisalInputError) as exc:
        score_item(scoring, d(30), **inputs)
    assert exc.value.input_name == name


@pytest.mark.parametrize("scoring", [RatioToTarget(), BANDS, LEVELS, Rated(), SEED_360])
def test_score_item_checks_the_points_even_without_inputs(scoring):
    with pytest.raises(AppraisalInputError) as exc:
        score_item(scoring, d(0))
    assert exc.value.input_name == "points"


def test_score_item_scores_a_target_sheet_item():
    item = kpi("answer_rate", 40, scoring=Linear(floor=d("0.6")), target=d("0.8"))
    assert score_item(item.scoring, item.points, actual=d("0.7"), target=item.target) == d(20)


def test_supervisor_reach_is_one_or_two_levels():
    assert SEED_004_DEFAULT.supervisor_reach == 2
    with pytest.raises(InvalidArgument) as refused:
        replace(SEED_004_DEFAULT, supervisor_reach=3)
    assert [v.field for v in refused.value.violations] == ["supervisor_reach"]
