from ccperf.common.v1 import common_pb2 as _common_pb2
from google.type import date_pb2 as _date_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OrgUnitKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORG_UNIT_KIND_UNSPECIFIED: _ClassVar[OrgUnitKind]
    ORG_UNIT_KIND_CENTER: _ClassVar[OrgUnitKind]
    ORG_UNIT_KIND_DEPARTMENT: _ClassVar[OrgUnitKind]
    ORG_UNIT_KIND_TEAM: _ClassVar[OrgUnitKind]

class PositionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POSITION_TYPE_UNSPECIFIED: _ClassVar[PositionType]
    POSITION_TYPE_MANAGEMENT: _ClassVar[PositionType]
    POSITION_TYPE_NON_MANAGEMENT: _ClassVar[PositionType]

class EmploymentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EMPLOYMENT_STATUS_UNSPECIFIED: _ClassVar[EmploymentStatus]
    EMPLOYMENT_STATUS_PROBATION: _ClassVar[EmploymentStatus]
    EMPLOYMENT_STATUS_REGULAR: _ClassVar[EmploymentStatus]
    EMPLOYMENT_STATUS_TEMPORARY: _ClassVar[EmploymentStatus]
    EMPLOYMENT_STATUS_PART_TIME_EXTERNAL: _ClassVar[EmploymentStatus]
    EMPLOYMENT_STATUS_TERMINATED: _ClassVar[EmploymentStatus]

class LeaveKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEAVE_KIND_UNSPECIFIED: _ClassVar[LeaveKind]
    LEAVE_KIND_ANNUAL: _ClassVar[LeaveKind]
    LEAVE_KIND_SICK: _ClassVar[LeaveKind]
    LEAVE_KIND_PERSONAL: _ClassVar[LeaveKind]
    LEAVE_KIND_MATERNITY: _ClassVar[LeaveKind]
    LEAVE_KIND_OTHER: _ClassVar[LeaveKind]

class IneligibilityReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INELIGIBILITY_REASON_UNSPECIFIED: _ClassVar[IneligibilityReason]
    INELIGIBILITY_REASON_PROBATION: _ClassVar[IneligibilityReason]
    INELIGIBILITY_REASON_TEMPORARY: _ClassVar[IneligibilityReason]
    INELIGIBILITY_REASON_PART_TIME_EXTERNAL: _ClassVar[IneligibilityReason]
    INELIGIBILITY_REASON_NOT_YET_EMPLOYED: _ClassVar[IneligibilityReason]
    INELIGIBILITY_REASON_TERMINATED: _ClassVar[IneligibilityReason]
    INELIGIBILITY_REASON_MATERNITY_WHOLE_PERIOD: _ClassVar[IneligibilityReason]
    INELIGIBILITY_REASON_LEAVE_OVER_HALF_EACH_MONTH: _ClassVar[IneligibilityReason]
    INELIGIBILITY_REASON_CONFIRMED_AFTER_CUTOFF: _ClassVar[IneligibilityReason]
ORG_UNIT_KIND_UNSPECIFIED: OrgUnitKind
ORG_UNIT_KIND_CENTER: OrgUnitKind
ORG_UNIT_KIND_DEPARTMENT: OrgUnitKind
ORG_UNIT_KIND_TEAM: OrgUnitKind
POSITION_TYPE_UNSPECIFIED: PositionType
POSITION_TYPE_MANAGEMENT: PositionType
POSITION_TYPE_NON_MANAGEMENT: PositionType
EMPLOYMENT_STATUS_UNSPECIFIED: EmploymentStatus
EMPLOYMENT_STATUS_PROBATION: EmploymentStatus
EMPLOYMENT_STATUS_REGULAR: EmploymentStatus
EMPLOYMENT_STATUS_TEMPORARY: EmploymentStatus
EMPLOYMENT_STATUS_PART_TIME_EXTERNAL: EmploymentStatus
EMPLOYMENT_STATUS_TERMINATED: EmploymentStatus
LEAVE_KIND_UNSPECIFIED: LeaveKind
LEAVE_KIND_ANNUAL: LeaveKind
LEAVE_KIND_SICK: LeaveKind
LEAVE_KIND_PERSONAL: LeaveKind
LEAVE_KIND_MATERNITY: LeaveKind
LEAVE_KIND_OTHER: LeaveKind
INELIGIBILITY_REASON_UNSPECIFIED: IneligibilityReason
INELIGIBILITY_REASON_PROBATION: IneligibilityReason
INELIGIBILITY_REASON_TEMPORARY: IneligibilityReason
INELIGIBILITY_REASON_PART_TIME_EXTERNAL: IneligibilityReason
INELIGIBILITY_REASON_NOT_YET_EMPLOYED: IneligibilityReason
INELIGIBILITY_REASON_TERMINATED: IneligibilityReason
INELIGIBILITY_REASON_MATERNITY_WHOLE_PERIOD: IneligibilityReason
INELIGIBILITY_REASON_LEAVE_OVER_HALF_EACH_MONTH: IneligibilityReason
INELIGIBILITY_REASON_CONFIRMED_AFTER_CUTOFF: IneligibilityReason

class OrgUnit(_message.Message):
    __slots__ = ("id", "kind", "name", "parent_id", "effective_from", "effective_to", "etag")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_TO_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: OrgUnitKind
    name: str
    parent_id: str
    effective_from: _date_pb2.Date
    effective_to: _date_pb2.Date
    etag: str
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[OrgUnitKind, str]] = ..., name: _Optional[str] = ..., parent_id: _Optional[str] = ..., effective_from: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., effective_to: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., etag: _Optional[str] = ...) -> None: ...

class Employee(_message.Message):
    __slots__ = ("id", "name", "org_unit_id", "supervisor_id", "position", "position_type", "grade", "employment_status", "hire_date", "confirmation_date", "termination_date", "effective_from", "effective_to", "etag")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ORG_UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    SUPERVISOR_ID_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    POSITION_TYPE_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    EMPLOYMENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    HIRE_DATE_FIELD_NUMBER: _ClassVar[int]
    CONFIRMATION_DATE_FIELD_NUMBER: _ClassVar[int]
    TERMINATION_DATE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_TO_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    org_unit_id: str
    supervisor_id: str
    position: str
    position_type: PositionType
    grade: str
    employment_status: EmploymentStatus
    hire_date: _date_pb2.Date
    confirmation_date: _date_pb2.Date
    termination_date: _date_pb2.Date
    effective_from: _date_pb2.Date
    effective_to: _date_pb2.Date
    etag: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., org_unit_id: _Optional[str] = ..., supervisor_id: _Optional[str] = ..., position: _Optional[str] = ..., position_type: _Optional[_Union[PositionType, str]] = ..., grade: _Optional[str] = ..., employment_status: _Optional[_Union[EmploymentStatus, str]] = ..., hire_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., confirmation_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., termination_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., effective_from: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., effective_to: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., etag: _Optional[str] = ...) -> None: ...

class Leave(_message.Message):
    __slots__ = ("id", "employee_id", "kind", "start_date", "end_date", "cancelled")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    id: str
    employee_id: str
    kind: LeaveKind
    start_date: _date_pb2.Date
    end_date: _date_pb2.Date
    cancelled: bool
    def __init__(self, id: _Optional[str] = ..., employee_id: _Optional[str] = ..., kind: _Optional[_Union[LeaveKind, str]] = ..., start_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., end_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., cancelled: _Optional[bool] = ...) -> None: ...

class CalendarException(_message.Message):
    __slots__ = ("date", "working", "name")
    DATE_FIELD_NUMBER: _ClassVar[int]
    WORKING_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    date: _date_pb2.Date
    working: bool
    name: str
    def __init__(self, date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., working: _Optional[bool] = ..., name: _Optional[str] = ...) -> None: ...

class UpsertOrgUnitsRequest(_message.Message):
    __slots__ = ("org_units",)
    ORG_UNITS_FIELD_NUMBER: _ClassVar[int]
    org_units: _containers.RepeatedCompositeFieldContainer[OrgUnit]
    def __init__(self, org_units: _Optional[_Iterable[_Union[OrgUnit, _Mapping]]] = ...) -> None: ...

class UpsertOrgUnitsResponse(_message.Message):
    __slots__ = ("created", "updated", "unchanged")
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    created: int
    updated: int
    unchanged: int
    def __init__(self, created: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ...) -> None: ...

class GetOrgUnitRequest(_message.Message):
    __slots__ = ("id", "as_of")
    ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    id: str
    as_of: _date_pb2.Date
    def __init__(self, id: _Optional[str] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class GetOrgUnitResponse(_message.Message):
    __slots__ = ("org_unit",)
    ORG_UNIT_FIELD_NUMBER: _ClassVar[int]
    org_unit: OrgUnit
    def __init__(self, org_unit: _Optional[_Union[OrgUnit, _Mapping]] = ...) -> None: ...

class ListOrgUnitsRequest(_message.Message):
    __slots__ = ("parent_id", "as_of", "page_size", "page_token")
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent_id: str
    as_of: _date_pb2.Date
    page_size: int
    page_token: str
    def __init__(self, parent_id: _Optional[str] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListOrgUnitsResponse(_message.Message):
    __slots__ = ("org_units", "next_page_token")
    ORG_UNITS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    org_units: _containers.RepeatedCompositeFieldContainer[OrgUnit]
    next_page_token: str
    def __init__(self, org_units: _Optional[_Iterable[_Union[OrgUnit, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpsertEmployeesRequest(_message.Message):
    __slots__ = ("employees",)
    EMPLOYEES_FIELD_NUMBER: _ClassVar[int]
    employees: _containers.RepeatedCompositeFieldContainer[Employee]
    def __init__(self, employees: _Optional[_Iterable[_Union[Employee, _Mapping]]] = ...) -> None: ...

class UpsertEmployeesResponse(_message.Message):
    __slots__ = ("created", "updated", "unchanged")
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    created: int
    updated: int
    unchanged: int
    def __init__(self, created: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ...) -> None: ...

class GetEmployeeRequest(_message.Message):
    __slots__ = ("id", "as_of")
    ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    id: str
    as_of: _date_pb2.Date
    def __init__(self, id: _Optional[str] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class GetEmployeeResponse(_message.Message):
    __slots__ = ("employee",)
    EMPLOYEE_FIELD_NUMBER: _ClassVar[int]
    employee: Employee
    def __init__(self, employee: _Optional[_Union[Employee, _Mapping]] = ...) -> None: ...

class ListEmployeesRequest(_message.Message):
    __slots__ = ("org_unit_id", "include_descendants", "supervisor_id", "as_of", "page_size", "page_token")
    ORG_UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DESCENDANTS_FIELD_NUMBER: _ClassVar[int]
    SUPERVISOR_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    org_unit_id: str
    include_descendants: bool
    supervisor_id: str
    as_of: _date_pb2.Date
    page_size: int
    page_token: str
    def __init__(self, org_unit_id: _Optional[str] = ..., include_descendants: _Optional[bool] = ..., supervisor_id: _Optional[str] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListEmployeesResponse(_message.Message):
    __slots__ = ("employees", "next_page_token")
    EMPLOYEES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    employees: _containers.RepeatedCompositeFieldContainer[Employee]
    next_page_token: str
    def __init__(self, employees: _Optional[_Iterable[_Union[Employee, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListEmployeeHistoryRequest(_message.Message):
    __slots__ = ("employee_id", "page_size", "page_token")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    page_size: int
    page_token: str
    def __init__(self, employee_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListEmployeeHistoryResponse(_message.Message):
    __slots__ = ("versions", "next_page_token")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[Employee]
    next_page_token: str
    def __init__(self, versions: _Optional[_Iterable[_Union[Employee, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpsertLeavesRequest(_message.Message):
    __slots__ = ("leaves",)
    LEAVES_FIELD_NUMBER: _ClassVar[int]
    leaves: _containers.RepeatedCompositeFieldContainer[Leave]
    def __init__(self, leaves: _Optional[_Iterable[_Union[Leave, _Mapping]]] = ...) -> None: ...

class UpsertLeavesResponse(_message.Message):
    __slots__ = ("created", "updated", "unchanged")
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    created: int
    updated: int
    unchanged: int
    def __init__(self, created: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ...) -> None: ...

class ListLeavesRequest(_message.Message):
    __slots__ = ("employee_id", "start_date", "end_date", "page_size", "page_token")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    start_date: _date_pb2.Date
    end_date: _date_pb2.Date
    page_size: int
    page_token: str
    def __init__(self, employee_id: _Optional[str] = ..., start_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., end_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListLeavesResponse(_message.Message):
    __slots__ = ("leaves", "next_page_token")
    LEAVES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    leaves: _containers.RepeatedCompositeFieldContainer[Leave]
    next_page_token: str
    def __init__(self, leaves: _Optional[_Iterable[_Union[Leave, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SetCalendarYearRequest(_message.Message):
    __slots__ = ("year", "exceptions")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    EXCEPTIONS_FIELD_NUMBER: _ClassVar[int]
    year: int
    exceptions: _containers.RepeatedCompositeFieldContainer[CalendarException]
    def __init__(self, year: _Optional[int] = ..., exceptions: _Optional[_Iterable[_Union[CalendarException, _Mapping]]] = ...) -> None: ...

class SetCalendarYearResponse(_message.Message):
    __slots__ = ("working_days",)
    WORKING_DAYS_FIELD_NUMBER: _ClassVar[int]
    working_days: int
    def __init__(self, working_days: _Optional[int] = ...) -> None: ...

class GetCalendarYearRequest(_message.Message):
    __slots__ = ("year",)
    YEAR_FIELD_NUMBER: _ClassVar[int]
    year: int
    def __init__(self, year: _Optional[int] = ...) -> None: ...

class GetCalendarYearResponse(_message.Message):
    __slots__ = ("year", "exceptions", "working_days")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    EXCEPTIONS_FIELD_NUMBER: _ClassVar[int]
    WORKING_DAYS_FIELD_NUMBER: _ClassVar[int]
    year: int
    exceptions: _containers.RepeatedCompositeFieldContainer[CalendarException]
    working_days: int
    def __init__(self, year: _Optional[int] = ..., exceptions: _Optional[_Iterable[_Union[CalendarException, _Mapping]]] = ..., working_days: _Optional[int] = ...) -> None: ...

class GetNthWorkingDayRequest(_message.Message):
    __slots__ = ("after", "n")
    AFTER_FIELD_NUMBER: _ClassVar[int]
    N_FIELD_NUMBER: _ClassVar[int]
    after: _date_pb2.Date
    n: int
    def __init__(self, after: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., n: _Optional[int] = ...) -> None: ...

class GetNthWorkingDayResponse(_message.Message):
    __slots__ = ("date",)
    DATE_FIELD_NUMBER: _ClassVar[int]
    date: _date_pb2.Date
    def __init__(self, date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class CheckEligibilityRequest(_message.Message):
    __slots__ = ("employee_id", "period")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    period: _common_pb2.Period
    def __init__(self, employee_id: _Optional[str] = ..., period: _Optional[_Union[_common_pb2.Period, _Mapping]] = ...) -> None: ...

class CheckEligibilityResponse(_message.Message):
    __slots__ = ("eligible", "reasons")
    ELIGIBLE_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    eligible: bool
    reasons: _containers.RepeatedScalarFieldContainer[IneligibilityReason]
    def __init__(self, eligible: _Optional[bool] = ..., reasons: _Optional[_Iterable[_Union[IneligibilityReason, str]]] = ...) -> None: ...
