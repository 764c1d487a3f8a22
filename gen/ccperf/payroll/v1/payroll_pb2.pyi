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

class LineKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LINE_KIND_UNSPECIFIED: _ClassVar[LineKind]
    LINE_KIND_PERFORMANCE_PAY: _ClassVar[LineKind]
    LINE_KIND_YEAR_END_BONUS: _ClassVar[LineKind]
    LINE_KIND_INCENTIVE: _ClassVar[LineKind]
    LINE_KIND_ADJUSTMENT: _ClassVar[LineKind]

class BatchState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BATCH_STATE_UNSPECIFIED: _ClassVar[BatchState]
    BATCH_STATE_FROZEN: _ClassVar[BatchState]
    BATCH_STATE_ACKNOWLEDGED: _ClassVar[BatchState]

class BracketMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BRACKET_MODE_UNSPECIFIED: _ClassVar[BracketMode]
    BRACKET_MODE_FLAT: _ClassVar[BracketMode]
    BRACKET_MODE_PROGRESSIVE: _ClassVar[BracketMode]

class RateUnit(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RATE_UNIT_UNSPECIFIED: _ClassVar[RateUnit]
    RATE_UNIT_PER_MILLE: _ClassVar[RateUnit]
    RATE_UNIT_PERCENT: _ClassVar[RateUnit]
LINE_KIND_UNSPECIFIED: LineKind
LINE_KIND_PERFORMANCE_PAY: LineKind
LINE_KIND_YEAR_END_BONUS: LineKind
LINE_KIND_INCENTIVE: LineKind
LINE_KIND_ADJUSTMENT: LineKind
BATCH_STATE_UNSPECIFIED: BatchState
BATCH_STATE_FROZEN: BatchState
BATCH_STATE_ACKNOWLEDGED: BatchState
BRACKET_MODE_UNSPECIFIED: BracketMode
BRACKET_MODE_FLAT: BracketMode
BRACKET_MODE_PROGRESSIVE: BracketMode
RATE_UNIT_UNSPECIFIED: RateUnit
RATE_UNIT_PER_MILLE: RateUnit
RATE_UNIT_PERCENT: RateUnit

class CapRow(_message.Message):
    __slots__ = ("position", "grade", "tier", "amount", "valid_from", "valid_to")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_TO_FIELD_NUMBER: _ClassVar[int]
    position: str
    grade: str
    tier: int
    amount: _common_pb2.Money
    valid_from: _date_pb2.Date
    valid_to: _date_pb2.Date
    def __init__(self, position: _Optional[str] = ..., grade: _Optional[str] = ..., tier: _Optional[int] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., valid_from: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., valid_to: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class TierAssignment(_message.Message):
    __slots__ = ("employee_id", "tier", "effective_from")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    tier: int
    effective_from: _date_pb2.Date
    def __init__(self, employee_id: _Optional[str] = ..., tier: _Optional[int] = ..., effective_from: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class BatchLine(_message.Message):
    __slots__ = ("id", "line_no", "employee_id", "kind", "reference", "amount", "original_line_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    LINE_NO_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    line_no: int
    employee_id: str
    kind: LineKind
    reference: str
    amount: _common_pb2.Money
    original_line_id: str
    def __init__(self, id: _Optional[str] = ..., line_no: _Optional[int] = ..., employee_id: _Optional[str] = ..., kind: _Optional[_Union[LineKind, str]] = ..., reference: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., original_line_id: _Optional[str] = ...) -> None: ...

class Batch(_message.Message):
    __slots__ = ("id", "period", "content_hash", "line_count", "totals", "state", "created_at", "created_by", "acknowledged_at", "acknowledged_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CONTENT_HASH_FIELD_NUMBER: _ClassVar[int]
    LINE_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_AT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGED_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    period: _common_pb2.Period
    content_hash: str
    line_count: int
    totals: _containers.RepeatedCompositeFieldContainer[_common_pb2.Money]
    state: BatchState
    created_at: _timestamp_pb2.Timestamp
    created_by: str
    acknowledged_at: _timestamp_pb2.Timestamp
    acknowledged_by: str
    def __init__(self, id: _Optional[str] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., content_hash: _Optional[str] = ..., line_count: _Optional[int] = ..., totals: _Optional[_Iterable[_Union[_common_pb2.Money, _Mapping]]] = ..., state: _Optional[_Union[BatchState, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[str] = ..., acknowledged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledged_by: _Optional[str] = ...) -> None: ...

class SkippedEmployee(_message.Message):
    __slots__ = ("employee_id", "reason")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    reason: str
    def __init__(self, employee_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class SetCapTableRequest(_message.Message):
    __slots__ = ("rows",)
    ROWS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[CapRow]
    def __init__(self, rows: _Optional[_Iterable[_Union[CapRow, _Mapping]]] = ...) -> None: ...

class SetCapTableResponse(_message.Message):
    __slots__ = ("created", "updated", "unchanged")
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    created: int
    updated: int
    unchanged: int
    def __init__(self, created: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ...) -> None: ...

class ListCapTableRequest(_message.Message):
    __slots__ = ("as_of",)
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    as_of: _date_pb2.Date
    def __init__(self, as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class ListCapTableResponse(_message.Message):
    __slots__ = ("rows",)
    ROWS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[CapRow]
    def __init__(self, rows: _Optional[_Iterable[_Union[CapRow, _Mapping]]] = ...) -> None: ...

class SetBaseTiersRequest(_message.Message):
    __slots__ = ("assignments",)
    ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    assignments: _containers.RepeatedCompositeFieldContainer[TierAssignment]
    def __init__(self, assignments: _Optional[_Iterable[_Union[TierAssignment, _Mapping]]] = ...) -> None: ...

class SetBaseTiersResponse(_message.Message):
    __slots__ = ("created", "updated", "unchanged")
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    created: int
    updated: int
    unchanged: int
    def __init__(self, created: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ...) -> None: ...

class ComputePeriodRequest(_message.Message):
    __slots__ = ("period",)
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    period: _common_pb2.Period
    def __init__(self, period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ...) -> None: ...

class ComputePeriodResponse(_message.Message):
    __slots__ = ("period", "lines", "adjustments", "totals", "skipped", "incentives", "unpaid")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    ADJUSTMENTS_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    INCENTIVES_FIELD_NUMBER: _ClassVar[int]
    UNPAID_FIELD_NUMBER: _ClassVar[int]
    period: _common_pb2.Period
    lines: int
    adjustments: int
    totals: _containers.RepeatedCompositeFieldContainer[_common_pb2.Money]
    skipped: _containers.RepeatedCompositeFieldContainer[SkippedEmployee]
    incentives: int
    unpaid: int
    def __init__(self, period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., lines: _Optional[int] = ..., adjustments: _Optional[int] = ..., totals: _Optional[_Iterable[_Union[_common_pb2.Money, _Mapping]]] = ..., skipped: _Optional[_Iterable[_Union[SkippedEmployee, _Mapping]]] = ..., incentives: _Optional[int] = ..., unpaid: _Optional[int] = ...) -> None: ...

class CreateBatchRequest(_message.Message):
    __slots__ = ("period",)
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    period: _common_pb2.Period
    def __init__(self, period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ...) -> None: ...

class CreateBatchResponse(_message.Message):
    __slots__ = ("batch",)
    BATCH_FIELD_NUMBER: _ClassVar[int]
    batch: Batch
    def __init__(self, batch: _Optional[_Union[Batch, _Mapping]] = ...) -> None: ...

class GetBatchRequest(_message.Message):
    __slots__ = ("batch_id",)
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    def __init__(self, batch_id: _Optional[str] = ...) -> None: ...

class GetBatchResponse(_message.Message):
    __slots__ = ("batch",)
    BATCH_FIELD_NUMBER: _ClassVar[int]
    batch: Batch
    def __init__(self, batch: _Optional[_Union[Batch, _Mapping]] = ...) -> None: ...

class ListBatchLinesRequest(_message.Message):
    __slots__ = ("batch_id", "page_size", "page_token")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    page_size: int
    page_token: str
    def __init__(self, batch_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBatchLinesResponse(_message.Message):
    __slots__ = ("lines", "next_page_token")
    LINES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedCompositeFieldContainer[BatchLine]
    next_page_token: str
    def __init__(self, lines: _Optional[_Iterable[_Union[BatchLine, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class StreamBatchLinesRequest(_message.Message):
    __slots__ = ("batch_id",)
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    def __init__(self, batch_id: _Optional[str] = ...) -> None: ...

class StreamBatchLinesResponse(_message.Message):
    __slots__ = ("lines",)
    LINES_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedCompositeFieldContainer[BatchLine]
    def __init__(self, lines: _Optional[_Iterable[_Union[BatchLine, _Mapping]]] = ...) -> None: ...

class AcknowledgeBatchRequest(_message.Message):
    __slots__ = ("batch_id", "content_hash")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_HASH_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    content_hash: str
    def __init__(self, batch_id: _Optional[str] = ..., content_hash: _Optional[str] = ...) -> None: ...

class AcknowledgeBatchResponse(_message.Message):
    __slots__ = ("batch",)
    BATCH_FIELD_NUMBER: _ClassVar[int]
    batch: Batch
    def __init__(self, batch: _Optional[_Union[Batch, _Mapping]] = ...) -> None: ...

class ExplainLineRequest(_message.Message):
    __slots__ = ("line_id",)
    LINE_ID_FIELD_NUMBER: _ClassVar[int]
    line_id: str
    def __init__(self, line_id: _Optional[str] = ...) -> None: ...

class ExplainLineResponse(_message.Message):
    __slots__ = ("line", "formula", "values", "explanation")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    LINE_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    line: BatchLine
    formula: str
    values: _containers.ScalarMap[str, str]
    explanation: str
    def __init__(self, line: _Optional[_Union[BatchLine, _Mapping]] = ..., formula: _Optional[str] = ..., values: _Optional[_Mapping[str, str]] = ..., explanation: _Optional[str] = ...) -> None: ...

class GradeBonusCoefficient(_message.Message):
    __slots__ = ("grade", "coefficient")
    GRADE_FIELD_NUMBER: _ClassVar[int]
    COEFFICIENT_FIELD_NUMBER: _ClassVar[int]
    grade: str
    coefficient: str
    def __init__(self, grade: _Optional[str] = ..., coefficient: _Optional[str] = ...) -> None: ...

class PositionBonusCoefficient(_message.Message):
    __slots__ = ("position", "coefficient")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    COEFFICIENT_FIELD_NUMBER: _ClassVar[int]
    position: str
    coefficient: str
    def __init__(self, position: _Optional[str] = ..., coefficient: _Optional[str] = ...) -> None: ...

class YearEndParameters(_message.Message):
    __slots__ = ("year", "completion_rate", "grade_coefficients", "position_coefficients", "currency_code", "updated_at", "updated_by")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_RATE_FIELD_NUMBER: _ClassVar[int]
    GRADE_COEFFICIENTS_FIELD_NUMBER: _ClassVar[int]
    POSITION_COEFFICIENTS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    year: int
    completion_rate: str
    grade_coefficients: _containers.RepeatedCompositeFieldContainer[GradeBonusCoefficient]
    position_coefficients: _containers.RepeatedCompositeFieldContainer[PositionBonusCoefficient]
    currency_code: str
    updated_at: _timestamp_pb2.Timestamp
    updated_by: str
    def __init__(self, year: _Optional[int] = ..., completion_rate: _Optional[str] = ..., grade_coefficients: _Optional[_Iterable[_Union[GradeBonusCoefficient, _Mapping]]] = ..., position_coefficients: _Optional[_Iterable[_Union[PositionBonusCoefficient, _Mapping]]] = ..., currency_code: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_by: _Optional[str] = ...) -> None: ...

class SetYearEndParametersRequest(_message.Message):
    __slots__ = ("year", "completion_rate", "grade_coefficients", "position_coefficients", "currency_code")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_RATE_FIELD_NUMBER: _ClassVar[int]
    GRADE_COEFFICIENTS_FIELD_NUMBER: _ClassVar[int]
    POSITION_COEFFICIENTS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    year: int
    completion_rate: str
    grade_coefficients: _containers.RepeatedCompositeFieldContainer[GradeBonusCoefficient]
    position_coefficients: _containers.RepeatedCompositeFieldContainer[PositionBonusCoefficient]
    currency_code: str
    def __init__(self, year: _Optional[int] = ..., completion_rate: _Optional[str] = ..., grade_coefficients: _Optional[_Iterable[_Union[GradeBonusCoefficient, _Mapping]]] = ..., position_coefficients: _Optional[_Iterable[_Union[PositionBonusCoefficient, _Mapping]]] = ..., currency_code: _Optional[str] = ...) -> None: ...

class SetYearEndParametersResponse(_message.Message):
    __slots__ = ("parameters", "created")
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    parameters: YearEndParameters
    created: bool
    def __init__(self, parameters: _Optional[_Union[YearEndParameters, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class BasePay(_message.Message):
    __slots__ = ("employee_id", "amount", "effective_from")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    amount: _common_pb2.Money
    effective_from: _date_pb2.Date
    def __init__(self, employee_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., effective_from: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class SetBasePayRequest(_message.Message):
    __slots__ = ("assignments",)
    ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    assignments: _containers.RepeatedCompositeFieldContainer[BasePay]
    def __init__(self, assignments: _Optional[_Iterable[_Union[BasePay, _Mapping]]] = ...) -> None: ...

class SetBasePayResponse(_message.Message):
    __slots__ = ("created", "updated", "unchanged")
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    created: int
    updated: int
    unchanged: int
    def __init__(self, created: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ...) -> None: ...

class Bracket(_message.Message):
    __slots__ = ("lower", "rate")
    LOWER_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    lower: str
    rate: str
    def __init__(self, lower: _Optional[str] = ..., rate: _Optional[str] = ...) -> None: ...

class IncentiveSchedule(_message.Message):
    __slots__ = ("code", "brackets", "threshold", "mode", "unit", "currency_code", "updated_at", "updated_by")
    CODE_FIELD_NUMBER: _ClassVar[int]
    BRACKETS_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    code: str
    brackets: _containers.RepeatedCompositeFieldContainer[Bracket]
    threshold: str
    mode: BracketMode
    unit: RateUnit
    currency_code: str
    updated_at: _timestamp_pb2.Timestamp
    updated_by: str
    def __init__(self, code: _Optional[str] = ..., brackets: _Optional[_Iterable[_Union[Bracket, _Mapping]]] = ..., threshold: _Optional[str] = ..., mode: _Optional[_Union[BracketMode, str]] = ..., unit: _Optional[_Union[RateUnit, str]] = ..., currency_code: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_by: _Optional[str] = ...) -> None: ...

class SetIncentiveScheduleRequest(_message.Message):
    __slots__ = ("code", "brackets", "threshold", "mode", "unit", "currency_code")
    CODE_FIELD_NUMBER: _ClassVar[int]
    BRACKETS_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    brackets: _containers.RepeatedCompositeFieldContainer[Bracket]
    threshold: str
    mode: BracketMode
    unit: RateUnit
    currency_code: str
    def __init__(self, code: _Optional[str] = ..., brackets: _Optional[_Iterable[_Union[Bracket, _Mapping]]] = ..., threshold: _Optional[str] = ..., mode: _Optional[_Union[BracketMode, str]] = ..., unit: _Optional[_Union[RateUnit, str]] = ..., currency_code: _Optional[str] = ...) -> None: ...

class SetIncentiveScheduleResponse(_message.Message):
    __slots__ = ("schedule", "created")
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    schedule: IncentiveSchedule
    created: bool
    def __init__(self, schedule: _Optional[_Union[IncentiveSchedule, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class IncentiveAmount(_message.Message):
    __slots__ = ("employee_id", "amount", "reference")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    amount: _common_pb2.Money
    reference: str
    def __init__(self, employee_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reference: _Optional[str] = ...) -> None: ...

class RecordIncentiveAmountsRequest(_message.Message):
    __slots__ = ("period", "schedule_code", "amounts")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNTS_FIELD_NUMBER: _ClassVar[int]
    period: _common_pb2.Period
    schedule_code: str
    amounts: _containers.RepeatedCompositeFieldContainer[IncentiveAmount]
    def __init__(self, period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., schedule_code: _Optional[str] = ..., amounts: _Optional[_Iterable[_Union[IncentiveAmount, _Mapping]]] = ...) -> None: ...

class RecordIncentiveAmountsResponse(_message.Message):
    __slots__ = ("created", "updated", "unchanged")
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    created: int
    updated: int
    unchanged: int
    def __init__(self, created: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ...) -> None: ...
