import datetime

from ccperf.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.type import date_pb2 as _date_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AppraisalState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APPRAISAL_STATE_UNSPECIFIED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_DRAFT: _ClassVar[AppraisalState]
    APPRAISAL_STATE_TARGETS_SET: _ClassVar[AppraisalState]
    APPRAISAL_STATE_TARGETS_CONFIRMED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_TARGETS_APPROVED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_IN_PROGRESS: _ClassVar[AppraisalState]
    APPRAISAL_STATE_DATA_COLLECTED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_SELF_ASSESSED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_REVIEWED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_RESULT_ISSUED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_SIGNED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_FILED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_APPEALED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_APPEAL_UPHELD: _ClassVar[AppraisalState]
    APPRAISAL_STATE_APPEAL_REJECTED: _ClassVar[AppraisalState]
    APPRAISAL_STATE_FINAL: _ClassVar[AppraisalState]

class PositionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POSITION_TYPE_UNSPECIFIED: _ClassVar[PositionType]
    POSITION_TYPE_MANAGEMENT: _ClassVar[PositionType]
    POSITION_TYPE_NON_MANAGEMENT: _ClassVar[PositionType]

class SectionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SECTION_KIND_UNSPECIFIED: _ClassVar[SectionKind]
    SECTION_KIND_KPI: _ClassVar[SectionKind]
    SECTION_KIND_WORK_GOALS: _ClassVar[SectionKind]
    SECTION_KIND_RATED: _ClassVar[SectionKind]
    SECTION_KIND_THREE_SIXTY: _ClassVar[SectionKind]
    SECTION_KIND_INCIDENTS: _ClassVar[SectionKind]
    SECTION_KIND_BONUS: _ClassVar[SectionKind]

class Direction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIRECTION_UNSPECIFIED: _ClassVar[Direction]
    DIRECTION_HIGHER_IS_BETTER: _ClassVar[Direction]
    DIRECTION_LOWER_IS_BETTER: _ClassVar[Direction]

class RaterRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RATER_ROLE_UNSPECIFIED: _ClassVar[RaterRole]
    RATER_ROLE_SELF: _ClassVar[RaterRole]
    RATER_ROLE_SUBORDINATES: _ClassVar[RaterRole]
    RATER_ROLE_PEERS: _ClassVar[RaterRole]
    RATER_ROLE_SUPERVISOR: _ClassVar[RaterRole]

class Grade(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GRADE_UNSPECIFIED: _ClassVar[Grade]
    GRADE_A: _ClassVar[Grade]
    GRADE_B: _ClassVar[Grade]
    GRADE_C: _ClassVar[Grade]
    GRADE_D: _ClassVar[Grade]
    GRADE_E: _ClassVar[Grade]

class PopulationLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POPULATION_LEVEL_UNSPECIFIED: _ClassVar[PopulationLevel]
    POPULATION_LEVEL_DEPARTMENT: _ClassVar[PopulationLevel]
    POPULATION_LEVEL_CENTER: _ClassVar[PopulationLevel]

class CertificationLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CERTIFICATION_LEVEL_UNSPECIFIED: _ClassVar[CertificationLevel]
    CERTIFICATION_LEVEL_FIVE_STAR: _ClassVar[CertificationLevel]
    CERTIFICATION_LEVEL_CERTIFIED: _ClassVar[CertificationLevel]
    CERTIFICATION_LEVEL_CONDITIONAL: _ClassVar[CertificationLevel]
    CERTIFICATION_LEVEL_NOT_CERTIFIED: _ClassVar[CertificationLevel]
APPRAISAL_STATE_UNSPECIFIED: AppraisalState
APPRAISAL_STATE_DRAFT: AppraisalState
APPRAISAL_STATE_TARGETS_SET: AppraisalState
APPRAISAL_STATE_TARGETS_CONFIRMED: AppraisalState
APPRAISAL_STATE_TARGETS_APPROVED: AppraisalState
APPRAISAL_STATE_IN_PROGRESS: AppraisalState
APPRAISAL_STATE_DATA_COLLECTED: AppraisalState
APPRAISAL_STATE_SELF_ASSESSED: AppraisalState
APPRAISAL_STATE_REVIEWED: AppraisalState
APPRAISAL_STATE_RESULT_ISSUED: AppraisalState
APPRAISAL_STATE_SIGNED: AppraisalState
APPRAISAL_STATE_FILED: AppraisalState
APPRAISAL_STATE_APPEALED: AppraisalState
APPRAISAL_STATE_APPEAL_UPHELD: AppraisalState
APPRAISAL_STATE_APPEAL_REJECTED: AppraisalState
APPRAISAL_STATE_FINAL: AppraisalState
POSITION_TYPE_UNSPECIFIED: PositionType
POSITION_TYPE_MANAGEMENT: PositionType
POSITION_TYPE_NON_MANAGEMENT: PositionType
SECTION_KIND_UNSPECIFIED: SectionKind
SECTION_KIND_KPI: SectionKind
SECTION_KIND_WORK_GOALS: SectionKind
SECTION_KIND_RATED: SectionKind
SECTION_KIND_THREE_SIXTY: SectionKind
SECTION_KIND_INCIDENTS: SectionKind
SECTION_KIND_BONUS: SectionKind
DIRECTION_UNSPECIFIED: Direction
DIRECTION_HIGHER_IS_BETTER: Direction
DIRECTION_LOWER_IS_BETTER: Direction
RATER_ROLE_UNSPECIFIED: RaterRole
RATER_ROLE_SELF: RaterRole
RATER_ROLE_SUBORDINATES: RaterRole
RATER_ROLE_PEERS: RaterRole
RATER_ROLE_SUPERVISOR: RaterRole
GRADE_UNSPECIFIED: Grade
GRADE_A: Grade
GRADE_B: Grade
GRADE_C: Grade
GRADE_D: Grade
GRADE_E: Grade
POPULATION_LEVEL_UNSPECIFIED: PopulationLevel
POPULATION_LEVEL_DEPARTMENT: PopulationLevel
POPULATION_LEVEL_CENTER: PopulationLevel
CERTIFICATION_LEVEL_UNSPECIFIED: CertificationLevel
CERTIFICATION_LEVEL_FIVE_STAR: CertificationLevel
CERTIFICATION_LEVEL_CERTIFIED: CertificationLevel
CERTIFICATION_LEVEL_CONDITIONAL: CertificationLevel
CERTIFICATION_LEVEL_NOT_CERTIFIED: CertificationLevel

class Scoring(_message.Message):
    __slots__ = ("ratio_to_target", "linear", "step_bands", "rubric", "rated", "three_sixty")
    RATIO_TO_TARGET_FIELD_NUMBER: _ClassVar[int]
    LINEAR_FIELD_NUMBER: _ClassVar[int]
    STEP_BANDS_FIELD_NUMBER: _ClassVar[int]
    RUBRIC_FIELD_NUMBER: _ClassVar[int]
    RATED_FIELD_NUMBER: _ClassVar[int]
    THREE_SIXTY_FIELD_NUMBER: _ClassVar[int]
    ratio_to_target: RatioToTarget
    linear: Linear
    step_bands: StepBands
    rubric: Rubric
    rated: Rated
    three_sixty: ThreeSixty
    def __init__(self, ratio_to_target: _Optional[_Union[RatioToTarget, _Mapping]] = ..., linear: _Optional[_Union[Linear, _Mapping]] = ..., step_bands: _Optional[_Union[StepBands, _Mapping]] = ..., rubric: _Optional[_Union[Rubric, _Mapping]] = ..., rated: _Optional[_Union[Rated, _Mapping]] = ..., three_sixty: _Optional[_Union[ThreeSixty, _Mapping]] = ...) -> None: ...

class RatioToTarget(_message.Message):
    __slots__ = ("cap", "direction")
    CAP_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    cap: str
    direction: Direction
    def __init__(self, cap: _Optional[str] = ..., direction: _Optional[_Union[Direction, str]] = ...) -> None: ...

class Linear(_message.Message):
    __slots__ = ("floor",)
    FLOOR_FIELD_NUMBER: _ClassVar[int]
    floor: str
    def __init__(self, floor: _Optional[str] = ...) -> None: ...

class StepBand(_message.Message):
    __slots__ = ("threshold", "fraction")
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    FRACTION_FIELD_NUMBER: _ClassVar[int]
    threshold: str
    fraction: str
    def __init__(self, threshold: _Optional[str] = ..., fraction: _Optional[str] = ...) -> None: ...

class StepBands(_message.Message):
    __slots__ = ("bands", "direction")
    BANDS_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    bands: _containers.RepeatedCompositeFieldContainer[StepBand]
    direction: Direction
    def __init__(self, bands: _Optional[_Iterable[_Union[StepBand, _Mapping]]] = ..., direction: _Optional[_Union[Direction, str]] = ...) -> None: ...

class RubricLevel(_message.Message):
    __slots__ = ("code", "description", "share")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SHARE_FIELD_NUMBER: _ClassVar[int]
    code: str
    description: str
    share: str
    def __init__(self, code: _Optional[str] = ..., description: _Optional[str] = ..., share: _Optional[str] = ...) -> None: ...

class Rubric(_message.Message):
    __slots__ = ("levels",)
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    levels: _containers.RepeatedCompositeFieldContainer[RubricLevel]
    def __init__(self, levels: _Optional[_Iterable[_Union[RubricLevel, _Mapping]]] = ...) -> None: ...

class Rated(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ThreeSixty(_message.Message):
    __slots__ = ("weights",)
    class WeightsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    weights: _containers.ScalarMap[str, str]
    def __init__(self, weights: _Optional[_Mapping[str, str]] = ...) -> None: ...

class TemplateItem(_message.Message):
    __slots__ = ("code", "name", "points", "scoring")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    SCORING_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    points: str
    scoring: Scoring
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., points: _Optional[str] = ..., scoring: _Optional[_Union[Scoring, _Mapping]] = ...) -> None: ...

class TemplateSection(_message.Message):
    __slots__ = ("code", "name_zh", "name_en", "kind", "items")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_zh: str
    name_en: str
    kind: SectionKind
    items: _containers.RepeatedCompositeFieldContainer[TemplateItem]
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., kind: _Optional[_Union[SectionKind, str]] = ..., items: _Optional[_Iterable[_Union[TemplateItem, _Mapping]]] = ...) -> None: ...

class WeightShare(_message.Message):
    __slots__ = ("sections", "weight")
    SECTIONS_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    sections: _containers.RepeatedScalarFieldContainer[str]
    weight: str
    def __init__(self, sections: _Optional[_Iterable[str]] = ..., weight: _Optional[str] = ...) -> None: ...

class PositionWeights(_message.Message):
    __slots__ = ("position_type", "shares")
    POSITION_TYPE_FIELD_NUMBER: _ClassVar[int]
    SHARES_FIELD_NUMBER: _ClassVar[int]
    position_type: PositionType
    shares: _containers.RepeatedCompositeFieldContainer[WeightShare]
    def __init__(self, position_type: _Optional[_Union[PositionType, str]] = ..., shares: _Optional[_Iterable[_Union[WeightShare, _Mapping]]] = ...) -> None: ...

class Template(_message.Message):
    __slots__ = ("code", "name", "sections", "weights", "supervisor_reach")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SECTIONS_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    SUPERVISOR_REACH_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    sections: _containers.RepeatedCompositeFieldContainer[TemplateSection]
    weights: _containers.RepeatedCompositeFieldContainer[PositionWeights]
    supervisor_reach: int
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., sections: _Optional[_Iterable[_Union[TemplateSection, _Mapping]]] = ..., weights: _Optional[_Iterable[_Union[PositionWeights, _Mapping]]] = ..., supervisor_reach: _Optional[int] = ...) -> None: ...

class Cycle(_message.Message):
    __slots__ = ("id", "period", "template_code", "opens_on", "closes_on", "data_due_on", "appraisals_by_state", "opened_at", "opened_by")
    class AppraisalsByStateEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    OPENS_ON_FIELD_NUMBER: _ClassVar[int]
    CLOSES_ON_FIELD_NUMBER: _ClassVar[int]
    DATA_DUE_ON_FIELD_NUMBER: _ClassVar[int]
    APPRAISALS_BY_STATE_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    OPENED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    period: _common_pb2.Period
    template_code: str
    opens_on: _date_pb2.Date
    closes_on: _date_pb2.Date
    data_due_on: _date_pb2.Date
    appraisals_by_state: _containers.ScalarMap[str, int]
    opened_at: _timestamp_pb2.Timestamp
    opened_by: str
    def __init__(self, id: _Optional[str] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., template_code: _Optional[str] = ..., opens_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., closes_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., data_due_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., appraisals_by_state: _Optional[_Mapping[str, int]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., opened_by: _Optional[str] = ...) -> None: ...

class Skipped(_message.Message):
    __slots__ = ("employee_id", "reasons")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, employee_id: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ...) -> None: ...

class TargetItem(_message.Message):
    __slots__ = ("section", "code", "name", "weight", "points", "scoring", "target", "standard", "data_provider")
    SECTION_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    SCORING_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    STANDARD_FIELD_NUMBER: _ClassVar[int]
    DATA_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    section: str
    code: str
    name: str
    weight: str
    points: str
    scoring: Scoring
    target: str
    standard: str
    data_provider: str
    def __init__(self, section: _Optional[str] = ..., code: _Optional[str] = ..., name: _Optional[str] = ..., weight: _Optional[str] = ..., points: _Optional[str] = ..., scoring: _Optional[_Union[Scoring, _Mapping]] = ..., target: _Optional[str] = ..., standard: _Optional[str] = ..., data_provider: _Optional[str] = ...) -> None: ...

class SectionWeight(_message.Message):
    __slots__ = ("section", "weight")
    SECTION_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    section: str
    weight: str
    def __init__(self, section: _Optional[str] = ..., weight: _Optional[str] = ...) -> None: ...

class AppraisalItem(_message.Message):
    __slots__ = ("section", "code", "name", "weight", "points", "scoring", "target", "standard", "data_provider", "actual", "definition_version", "collected_at", "self_score", "review_score", "self_level", "review_level", "score", "unscored_reason")
    SECTION_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    SCORING_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    STANDARD_FIELD_NUMBER: _ClassVar[int]
    DATA_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_VERSION_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_AT_FIELD_NUMBER: _ClassVar[int]
    SELF_SCORE_FIELD_NUMBER: _ClassVar[int]
    REVIEW_SCORE_FIELD_NUMBER: _ClassVar[int]
    SELF_LEVEL_FIELD_NUMBER: _ClassVar[int]
    REVIEW_LEVEL_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    UNSCORED_REASON_FIELD_NUMBER: _ClassVar[int]
    section: str
    code: str
    name: str
    weight: str
    points: str
    scoring: Scoring
    target: str
    standard: str
    data_provider: str
    actual: str
    definition_version: int
    collected_at: _timestamp_pb2.Timestamp
    self_score: str
    review_score: str
    self_level: str
    review_level: str
    score: str
    unscored_reason: str
    def __init__(self, section: _Optional[str] = ..., code: _Optional[str] = ..., name: _Optional[str] = ..., weight: _Optional[str] = ..., points: _Optional[str] = ..., scoring: _Optional[_Union[Scoring, _Mapping]] = ..., target: _Optional[str] = ..., standard: _Optional[str] = ..., data_provider: _Optional[str] = ..., actual: _Optional[str] = ..., definition_version: _Optional[int] = ..., collected_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., self_score: _Optional[str] = ..., review_score: _Optional[str] = ..., self_level: _Optional[str] = ..., review_level: _Optional[str] = ..., score: _Optional[str] = ..., unscored_reason: _Optional[str] = ...) -> None: ...

class Adjustment(_message.Message):
    __slots__ = ("id", "kind", "item_code", "points", "description", "filed_by", "filed_at", "status", "decided_by", "decision_reason")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[Adjustment.Kind]
        KIND_INCIDENT: _ClassVar[Adjustment.Kind]
        KIND_BONUS: _ClassVar[Adjustment.Kind]
    KIND_UNSPECIFIED: Adjustment.Kind
    KIND_INCIDENT: Adjustment.Kind
    KIND_BONUS: Adjustment.Kind
    class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATUS_UNSPECIFIED: _ClassVar[Adjustment.Status]
        STATUS_PENDING: _ClassVar[Adjustment.Status]
        STATUS_CONFIRMED: _ClassVar[Adjustment.Status]
        STATUS_REJECTED: _ClassVar[Adjustment.Status]
    STATUS_UNSPECIFIED: Adjustment.Status
    STATUS_PENDING: Adjustment.Status
    STATUS_CONFIRMED: Adjustment.Status
    STATUS_REJECTED: Adjustment.Status
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FILED_BY_FIELD_NUMBER: _ClassVar[int]
    FILED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: Adjustment.Kind
    item_code: str
    points: str
    description: str
    filed_by: str
    filed_at: _timestamp_pb2.Timestamp
    status: Adjustment.Status
    decided_by: str
    decision_reason: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[Adjustment.Kind, str]] = ..., item_code: _Optional[str] = ..., points: _Optional[str] = ..., description: _Optional[str] = ..., filed_by: _Optional[str] = ..., filed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[Adjustment.Status, str]] = ..., decided_by: _Optional[str] = ..., decision_reason: _Optional[str] = ...) -> None: ...

class RaterInvitation(_message.Message):
    __slots__ = ("rater_id", "role", "submitted")
    RATER_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_FIELD_NUMBER: _ClassVar[int]
    rater_id: str
    role: RaterRole
    submitted: bool
    def __init__(self, rater_id: _Optional[str] = ..., role: _Optional[_Union[RaterRole, str]] = ..., submitted: _Optional[bool] = ...) -> None: ...

class Contribution(_message.Message):
    __slots__ = ("kind", "section", "name", "amount", "counted", "detail")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SECTION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    COUNTED_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    kind: str
    section: str
    name: str
    amount: str
    counted: bool
    detail: str
    def __init__(self, kind: _Optional[str] = ..., section: _Optional[str] = ..., name: _Optional[str] = ..., amount: _Optional[str] = ..., counted: _Optional[bool] = ..., detail: _Optional[str] = ...) -> None: ...

class SectionResult(_message.Message):
    __slots__ = ("section", "weight", "score", "weighted")
    SECTION_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    WEIGHTED_FIELD_NUMBER: _ClassVar[int]
    section: str
    weight: str
    score: str
    weighted: str
    def __init__(self, section: _Optional[str] = ..., weight: _Optional[str] = ..., score: _Optional[str] = ..., weighted: _Optional[str] = ...) -> None: ...

class Result(_message.Message):
    __slots__ = ("issue", "issued_on", "total", "full_score", "coefficient", "grade", "sections", "explanation", "appeal_deadline")
    ISSUE_FIELD_NUMBER: _ClassVar[int]
    ISSUED_ON_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    FULL_SCORE_FIELD_NUMBER: _ClassVar[int]
    COEFFICIENT_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    SECTIONS_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    APPEAL_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    issue: int
    issued_on: _date_pb2.Date
    total: str
    full_score: str
    coefficient: str
    grade: Grade
    sections: _containers.RepeatedCompositeFieldContainer[SectionResult]
    explanation: _containers.RepeatedCompositeFieldContainer[Contribution]
    appeal_deadline: _date_pb2.Date
    def __init__(self, issue: _Optional[int] = ..., issued_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., total: _Optional[str] = ..., full_score: _Optional[str] = ..., coefficient: _Optional[str] = ..., grade: _Optional[_Union[Grade, str]] = ..., sections: _Optional[_Iterable[_Union[SectionResult, _Mapping]]] = ..., explanation: _Optional[_Iterable[_Union[Contribution, _Mapping]]] = ..., appeal_deadline: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class Appraisal(_message.Message):
    __slots__ = ("id", "cycle_id", "employee_id", "assessor_id", "org_unit_id", "position_type", "period", "template_code", "state", "etag", "allowed_transitions", "section_weights", "items", "adjustments", "raters", "result", "collected_late", "signed_by_employee", "signed_by_assessor")
    ID_FIELD_NUMBER: _ClassVar[int]
    CYCLE_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    ASSESSOR_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    POSITION_TYPE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_TRANSITIONS_FIELD_NUMBER: _ClassVar[int]
    SECTION_WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    ADJUSTMENTS_FIELD_NUMBER: _ClassVar[int]
    RATERS_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    COLLECTED_LATE_FIELD_NUMBER: _ClassVar[int]
    SIGNED_BY_EMPLOYEE_FIELD_NUMBER: _ClassVar[int]
    SIGNED_BY_ASSESSOR_FIELD_NUMBER: _ClassVar[int]
    id: str
    cycle_id: str
    employee_id: str
    assessor_id: str
    org_unit_id: str
    position_type: PositionType
    period: _common_pb2.Period
    template_code: str
    state: AppraisalState
    etag: str
    allowed_transitions: _containers.RepeatedScalarFieldContainer[str]
    section_weights: _containers.RepeatedCompositeFieldContainer[SectionWeight]
    items: _containers.RepeatedCompositeFieldContainer[AppraisalItem]
    adjustments: _containers.RepeatedCompositeFieldContainer[Adjustment]
    raters: _containers.RepeatedCompositeFieldContainer[RaterInvitation]
    result: Result
    collected_late: bool
    signed_by_employee: bool
    signed_by_assessor: bool
    def __init__(self, id: _Optional[str] = ..., cycle_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., assessor_id: _Optional[str] = ..., org_unit_id: _Optional[str] = ..., position_type: _Optional[_Union[PositionType, str]] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., template_code: _Optional[str] = ..., state: _Optional[_Union[AppraisalState, str]] = ..., etag: _Optional[str] = ..., allowed_transitions: _Optional[_Iterable[str]] = ..., section_weights: _Optional[_Iterable[_Union[SectionWeight, _Mapping]]] = ..., items: _Optional[_Iterable[_Union[AppraisalItem, _Mapping]]] = ..., adjustments: _Optional[_Iterable[_Union[Adjustment, _Mapping]]] = ..., raters: _Optional[_Iterable[_Union[RaterInvitation, _Mapping]]] = ..., result: _Optional[_Union[Result, _Mapping]] = ..., collected_late: _Optional[bool] = ..., signed_by_employee: _Optional[bool] = ..., signed_by_assessor: _Optional[bool] = ...) -> None: ...

class AuditRecord(_message.Message):
    __slots__ = ("transition", "who", "party", "when", "from_state", "to_state", "reason", "detail", "late")
    TRANSITION_FIELD_NUMBER: _ClassVar[int]
    WHO_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    WHEN_FIELD_NUMBER: _ClassVar[int]
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    transition: str
    who: str
    party: str
    when: _timestamp_pb2.Timestamp
    from_state: AppraisalState
    to_state: AppraisalState
    reason: str
    detail: str
    late: bool
    def __init__(self, transition: _Optional[str] = ..., who: _Optional[str] = ..., party: _Optional[str] = ..., when: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., from_state: _Optional[_Union[AppraisalState, str]] = ..., to_state: _Optional[_Union[AppraisalState, str]] = ..., reason: _Optional[str] = ..., detail: _Optional[str] = ..., late: _Optional[bool] = ...) -> None: ...

class FiledResult(_message.Message):
    __slots__ = ("appraisal_id", "employee_id", "org_unit_id", "period", "state", "issue", "total", "coefficient", "grade")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ISSUE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    COEFFICIENT_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    employee_id: str
    org_unit_id: str
    period: _common_pb2.Period
    state: AppraisalState
    issue: int
    total: str
    coefficient: str
    grade: Grade
    def __init__(self, appraisal_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., org_unit_id: _Optional[str] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., state: _Optional[_Union[AppraisalState, str]] = ..., issue: _Optional[int] = ..., total: _Optional[str] = ..., coefficient: _Optional[str] = ..., grade: _Optional[_Union[Grade, str]] = ...) -> None: ...

class ItemScore(_message.Message):
    __slots__ = ("section", "code", "score", "level")
    SECTION_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    section: str
    code: str
    score: str
    level: str
    def __init__(self, section: _Optional[str] = ..., code: _Optional[str] = ..., score: _Optional[str] = ..., level: _Optional[str] = ...) -> None: ...

class ListTemplatesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListTemplatesResponse(_message.Message):
    __slots__ = ("templates",)
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    templates: _containers.RepeatedCompositeFieldContainer[Template]
    def __init__(self, templates: _Optional[_Iterable[_Union[Template, _Mapping]]] = ...) -> None: ...

class OpenCycleRequest(_message.Message):
    __slots__ = ("period", "template_code", "opens_on", "closes_on")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    OPENS_ON_FIELD_NUMBER: _ClassVar[int]
    CLOSES_ON_FIELD_NUMBER: _ClassVar[int]
    period: _common_pb2.Period
    template_code: str
    opens_on: _date_pb2.Date
    closes_on: _date_pb2.Date
    def __init__(self, period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., template_code: _Optional[str] = ..., opens_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., closes_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class OpenCycleResponse(_message.Message):
    __slots__ = ("cycle", "opened", "skipped")
    CYCLE_FIELD_NUMBER: _ClassVar[int]
    OPENED_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    cycle: Cycle
    opened: int
    skipped: _containers.RepeatedCompositeFieldContainer[Skipped]
    def __init__(self, cycle: _Optional[_Union[Cycle, _Mapping]] = ..., opened: _Optional[int] = ..., skipped: _Optional[_Iterable[_Union[Skipped, _Mapping]]] = ...) -> None: ...

class GetCycleRequest(_message.Message):
    __slots__ = ("cycle_id",)
    CYCLE_ID_FIELD_NUMBER: _ClassVar[int]
    cycle_id: str
    def __init__(self, cycle_id: _Optional[str] = ...) -> None: ...

class GetCycleResponse(_message.Message):
    __slots__ = ("cycle",)
    CYCLE_FIELD_NUMBER: _ClassVar[int]
    cycle: Cycle
    def __init__(self, cycle: _Optional[_Union[Cycle, _Mapping]] = ...) -> None: ...

class GetAppraisalRequest(_message.Message):
    __slots__ = ("appraisal_id",)
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    def __init__(self, appraisal_id: _Optional[str] = ...) -> None: ...

class GetAppraisalResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class ListAppraisalsRequest(_message.Message):
    __slots__ = ("cycle_id", "employee_id", "assessor_id", "state", "page_size", "page_token", "summary")
    CYCLE_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    ASSESSOR_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    cycle_id: str
    employee_id: str
    assessor_id: str
    state: AppraisalState
    page_size: int
    page_token: str
    summary: bool
    def __init__(self, cycle_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., assessor_id: _Optional[str] = ..., state: _Optional[_Union[AppraisalState, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., summary: _Optional[bool] = ...) -> None: ...

class ListAppraisalsResponse(_message.Message):
    __slots__ = ("appraisals", "next_page_token")
    APPRAISALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    appraisals: _containers.RepeatedCompositeFieldContainer[Appraisal]
    next_page_token: str
    def __init__(self, appraisals: _Optional[_Iterable[_Union[Appraisal, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListAuditRecordsRequest(_message.Message):
    __slots__ = ("appraisal_id",)
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    def __init__(self, appraisal_id: _Optional[str] = ...) -> None: ...

class ListAuditRecordsResponse(_message.Message):
    __slots__ = ("records",)
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[AuditRecord]
    def __init__(self, records: _Optional[_Iterable[_Union[AuditRecord, _Mapping]]] = ...) -> None: ...

class SetTargetsRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag", "section_weights", "items")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    SECTION_WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    section_weights: _containers.RepeatedCompositeFieldContainer[SectionWeight]
    items: _containers.RepeatedCompositeFieldContainer[TargetItem]
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ..., section_weights: _Optional[_Iterable[_Union[SectionWeight, _Mapping]]] = ..., items: _Optional[_Iterable[_Union[TargetItem, _Mapping]]] = ...) -> None: ...

class SetTargetsResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class ConfirmTargetsRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class ConfirmTargetsResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class ApproveTargetsRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class ApproveTargetsResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class RejectTargetsRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag", "reason")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    reason: str
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RejectTargetsResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class StartAppraisalRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class StartAppraisalResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class CollectKpiDataRequest(_message.Message):
    __slots__ = ("cycle_id", "appraisal_ids", "recollect", "reason")
    CYCLE_ID_FIELD_NUMBER: _ClassVar[int]
    APPRAISAL_IDS_FIELD_NUMBER: _ClassVar[int]
    RECOLLECT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    cycle_id: str
    appraisal_ids: _containers.RepeatedScalarFieldContainer[str]
    recollect: bool
    reason: str
    def __init__(self, cycle_id: _Optional[str] = ..., appraisal_ids: _Optional[_Iterable[str]] = ..., recollect: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class CollectKpiDataResponse(_message.Message):
    __slots__ = ("collected", "changed", "late", "data_due_on", "missing")
    COLLECTED_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    DATA_DUE_ON_FIELD_NUMBER: _ClassVar[int]
    MISSING_FIELD_NUMBER: _ClassVar[int]
    collected: int
    changed: int
    late: bool
    data_due_on: _date_pb2.Date
    missing: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, collected: _Optional[int] = ..., changed: _Optional[int] = ..., late: _Optional[bool] = ..., data_due_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., missing: _Optional[_Iterable[str]] = ...) -> None: ...

class SubmitSelfAssessmentRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag", "scores")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    scores: _containers.RepeatedCompositeFieldContainer[ItemScore]
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ..., scores: _Optional[_Iterable[_Union[ItemScore, _Mapping]]] = ...) -> None: ...

class SubmitSelfAssessmentResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class SubmitRatingRequest(_message.Message):
    __slots__ = ("appraisal_id", "scores")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    scores: _containers.RepeatedCompositeFieldContainer[ItemScore]
    def __init__(self, appraisal_id: _Optional[str] = ..., scores: _Optional[_Iterable[_Union[ItemScore, _Mapping]]] = ...) -> None: ...

class SubmitRatingResponse(_message.Message):
    __slots__ = ("role",)
    ROLE_FIELD_NUMBER: _ClassVar[int]
    role: RaterRole
    def __init__(self, role: _Optional[_Union[RaterRole, str]] = ...) -> None: ...

class SubmitReviewRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag", "scores")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    scores: _containers.RepeatedCompositeFieldContainer[ItemScore]
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ..., scores: _Optional[_Iterable[_Union[ItemScore, _Mapping]]] = ...) -> None: ...

class SubmitReviewResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class FileIncidentRequest(_message.Message):
    __slots__ = ("appraisal_id", "item_code", "description", "request_key")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_KEY_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    item_code: str
    description: str
    request_key: str
    def __init__(self, appraisal_id: _Optional[str] = ..., item_code: _Optional[str] = ..., description: _Optional[str] = ..., request_key: _Optional[str] = ...) -> None: ...

class FileIncidentResponse(_message.Message):
    __slots__ = ("adjustment",)
    ADJUSTMENT_FIELD_NUMBER: _ClassVar[int]
    adjustment: Adjustment
    def __init__(self, adjustment: _Optional[_Union[Adjustment, _Mapping]] = ...) -> None: ...

class RequestBonusRequest(_message.Message):
    __slots__ = ("appraisal_id", "item_code", "description", "request_key")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_KEY_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    item_code: str
    description: str
    request_key: str
    def __init__(self, appraisal_id: _Optional[str] = ..., item_code: _Optional[str] = ..., description: _Optional[str] = ..., request_key: _Optional[str] = ...) -> None: ...

class RequestBonusResponse(_message.Message):
    __slots__ = ("adjustment",)
    ADJUSTMENT_FIELD_NUMBER: _ClassVar[int]
    adjustment: Adjustment
    def __init__(self, adjustment: _Optional[_Union[Adjustment, _Mapping]] = ...) -> None: ...

class DecideAdjustmentRequest(_message.Message):
    __slots__ = ("adjustment_id", "confirm", "reason")
    ADJUSTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIRM_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    adjustment_id: str
    confirm: bool
    reason: str
    def __init__(self, adjustment_id: _Optional[str] = ..., confirm: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class DecideAdjustmentResponse(_message.Message):
    __slots__ = ("adjustment",)
    ADJUSTMENT_FIELD_NUMBER: _ClassVar[int]
    adjustment: Adjustment
    def __init__(self, adjustment: _Optional[_Union[Adjustment, _Mapping]] = ...) -> None: ...

class IssueResultRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class IssueResultResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class SignResultRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class SignResultResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class FileResultRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class FileResultResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class AppealRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag", "reason")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    reason: str
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class AppealResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class DecideAppealRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag", "uphold", "reason", "corrections")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    UPHOLD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CORRECTIONS_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    uphold: bool
    reason: str
    corrections: _containers.RepeatedCompositeFieldContainer[ItemScore]
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ..., uphold: _Optional[bool] = ..., reason: _Optional[str] = ..., corrections: _Optional[_Iterable[_Union[ItemScore, _Mapping]]] = ...) -> None: ...

class DecideAppealResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class ReissueResultRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class ReissueResultResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class FinalizeAppraisalRequest(_message.Message):
    __slots__ = ("appraisal_id", "etag")
    APPRAISAL_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    appraisal_id: str
    etag: str
    def __init__(self, appraisal_id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class FinalizeAppraisalResponse(_message.Message):
    __slots__ = ("appraisal",)
    APPRAISAL_FIELD_NUMBER: _ClassVar[int]
    appraisal: Appraisal
    def __init__(self, appraisal: _Optional[_Union[Appraisal, _Mapping]] = ...) -> None: ...

class ListFiledResultsRequest(_message.Message):
    __slots__ = ("cycle_id", "page_size", "page_token")
    CYCLE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    cycle_id: str
    page_size: int
    page_token: str
    def __init__(self, cycle_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListFiledResultsResponse(_message.Message):
    __slots__ = ("results", "next_page_token")
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[FiledResult]
    next_page_token: str
    def __init__(self, results: _Optional[_Iterable[_Union[FiledResult, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AnnualGrade(_message.Message):
    __slots__ = ("employee_id", "population", "coefficient", "basis", "months_used", "explanation", "grade", "distributed_grade", "calibration_reason", "calibrated_by")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    POPULATION_FIELD_NUMBER: _ClassVar[int]
    COEFFICIENT_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    MONTHS_USED_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTED_GRADE_FIELD_NUMBER: _ClassVar[int]
    CALIBRATION_REASON_FIELD_NUMBER: _ClassVar[int]
    CALIBRATED_BY_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    population: str
    coefficient: str
    basis: str
    months_used: int
    explanation: str
    grade: Grade
    distributed_grade: Grade
    calibration_reason: str
    calibrated_by: str
    def __init__(self, employee_id: _Optional[str] = ..., population: _Optional[str] = ..., coefficient: _Optional[str] = ..., basis: _Optional[str] = ..., months_used: _Optional[int] = ..., explanation: _Optional[str] = ..., grade: _Optional[_Union[Grade, str]] = ..., distributed_grade: _Optional[_Union[Grade, str]] = ..., calibration_reason: _Optional[str] = ..., calibrated_by: _Optional[str] = ...) -> None: ...

class GradeCounts(_message.Message):
    __slots__ = ("counts",)
    class CountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    counts: _containers.ScalarMap[str, int]
    def __init__(self, counts: _Optional[_Mapping[str, int]] = ...) -> None: ...

class PopulationGrades(_message.Message):
    __slots__ = ("year", "population", "quotas", "allowed", "counts", "grades")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    POPULATION_FIELD_NUMBER: _ClassVar[int]
    QUOTAS_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    GRADES_FIELD_NUMBER: _ClassVar[int]
    year: int
    population: str
    quotas: GradeCounts
    allowed: GradeCounts
    counts: GradeCounts
    grades: _containers.RepeatedCompositeFieldContainer[AnnualGrade]
    def __init__(self, year: _Optional[int] = ..., population: _Optional[str] = ..., quotas: _Optional[_Union[GradeCounts, _Mapping]] = ..., allowed: _Optional[_Union[GradeCounts, _Mapping]] = ..., counts: _Optional[_Union[GradeCounts, _Mapping]] = ..., grades: _Optional[_Iterable[_Union[AnnualGrade, _Mapping]]] = ...) -> None: ...

class ComputeAnnualGradesRequest(_message.Message):
    __slots__ = ("year", "level")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    year: int
    level: PopulationLevel
    def __init__(self, year: _Optional[int] = ..., level: _Optional[_Union[PopulationLevel, str]] = ...) -> None: ...

class ComputeAnnualGradesResponse(_message.Message):
    __slots__ = ("populations", "graded", "without_coefficient")
    POPULATIONS_FIELD_NUMBER: _ClassVar[int]
    GRADED_FIELD_NUMBER: _ClassVar[int]
    WITHOUT_COEFFICIENT_FIELD_NUMBER: _ClassVar[int]
    populations: _containers.RepeatedCompositeFieldContainer[PopulationGrades]
    graded: int
    without_coefficient: _containers.RepeatedCompositeFieldContainer[AnnualGrade]
    def __init__(self, populations: _Optional[_Iterable[_Union[PopulationGrades, _Mapping]]] = ..., graded: _Optional[int] = ..., without_coefficient: _Optional[_Iterable[_Union[AnnualGrade, _Mapping]]] = ...) -> None: ...

class ListAnnualGradesRequest(_message.Message):
    __slots__ = ("year", "population")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    POPULATION_FIELD_NUMBER: _ClassVar[int]
    year: int
    population: str
    def __init__(self, year: _Optional[int] = ..., population: _Optional[str] = ...) -> None: ...

class ListAnnualGradesResponse(_message.Message):
    __slots__ = ("population",)
    POPULATION_FIELD_NUMBER: _ClassVar[int]
    population: PopulationGrades
    def __init__(self, population: _Optional[_Union[PopulationGrades, _Mapping]] = ...) -> None: ...

class ListAnnualResultsRequest(_message.Message):
    __slots__ = ("year", "page_size", "page_token")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    year: int
    page_size: int
    page_token: str
    def __init__(self, year: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAnnualResultsResponse(_message.Message):
    __slots__ = ("grades", "next_page_token")
    GRADES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    grades: _containers.RepeatedCompositeFieldContainer[AnnualGrade]
    next_page_token: str
    def __init__(self, grades: _Optional[_Iterable[_Union[AnnualGrade, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GradeMove(_message.Message):
    __slots__ = ("employee_id", "from_grade", "to_grade", "reason")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_GRADE_FIELD_NUMBER: _ClassVar[int]
    TO_GRADE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    from_grade: Grade
    to_grade: Grade
    reason: str
    def __init__(self, employee_id: _Optional[str] = ..., from_grade: _Optional[_Union[Grade, str]] = ..., to_grade: _Optional[_Union[Grade, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class CalibrateGradesRequest(_message.Message):
    __slots__ = ("year", "population", "moves")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    POPULATION_FIELD_NUMBER: _ClassVar[int]
    MOVES_FIELD_NUMBER: _ClassVar[int]
    year: int
    population: str
    moves: _containers.RepeatedCompositeFieldContainer[GradeMove]
    def __init__(self, year: _Optional[int] = ..., population: _Optional[str] = ..., moves: _Optional[_Iterable[_Union[GradeMove, _Mapping]]] = ...) -> None: ...

class CalibrateGradesResponse(_message.Message):
    __slots__ = ("population",)
    POPULATION_FIELD_NUMBER: _ClassVar[int]
    population: PopulationGrades
    def __init__(self, population: _Optional[_Union[PopulationGrades, _Mapping]] = ...) -> None: ...

class Evidence(_message.Message):
    __slots__ = ("period", "value")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    period: _common_pb2.Period
    value: str
    def __init__(self, period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., value: _Optional[str] = ...) -> None: ...

class Recommendation(_message.Message):
    __slots__ = ("key", "employee_id", "rule_code", "action", "evidence", "status", "decided_by", "decision_reason", "outcome", "created_at")
    class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        STATUS_UNSPECIFIED: _ClassVar[Recommendation.Status]
        STATUS_PENDING: _ClassVar[Recommendation.Status]
        STATUS_ACCEPTED: _ClassVar[Recommendation.Status]
        STATUS_REJECTED: _ClassVar[Recommendation.Status]
    STATUS_UNSPECIFIED: Recommendation.Status
    STATUS_PENDING: Recommendation.Status
    STATUS_ACCEPTED: Recommendation.Status
    STATUS_REJECTED: Recommendation.Status
    KEY_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_CODE_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    key: str
    employee_id: str
    rule_code: str
    action: str
    evidence: _containers.RepeatedCompositeFieldContainer[Evidence]
    status: Recommendation.Status
    decided_by: str
    decision_reason: str
    outcome: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, key: _Optional[str] = ..., employee_id: _Optional[str] = ..., rule_code: _Optional[str] = ..., action: _Optional[str] = ..., evidence: _Optional[_Iterable[_Union[Evidence, _Mapping]]] = ..., status: _Optional[_Union[Recommendation.Status, str]] = ..., decided_by: _Optional[str] = ..., decision_reason: _Optional[str] = ..., outcome: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EvaluateConsequencesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EvaluateConsequencesResponse(_message.Message):
    __slots__ = ("created", "already_known", "employees")
    CREATED_FIELD_NUMBER: _ClassVar[int]
    ALREADY_KNOWN_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEES_FIELD_NUMBER: _ClassVar[int]
    created: int
    already_known: int
    employees: int
    def __init__(self, created: _Optional[int] = ..., already_known: _Optional[int] = ..., employees: _Optional[int] = ...) -> None: ...

class ListRecommendationsRequest(_message.Message):
    __slots__ = ("status", "employee_id", "page_size", "page_token")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    status: Recommendation.Status
    employee_id: str
    page_size: int
    page_token: str
    def __init__(self, status: _Optional[_Union[Recommendation.Status, str]] = ..., employee_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRecommendationsResponse(_message.Message):
    __slots__ = ("recommendations", "next_page_token")
    RECOMMENDATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    recommendations: _containers.RepeatedCompositeFieldContainer[Recommendation]
    next_page_token: str
    def __init__(self, recommendations: _Optional[_Iterable[_Union[Recommendation, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DecideRecommendationRequest(_message.Message):
    __slots__ = ("key", "accept", "reason", "outcome")
    KEY_FIELD_NUMBER: _ClassVar[int]
    ACCEPT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    key: str
    accept: bool
    reason: str
    outcome: str
    def __init__(self, key: _Optional[str] = ..., accept: _Optional[bool] = ..., reason: _Optional[str] = ..., outcome: _Optional[str] = ...) -> None: ...

class DecideRecommendationResponse(_message.Message):
    __slots__ = ("recommendation",)
    RECOMMENDATION_FIELD_NUMBER: _ClassVar[int]
    recommendation: Recommendation
    def __init__(self, recommendation: _Optional[_Union[Recommendation, _Mapping]] = ...) -> None: ...

class CertificationSubItem(_message.Message):
    __slots__ = ("code", "name_zh", "name_en", "maximum")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_zh: str
    name_en: str
    maximum: str
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., maximum: _Optional[str] = ...) -> None: ...

class CertificationCategory(_message.Message):
    __slots__ = ("code", "name_zh", "name_en", "maximum", "sub_items")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_FIELD_NUMBER: _ClassVar[int]
    SUB_ITEMS_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_zh: str
    name_en: str
    maximum: str
    sub_items: _containers.RepeatedCompositeFieldContainer[CertificationSubItem]
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., maximum: _Optional[str] = ..., sub_items: _Optional[_Iterable[_Union[CertificationSubItem, _Mapping]]] = ...) -> None: ...

class GetCertificationStandardRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetCertificationStandardResponse(_message.Message):
    __slots__ = ("code", "name", "categories")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    categories: _containers.RepeatedCompositeFieldContainer[CertificationCategory]
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[CertificationCategory, _Mapping]]] = ...) -> None: ...

class CategoryScore(_message.Message):
    __slots__ = ("code", "subtotal", "maximum")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SUBTOTAL_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_FIELD_NUMBER: _ClassVar[int]
    code: str
    subtotal: str
    maximum: str
    def __init__(self, code: _Optional[str] = ..., subtotal: _Optional[str] = ..., maximum: _Optional[str] = ...) -> None: ...

class CenterAssessment(_message.Message):
    __slots__ = ("id", "center_id", "assessed_on", "categories", "total", "rounded_total", "level", "assessed_by", "scores")
    class ScoresEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    CENTER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSESSED_ON_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ROUNDED_TOTAL_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    ASSESSED_BY_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    id: str
    center_id: str
    assessed_on: _date_pb2.Date
    categories: _containers.RepeatedCompositeFieldContainer[CategoryScore]
    total: str
    rounded_total: str
    level: CertificationLevel
    assessed_by: str
    scores: _containers.ScalarMap[str, str]
    def __init__(self, id: _Optional[str] = ..., center_id: _Optional[str] = ..., assessed_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., categories: _Optional[_Iterable[_Union[CategoryScore, _Mapping]]] = ..., total: _Optional[str] = ..., rounded_total: _Optional[str] = ..., level: _Optional[_Union[CertificationLevel, str]] = ..., assessed_by: _Optional[str] = ..., scores: _Optional[_Mapping[str, str]] = ...) -> None: ...

class AssessCenterRequest(_message.Message):
    __slots__ = ("center_id", "assessed_on", "scores")
    class ScoresEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CENTER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSESSED_ON_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    center_id: str
    assessed_on: _date_pb2.Date
    scores: _containers.ScalarMap[str, str]
    def __init__(self, center_id: _Optional[str] = ..., assessed_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., scores: _Optional[_Mapping[str, str]] = ...) -> None: ...

class AssessCenterResponse(_message.Message):
    __slots__ = ("assessment",)
    ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    assessment: CenterAssessment
    def __init__(self, assessment: _Optional[_Union[CenterAssessment, _Mapping]] = ...) -> None: ...

class ListCenterAssessmentsRequest(_message.Message):
    __slots__ = ("center_id",)
    CENTER_ID_FIELD_NUMBER: _ClassVar[int]
    center_id: str
    def __init__(self, center_id: _Optional[str] = ...) -> None: ...

class ListCenterAssessmentsResponse(_message.Message):
    __slots__ = ("assessments",)
    ASSESSMENTS_FIELD_NUMBER: _ClassVar[int]
    assessments: _containers.RepeatedCompositeFieldContainer[CenterAssessment]
    def __init__(self, assessments: _Optional[_Iterable[_Union[CenterAssessment, _Mapping]]] = ...) -> None: ...
