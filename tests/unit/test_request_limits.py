"""Every repeated field of every request has a documented maximum, checked by its count."""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from ccperf.appraisal.v1 import appraisal_pb2 as apb
from ccperf.metrics.v1 import events_pb2
from ccperf.metrics.v1 import metrics_pb2 as mpb
from ccperf.org.v1 import org_pb2
from ccperf.payroll.v1 import payroll_pb2 as ppb
from services.common import limits
from services.common.errors import InvalidArgument

PROTOS = Path(__file__).resolve().parents[2] / "protos"


def request_types() -> Iterator[Descriptor]:
    """The input message of every RPC of every service in protos/ccperf/**."""
    for proto in sorted((PROTOS / "ccperf").rglob("*.proto")):
        module = importlib.import_module(
            str(proto.relative_to(PROTOS).with_suffix("")).replace("/", ".") + "_pb2"
        )
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                yield method.input_type


def repeated_fields(descriptor: Descriptor, seen: set[str]) -> Iterator[FieldDescriptor]:
    if descriptor.full_name in seen:
        return
    seen.add(descriptor.full_name)
    for field in descriptor.fields:
        if field.is_repeated:
            yield field
        nested = field.message_type
        if nested is not None and not nested.GetOptions().map_entry:
            yield from repeated_fields(nested, seen)


def test_every_repeated_field_of_every_request_has_a_documented_maximum() -> None:
    seen: set[str] = set()
    fields = [f for d in request_types() for f in repeated_fields(d, seen)]
    assert len(fields) > 25  # the walk reached the nested fields, not only the top level
    undocumented = sorted(
        limits.field_key(f) for f in fields if limits.field_key(f) not in limits.MAXIMA
    )
    assert undocumented == [], "add each to services.common.limits.MAXIMA"
    stale = sorted(set(limits.MAXIMA) - {limits.field_key(f) for f in fields})
    assert stale == [], "MAXIMA names fields no request has"


def test_a_million_empty_entries_are_refused_by_their_count() -> None:
    request = org_pb2.UpsertOrgUnitsRequest()
    request.org_units.extend(org_pb2.OrgUnit() for _ in range(1_000_000))
    started = time.perf_counter()
    with pytest.raises(InvalidArgument) as refused:
        limits.check_request_limits(request)
    assert time.perf_counter() - started < 0.05  # a len(), not a visit of each entry
    (violation,) = refused.value.violations
    assert violation.field == "org_units"
    assert "1000000 entries" in violation.description
    assert f"at most {limits.MAX_UPSERT}" in violation.description


def test_a_nested_repeated_field_is_named_by_its_path() -> None:
    item = apb.TargetItem(code="aht")
    item.scoring.step_bands.bands.extend(apb.StepBand() for _ in range(21))
    request = apb.SetTargetsRequest(items=[apb.TargetItem(code="calls"), item])
    with pytest.raises(InvalidArgument) as refused:
        limits.check_request_limits(request)
    assert [v.field for v in refused.value.violations] == ["items[1].scoring.step_bands.bands"]


def test_maps_and_entries_of_a_oneof_are_counted_too() -> None:
    center = apb.AssessCenterRequest(scores={f"s{i}": "1" for i in range(101)})
    with pytest.raises(InvalidArgument, match="scores"):
        limits.check_request_limits(center)
    batch = mpb.IngestEventsRequest()
    batch.events.add().call.call_id = "C1"
    batch.events.add().qa_evaluation.items.extend(events_pb2.QaItemScore() for _ in range(201))
    with pytest.raises(InvalidArgument) as refused:
        limits.check_request_limits(batch)
    assert [v.field for v in refused.value.violations] == ["events[1].qa_evaluation.items"]


def test_requests_within_their_limits_pass() -> None:
    limits.check_request_limits(ppb.SetCapTableRequest(rows=[ppb.CapRow()] * 10))
    limits.check_request_limits(
        apb.CollectKpiDataRequest(appraisal_ids=["x"] * limits.MAX_APPRAISAL_IDS)
    )
    limits.check_request_limits(ppb.StreamBatchLinesRequest(batch_id="PAY-2026-10"))


def test_the_limits_the_handlers_also_check_are_the_same_numbers() -> None:
    from services.appraisal import grpc_api as appraisal_api  # noqa: PLC0415
    from services.metrics import grpc_api as metrics_api  # noqa: PLC0415
    from services.org import service as org_service  # noqa: PLC0415

    assert metrics_api.MAX_BATCH_EVENTS == limits.MAX_BATCH_EVENTS
    assert metrics_api.MAX_KPI_CODES == limits.MAX_KPI_CODES
    assert metrics_api.MAX_SUBJECT_IDS == limits.MAX_SUBJECT_IDS
    assert org_service.MAX_BATCH == limits.MAX_UPSERT
    assert appraisal_api.MAX_ITEMS == limits.MAX_ITEMS


def test_long_lists_are_bound_in_chunks_below_the_drivers_parameter_limit() -> None:
    chunks = list(limits.chunked(list(range(70_000))))
    assert [len(c) for c in chunks] == [10_000] * 7
    assert limits.MAX_BOUND_VALUES < 32_766  # SQLite's limit, below psycopg's 65,535
