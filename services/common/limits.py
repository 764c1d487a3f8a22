"""How much one request may carry, checked before any per-entry work; and how long a
list of values one SQL statement may bind.

Every repeated field (and map) of every request message, nested ones included, has a
maximum in `MAXIMA`: the README's Limits table is this table. A field left out of it
still gets `DEFAULT_MAX_ENTRIES`, and a unit test fails until it is written down here.
The interceptor calls `check_request_limits` on each request message as it parses it
(every message of a client stream), so a million empty entries are refused by their
count, before a handler reads one of them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from services.common.errors import FieldViolation, InvalidArgument

T = TypeVar("T")

DEFAULT_MAX_ENTRIES = 1_000
"""A repeated field's maximum unless `MAXIMA` names it."""

MAX_UPSERT = 20_000
"""Bulk feeds: HRIS sends a center's employees, leave or pay figures in one call."""
MAX_ITEMS = 200
"""Items of one appraisal form (targets, scores, corrections)."""
MAX_BATCH_EVENTS = 10_000
"""Events in one IngestEvents message (``services.metrics.grpc_api`` checks the same)."""
MAX_KPI_CODES = 100
MAX_SUBJECT_IDS = 10_000
MAX_APPRAISAL_IDS = 10_000
"""Appraisals named in one call: a cycle holds one per employee of the center."""

MAXIMA: Mapping[str, int] = MappingProxyType(
    {
        # org
        "ccperf.org.v1.UpsertOrgUnitsRequest.org_units": MAX_UPSERT,
        "ccperf.org.v1.UpsertEmployeesRequest.employees": MAX_UPSERT,
        "ccperf.org.v1.UpsertLeavesRequest.leaves": MAX_UPSERT,
        "ccperf.org.v1.SetCalendarYearRequest.exceptions": 366,  # each day of a year once
        # appraisal
        "ccperf.appraisal.v1.SetTargetsRequest.section_weights": 50,
        "ccperf.appraisal.v1.SetTargetsRequest.items": MAX_ITEMS,
        "ccperf.appraisal.v1.StepBands.bands": 20,
        "ccperf.appraisal.v1.Rubric.levels": 20,
        "ccperf.appraisal.v1.ThreeSixty.weights": 10,  # one per rater role
        "ccperf.appraisal.v1.CollectKpiDataRequest.appraisal_ids": MAX_APPRAISAL_IDS,
        "ccperf.appraisal.v1.SubmitSelfAssessmentRequest.scores": MAX_ITEMS,
        "ccperf.appraisal.v1.SubmitRatingRequest.scores": MAX_ITEMS,
        "ccperf.appraisal.v1.SubmitReviewRequest.scores": MAX_ITEMS,
        "ccperf.appraisal.v1.DecideAppealRequest.corrections": MAX_ITEMS,
        "ccperf.appraisal.v1.CalibrateGradesRequest.moves": MAX_UPSERT,
        "ccperf.appraisal.v1.AssessCenterRequest.scores": 100,  # certification sub-items
        # metrics
        "ccperf.metrics.v1.IngestEventsRequest.events": MAX_BATCH_EVENTS,
        "ccperf.metrics.v1.QaEvaluation.items": MAX_ITEMS,
        "ccperf.metrics.v1.GetScorecardRequest.kpis": MAX_KPI_CODES,
        "ccperf.metrics.v1.ListKpiValuesRequest.kpis": MAX_KPI_CODES,
        "ccperf.metrics.v1.ListKpiValuesRequest.subject_ids": MAX_SUBJECT_IDS,
        "ccperf.metrics.v1.UpdateKpiDefinitionRequest.parameters": 50,
        "ccperf.metrics.v1.SetDepartmentKpisRequest.kpis": MAX_KPI_CODES,
        # payroll
        "ccperf.payroll.v1.SetCapTableRequest.rows": 10_000,
        "ccperf.payroll.v1.SetBaseTiersRequest.assignments": MAX_UPSERT,
        "ccperf.payroll.v1.SetBasePayRequest.assignments": MAX_UPSERT,
        "ccperf.payroll.v1.RecordIncentiveAmountsRequest.amounts": MAX_UPSERT,
        "ccperf.payroll.v1.SetYearEndParametersRequest.grade_coefficients": DEFAULT_MAX_ENTRIES,
        "ccperf.payroll.v1.SetYearEndParametersRequest.position_coefficients": (
            DEFAULT_MAX_ENTRIES
        ),
        "ccperf.payroll.v1.SetIncentiveScheduleRequest.brackets": 100,
    }
)
"""``<message full name>.<field>`` → most entries one message may hold there."""


def field_key(field: FieldDescriptor) -> str:
    """``<message full name>.<field>``: how `MAXIMA` names a field."""
    return field.full_name  # a field's full name is its message's full name and its own


# One step of the walk: a field's name, its maximum (repeated) or None (a singular message
# field), and the plan of its values when they are messages holding repeated fields.
_Step = tuple[str, int | None, "_Plan | None"]
_Plan = tuple[_Step, ...]


@functools.cache
def _plan(descriptor: Descriptor) -> _Plan:
    """What to look at in a message of this type: repeated fields, and message fields
    under which a repeated field lies. Built once per type (recursion: cut at a cycle)."""
    return _build_plan(descriptor, frozenset())


def _build_plan(descriptor: Descriptor, visiting: frozenset[str]) -> _Plan:
    steps: list[_Step] = []
    visiting = visiting | {descriptor.full_name}
    for field in descriptor.fields:
        nested = field.message_type
        inner: _Plan | None = None
        if nested is not None and not nested.GetOptions().map_entry:
            inner = None if nested.full_name in visiting else _build_plan(nested, visiting) or None
        if field.is_repeated:
            steps.append((field.name, MAXIMA.get(field_key(field), DEFAULT_MAX_ENTRIES), inner))
        elif inner is not None:
            steps.append((field.name, None, inner))
    return tuple(steps)


def check_request_limits(request: Message) -> None:
    """Refuse (InvalidArgument) a request any of whose repeated fields holds more entries
    than its maximum, naming the field's path (``items[3].scoring.step_bands.bands``) and
    the maximum. Costs a len() per repeated field, plus a visit of the entries of those
    whose entries hold repeated fields themselves (a QA evaluation's items in an event)."""
    violations: list[FieldViolation] = []
    _check(request, _plan(request.DESCRIPTOR), "", violations)
    if violations:
        raise InvalidArgument(violations)


def _check(message: Any, plan: _Plan, path: str, violations: list[FieldViolation]) -> None:
    for name, maximum, inner in plan:
        if maximum is None:
            if message.HasField(name):
                _check(getattr(message, name), inner or (), f"{path}{name}.", violations)
            continue
        entries = getattr(message, name)
        count = len(entries)
        if count > maximum:
            violations.append(
                FieldViolation(path + name, f"holds {count} entries: at most {maximum} per request")
            )
        elif inner is not None:
            # Inline, and the path only written out where something is found: the
            # entries of a 10,000-event batch are visited for their QA items.
            for i, entry in enumerate(entries):
                for field, field_maximum, field_inner in inner:
                    if field_maximum is None and not entry.HasField(field):
                        continue
                    step = ((field, field_maximum, field_inner),)
                    _check(entry, step, f"{path}{name}[{i}].", violations)


MAX_BOUND_VALUES = 10_000
"""Most values one statement binds for an IN list (each is one parameter): psycopg sends
at most 65,535 parameters a statement and SQLite 32,766; longer lists are read in chunks."""


def chunked(values: Sequence[T], size: int = MAX_BOUND_VALUES) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
