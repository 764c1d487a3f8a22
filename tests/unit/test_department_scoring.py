from __future__ import annotations

import pytest

from services.metrics.domain.catalog import Direction
from services.metrics.domain.scoring import WeightedScore, kpi_score, weighted_score

HIGHER, LOWER = Direction.HIGHER_BETTER, Direction.LOWER_BETTER


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (72.0, 80.0, HIGHER, 90.0),  # 72 / 80 of the service-level target
        (95.0, 80.0, HIGHER, 100.0),  # beating the target scores full, not more
        (0.8, 1.0, LOWER, 100.0),  # complaint rate 0.8‰ within ≤ 1‰
        (4.0, 1.0, LOWER, 25.0),  # 4‰ against ≤ 1‰: 1 / 4
        (4.0, 4.0, LOWER, 100.0),  # the same 4‰ meets field service's ≤ 4‰
        (0.5, 0.0, LOWER, 0.0),  # a zero target is missed by any value above it
        (3.0, 0.0, HIGHER, 100.0),
        (None, 80.0, HIGHER, None),  # no data, no score
    ],
)
def test_kpi_score_against_the_target(
    value: float | None, target: float, direction: Direction, expected: float | None
) -> None:
    assert kpi_score(value, target, direction) == (
        pytest.approx(expected) if expected is not None else None
    )


def test_department_score_is_the_weighted_mean_of_kpi_scores() -> None:
    # 60 × 90 + 40 × 25 = 6,400 over 100 weight.
    items = [WeightedScore(90.0, 60), WeightedScore(25.0, 40)]
    assert weighted_score(items) == pytest.approx(64.0)


def test_a_kpi_without_data_spreads_its_weight_instead_of_scoring_zero() -> None:
    items = [WeightedScore(90.0, 60), WeightedScore(None, 40)]
    assert weighted_score(items) == pytest.approx(90.0)
    assert weighted_score([WeightedScore(None, 100)]) is None
