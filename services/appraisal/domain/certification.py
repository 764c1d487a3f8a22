"""Center certification against a standard of scored categories (seed 001, CCCS-OP-2003).

A certification standard is data: categories, each with a maximum and the
sub-items it is scored by, and level bands on the total. Auditors score every
sub-item in points (0 to its maximum); a category's subtotal is the sum of its
sub-items, the total the sum of the categories, and the level follows from the
total. `CCCS_OP_2003` is 全国呼叫中心运营绩效标准 (DOMAIN.md §4.4): leadership 10,
strategy and deployment 10, customer value 10, performance measurement and
analysis 15, on-site management 10, people management 15, process management
10, operating results 20 (100 in all); 81–100 certified five-star, 61–80
certified, 41–60 conditionally certified (improve within 3–6 months, then
re-assessed), below 41 not certified.

Choices where the seed is silent:

- **Sub-item maxima.** Seed 001 lists each category's sub-items without
  points. They split the category's maximum evenly in quarter points
  (`split_evenly`): each gets the even share rounded down to a quarter point,
  and the quarters left over go one each to the first sub-items in the seed's
  order. Leadership's five sub-items get 2 each; customer value's seven get
  1.5 × 5 and 1.25 × 2; performance measurement's four 3.75 each; on-site
  management's nine 1.25 × 4 and 1 × 5; people management's eight 2 × 4 and
  1.75 × 4; process management's four 2.5 each; operating results' six
  3.5 × 2 and 3.25 × 4. A center with the auditors' own weights defines
  another `CertificationStandard`.
- **Every sub-item is required.** A missing score is an error listing every
  missing code at once, never a silent 0: a certification is a complete
  audit. Scores may be fractional (auditors give half points).
- **Fractional totals.** The seed's bands are whole points (…60, 61…), so the
  level reads the total rounded half-up to a whole point (`rounded_total`):
  40.49 is not certified, 40.5 and 41 are conditional, 60.5 certified, 80.5
  five-star. The exact total is kept beside it.
- Seed 001 spells the last category both 运营绩效结果 (§5) and 运营绩效成果
  (the scoring table); the scoring table's names are used throughout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from services.appraisal.domain.scoring import AppraisalInputError, require_finite

__all__ = [
    "CCCS_OP_2003",
    "CONDITIONAL_IMPROVEMENT_MONTHS",
    "QUARTER_POINT",
    "Category",
    "CategoryResult",
    "CertificationAssessment",
    "CertificationLevel",
    "CertificationStandard",
    "LevelBand",
    "SubItem",
    "SubItemScore",
    "assess",
    "split_evenly",
]

_ZERO = Decimal(0)
_WHOLE_POINT = Decimal(1)
QUARTER_POINT = Decimal("0.25")

CONDITIONAL_IMPROVEMENT_MONTHS = (3, 6)
"""A conditional certification must show effective improvement within 3–6 months (seed 001 §9)."""


class CertificationLevel(StrEnum):
    """Outcomes of a certification, best first (seed 001 §9)."""

    FIVE_STAR = "five_star"  # 通过认证, 达到五星级客户服务中心运营标准
    CERTIFIED = "certified"  # 通过认证
    CONDITIONAL = "conditional"  # 有条件地通过: improve within 3–6 months, then re-assessed
    NOT_CERTIFIED = "not_certified"  # 未通过认证

    @property
    def issues_certificate(self) -> bool:
        """Five-star and certified get the certificate now; conditional only after re-assessment."""
        return self in (CertificationLevel.FIVE_STAR, CertificationLevel.CERTIFIED)


def split_evenly(
    maximum: Decimal, count: int, quantum: Decimal = QUARTER_POINT
) -> tuple[Decimal, ...]:
    """Split `maximum` into `count` shares in steps of `quantum`, as evenly as it goes.

    Each share is the even share rounded down to the quantum; the quanta left
    over go one each to the first shares (15 in 4 → 3.75 × 4; 10 in 7 →
    1.5 × 5, 1.25 × 2). The shares add up to `maximum` exactly.
    """
    if count < 1:
        raise AppraisalInputError("count", f"must be at least 1, got {count}")
    if require_finite("quantum", quantum) <= 0:
        raise AppraisalInputError("quantum", f"must be more than 0, got {quantum}")
    if require_finite("maximum", maximum) <= 0:
        raise AppraisalInputError("maximum", f"must be more than 0, got {maximum}")
    units, rest = divmod(maximum, quantum)
    if rest != 0:
        raise AppraisalInputError("maximum", f"{maximum} is not a whole number of {quantum}")
    base, extra = divmod(int(units), count)
    if base == 0:
        raise AppraisalInputError(
            "count", f"{maximum} in steps of {quantum} cannot give {count} shares above 0"
        )
    return tuple((base + 1 if i < extra else base) * quantum for i in range(count))


@dataclass(frozen=True, slots=True)
class SubItem:
    """A scored sub-item (评审细项), e.g. ``1.1`` 企业高层领导支持."""

    code: str
    name_zh: str
    name_en: str
    maximum: Decimal


@dataclass(frozen=True, slots=True)
class Category:
    """A category (评审范畴) with its maximum and the sub-items whose maxima add up to it."""

    code: str
    name_zh: str
    name_en: str
    maximum: Decimal
    sub_items: tuple[SubItem, ...]

    def __post_init__(self) -> None:
        where = f"categories[{self.code}]"
        if require_finite(f"{where}.maximum", self.maximum) <= 0:
            raise AppraisalInputError(
                f"{where}.maximum", f"must be more than 0, got {self.maximum}"
            )
        if not self.sub_items:
            raise AppraisalInputError(f"{where}.sub_items", "a category needs sub-items")
        for item in self.sub_items:
            if require_finite(f"sub_items[{item.code}].maximum", item.maximum) <= 0:
                raise AppraisalInputError(
                    f"sub_items[{item.code}].maximum", f"must be more than 0, got {item.maximum}"
                )
        total = sum((i.maximum for i in self.sub_items), _ZERO)
        if total != self.maximum:
            raise AppraisalInputError(
                f"{where}.sub_items",
                f"sub-item maxima add up to {total}, not the category's {self.maximum}",
            )


@dataclass(frozen=True, slots=True)
class LevelBand:
    """The lowest total, in whole points, that reaches `level`."""

    level: CertificationLevel
    minimum: Decimal


@dataclass(frozen=True, slots=True)
class CertificationStandard:
    """Categories scored to a total, and bands from the total to a level.

    `bands` go best level first with falling minima; a total below the last
    band is `CertificationLevel.NOT_CERTIFIED`.
    """

    code: str
    name_zh: str
    name_en: str
    categories: tuple[Category, ...]
    bands: tuple[LevelBand, ...]

    def __post_init__(self) -> None:
        if not self.categories:
            raise AppraisalInputError("categories", "a standard needs categories")
        _require_unique("categories", [c.code for c in self.categories])
        _require_unique("sub_items", [i.code for c in self.categories for i in c.sub_items])
        self._check_bands()

    def _check_bands(self) -> None:
        order = list(CertificationLevel)
        previous: LevelBand | None = None
        for band in self.bands:
            where = f"bands[{band.level}]"
            if band.level is CertificationLevel.NOT_CERTIFIED:
                raise AppraisalInputError(where, "not certified is everything below the last band")
            minimum = require_finite(f"{where}.minimum", band.minimum)
            if minimum != minimum.to_integral_value() or not 0 < minimum <= self.maximum:
                raise AppraisalInputError(
                    f"{where}.minimum",
                    f"must be a whole number of points from 1 to {self.maximum}, got {minimum}",
                )
            if previous is not None and (
                order.index(band.level) <= order.index(previous.level)
                or minimum >= previous.minimum
            ):
                raise AppraisalInputError(
                    where,
                    f"bands go best level first with falling minima; {band.level} {minimum} "
                    f"follows {previous.level} {previous.minimum}",
                )
            previous = band

    @property
    def maximum(self) -> Decimal:
        return sum((c.maximum for c in self.categories), _ZERO)

    @property
    def sub_items(self) -> tuple[SubItem, ...]:
        """Every sub-item, in category order."""
        return tuple(i for c in self.categories for i in c.sub_items)

    def level(self, total: Decimal) -> CertificationLevel:
        """The level of a total: the first band its whole-point rounding reaches."""
        rounded = _whole_points(require_finite("total", total))
        for band in self.bands:
            if rounded >= band.minimum:
                return band.level
        return CertificationLevel.NOT_CERTIFIED


@dataclass(frozen=True, slots=True)
class SubItemScore:
    code: str
    name_en: str
    maximum: Decimal
    score: Decimal


@dataclass(frozen=True, slots=True)
class CategoryResult:
    code: str
    name_zh: str
    name_en: str
    maximum: Decimal
    subtotal: Decimal
    """Σ sub-item scores, exact."""
    items: tuple[SubItemScore, ...]


@dataclass(frozen=True, slots=True)
class CertificationAssessment:
    standard: str
    """The standard's code."""
    categories: tuple[CategoryResult, ...]
    total: Decimal
    """Σ category subtotals, exact."""
    maximum: Decimal
    rounded_total: Decimal
    """The total rounded half-up to a whole point: what the level reads."""
    level: CertificationLevel

    def category(self, code: str) -> CategoryResult:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(code)


def assess(
    standard: CertificationStandard, scores: Mapping[str, Decimal]
) -> CertificationAssessment:
    """Subtotals, total and level from a score for every sub-item of the standard.

    Each score is named ``scores[<code>]`` in errors: an unknown code, a score
    that is not a finite Decimal, below 0 or above the sub-item's maximum. The
    codes without a score are listed together in one error on ``scores``.
    """
    items = {i.code: i for i in standard.sub_items}
    for code, score in scores.items():
        where = f"scores[{code}]"
        if code not in items:
            raise AppraisalInputError(where, f"{standard.code} has no sub-item {code!r}")
        if not isinstance(score, Decimal):
            raise AppraisalInputError(where, f"must be a Decimal, got {type(score).__name__}")
        maximum = items[code].maximum
        if not 0 <= require_finite(where, score) <= maximum:
            raise AppraisalInputError(where, f"must be between 0 and {maximum} points, got {score}")
    missing = [code for code in items if code not in scores]
    if missing:
        raise AppraisalInputError(
            "scores", f"every sub-item needs a score; missing {', '.join(missing)}"
        )

    results = tuple(_category_result(c, scores) for c in standard.categories)
    total = sum((c.subtotal for c in results), _ZERO)
    return CertificationAssessment(
        standard=standard.code,
        categories=results,
        total=total,
        maximum=standard.maximum,
        rounded_total=_whole_points(total),
        level=standard.level(total),
    )


def _category_result(category: Category, scores: Mapping[str, Decimal]) -> CategoryResult:
    items = tuple(
        SubItemScore(i.code, i.name_en, i.maximum, scores[i.code]) for i in category.sub_items
    )
    return CategoryResult(
        code=category.code,
        name_zh=category.name_zh,
        name_en=category.name_en,
        maximum=category.maximum,
        subtotal=sum((i.score for i in items), _ZERO),
        items=items,
    )


def _whole_points(total: Decimal) -> Decimal:
    return total.quantize(_WHOLE_POINT, rounding=ROUND_HALF_UP)


def _require_unique(where: str, codes: Sequence[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if not code:
            raise AppraisalInputError(where, "every code must be non-empty")
        if code in seen:
            raise AppraisalInputError(f"{where}[{code}]", "code appears more than once")
        seen.add(code)


def _category(
    code: str, name_zh: str, name_en: str, maximum: int, sub_items: Sequence[tuple[str, str, str]]
) -> Category:
    """A category whose sub-items split its maximum evenly (the seed gives them no points)."""
    shares = split_evenly(Decimal(maximum), len(sub_items))
    return Category(
        code,
        name_zh,
        name_en,
        Decimal(maximum),
        tuple(
            SubItem(c, zh, en, share) for (c, zh, en), share in zip(sub_items, shares, strict=True)
        ),
    )


CCCS_OP_2003 = CertificationStandard(
    code="CCCS-OP-2003",
    name_zh="全国呼叫中心运营绩效标准",
    name_en="China Contact Center Standard - Operation Performance",
    categories=(
        _category(
            "leadership",
            "领导能力",
            "Leadership",
            10,
            [
                ("1.1", "企业高层领导支持", "Support from senior management"),
                ("1.2", "呼叫中心发展方向", "Direction of the contact center"),
                ("1.3", "建立完善沟通机制", "Communication mechanisms"),
                ("1.4", "呼叫中心文化建设", "Contact center culture"),
                ("1.5", "呼叫中心社会责任", "Social responsibility"),
            ],
        ),
        _category(
            "strategy_and_deployment",
            "战略规划与部署",
            "Strategic planning and deployment",
            10,
            [
                ("2.1", "呼叫中心战略规划", "Strategic plan"),
                ("2.2", "呼叫中心服务策略", "Service strategy"),
                ("2.3", "呼叫中心运营计划", "Operating plan"),
                ("2.4", "绩效目标设定与对比", "Performance targets and benchmarking"),
                ("2.5", "运营管理持续改进机制", "Continuous improvement of operations"),
            ],
        ),
        _category(
            "customer_value",
            "客户价值",
            "Customer value",
            10,
            [
                ("3.1", "客户群及客户需求细分", "Customer and needs segmentation"),
                ("3.2", "客户沟通渠道的建立", "Customer contact channels"),
                ("3.3", "客户界面的一致性", "Consistent customer interface"),
                ("3.4", "客户投诉管理", "Complaint management"),
                ("3.5", "客户满意度调查", "Customer satisfaction surveys"),
                ("3.6", "客户忠诚与客户挽留", "Customer loyalty and retention"),
                ("3.7", "客户价值挖掘", "Customer value development"),
            ],
        ),
        _category(
            "performance_measurement",
            "绩效衡量与分析",
            "Performance measurement and analysis",
            15,
            [
                ("4.1", "呼叫中心绩效衡量体系", "Performance measurement system"),
                ("4.2", "绩效数据收集与分析", "Performance data collection and analysis"),
                ("4.3", "绩效考核实施", "Performance appraisal"),
                ("4.4", "绩效考核结果反馈与沟通", "Appraisal feedback and communication"),
            ],
        ),
        _category(
            "on_site_management",
            "现场管理",
            "On-site management",
            10,
            [
                ("5.1", "业务量预测与排班", "Workload forecasting and scheduling"),
                ("5.2", "质量监控与反馈辅导", "Quality monitoring, feedback and coaching"),
                ("5.3", "呼叫中心管理报表", "Management reports"),
                ("5.4", "数据信息的完整可靠", "Complete and reliable data"),
                ("5.5", "呼叫中心知识管理", "Knowledge management"),
                ("5.6", "呼叫中心生产工具", "Production tools"),
                ("5.7", "应急预案与措施", "Contingency plans and measures"),
                ("5.8", "技术支持与保障", "Technical support"),
                ("5.9", "现场管理制度", "On-site management rules"),
            ],
        ),
        _category(
            "people_management",
            "人员管理",
            "People management",
            15,
            [
                ("6.1", "工作的组织与管理", "Organisation and management of work"),
                ("6.2", "员工的招聘", "Recruitment"),
                ("6.3", "员工的培训", "Training"),
                ("6.4", "员工的职业生涯发展", "Career development"),
                ("6.5", "员工的认可与激励", "Recognition and motivation"),
                ("6.6", "员工的支持与满意", "Employee support and satisfaction"),
                ("6.7", "员工的后勤保障", "Employee services and facilities"),
                ("6.8", "呼叫中心的工作环境", "Working environment"),
            ],
        ),
        _category(
            "process_management",
            "流程管理",
            "Process management",
            10,
            [
                ("7.1", "流程的制定", "Process design"),
                ("7.2", "流程的控制", "Process control"),
                ("7.3", "流程的改进", "Process improvement"),
                ("7.4", "流程的审核", "Process audit"),
            ],
        ),
        _category(
            "operating_results",
            "运营绩效成果",
            "Operating results",
            20,
            [
                ("8.1", "客户绩效", "Customer results"),
                ("8.2", "员工绩效", "Employee results"),
                ("8.3", "运营效率绩效", "Operational efficiency results"),
                ("8.4", "服务质量绩效", "Service quality results"),
                ("8.5", "财务与市场绩效", "Financial and market results"),
                ("8.6", "社会效益", "Social benefit"),
            ],
        ),
    ),
    bands=(
        LevelBand(CertificationLevel.FIVE_STAR, Decimal(81)),
        LevelBand(CertificationLevel.CERTIFIED, Decimal(61)),
        LevelBand(CertificationLevel.CONDITIONAL, Decimal(41)),
    ),
)
"""CCCS-OP-2003 (seed 001 §8–§9), with sub-item maxima split evenly (see the module)."""
