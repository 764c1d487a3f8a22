from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.appraisal.domain.certification import (
    CCCS_OP_2003,
    Category,
    CertificationLevel,
    CertificationStandard,
    LevelBand,
    SubItem,
    assess,
    split_evenly,
)
from services.appraisal.domain.scoring import AppraisalInputError

D = Decimal
L = CertificationLevel


def full_marks() -> dict[str, Decimal]:
    return {i.code: i.maximum for i in CCCS_OP_2003.sub_items}


def scores_totalling(total: str) -> dict[str, Decimal]:
    """Full marks on the first sub-items until `total` is reached, the rest 0."""
    left = D(total)
    scores = {}
    for item in CCCS_OP_2003.sub_items:
        scores[item.code] = min(item.maximum, left)
        left -= scores[item.code]
    assert left == 0
    return scores


# -- the standard as data ----------------------------------------------------------


def test_cccs_op_2003_has_eight_categories_with_the_seed_maxima():
    assert [(c.code, c.name_zh, c.maximum) for c in CCCS_OP_2003.categories] == [
        ("leadership", "领导能力", D(10)),
        ("strategy_and_deployment", "战略规划与部署", D(10)),
        ("customer_value", "客户价值", D(10)),
        ("performance_measurement", "绩效衡量与分析", D(15)),
        ("on_site_management", "现场管理", D(10)),
        ("people_management", "人员管理", D(15)),
        ("process_management", "流程管理", D(10)),
        ("operating_results", "运营绩效成果", D(20)),
    ]
    assert CCCS_OP_2003.maximum == 100


def test_sub_items_are_the_seed_list_numbered_by_category():
    counts = [len(c.sub_items) for c in CCCS_OP_2003.categories]
    assert counts == [5, 5, 7, 4, 9, 8, 4, 6]
    for number, category in enumerate(CCCS_OP_2003.categories, start=1):
        codes = [i.code for i in category.sub_items]
        assert codes == [f"{number}.{n}" for n in range(1, len(codes) + 1)]
        assert all(i.name_zh and i.name_en for i in category.sub_items)
    names = {i.code: i.name_zh for i in CCCS_OP_2003.sub_items}
    assert names["1.1"] == "企业高层领导支持"
    assert names["4.4"] == "绩效考核结果反馈与沟通"
    assert names["5.9"] == "现场管理制度"
    assert names["8.6"] == "社会效益"


def test_sub_item_maxima_split_each_category_evenly_in_quarter_points():
    maxima = {c.code: [i.maximum for i in c.sub_items] for c in CCCS_OP_2003.categories}
    assert maxima == {
        "leadership": [D(2)] * 5,
        "strategy_and_deployment": [D(2)] * 5,
        "customer_value": [D("1.5")] * 5 + [D("1.25")] * 2,
        "performance_measurement": [D("3.75")] * 4,
        "on_site_management": [D("1.25")] * 4 + [D(1)] * 5,
        "people_management": [D(2)] * 4 + [D("1.75")] * 4,
        "process_management": [D("2.5")] * 4,
        "operating_results": [D("3.5")] * 2 + [D("3.25")] * 4,
    }
    for category in CCCS_OP_2003.categories:
        assert sum(i.maximum for i in category.sub_items) == category.maximum


@pytest.mark.parametrize(
    ("maximum", "count", "quantum", "expected"),
    [
        ("10", 5, "0.25", ["2"] * 5),
        ("10", 7, "0.25", ["1.5"] * 5 + ["1.25"] * 2),
        ("20", 6, "0.5", ["3.5"] * 4 + ["3"] * 2),
        ("1", 1, "0.25", ["1"]),
        ("1", 4, "0.25", ["0.25"] * 4),
    ],
)
def test_split_evenly(maximum, count, quantum, expected):
    assert split_evenly(D(maximum), count, D(quantum)) == tuple(D(e) for e in expected)


@pytest.mark.parametrize(
    ("maximum", "count", "quantum", "field"),
    [
        ("10", 0, "0.25", "count"),
        ("1", 5, "0.25", "count"),  # a share of 0
        ("10.1", 2, "0.25", "maximum"),  # not whole quarters
        ("0", 2, "0.25", "maximum"),
        ("10", 2, "0", "quantum"),
        ("NaN", 2, "0.25", "maximum"),
    ],
)
def test_split_evenly_refuses_what_it_cannot_split(maximum, count, quantum, field):
    with pytest.raises(AppraisalInputError) as err:
        split_evenly(D(maximum), count, D(quantum))
    assert err.value.input_name == field


def test_a_category_whose_sub_items_do_not_add_up_is_refused():
    with pytest.raises(AppraisalInputError) as err:
        Category("c", "范畴", "Category", D(10), (SubItem("1.1", "甲", "A", D(4)),))
    assert err.value.input_name == "categories[c].sub_items"
    assert "4" in err.value.message


def _standard(bands: tuple[LevelBand, ...], *codes: str) -> CertificationStandard:
    category = Category(
        "c", "范畴", "Category", D(len(codes)), tuple(SubItem(c, c, c, D(1)) for c in codes)
    )
    return CertificationStandard("X", "标准", "Standard", (category,), bands)


def test_a_standard_refuses_duplicate_sub_item_codes():
    with pytest.raises(AppraisalInputError) as err:
        _standard((), "1.1", "1.1")
    assert err.value.input_name == "sub_items[1.1]"


@pytest.mark.parametrize(
    ("bands", "field"),
    [
        ((LevelBand(L.NOT_CERTIFIED, D(1)),), "bands[not_certified]"),
        ((LevelBand(L.CERTIFIED, D("1.5")),), "bands[certified].minimum"),
        ((LevelBand(L.CERTIFIED, D(3)),), "bands[certified].minimum"),  # above the maximum
        ((LevelBand(L.CERTIFIED, D(1)), LevelBand(L.FIVE_STAR, D(2))), "bands[five_star]"),
        ((LevelBand(L.FIVE_STAR, D(1)), LevelBand(L.CERTIFIED, D(1))), "bands[certified]"),
    ],
)
def test_a_standard_refuses_bands_out_of_order_or_range(bands, field):
    with pytest.raises(AppraisalInputError) as err:
        _standard(bands, "1.1", "1.2")
    assert err.value.input_name == field


def test_another_standard_is_defined_the_same_way():
    standard = _standard((LevelBand(L.CERTIFIED, D(2)),), "a", "b")
    assert assess(standard, {"a": D(1), "b": D(1)}).level is L.CERTIFIED
    assert assess(standard, {"a": D(1), "b": D("0.4")}).level is L.NOT_CERTIFIED


# -- assessing -----------------------------------------------------------------------


def test_full_marks_are_five_star_with_every_category_full():
    result = assess(CCCS_OP_2003, full_marks())
    assert result.standard == "CCCS-OP-2003"
    assert result.total == 100
    assert result.maximum == 100
    assert result.level is L.FIVE_STAR
    assert result.level.issues_certificate
    assert [c.subtotal for c in result.categories] == [c.maximum for c in CCCS_OP_2003.categories]


def test_subtotals_are_exact_sums_of_sub_item_scores():
    scores = dict.fromkeys(full_marks(), D(0))
    scores |= {"1.1": D("1.5"), "1.2": D("0.25"), "8.6": D("3.25"), "4.3": D("3.7")}
    result = assess(CCCS_OP_2003, scores)
    assert result.category("leadership").subtotal == D("1.75")
    assert result.category("performance_measurement").subtotal == D("3.7")
    assert result.category("operating_results").subtotal == D("3.25")
    assert result.category("customer_value").subtotal == 0
    assert result.total == D("8.70")
    assert result.rounded_total == 9
    assert result.level is L.NOT_CERTIFIED
    leadership = result.category("leadership")
    assert [(i.code, i.score) for i in leadership.items[:2]] == [
        ("1.1", D("1.5")),
        ("1.2", D("0.25")),
    ]


def test_category_lookup_of_an_unknown_code_is_a_key_error():
    with pytest.raises(KeyError):
        assess(CCCS_OP_2003, full_marks()).category("nope")


@pytest.mark.parametrize(
    ("total", "rounded", "level"),
    [
        ("0", 0, L.NOT_CERTIFIED),
        ("40", 40, L.NOT_CERTIFIED),
        ("40.49", 40, L.NOT_CERTIFIED),
        ("40.5", 41, L.CONDITIONAL),
        ("41", 41, L.CONDITIONAL),
        ("60", 60, L.CONDITIONAL),
        ("60.25", 60, L.CONDITIONAL),
        ("60.5", 61, L.CERTIFIED),
        ("61", 61, L.CERTIFIED),
        ("80", 80, L.CERTIFIED),
        ("80.49", 80, L.CERTIFIED),
        ("80.5", 81, L.FIVE_STAR),
        ("81", 81, L.FIVE_STAR),
        ("100", 100, L.FIVE_STAR),
    ],
)
def test_level_reads_the_total_rounded_half_up_to_a_whole_point(total, rounded, level):
    result = assess(CCCS_OP_2003, scores_totalling(total))
    assert result.total == D(total)
    assert result.rounded_total == rounded
    assert result.level is level
    assert CCCS_OP_2003.level(D(total)) is level


def test_only_five_star_and_certified_issue_a_certificate():
    assert [lv for lv in L if lv.issues_certificate] == [L.FIVE_STAR, L.CERTIFIED]


@pytest.mark.parametrize(
    ("code", "score", "field", "words"),
    [
        ("9.1", D(1), "scores[9.1]", "no sub-item"),
        ("1.1", D(-1), "scores[1.1]", "between 0 and"),
        ("1.1", D("2.01"), "scores[1.1]", "between 0 and"),
        ("5.9", D("1.25"), "scores[5.9]", "between 0 and 1"),  # 5.9 is worth 1, 5.1 is 1.25
        ("1.1", D("NaN"), "scores[1.1]", "finite"),
        ("1.1", D("Infinity"), "scores[1.1]", "finite"),
        ("1.1", 1.5, "scores[1.1]", "Decimal"),
    ],
)
def test_bad_scores_are_refused_naming_the_sub_item(code, score, field, words):
    scores = full_marks() | {code: score}
    with pytest.raises(AppraisalInputError) as err:
        assess(CCCS_OP_2003, scores)
    assert err.value.input_name == field
    assert words in err.value.message


def test_a_score_at_the_sub_item_maximum_or_zero_is_accepted():
    assert assess(CCCS_OP_2003, full_marks() | {"5.1": D("1.25"), "5.9": D(0)}).total == 99


def test_missing_sub_items_are_listed_together_in_one_error():
    scores = full_marks()
    for code in ("2.3", "6.8", "8.1"):
        del scores[code]
    with pytest.raises(AppraisalInputError) as err:
        assess(CCCS_OP_2003, scores)
    assert err.value.input_name == "scores"
    assert "missing 2.3, 6.8, 8.1" in err.value.message


def test_no_scores_at_all_lists_every_sub_item():
    with pytest.raises(AppraisalInputError) as err:
        assess(CCCS_OP_2003, {})
    assert all(i.code in err.value.message for i in CCCS_OP_2003.sub_items)


@st.composite
def valid_scores(draw: st.DrawFn) -> dict[str, Decimal]:
    return {
        i.code: draw(st.decimals(min_value=0, max_value=i.maximum, places=2))
        for i in CCCS_OP_2003.sub_items
    }


@given(valid_scores())
def test_total_is_the_exact_sum_and_the_level_follows_the_bands(scores):
    result = assess(CCCS_OP_2003, scores)
    assert result.total == sum(scores.values())
    assert result.total == sum(c.subtotal for c in result.categories)
    assert 0 <= result.total <= 100
    for category in result.categories:
        assert 0 <= category.subtotal <= category.maximum
    rounded = result.rounded_total
    assert abs(rounded - result.total) <= D("0.5")
    expected = (
        L.FIVE_STAR
        if rounded >= 81
        else L.CERTIFIED
        if rounded >= 61
        else L.CONDITIONAL
        if rounded >= 41
        else L.NOT_CERTIFIED
    )
    assert result.level is expected


@given(
    st.decimals(min_value=0, max_value=100, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_a_higher_total_never_gets_a_lower_level(a, b):
    low, high = sorted((a, b))
    order = list(L)
    assert order.index(CCCS_OP_2003.level(high)) <= order.index(CCCS_OP_2003.level(low))
