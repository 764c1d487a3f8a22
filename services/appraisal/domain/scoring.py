"""Scoring methods for appraisal items (DOMAIN.md §4.1), and the one rounding rule.

An item has points (its most, or its most before a cap) and a method that turns
what happened into a score. Every method is ``score(points, …) -> Decimal`` and
rejects bad input with an `AppraisalInputError` naming the input, which is a
`ValueError` and maps to INVALID_ARGUMENT with a field violation.

Scores stay exact Decimals while they are computed (item, section, total):
multiplications come before divisions and nothing is rounded on the way.
Rounding happens once, when a result is reported (`results.compute_result`):
`round_score` (2 decimals, half-up) for the total people see and sign,
`round_coefficient` (4 decimals, half-up) for the coefficient that grades,
consequences and pay read.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType

from services.common.errors import FieldViolation, InvalidArgument

__all__ = [
    "DEFAULT_360_WEIGHTS",
    "AppraisalInputError",
    "Direction",
    "LinearBetween",
    "Rated",
    "RaterGroupScore",
    "RaterRole",
    "RatioToTarget",
    "Rubric",
    "StepBand",
    "StepBands",
    "ThreeSixty",
    "ThreeSixtyScore",
    "round_coefficient",
    "round_score",
]

HUNDRED = Decimal(100)
SCORE_QUANTUM = Decimal("0.01")
COEFFICIENT_QUANTUM = Decimal("0.0001")


class AppraisalInputError(InvalidArgument, ValueError):
    """Bad input to an appraisal rule; `input_name` says which (e.g. ``target``)."""

    def __init__(self, input_name: str, description: str) -> None:
        super().__init__([FieldViolation(input_name, description)])
        self.input_name = input_name


def round_score(value: Decimal) -> Decimal:
    """A score as people see it: 2 decimals, halves up (87.345 → 87.35)."""
    return value.quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)


def round_coefficient(value: Decimal) -> Decimal:
    """A performance coefficient: 4 decimals, halves up (0.87345 → 0.8735)."""
    return value.quantize(COEFFICIENT_QUANTUM, rounding=ROUND_HALF_UP)


def require_finite(name: str, value: Decimal) -> Decimal:
    if not value.is_finite():
        raise AppraisalInputError(name, f"must be a finite number, got {value}")
    return value


def require_points(points: Decimal, name: str = "points") -> Decimal:
    if require_finite(name, points) <= 0:
        raise AppraisalInputError(name, f"must be more than 0, got {points}")
    return points


def _require_within_points(name: str, value: Decimal, points: Decimal) -> Decimal:
    if not 0 <= require_finite(name, value) <= points:
        raise AppraisalInputError(name, f"must be between 0 and {points} points, got {value}")
    return value


class Direction(StrEnum):
    """Which way a KPI is better; the value is what templates store."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


@dataclass(frozen=True, slots=True)
class RatioToTarget:
    """``actual / target × points`` (lower is better: ``target / actual``), capped.

    The cap is a multiple of the points: 1 means no credit beyond the target,
    1.2 allows 20 % over-achievement. The target must be above 0 (a ratio to a
    zero target means nothing; use `StepBands` or `LinearBetween` for "zero
    complaints"). Lower is better with an actual of 0 beats any target: the cap.
    """

    cap: Decimal = Decimal(1)
    direction: Direction = Direction.HIGHER_IS_BETTER

    def __post_init__(self) -> None:
        if require_finite("cap", self.cap) < 1:
            raise AppraisalInputError("cap", f"must be at least 1 (× points), got {self.cap}")

    def score(self, points: Decimal, *, actual: Decimal, target: Decimal) -> Decimal:
        require_points(points)
        if require_finite("actual", actual) < 0:
            raise AppraisalInputError("actual", f"must not be negative, got {actual}")
        if require_finite("target", target) <= 0:
            raise AppraisalInputError("target", f"must be more than 0, got {target}")
        ceiling = self.cap * points
        if self.direction is Direction.HIGHER_IS_BETTER:
            return min(actual * points / target, ceiling)
        if actual == 0:
            return ceiling
        return min(target * points / actual, ceiling)


@dataclass(frozen=True, slots=True)
class LinearBetween:
    """0 at or beyond the floor, full points at or beyond the target, linear between.

    The direction follows from the two values: a target above the floor means
    higher is better (floor 60 %, target 80 %), below it lower is better
    (floor 20 s, target 10 s).
    """

    floor: Decimal
    target: Decimal

    def __post_init__(self) -> None:
        require_finite("floor", self.floor)
        if require_finite("target", self.target) == self.floor:
            raise AppraisalInputError("target", f"must differ from the floor ({self.floor})")

    def score(self, points: Decimal, *, actual: Decimal) -> Decimal:
        require_points(points)
        raw = (require_finite("actual", actual) - self.floor) * points / (self.target - self.floor)
        return min(max(raw, Decimal(0)), points)


@dataclass(frozen=True, slots=True)
class StepBand:
    """Reaching `threshold` (≤ it when lower is better, ≥ it when higher) earns `fraction`."""

    threshold: Decimal
    fraction: Decimal


@dataclass(frozen=True, slots=True)
class StepBands:
    """The best band reached pays its fraction of the points; no band reached pays 0.

    Thresholds are inclusive and in the unit of the actual value (complaint rate
    in ‰: ``≤ 1`` full points, ``≤ 2`` 80 %, else 0). Bands may be given in any
    order; they are kept best first, and a worse band may not pay more.
    """

    bands: tuple[StepBand, ...]
    direction: Direction = Direction.LOWER_IS_BETTER

    def __post_init__(self) -> None:
        if not self.bands:
            raise AppraisalInputError("bands", "at least one band is needed")
        seen: set[Decimal] = set()
        for i, band in enumerate(self.bands):
            require_finite(f"bands[{i}].threshold", band.threshold)
            if band.threshold in seen:
                raise AppraisalInputError(f"bands[{i}].threshold", f"{band.threshold} repeats")
            seen.add(band.threshold)
            if not 0 <= require_finite(f"bands[{i}].fraction", band.fraction) <= 1:
                raise AppraisalInputError(
                    f"bands[{i}].fraction", f"must be between 0 and 1, got {band.fraction}"
                )
        best_first = tuple(
            sorted(
                self.bands,
                key=lambda b: b.threshold,
                reverse=self.direction is Direction.HIGHER_IS_BETTER,
            )
        )
        for better, worse in itertools.pairwise(best_first):
            if worse.fraction > better.fraction:
                raise AppraisalInputError(
                    f"bands[{self.bands.index(worse)}].fraction",
                    f"the band at {worse.threshold} pays {worse.fraction}, more than "
                    f"the better band at {better.threshold} ({better.fraction})",
                )
        object.__setattr__(self, "bands", best_first)

    def score(self, points: Decimal, *, actual: Decimal) -> Decimal:
        require_points(points)
        require_finite("actual", actual)
        for band in self.bands:
            if self._reaches(actual, band.threshold):
                return band.fraction * points
        return Decimal(0)

    def _reaches(self, actual: Decimal, threshold: Decimal) -> bool:
        if self.direction is Direction.LOWER_IS_BETTER:
            return actual <= threshold
        return actual >= threshold


@dataclass(frozen=True, slots=True)
class Rubric:
    """The assessor picks one of the allowed levels (e.g. 5 / 2 / 0 points)."""

    allowed_scores: frozenset[Decimal]

    def __post_init__(self) -> None:
        levels = frozenset(self.allowed_scores)
        if not levels:
            raise AppraisalInputError("allowed_scores", "at least one level is needed")
        for level in levels:
            if require_finite("allowed_scores", level) < 0:
                raise AppraisalInputError("allowed_scores", f"{level} is negative")
        object.__setattr__(self, "allowed_scores", levels)

    def score(self, points: Decimal, *, chosen: Decimal) -> Decimal:
        require_points(points)
        top = max(self.allowed_scores)
        if top > points:
            raise AppraisalInputError(
                "allowed_scores", f"level {top} is above the item's {points} points"
            )
        if require_finite("chosen", chosen) not in self.allowed_scores:
            levels = " / ".join(str(s) for s in sorted(self.allowed_scores, reverse=True))
            raise AppraisalInputError("chosen", f"{chosen} is not one of the levels {levels}")
        return chosen


@dataclass(frozen=True, slots=True)
class Rated:
    """The employee scores themself, then the supervisor reviews: the review counts.

    Both scores lie between 0 and the item's points; `check_self` validates a
    self-assessment when it is submitted, before any review exists.
    """

    def check_self(self, points: Decimal, self_score: Decimal) -> Decimal:
        require_points(points)
        return _require_within_points("self_score", self_score, points)

    def score(self, points: Decimal, *, self_score: Decimal, review_score: Decimal) -> Decimal:
        self.check_self(points, self_score)
        return _require_within_points("review_score", review_score, points)


class RaterRole(StrEnum):
    """Who rates management behaviour in a 360 (seed 004 part 4); values as templates.RaterGroup."""

    SELF = "self"  # 自评
    SUBORDINATES = "subordinates"  # 下级评分
    PEERS = "peers"  # 同级 (not in seed 004's default weights)
    SUPERVISOR = "supervisor"  # 上级主管评分


DEFAULT_360_WEIGHTS: Mapping[RaterRole, Decimal] = MappingProxyType(
    {
        RaterRole.SELF: Decimal(20),
        RaterRole.SUBORDINATES: Decimal(20),
        RaterRole.SUPERVISOR: Decimal(60),
    }
)
"""Seed 004: 20 % self + 20 % subordinates + 60 % supervisor."""


@dataclass(frozen=True, slots=True)
class RaterGroupScore:
    """One rater group: its mean rating, configured weight and weight after re-normalising."""

    role: RaterRole
    raters: int
    mean: Decimal
    weight: Decimal
    effective_weight: Decimal


@dataclass(frozen=True, slots=True)
class ThreeSixtyScore:
    score: Decimal
    groups: tuple[RaterGroupScore, ...]
    missing: tuple[RaterRole, ...]
    """Groups with a weight but no rating; their weight went to the others."""


@dataclass(frozen=True, slots=True)
class ThreeSixty:
    """Raters by role; each group's mean, weighted by the group's weight (percent, adding to 100).

    A group without any rating is missing: its weight is spread over the groups
    that rated, in proportion to their weights (self 8 and supervisor 7 without
    subordinates: (20 × 8 + 60 × 7) / 80 = 7.25), never counted as a zero.
    With no rated group that carries weight there is no score: ``None``.
    Every rating lies between 0 and the item's points.
    """

    weights: Mapping[RaterRole, Decimal] = field(default_factory=lambda: DEFAULT_360_WEIGHTS)

    def __post_init__(self) -> None:
        weights = dict(self.weights)
        for role, weight in weights.items():
            if require_finite(f"weights[{role}]", weight) < 0:
                raise AppraisalInputError(f"weights[{role}]", f"must not be negative, got {weight}")
        total = sum(weights.values(), Decimal(0))
        if total != HUNDRED:
            raise AppraisalInputError("weights", f"rater weights add up to {total}, not 100")
        object.__setattr__(self, "weights", MappingProxyType(weights))

    def assess(
        self, points: Decimal, ratings: Mapping[RaterRole, Sequence[Decimal]]
    ) -> ThreeSixtyScore | None:
        require_points(points)
        for role, given in ratings.items():
            if role not in self.weights:
                raise AppraisalInputError(f"ratings[{role}]", "no weight for this rater group")
            for i, rating in enumerate(given):
                _require_within_points(f"ratings[{role}][{i}]", rating, points)
        rated = [r for r in self.weights if ratings.get(r)]
        rated_weight = sum((self.weights[r] for r in rated), Decimal(0))
        if rated_weight == 0:
            return None
        weighted = sum(
            (self.weights[r] * _total(ratings[r]) / len(ratings[r]) for r in rated), Decimal(0)
        )
        groups = tuple(
            RaterGroupScore(
                role=r,
                raters=len(ratings[r]),
                mean=_total(ratings[r]) / len(ratings[r]),
                weight=self.weights[r],
                effective_weight=self.weights[r] * HUNDRED / rated_weight,
            )
            for r in rated
        )
        missing = tuple(r for r in self.weights if r not in rated and self.weights[r] > 0)
        return ThreeSixtyScore(score=weighted / rated_weight, groups=groups, missing=missing)

    def score(
        self, points: Decimal, ratings: Mapping[RaterRole, Sequence[Decimal]]
    ) -> Decimal | None:
        assessed = self.assess(points, ratings)
        return None if assessed is None else assessed.score


def _total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))
