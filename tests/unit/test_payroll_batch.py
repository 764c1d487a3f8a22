import hashlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.payroll_bridge.domain.batch import (
    BATCH_HASH_FORMAT,
    BatchLine,
    LineKind,
    batch_hash,
    batch_summary,
    batch_totals,
    canonical_amount,
    canonical_form,
)
from services.payroll_bridge.domain.caps import CapRow, CapTable
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money, round_money, sum_money
from services.payroll_bridge.domain.performance_pay import monthly_performance_pay

D = Decimal
PP = LineKind.PERFORMANCE_PAY


def cny(text: str) -> Money:
    return Money.of(text, "CNY")


LINES = [
    BatchLine("E002", PP, "2024-05", cny("2048.94")),
    BatchLine("E001", PP, "2024-05", cny("2400.00")),
    BatchLine("E001", LineKind.ADJUSTMENT, "E001/performance_pay/2024-04", cny("-93.60")),
    BatchLine("E003", LineKind.YEAR_END_BONUS, "2024", Money.of("125001", "JPY")),
]


def test_the_canonical_form_is_sorted_json_with_the_currency_decimals():
    expected = (
        b'{"format":"ccperf.payroll.batch/1","lines":['
        b'["E001","adjustment","E001/performance_pay/2024-04","CNY","-93.60"],'
        b'["E001","performance_pay","2024-05","CNY","2400.00"],'
        b'["E002","performance_pay","2024-05","CNY","2048.94"],'
        b'["E003","year_end_bonus","2024","JPY","125001"]]}'
    )
    assert canonical_form(LINES) == expected
    assert batch_hash(LINES) == hashlib.sha256(expected).hexdigest()
    assert BATCH_HASH_FORMAT == "ccperf.payroll.batch/1"


def test_same_content_same_hash_in_any_order_and_any_exponent():
    assert batch_hash(LINES) == batch_hash(reversed(LINES))
    respelled = [*LINES[:1], BatchLine("E001", PP, "2024-05", cny("2400")), *LINES[2:]]
    assert batch_hash(respelled) == batch_hash(LINES)


def test_any_change_changes_the_hash():
    original = batch_hash(LINES)
    cent_more = [BatchLine("E002", PP, "2024-05", cny("2048.95")), *LINES[1:]]
    other_ref = [BatchLine("E002", PP, "2024-06", cny("2048.94")), *LINES[1:]]
    other_kind = [BatchLine("E002", LineKind.INCENTIVE, "2024-05", cny("2048.94")), *LINES[1:]]
    other_currency = [BatchLine("E002", PP, "2024-05", Money.of("2048.94", "HKD")), *LINES[1:]]
    hashes = {batch_hash(b) for b in (cent_more, other_ref, other_kind, other_currency, LINES[1:])}
    assert original not in hashes
    assert len(hashes) == 5


def test_an_empty_batch_has_a_hash():
    assert (
        batch_hash([])
        == hashlib.sha256(b'{"format":"ccperf.payroll.batch/1","lines":[]}').hexdigest()
    )


def test_canonical_amount():
    assert canonical_amount(cny("12.3")) == "12.30"
    assert canonical_amount(cny("-0.00")) == "0.00"
    assert canonical_amount(Money.of("1200", "JPY")) == "1200"
    assert canonical_amount(Money(D("1E+3"), "CNY")) == "1000.00"


def test_lines_check_themselves():
    with pytest.raises(PayInputError, match="not rounded"):
        BatchLine("E001", PP, "2024-05", cny("1.005"))
    with pytest.raises(PayInputError) as caught:
        BatchLine("", PP, "2024-05", cny("1"))
    assert caught.value.input_name == "employee_id"
    with pytest.raises(PayInputError, match="unknown line kind"):
        BatchLine("E001", "salary", "2024-05", cny("1"))  # type: ignore[arg-type]
    assert BatchLine("E001", "incentive", "2024-05", cny("1")).kind is LineKind.INCENTIVE  # type: ignore[arg-type]


def test_duplicate_keys_are_refused():
    with pytest.raises(PayInputError, match=r"same key .* as lines\[1\]") as caught:
        batch_hash([*LINES, BatchLine("E001", PP, "2024-05", cny("1"))])
    assert caught.value.input_name == "lines[4]"
    with pytest.raises(PayInputError, match="same key"):
        batch_totals([LINES[0], LINES[0]])


def test_totals_per_currency_are_sums_of_the_rounded_lines():
    totals = batch_totals(LINES)
    assert list(totals) == ["CNY", "JPY"]
    assert totals["CNY"] == cny("4355.34")
    assert totals["JPY"] == Money.of("125001", "JPY")


def test_a_total_is_the_sum_of_rounded_lines_not_the_rounded_exact_sum():
    table = CapTable((CapRow("agent", "G1", 1, cny("1000.01"), date(2024, 1, 1)),))
    lines = []
    for employee in ("E1", "E2", "E3"):
        pay = monthly_performance_pay(
            table,
            position="agent",
            grade="G1",
            base_tier=1,
            coefficient=D("0.3333335"),
            as_of=date(2024, 5, 31),
        )
        lines.append((pay, BatchLine(employee, PP, "2024-05", pay.amount)))
    exact = sum_money((pay.raw_amount for pay, _ in lines), "CNY")
    assert lines[0][0].raw_amount == cny("333.336833335")
    assert batch_totals(line for _, line in lines)["CNY"] == cny("1000.02")  # 3 × 333.34
    assert round_money(exact.amount, "CNY") == D("1000.01")


keys = st.tuples(
    st.sampled_from(["E1", "E2", "E3", "雇员4"]),
    st.sampled_from(list(LineKind)),
    st.sampled_from(["2024-05", "2024-06", "2024"]),
)
line_lists = st.lists(
    st.tuples(
        keys, st.integers(min_value=-(10**9), max_value=10**9), st.sampled_from(["CNY", "JPY"])
    ),
    unique_by=lambda t: t[0],
    max_size=20,
).map(
    lambda rows: [
        BatchLine(*key, Money(D(units).scaleb(-2 if cur == "CNY" else 0), cur))
        for key, units, cur in rows
    ]
)


@given(line_lists, st.randoms(use_true_random=False))
def test_hash_ignores_order(lines, random):
    shuffled = list(lines)
    random.shuffle(shuffled)
    assert batch_hash(shuffled) == batch_hash(lines)
    assert canonical_form(shuffled) == canonical_form(lines)


@given(line_lists.filter(bool), st.data())
def test_hash_changes_with_any_amount(lines, data):
    index = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    delta = data.draw(st.integers(min_value=-1000, max_value=1000).filter(bool))
    line = lines[index]
    unit = Money(D(1).scaleb(-2 if line.amount.currency == "CNY" else 0), line.amount.currency)
    changed = BatchLine(
        line.employee_id, line.kind, line.reference, line.amount + unit.times(D(delta))
    )
    assert batch_hash([*lines[:index], changed, *lines[index + 1 :]]) != batch_hash(lines)


@given(line_lists)
def test_lines_add_up_to_the_totals(lines):
    totals = batch_totals(lines)
    assert set(totals) == {line.amount.currency for line in lines}
    for currency, total in totals.items():
        assert total == sum_money(
            (ln.amount for ln in lines if ln.amount.currency == currency), currency
        )
        assert total.amount == sum(
            (ln.amount.amount for ln in lines if ln.amount.currency == currency), D(0)
        )
        assert total.is_rounded


def rows_of(lines):
    return [(*line.key, line.amount.amount, line.amount.currency) for line in lines]


@given(line_lists)
def test_a_summary_of_rows_is_the_hash_and_totals_of_their_lines(lines):
    summary = batch_summary(rows_of(lines))
    assert summary.content_hash == batch_hash(lines)
    assert summary.totals == batch_totals(lines)
    assert {c: str(m.amount) for c, m in summary.totals.items()} == {
        c: str(m.amount) for c, m in batch_totals(lines).items()
    }
    assert summary.line_count == len(lines)


def test_a_summary_of_rows_checks_them_as_lines_do():
    rows = rows_of(LINES)
    assert batch_summary(rows).content_hash == batch_hash(LINES)
    assert batch_summary([(*r[:3], r[3].scaleb(0) + D("0.000"), r[4]) for r in rows]) == (
        batch_summary(rows)
    )
    respelled = [("E001", "performance_pay", "2024-05", D("2400"), "CNY"), *rows[:1], *rows[2:]]
    assert batch_summary(respelled).content_hash == batch_hash(LINES)
    assert batch_summary([("E1", "adjustment", "r", D("-0.00"), "CNY")]).content_hash == (
        batch_hash([BatchLine("E1", LineKind.ADJUSTMENT, "r", cny("0"))])
    )
    with pytest.raises(PayInputError, match=r"same key .* as lines\[1\]") as caught:
        batch_summary([*rows, ("E001", "performance_pay", "2024-05", D("1"), "CNY")])
    assert caught.value.input_name == "lines[4]"
    with pytest.raises(PayInputError, match="not rounded"):
        batch_summary([*rows, ("E009", "performance_pay", "2024-05", D("1.005"), "CNY")])
    with pytest.raises(PayInputError, match="unknown line kind"):
        batch_summary([*rows, ("E009", "salary", "2024-05", D("1"), "CNY")])
    with pytest.raises(PayInputError) as caught:
        batch_summary([*rows, (" ", "incentive", "2024-05", D("1"), "CNY")])
    assert caught.value.input_name == "employee_id"
    with pytest.raises(PayInputError, match="no minor unit"):
        batch_summary([("E1", "incentive", "2024-05", D("1"), "XXX")])
    assert batch_summary([]).content_hash == batch_hash([])
