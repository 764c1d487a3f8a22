"""One appraisal's items → item scores → result (DOMAIN.md §4.1, seed 004 附件一).

This joins the template (sections and their weights for the position type),
the items with what was recorded for them (collected KPI values, self and
review scores, 360 ratings) and the incident and bonus records, and hands the
weighted sections to `results.compute_result`.

Weights inside a section are relative: an item counts ``weight × score /
points`` of the section, so a section scores ``Σ wᵢ·sᵢ/pᵢ / Σ wᵢ × 100``.
Target items carry the assessor's weights (adding up to 100); template items
carry their points as weight, which makes their section ``Σ sᵢ / Σ pᵢ × 100``.
An item that cannot be scored yet (no KPI value, no review, nobody rated)
leaves its section with its weight, as `results` documents — never a silent 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from services.appraisal.domain.results import (
    Adjustment,
    AdjustmentKind,
    AppraisalResult,
    GradeBands,
    ItemScore,
    SectionScores,
    compute_result,
)
from services.appraisal.domain.scoring import HUNDRED, RaterRole, ScoringParams
from services.appraisal.domain.templates import SectionKind, Template, score_item
from services.org.domain.model import PositionType

__all__ = ["ItemRecord", "ScoredItem", "evaluate", "score_items"]


@dataclass(frozen=True)
class ItemRecord:
    """An appraisal item with everything recorded for it."""

    section: str
    code: str
    weight: Decimal
    points: Decimal
    scoring: ScoringParams
    target: Decimal | None = None
    actual: Decimal | None = None
    self_score: Decimal | None = None
    review_score: Decimal | None = None
    review_level: str | None = None
    ratings: Mapping[RaterRole, Sequence[Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoredItem:
    record: ItemRecord
    score: Decimal | None
    unscored_reason: str = ""


def _reason(record: ItemRecord, kind: SectionKind) -> str:
    if kind is SectionKind.KPI and record.actual is None and record.review_level is None:
        return "no KPI value collected"
    if kind is SectionKind.THREE_SIXTY:
        return "no rater has rated"
    return "not reviewed yet"


def score_items(template: Template, records: Sequence[ItemRecord]) -> list[ScoredItem]:
    """Each item's score in points, or None with the reason."""
    scored = []
    for record in records:
        kind = template.section(record.section).kind
        score = score_item(
            record.scoring,
            record.points,
            actual=record.actual,
            target=record.target,
            self_score=record.self_score,
            review_score=record.review_score,
            level=record.review_level,
            ratings=record.ratings,
        )
        scored.append(ScoredItem(record, score, "" if score is not None else _reason(record, kind)))
    return scored


def evaluate(
    template: Template,
    position_type: PositionType,
    split: Mapping[str, Decimal],
    records: Sequence[ItemRecord],
    adjustments: Sequence[Adjustment],
    *,
    bands: GradeBands,
    full_score: Decimal = HUNDRED,
) -> tuple[list[ScoredItem], AppraisalResult]:
    """Score every item and compute the result; raises `UnscoredSection` when one is missing."""
    weights = template.section_weights(position_type, split)
    scored = score_items(template, records)
    sections = []
    for section in template.sections:
        if section.code not in weights:
            continue
        items = tuple(
            ItemScore(
                name=s.record.code,
                points=s.record.weight,
                score=None if s.score is None else s.score * s.record.weight / s.record.points,
            )
            for s in scored
            if s.record.section == section.code
        )
        sections.append(SectionScores(section.code, weights[section.code], items))
    result = compute_result(sections, adjustments, full_score=full_score, bands=bands)
    return scored, result


def adjustment(kind: str, item_code: str, points: Decimal, *, confirmed: bool) -> Adjustment:
    return Adjustment(AdjustmentKind(kind), item_code, points, confirmed)
