"""Consequence rules as data, over monthly coefficients and annual grades (seed 004 §7).

A rule says which history it reads (`HistoryKind`), which periods match
(comparison with a threshold: a coefficient such as 0.50, or a grade where
"above" means better), how many matches it needs, whether they must be
consecutive or may be cumulative, within which window, and what it recommends.
`evaluate` returns recommendations with their evidence; it never acts: HR
accepts or rejects them (DOMAIN.md §4.3).

Choices where the seed is silent:

- Coefficients are compared as recorded (4 decimals); comparisons are strict,
  so exactly 50 % is not "below 50 %" and exactly 90 % is not "above 90 %".
- Cumulative counts run within the appraisal year (the calendar year of the
  month) and start again each January; consecutive monthly runs use the whole
  history, so December and the next January are consecutive.
- Consecutive means adjacent calendar months (or years), each with a record
  that matches; a month without a record (not appraised) breaks the run.
- Matches are used once: when a rule fires, its evidence starts a new count.
  Four consecutive months below 50 % give two warnings (months 1–2 and 3–4),
  six below 50 % in a year two dismissal reviews, B-or-better four years
  running two promotions. A period may serve several rules.
- A recommendation's key is the rule's code, the employee and the evidence
  periods, so re-evaluating the same history (or a longer one that leaves the
  evidence unchanged) gives the same keys; HR's decisions attach to the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import groupby

from services.appraisal.domain.results import Grade
from services.appraisal.domain.scoring import AppraisalInputError, require_finite
from services.common.periods import Granularity, Period

__all__ = [
    "SEED_004_RULES",
    "Action",
    "Comparison",
    "ConsequenceRule",
    "Evidence",
    "History",
    "HistoryKind",
    "Recommendation",
    "Sequencing",
    "Window",
    "evaluate",
]


class HistoryKind(StrEnum):
    MONTHLY_COEFFICIENT = "monthly_coefficient"
    ANNUAL_GRADE = "annual_grade"


class Comparison(StrEnum):
    """For grades, "above" means better: B or better is AT_OR_ABOVE B."""

    BELOW = "below"
    AT_OR_BELOW = "at_or_below"
    ABOVE = "above"
    AT_OR_ABOVE = "at_or_above"


class Sequencing(StrEnum):
    CONSECUTIVE = "consecutive"
    CUMULATIVE = "cumulative"


class Window(StrEnum):
    APPRAISAL_YEAR = "appraisal_year"  # the months of one calendar year
    WHOLE_HISTORY = "whole_history"


class Action(StrEnum):
    WARNING = "warning"  # 警告
    DISMISSAL_REVIEW = "dismissal_review"  # 辞退
    CAP_TIER_UP_OR_EXCELLENCE_BONUS = "cap_tier_up_or_excellence_bonus"
    CAP_TIER_DOWN = "cap_tier_down"
    NO_ANNUAL_BONUS = "no_annual_bonus"
    DEMOTION_OR_DISMISSAL_REVIEW = "demotion_or_dismissal_review"
    PROMOTION_OR_POSITION_PAY_RAISE = "promotion_or_position_pay_raise"
    EXCELLENT_EMPLOYEE_AWARD = "excellent_employee_award"


@dataclass(frozen=True, slots=True)
class ConsequenceRule:
    code: str
    """Stable identifier; part of every recommendation key."""
    kind: HistoryKind
    comparison: Comparison
    threshold: Decimal | Grade
    """A coefficient (0.50 for 50 %) for monthly rules, a grade for annual ones."""
    count: int
    sequencing: Sequencing
    window: Window
    action: Action

    def __post_init__(self) -> None:
        if not self.code:
            raise AppraisalInputError("code", "a rule needs a code")
        if self.count < 1:
            raise AppraisalInputError(f"rules[{self.code}].count", "must be at least 1")
        monthly = self.kind is HistoryKind.MONTHLY_COEFFICIENT
        if monthly and not isinstance(self.threshold, Decimal):
            raise AppraisalInputError(
                f"rules[{self.code}].threshold", "a monthly rule compares a coefficient"
            )
        if monthly and isinstance(self.threshold, Decimal):
            require_finite(f"rules[{self.code}].threshold", self.threshold)
        if not monthly and not isinstance(self.threshold, Grade):
            raise AppraisalInputError(
                f"rules[{self.code}].threshold", "an annual rule compares a grade"
            )
        if not monthly and self.window is Window.APPRAISAL_YEAR:
            raise AppraisalInputError(
                f"rules[{self.code}].window", "an annual grade is one per appraisal year"
            )

    def matches(self, value: Decimal | Grade) -> bool:
        left, right = _comparable(value), _comparable(self.threshold)
        if self.comparison is Comparison.BELOW:
            return left < right
        if self.comparison is Comparison.AT_OR_BELOW:
            return left <= right
        if self.comparison is Comparison.ABOVE:
            return left > right
        return left >= right


def _monthly(
    code: str, comparison: Comparison, percent: int, count: int, seq: Sequencing, action: Action
) -> ConsequenceRule:
    window = Window.WHOLE_HISTORY if seq is Sequencing.CONSECUTIVE else Window.APPRAISAL_YEAR
    return ConsequenceRule(
        code,
        HistoryKind.MONTHLY_COEFFICIENT,
        comparison,
        Decimal(percent) / 100,
        count,
        seq,
        window,
        action,
    )


def _annual(
    code: str, comparison: Comparison, grade: Grade, count: int, action: Action
) -> ConsequenceRule:
    return ConsequenceRule(
        code,
        HistoryKind.ANNUAL_GRADE,
        comparison,
        grade,
        count,
        Sequencing.CONSECUTIVE,
        Window.WHOLE_HISTORY,
        action,
    )


_BELOW, _ABOVE = Comparison.BELOW, Comparison.ABOVE
_RUN, _TOTAL = Sequencing.CONSECUTIVE, Sequencing.CUMULATIVE

SEED_004_RULES: tuple[ConsequenceRule, ...] = (
    _monthly("two_consecutive_months_below_50", _BELOW, 50, 2, _RUN, Action.WARNING),
    _monthly("three_months_below_50", _BELOW, 50, 3, _TOTAL, Action.DISMISSAL_REVIEW),
    _monthly(
        "three_months_above_90", _ABOVE, 90, 3, _TOTAL, Action.CAP_TIER_UP_OR_EXCELLENCE_BONUS
    ),
    _monthly("three_months_below_60", _BELOW, 60, 3, _TOTAL, Action.CAP_TIER_DOWN),
    _annual("annual_e", Comparison.AT_OR_BELOW, Grade.E, 1, Action.NO_ANNUAL_BONUS),
    _annual(
        "e_two_years_running",
        Comparison.AT_OR_BELOW,
        Grade.E,
        2,
        Action.DEMOTION_OR_DISMISSAL_REVIEW,
    ),
    _annual(
        "b_or_better_two_years_running",
        Comparison.AT_OR_ABOVE,
        Grade.B,
        2,
        Action.PROMOTION_OR_POSITION_PAY_RAISE,
    ),
    _annual("annual_a", Comparison.AT_OR_ABOVE, Grade.A, 1, Action.EXCELLENT_EMPLOYEE_AWARD),
)
"""Seed 004 §7's monthly and annual consequences."""


@dataclass(frozen=True, slots=True)
class History:
    """One employee's recorded monthly coefficients and annual grades."""

    employee_id: str
    monthly_coefficients: Mapping[Period, Decimal]
    annual_grades: Mapping[Period, Grade]

    def __post_init__(self) -> None:
        for period, coefficient in self.monthly_coefficients.items():
            if period.granularity is not Granularity.MONTH:
                raise AppraisalInputError(f"monthly_coefficients[{period}]", "is not a month")
            require_finite(f"monthly_coefficients[{period}]", coefficient)
        for period in self.annual_grades:
            if period.granularity is not Granularity.YEAR:
                raise AppraisalInputError(f"annual_grades[{period}]", "is not a year")


@dataclass(frozen=True, slots=True)
class Evidence:
    period: Period
    value: Decimal | Grade


@dataclass(frozen=True, slots=True)
class Recommendation:
    key: str
    employee_id: str
    rule_code: str
    action: Action
    evidence: tuple[Evidence, ...]
    """The periods that triggered the rule, in order, with their values."""


def evaluate(
    history: History, rules: Sequence[ConsequenceRule] = SEED_004_RULES
) -> tuple[Recommendation, ...]:
    """Every recommendation the history supports, ordered by the last evidence period, then rule."""
    codes = [r.code for r in rules]
    for code in codes:
        if codes.count(code) > 1:
            raise AppraisalInputError(f"rules[{code}]", "rule codes must be unique")
    found: list[tuple[tuple[date, int], Recommendation]] = []
    for index, rule in enumerate(rules):
        records: Mapping[Period, Decimal | Grade]
        if rule.kind is HistoryKind.MONTHLY_COEFFICIENT:
            records = dict(history.monthly_coefficients)
        else:
            records = dict(history.annual_grades)
        for group in _triggers(rule, records):
            periods = "+".join(str(e.period) for e in group)
            recommendation = Recommendation(
                key=f"{rule.code}:{history.employee_id}:{periods}",
                employee_id=history.employee_id,
                rule_code=rule.code,
                action=rule.action,
                evidence=group,
            )
            found.append(((group[-1].period.start, index), recommendation))
    found.sort(key=lambda pair: pair[0])
    return tuple(r for _, r in found)


def _triggers(
    rule: ConsequenceRule, records: Mapping[Period, Decimal | Grade]
) -> Iterable[tuple[Evidence, ...]]:
    ordered = sorted(records.items(), key=lambda pair: pair[0].start)
    if rule.window is Window.APPRAISAL_YEAR:
        windows = [list(g) for _, g in groupby(ordered, key=lambda pair: pair[0].start.year)]
    else:
        windows = [ordered]
    for window in windows:
        for stretch in _stretches(rule, window):
            for i in range(0, len(stretch) - rule.count + 1, rule.count):
                yield tuple(stretch[i : i + rule.count])


def _stretches(
    rule: ConsequenceRule, window: Sequence[tuple[Period, Decimal | Grade]]
) -> Iterable[list[Evidence]]:
    """Matching records that count together: runs of adjacent periods, or all of a window."""
    if rule.sequencing is Sequencing.CUMULATIVE:
        yield [Evidence(p, v) for p, v in window if rule.matches(v)]
        return
    run: list[Evidence] = []
    for period, value in window:
        if not rule.matches(value):
            if run:
                yield run
            run = []
            continue
        if run and run[-1].period.next() != period:
            yield run
            run = []
        run.append(Evidence(period, value))
    if run:
        yield run


def _comparable(value: Decimal | Grade) -> Decimal:
    return Decimal(value.rank) if isinstance(value, Grade) else value
