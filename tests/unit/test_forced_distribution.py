import random
from decimal import Decimal

import pytest

from services.appraisal.domain.distribution import (
    CalibrationRefused,
    Candidate,
    Distribution,
    Move,
    calibrate,
    distribute,
    quotas,
)
from services.appraisal.domain.results import Grade
from services.appraisal.domain.scoring import AppraisalInputError

D = Decimal  # short for the many literals below

A, B, C, DD, E = Grade.A, Grade.B, Grade.C, Grade.D, Grade.E


def population(*scores: str) -> list[Candidate]:
    return [Candidate(f"p{i:02d}", D(s)) for i, s in enumerate(scores, start=1)]


def grades(distribution: Distribution) -> dict[str, Grade]:
    return {p.person_id: p.grade for p in distribution.placements}


def counts(distribution: Distribution) -> list[int]:
    return list(distribution.counts().values())


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, [0, 0, 0, 0, 0]),
        (1, [0, 0, 1, 0, 0]),
        (3, [0, 1, 1, 1, 0]),  # B, D: 0.6 → 1; A, E: 0.15 → 0
        (7, [0, 1, 5, 1, 0]),  # B, D: 1.4 → 1; A, E: 0.35 → 0
        (10, [0, 2, 6, 2, 0]),  # A, E: exactly 0.5 rounds down, towards C
        (11, [1, 2, 5, 2, 1]),  # A, E: 0.55 → 1; B, D: 2.2 → 2
        (20, [1, 4, 10, 4, 1]),
        (30, [1, 6, 16, 6, 1]),  # A, E: 1.5 → 1
        (100, [5, 20, 50, 20, 5]),
    ],
)
def test_quotas_round_to_nearest_with_halves_towards_the_middle(size: int, expected: list[int]):
    assert list(quotas(size).values()) == expected


def test_quotas_are_symmetric_and_fill_the_population():
    for size in range(500):
        q = quotas(size)
        assert sum(q.values()) == size
        assert q[A] == q[E]
        assert q[B] == q[DD]
        assert q[C] >= 0
        assert abs(q[A] - size * D("0.05")) <= D("0.5")
        assert abs(q[B] - size * D("0.2")) <= D("0.5")


def test_shares_must_cover_every_grade_and_add_up():
    with pytest.raises(AppraisalInputError) as excinfo:
        quotas(10, {A: D(5), B: D(20), C: D(50), DD: D(20)})
    assert excinfo.value.input_name == "shares[E]"
    with pytest.raises(AppraisalInputError) as excinfo:
        quotas(10, {A: D(5), B: D(20), C: D(50), DD: D(20), E: D(10)})
    assert excinfo.value.input_name == "shares"


def test_a_population_of_seven():
    d = distribute(population("60", "95", "85", "72", "91", "88", "80"))
    assert grades(d) == {
        "p02": B,  # 95
        "p05": C,  # 91
        "p06": C,  # 88
        "p03": C,  # 85
        "p07": C,  # 80
        "p04": C,  # 72
        "p01": DD,  # 60
    }
    assert [p.person_id for p in d.placements] == ["p02", "p05", "p06", "p03", "p07", "p04", "p01"]


def test_a_population_of_three():
    d = distribute(population("70", "90", "80"))
    assert grades(d) == {"p02": B, "p03": C, "p01": DD}


def test_a_tie_across_a_grade_boundary_goes_to_the_better_grade():
    # 7 people, B quota 1: the two 95s both get B and C shrinks to 4.
    d = distribute(population("95", "95", "88", "85", "80", "72", "60"))
    assert grades(d) == {
        "p01": B,
        "p02": B,
        "p03": C,
        "p04": C,
        "p05": C,
        "p06": C,
        "p07": DD,
    }
    assert counts(d) == [0, 2, 4, 1, 0]
    assert dict(d.allowed) == {A: 0, B: 2, C: 5, DD: 1, E: 0}


def test_a_tie_at_the_bottom_boundary_empties_e():
    # 20 people (1/4/10/4/1); the last two share 40, so both get D and E is empty.
    scores = [str(100 - i) for i in range(18)] + ["40", "40"]
    d = distribute(population(*scores))
    assert counts(d) == [1, 4, 10, 5, 0]
    assert grades(d)["p19"] is grades(d)["p20"] is DD


def test_a_tie_inside_a_grade_changes_nothing():
    d = distribute(population("95", "90", "90", "88", "85", "72", "60"))
    assert counts(d) == [0, 1, 5, 1, 0]


def test_everyone_equal_shares_the_best_grade_with_room():
    d = distribute(population(*["80"] * 7))
    assert counts(d) == [0, 7, 0, 0, 0]


def test_input_order_does_not_matter():
    people = population("95", "95", "88", "85", "80", "72", "60", "60", "59", "58", "50", "49")
    shuffled = people[:]
    random.Random(7).shuffle(shuffled)
    assert distribute(shuffled) == distribute(people)


def test_a_person_appears_once():
    with pytest.raises(AppraisalInputError) as excinfo:
        distribute([Candidate("x", D(1)), Candidate("x", D(2))])
    assert excinfo.value.input_name == "candidates[1].person_id"


# -- calibration ---------------------------------------------------------------

TWENTY = distribute(population(*[str(100 - i) for i in range(20)]))  # p01 A, p02-05 B, …


def test_calibration_swaps_people_within_the_quotas():
    moves = [
        Move("p05", B, C, "score inflated by a one-off project"),
        Move("p06", C, B, "led the migration"),
    ]
    calibrated = calibrate(TWENTY, moves)
    assert grades(calibrated)["p05"] is C
    assert grades(calibrated)["p06"] is B
    p06 = next(p for p in calibrated.placements if p.person_id == "p06")
    assert (p06.distributed_grade, p06.calibration_reason) == (C, "led the migration")
    assert counts(calibrated) == counts(TWENTY) == [1, 4, 10, 4, 1]
    assert grades(TWENTY)["p05"] is B  # the original is untouched


def test_calibration_that_overfills_a_grade_is_refused_whole():
    moves = [Move("p19", DD, C, "fine"), Move("p06", C, B, "led the migration")]
    with pytest.raises(CalibrationRefused, match="grade B would hold 5 people") as excinfo:
        calibrate(TWENTY, moves)
    assert excinfo.value.input_name == "moves"


def test_calibration_may_undo_a_tie_but_not_overfill_the_tied_grade():
    tied = distribute(population("95", "95", "88", "85", "80", "72", "60"))  # B 2, C 4
    undone = calibrate(tied, [Move("p02", B, C, "the tie broken on attendance")])
    assert counts(undone) == [0, 1, 5, 1, 0]
    with pytest.raises(CalibrationRefused, match="grade B would hold 3"):
        calibrate(tied, [Move("p03", C, B, "close to the top")])
    with pytest.raises(CalibrationRefused, match="grade C would hold 6"):
        calibrate(undone, [Move("p07", DD, C, "mitigating circumstances")])


def test_a_grade_a_tie_enlarged_may_stay_enlarged_through_a_swap():
    tied = distribute(population("95", "95", "88", "85", "80", "72", "60"))  # B 2 > quota 1
    swapped = calibrate(tied, [Move("p02", B, C, "r"), Move("p03", C, B, "r")])
    assert counts(swapped) == [0, 2, 4, 1, 0]
    assert grades(swapped)["p03"] is B


def test_successive_calibrations_keep_the_original_limits():
    once = calibrate(TWENTY, [Move("p05", B, C, "r"), Move("p06", C, B, "r")])
    twice = calibrate(once, [Move("p05", C, B, "appeal"), Move("p06", B, C, "appeal")])
    assert grades(twice) == grades(TWENTY)
    assert twice.allowed == TWENTY.allowed


@pytest.mark.parametrize(
    ("moves", "name"),
    [
        ([Move("p05", B, C, "  ")], "moves[0].reason"),
        ([Move("nobody", B, C, "r")], "moves[0].person_id"),
        ([Move("p05", C, DD, "r")], "moves[0].from_grade"),  # p05 is B: a stale move
        ([Move("p05", B, B, "r")], "moves[0].to_grade"),
        ([Move("p05", B, C, "r"), Move("p05", B, A, "r")], "moves[1].person_id"),
    ],
)
def test_calibration_moves_are_checked(moves: list[Move], name: str):
    with pytest.raises(CalibrationRefused) as excinfo:
        calibrate(TWENTY, moves)
    assert excinfo.value.input_name == name
