"""Appraisal templates and target sheets as data (DOMAIN.md §4.1, seed 004 附件一).

A `Template` is a list of `Section`s, each of one `SectionKind`, and the
section weights for every `PositionType`. Weights are percentages of the
weighted part of the form and add up to 100 per position type. A weight is a
`WeightShare`: one section with a fixed weight, or several sections sharing
one weight that the assessor splits per appraisal (seed 004: KPI and work
goals share 80). Incidents (deductions) and bonus items (additions) carry no
weight: their items' points are subtracted from or added to the total.

Items carry points (always positive; deductions are negative by their
section's kind, not by sign) and scoring parameters. The parameters are the
scoring engine's (`services.appraisal.domain.scoring`): one frozen dataclass per
`ScoringMethod` (`RatioToTarget`, `Linear`, `StepBands`, `Rubric`, `Rated`,
`ThreeSixty`), each naming its method in ``method``, checking itself when it is
built and computing the item's score. This module defines no scoring of its
own: it checks that a method fits its section and that a target item has what
its method needs, and `score_item` hands an item's inputs to its method.

Which methods a section kind accepts: kpi — ratio_to_target, linear,
step_bands, rubric; work_goals and rated — rated, rubric; three_sixty —
three_sixty; incidents and bonus — none (an item is a fixed number of points
per confirmed record). ``rated`` is also the generic kind for other forms,
such as seed 003's 德能绩勤 (attitude, ability, results, diligence).

A `TargetSheet` is what the assessor sets before the period: the split of a
shared weight, and the items of the KPI and work-goal sections with target,
weight (percent of the section; a section's item weights add up to 100),
points and scoring parameters. Ratio-to-target and linear items need a target
(the target lives on the item, not in the parameters). `TargetSheet.validate`
reports every problem at once as `InvalidArgument`, with field paths that name
the section (``sections[kpi].weights``) or the item (``items[0].target``).

Choices where the seeds are silent:

- Every template gives weights for every position type; a section may weigh
  0 for one of them (seed 004: management behaviour for non-management).
- Only sections of kind kpi and work_goals take items from a target sheet;
  the other sections score the template's items.
- A section weighted 0 for the appraisal's position type may not have target
  items; a target section weighted above 0 must have at least one.
- Seed 004 refers to behaviour, incident and bonus standards it does not
  include; the items of `SEED_004_DEFAULT` are this product's defaults.
- Seed 003 names the four 德能绩勤 aspects without weights; `SEED_003_DEDENGJIQIN`
  weighs them 20/20/50/10 for both position types.
- `score_item` gives no score (``None``) while what the method scores is not
  in yet (no actual collected, no level picked, no self score or review, no
  360 rating); a ratio-to-target or linear item without a target is an error,
  since targets are set before the period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from services.appraisal.domain.scoring import (
    HUNDRED,
    AppraisalInputError,
    Linear,
    Rated,
    RaterRole,
    RatioToTarget,
    Rubric,
    ScoringMethod,
    ScoringParams,
    StepBands,
    ThreeSixty,
    require_points,
)
from services.common.errors import FieldViolation, InvalidArgument
from services.org.domain.model import PositionType

__all__ = [
    "ALLOWED_METHODS",
    "BUILT_IN_TEMPLATES",
    "SEED_003_DEDENGJIQIN",
    "SEED_004_DEFAULT",
    "Item",
    "ScoringMethod",
    "Section",
    "SectionKind",
    "TargetItem",
    "TargetSheet",
    "Template",
    "WeightShare",
    "score_item",
]

_ZERO = Decimal(0)


class SectionKind(StrEnum):
    KPI = "kpi"  # 关键业绩指标: scored from metric data against targets
    WORK_GOALS = "work_goals"  # 工作目标: self score, then supervisor review
    RATED = "rated"  # 工作行为与态度, 德能绩勤 …: self score, then supervisor review
    THREE_SIXTY = "three_sixty"  # 管理行为与能力: self, subordinates, supervisor
    INCIDENTS = "incidents"  # 不良事故: deduction, counted once confirmed
    BONUS = "bonus"  # 加分项: addition, counted once the supervisor confirms


WEIGHTLESS_KINDS = frozenset({SectionKind.INCIDENTS, SectionKind.BONUS})
"""Kinds that add or deduct points instead of carrying a weight."""

TARGET_KINDS = frozenset({SectionKind.KPI, SectionKind.WORK_GOALS})
"""Kinds whose items the assessor sets per appraisal in a `TargetSheet`."""


ALLOWED_METHODS: Mapping[SectionKind, frozenset[ScoringMethod]] = MappingProxyType(
    {
        SectionKind.KPI: frozenset(
            {
                ScoringMethod.RATIO_TO_TARGET,
                ScoringMethod.LINEAR,
                ScoringMethod.STEP_BANDS,
                ScoringMethod.RUBRIC,
            }
        ),
        SectionKind.WORK_GOALS: frozenset({ScoringMethod.RATED, ScoringMethod.RUBRIC}),
        SectionKind.RATED: frozenset({ScoringMethod.RATED, ScoringMethod.RUBRIC}),
        SectionKind.THREE_SIXTY: frozenset({ScoringMethod.THREE_SIXTY}),
        SectionKind.INCIDENTS: frozenset(),
        SectionKind.BONUS: frozenset(),
    }
)


@dataclass(frozen=True)
class Item:
    """An item of a template section; `scoring` is None for incident and bonus items."""

    code: str
    name: str
    points: Decimal
    scoring: ScoringParams | None = None

    @property
    def method(self) -> ScoringMethod | None:
        return None if self.scoring is None else self.scoring.method


@dataclass(frozen=True)
class Section:
    code: str
    name_zh: str
    name_en: str
    kind: SectionKind
    items: tuple[Item, ...] = ()

    @property
    def weighted(self) -> bool:
        return self.kind not in WEIGHTLESS_KINDS


@dataclass(frozen=True)
class WeightShare:
    """One weight for one section, or for several that the assessor splits per appraisal."""

    sections: tuple[str, ...]
    weight: Decimal

    @property
    def label(self) -> str:
        return "+".join(self.sections)

    @property
    def split_by_assessor(self) -> bool:
        return len(self.sections) > 1


def _item_violations(
    path: str, kind: SectionKind, points: Decimal, scoring: ScoringParams | None
) -> list[FieldViolation]:
    found: list[FieldViolation] = []
    if points <= 0:
        found.append(FieldViolation(f"{path}.points", f"points must be positive, got {points}"))
    allowed = ALLOWED_METHODS[kind]
    if scoring is None:
        if allowed:
            names = ", ".join(sorted(allowed))
            found.append(FieldViolation(f"{path}.method", f"a {kind} item needs one of: {names}"))
        return found
    if scoring.method not in allowed:
        names = ", ".join(sorted(allowed)) or "none (fixed points per confirmed record)"
        found.append(
            FieldViolation(
                f"{path}.method",
                f"{scoring.method} is not a scoring method for a {kind} section; allowed: {names}",
            )
        )
    return found


@dataclass(frozen=True)
class Template:
    """An appraisal form. Construction validates it and raises `InvalidArgument`."""

    code: str
    name: str
    sections: tuple[Section, ...]
    weights: Mapping[PositionType, tuple[WeightShare, ...]]
    supervisor_reach: int = 1
    """Supervisor levels that read an appraisal: 1 the assessor (the direct
    supervisor) only, 2 also the assessor's own supervisor. Acting stays with
    the assessor either way."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))
        found = self.violations()
        if found:
            raise InvalidArgument(found)

    def section(self, code: str) -> Section:
        for section in self.sections:
            if section.code == code:
                return section
        raise KeyError(code)

    def violations(self) -> list[FieldViolation]:
        found: list[FieldViolation] = []
        if self.supervisor_reach not in (1, 2):
            found.append(
                FieldViolation("supervisor_reach", f"must be 1 or 2, got {self.supervisor_reach}")
            )
        codes = [s.code for s in self.sections]
        for i, section in enumerate(self.sections):
            if not section.code:
                found.append(FieldViolation(f"sections[{i}].code", "a section needs a code"))
            elif codes.count(section.code) > 1:
                found.append(
                    FieldViolation(f"sections[{section.code}]", "section codes must be unique")
                )
            item_codes = [it.code for it in section.items]
            for item in section.items:
                path = f"sections[{section.code}].items[{item.code}]"
                if item_codes.count(item.code) > 1:
                    found.append(FieldViolation(path, "item codes must be unique in a section"))
                found.extend(_item_violations(path, section.kind, item.points, item.scoring))
        for position_type in PositionType:
            found.extend(self._weight_violations(position_type))
        return found

    def _weight_violations(self, position_type: PositionType) -> list[FieldViolation]:
        path = f"weights[{position_type}]"
        shares = self.weights.get(position_type)
        if shares is None:
            return [
                FieldViolation(path, f"the template gives no section weights for {position_type}")
            ]
        found: list[FieldViolation] = []
        by_code = {s.code: s for s in self.sections}
        seen: list[str] = []
        for share in shares:
            if share.weight < 0:
                found.append(
                    FieldViolation(
                        path, f"sections {share.label} have a negative weight {share.weight}"
                    )
                )
            for code in share.sections:
                section = by_code.get(code)
                if section is None:
                    found.append(FieldViolation(path, f"unknown section {code!r}"))
                elif not section.weighted:
                    found.append(
                        FieldViolation(
                            path, f"{code} is a {section.kind} section and takes no weight"
                        )
                    )
                if code in seen:
                    found.append(FieldViolation(path, f"section {code} is weighted twice"))
                seen.append(code)
        missing = [s.code for s in self.sections if s.weighted and s.code not in seen]
        if missing:
            found.append(FieldViolation(path, f"sections without a weight: {', '.join(missing)}"))
        total = sum((s.weight for s in shares), _ZERO)
        if total != HUNDRED:
            listed = ", ".join(f"{s.label} {s.weight}" for s in shares)
            found.append(
                FieldViolation(path, f"section weights ({listed}) add up to {total}, not 100")
            )
        return found

    def split_violations(
        self, position_type: PositionType, split: Mapping[str, Decimal] | None
    ) -> list[FieldViolation]:
        """Problems with the assessor's split of shared weights (empty when it is fine)."""
        split = split or {}
        found: list[FieldViolation] = []
        splittable: set[str] = set()
        for share in self.weights[position_type]:
            if not share.split_by_assessor:
                continue
            splittable.update(share.sections)
            path = f"sections[{share.label}].weight"
            given = {code: split[code] for code in share.sections if code in split}
            if not given:
                found.append(
                    FieldViolation(
                        path,
                        f"the assessor splits {share.weight} between "
                        f"{', '.join(share.sections)}; no split given",
                    )
                )
                continue
            absent = [c for c in share.sections if c not in given]
            if absent:
                found.append(FieldViolation(path, f"no weight given for {', '.join(absent)}"))
            negative = [c for c, w in given.items() if w < 0]
            if negative:
                found.append(FieldViolation(path, f"negative weight for {', '.join(negative)}"))
            total = sum(given.values(), _ZERO)
            if total != share.weight:
                terms = " + ".join(f"{c} {w}" for c, w in given.items())
                found.append(
                    FieldViolation(path, f"{terms} = {total}, must add up to {share.weight}")
                )
        for code in split:
            if code not in splittable:
                found.append(
                    FieldViolation(
                        f"sections[{code}].weight",
                        f"{code} is not a section whose weight the assessor splits "
                        f"for {position_type}",
                    )
                )
        return found

    def section_weights(
        self, position_type: PositionType, split: Mapping[str, Decimal] | None = None
    ) -> dict[str, Decimal]:
        """Each weighted section's weight for one appraisal; raises `InvalidArgument`."""
        found = self.split_violations(position_type, split)
        if found:
            raise InvalidArgument(found)
        split = split or {}
        weights: dict[str, Decimal] = {}
        for share in self.weights[position_type]:
            for code in share.sections:
                weights[code] = split[code] if share.split_by_assessor else share.weight
        return weights


@dataclass(frozen=True)
class TargetItem:
    """One target the assessor sets: weight is a percentage of its section."""

    section: str
    code: str
    name: str
    weight: Decimal
    points: Decimal
    scoring: ScoringParams
    target: Decimal | None = None
    standard: str = ""  # 目标标准, in words
    data_provider: str = ""  # 信息提供人

    @property
    def method(self) -> ScoringMethod:
        return self.scoring.method


_NEEDS_TARGET = frozenset({ScoringMethod.RATIO_TO_TARGET, ScoringMethod.LINEAR})


@dataclass(frozen=True)
class TargetSheet:
    """The targets of one appraisal (seed 004 §6.1): split of shared weights and items."""

    template: Template
    position_type: PositionType
    items: tuple[TargetItem, ...]
    split: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def needs_approval(self) -> bool:
        """Non-management KPI targets take effect only after perf_admin approval."""
        return self.position_type is PositionType.NON_MANAGEMENT and any(
            self._kind(item.section) is SectionKind.KPI for item in self.items
        )

    def _kind(self, code: str) -> SectionKind | None:
        for section in self.template.sections:
            if section.code == code:
                return section.kind
        return None

    def section_weights(self) -> dict[str, Decimal]:
        return self.template.section_weights(self.position_type, self.split)

    def validate(self) -> None:
        """Raise `InvalidArgument` listing every problem; return quietly when the sheet is fine."""
        found = self.template.split_violations(self.position_type, self.split)
        weights: dict[str, Decimal] = {}
        if not found:
            weights = self.template.section_weights(self.position_type, self.split)
        by_section: dict[str, list[TargetItem]] = {}
        for i, item in enumerate(self.items):
            path = f"items[{i}]"
            kind = self._kind(item.section)
            if kind is None:
                found.append(FieldViolation(f"{path}.section", f"unknown section {item.section!r}"))
                continue
            if kind not in TARGET_KINDS:
                found.append(
                    FieldViolation(
                        f"{path}.section",
                        f"{item.section} is a {kind} section; its items come from the template",
                    )
                )
                continue
            if any(other.code == item.code for other in by_section.get(item.section, [])):
                found.append(
                    FieldViolation(f"{path}.code", f"{item.code!r} is already in {item.section}")
                )
            by_section.setdefault(item.section, []).append(item)
            found.extend(self._item_violations(path, kind, item))
        for section in self.template.sections:
            if section.kind not in TARGET_KINDS:
                continue
            items = by_section.get(section.code, [])
            path = f"sections[{section.code}]"
            weight = weights.get(section.code)
            if items:
                total = sum((it.weight for it in items), _ZERO)
                if total != HUNDRED:
                    listed = ", ".join(f"{it.code} {it.weight}" for it in items)
                    found.append(
                        FieldViolation(
                            f"{path}.weights",
                            f"item weights ({listed}) add up to {total}, not 100",
                        )
                    )
                if weight == 0:
                    found.append(
                        FieldViolation(
                            f"{path}.items",
                            f"{section.code} weighs 0 for {self.position_type}; "
                            "remove its items or give it a weight",
                        )
                    )
            elif weight is not None and weight > 0:
                found.append(
                    FieldViolation(
                        f"{path}.items", f"{section.code} weighs {weight} but has no items"
                    )
                )
        if found:
            raise InvalidArgument(found)

    @staticmethod
    def _item_violations(path: str, kind: SectionKind, item: TargetItem) -> list[FieldViolation]:
        found = _item_violations(path, kind, item.points, item.scoring)
        if item.weight <= 0:
            found.append(
                FieldViolation(f"{path}.weight", f"weight must be positive, got {item.weight}")
            )
        if item.method in _NEEDS_TARGET and item.target is None:
            found.append(FieldViolation(f"{path}.target", f"a {item.method} item needs a target"))
        scoring = item.scoring
        if isinstance(scoring, Linear) and item.target is not None and scoring.floor == item.target:
            found.append(
                FieldViolation(f"{path}.scoring", f"the floor equals the target ({item.target})")
            )
        if isinstance(scoring, RatioToTarget) and item.target is not None and item.target <= 0:
            found.append(
                FieldViolation(f"{path}.target", f"target {item.target} must be more than 0")
            )
        return found


def score_item(
    scoring: ScoringParams,
    points: Decimal,
    *,
    actual: Decimal | None = None,
    target: Decimal | None = None,
    self_score: Decimal | None = None,
    review_score: Decimal | None = None,
    level: str | None = None,
    ratings: Mapping[RaterRole, Sequence[Decimal]] | None = None,
) -> Decimal | None:
    """An item's exact score by its method, or None while the method's inputs are not in.

    Each method reads only its own inputs and ignores the others: ratio to
    target and linear read `actual` and `target`, step bands `actual`, a rubric
    `level`, rated `self_score` and `review_score` (the review counts), a 360
    `ratings`. The inputs that are there are checked even when others are
    missing. Raises `AppraisalInputError` for bad inputs, and for a ratio or
    linear item without a target.
    """
    require_points(points)
    match scoring:
        case RatioToTarget() | Linear():
            if target is None:
                raise AppraisalInputError("target", f"a {scoring.method} item needs a target")
            if actual is not None:
                return scoring.score(points, actual=actual, target=target)
        case StepBands():
            if actual is not None:
                return scoring.score(points, actual=actual)
        case Rubric():
            if level is not None:
                return scoring.score(points, level=level)
        case Rated():
            if self_score is not None:
                scoring.check_self(points, self_score)
                if review_score is not None:
                    return scoring.score(points, self_score=self_score, review_score=review_score)
        case ThreeSixty():
            if ratings is not None:
                return scoring.score(points, ratings)
    return None


def _rated(code: str, name: str, points: int) -> Item:
    return Item(code, name, Decimal(points), Rated())


def _fixed(code: str, name: str, points: int) -> Item:
    return Item(code, name, Decimal(points))


def _shares(*pairs: tuple[Sequence[str], int]) -> tuple[WeightShare, ...]:
    return tuple(WeightShare(tuple(codes), Decimal(weight)) for codes, weight in pairs)


SEED_004_DEFAULT = Template(
    code="seed004_default",
    name="绩效考核表 (seed 004 附件一)",
    sections=(
        Section("kpi", "关键业绩指标", "Key performance indicators", SectionKind.KPI),
        Section("work_goals", "工作目标", "Work goals", SectionKind.WORK_GOALS),
        Section(
            "behaviour_attitude",
            "工作行为与态度",
            "Work behaviour and attitude",
            SectionKind.RATED,
            (
                _rated("discipline", "工作纪律 work discipline", 25),
                _rated("responsibility", "责任心 responsibility", 25),
                _rated("teamwork", "团队合作 teamwork", 25),
                _rated("service_attitude", "服务意识 service attitude", 25),
            ),
        ),
        Section(
            "management_ability",
            "管理行为与能力",
            "Management behaviour and ability",
            SectionKind.THREE_SIXTY,
            tuple(
                Item(code, name, Decimal(25), ThreeSixty())
                for code, name in (
                    ("planning", "计划与组织 planning and organising"),
                    ("coaching", "辅导与培养下属 coaching"),
                    ("communication", "沟通与协调 communication"),
                    ("execution", "执行与决策 execution and decisions"),
                )
            ),
        ),
        Section(
            "incidents",
            "不良事故",
            "Incidents (deductions)",
            SectionKind.INCIDENTS,
            (
                _fixed("valid_complaint", "有效投诉 valid customer complaint", 5),
                _fixed("service_error", "服务差错 service error", 3),
                _fixed("discipline_breach", "违反劳动纪律 breach of discipline", 2),
            ),
        ),
        Section(
            "bonus",
            "加分项",
            "Bonus items (additions)",
            SectionKind.BONUS,
            (
                _fixed("customer_praise", "客户表扬 customer praise", 2),
                _fixed("adopted_suggestion", "合理化建议被采纳 adopted suggestion", 3),
                _fixed("extra_assignment", "承担额外任务 extra assignment", 2),
            ),
        ),
    ),
    weights={
        PositionType.MANAGEMENT: _shares(
            (("kpi", "work_goals"), 80),
            (("behaviour_attitude",), 10),
            (("management_ability",), 10),
        ),
        PositionType.NON_MANAGEMENT: _shares(
            (("kpi", "work_goals"), 80), (("behaviour_attitude",), 20), (("management_ability",), 0)
        ),
    },
    # Seed 004 §6.4: changes need "上一级主管同意", the assessor's own manager, who reads.
    supervisor_reach=2,
)
"""Seed 004's form: management 80/10/10, non-management 80/20/0, KPI and work goals split the 80."""

_DEDENGJIQIN_WEIGHTS = _shares((("de",), 20), (("neng",), 20), (("ji",), 50), (("qin",), 10))

SEED_003_DEDENGJIQIN = Template(
    code="seed003_dedengjiqin",
    name="德能绩勤 (seed 003)",
    sections=(
        Section(
            "de", "德(态度)", "Attitude", SectionKind.RATED, (_rated("attitude", "态度", 100),)
        ),
        Section(
            "neng", "能(能力)", "Ability", SectionKind.RATED, (_rated("ability", "能力", 100),)
        ),
        Section("ji", "绩(业绩)", "Results", SectionKind.RATED, (_rated("results", "业绩", 100),)),
        Section(
            "qin", "勤(勤力)", "Diligence", SectionKind.RATED, (_rated("diligence", "勤力", 100),)
        ),
    ),
    weights={pt: _DEDENGJIQIN_WEIGHTS for pt in PositionType},
)
"""Seed 003's four aspects, each one rated item; weights 20/20/50/10 are this product's default."""

BUILT_IN_TEMPLATES: Mapping[str, Template] = MappingProxyType(
    {t.code: t for t in (SEED_004_DEFAULT, SEED_003_DEDENGJIQIN)}
)
