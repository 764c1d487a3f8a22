from datetime import date, datetime
from decimal import Decimal

import pytest

from services.payroll_bridge.domain.caps import (
    CapRow,
    CapTable,
    CapTableInvalid,
    NoCapInForce,
    TierMove,
)
from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money

JAN = date(2024, 1, 1)
JUL = date(2024, 7, 1)


def cny(text: str) -> Money:
    return Money.of(text, "CNY")


def row(tier, amount, valid_from=JAN, valid_to=None, *, position="agent", grade="G1"):
    return CapRow(position, grade, tier, cny(amount), valid_from, valid_to)


def table() -> CapTable:
    """agent/G1 tiers 1–3; tier 2 rises from 2400 to 2500 in July."""
    return CapTable(
        (
            row(1, "2000"),
            row(2, "2400", JAN, JUL),
            row(2, "2500", JUL),
            row(3, "2800"),
            row(1, "3000", position="team_lead"),
        )
    )


def test_lookup_as_of_a_date_with_inclusive_from_and_exclusive_to():
    caps = table()
    assert caps.cap("agent", "G1", 2, date(2024, 6, 30)).amount == cny("2400")
    assert caps.cap("agent", "G1", 2, JUL).amount == cny("2500")
    assert caps.cap("agent", "G1", 2, date(2031, 1, 1)).amount == cny("2500")
    assert caps.cap("agent", "G1", 1, JAN).amount == cny("2000")
    assert caps.tiers("agent", "G1", JAN) == (1, 2, 3)
    assert caps.tiers("agent", "G2", JAN) == ()


@pytest.mark.parametrize(
    ("position", "grade", "tier", "on"),
    [
        ("agent", "G1", 2, date(2023, 12, 31)),  # before the table
        ("agent", "G1", 4, JAN),  # no such tier
        ("agent", "G9", 1, JAN),  # no such grade
        ("nobody", "G1", 1, JAN),
    ],
)
def test_lookup_without_a_row_in_force(position, grade, tier, on):
    with pytest.raises(NoCapInForce, match="no performance cap") as caught:
        table().cap(position, grade, tier, on)
    assert caught.value.input_name == "cap"


def test_rows_touching_are_fine_but_overlapping_rows_are_refused():
    CapTable((row(1, "1", JAN, JUL), row(1, "2", JUL)))
    with pytest.raises(CapTableInvalid, match="tier 1 from 2024-06-30 overlaps") as caught:
        CapTable((row(1, "1", JAN, JUL), row(1, "2", date(2024, 6, 30))))
    assert caught.value.input_name == "rows[1]"
    with pytest.raises(CapTableInvalid, match="open-ended"):
        CapTable((row(1, "2", JUL), row(1, "1", JAN)))


def test_the_same_tier_of_another_position_or_grade_does_not_overlap():
    CapTable((row(1, "1"), row(1, "1", grade="G2"), row(1, "1", position="lead")))


def test_tiers_in_force_must_be_consecutive_on_every_date():
    with pytest.raises(CapTableInvalid, match=r"tier\(s\) \[2\] missing"):
        CapTable((row(1, "1"), row(3, "3")))
    # Tier 2 ends in July without a successor while 1 and 3 go on: a gap from July.
    with pytest.raises(CapTableInvalid, match="on 2024-07-01 has tiers"):
        CapTable((row(1, "1"), row(2, "2", JAN, JUL), row(3, "3")))
    # The whole scale may end or start; any numbering from 1 to 99 is fine.
    CapTable((row(1, "1", JAN, JUL), row(2, "2", JAN, JUL), row(5, "3", JUL)))
    with pytest.raises(CapTableInvalid, match=r"tier\(s\) \[2, 3, 4, 5, 6, 7, 8\] missing"):
        CapTable((row(1, "1"), row(9, "9")))


def test_one_position_and_grade_pays_in_one_currency():
    with pytest.raises(CapTableInvalid, match="mixes CNY and HKD"):
        CapTable((row(1, "1"), CapRow("agent", "G1", 2, Money.of("1", "HKD"), JAN)))


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"amount": cny("0")}, "amount", "more than 0"),
        ({"amount": cny("-1")}, "amount", "more than 0"),
        ({"amount": cny("2000.005")}, "amount", "more decimals"),
        ({"tier": True}, "tier", "integer"),
        ({"tier": "1"}, "tier", "integer"),
        ({"tier": Decimal(1)}, "tier", "integer"),
        ({"tier": 0}, "tier", "from 1 to 99"),
        ({"tier": 100}, "tier", "from 1 to 99"),
        ({"tier": -(2**31)}, "tier", "from 1 to 99"),
        ({"valid_to": JAN}, "valid_to", "after valid_from"),
        ({"valid_from": datetime(2024, 1, 1)}, "valid_from", "not a datetime"),  # noqa: DTZ001
        ({"position": ""}, "position", "non-empty"),
        ({"grade": " "}, "grade", "non-empty"),
    ],
)
def test_a_row_checks_itself(kwargs, field, message):
    fields = {
        "position": "agent",
        "grade": "G1",
        "tier": 1,
        "amount": cny("2000"),
        "valid_from": JAN,
        "valid_to": None,
    }
    with pytest.raises(PayInputError, match=message) as caught:
        CapRow(**(fields | kwargs))
    assert caught.value.input_name == field


def test_a_tier_move_must_move():
    with pytest.raises(PayInputError, match="must move"):
        TierMove(0, JAN)
    with pytest.raises(PayInputError, match="integer"):
        TierMove(True, JAN)


def test_tier_is_base_plus_moves_effective_on_or_before_the_date():
    up = TierMove(+1, date(2024, 3, 1), "rec-up")
    down = TierMove(-1, date(2024, 9, 1), "rec-down")
    caps = table()

    before = caps.resolve_tier("agent", "G1", base_tier=2, moves=[down, up], on=date(2024, 2, 29))
    assert (before.raw_tier, before.tier) == (2, 2)
    assert before.moves_counted == ()
    assert before.moves_pending == (up, down)

    on_the_day = caps.resolve_tier(
        "agent", "G1", base_tier=2, moves=[down, up], on=date(2024, 3, 1)
    )
    assert on_the_day.tier == 3
    assert on_the_day.moves_counted == (up,)
    assert on_the_day.moves_pending == (down,)
    assert not on_the_day.clamped

    after = caps.resolve_tier("agent", "G1", base_tier=2, moves=[down, up], on=date(2024, 9, 1))
    assert after.tier == 2
    assert after.moves_counted == (up, down)


def test_the_tier_is_clamped_to_the_tiers_in_force():
    caps = table()
    top = caps.resolve_tier(
        "agent", "G1", base_tier=3, moves=[TierMove(1, date(2024, 3, 1))], on=JUL
    )
    assert (top.raw_tier, top.tier, top.lowest_tier, top.highest_tier) == (4, 3, 1, 3)
    assert top.clamped

    bottom = caps.resolve_tier(
        "agent", "G1", base_tier=1, moves=[TierMove(-1, date(2024, 3, 1))], on=JUL
    )
    assert (bottom.raw_tier, bottom.tier) == (0, 1)
    assert bottom.clamped

    # A base tier outside the range is clamped too.
    assert caps.resolve_tier("team_lead", "G1", base_tier=3, on=JUL).tier == 1


def test_the_clamp_applies_to_the_sum_not_step_by_step():
    moves = [TierMove(1, date(2024, 3, 1)), TierMove(-1, date(2024, 6, 1))]
    result = table().resolve_tier("agent", "G1", base_tier=3, moves=moves, on=JUL)
    # Step by step would give 3 → 3 (clamped) → 2; the sum gives 3 + 1 − 1 = 3.
    assert (result.raw_tier, result.tier, result.clamped) == (3, 3, False)


def test_resolving_without_any_cap_in_force_is_refused():
    with pytest.raises(NoCapInForce, match="agent/G1 on 2023-12-31"):
        table().resolve_tier("agent", "G1", base_tier=1, on=date(2023, 12, 31))


def test_bad_moves_and_dates_are_refused():
    with pytest.raises(PayInputError) as caught:
        table().resolve_tier("agent", "G1", base_tier=1, moves=[1], on=JAN)  # type: ignore[list-item]
    assert caught.value.input_name == "moves[0]"
    with pytest.raises(PayInputError, match="not a datetime"):
        table().resolve_tier("agent", "G1", base_tier=1, on=datetime(2024, 1, 1))  # noqa: DTZ001
    with pytest.raises(PayInputError) as caught:
        CapTable((row(1, "1"), "row"))  # type: ignore[arg-type]
    assert caught.value.input_name == "rows[1]"


def test_table_of_any_iterable():
    caps = CapTable.of(r for r in [row(1, "1")])
    assert caps.rows == (row(1, "1"),)
