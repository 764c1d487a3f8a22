"""Adjustments: a figure payroll has taken is never rewritten (DOMAIN.md §5).

When a figure changes after payroll took it (an upheld appeal, a late
correction), the original line stays as it was and the difference becomes an
adjustment line in the next open period, referencing the original:
``original + adjustment.difference == recomputed``.

Choices where the seeds are silent:

- Both figures are rounded lines already (each went through the one rounding
  rule), so the difference is exact and needs no rounding of its own; an
  unrounded figure is refused. They must be in the same currency.
- The difference may be negative (pay clawed back in the next period) or 0;
  a zero adjustment is still returned (`AdjustmentLine.is_zero`), and the
  service decides whether to book it.
- The reference to the original is required: an adjustment that does not say
  what it adjusts cannot be explained.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.payroll_bridge.domain.errors import PayInputError
from services.payroll_bridge.domain.money import Money

__all__ = ["AdjustmentLine", "adjustment"]


@dataclass(frozen=True, slots=True)
class AdjustmentLine:
    """The difference between a figure payroll took and its recomputation."""

    original_reference: str
    """Which line it adjusts (e.g. the batch line's key or id)."""
    original: Money
    recomputed: Money
    difference: Money
    """recomputed − original; original + difference == recomputed."""
    reason: str

    @property
    def is_zero(self) -> bool:
        return self.difference.is_zero


def _require_rounded(name: str, value: object) -> Money:
    if not isinstance(value, Money):
        raise PayInputError(name, f"must be Money, got {type(value).__name__}")
    if not value.is_rounded:
        raise PayInputError(name, f"{value} is not rounded to {value.currency}'s minor unit")
    return value


def adjustment(
    original: Money, recomputed: Money, *, original_reference: str, reason: str = ""
) -> AdjustmentLine:
    """The adjustment that takes `original` (as payroll took it) to `recomputed`."""
    _require_rounded("original", original)
    _require_rounded("recomputed", recomputed)
    if not isinstance(original_reference, str) or not original_reference.strip():
        raise PayInputError("original_reference", "must name the line being adjusted")
    if recomputed.currency != original.currency:
        raise PayInputError(
            "recomputed.currency",
            f"{recomputed.currency} differs from the original's {original.currency}",
        )
    difference = (recomputed - original).rounded()  # exact already; rounding only normalises -0
    return AdjustmentLine(
        original_reference=original_reference,
        original=original,
        recomputed=recomputed,
        difference=difference,
        reason=reason,
    )
