"""The KPI catalog: every KPI of DOMAIN.md §3 as numerator / denominator × scale.

A KPI value for a subject (agent, team, department, center) and a period is
``numerator(measures) / denominator(measures) × scale``, where ``measures`` are
the period's summed base measures (``measures.py``). Numerator and denominator
are functions of those sums, not sums of per-day values, so ratios of sums such
as budget accuracy (``1 − |cost − budget| / budget``) come out right for any
period. A value is ``None`` when the denominator is 0: "no calls" is not "0 %".
Plain counts (``calls_offered``) have the denominator 1, so they are never None.

"1 − x" KPIs fold the complement into the numerator (``items − errors`` over
``items``), so numerator and denominator still read as things one can count.

Parameters (service-level threshold, short-abandon threshold, FCR window, CSAT
top box, paid hours per day) are counting thresholds: the rollup applies them
when it counts measures. A definition lists those its measures depend on, with
their defaults, so every value records the parameters that made it; a different
threshold means recounting the measures (recomputing the periods it applies to),
not passing another number to ``compute``.

Owners come from the department matrix of seed 000 §7.3. The text of that matrix
lost its column layout: it shows how many departments own each KPI (★) but not
always which, so the owners below are a reading of it, and data a center edits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import NamedTuple

from services.metrics.domain.measures import (
    DEFAULT_PARAMETERS,
    PARAMETERS_OF,
    SYSTEM_KINDS,
    Measure,
    downtime_minutes,
    scheduled_minutes,
)

__all__ = [
    "CATALOG",
    "DEFINITIONS",
    "UNIT_SCALE",
    "Department",
    "Direction",
    "KpiDefinition",
    "KpiValue",
    "Level",
    "MeasureValues",
    "Parameters",
    "Term",
    "Unit",
    "compute",
]

MeasureValues = Mapping[Measure, float]
Parameters = Mapping[str, float]
Term = Callable[[MeasureValues, Parameters], float]
"""A numerator or denominator: a function of a period's summed measures and parameters."""

_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


class Unit(StrEnum):
    """What a value is expressed in; percent and permille also fix the scale."""

    PERCENT = "percent"
    PERMILLE = "permille"
    SECONDS = "seconds"
    COUNT = "count"
    MONEY = "money"
    RATIO = "ratio"
    HOURS = "hours"
    SCORE = "score"


UNIT_SCALE: Mapping[Unit, float] = MappingProxyType({Unit.PERCENT: 100.0, Unit.PERMILLE: 1000.0})
"""The scale of a unit; units not listed are unscaled (× 1)."""


class Direction(StrEnum):
    """Which way is better. For plain volumes (calls offered) it is nominal."""

    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"


class Level(StrEnum):
    """Where in the org a KPI means something.

    Calls nobody answered belong to no agent, so queue KPIs (service level,
    abandon rate, ASA, …) exist only for the center; a department scorecard
    may still carry a center KPI its department owns.
    """

    AGENT = "agent"
    TEAM = "team"
    DEPARTMENT = "department"
    CENTER = "center"


class Department(StrEnum):
    """The departments (科室) of the seed's KPI matrix; values are their names."""

    OPERATIONS_MANAGEMENT = "运营管理科"
    OPERATIONS_SUPPORT = "运营支持科"
    GENERAL_AFFAIRS = "综合科"
    FIELD_SERVICE = "现场服务"


@dataclass(frozen=True)
class KpiDefinition:
    """One catalog entry: what a KPI is, and how to compute it from base measures."""

    code: str
    """Stable snake_case English name; what APIs, storage and scripts carry."""
    name_zh: str
    name_en: str
    unit: Unit
    direction: Direction
    formula: str
    """The formula as people read it, over measure codes."""
    numerator: Term
    denominator: Term
    measures: tuple[Measure, ...]
    """Every measure numerator and denominator read (and no other)."""
    parameters: Mapping[str, float] = field(hash=False)
    """The parameters the measures were counted with, and their defaults."""
    owners: tuple[str, ...]
    """Owning departments (Department values)."""
    levels: tuple[Level, ...]
    description: str
    """The definition (DOMAIN.md §3), with its Chinese term."""
    scale: float | None = None
    """Multiplier of numerator / denominator; None means the unit's (UNIT_SCALE)."""

    def __post_init__(self) -> None:
        if not _CODE.fullmatch(self.code):
            raise ValueError(f"KPI code {self.code!r} is not snake_case")
        if not self.measures or len(set(self.measures)) != len(self.measures):
            raise ValueError(f"KPI {self.code}: measures must be listed once each")
        if not self.levels:
            raise ValueError(f"KPI {self.code}: no level")

    @cached_property
    def value_scale(self) -> float:
        """The multiplier applied to numerator / denominator."""
        return self.scale if self.scale is not None else UNIT_SCALE.get(self.unit, 1.0)


class KpiValue(NamedTuple):
    """A computed KPI, with everything needed to explain it.

    A named tuple rather than a frozen dataclass: an all-agents month builds about
    100,000 of them, and a tuple is built several times faster.
    """

    code: str
    value: float | None
    """numerator / denominator × scale; None when the denominator is 0."""
    numerator: float
    denominator: float
    unit: Unit
    measures: Mapping[Measure, float] = MappingProxyType({})
    """The measures the value was computed from."""
    parameters: Mapping[str, float] = MappingProxyType({})
    """The parameters the measures were counted with."""


def compute(
    definition: KpiDefinition,
    measures: Mapping[Measure, float] | Mapping[str, float],
    params: Mapping[str, float] | None = None,
    *,
    record_inputs: bool = True,
) -> KpiValue:
    """Compute one KPI from a subject's and period's summed measures.

    Measures missing from ``measures`` count as 0 (no events, no count).
    ``params`` are the parameters the measures were counted with: they are
    recorded on the value (defaults filled in, other names ignored); they do not
    change it, because thresholds are applied when measures are counted.
    """
    # Hot path (an all-agents list computes ~100k values): no copies when nothing changes.
    if params:
        parameters: Mapping[str, float] = {
            name: float(params.get(name, v)) for name, v in definition.parameters.items()
        }
    else:
        parameters = definition.parameters
    # Measure members are str, so plain column names as keys are read the same way.
    # Without record_inputs the caller promises every measure is present (the query
    # layer's complete mappings): no per-value copy, and ``measures`` stays empty.
    get = measures.get
    inputs: Mapping[Measure, float] = (
        {m: float(get(m, 0.0)) for m in definition.measures} if record_inputs else measures  # type: ignore[assignment]
    )
    numerator = float(definition.numerator(inputs, parameters))
    denominator = float(definition.denominator(inputs, parameters))
    value = None if denominator == 0 else numerator / denominator * definition.value_scale
    if value is not None and not math.isfinite(value):
        value = None  # measures no figure should make (rollups keep such rows out): no value
    return KpiValue(
        code=definition.code,
        value=value,
        numerator=numerator,
        denominator=denominator,
        unit=definition.unit,
        measures=inputs if record_inputs else {},
        parameters=parameters,
    )


# --- building blocks -----------------------------------------------------------------------

M = Measure
OM = Department.OPERATIONS_MANAGEMENT.value
OS = Department.OPERATIONS_SUPPORT.value
GA = Department.GENERAL_AFFAIRS.value
FS = Department.FIELD_SERVICE.value
ALL_DEPARTMENTS = (OM, OS, GA, FS)
OPERATIONS = (OM, OS)
OPERATIONS_AND_FIELD = (OM, OS, FS)

EVERY_LEVEL = (Level.AGENT, Level.TEAM, Level.DEPARTMENT, Level.CENTER)
ORG_UNITS = (Level.TEAM, Level.DEPARTMENT, Level.CENTER)
DEPARTMENT_AND_CENTER = (Level.DEPARTMENT, Level.CENTER)
CENTER = (Level.CENTER,)


def _measure(measure: Measure) -> Term:
    def term(m: MeasureValues, p: Parameters) -> float:
        return m[measure]

    return term


def _one(m: MeasureValues, p: Parameters) -> float:
    return 1.0


def _kpi(
    code: str,
    name_zh: str,
    name_en: str,
    *,
    unit: Unit,
    direction: Direction,
    formula: str,
    numerator: Measure | Term,
    denominator: Measure | Term,
    measures: tuple[Measure, ...],
    owners: tuple[str, ...],
    levels: tuple[Level, ...],
    description: str,
    scale: float | None = None,
) -> KpiDefinition:
    parameters = {
        name: DEFAULT_PARAMETERS[name] for m in measures for name in PARAMETERS_OF.get(m, ())
    }
    return KpiDefinition(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        unit=unit,
        direction=direction,
        formula=formula,
        numerator=_measure(numerator) if isinstance(numerator, Measure) else numerator,
        denominator=_measure(denominator) if isinstance(denominator, Measure) else denominator,
        measures=measures,
        parameters=MappingProxyType(parameters),
        owners=owners,
        levels=levels,
        description=description,
        scale=scale,
    )


def _handling_seconds(m: MeasureValues, p: Parameters) -> float:
    return m[M.TALK_SECONDS] + m[M.HOLD_SECONDS] + m[M.ACW_SECONDS]


HIGHER = Direction.HIGHER_BETTER
LOWER = Direction.LOWER_BETTER


# fmt: off
# (one definition per paragraph reads better than one argument per line)

# --- calls and queues ----------------------------------------------------------------------

_CALLS: tuple[KpiDefinition, ...] = (
    _kpi(
        "calls_offered", "进线量", "Calls offered",
        unit=Unit.COUNT, direction=HIGHER, formula="calls_offered",
        numerator=M.CALLS_OFFERED, denominator=_one, measures=(M.CALLS_OFFERED,),
        owners=OPERATIONS, levels=CENTER,
        description="进线量: calls offered to agents (answered, transferred, abandoned or "
        "timed out; IVR-completed calls excluded). A volume; its direction is nominal.",
    ),
    _kpi(
        "calls_answered", "电话处理量", "Calls answered (handled)",
        unit=Unit.COUNT, direction=HIGHER, formula="calls_answered",
        numerator=M.CALLS_ANSWERED, denominator=_one, measures=(M.CALLS_ANSWERED,),
        owners=OPERATIONS, levels=EVERY_LEVEL,
        description="电话处理量: calls an agent answered, transferred ones included; "
        "DOMAIN's handled calls.",
    ),
    _kpi(
        "calls_abandoned", "放弃量", "Calls abandoned",
        unit=Unit.COUNT, direction=LOWER, formula="calls_abandoned",
        numerator=M.CALLS_ABANDONED, denominator=_one, measures=(M.CALLS_ABANDONED,),
        owners=OPERATIONS, levels=CENTER,
        description="放弃量: calls the caller hung up in the queue before an agent answered, "
        "short abandons included (abandon_rate excludes them).",
    ),
    _kpi(
        "service_level", "服务水平", "Service level",
        unit=Unit.PERCENT, direction=HIGHER,
        formula="calls_answered_in_sl / (calls_offered − calls_short_abandoned)",
        numerator=M.CALLS_ANSWERED_IN_SL,
        denominator=lambda m, p: m[M.CALLS_OFFERED] - m[M.CALLS_SHORT_ABANDONED],
        measures=(M.CALLS_ANSWERED_IN_SL, M.CALLS_OFFERED, M.CALLS_SHORT_ABANDONED),
        owners=ALL_DEPARTMENTS, levels=CENTER,
        description="服务水平: calls answered within T (service_level_seconds, default 20 s) / "
        "(calls offered − short abandons); the target is written \"80/20\" (80 % within 20 s). "
        "Abandons after the short-abandon threshold and timeouts stay in the denominator.",
    ),
    _kpi(
        "asa", "平均应答速度", "Average speed of answer",
        unit=Unit.SECONDS, direction=LOWER, formula="wait_answered_seconds / calls_answered",
        numerator=M.WAIT_ANSWERED_SECONDS, denominator=M.CALLS_ANSWERED,
        measures=(M.WAIT_ANSWERED_SECONDS, M.CALLS_ANSWERED),
        owners=OPERATIONS, levels=CENTER,
        description="平均应答速度 (平均等待时长): total wait of answered calls / answered calls.",
    ),
    _kpi(
        "abandon_rate", "电话放弃率", "Abandonment rate",
        unit=Unit.PERCENT, direction=LOWER,
        formula="(calls_abandoned − calls_short_abandoned) / calls_offered",
        numerator=lambda m, p: m[M.CALLS_ABANDONED] - m[M.CALLS_SHORT_ABANDONED],
        denominator=M.CALLS_OFFERED,
        measures=(M.CALLS_ABANDONED, M.CALLS_SHORT_ABANDONED, M.CALLS_OFFERED),
        owners=OPERATIONS, levels=CENTER,
        description="电话放弃率: calls abandoned after the short-abandon threshold "
        "(short_abandon_seconds, default 5 s) / calls offered.",
    ),
    _kpi(
        "self_service_ratio", "自助服务比率", "Self-service ratio",
        unit=Unit.PERCENT, direction=HIGHER, formula="calls_ivr_completed / calls_inbound",
        numerator=M.CALLS_IVR_COMPLETED, denominator=M.CALLS_INBOUND,
        measures=(M.CALLS_IVR_COMPLETED, M.CALLS_INBOUND),
        owners=OPERATIONS_AND_FIELD, levels=CENTER,
        description="自助服务比率: calls completed in the IVR / inbound calls (offered to "
        "agents + completed in the IVR).",
    ),
)

# --- handling (agent work) -----------------------------------------------------------------

_HANDLING: tuple[KpiDefinition, ...] = (
    _kpi(
        "avg_talk_time", "平均通话时长", "Average talk time",
        unit=Unit.SECONDS, direction=LOWER, formula="talk_seconds / calls_answered",
        numerator=M.TALK_SECONDS, denominator=M.CALLS_ANSWERED,
        measures=(M.TALK_SECONDS, M.CALLS_ANSWERED),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="平均通话时长: talk seconds (hold excluded) of answered calls / answered "
        "calls.",
    ),
    _kpi(
        "avg_hold_time", "平均保持时长", "Average hold time",
        unit=Unit.SECONDS, direction=LOWER, formula="hold_seconds / calls_answered",
        numerator=M.HOLD_SECONDS, denominator=M.CALLS_ANSWERED,
        measures=(M.HOLD_SECONDS, M.CALLS_ANSWERED),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="平均保持时长: hold seconds of answered calls / answered calls.",
    ),
    _kpi(
        "avg_acw", "话后处理时长", "Average after-call work",
        unit=Unit.SECONDS, direction=LOWER, formula="acw_seconds / calls_answered",
        numerator=M.ACW_SECONDS, denominator=M.CALLS_ANSWERED,
        measures=(M.ACW_SECONDS, M.CALLS_ANSWERED),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="话后处理时长: after-call work seconds of answered calls / answered calls.",
    ),
    _kpi(
        "aht", "平均处理时长", "Average handling time",
        unit=Unit.SECONDS, direction=LOWER,
        formula="(talk_seconds + hold_seconds + acw_seconds) / calls_answered",
        numerator=_handling_seconds, denominator=M.CALLS_ANSWERED,
        measures=(M.TALK_SECONDS, M.HOLD_SECONDS, M.ACW_SECONDS, M.CALLS_ANSWERED),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="平均处理时长 (AHT): (talk + hold + after-call work) / answered calls.",
    ),
    _kpi(
        "transfer_rate", "电话转接率", "Transfer rate",
        unit=Unit.PERCENT, direction=LOWER, formula="calls_transferred / calls_answered",
        numerator=M.CALLS_TRANSFERRED, denominator=M.CALLS_ANSWERED,
        measures=(M.CALLS_TRANSFERRED, M.CALLS_ANSWERED),
        owners=OPERATIONS, levels=EVERY_LEVEL,
        description="电话转接率: transferred calls / answered calls (a transferred call was "
        "answered first, so it is in both).",
    ),
    _kpi(
        "occupancy", "座席占用率", "Occupancy",
        unit=Unit.PERCENT, direction=HIGHER,
        formula="(talk_seconds + hold_seconds + acw_seconds) / "
        "(talk_seconds + hold_seconds + acw_seconds + available_seconds)",
        numerator=_handling_seconds,
        denominator=lambda m, p: _handling_seconds(m, p) + m[M.AVAILABLE_SECONDS],
        measures=(M.TALK_SECONDS, M.HOLD_SECONDS, M.ACW_SECONDS, M.AVAILABLE_SECONDS),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="座席占用率: (talk + hold + ACW) / (talk + hold + ACW + available idle "
        "time); handling from the answered calls, idle from the available state.",
    ),
    _kpi(
        "utilization", "座席利用率", "Utilization",
        unit=Unit.PERCENT, direction=HIGHER, formula="logged_in_seconds / scheduled_paid_seconds",
        numerator=M.LOGGED_IN_SECONDS, denominator=M.SCHEDULED_PAID_SECONDS,
        measures=(M.LOGGED_IN_SECONDS, M.SCHEDULED_PAID_SECONDS),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="座席利用率: logged-in time / scheduled paid time (scheduled days × "
        "paid_hours_per_day, default 8 h).",
    ),
    _kpi(
        "productivity", "座席生产率", "Productivity (calls per logged-in hour)",
        unit=Unit.RATIO, direction=HIGHER, formula="calls_answered / (logged_in_seconds / 3600)",
        numerator=M.CALLS_ANSWERED,
        denominator=lambda m, p: m[M.LOGGED_IN_SECONDS] / 3600.0,
        measures=(M.CALLS_ANSWERED, M.LOGGED_IN_SECONDS),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="座席生产率: handled (answered) contacts per logged-in hour.",
    ),
    _kpi(
        "calls_per_agent_shift", "人均班次电话处理量", "Calls handled per agent shift",
        unit=Unit.RATIO, direction=HIGHER, formula="calls_answered / agent_shifts",
        numerator=M.CALLS_ANSWERED, denominator=M.AGENT_SHIFTS,
        measures=(M.CALLS_ANSWERED, M.AGENT_SHIFTS),
        owners=OPERATIONS, levels=EVERY_LEVEL,
        description="人均班次电话处理量: answered calls / agent shifts (login sessions).",
    ),
    _kpi(
        "fcr", "一次解决率（统计指标）", "First-contact resolution (statistical)",
        unit=Unit.PERCENT, direction=HIGHER, formula="cases_without_repeat / cases",
        numerator=M.CASES_WITHOUT_REPEAT, denominator=M.CASES,
        measures=(M.CASES_WITHOUT_REPEAT, M.CASES),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="一次解决率 (统计指标): cases (answered calls with a caller key) with no "
        "repeat contact from the same customer within N days (fcr_window_days, default 7) "
        "/ cases. A period's value settles once its last day's window has passed.",
    ),
    _kpi(
        "first_call_resolution", "一次电话解决率", "First-call resolution (flagged)",
        unit=Unit.PERCENT, direction=HIGHER, formula="calls_fcr_flagged / calls_answered",
        numerator=M.CALLS_FCR_FLAGGED, denominator=M.CALLS_ANSWERED,
        measures=(M.CALLS_FCR_FLAGGED, M.CALLS_ANSWERED),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="一次电话解决率: calls flagged resolved on first call / handled calls; a "
        "call whose flag is not set counts as not resolved.",
    ),
)

# --- quality: accuracy, timeliness, QA -----------------------------------------------------

_QUALITY: tuple[KpiDefinition, ...] = (
    _kpi(
        "service_accuracy", "服务准确率", "Service accuracy",
        unit=Unit.PERCENT, direction=HIGHER, formula="(audit_items − audit_errors) / audit_items",
        numerator=lambda m, p: m[M.AUDIT_ITEMS] - m[M.AUDIT_ERRORS],
        denominator=M.AUDIT_ITEMS, measures=(M.AUDIT_ITEMS, M.AUDIT_ERRORS),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="服务准确率: 1 − errors found / items audited (the center's internal "
        "accuracy; seed 002's information accuracy 信息准确率 for an agent).",
    ),
    _kpi(
        "error_rate", "差错率", "Error rate",
        unit=Unit.PERCENT, direction=LOWER, formula="audit_errors / audit_items",
        numerator=M.AUDIT_ERRORS, denominator=M.AUDIT_ITEMS,
        measures=(M.AUDIT_ERRORS, M.AUDIT_ITEMS),
        owners=OPERATIONS_AND_FIELD, levels=EVERY_LEVEL,
        description="差错率: errors found / items audited, the other face of service accuracy; "
        "seed 002's wrong-operation rate 错误操作率 for an agent.",
    ),
    _kpi(
        "on_time_rate", "处理及时率", "On-time processing",
        unit=Unit.PERCENT, direction=HIGHER, formula="work_orders_on_time / work_orders_due",
        numerator=M.WORK_ORDERS_ON_TIME, denominator=M.WORK_ORDERS_DUE,
        measures=(M.WORK_ORDERS_ON_TIME, M.WORK_ORDERS_DUE),
        owners=OPERATIONS, levels=EVERY_LEVEL,
        description="处理及时率 (非实时业务处理准时率; 工单及时率): non-real-time work orders "
        "closed within their due time / work orders due.",
    ),
    _kpi(
        "first_response_time", "首次响应时长", "First response time",
        unit=Unit.SECONDS, direction=LOWER, formula="first_response_seconds / first_responses",
        numerator=M.FIRST_RESPONSE_SECONDS, denominator=M.FIRST_RESPONSES,
        measures=(M.FIRST_RESPONSE_SECONDS, M.FIRST_RESPONSES),
        owners=(OM, FS), levels=EVERY_LEVEL,
        description="首次响应时长 (seed 002): mean seconds from a work order's creation to its "
        "first response, over work orders that got one (chat and mail; for phone see asa).",
    ),
    _kpi(
        "qa_score", "服务规范得分率", "QA score (service-standard compliance)",
        unit=Unit.PERCENT, direction=HIGHER, formula="qa_score / qa_max_score",
        numerator=M.QA_SCORE, denominator=M.QA_MAX_SCORE, measures=(M.QA_SCORE, M.QA_MAX_SCORE),
        owners=OPERATIONS, levels=EVERY_LEVEL,
        description="服务规范 (录音质检得分, seed 002 and seed 004 appendix 2): points scored on "
        "the call-recording QA rubric / points possible, over the period's evaluations.",
    ),
)

# --- customer --------------------------------------------------------------------------------

_CUSTOMER: tuple[KpiDefinition, ...] = (
    _kpi(
        "csat", "客户服务满意度", "Customer satisfaction (CSAT)",
        unit=Unit.PERCENT, direction=HIGHER, formula="csat_satisfied / csat_answers",
        numerator=M.CSAT_SATISFIED, denominator=M.CSAT_ANSWERS,
        measures=(M.CSAT_SATISFIED, M.CSAT_ANSWERS),
        owners=ALL_DEPARTMENTS, levels=EVERY_LEVEL,
        description="客户服务满意度: satisfied survey answers (top two boxes of 5: score ≥ "
        "csat_top_box_min, default 4) / answers with a CSAT score.",
    ),
    _kpi(
        "dsat", "客户服务不满意度", "Customer dissatisfaction (DSAT)",
        unit=Unit.PERCENT, direction=LOWER, formula="csat_dissatisfied / csat_answers",
        numerator=M.CSAT_DISSATISFIED, denominator=M.CSAT_ANSWERS,
        measures=(M.CSAT_DISSATISFIED, M.CSAT_ANSWERS),
        owners=ALL_DEPARTMENTS, levels=EVERY_LEVEL,
        description="客户服务不满意度: bottom two boxes (CSAT 1–2) / answers with a CSAT score.",
    ),
    _kpi(
        "nps", "净推荐值", "Net promoter score (NPS)",
        unit=Unit.SCORE, direction=HIGHER,
        formula="(nps_promoters − nps_detractors) / nps_answers × 100",
        numerator=lambda m, p: m[M.NPS_PROMOTERS] - m[M.NPS_DETRACTORS],
        denominator=M.NPS_ANSWERS,
        measures=(M.NPS_PROMOTERS, M.NPS_DETRACTORS, M.NPS_ANSWERS),
        owners=(OM, FS), levels=EVERY_LEVEL, scale=100.0,
        description="净推荐值 (NPS, seed 002): % promoters (9–10) − % detractors (0–6) among "
        "answers with an NPS score; a score from −100 to 100.",
    ),
    _kpi(
        "complaint_rate", "客户服务投诉率", "Complaint rate",
        unit=Unit.PERMILLE, direction=LOWER, formula="complaints_confirmed / calls_answered",
        numerator=M.COMPLAINTS_CONFIRMED, denominator=M.CALLS_ANSWERED,
        measures=(M.COMPLAINTS_CONFIRMED, M.CALLS_ANSWERED),
        owners=ALL_DEPARTMENTS, levels=EVERY_LEVEL,
        description="客户服务投诉率: confirmed complaints / handled contacts, in ‰ (targets "
        "e.g. ≤ 1‰ for 运营管理科, ≤ 4‰ for 现场服务). For an agent: confirmed complaints "
        "attributed to the agent / contacts the agent handled (seed 002).",
    ),
    _kpi(
        "negative_review_share", "差评率", "Negative-review share",
        unit=Unit.PERCENT, direction=LOWER, formula="negative_remarks / survey_answers",
        numerator=M.NEGATIVE_REMARKS, denominator=M.SURVEY_ANSWERS,
        measures=(M.NEGATIVE_REMARKS, M.SURVEY_ANSWERS),
        owners=(OM, FS), levels=EVERY_LEVEL,
        description="差评率 (seed 002): survey answers whose remark is flagged negative / "
        "survey answers.",
    ),
    _kpi(
        "praise_count", "表扬数", "Praise count",
        unit=Unit.COUNT, direction=HIGHER, formula="praise_remarks",
        numerator=M.PRAISE_REMARKS, denominator=_one, measures=(M.PRAISE_REMARKS,),
        owners=(OM, FS), levels=EVERY_LEVEL,
        description="表扬数 (seed 002, a bonus item 加分项): survey answers whose remark is "
        "flagged praise.",
    ),
)

# --- financial -----------------------------------------------------------------------------

_FINANCIAL: tuple[KpiDefinition, ...] = (
    _kpi(
        "cost_per_call", "单呼成本", "Cost per call",
        unit=Unit.MONEY, direction=LOWER, formula="operating_cost / calls_answered",
        numerator=M.OPERATING_COST, denominator=M.CALLS_ANSWERED,
        measures=(M.OPERATING_COST, M.CALLS_ANSWERED),
        owners=(GA,), levels=DEPARTMENT_AND_CENTER,
        description="单呼成本: operating cost / handled calls of the same scope and period.",
    ),
    _kpi(
        "budget_accuracy", "预算执行准确率", "Budget execution accuracy",
        unit=Unit.PERCENT, direction=HIGHER,
        formula="(budget − |operating_cost − budget|) / budget",
        numerator=lambda m, p: m[M.BUDGET] - abs(m[M.OPERATING_COST] - m[M.BUDGET]),
        denominator=M.BUDGET, measures=(M.BUDGET, M.OPERATING_COST),
        owners=(GA,), levels=DEPARTMENT_AND_CENTER,
        description="预算执行准确率: 1 − |actual − budget| / budget, on the period's summed "
        "cost and budget (overspending and underspending both lower it; the error term is "
        "not additive, which is why it is taken on the sums).",
    ),
)

# --- employees -----------------------------------------------------------------------------

_EMPLOYEE: tuple[KpiDefinition, ...] = (
    _kpi(
        "employee_satisfaction", "员工满意度", "Employee satisfaction",
        unit=Unit.SCORE, direction=HIGHER,
        formula="employee_satisfaction_sum / employee_satisfaction_answers",
        numerator=M.EMPLOYEE_SATISFACTION_SUM, denominator=M.EMPLOYEE_SATISFACTION_ANSWERS,
        measures=(M.EMPLOYEE_SATISFACTION_SUM, M.EMPLOYEE_SATISFACTION_ANSWERS),
        owners=ALL_DEPARTMENTS, levels=ORG_UNITS,
        description="员工满意度: mean employee-survey satisfaction score, on the survey's scale.",
    ),
    _kpi(
        "attrition", "员工流失率", "Attrition",
        unit=Unit.PERCENT, direction=LOWER, formula="leavers / headcount",
        numerator=M.LEAVERS, denominator=M.HEADCOUNT, measures=(M.LEAVERS, M.HEADCOUNT),
        owners=ALL_DEPARTMENTS, levels=ORG_UNITS,
        description="员工流失率: leavers / average headcount of the period (the headcount "
        "HR reports for that period).",
    ),
    _kpi(
        "attendance", "员工出勤率", "Attendance",
        unit=Unit.PERCENT, direction=HIGHER, formula="attended_days / scheduled_days",
        numerator=M.ATTENDED_DAYS, denominator=M.SCHEDULED_DAYS,
        measures=(M.ATTENDED_DAYS, M.SCHEDULED_DAYS),
        owners=(GA,), levels=EVERY_LEVEL,
        description="员工出勤率: attended days / scheduled days.",
    ),
    _kpi(
        "suggestion_adoption", "年度员工建议案采纳率", "Suggestion adoption rate",
        unit=Unit.PERCENT, direction=HIGHER, formula="suggestions_adopted / suggestions_submitted",
        numerator=M.SUGGESTIONS_ADOPTED, denominator=M.SUGGESTIONS_SUBMITTED,
        measures=(M.SUGGESTIONS_ADOPTED, M.SUGGESTIONS_SUBMITTED),
        owners=(OM, OS, GA), levels=EVERY_LEVEL,
        description="年度员工建议案采纳率: adopted suggestions / submitted suggestions (read "
        "over a year).",
    ),
    _kpi(
        "training_hours_per_head", "年度人均培训时长", "Training hours per head",
        unit=Unit.HOURS, direction=HIGHER, formula="training_hours / headcount",
        numerator=M.TRAINING_HOURS, denominator=M.HEADCOUNT,
        measures=(M.TRAINING_HOURS, M.HEADCOUNT),
        owners=(OM, OS, GA), levels=ORG_UNITS,
        description="年度人均培训时长: off-the-job (脱产) training hours / headcount (read over "
        "a year).",
    ),
    _kpi(
        "internal_promotion_rate", "内部员工提升率", "Internal promotion rate",
        unit=Unit.PERCENT, direction=HIGHER, formula="promotions_internal / promotions_total",
        numerator=M.PROMOTIONS_INTERNAL, denominator=M.PROMOTIONS_TOTAL,
        measures=(M.PROMOTIONS_INTERNAL, M.PROMOTIONS_TOTAL),
        owners=(GA,), levels=DEPARTMENT_AND_CENTER,
        description="内部员工提升率: promoted positions filled internally / all promoted "
        "positions filled.",
    ),
)

# --- workforce planning and systems --------------------------------------------------------

_PLANNING: tuple[KpiDefinition, ...] = (
    _kpi(
        "forecast_accuracy", "业务量预测准确率", "Forecast accuracy",
        unit=Unit.PERCENT, direction=HIGHER,
        formula="(forecast_intervals − forecast_error_ratio_sum) / forecast_intervals",
        numerator=lambda m, p: m[M.FORECAST_INTERVALS] - m[M.FORECAST_ERROR_RATIO_SUM],
        denominator=M.FORECAST_INTERVALS,
        measures=(M.FORECAST_INTERVALS, M.FORECAST_ERROR_RATIO_SUM),
        owners=OPERATIONS_AND_FIELD, levels=CENTER,
        description="业务量预测准确率: 1 − mean over intervals (with actual volume > 0) of "
        "|actual − forecast| / actual. Can fall below 0 when forecasts miss by more than 100 %.",
    ),
    _kpi(
        "schedule_accuracy", "排班准确率", "Schedule accuracy",
        unit=Unit.PERCENT, direction=HIGHER,
        formula="(schedule_intervals − schedule_error_ratio_sum) / schedule_intervals",
        numerator=lambda m, p: m[M.SCHEDULE_INTERVALS] - m[M.SCHEDULE_ERROR_RATIO_SUM],
        denominator=M.SCHEDULE_INTERVALS,
        measures=(M.SCHEDULE_INTERVALS, M.SCHEDULE_ERROR_RATIO_SUM),
        owners=OPERATIONS, levels=CENTER,
        description="排班准确率: 1 − mean over intervals (with required staff > 0) of "
        "|scheduled − required| / required.",
    ),
)

# fmt: on

_SYSTEM_NAMES: Mapping[str, tuple[str, str]] = {
    "lines": ("通信线路正常率", "Communication line availability"),
    "network": ("网络线路正常率", "Network availability"),
    "applications": ("应用程序正常率", "Application availability"),
    "hardware": ("硬件设备正常率", "Hardware availability"),
}


def _availability(kind: str) -> KpiDefinition:
    scheduled, down = scheduled_minutes(kind), downtime_minutes(kind)
    name_zh, name_en = _SYSTEM_NAMES[kind]

    def uptime(m: MeasureValues, p: Parameters) -> float:
        return m[scheduled] - m[down]

    return _kpi(
        f"{kind}_availability",
        name_zh,
        name_en,
        unit=Unit.PERCENT,
        direction=HIGHER,
        formula=f"({scheduled} − {down}) / {scheduled}",
        numerator=uptime,
        denominator=scheduled,
        measures=(scheduled, down),
        owners=(OS, GA),
        levels=CENTER,
        description=f"{name_zh}: 1 − downtime / scheduled service time, in minutes.",
    )


DEFINITIONS: tuple[KpiDefinition, ...] = (
    *_CALLS,
    *_HANDLING,
    *_QUALITY,
    *_CUSTOMER,
    *_FINANCIAL,
    *_EMPLOYEE,
    *_PLANNING,
    *(_availability(kind) for kind in SYSTEM_KINDS),
)
"""Every definition, in catalog order."""


def _index(definitions: tuple[KpiDefinition, ...]) -> Mapping[str, KpiDefinition]:
    catalog: dict[str, KpiDefinition] = {}
    for definition in definitions:
        if definition.code in catalog:
            raise ValueError(f"KPI code {definition.code} defined twice")
        catalog[definition.code] = definition
    return MappingProxyType(catalog)


CATALOG: Mapping[str, KpiDefinition] = _index(DEFINITIONS)
"""The default catalog by code; a center's parameter changes are stored beside it."""
