"""The scoring engine for appraisal items (DOMAIN.md §4.1), and the one rounding rule.

An item has points (its most, or its most before a cap) and scoring parameters:
one frozen dataclass per `ScoringMethod`, each naming its method in the class
attribute ``method``. The parameters check themselves when they are built, and
each class scores with ``score(points, …) -> Decimal``:

- `RatioToTarget` (cap, direction): ``actual / target × points`` (lower is
  better: ``target / actual``), capped at ``cap × points``;
- `Linear` (floor): 0 at or beyond the floor, full points at or beyond the
  item's target, linear between; a target below the floor means lower is better;
- `StepBands` (bands of threshold and fraction, direction): the best band
  reached pays its fraction of the points, none reached pays 0;
- `Rubric` (levels of code, description and share): the chosen level pays
  ``share × points``;
- `Rated` (no parameters): self score, then supervisor review, in points; the
  review counts;
- `ThreeSixty` (weights per `RaterRole`): each rater group's mean, weighted,
  by default self 20 / subordinates 20 / supervisor 60.

A target is not a parameter: in a target sheet it lives on the item, so the
methods that need one (ratio to target, linear) take it when they score.
`params_to_dict` and `params_from_dict` turn parameters into JSON-safe data and
back. Bad input is refused with an `AppraisalInputError` naming the input,
which is a `ValueError` and maps to INVALID_ARGUMENT with a field violation;
`prefixed` puts those names under the caller's path (``items[3].scoring.cap``).

Scores stay exact Decimals while they are computed (item, section, total):
multiplications come before divisions and nothing is rounded on the way.
Rounding happens once, when a result is reported (`results.compute_result`):
`round_score` (2 decimals, half-up) for the total people see and sign,
`round_coefficient` (4 decimals, half-up) for the coefficient that grades,
consequences and pay read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, TypeAlias

from services.common.errors import FieldViolation, InvalidArgument

__all__ = [
    "DEFAULT_360_WEIGHTS",
    "HUNDRED",
    "AppraisalInputError",
    "Direction",
    "Linear",
    "Rated",
    "RaterGroupScore",
    "RaterRole",
    "RatioToTarget",
    "Rubric",
    "RubricLevel",
    "ScoringMethod",
    "ScoringParams",
    "StepBand",
    "StepBands",
    "ThreeSixty",
    "ThreeSixtyScore",
    "params_from_dict",
    "params_to_dict",
    "prefixed",
    "require_finite",
    "require_points",
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


def prefixed(error: InvalidArgument, prefix: str) -> InvalidArgument:
    """The same error with every field path put under `prefix` (``cap`` → ``items[3].cap``).

    An `AppraisalInputError` stays one, so callers that catch it still do.
    """

    def under(path: str) -> str:
        return f"{prefix}.{path}" if path else prefix

    if isinstance(error, AppraisalInputError) and len(error.violations) == 1:
        violation = error.violations[0]
        return AppraisalInputError(under(violation.field), violation.description)
    return InvalidArgument(FieldViolation(under(v.field), v.description) for v in error.violations)


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


class ScoringMethod(StrEnum):
    """How an item is scored; the value is what templates and target sheets store."""

    RATIO_TO_TARGET = "ratio_to_target"
    LINEAR = "linear"
    STEP_BANDS = "step_bands"
    RUBRIC = "rubric"
    RATED = "rated"
    THREE_SIXTY = "three_sixty"


class Direction(StrEnum):
    """Which way a KPI is better; the value is what templates store."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


@dataclass(frozen=True, slots=True)
class RatioToTarget:
    """``actual / target × points`` (lower is better: ``target / actual``), capped.

    The cap is a multiple of the points: 1 means no credit beyond the target,
    1.2 allows 20 % over-achievement. The target must be above 0 (a ratio to a
    zero target means nothing; use `StepBands` or `Linear` for "zero
    complaints"). Lower is better with an actual of 0 beats any target: the cap.
    """

    method: ClassVar[ScoringMethod] = ScoringMethod.RATIO_TO_TARGET
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
class Linear:
    """0 at or beyond the floor, full points at or beyond the target, linear between.

    The target is the item's, given when scoring. The direction follows from
    the two values: a target above the floor means higher is better (floor
    60 %, target 80 %), below it lower is better (floor 20 s, target 10 s). A
    target equal to the floor has no line between them and is refused.
    """

    method: ClassVar[ScoringMethod] = ScoringMethod.LINEAR
    floor: Decimal

    def __post_init__(self) -> None:
        require_finite("floor", self.floor)

    def score(self, points: Decimal, *, actual: Decimal, target: Decimal) -> Decimal:
        require_points(points)
        require_finite("actual", actual)
        if require_finite("target", target) == self.floor:
            raise AppraisalInputError("target", f"must differ from the floor ({self.floor})")
        raw = (actual - self.floor) * points / (target - self.floor)
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

    method: ClassVar[ScoringMethod] = ScoringMethod.STEP_BANDS
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
class RubricLevel:
    """One level the reviewer can pick: `code` is stored, `share` of the points is paid."""

    code: str
    description: str
    share: Decimal


@dataclass(frozen=True, slots=True)
class Rubric:
    """The reviewer picks one level by its code; it pays ``share × points``.

    At least one level; codes are non-empty and unique; shares lie between 0
    and 1. Levels keep the order given (the order a form shows them in).
    """

    method: ClassVar[ScoringMethod] = ScoringMethod.RUBRIC
    levels: tuple[RubricLevel, ...]

    def __post_init__(self) -> None:
        if not self.levels:
            raise AppraisalInputError("levels", "at least one level is needed")
        seen: set[str] = set()
        for i, level in enumerate(self.levels):
            if not level.code.strip():
                raise AppraisalInputError(f"levels[{i}].code", "a level needs a code")
            if level.code in seen:
                raise AppraisalInputError(f"levels[{i}].code", f"{level.code!r} repeats")
            seen.add(level.code)
            if not 0 <= require_finite(f"levels[{i}].share", level.share) <= 1:
                raise AppraisalInputError(
                    f"levels[{i}].share", f"must be between 0 and 1, got {level.share}"
                )

    def score(self, points: Decimal, *, level: str) -> Decimal:
        require_points(points)
        for candidate in self.levels:
            if candidate.code == level:
                return candidate.share * points
        codes = " / ".join(lv.code for lv in self.levels)
        raise AppraisalInputError("level", f"{level!r} is not one of the levels {codes}")


@dataclass(frozen=True, slots=True)
class Rated:
    """The employee scores themself, then the supervisor reviews: the review counts.

    Both scores lie between 0 and the item's points; `check_self` validates a
    self-assessment when it is submitted, before any review exists.
    """

    method: ClassVar[ScoringMethod] = ScoringMethod.RATED

    def check_self(self, points: Decimal, self_score: Decimal) -> Decimal:
        require_points(points)
        return _require_within_points("self_score", self_score, points)

    def score(self, points: Decimal, *, self_score: Decimal, review_score: Decimal) -> Decimal:
        self.check_self(points, self_score)
        return _require_within_points("review_score", review_score, points)


class RaterRole(StrEnum):
    """Who rates management behaviour in a 360 (seed 004 part 4); the value is stored."""

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
"""Seed 004 §4.4: 自评 20 % + 下级 20 % + 上级主管 60 %."""


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

    method: ClassVar[ScoringMethod] = ScoringMethod.THREE_SIXTY
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


ScoringParams: TypeAlias = RatioToTarget | Linear | StepBands | Rubric | Rated | ThreeSixty
"""The parameters of any one scoring method; ``params.method`` says which."""


# -- to and from JSON-safe data -------------------------------------------------


def params_to_dict(params: ScoringParams) -> dict[str, Any]:
    """JSON-safe data for `params`: Decimals as strings, enums as their values.

    Always has ``"method"``; `params_from_dict` turns it back into equal parameters.
    """
    data: dict[str, Any] = {"method": params.method.value}
    match params:
        case RatioToTarget(cap=cap, direction=direction):
            data.update(cap=str(cap), direction=direction.value)
        case Linear(floor=floor):
            data.update(floor=str(floor))
        case StepBands(bands=bands, direction=direction):
            data.update(
                bands=[{"threshold": str(b.threshold), "fraction": str(b.fraction)} for b in bands],
                direction=direction.value,
            )
        case Rubric(levels=levels):
            data.update(
                levels=[
                    {"code": lv.code, "description": lv.description, "share": str(lv.share)}
                    for lv in levels
                ]
            )
        case Rated():
            pass
        case ThreeSixty(weights=weights):
            data.update(weights={role.value: str(weight) for role, weight in weights.items()})
    return data


def params_from_dict(data: Mapping[str, Any]) -> ScoringParams:
    """The parameters `params_to_dict` wrote, checked as if built by hand.

    Numbers may be decimal strings, integers or (JSON) floats; fields with a
    default may be left out; unknown fields are refused. Every error is an
    `AppraisalInputError` named under ``scoring`` (``scoring.bands[1].fraction``).
    """
    try:
        return _params_from_dict(data)
    except AppraisalInputError as error:
        raise prefixed(error, "scoring") from None


_METHODS = " / ".join(m.value for m in ScoringMethod)


def _params_from_dict(data: Mapping[str, Any]) -> ScoringParams:
    if not isinstance(data, Mapping):
        raise AppraisalInputError("", f"must be an object, got {type(data).__name__}")
    raw_method = data.get("method")
    if raw_method is None:
        raise AppraisalInputError("method", f"is required; one of {_METHODS}")
    try:
        method = ScoringMethod(raw_method)
    except ValueError:
        raise AppraisalInputError(
            "method", f"{raw_method!r} is not a scoring method; one of {_METHODS}"
        ) from None
    reader, known = _READERS[method]
    for key in data:
        if key != "method" and key not in known:
            raise AppraisalInputError(str(key), f"is not a field of {method} scoring")
    return reader(data)


def _required(data: Mapping[str, Any], name: str, path: str) -> Any:
    if name not in data or data[name] is None:
        raise AppraisalInputError(path, "is required")
    return data[name]


def _decimal(path: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise AppraisalInputError(path, f'must be a number such as "0.8", got {value!r}')
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise AppraisalInputError(path, f"{value!r} is not a number") from None
    return require_finite(path, number)


def _string(path: str, value: object) -> str:
    if not isinstance(value, str):
        raise AppraisalInputError(path, f"must be a string, got {value!r}")
    return value


def _direction(data: Mapping[str, Any], default: Direction) -> Direction:
    raw = data.get("direction")
    if raw is None:
        return default
    try:
        return Direction(raw)
    except ValueError:
        options = " / ".join(d.value for d in Direction)
        raise AppraisalInputError("direction", f"{raw!r} is not one of {options}") from None


def _objects(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    raw = _required(data, name, name)
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        raise AppraisalInputError(name, f"must be a list, got {raw!r}")
    for i, entry in enumerate(raw):
        if not isinstance(entry, Mapping):
            raise AppraisalInputError(f"{name}[{i}]", f"must be an object, got {entry!r}")
    return list(raw)


def _ratio_from(data: Mapping[str, Any]) -> RatioToTarget:
    cap = _decimal("cap", data["cap"]) if data.get("cap") is not None else Decimal(1)
    return RatioToTarget(cap=cap, direction=_direction(data, Direction.HIGHER_IS_BETTER))


def _linear_from(data: Mapping[str, Any]) -> Linear:
    return Linear(floor=_decimal("floor", _required(data, "floor", "floor")))


def _bands_from(data: Mapping[str, Any]) -> StepBands:
    bands = tuple(
        StepBand(
            threshold=_decimal(
                f"bands[{i}].threshold", _required(b, "threshold", f"bands[{i}].threshold")
            ),
            fraction=_decimal(
                f"bands[{i}].fraction", _required(b, "fraction", f"bands[{i}].fraction")
            ),
        )
        for i, b in enumerate(_objects(data, "bands"))
    )
    return StepBands(bands, direction=_direction(data, Direction.LOWER_IS_BETTER))


def _rubric_from(data: Mapping[str, Any]) -> Rubric:
    levels = tuple(
        RubricLevel(
            code=_string(f"levels[{i}].code", _required(lv, "code", f"levels[{i}].code")),
            description=_string(f"levels[{i}].description", lv.get("description", "")),
            share=_decimal(f"levels[{i}].share", _required(lv, "share", f"levels[{i}].share")),
        )
        for i, lv in enumerate(_objects(data, "levels"))
    )
    return Rubric(levels)


def _rated_from(data: Mapping[str, Any]) -> Rated:
    return Rated()


def _three_sixty_from(data: Mapping[str, Any]) -> ThreeSixty:
    raw = data.get("weights")
    if raw is None:
        return ThreeSixty()
    if not isinstance(raw, Mapping):
        raise AppraisalInputError("weights", f"must be an object of role to weight, got {raw!r}")
    weights: dict[RaterRole, Decimal] = {}
    for key, value in raw.items():
        try:
            role = RaterRole(key)
        except ValueError:
            options = " / ".join(r.value for r in RaterRole)
            raise AppraisalInputError(
                f"weights[{key}]", f"{key!r} is not a rater role; one of {options}"
            ) from None
        weights[role] = _decimal(f"weights[{role}]", value)
    return ThreeSixty(weights)


_READERS: Mapping[
    ScoringMethod, tuple[Callable[[Mapping[str, Any]], ScoringParams], frozenset[str]]
] = MappingProxyType(
    {
        ScoringMethod.RATIO_TO_TARGET: (_ratio_from, frozenset({"cap", "direction"})),
        ScoringMethod.LINEAR: (_linear_from, frozenset({"floor"})),
        ScoringMethod.STEP_BANDS: (_bands_from, frozenset({"bands", "direction"})),
        ScoringMethod.RUBRIC: (_rubric_from, frozenset({"levels"})),
        ScoringMethod.RATED: (_rated_from, frozenset()),
        ScoringMethod.THREE_SIXTY: (_three_sixty_from, frozenset({"weights"})),
    }
)
