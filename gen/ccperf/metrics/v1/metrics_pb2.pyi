from ccperf.common.v1 import common_pb2 as _common_pb2
from ccperf.metrics.v1 import events_pb2 as _events_pb2
from google.type import date_pb2 as _date_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SubjectLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUBJECT_LEVEL_UNSPECIFIED: _ClassVar[SubjectLevel]
    SUBJECT_LEVEL_AGENT: _ClassVar[SubjectLevel]
    SUBJECT_LEVEL_TEAM: _ClassVar[SubjectLevel]
    SUBJECT_LEVEL_DEPARTMENT: _ClassVar[SubjectLevel]
    SUBJECT_LEVEL_CENTER: _ClassVar[SubjectLevel]

class KpiUnit(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KPI_UNIT_UNSPECIFIED: _ClassVar[KpiUnit]
    KPI_UNIT_PERCENT: _ClassVar[KpiUnit]
    KPI_UNIT_PERMILLE: _ClassVar[KpiUnit]
    KPI_UNIT_SECONDS: _ClassVar[KpiUnit]
    KPI_UNIT_COUNT: _ClassVar[KpiUnit]
    KPI_UNIT_MONEY: _ClassVar[KpiUnit]
    KPI_UNIT_RATIO: _ClassVar[KpiUnit]
    KPI_UNIT_HOURS: _ClassVar[KpiUnit]
    KPI_UNIT_SCORE: _ClassVar[KpiUnit]

class KpiDirection(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KPI_DIRECTION_UNSPECIFIED: _ClassVar[KpiDirection]
    KPI_DIRECTION_HIGHER_BETTER: _ClassVar[KpiDirection]
    KPI_DIRECTION_LOWER_BETTER: _ClassVar[KpiDirection]
SUBJECT_LEVEL_UNSPECIFIED: SubjectLevel
SUBJECT_LEVEL_AGENT: SubjectLevel
SUBJECT_LEVEL_TEAM: SubjectLevel
SUBJECT_LEVEL_DEPARTMENT: SubjectLevel
SUBJECT_LEVEL_CENTER: SubjectLevel
KPI_UNIT_UNSPECIFIED: KpiUnit
KPI_UNIT_PERCENT: KpiUnit
KPI_UNIT_PERMILLE: KpiUnit
KPI_UNIT_SECONDS: KpiUnit
KPI_UNIT_COUNT: KpiUnit
KPI_UNIT_MONEY: KpiUnit
KPI_UNIT_RATIO: KpiUnit
KPI_UNIT_HOURS: KpiUnit
KPI_UNIT_SCORE: KpiUnit
KPI_DIRECTION_UNSPECIFIED: KpiDirection
KPI_DIRECTION_HIGHER_BETTER: KpiDirection
KPI_DIRECTION_LOWER_BETTER: KpiDirection

class Subject(_message.Message):
    __slots__ = ("level", "id")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    level: SubjectLevel
    id: str
    def __init__(self, level: _Optional[_Union[SubjectLevel, str]] = ..., id: _Optional[str] = ...) -> None: ...

class KpiDefinition(_message.Message):
    __slots__ = ("code", "name_zh", "name_en", "unit", "direction", "formula", "measures", "parameters", "owners", "levels", "description", "version", "effective_from", "target")
    class ParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    MEASURES_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    OWNERS_FIELD_NUMBER: _ClassVar[int]
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_zh: str
    name_en: str
    unit: KpiUnit
    direction: KpiDirection
    formula: str
    measures: _containers.RepeatedScalarFieldContainer[str]
    parameters: _containers.ScalarMap[str, float]
    owners: _containers.RepeatedScalarFieldContainer[str]
    levels: _containers.RepeatedScalarFieldContainer[SubjectLevel]
    description: str
    version: int
    effective_from: _date_pb2.Date
    target: float
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., unit: _Optional[_Union[KpiUnit, str]] = ..., direction: _Optional[_Union[KpiDirection, str]] = ..., formula: _Optional[str] = ..., measures: _Optional[_Iterable[str]] = ..., parameters: _Optional[_Mapping[str, float]] = ..., owners: _Optional[_Iterable[str]] = ..., levels: _Optional[_Iterable[_Union[SubjectLevel, str]]] = ..., description: _Optional[str] = ..., version: _Optional[int] = ..., effective_from: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., target: _Optional[float] = ...) -> None: ...

class KpiValue(_message.Message):
    __slots__ = ("kpi", "subject", "period", "value", "numerator", "denominator", "unit", "definition_version", "target", "score", "weight")
    KPI_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    NUMERATOR_FIELD_NUMBER: _ClassVar[int]
    DENOMINATOR_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_VERSION_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    kpi: str
    subject: Subject
    period: _common_pb2.Period
    value: float
    numerator: float
    denominator: float
    unit: KpiUnit
    definition_version: int
    target: float
    score: float
    weight: float
    def __init__(self, kpi: _Optional[str] = ..., subject: _Optional[_Union[Subject, _Mapping]] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., value: _Optional[float] = ..., numerator: _Optional[float] = ..., denominator: _Optional[float] = ..., unit: _Optional[_Union[KpiUnit, str]] = ..., definition_version: _Optional[int] = ..., target: _Optional[float] = ..., score: _Optional[float] = ..., weight: _Optional[float] = ...) -> None: ...

class ListKpiDefinitionsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListKpiDefinitionsResponse(_message.Message):
    __slots__ = ("definitions", "next_page_token")
    DEFINITIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    definitions: _containers.RepeatedCompositeFieldContainer[KpiDefinition]
    next_page_token: str
    def __init__(self, definitions: _Optional[_Iterable[_Union[KpiDefinition, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetScorecardRequest(_message.Message):
    __slots__ = ("subject", "period", "kpis")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    KPIS_FIELD_NUMBER: _ClassVar[int]
    subject: Subject
    period: _common_pb2.Period
    kpis: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, subject: _Optional[_Union[Subject, _Mapping]] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., kpis: _Optional[_Iterable[str]] = ...) -> None: ...

class GetScorecardResponse(_message.Message):
    __slots__ = ("subject", "period", "values", "weighted_score")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    WEIGHTED_SCORE_FIELD_NUMBER: _ClassVar[int]
    subject: Subject
    period: _common_pb2.Period
    values: _containers.RepeatedCompositeFieldContainer[KpiValue]
    weighted_score: float
    def __init__(self, subject: _Optional[_Union[Subject, _Mapping]] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., values: _Optional[_Iterable[_Union[KpiValue, _Mapping]]] = ..., weighted_score: _Optional[float] = ...) -> None: ...

class ListKpiValuesRequest(_message.Message):
    __slots__ = ("level", "period", "kpis", "subject_ids", "page_size", "page_token")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    KPIS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    level: SubjectLevel
    period: _common_pb2.Period
    kpis: _containers.RepeatedScalarFieldContainer[str]
    subject_ids: _containers.RepeatedScalarFieldContainer[str]
    page_size: int
    page_token: str
    def __init__(self, level: _Optional[_Union[SubjectLevel, str]] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., kpis: _Optional[_Iterable[str]] = ..., subject_ids: _Optional[_Iterable[str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListKpiValuesResponse(_message.Message):
    __slots__ = ("values", "next_page_token")
    VALUES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedCompositeFieldContainer[KpiValue]
    next_page_token: str
    def __init__(self, values: _Optional[_Iterable[_Union[KpiValue, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ExplainKpiValueRequest(_message.Message):
    __slots__ = ("subject", "period", "kpi")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    KPI_FIELD_NUMBER: _ClassVar[int]
    subject: Subject
    period: _common_pb2.Period
    kpi: str
    def __init__(self, subject: _Optional[_Union[Subject, _Mapping]] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., kpi: _Optional[str] = ...) -> None: ...

class ExplainKpiValueResponse(_message.Message):
    __slots__ = ("value", "formula", "measures", "parameters", "description", "sources")
    class MeasuresEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    class ParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    VALUE_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    MEASURES_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    value: KpiValue
    formula: str
    measures: _containers.ScalarMap[str, float]
    parameters: _containers.ScalarMap[str, float]
    description: str
    sources: _containers.RepeatedCompositeFieldContainer[SourceCount]
    def __init__(self, value: _Optional[_Union[KpiValue, _Mapping]] = ..., formula: _Optional[str] = ..., measures: _Optional[_Mapping[str, float]] = ..., parameters: _Optional[_Mapping[str, float]] = ..., description: _Optional[str] = ..., sources: _Optional[_Iterable[_Union[SourceCount, _Mapping]]] = ...) -> None: ...

class SourceCount(_message.Message):
    __slots__ = ("source", "kind", "events")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    source: str
    kind: str
    events: int
    def __init__(self, source: _Optional[str] = ..., kind: _Optional[str] = ..., events: _Optional[int] = ...) -> None: ...

class IngestEventsRequest(_message.Message):
    __slots__ = ("source", "events")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    source: str
    events: _containers.RepeatedCompositeFieldContainer[_events_pb2.Event]
    def __init__(self, source: _Optional[str] = ..., events: _Optional[_Iterable[_Union[_events_pb2.Event, _Mapping]]] = ...) -> None: ...

class Rejection(_message.Message):
    __slots__ = ("index", "event_id", "field", "reason")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    index: int
    event_id: str
    field: str
    reason: str
    def __init__(self, index: _Optional[int] = ..., event_id: _Optional[str] = ..., field: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class IngestEventsResponse(_message.Message):
    __slots__ = ("accepted", "duplicate", "rejected", "rejections", "batches_committed", "rejected_by_reason", "uncounted_by_reason")
    class RejectedByReasonEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class UncountedByReasonEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    REJECTIONS_FIELD_NUMBER: _ClassVar[int]
    BATCHES_COMMITTED_FIELD_NUMBER: _ClassVar[int]
    REJECTED_BY_REASON_FIELD_NUMBER: _ClassVar[int]
    UNCOUNTED_BY_REASON_FIELD_NUMBER: _ClassVar[int]
    accepted: int
    duplicate: int
    rejected: int
    rejections: _containers.RepeatedCompositeFieldContainer[Rejection]
    batches_committed: int
    rejected_by_reason: _containers.ScalarMap[str, int]
    uncounted_by_reason: _containers.ScalarMap[str, int]
    def __init__(self, accepted: _Optional[int] = ..., duplicate: _Optional[int] = ..., rejected: _Optional[int] = ..., rejections: _Optional[_Iterable[_Union[Rejection, _Mapping]]] = ..., batches_committed: _Optional[int] = ..., rejected_by_reason: _Optional[_Mapping[str, int]] = ..., uncounted_by_reason: _Optional[_Mapping[str, int]] = ...) -> None: ...

class GetDataQualityReportRequest(_message.Message):
    __slots__ = ("period",)
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    period: _common_pb2.Period
    def __init__(self, period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ...) -> None: ...

class SourceQuality(_message.Message):
    __slots__ = ("source", "kind", "events", "days_without_data", "late_events", "duplicates", "rejected", "rejected_by_reason", "calls_without_end", "uncounted", "uncounted_by_reason")
    class RejectedByReasonEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class UncountedByReasonEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    DAYS_WITHOUT_DATA_FIELD_NUMBER: _ClassVar[int]
    LATE_EVENTS_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    REJECTED_BY_REASON_FIELD_NUMBER: _ClassVar[int]
    CALLS_WITHOUT_END_FIELD_NUMBER: _ClassVar[int]
    UNCOUNTED_FIELD_NUMBER: _ClassVar[int]
    UNCOUNTED_BY_REASON_FIELD_NUMBER: _ClassVar[int]
    source: str
    kind: str
    events: int
    days_without_data: _containers.RepeatedCompositeFieldContainer[_date_pb2.Date]
    late_events: int
    duplicates: int
    rejected: int
    rejected_by_reason: _containers.ScalarMap[str, int]
    calls_without_end: int
    uncounted: int
    uncounted_by_reason: _containers.ScalarMap[str, int]
    def __init__(self, source: _Optional[str] = ..., kind: _Optional[str] = ..., events: _Optional[int] = ..., days_without_data: _Optional[_Iterable[_Union[_date_pb2.Date, _Mapping]]] = ..., late_events: _Optional[int] = ..., duplicates: _Optional[int] = ..., rejected: _Optional[int] = ..., rejected_by_reason: _Optional[_Mapping[str, int]] = ..., calls_without_end: _Optional[int] = ..., uncounted: _Optional[int] = ..., uncounted_by_reason: _Optional[_Mapping[str, int]] = ...) -> None: ...

class GetDataQualityReportResponse(_message.Message):
    __slots__ = ("period", "deadline", "sources")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    period: _common_pb2.Period
    deadline: _date_pb2.Date
    sources: _containers.RepeatedCompositeFieldContainer[SourceQuality]
    def __init__(self, period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., deadline: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., sources: _Optional[_Iterable[_Union[SourceQuality, _Mapping]]] = ...) -> None: ...

class UpdateKpiDefinitionRequest(_message.Message):
    __slots__ = ("code", "parameters", "target", "effective_from", "expected_version", "reason")
    class ParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    CODE_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    code: str
    parameters: _containers.ScalarMap[str, float]
    target: float
    effective_from: _date_pb2.Date
    expected_version: int
    reason: str
    def __init__(self, code: _Optional[str] = ..., parameters: _Optional[_Mapping[str, float]] = ..., target: _Optional[float] = ..., effective_from: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., expected_version: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class UpdateKpiDefinitionResponse(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: KpiDefinition
    def __init__(self, definition: _Optional[_Union[KpiDefinition, _Mapping]] = ...) -> None: ...

class RecomputePeriodRequest(_message.Message):
    __slots__ = ("period",)
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    period: _common_pb2.Period
    def __init__(self, period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ...) -> None: ...

class RecomputePeriodResponse(_message.Message):
    __slots__ = ("days_rebuilt",)
    DAYS_REBUILT_FIELD_NUMBER: _ClassVar[int]
    days_rebuilt: int
    def __init__(self, days_rebuilt: _Optional[int] = ...) -> None: ...

class DepartmentKpi(_message.Message):
    __slots__ = ("kpi", "weight", "target")
    KPI_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    kpi: str
    weight: float
    target: float
    def __init__(self, kpi: _Optional[str] = ..., weight: _Optional[float] = ..., target: _Optional[float] = ...) -> None: ...

class SetDepartmentKpisRequest(_message.Message):
    __slots__ = ("org_unit_id", "kpis")
    ORG_UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    KPIS_FIELD_NUMBER: _ClassVar[int]
    org_unit_id: str
    kpis: _containers.RepeatedCompositeFieldContainer[DepartmentKpi]
    def __init__(self, org_unit_id: _Optional[str] = ..., kpis: _Optional[_Iterable[_Union[DepartmentKpi, _Mapping]]] = ...) -> None: ...

class SetDepartmentKpisResponse(_message.Message):
    __slots__ = ("kpis",)
    KPIS_FIELD_NUMBER: _ClassVar[int]
    kpis: _containers.RepeatedCompositeFieldContainer[DepartmentKpi]
    def __init__(self, kpis: _Optional[_Iterable[_Union[DepartmentKpi, _Mapping]]] = ...) -> None: ...

class GetDepartmentKpisRequest(_message.Message):
    __slots__ = ("org_unit_id",)
    ORG_UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    org_unit_id: str
    def __init__(self, org_unit_id: _Optional[str] = ...) -> None: ...

class GetDepartmentKpisResponse(_message.Message):
    __slots__ = ("kpis",)
    KPIS_FIELD_NUMBER: _ClassVar[int]
    kpis: _containers.RepeatedCompositeFieldContainer[DepartmentKpi]
    def __init__(self, kpis: _Optional[_Iterable[_Union[DepartmentKpi, _Mapping]]] = ...) -> None: ...
