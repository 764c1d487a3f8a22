from decimal import Decimal

import pytest

from services.appraisal.domain.results import (
    BEHAVIOUR_ATTITUDE,
    KPI,
    MANAGEMENT_ABILITY,
    WORK_GOALS,
    Adjustment,
    AdjustmentKind,
    ContributionKind,
    Grade,
    GradeBands,
    ItemScore,
    SectionScores,
    UnscoredSection,
    WeightsDoNotAddUp,
    compute_result,
    seed_004_section_weights,
    validate_weights,
)
from services.appraisal.domain.scoring import AppraisalInputError
from services.org.domain.model import PositionType

D = Decimal  # short for the many literals below

INCIDENT, BONUS = AdjustmentKind.INCIDENT, AdjustmentKind.BONUS


def item(name: str, points: int, score: str | None) -> ItemScore:
    return ItemScore(name, D(points), None if score is None else D(score))


def single_section(score: str, points: int = 100) -> list[SectionScores]:
    return [SectionScores("all", D(100), (item("only", points, score),))]


# A non-management agent, KPI 60 / work goals 20 / behaviour 20 / management 0.
AGENT_SECTIONS = [
    SectionScores(
        KPI,
        D(60),
        (item("service_level", 30, "27"), item("complaints", 20, "16"), item("fcr", 50, "45")),
    ),  # 88 / 100 → 88
    SectionScores(WORK_GOALS, D(20), (item("goal_1", 40, "36"), item("goal_2", 60, "51"))),  # 87
    SectionScores(
        BEHAVIOUR_ATTITUDE,
        D(20),
        tuple(item(n, 25, s) for n, s in [("a", "20"), ("b", "22"), ("c", "23"), ("d", "25")]),
    ),  # 90
    SectionScores(MANAGEMENT_ABILITY, D(0), ()),
]
AGENT_ADJUSTMENTS = [
    Adjustment(INCIDENT, "valid complaint 2024-03-12", D(5), confirmed=True),
    Adjustment(INCIDENT, "service error, under review", D(3), confirmed=False),
    Adjustment(BONUS, "customer praise", D(2), confirmed=True),
    Adjustment(BONUS, "suggestion, not yet confirmed", D(3), confirmed=False),
]


def test_section_score_is_item_scores_over_item_points():
    section = SectionScores(KPI, D(60), (item("x", 30, "24"), item("y", 20, "15")))
    assert section.score == D(78)  # 39 / 50 × 100


def test_total_is_weighted_sections_minus_confirmed_incidents_plus_confirmed_bonuses():
    # 0.6 × 88 + 0.2 × 87 + 0.2 × 90 = 52.8 + 17.4 + 18 = 88.2; − 5 + 2 = 85.2
    result = compute_result(AGENT_SECTIONS, AGENT_ADJUSTMENTS)
    assert [(s.name, s.score, s.weighted) for s in result.sections] == [
        (KPI, D(88), D("52.8")),
        (WORK_GOALS, D(87), D("17.4")),
        (BEHAVIOUR_ATTITUDE, D(90), D(18)),
        (MANAGEMENT_ABILITY, None, D(0)),
    ]
    assert result.total == D("85.20")
    assert result.coefficient == D("0.8520")
    assert result.grade is Grade.B


def test_the_explanation_lists_every_contribution_and_adds_up_to_the_total():
    result = compute_result(AGENT_SECTIONS, AGENT_ADJUSTMENTS)
    lines = {(c.section, c.name): c for c in result.explanation}
    assert len(result.explanation) == 3 + 2 + 4 + 4
    assert lines[(KPI, "service_level")].amount == D("16.2")  # 60 × 27 / 100
    assert lines[(WORK_GOALS, "goal_2")].amount == D("10.2")  # 20 × 51 / 100
    unconfirmed = lines[(None, "service error, under review")]
    assert (unconfirmed.kind, unconfirmed.amount, unconfirmed.counted) == (
        ContributionKind.INCIDENT,
        D(0),
        False,
    )
    assert lines[(None, "valid complaint 2024-03-12")].amount == D(-5)
    assert lines[(None, "customer praise")].amount == D(2)
    counted = sum(c.amount for c in result.explanation if c.counted)
    assert counted == result.exact_total == D("85.2")


def test_unconfirmed_records_change_nothing():
    confirmed_only = [a for a in AGENT_ADJUSTMENTS if a.confirmed]
    assert compute_result(AGENT_SECTIONS, confirmed_only).total == D("85.20")
    assert compute_result(AGENT_SECTIONS).total == D("88.20")


def test_the_total_is_rounded_half_up_once_at_the_end():
    # 174.69 / 200 × 100 = 87.345 exactly: shown 87.35 (half-even would show 87.34).
    result = compute_result(single_section("174.69", points=200))
    assert result.exact_total == D("87.345")
    assert str(result.total) == "87.35"
    assert str(result.coefficient) == "0.8735"


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", Grade.A),
        ("90", Grade.A),
        ("89.995", Grade.A),  # shows as 90.00, so it grades as 90
        ("89.99", Grade.B),
        ("80", Grade.B),
        ("79.99", Grade.C),
        ("70", Grade.C),
        ("69.99", Grade.D),
        ("60", Grade.D),
        ("59.99", Grade.E),
        ("0", Grade.E),
    ],
)
def test_default_grade_bands(score: str, grade: Grade):
    assert compute_result(single_section(score)).grade is grade


def test_grade_bands_are_configurable_and_ordered():
    strict = GradeBands(a=D(95), b=D(85), c=D(75), d=D(65))
    assert compute_result(single_section("90"), bands=strict).grade is Grade.B
    assert compute_result(single_section("64"), bands=strict).grade is Grade.E
    with pytest.raises(AppraisalInputError) as excinfo:
        GradeBands(a=D(90), b=D(91))
    assert excinfo.value.input_name == "bands.b"


def test_coefficient_is_total_over_the_full_score():
    result = compute_result(single_section("90"), full_score=D(120))
    assert result.total == D("90.00")
    assert result.coefficient == D("0.7500")
    assert result.grade is Grade.C  # 75 % of the full score


def test_deductions_stop_at_zero_and_say_so():
    result = compute_result(
        single_section("3"), [Adjustment(INCIDENT, "major incident", D(10), confirmed=True)]
    )
    assert result.total == D("0.00")
    assert result.coefficient == D("0.0000")
    assert result.grade is Grade.E
    floor = result.explanation[-1]
    assert (floor.kind, floor.amount) == (ContributionKind.FLOOR, D(7))
    assert sum(c.amount for c in result.explanation if c.counted) == 0


def test_bonuses_may_lift_the_total_past_the_full_score():
    result = compute_result(
        single_section("100"), [Adjustment(BONUS, "praise", D(2), confirmed=True)]
    )
    assert (result.total, result.coefficient, result.grade) == (D("102.00"), D("1.0200"), Grade.A)


def test_an_unscored_item_leaves_its_section_instead_of_scoring_zero():
    sections = [
        SectionScores(KPI, D(90), (item("x", 100, "90"),)),
        SectionScores(MANAGEMENT_ABILITY, D(10), (item("plan", 25, "20"), item("coach", 25, None))),
    ]
    result = compute_result(sections)
    assert result.sections[1].score == D(80)  # 20 / 25, not 20 / 50
    assert result.total == D("89.00")  # 81 + 8
    coach = next(c for c in result.explanation if c.name == "coach")
    assert not coach.counted


def test_a_weighted_section_without_any_score_is_refused_naming_it():
    sections = [
        SectionScores(KPI, D(90), (item("x", 100, "90"),)),
        SectionScores(MANAGEMENT_ABILITY, D(10), (item("plan", 25, None),)),
    ]
    with pytest.raises(UnscoredSection) as excinfo:
        compute_result(sections)
    assert excinfo.value.input_name == "sections[management_ability]"


def test_result_weights_must_add_up():
    sections = [SectionScores(KPI, D(70), (item("x", 100, "90"),))]
    with pytest.raises(WeightsDoNotAddUp, match="kpi 70"):
        compute_result(sections)


def test_validate_weights_names_the_sections():
    validate_weights({KPI: D(50), WORK_GOALS: D(30), BEHAVIOUR_ATTITUDE: D(10), "m": D(10)})
    with pytest.raises(WeightsDoNotAddUp, match=r"kpi 50, work_goals 20.*add up to 90") as e:
        validate_weights({KPI: D(50), WORK_GOALS: D(20), BEHAVIOUR_ATTITUDE: D(10), "m": D(10)})
    assert e.value.input_name == "sections"


def test_validate_weights_names_the_section_whose_items_do_not_add_up():
    validate_weights({"service_level": D(60), "fcr": D(40)}, section=KPI)
    with pytest.raises(WeightsDoNotAddUp, match="'kpi'") as excinfo:
        validate_weights({"service_level": D(60), "fcr": D(35)}, section=KPI)
    assert excinfo.value.input_name == "sections[kpi].weights"
    with pytest.raises(WeightsDoNotAddUp) as excinfo:
        validate_weights({"service_level": D(110), "fcr": D(-10)}, section=KPI)
    assert excinfo.value.input_name == "sections[kpi].weights[fcr]"


def test_seed_004_weights_per_position_type():
    management = seed_004_section_weights(PositionType.MANAGEMENT, kpi_weight=D(50))
    assert management == {
        KPI: D(50),
        WORK_GOALS: D(30),
        BEHAVIOUR_ATTITUDE: D(10),
        MANAGEMENT_ABILITY: D(10),
    }
    agent = seed_004_section_weights(PositionType.NON_MANAGEMENT, kpi_weight=D(80))
    assert agent == {KPI: D(80), WORK_GOALS: D(0), BEHAVIOUR_ATTITUDE: D(20), MANAGEMENT_ABILITY: 0}
    validate_weights(management)
    validate_weights(agent)
    with pytest.raises(AppraisalInputError) as excinfo:
        seed_004_section_weights(PositionType.MANAGEMENT, kpi_weight=D(81))
    assert excinfo.value.input_name == "kpi_weight"


def test_item_and_record_inputs_are_checked():
    with pytest.raises(AppraisalInputError) as excinfo:
        ItemScore("x", D(0), D(1))
    assert excinfo.value.input_name == "x.points"
    with pytest.raises(AppraisalInputError):
        ItemScore("x", D(10), D(-1))
    with pytest.raises(AppraisalInputError):
        Adjustment(INCIDENT, "minus", D(-5), confirmed=True)
    with pytest.raises(AppraisalInputError) as excinfo:
        compute_result(single_section("90") + single_section("90"))
    assert excinfo.value.input_name == "sections[all]"


def test_grades_rank_best_first():
    assert [g.rank for g in Grade] == [5, 4, 3, 2, 1]
