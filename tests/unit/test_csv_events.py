"""The CSV importer of metrics events: sample files per kind, formats, errors, ids, docs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from google.type import date_pb2
from hypothesis import given, settings
from hypothesis import strategies as st

from ccperf.common.v1 import common_pb2
from ccperf.metrics.v1 import events_pb2
from services.metrics.domain.measures import UNPLACED_ANSWER, UNPLACED_LEFT_QUEUE
from services.metrics.importers.csv_events import (
    _EXAMPLES,
    EVENT_KINDS,
    CsvRow,
    describe_columns,
    read_csv_events,
    render_docs,
)

ROOT = Path(__file__).parent.parent.parent
DATA = ROOT / "tests" / "data" / "csv"
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def z(time: str, day: str = "2026-10-07") -> Timestamp:
    """The UTC instant ``day`` ``time``Z (the samples' Shanghai times, converted by hand)."""
    stamp = Timestamp()
    stamp.FromJsonString(f"{day}T{time}Z")
    return stamp


def read(text: str, kind: str, timezone: ZoneInfo = SHANGHAI) -> list[CsvRow]:
    return list(read_csv_events(io.StringIO(text), kind, timezone=timezone))


def events(text: str, kind: str, timezone: ZoneInfo = SHANGHAI) -> list[events_pb2.Event]:
    rows = read(text, kind, timezone)
    assert [row.error for row in rows] == [None] * len(rows)
    return [row.event for row in rows if row.event is not None]


def sample(kind: str) -> list[CsvRow]:
    with (DATA / f"{kind}.csv").open(newline="", encoding="utf-8-sig") as stream:
        return list(read_csv_events(stream, kind, timezone=SHANGHAI))


def one(text: str, kind: str) -> events_pb2.Event:
    [event] = events(text, kind)
    return event


E = events_pb2.Event
ITEM = events_pb2.QaItemScore
MONEY = common_pb2.Money
PERIOD = common_pb2.Period
LOGGED_IN = events_pb2.AGENT_STATE_KIND_LOGGED_IN
AVAILABLE = events_pb2.AGENT_STATE_KIND_AVAILABLE
ON_CALL = events_pb2.AGENT_STATE_KIND_ON_CALL
AFTER_CALL_WORK = events_pb2.AGENT_STATE_KIND_AFTER_CALL_WORK
AUX = events_pb2.AGENT_STATE_KIND_AUX

EXPECTED: dict[str, list[events_pb2.Event]] = {
    "call": [
        E(
            event_id="1791334800.1",
            call=events_pb2.Call(
                call_id="1791334800.1",
                queue="billing",
                channel=events_pb2.CHANNEL_PHONE,
                agent_id="E1001",
                caller_key="13800138000",
                offered_at=z("01:00:00"),
                answered_at=z("01:00:18"),
                ended_at=z("01:04:30"),
                wait_seconds=18,
                talk_seconds=240,
                hold_seconds=12,
                acw_seconds=30,
                outcome=events_pb2.CALL_OUTCOME_ANSWERED,
                first_contact_resolved=True,
            ),
        ),
        E(
            event_id="1791334860.2",
            call=events_pb2.Call(
                call_id="1791334860.2",
                queue="billing",
                channel=events_pb2.CHANNEL_PHONE,
                caller_key="13900139000",
                offered_at=z("01:01:00"),
                ended_at=z("01:01:45"),
                wait_seconds=45,
                outcome=events_pb2.CALL_OUTCOME_ABANDONED,
            ),
        ),
        E(
            event_id="1791335100.3",
            call=events_pb2.Call(
                call_id="1791335100.3",
                queue="support",
                channel=events_pb2.CHANNEL_CHAT,
                agent_id="E1002",
                caller_key="cust-88121",
                offered_at=z("01:05:00"),
                answered_at=z("01:05:09.500"),
                ended_at=z("01:12:00"),
                wait_seconds=9.5,
                talk_seconds=400.25,
                acw_seconds=15,
                outcome=events_pb2.CALL_OUTCOME_TRANSFERRED,
                first_contact_resolved=False,
            ),
        ),
        E(
            event_id="1791335400.4",
            call=events_pb2.Call(
                call_id="1791335400.4",
                queue="support",
                channel=events_pb2.CHANNEL_PHONE,
                agent_id="E1003",
                caller_key="13700137000",
                offered_at=z("01:10:00"),
                answered_at=z("01:10:30"),
                ended_at=z("01:15:00"),
                wait_seconds=30,
                talk_seconds=250,
                hold_seconds=20,
                acw_seconds=40,
                outcome=events_pb2.CALL_OUTCOME_ANSWERED,
                first_contact_resolved=True,
            ),
        ),
    ],
    "agent_state": [
        E(
            event_id=f"E1001|{state}|2026-10-07T{start}Z",
            agent_state=events_pb2.AgentState(
                agent_id="E1001",
                state=number,
                reason=reason,
                start_time=z(start),
                end_time=z(end),
                queue=queue,
            ),
        )
        for state, number, reason, start, end, queue in [
            ("logged_in", LOGGED_IN, "", "00:55:00", "10:05:00", ""),
            ("available", AVAILABLE, "", "00:56:00", "01:00:18", "billing"),
            ("on_call", ON_CALL, "", "01:00:18", "01:04:30", "billing"),
            ("after_call_work", AFTER_CALL_WORK, "", "01:04:30", "01:05:00", "billing"),
            ("aux", AUX, "lunch", "04:00:00", "04:45:00", ""),
        ]
    ],
    "work_order": [
        E(
            event_id="WO-1001",
            work_order=events_pb2.WorkOrder(
                work_order_id="WO-1001",
                agent_id="E1002",
                channel=events_pb2.CHANNEL_MAIL,
                created_at=z("01:12:00"),
                due_at=z("01:12:00", "2026-10-08"),
                first_response_at=z("02:05:00"),
                closed_at=z("08:30:00"),
            ),
        ),
        E(
            event_id="WO-1002",
            work_order=events_pb2.WorkOrder(
                work_order_id="WO-1002",
                agent_id="E1003",
                channel=events_pb2.CHANNEL_CHAT,
                created_at=z("02:00:00"),
                due_at=z("06:00:00"),
                first_response_at=z("02:20:00"),
                closed_at=z("03:00:00", "2026-10-09"),
                reopen_count=1,
            ),
        ),
        E(
            event_id="WO-1003",
            work_order=events_pb2.WorkOrder(
                work_order_id="WO-1003",
                created_at=z("03:30:00"),
                due_at=z("03:30:00", "2026-10-08"),
            ),
        ),
    ],
    "qa_evaluation": [
        E(
            event_id="QA-0001",
            qa_evaluation=events_pb2.QaEvaluation(
                evaluation_id="QA-0001",
                agent_id="E1001",
                evaluator_id="E9001",
                call_id="1791334800.1",
                rubric_code="seed004_recording",
                evaluated_at=z("07:00:00", "2026-10-08"),
                items=[
                    ITEM(category="handling_skills", item="greeting", score=5, max_score=5),
                    ITEM(category="handling_skills", item="listening", score=2, max_score=5),
                    ITEM(category="business_knowledge", item="familiarity", score=10, max_score=15),
                ],
            ),
        ),
        E(
            event_id="QA-0002",
            qa_evaluation=events_pb2.QaEvaluation(
                evaluation_id="QA-0002",
                agent_id="E1002",
                evaluator_id="E9001",
                call_id="1791335100.3",
                rubric_code="seed004_recording",
                evaluated_at=z("07:30:00", "2026-10-08"),
                items=[
                    ITEM(category="handling_skills", item="greeting", score=5, max_score=5),
                    ITEM(category="handling_skills", item="closing", score=0, max_score=5),
                ],
            ),
        ),
    ],
    "survey": [
        E(
            event_id="SV-0001",
            survey=events_pb2.Survey(
                survey_id="SV-0001",
                agent_id="E1001",
                call_id="1791334800.1",
                answered_at=z("01:06:00"),
                csat=5,
                nps=9,
                remark=events_pb2.SURVEY_REMARK_PRAISE,
            ),
        ),
        E(
            event_id="SV-0002",
            survey=events_pb2.Survey(
                survey_id="SV-0002",
                agent_id="E1003",
                call_id="1791335400.4",
                answered_at=z("01:20:00"),
                csat=2,
                remark=events_pb2.SURVEY_REMARK_NEGATIVE,
            ),
        ),
        E(
            event_id="SV-0003",
            survey=events_pb2.Survey(
                survey_id="SV-0003",
                agent_id="E1002",
                call_id="1791335100.3",
                answered_at=z("01:15:00"),
                nps=7,
            ),
        ),
    ],
    "complaint": [
        E(
            event_id="CP-0001",
            complaint=events_pb2.Complaint(
                complaint_id="CP-0001",
                agent_id="E1003",
                call_id="1791335400.4",
                received_at=z("03:20:00"),
                confirmed=True,
                category="attitude",
            ),
        ),
        E(
            event_id="CP-0002",
            complaint=events_pb2.Complaint(
                complaint_id="CP-0002",
                agent_id="E1001",
                received_at=z("06:00:00", "2026-10-08"),
                confirmed=False,
                category="wrong information, billing",
            ),
        ),
        E(
            event_id="CP-0003",
            complaint=events_pb2.Complaint(
                complaint_id="CP-0003", received_at=z("00:30:00", "2026-10-09"), category="delay"
            ),
        ),
    ],
    "audit_finding": [
        E(
            event_id="AU-0001",
            audit_finding=events_pb2.AuditFinding(
                audit_id="AU-0001",
                agent_id="E1002",
                audited_at=z("02:00:00", "2026-10-09"),
                items_checked=50,
                errors=1,
                category="order_entry",
            ),
        ),
        E(
            event_id="AU-0002",
            audit_finding=events_pb2.AuditFinding(
                audit_id="AU-0002",
                agent_id="E1003",
                audited_at=z("02:30:00", "2026-10-09"),
                items_checked=40,
                errors=0,
                category="order_entry",
            ),
        ),
    ],
    "schedule_interval": [
        E(
            event_id=f"{queue}|2026-10-07T{start}Z",
            schedule_interval=events_pb2.ScheduleInterval(
                queue=queue,
                interval_start=z(start),
                interval_minutes=30,
                forecast_volume=volume,
                required_staff=required,
                scheduled_staff=scheduled,
            ),
        )
        for queue, start, volume, required, scheduled in [
            ("billing", "01:00:00", 120, 14.5, 15),
            ("billing", "01:30:00", 135.5, 16, 15),
            ("support", "01:00:00", 60, 7.25, 8),
        ]
    ],
    "hr_fact": [
        E(
            event_id="employee:E1001|2026-10",
            hr_fact=events_pb2.HrFact(
                employee_id="E1001",
                period=PERIOD(value="2026-10"),
                scheduled_days=22,
                attended_days=21.5,
                training_hours=6,
                suggestions_submitted=2,
                suggestions_adopted=1,
            ),
        ),
        E(
            event_id="employee:E1002|2026-10",
            hr_fact=events_pb2.HrFact(
                employee_id="E1002",
                period=PERIOD(value="2026-10"),
                scheduled_days=22,
                attended_days=22,
                suggestions_submitted=0,
            ),
        ),
        E(
            event_id="org_unit:CC-SH|2026-Q4",
            hr_fact=events_pb2.HrFact(
                org_unit_id="CC-SH",
                period=PERIOD(value="2026-Q4"),
                leavers=3,
                average_headcount=52.5,
                promotions_internal=2,
                promotions_external=1,
                employee_satisfaction=78.5,
            ),
        ),
    ],
    "finance_fact": [
        E(
            event_id="CC-SH|2026-10",
            finance_fact=events_pb2.FinanceFact(
                org_unit_id="CC-SH",
                period=PERIOD(value="2026-10"),
                operating_cost=MONEY(currency_code="CNY", amount="412500.50"),
                budget=MONEY(currency_code="CNY", amount="430000"),
            ),
        ),
        E(
            event_id="CC-SH|2026-Q4",
            finance_fact=events_pb2.FinanceFact(
                org_unit_id="CC-SH",
                period=PERIOD(value="2026-Q4"),
                operating_cost=MONEY(currency_code="CNY", amount="1250000.00"),
                budget=MONEY(currency_code="CNY", amount="1300000.00"),
            ),
        ),
        E(
            event_id="CC-BJ|2026",
            finance_fact=events_pb2.FinanceFact(
                org_unit_id="CC-BJ",
                period=PERIOD(value="2026"),
                budget=MONEY(currency_code="CNY", amount="5000000"),
            ),
        ),
    ],
    "system_availability": [
        E(
            event_id=f"{name}|{system}|2026-10-07",
            system_availability=events_pb2.SystemAvailability(
                kind=kind,
                system_id=system,
                day=date_pb2.Date(year=2026, month=10, day=7),
                scheduled_minutes=scheduled,
                downtime_minutes=down,
            ),
        )
        for name, kind, system, scheduled, down in [
            ("lines", events_pb2.SYSTEM_KIND_LINES, "trunk-01", 1440, 12.5),
            ("network", events_pb2.SYSTEM_KIND_NETWORK, "core-sw-1", 1440, 0),
            ("applications", events_pb2.SYSTEM_KIND_APPLICATIONS, "crm", 720, 30),
            ("hardware", events_pb2.SYSTEM_KIND_HARDWARE, "srv-ivr-2", 1440, 0),
        ]
    ],
}


# -- the sample file of every kind ----------------------------------------------


def test_every_kind_has_a_sample_and_an_expectation() -> None:
    assert set(EXPECTED) == set(EVENT_KINDS)
    assert {p.stem for p in DATA.glob("*.csv")} == set(EVENT_KINDS)


@pytest.mark.parametrize("kind", EVENT_KINDS)
def test_sample_file_parses_into_exact_events(kind: str) -> None:
    rows = sample(kind)
    assert [row.error for row in rows] == [None] * len(rows)
    assert [row.line for row in rows] == list(range(2, len(rows) + 2))
    assert [row.event for row in rows] == EXPECTED[kind]


def test_sample_presence_is_exact() -> None:
    """Protobuf equality covers presence too; spell out the cases the samples exist for."""
    calls = [row.event.call for row in sample("call") if row.event]
    assert [c.HasField("first_contact_resolved") for c in calls] == [True, False, True, True]
    assert not calls[1].HasField("answered_at")
    surveys = [row.event.survey for row in sample("survey") if row.event]
    assert [(s.HasField("csat"), s.HasField("nps")) for s in surveys] == [
        (True, True),
        (True, False),
        (False, True),
    ]
    facts = [row.event.hr_fact for row in sample("hr_fact") if row.event]
    assert facts[1].HasField("suggestions_submitted")  # an explicit 0 is set
    assert not facts[1].HasField("training_hours")
    assert not facts[0].HasField("leavers")
    finance = [row.event.finance_fact for row in sample("finance_fact") if row.event]
    assert not finance[2].HasField("operating_cost")
    orders = [row.event.work_order for row in sample("work_order") if row.event]
    assert not orders[2].HasField("first_response_at")
    assert not orders[2].HasField("closed_at")


# -- cell formats ------------------------------------------------------------------


CALL_HEADER = "call_id,queue,offered_at,outcome\n"


def offered(cell: str, timezone: ZoneInfo = SHANGHAI) -> Timestamp:
    [event] = events(f'{CALL_HEADER}c1,q,"{cell}",answered\n', "call", timezone)
    return event.call.offered_at


@pytest.mark.parametrize(
    ("cell", "utc"),
    [
        ("2026-10-07 09:00:00", "2026-10-07T01:00:00Z"),
        ("2026-10-07T09:00:00", "2026-10-07T01:00:00Z"),
        ("2026-10-07 09:00", "2026-10-07T01:00:00Z"),
        ("2026-10-07 07:30:00", "2026-10-06T23:30:00Z"),  # the UTC day before
        ("2026-10-01 00:00:00", "2026-09-30T16:00:00Z"),  # and the month before
        ("2026-10-07T09:00:00+08:00", "2026-10-07T01:00:00Z"),
        ("2026-10-07T09:00:00-05:30", "2026-10-07T14:30:00Z"),
        ("2026-10-07T09:00:00+0800", "2026-10-07T01:00:00Z"),
        ("2026-10-07T01:00:00Z", "2026-10-07T01:00:00Z"),
        ("2026-10-07t01:00:00z", "2026-10-07T01:00:00Z"),
        (" 2026-10-07 09:00:00.25 ", "2026-10-07T01:00:00.250Z"),
        ("2026-10-07 09:00:00.123456789", "2026-10-07T01:00:00.123456789Z"),
        # The shared calendar window, 1970–2200 (issue #13 point 13): a 1999 archive is read.
        ("1999-02-01 09:00:00", "1999-02-01T01:00:00Z"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
        ("2200-12-31T23:59:59.999999999Z", "2200-12-31T23:59:59.999999999Z"),
    ],
)
def test_date_times_become_utc_instants(cell: str, utc: str) -> None:
    assert offered(cell).ToJsonString() == utc


def test_naive_times_use_the_given_zone_and_the_first_of_repeated_times() -> None:
    assert offered("2026-07-01 09:00:00", NEW_YORK).ToJsonString() == "2026-07-01T13:00:00Z"
    assert offered("2026-12-01 09:00:00", NEW_YORK).ToJsonString() == "2026-12-01T14:00:00Z"
    # 01:30 happens twice on 2026-11-01 in New York: the first (EDT, -04:00) is taken.
    assert offered("2026-11-01 01:30:00", NEW_YORK).ToJsonString() == "2026-11-01T05:30:00Z"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("true", True), ("FALSE", False), ("1", True), ("0", False), ("Yes", True), (" no ", False)],
)
def test_booleans(cell: str, expected: bool) -> None:
    header = f"{CALL_HEADER.strip()},first_contact_resolved\n"
    event = one(f"{header}c1,q,2026-10-07 09:00,answered,{cell}\n", "call")
    assert event.call.first_contact_resolved is expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("ivr_completed", events_pb2.CALL_OUTCOME_IVR_COMPLETED),
        ("IVR-completed", events_pb2.CALL_OUTCOME_IVR_COMPLETED),
        ("Ivr Completed", events_pb2.CALL_OUTCOME_IVR_COMPLETED),
        ("CALL_OUTCOME_TIMEOUT", events_pb2.CALL_OUTCOME_TIMEOUT),
        ("", events_pb2.CALL_OUTCOME_UNSPECIFIED),
    ],
)
def test_enum_names(cell: str, expected: int) -> None:
    assert one(f"{CALL_HEADER}c1,q,2026-10-07 09:00,{cell}\n", "call").call.outcome == expected


def test_plain_scalars_left_empty_are_zero_and_optional_ones_unset() -> None:
    header = "call_id,queue,offered_at,outcome,wait_seconds,first_contact_resolved,answered_at\n"
    call = one(header + "c1,q,2026-10-07 09:00,abandoned,,,\n", "call").call
    assert call.wait_seconds == 0
    assert not call.HasField("first_contact_resolved")
    assert not call.HasField("answered_at")
    fact = one("employee_id,period,leavers,training_hours\nE1,2026-10,,\n", "hr_fact").hr_fact
    assert not fact.HasField("leavers")
    assert not fact.HasField("training_hours")


def test_money_takes_the_row_currency_and_keeps_the_amount_as_text() -> None:
    header = "org_unit_id,period,currency_code,operating_cost,budget\n"
    fact = one(header + "U1,2026-10, usd ,0.10,-12\n", "finance_fact").finance_fact
    assert fact.operating_cost == MONEY(currency_code="USD", amount="0.10")
    assert fact.budget == MONEY(currency_code="USD", amount="-12")


def test_items_without_a_category_and_with_spaces() -> None:
    header = "evaluation_id,agent_id,rubric_code,evaluated_at,items\n"
    cell = " greeting = 4.5 / 5 ;a/b/c=1/2"
    qa = one(f'{header}Q1,E1,r,2026-10-07 09:00,"{cell}"\n', "qa_evaluation").qa_evaluation
    assert list(qa.items) == [
        ITEM(category="", item="greeting", score=4.5, max_score=5),
        ITEM(category="a/b", item="c", score=1, max_score=2),
    ]


def test_header_names_ignore_case_spaces_and_a_byte_order_mark() -> None:
    text = "\ufeffCall_ID , Queue,OFFERED_AT,outcome\nc1,q,2026-10-07 09:00,answered\n"
    assert one(text, "call").call.call_id == "c1"


def test_strings_are_taken_as_is() -> None:
    text = 'complaint_id,received_at,category\nC1,2026-10-07 09:00," slow ""reply"", again "\n'
    assert one(text, "complaint").complaint.category == ' slow "reply", again '


# -- malformed rows ----------------------------------------------------------------


def test_malformed_rows_are_reported_with_line_and_column_and_good_rows_come_through() -> None:
    text = (
        "call_id,queue,offered_at,outcome,wait_seconds,first_contact_resolved\n"  # 1
        "good1,q,2026-10-07 09:00,answered,1,yes\n"  # 2
        "bad-number,q,2026-10-07 09:00,answered,12s,\n"  # 3
        "\n"  # 4: blank, skipped
        'bad-time,"q\n'  # 5: a row over two lines
        'two",2026-10-07 25:00,answered,1,\n'  # 6
        "bad-enum,q,2026-10-07 09:00,hung_up,1,maybe\n"  # 7
        ",,,,,\n"  # 8: all empty, skipped
        "short,q,2026-10-07 09:00\n"  # 9
        "long,q,2026-10-07 09:00,answered,1,yes,extra\n"  # 10
        ",q,2026-10-07 09:00,answered,1,\n"  # 11: no call_id for the event id
        "bad-date,q,07/10/2026 09:00,answered,nan,\n"  # 12
        "good2,q,2026-10-07T09:00:00Z,timeout,3.5,0\n"  # 13
    )
    rows = read(text, "call")
    assert [(row.line, row.event.event_id if row.event else None) for row in rows] == [
        (2, "good1"),
        (3, None),
        (5, None),
        (7, None),
        (9, None),
        (10, None),
        (11, None),
        (12, None),
        (13, "good2"),
    ]
    errors = {row.line: row.error for row in rows if row.error}
    assert errors[3] == "wait_seconds: '12s' is not a number"
    assert errors[5] is not None and errors[5].startswith("offered_at: '2026-10-07 25:00' is not")
    assert errors[7] is not None and errors[7].startswith("outcome: 'hung_up' is not one of")
    assert "first_contact_resolved: 'maybe' is not true/false" in errors[7]
    assert errors[9] == "has 3 cells, the header has 6"
    assert errors[10] == "has 7 cells, the header has 6"
    assert errors[11] == "call_id: is required to derive the event id"
    assert errors[12] is not None and "offered_at:" in errors[12] and "wait_seconds:" in errors[12]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("3.5", "items_checked: '3.5' is not a whole number"),
        ("1e3", "items_checked: '1e3' is not a whole number"),
        ("2147483648", "items_checked: '2147483648' is out of range"),
    ],
)
def test_bad_integers(cell: str, message: str) -> None:
    text = f"audit_id,audited_at,items_checked\nA1,2026-10-07 09:00,{cell}\n"
    [result] = read(text, "audit_finding")
    assert (result.event, result.error) == (None, message)


@pytest.mark.parametrize(
    ("kind", "header", "cell", "message"),
    [
        ("survey", "survey_id,answered_at,nps", "1e999", "nps: '1e999' is not a whole number"),
        (
            "schedule_interval",
            "queue,interval_start,interval_minutes,forecast_volume",
            "1e999",
            "forecast_volume: '1e999' is out of range",
        ),
        (
            "system_availability",
            "kind,system_id,day",
            "2026-02-30",
            "day: '2026-02-30' is not a valid date: day is out of range for month",
        ),
        (
            "hr_fact",
            "employee_id,period",
            "2026-13",
            "period: invalid period '2026-13': month must be in 1..12, got 13",
        ),
        (
            "system_availability",
            "kind,system_id,day",
            "1969-12-31",
            "day: '1969-12-31' is outside the years 1970–2200",
        ),
        (
            "system_availability",
            "kind,system_id,day",
            "2201-01-01",
            "day: '2201-01-01' is outside the years 1970–2200",
        ),
        (
            "hr_fact",
            "employee_id,period",
            "1969-Q4",
            "period: '1969-Q4' is outside the years 1970–2200",
        ),
        (
            "survey",
            "survey_id,answered_at",
            "1970-01-01 07:59:59",  # Shanghai: 1969-12-31 23:59:59 UTC
            "answered_at: '1970-01-01 07:59:59' is outside the years 1970–2200",
        ),
        (
            "survey",
            "survey_id,answered_at",
            "2201-01-01T00:00:00Z",
            "answered_at: '2201-01-01T00:00:00Z' is outside the years 1970–2200",
        ),
        (
            "finance_fact",
            "org_unit_id,period,currency_code,budget",
            "1,000",
            "budget: '1,000' is not a decimal amount like 1234.50",
        ),
        (
            "qa_evaluation",
            "evaluation_id,agent_id,rubric_code,evaluated_at,items",
            "a/b=5",
            "items: item 1 'a/b=5' is not category/item=score/max",
        ),
        (
            "qa_evaluation",
            "evaluation_id,agent_id,rubric_code,evaluated_at,items",
            "a/b=5/x",
            "items: item 1 'a/b=5/x': 'x' is not a number",
        ),
    ],
)
def test_bad_cells(kind: str, header: str, cell: str, message: str) -> None:
    names = header.split(",")
    values = {
        "survey_id": "S1",
        "answered_at": "2026-10-07 09:00",
        "queue": "q",
        "interval_start": "2026-10-07 09:00",
        "interval_minutes": "30",
        "kind": "lines",
        "system_id": "t1",
        "employee_id": "E1",
        "org_unit_id": "U1",
        "period": "2026-10",
        "currency_code": "CNY",
        "evaluation_id": "Q1",
        "agent_id": "E1",
        "rubric_code": "r",
        "evaluated_at": "2026-10-07 09:00",
    }
    row = [values.get(name, "") for name in names[:-1]] + [cell]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([names, row])
    [result] = read(buffer.getvalue(), kind)
    assert (result.event, result.error) == (None, message)


def test_an_unreadable_row_is_reported_and_reading_goes_on() -> None:
    huge = "x" * (csv.field_size_limit() + 1)
    text = f'{CALL_HEADER}c1,"{huge}",2026-10-07 09:00,answered\nc2,q,2026-10-07 09:00,answered\n'
    rows = read(text, "call")
    assert rows[0].error is not None and rows[0].error.startswith("unreadable row")
    assert (rows[-1].line, rows[-1].event and rows[-1].event.event_id) == (3, "c2")


def test_bytes_that_are_not_utf8_make_their_row_malformed_not_the_file() -> None:
    raw = f"{CALL_HEADER}c1,caf\xe9,2026-10-07 09:00,answered\nc2,q,2026-10-07 09:00,answered\n"
    stream = io.TextIOWrapper(
        io.BytesIO(raw.encode("latin-1")), encoding="utf-8-sig", errors="surrogateescape"
    )
    rows = list(read_csv_events(stream, "call", timezone=SHANGHAI))
    assert [(row.line, row.error) for row in rows] == [(2, "queue: not valid UTF-8"), (3, None)]


# -- the header --------------------------------------------------------------------


def test_unknown_columns_are_rejected_before_any_row() -> None:
    with pytest.raises(ValueError, match="unknown columns for call: 'agent', 'duration'"):
        header = f"{CALL_HEADER.strip()},agent,duration\n"
        read_csv_events(io.StringIO(header), "call", timezone=SHANGHAI)


@pytest.mark.parametrize(
    ("kind", "header", "missing"),
    [
        ("call", "queue,offered_at,outcome", "call_id"),
        ("agent_state", "agent_id,state,end_time", "start_time"),
        ("schedule_interval", "interval_start,interval_minutes", "queue"),
        ("hr_fact", "period,leavers", "employee_id or org_unit_id"),
        ("finance_fact", "org_unit_id,period,budget", "currency_code"),
        ("system_availability", "kind,day", "system_id"),
    ],
)
def test_missing_key_or_required_columns_are_rejected(kind: str, header: str, missing: str) -> None:
    with pytest.raises(ValueError, match=f"need the columns: {missing}$"):
        read_csv_events(io.StringIO(header + "\n"), kind, timezone=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("", "call", "no header row"),
        (f"{CALL_HEADER.strip()},queue\n", "call", "repeated columns: queue"),
        (CALL_HEADER, "calls", "unknown event kind 'calls'"),
    ],
)
def test_unusable_files_are_rejected(text: str, kind: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_csv_events(io.StringIO(text), kind, timezone=SHANGHAI)


def test_hr_fact_needs_only_one_of_employee_and_org_unit_columns() -> None:
    fact = one("org_unit_id,period,leavers\nU1,2026,2\n", "hr_fact")
    assert fact.event_id == "org_unit:U1|2026"


# -- event ids -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", EVENT_KINDS)
def test_event_ids_are_stable_across_reads_and_unique(kind: str) -> None:
    first = [row.event.event_id for row in sample(kind) if row.event]
    second = [row.event.event_id for row in sample(kind) if row.event]
    assert first == second
    assert len(set(first)) == len(first)
    assert all(first)


def test_derived_ids_depend_on_the_instant_not_on_how_it_is_written() -> None:
    header = "agent_id,state,start_time,end_time\n"
    naive = one(header + "E1,AUX,2026-10-07 09:00,2026-10-07 09:10\n", "agent_state")
    offset = one(header + "E1,aux,2026-10-07T01:00:00Z,2026-10-07T01:10:00Z\n", "agent_state")
    assert naive.event_id == offset.event_id == "E1|aux|2026-10-07T01:00:00Z"
    assert naive == offset


def test_derived_ids_escape_the_separator() -> None:
    header = "queue,interval_start,interval_minutes\n"
    event = one(header + "a|b%c,2026-10-07 09:00,30\n", "schedule_interval")
    assert event.event_id == "a%7Cb%25c|2026-10-07T01:00:00Z"


def test_an_event_id_column_overrides_the_derived_id_when_set() -> None:
    text = (
        f"event_id,{CALL_HEADER}"
        "src-7,c1,q,2026-10-07 09:00,answered\n"
        ",c2,q,2026-10-07 09:00,answered\n"
    )
    assert [e.event_id for e in events(text, "call")] == ["src-7", "c2"]


# -- streaming ---------------------------------------------------------------------


class CountingLines:
    """A text stream that counts the lines handed out."""

    def __init__(self, lines: list[str]) -> None:
        self.lines, self.taken = lines, 0

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            self.taken += 1
            yield line


def test_rows_are_read_lazily() -> None:
    body = [f"c{i},q,2026-10-07 09:00,answered\n" for i in range(1000)]
    stream = CountingLines([CALL_HEADER, *body])
    rows = read_csv_events(cast(Any, stream), "call", timezone=SHANGHAI)
    assert stream.taken == 1  # the header, checked at once
    first = next(rows)
    assert first.event is not None and first.event.event_id == "c0"
    assert stream.taken <= 3


# -- docs ----------------------------------------------------------------------------


def test_docs_file_is_render_docs_output() -> None:
    committed = (ROOT / "docs" / "csv-import.md").read_text(encoding="utf-8")
    assert committed == render_docs(), (
        "docs/csv-import.md is stale: run "
        ".venv/bin/python -m services.metrics.importers.csv_events > docs/csv-import.md"
    )


@pytest.mark.parametrize("kind", EVENT_KINDS)
def test_every_column_is_described_and_the_docs_example_parses(kind: str) -> None:
    columns = describe_columns(kind)
    assert all(c.description and c.type for c in columns)
    assert columns[0].name == "event_id"
    header, row = _EXAMPLES[kind]
    [event] = events(f"{header}\n{row}\n", kind)
    assert event.WhichOneof("payload") == kind
    assert f"### `{kind}`" in render_docs()


def test_columns_follow_the_proto_fields() -> None:
    names = [c.name for c in describe_columns("finance_fact")]
    assert names == [
        "event_id",
        "org_unit_id",
        "period",
        "currency_code",
        "operating_cost",
        "budget",
    ]
    required = {c.name for c in describe_columns("call") if c.required}
    assert required == {"call_id", "queue", "offered_at", "outcome"}


# -- never raises on content -----------------------------------------------------------

INTERESTING = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1.5",
        "1e999",
        "nan",
        "yes",
        "answered",
        "aux",
        "2026-10-07",
        "2026-10-07 09:00",
        "2026-10-07T09:00:00+25:00",
        "0001-01-01T00:00:00+08:00",
        "9999-12-31T23:59:59-08:00",
        "2026-Q4",
        "2026-10",
        "a/b=1/2;c=3/4",
        "=/",
        ";;",
        "CNY",
        "2147483648",
        "\x00",
        '"',
        "\r\n",
        "|",
        "١٢",
    ]
)
CELLS = st.one_of(INTERESTING, st.text(max_size=30))


@settings(max_examples=200, deadline=None)
@given(data=st.data(), kind=st.sampled_from(EVENT_KINDS))
def test_random_cells_never_raise(data: st.DataObject, kind: str) -> None:
    names = [c.name for c in describe_columns(kind)]
    rows = data.draw(
        st.lists(st.lists(CELLS, min_size=len(names) - 1, max_size=len(names) + 1), max_size=6)
    )
    buffer = io.StringIO()
    csv.writer(buffer).writerows([names, *rows])
    results = read(buffer.getvalue(), kind)
    assert all((r.event is None) != (r.error is None) for r in results)
    assert [r.line for r in results] == sorted({r.line for r in results})
    assert len(results) <= len(rows)


@settings(max_examples=200, deadline=None)
@given(body=st.text(max_size=300))
def test_random_text_after_a_header_never_raises(body: str) -> None:
    results = read(CALL_HEADER + body, "call")
    assert all((r.event is None) != (r.error is None) for r in results)


# -- warnings: accepted rows the KPIs will leave out (issue #13 point 18) -----------------


def test_calls_nothing_can_place_the_end_of_are_sent_with_a_warning_by_line() -> None:
    header = (
        "call_id,queue,agent_id,offered_at,answered_at,ended_at,wait_seconds,talk_seconds,outcome\n"
    )
    rows = read(
        header
        + "c1,q,,2026-10-07 09:00,,,,,abandoned\n"  # 2: no end, no wait
        + "c2,q,,2026-10-07 09:00,,,0,,timeout\n"  # 3: a wait of 0 places nothing either
        + "c3,q,,2026-10-07 09:00,,,45,,abandoned\n"  # left after its wait: counted
        + "c4,q,E1,2026-10-07 09:00,2026-10-07 09:00:18,,18,,answered\n"  # 5: no talk
        + "c5,q,E1,2026-10-07 09:00,2026-10-07 09:00:18,,18,240,answered\n"  # counted
        + "c6,q,,2026-10-07 09:00,,2026-10-07 09:00:30,,,abandoned\n"  # an end: counted
        + "c7,q,,2026-10-07 09:00,,,,,ivr_completed\n",  # needs no end
        "call",
    )
    assert [row.error for row in rows] == [None] * 7
    assert [(row.line, row.warning) for row in rows if row.warning] == [
        (2, UNPLACED_LEFT_QUEUE),  # the service's own reasons (domain.measures)
        (3, UNPLACED_LEFT_QUEUE),
        (5, UNPLACED_ANSWER),
    ]


def test_other_kinds_and_sample_rows_carry_no_warning() -> None:
    assert [row for kind in EVENT_KINDS for row in sample(kind) if row.warning] == []
