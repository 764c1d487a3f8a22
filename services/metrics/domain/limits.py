"""The values KPI arithmetic can use: one range per stored floating-point figure.

Validation refuses a value outside its range, and the rollups leave out a stored row
holding one (rows written before the range existed, or by hand), so a single value can
neither stop a rebuild nor reach a KPI. Besides finiteness and the bounds, a non-zero
value must be at least ``MIN_MAGNITUDE``: a subnormal such as 5e-324 is "in range" yet
dividing by it overflows (Postgres then refuses the whole day's aggregate), and no
contact-center figure is measured that finely (durations are seconds with at most
microseconds, staff and volumes are counts or fractions of them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "DURATION",
    "MAX_QA_ITEMS",
    "MAX_QA_ITEM_SCORE",
    "MIN_MAGNITUDE",
    "FloatRange",
]

MIN_MAGNITUDE = 1e-6
"""The smallest non-zero magnitude of any figure (a microsecond, a millionth of a person)."""

MAX_QA_ITEMS = 500
"""Scored items of one QA evaluation."""
MAX_QA_ITEM_SCORE = 10_000.0
"""The most one QA item may be worth (``max_score``)."""


@dataclass(frozen=True)
class FloatRange:
    """Finite values from ``low`` to ``high`` (inclusive), 0 or at least ``MIN_MAGNITUDE``."""

    low: float
    high: float

    def problem(self, value: float) -> str | None:
        """Why the value is unusable, or None."""
        if not math.isfinite(value):
            return "must be a finite number"
        if not self.low <= value <= self.high:
            return f"must be between {self.low:g} and {self.high:g}, got {value:g}"
        if value != 0.0 and abs(value) < MIN_MAGNITUDE:
            return f"must be 0 or at least {MIN_MAGNITUDE:g} in magnitude, got {value!r}"
        return None

    @property
    def shown(self) -> str:
        """The range as a reason text (data-quality report)."""
        return f"outside {self.low:g}\u2013{self.high:g} (0 or at least {MIN_MAGNITUDE:g})"


DURATION = FloatRange(0.0, 7 * 24 * 3600.0)
"""Seconds of one call's wait, talk, hold or after-call work: at most a week."""
