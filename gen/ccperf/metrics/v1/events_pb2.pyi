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

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_PHONE: _ClassVar[Channel]
    CHANNEL_CHAT: _ClassVar[Channel]
    CHANNEL_MAIL: _ClassVar[Channel]

class CallOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_OUTCOME_UNSPECIFIED: _ClassVar[CallOutcome]
    CALL_OUTCOME_ANSWERED: _ClassVar[CallOutcome]
    CALL_OUTCOME_ABANDONED: _ClassVar[CallOutcome]
    CALL_OUTCOME_IVR_COMPLETED: _ClassVar[CallOutcome]
    CALL_OUTCOME_TRANSFERRED: _ClassVar[CallOutcome]
    CALL_OUTCOME_TIMEOUT: _ClassVar[CallOutcome]

class AgentStateKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AGENT_STATE_KIND_UNSPECIFIED: _ClassVar[AgentStateKind]
    AGENT_STATE_KIND_LOGGED_IN: _ClassVar[AgentStateKind]
    AGENT_STATE_KIND_AVAILABLE: _ClassVar[AgentStateKind]
    AGENT_STATE_KIND_ON_CALL: _ClassVar[AgentStateKind]
    AGENT_STATE_KIND_AFTER_CALL_WORK: _ClassVar[AgentStateKind]
    AGENT_STATE_KIND_AUX: _ClassVar[AgentStateKind]

class SurveyRemark(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SURVEY_REMARK_UNSPECIFIED: _ClassVar[SurveyRemark]
    SURVEY_REMARK_NONE: _ClassVar[SurveyRemark]
    SURVEY_REMARK_NEGATIVE: _ClassVar[SurveyRemark]
    SURVEY_REMARK_PRAISE: _ClassVar[SurveyRemark]

class SystemKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SYSTEM_KIND_UNSPECIFIED: _ClassVar[SystemKind]
    SYSTEM_KIND_LINES: _ClassVar[SystemKind]
    SYSTEM_KIND_NETWORK: _ClassVar[SystemKind]
    SYSTEM_KIND_APPLICATIONS: _ClassVar[SystemKind]
    SYSTEM_KIND_HARDWARE: _ClassVar[SystemKind]
CHANNEL_UNSPECIFIED: Channel
CHANNEL_PHONE: Channel
CHANNEL_CHAT: Channel
CHANNEL_MAIL: Channel
CALL_OUTCOME_UNSPECIFIED: CallOutcome
CALL_OUTCOME_ANSWERED: CallOutcome
CALL_OUTCOME_ABANDONED: CallOutcome
CALL_OUTCOME_IVR_COMPLETED: CallOutcome
CALL_OUTCOME_TRANSFERRED: CallOutcome
CALL_OUTCOME_TIMEOUT: CallOutcome
AGENT_STATE_KIND_UNSPECIFIED: AgentStateKind
AGENT_STATE_KIND_LOGGED_IN: AgentStateKind
AGENT_STATE_KIND_AVAILABLE: AgentStateKind
AGENT_STATE_KIND_ON_CALL: AgentStateKind
AGENT_STATE_KIND_AFTER_CALL_WORK: AgentStateKind
AGENT_STATE_KIND_AUX: AgentStateKind
SURVEY_REMARK_UNSPECIFIED: SurveyRemark
SURVEY_REMARK_NONE: SurveyRemark
SURVEY_REMARK_NEGATIVE: SurveyRemark
SURVEY_REMARK_PRAISE: SurveyRemark
SYSTEM_KIND_UNSPECIFIED: SystemKind
SYSTEM_KIND_LINES: SystemKind
SYSTEM_KIND_NETWORK: SystemKind
SYSTEM_KIND_APPLICATIONS: SystemKind
SYSTEM_KIND_HARDWARE: SystemKind

class Call(_message.Message):
    __slots__ = ("call_id", "queue", "channel", "agent_id", "caller_key", "offered_at", "answered_at", "ended_at", "wait_seconds", "talk_seconds", "hold_seconds", "acw_seconds", "outcome", "first_contact_resolved")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CALLER_KEY_FIELD_NUMBER: _ClassVar[int]
    OFFERED_AT_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    WAIT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    TALK_SECONDS_FIELD_NUMBER: _ClassVar[int]
    HOLD_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ACW_SECONDS_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    FIRST_CONTACT_RESOLVED_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    queue: str
    channel: Channel
    agent_id: str
    caller_key: str
    offered_at: _timestamp_pb2.Timestamp
    answered_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    wait_seconds: float
    talk_seconds: float
    hold_seconds: float
    acw_seconds: float
    outcome: CallOutcome
    first_contact_resolved: bool
    def __init__(self, call_id: _Optional[str] = ..., queue: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., agent_id: _Optional[str] = ..., caller_key: _Optional[str] = ..., offered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., wait_seconds: _Optional[float] = ..., talk_seconds: _Optional[float] = ..., hold_seconds: _Optional[float] = ..., acw_seconds: _Optional[float] = ..., outcome: _Optional[_Union[CallOutcome, str]] = ..., first_contact_resolved: _Optional[bool] = ...) -> None: ...

class AgentState(_message.Message):
    __slots__ = ("agent_id", "state", "reason", "start_time", "end_time", "queue")
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    state: AgentStateKind
    reason: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    queue: str
    def __init__(self, agent_id: _Optional[str] = ..., state: _Optional[_Union[AgentStateKind, str]] = ..., reason: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., queue: _Optional[str] = ...) -> None: ...

class WorkOrder(_message.Message):
    __slots__ = ("work_order_id", "agent_id", "channel", "created_at", "due_at", "first_response_at", "closed_at", "reopen_count")
    WORK_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    FIRST_RESPONSE_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    REOPEN_COUNT_FIELD_NUMBER: _ClassVar[int]
    work_order_id: str
    agent_id: str
    channel: Channel
    created_at: _timestamp_pb2.Timestamp
    due_at: _timestamp_pb2.Timestamp
    first_response_at: _timestamp_pb2.Timestamp
    closed_at: _timestamp_pb2.Timestamp
    reopen_count: int
    def __init__(self, work_order_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., first_response_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reopen_count: _Optional[int] = ...) -> None: ...

class QaItemScore(_message.Message):
    __slots__ = ("category", "item", "score", "max_score")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    MAX_SCORE_FIELD_NUMBER: _ClassVar[int]
    category: str
    item: str
    score: float
    max_score: float
    def __init__(self, category: _Optional[str] = ..., item: _Optional[str] = ..., score: _Optional[float] = ..., max_score: _Optional[float] = ...) -> None: ...

class QaEvaluation(_message.Message):
    __slots__ = ("evaluation_id", "agent_id", "evaluator_id", "call_id", "rubric_code", "evaluated_at", "items")
    EVALUATION_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVALUATOR_ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    RUBRIC_CODE_FIELD_NUMBER: _ClassVar[int]
    EVALUATED_AT_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    evaluation_id: str
    agent_id: str
    evaluator_id: str
    call_id: str
    rubric_code: str
    evaluated_at: _timestamp_pb2.Timestamp
    items: _containers.RepeatedCompositeFieldContainer[QaItemScore]
    def __init__(self, evaluation_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., evaluator_id: _Optional[str] = ..., call_id: _Optional[str] = ..., rubric_code: _Optional[str] = ..., evaluated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., items: _Optional[_Iterable[_Union[QaItemScore, _Mapping]]] = ...) -> None: ...

class Survey(_message.Message):
    __slots__ = ("survey_id", "agent_id", "call_id", "answered_at", "csat", "nps", "remark")
    SURVEY_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    CSAT_FIELD_NUMBER: _ClassVar[int]
    NPS_FIELD_NUMBER: _ClassVar[int]
    REMARK_FIELD_NUMBER: _ClassVar[int]
    survey_id: str
    agent_id: str
    call_id: str
    answered_at: _timestamp_pb2.Timestamp
    csat: int
    nps: int
    remark: SurveyRemark
    def __init__(self, survey_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., call_id: _Optional[str] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., csat: _Optional[int] = ..., nps: _Optional[int] = ..., remark: _Optional[_Union[SurveyRemark, str]] = ...) -> None: ...

class Complaint(_message.Message):
    __slots__ = ("complaint_id", "agent_id", "call_id", "received_at", "confirmed", "category")
    COMPLAINT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    complaint_id: str
    agent_id: str
    call_id: str
    received_at: _timestamp_pb2.Timestamp
    confirmed: bool
    category: str
    def __init__(self, complaint_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., call_id: _Optional[str] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., confirmed: _Optional[bool] = ..., category: _Optional[str] = ...) -> None: ...

class AuditFinding(_message.Message):
    __slots__ = ("audit_id", "agent_id", "audited_at", "items_checked", "errors", "category")
    AUDIT_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    AUDITED_AT_FIELD_NUMBER: _ClassVar[int]
    ITEMS_CHECKED_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    audit_id: str
    agent_id: str
    audited_at: _timestamp_pb2.Timestamp
    items_checked: int
    errors: int
    category: str
    def __init__(self, audit_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., audited_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., items_checked: _Optional[int] = ..., errors: _Optional[int] = ..., category: _Optional[str] = ...) -> None: ...

class ScheduleInterval(_message.Message):
    __slots__ = ("queue", "interval_start", "interval_minutes", "forecast_volume", "required_staff", "scheduled_staff")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_START_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_MINUTES_FIELD_NUMBER: _ClassVar[int]
    FORECAST_VOLUME_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_STAFF_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_STAFF_FIELD_NUMBER: _ClassVar[int]
    queue: str
    interval_start: _timestamp_pb2.Timestamp
    interval_minutes: int
    forecast_volume: float
    required_staff: float
    scheduled_staff: float
    def __init__(self, queue: _Optional[str] = ..., interval_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., interval_minutes: _Optional[int] = ..., forecast_volume: _Optional[float] = ..., required_staff: _Optional[float] = ..., scheduled_staff: _Optional[float] = ...) -> None: ...

class HrFact(_message.Message):
    __slots__ = ("employee_id", "org_unit_id", "period", "scheduled_days", "attended_days", "training_hours", "suggestions_submitted", "suggestions_adopted", "leavers", "average_headcount", "promotions_internal", "promotions_external", "employee_satisfaction")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_DAYS_FIELD_NUMBER: _ClassVar[int]
    ATTENDED_DAYS_FIELD_NUMBER: _ClassVar[int]
    TRAINING_HOURS_FIELD_NUMBER: _ClassVar[int]
    SUGGESTIONS_SUBMITTED_FIELD_NUMBER: _ClassVar[int]
    SUGGESTIONS_ADOPTED_FIELD_NUMBER: _ClassVar[int]
    LEAVERS_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_HEADCOUNT_FIELD_NUMBER: _ClassVar[int]
    PROMOTIONS_INTERNAL_FIELD_NUMBER: _ClassVar[int]
    PROMOTIONS_EXTERNAL_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_SATISFACTION_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    org_unit_id: str
    period: _common_pb2.Period
    scheduled_days: float
    attended_days: float
    training_hours: float
    suggestions_submitted: int
    suggestions_adopted: int
    leavers: int
    average_headcount: float
    promotions_internal: int
    promotions_external: int
    employee_satisfaction: float
    def __init__(self, employee_id: _Optional[str] = ..., org_unit_id: _Optional[str] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., scheduled_days: _Optional[float] = ..., attended_days: _Optional[float] = ..., training_hours: _Optional[float] = ..., suggestions_submitted: _Optional[int] = ..., suggestions_adopted: _Optional[int] = ..., leavers: _Optional[int] = ..., average_headcount: _Optional[float] = ..., promotions_internal: _Optional[int] = ..., promotions_external: _Optional[int] = ..., employee_satisfaction: _Optional[float] = ...) -> None: ...

class FinanceFact(_message.Message):
    __slots__ = ("org_unit_id", "period", "operating_cost", "budget")
    ORG_UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    OPERATING_COST_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    org_unit_id: str
    period: _common_pb2.Period
    operating_cost: _common_pb2.Money
    budget: _common_pb2.Money
    def __init__(self, org_unit_id: _Optional[str] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ..., operating_cost: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., budget: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class SystemAvailability(_message.Message):
    __slots__ = ("kind", "system_id", "day", "scheduled_minutes", "downtime_minutes")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_ID_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    DOWNTIME_MINUTES_FIELD_NUMBER: _ClassVar[int]
    kind: SystemKind
    system_id: str
    day: _date_pb2.Date
    scheduled_minutes: float
    downtime_minutes: float
    def __init__(self, kind: _Optional[_Union[SystemKind, str]] = ..., system_id: _Optional[str] = ..., day: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., scheduled_minutes: _Optional[float] = ..., downtime_minutes: _Optional[float] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ("event_id", "call", "agent_state", "work_order", "qa_evaluation", "survey", "complaint", "audit_finding", "schedule_interval", "hr_fact", "finance_fact", "system_availability")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    CALL_FIELD_NUMBER: _ClassVar[int]
    AGENT_STATE_FIELD_NUMBER: _ClassVar[int]
    WORK_ORDER_FIELD_NUMBER: _ClassVar[int]
    QA_EVALUATION_FIELD_NUMBER: _ClassVar[int]
    SURVEY_FIELD_NUMBER: _ClassVar[int]
    COMPLAINT_FIELD_NUMBER: _ClassVar[int]
    AUDIT_FINDING_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    HR_FACT_FIELD_NUMBER: _ClassVar[int]
    FINANCE_FACT_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_AVAILABILITY_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    call: Call
    agent_state: AgentState
    work_order: WorkOrder
    qa_evaluation: QaEvaluation
    survey: Survey
    complaint: Complaint
    audit_finding: AuditFinding
    schedule_interval: ScheduleInterval
    hr_fact: HrFact
    finance_fact: FinanceFact
    system_availability: SystemAvailability
    def __init__(self, event_id: _Optional[str] = ..., call: _Optional[_Union[Call, _Mapping]] = ..., agent_state: _Optional[_Union[AgentState, _Mapping]] = ..., work_order: _Optional[_Union[WorkOrder, _Mapping]] = ..., qa_evaluation: _Optional[_Union[QaEvaluation, _Mapping]] = ..., survey: _Optional[_Union[Survey, _Mapping]] = ..., complaint: _Optional[_Union[Complaint, _Mapping]] = ..., audit_finding: _Optional[_Union[AuditFinding, _Mapping]] = ..., schedule_interval: _Optional[_Union[ScheduleInterval, _Mapping]] = ..., hr_fact: _Optional[_Union[HrFact, _Mapping]] = ..., finance_fact: _Optional[_Union[FinanceFact, _Mapping]] = ..., system_availability: _Optional[_Union[SystemAvailability, _Mapping]] = ...) -> None: ...
