"""An appraisal result: sections, weights, incidents and bonuses → total, coefficient, grade.

Seed 004 §7 with DOMAIN.md §4.1 and §4.3:

- a section's score is ``Σ item scores / Σ item points × 100`` (0–100, more
  only when a capped ratio pays over the points);
- ``total = Σ section weight % × section score − confirmed incident deductions
  + confirmed bonus additions``; unconfirmed incidents and bonuses are listed
  in the explanation but count nothing;
- ``coefficient = total / full score`` (绩效系数);
- the grade A–E follows bands on the coefficient as a percentage of the full
  score, by default A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, E below: the default a
  center configures (`GradeBands`), not a rule of the seeds.

Choices where the seeds are silent:

- Everything is exact until the end; the total is then rounded once to 2
  decimals and the coefficient (from the exact total) to 4, both half-up
  (`scoring.round_score`, `scoring.round_coefficient`). The grade is read from
  the rounded coefficient, so it always agrees with the total people see.
- An item without a score (a 360 item nobody rated) leaves its section: its
  points leave the denominator, as a missing 360 group's weight does — never a
  silent zero. A section weighted above 0 with no scored item has no score,
  and the result cannot be computed (`UnscoredSection`).
- Deductions never take the total below 0 (a negative coefficient would claw
  back pay, which the seeds do not provide for); the floor shows in the
  explanation. Bonuses may lift the total above the full score; pay applies
  its own cap.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from services.appraisal.domain.scoring import (
    HUNDRED,
    AppraisalInputError,
    require_finite,
    require_points,
    round_coefficient,
    round_score,
)
from services.org.domain.model import PositionType

__all__ = [
    "BEHAVIOUR_ATTITUDE",
    "DEFAULT_GRADE_BANDS",
    "KPI",
    "MANAGEMENT_ABILITY",
    "SEED_004_KPI_AND_WORK_GOALS",
    "WORK_GOALS",
    "Adjustment",
    "AdjustmentKind",
    "AppraisalResult",
    "Contribution",
    "ContributionKind",
    "Grade",
    "GradeBands",
    "ItemScore",
    "SectionOutcome",
    "SectionScores",
    "UnscoredSection",
    "WeightsDoNotAddUp",
    "compute_result",
    "seed_004_section_weights",
    "validate_weights",
]

_ZERO = Decimal(0)

# Section codes of seed 004's form (as in templates.SEED_004_DEFAULT).
KPI = "kpi"  # 关键业绩指标
WORK_GOALS = "work_goals"  # 工作目标
BEHAVIOUR_ATTITUDE = "behaviour_attitude"  # 工作行为与态度
MANAGEMENT_ABILITY = "management_ability"  # 管理行为与能力

SEED_004_KPI_AND_WORK_GOALS = Decimal(80)
"""KPI and work goals together weigh 80 %; the assessor splits it per appraisal."""


class Grade(StrEnum):
    """Five grades, best first (seed 004 §7)."""

    A = "A"  # 优秀 excellent
    B = "B"  # 良好 good
    C = "C"  # 称职 competent
    D = "D"  # 基本称职 basically competent
    E = "E"  # 不称职 not competent

    @property
    def rank(self) -> int:
        """5 for A down to 1 for E: a higher rank is a better grade."""
        return 5 - list(Grade).index(self)


class WeightsDoNotAddUp(AppraisalInputError):
    """Weights of a form or of a section's items do not add up to 100."""


class UnscoredSection(AppraisalInputError):
    """A section that carries weight has no scored item, so there is no total yet."""


def validate_weights(weights: Mapping[str, Decimal], *, section: str | None = None) -> None:
    """Check that weights are not negative and add up to 100.

    Without `section` these are section weights (``{"kpi": 50, …}``) and the
    error lists every section with its weight; with `section` they are the
    item weights inside that section and the error names it
    (``sections[kpi].weights``).
    """
    where = "sections" if section is None else f"sections[{section}].weights"
    for name, weight in weights.items():
        if require_finite(f"{where}[{name}]", weight) < 0:
            raise WeightsDoNotAddUp(f"{where}[{name}]", f"weight {weight} is negative")
    total = sum(weights.values(), _ZERO)
    if total != HUNDRED:
        parts = ", ".join(f"{name} {weight}" for name, weight in weights.items()) or "none"
        owner = "section weights" if section is None else f"item weights of section {section!r}"
        raise WeightsDoNotAddUp(where, f"{owner} ({parts}) add up to {total}, not 100")


def seed_004_section_weights(
    position_type: PositionType, *, kpi_weight: Decimal
) -> dict[str, Decimal]:
    """Seed 004's section weights, with the assessor's share of the 80 % for KPIs.

    Management 80/10/10 (KPI + work goals, behaviour and attitude, management
    ability); non-management 80/20/0. Work goals get ``80 − kpi_weight``.
    """
    if not 0 <= require_finite("kpi_weight", kpi_weight) <= SEED_004_KPI_AND_WORK_GOALS:
        raise AppraisalInputError(
            "kpi_weight", f"must be between 0 and {SEED_004_KPI_AND_WORK_GOALS}, got {kpi_weight}"
        )
    management = position_type is PositionType.MANAGEMENT
    return {
        KPI: kpi_weight,
        WORK_GOALS: SEED_004_KPI_AND_WORK_GOALS - kpi_weight,
        BEHAVIOUR_ATTITUDE: Decimal(10) if management else Decimal(20),
        MANAGEMENT_ABILITY: Decimal(10) if management else _ZERO,
    }


@dataclass(frozen=True, slots=True)
class ItemScore:
    """An item's score out of its points; None when it has none (e.g. no 360 rater)."""

    name: str
    points: Decimal
    score: Decimal | None

    def __post_init__(self) -> None:
        require_points(self.points, f"{self.name}.points")
        if self.score is not None and require_finite(self.name, self.score) < 0:
            raise AppraisalInputError(self.name, f"score {self.score} is negative")


@dataclass(frozen=True, slots=True)
class SectionScores:
    """A weighted section (KPI, work goals, 德, 能 …): its weight in percent and its items."""

    name: str
    weight: Decimal
    items: tuple[ItemScore, ...]

    @property
    def score(self) -> Decimal | None:
        """Σ scores / Σ points × 100 over the scored items; None if none is scored."""
        scored = [i for i in self.items if i.score is not None]
        points = sum((i.points for i in scored), _ZERO)
        if not scored:
            return None
        return sum((i.score for i in scored if i.score is not None), _ZERO) * HUNDRED / points


class AdjustmentKind(StrEnum):
    INCIDENT = "incident"  # 不良事故: deducts once a reviewer confirms it
    BONUS = "bonus"  # 加分项: adds once the supervisor confirms it


@dataclass(frozen=True, slots=True)
class Adjustment:
    """An incident or bonus record; `points` is its size (always positive), counted if confirmed."""

    kind: AdjustmentKind
    name: str
    points: Decimal
    confirmed: bool

    def __post_init__(self) -> None:
        if require_finite(self.name, self.points) <= 0:
            raise AppraisalInputError(self.name, f"points must be more than 0, got {self.points}")


@dataclass(frozen=True, slots=True)
class GradeBands:
    """Lowest coefficient percentage for each grade; E is everything below `d`.

    The defaults (90/80/70/60) are this product's; a center configures its own.
    """

    a: Decimal = Decimal(90)
    b: Decimal = Decimal(80)
    c: Decimal = Decimal(70)
    d: Decimal = Decimal(60)

    def __post_init__(self) -> None:
        bounds = {"a": self.a, "b": self.b, "c": self.c, "d": self.d}
        for name, bound in bounds.items():
            require_finite(f"bands.{name}", bound)
        ordered = list(bounds.items())
        for (better, high), (worse, low) in itertools.pairwise(ordered):
            if low >= high:
                raise AppraisalInputError(
                    f"bands.{worse}", f"{low} must be below the {better.upper()} bound {high}"
                )

    def grade(self, percent: Decimal) -> Grade:
        for grade, bound in ((Grade.A, self.a), (Grade.B, self.b), (Grade.C, self.c)):
            if percent >= bound:
                return grade
        return Grade.D if percent >= self.d else Grade.E


DEFAULT_GRADE_BANDS = GradeBands()


class ContributionKind(StrEnum):
    ITEM = "item"
    INCIDENT = "incident"
    BONUS = "bonus"
    FLOOR = "floor"


@dataclass(frozen=True, slots=True)
class Contribution:
    """One line of the explanation: what it adds to the exact total, and why.

    An item adds ``section weight × item score / Σ scored points of its section``
    (its share of the section's weighted score). The counted amounts add up to
    the exact total; unscored items and unconfirmed records add 0.
    """

    kind: ContributionKind
    section: str | None
    name: str
    amount: Decimal
    counted: bool
    detail: str


@dataclass(frozen=True, slots=True)
class SectionOutcome:
    name: str
    weight: Decimal
    score: Decimal | None
    weighted: Decimal
    """weight % × score: what the section adds to the total."""


@dataclass(frozen=True, slots=True)
class AppraisalResult:
    sections: tuple[SectionOutcome, ...]
    explanation: tuple[Contribution, ...]
    exact_total: Decimal
    total: Decimal
    """Rounded to 2 decimals, half-up: what the employee and assessor sign."""
    full_score: Decimal
    coefficient: Decimal
    """exact total / full score, rounded to 4 decimals, half-up."""
    grade: Grade


def compute_result(
    sections: Sequence[SectionScores],
    adjustments: Sequence[Adjustment] = (),
    *,
    full_score: Decimal = HUNDRED,
    bands: GradeBands = DEFAULT_GRADE_BANDS,
) -> AppraisalResult:
    """Total, coefficient, grade and a line for every contribution."""
    if require_finite("full_score", full_score) <= 0:
        raise AppraisalInputError("full_score", f"must be more than 0, got {full_score}")
    names = [s.name for s in sections]
    for name in names:
        if names.count(name) > 1:
            raise AppraisalInputError(f"sections[{name}]", "section appears more than once")
    validate_weights({s.name: s.weight for s in sections})

    outcomes: list[SectionOutcome] = []
    lines: list[Contribution] = []
    for section in sections:
        outcome, section_lines = _section(section)
        outcomes.append(outcome)
        lines.extend(section_lines)
    for adjustment in adjustments:
        lines.append(_adjustment(adjustment))

    raw_total = sum((c.amount for c in lines if c.counted), _ZERO)
    if raw_total < 0:
        lines.append(
            Contribution(
                ContributionKind.FLOOR,
                None,
                "floor at 0",
                -raw_total,
                True,
                f"deductions took the total to {raw_total}; a total is never below 0",
            )
        )
    exact_total = max(raw_total, _ZERO)
    coefficient = round_coefficient(exact_total / full_score)
    return AppraisalResult(
        sections=tuple(outcomes),
        explanation=tuple(lines),
        exact_total=exact_total,
        total=round_score(exact_total),
        full_score=full_score,
        coefficient=coefficient,
        grade=bands.grade(coefficient * HUNDRED),
    )


def _section(section: SectionScores) -> tuple[SectionOutcome, list[Contribution]]:
    score = section.score
    if score is None and section.weight > 0:
        raise UnscoredSection(
            f"sections[{section.name}]", f"weighs {section.weight} % but has no scored item"
        )
    scored_points = sum((i.points for i in section.items if i.score is not None), _ZERO)
    lines = []
    for item in section.items:
        if item.score is None:
            lines.append(
                Contribution(
                    ContributionKind.ITEM,
                    section.name,
                    item.name,
                    _ZERO,
                    False,
                    f"not scored; its {item.points} points leave the section",
                )
            )
            continue
        lines.append(
            Contribution(
                ContributionKind.ITEM,
                section.name,
                item.name,
                section.weight * item.score / scored_points,
                True,
                f"{item.score} of {item.points} points; section weight {section.weight} %, "
                f"{scored_points} scored points in the section",
            )
        )
    weighted = _ZERO if score is None else section.weight * score / HUNDRED
    return SectionOutcome(section.name, section.weight, score, weighted), lines


def _adjustment(adjustment: Adjustment) -> Contribution:
    incident = adjustment.kind is AdjustmentKind.INCIDENT
    kind = ContributionKind.INCIDENT if incident else ContributionKind.BONUS
    signed = -adjustment.points if incident else adjustment.points
    if not adjustment.confirmed:
        return Contribution(kind, None, adjustment.name, _ZERO, False, "not confirmed: not counted")
    verb = "deducts" if incident else "adds"
    return Contribution(
        kind, None, adjustment.name, signed, True, f"confirmed; {verb} {adjustment.points}"
    )
