"""Department scorecards (seed 000 §7.3): KPI scores against targets, weighted.

A department owns some KPIs, each with a weight (the weights add up to 100) and
its own target (complaint rate ≤ 1‰ for operations management, ≤ 4‰ for field
service). Each KPI scores 0–100 against its target:

- higher is better: ``min(value / target, 1) × 100`` (a target of 0 is met by any value);
- lower is better: 100 when ``value ≤ target``, else ``target / value × 100``
  (a target of 0 scores 0 for any value above it).

A KPI without a value (no data in the period) has no score; the department score
is then the weighted mean of the KPIs that have one — the missing weight is
spread over the others, never counted as a silent zero — and ``None`` when no
KPI has a value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.metrics.domain.catalog import Direction

FULL_SCORE = 100.0


def kpi_score(value: float | None, target: float, direction: Direction) -> float | None:
    if value is None:
        return None
    if direction is Direction.HIGHER_BETTER:
        if target <= 0:
            return FULL_SCORE
        return min(value / target, 1.0) * FULL_SCORE
    if value <= target:
        return FULL_SCORE
    if target <= 0:
        return 0.0
    return target / value * FULL_SCORE


@dataclass(frozen=True)
class WeightedScore:
    score: float | None
    weight: float


def weighted_score(items: Iterable[WeightedScore]) -> float | None:
    scored = [i for i in items if i.score is not None]
    total_weight = sum(i.weight for i in scored)
    if not scored or total_weight <= 0:
        return None
    return sum(i.score * i.weight for i in scored if i.score is not None) / total_weight
