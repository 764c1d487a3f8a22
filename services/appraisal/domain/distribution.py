"""Annual forced distribution of grades (强迫分配, seed 004 §7) and HR calibration.

Within a population (a department or the center) the annual grades follow
shares: A 5 %, B 20 %, C 50 %, D 20 %, E 5 %, best scores first.

Rules this module chooses where the seed is silent:

- **Rounding quotas.** Every grade but C gets ``population × share`` rounded
  to the nearest whole person, an exact half rounded down; C, the middle
  grade, takes the rest. Equal shares give equal quotas (A = E, B = D), so
  rounding never tilts a small population towards better or worse grades,
  and the middle absorbs what rounding leaves. A and E are 0 below 11 people
  (10 × 5 % = 0.5 rounds down): 7 people are 0/1/5/1/0, 3 people 0/1/1/1/0.
- **Ties.** People with equal scores never get different grades: a tie across
  a grade boundary goes to the better grade, and the grades below shift, each
  ending where it would have ended without the tie (the next grade shrinks;
  it may become empty). Within a grade people are listed by score, then id.
- **Calibration.** HR moves named people between grades, each move with a
  reason, as one batch (so a swap is two moves). After the batch no grade may
  hold more people than its quota, or than the forced distribution gave it
  when a tie made it larger; otherwise the whole batch is refused and nothing
  moves. A move names the grade the person is in now, so a stale move is
  refused rather than applied to a changed distribution.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_DOWN, Decimal
from types import MappingProxyType

from services.appraisal.domain.results import Grade
from services.appraisal.domain.scoring import HUNDRED, AppraisalInputError, require_finite

__all__ = [
    "DEFAULT_SHARES",
    "CalibrationRefused",
    "Candidate",
    "Distribution",
    "Move",
    "Placement",
    "calibrate",
    "distribute",
    "quotas",
]

MIDDLE = Grade.C

DEFAULT_SHARES: Mapping[Grade, Decimal] = MappingProxyType(
    {
        Grade.A: Decimal(5),
        Grade.B: Decimal(20),
        Grade.C: Decimal(50),
        Grade.D: Decimal(20),
        Grade.E: Decimal(5),
    }
)
"""Seed 004 §7, in percent of the population."""


class CalibrationRefused(AppraisalInputError):
    """A calibration batch would break the quotas, or names a person or grade wrongly."""


def quotas(population: int, shares: Mapping[Grade, Decimal] = DEFAULT_SHARES) -> dict[Grade, int]:
    """How many people each grade holds, before ties (see the module's rounding rule)."""
    if population < 0:
        raise AppraisalInputError("population", f"must not be negative, got {population}")
    _check_shares(shares)
    counts = {
        g: int((population * shares[g] / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_DOWN))
        for g in Grade
        if g is not MIDDLE
    }
    rest = population - sum(counts.values())
    if rest < 0:
        raise AppraisalInputError(
            "shares", f"rounded quotas {counts} leave no room for {MIDDLE} in {population} people"
        )
    counts[MIDDLE] = rest
    return {g: counts[g] for g in Grade}


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: str
    score: Decimal
    """The annual score (or coefficient) that ranks the population."""


@dataclass(frozen=True, slots=True)
class Placement:
    person_id: str
    score: Decimal
    grade: Grade
    distributed_grade: Grade
    """The grade the forced distribution gave, before any calibration."""
    calibration_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Distribution:
    placements: tuple[Placement, ...]
    """Best score first; equal scores by person id."""
    quotas: Mapping[Grade, int]
    allowed: Mapping[Grade, int]
    """Most people a grade may hold after calibration: its quota, or more if a tie made it so."""

    def counts(self) -> dict[Grade, int]:
        return {g: sum(1 for p in self.placements if p.grade is g) for g in Grade}

    def grade_of(self, person_id: str) -> Grade:
        for placement in self.placements:
            if placement.person_id == person_id:
                return placement.grade
        raise KeyError(person_id)


def distribute(
    candidates: Sequence[Candidate], shares: Mapping[Grade, Decimal] = DEFAULT_SHARES
) -> Distribution:
    """Grade a population by its scores within the quotas, ties to the better grade."""
    seen: set[str] = set()
    for i, candidate in enumerate(candidates):
        if candidate.person_id in seen:
            raise AppraisalInputError(f"candidates[{i}].person_id", "appears more than once")
        seen.add(candidate.person_id)
        require_finite(f"candidates[{i}].score", candidate.score)
    ranked = sorted(candidates, key=lambda c: (-c.score, c.person_id))
    quota = quotas(len(ranked), shares)

    placements: list[Placement] = []
    start = 0
    target_end = 0
    for grade in Grade:
        target_end += quota[grade]
        end = max(target_end, start)
        # Extend over a tie that the boundary would split: the tie takes the better grade.
        while 0 < end < len(ranked) and ranked[end].score == ranked[end - 1].score:
            end += 1
        placements.extend(Placement(c.person_id, c.score, grade, grade) for c in ranked[start:end])
        start = end
    counts = {g: sum(1 for p in placements if p.grade is g) for g in Grade}
    return Distribution(
        placements=tuple(placements),
        quotas=MappingProxyType(quota),
        allowed=MappingProxyType({g: max(quota[g], counts[g]) for g in Grade}),
    )


@dataclass(frozen=True, slots=True)
class Move:
    person_id: str
    from_grade: Grade
    to_grade: Grade
    reason: str


def calibrate(distribution: Distribution, moves: Sequence[Move]) -> Distribution:
    """Apply HR's moves as one batch, or refuse them all (see the module's calibration rule)."""
    current = {p.person_id: p.grade for p in distribution.placements}
    moved: dict[str, Move] = {}
    for i, move in enumerate(moves):
        if not move.reason.strip():
            raise CalibrationRefused(f"moves[{i}].reason", "a calibration needs a reason")
        if move.person_id not in current:
            raise CalibrationRefused(
                f"moves[{i}].person_id", f"{move.person_id!r} is not in this population"
            )
        if move.person_id in moved:
            raise CalibrationRefused(
                f"moves[{i}].person_id", f"{move.person_id!r} is moved more than once"
            )
        if current[move.person_id] is not move.from_grade:
            raise CalibrationRefused(
                f"moves[{i}].from_grade",
                f"{move.person_id!r} is graded {current[move.person_id]}, not {move.from_grade}",
            )
        if move.to_grade is move.from_grade:
            raise CalibrationRefused(f"moves[{i}].to_grade", f"already {move.to_grade}")
        moved[move.person_id] = move

    placements = tuple(
        replace(p, grade=moved[p.person_id].to_grade, calibration_reason=moved[p.person_id].reason)
        if p.person_id in moved
        else p
        for p in distribution.placements
    )
    calibrated = replace(distribution, placements=placements)
    for grade, count in calibrated.counts().items():
        if count > distribution.allowed[grade]:
            raise CalibrationRefused(
                "moves",
                f"grade {grade} would hold {count} people, more than its "
                f"{distribution.allowed[grade]} (quota {distribution.quotas[grade]})",
            )
    return calibrated


def _check_shares(shares: Mapping[Grade, Decimal]) -> None:
    for grade in Grade:
        if grade not in shares:
            raise AppraisalInputError(f"shares[{grade}]", "every grade needs a share")
        if require_finite(f"shares[{grade}]", shares[grade]) < 0:
            raise AppraisalInputError(f"shares[{grade}]", f"{shares[grade]} is negative")
    total = sum((shares[g] for g in Grade), Decimal(0))
    if total != HUNDRED:
        raise AppraisalInputError("shares", f"shares add up to {total}, not 100")
