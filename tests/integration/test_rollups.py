"""Raw events → daily rollups → summed measures, on Postgres and on the embedded SQLite."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, delete, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from ccperf.metrics.v1 import events_pb2
from services.common.db import UnitOfWork
from services.common.periods import Period
from services.metrics import ingest
from services.metrics.event_rows import caller_hasher, event_to_row
from services.metrics.measures_query import Subject, measures_by_agent, measures_for
from services.metrics.models import CallEvent, RollupDirtyDay
from services.metrics.refresh import refresh_dirty
from tests.support.event_store import store_events
from tests.support.metrics_events import abandoned_call, answered_call, survey, ts

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026-10-07 09:00 UTC is 17:00 in Shanghai: the same local day.
MORNING = dt.datetime(2026, 10, 7, 1, 0, tzinfo=dt.UTC)


store = partial(store_events, source="test")


def agent_state(
    event_id: str, agent: str, state: int, start: dt.datetime, hours: float
) -> events_pb2.Event:
    interval = events_pb2.AgentState(agent_id=agent, state=state)  # type: ignore[arg-type]
    interval.start_time.CopyFrom(ts(start))
    interval.end_time.CopyFrom(ts(start + dt.timedelta(hours=hours)))
    return events_pb2.Event(event_id=event_id, agent_state=interval)


def test_call_measures_are_summed_per_day_and_agent(session_factory: Callable[[], Session]) -> None:
    store(
        session_factory,
        answered_call("C1", agent="E1", wait=10, talk=100, at=MORNING),
        answered_call("C2", agent="E1", wait=30, talk=200, at=MORNING + dt.timedelta(hours=1)),
        answered_call("C3", agent="E2", wait=5, talk=50, at=MORNING),
        abandoned_call("C4", wait=3, at=MORNING),  # a short abandon (< 5 s)
        abandoned_call("C5", wait=40, at=MORNING),
        survey("S1", 5, agent="E1"),
    )
    assert refresh_dirty(session_factory, SHANGHAI) > 0
    with session_factory() as session:
        assert session.scalars(select(RollupDirtyDay)).all() == []  # nothing left to rebuild
        center = measures_for(session, Subject("center", "*"), Period.parse("2026-10"))
        e1 = measures_for(session, Subject("agent", "E1"), Period.parse("2026-10-07"))
        other_day = measures_for(session, Subject("agent", "E1"), Period.parse("2026-10-08"))
        by_agent = measures_by_agent(session.connection(), Period.parse("2026-10"))
    assert center["calls_offered"] == 5
    assert center["calls_answered"] == 3
    assert center["calls_abandoned"] == 2
    assert center["calls_short_abandoned"] == 1
    assert center["calls_answered_in_sl"] == 2  # waits 10 and 5 are within 20 s; 30 is not
    assert center["wait_answered_seconds"] == 45
    assert e1["talk_seconds"] == 300
    assert e1["calls_answered"] == 2
    assert e1["survey_answers"] == 1 and e1["csat_satisfied"] == 1
    assert other_day["calls_answered"] == 0
    assert sorted(by_agent) == ["E1", "E2"]
    assert by_agent["E2"]["talk_seconds"] == 50


def test_late_events_rebuild_only_their_day(session_factory: Callable[[], Session]) -> None:
    store(session_factory, answered_call("C1", at=MORNING))
    refresh_dirty(session_factory, SHANGHAI)
    store(session_factory, answered_call("C2", at=MORNING))
    with session_factory() as session:
        dirty = {(d.kind, d.day) for d in session.scalars(select(RollupDirtyDay))}
    assert ("call", dt.date(2026, 10, 7)) in dirty
    assert all(day <= dt.date(2026, 10, 7) for _, day in dirty)
    refresh_dirty(session_factory, SHANGHAI)
    with session_factory() as session:
        month = measures_for(session, Subject("agent", "E1"), Period.parse("2026-10"))
    assert month["calls_answered"] == 2


def test_replayed_events_mark_nothing(session_factory: Callable[[], Session]) -> None:
    store(session_factory, answered_call("C1", at=MORNING))
    refresh_dirty(session_factory, SHANGHAI)
    store(session_factory, answered_call("C1", at=MORNING))
    assert refresh_dirty(session_factory, SHANGHAI) == 0


def test_a_repeat_call_within_the_window_makes_the_first_unresolved(
    session_factory: Callable[[], Session],
) -> None:
    store(session_factory, answered_call("C1", at=MORNING))
    refresh_dirty(session_factory, SHANGHAI)
    with session_factory() as session:
        before = measures_for(session, Subject("center", "*"), Period.parse("2026-10"))
    assert (before["cases"], before["cases_without_repeat"]) == (1, 1)
    # The same caller calls again three days later: the first case was not resolved.
    store(session_factory, answered_call("C2", at=MORNING + dt.timedelta(days=3)))
    refresh_dirty(session_factory, SHANGHAI)
    with session_factory() as session:
        after = measures_for(session, Subject("center", "*"), Period.parse("2026-10"))
    assert (after["cases"], after["cases_without_repeat"]) == (2, 1)


def caller(event: events_pb2.Event, key: str) -> events_pb2.Event:
    event.call.caller_key = key
    return event


def test_a_call_marks_only_the_days_its_caller_called_on_before(
    session_factory: Callable[[], Session],
) -> None:
    """Postgres knows who called when: a call marks its own day and the days of its
    caller's earlier calls in the window, not the whole window (SQLite marks the window)."""
    store(session_factory, caller(answered_call("C1", at=MORNING), "+861"))
    refresh_dirty(session_factory, SHANGHAI)
    later = MORNING + dt.timedelta(days=3)  # 10 October
    store(session_factory, caller(answered_call("C2", at=later), "+862"))  # someone else
    with session_factory() as session:
        dirty = {(d.kind, d.day) for d in session.scalars(select(RollupDirtyDay))}
        postgres = session.get_bind().dialect.name == "postgresql"
    own = {("call", dt.date(2026, 10, 10)), ("schedule_interval", dt.date(2026, 10, 10))}
    window = {("call", dt.date(2026, 10, 10) - dt.timedelta(days=n)) for n in range(1, 8)}
    assert dirty == (own if postgres else own | window)
    refresh_dirty(session_factory, SHANGHAI)
    store(session_factory, caller(answered_call("C3", at=later), "+861"))  # C1's caller again
    with session_factory() as session:
        dirty = {(d.kind, d.day) for d in session.scalars(select(RollupDirtyDay))}
    assert ("call", dt.date(2026, 10, 7)) in dirty  # C1's day: C1 is now a repeated case
    assert dirty == (own | {("call", dt.date(2026, 10, 7))} if postgres else own | window)
    refresh_dirty(session_factory, SHANGHAI)
    with session_factory() as session:
        month = measures_for(session, Subject("center", "*"), Period.parse("2026-10"))
    assert (month["cases"], month["cases_without_repeat"]) == (3, 2)  # C1 repeated by C3


@pytest.mark.usefixtures("clean_tables")
def test_a_batch_waits_for_another_with_its_caller_and_then_sees_its_call(
    engine: Engine,
) -> None:
    """Batch E (an earlier call of a caller) is in flight, holding the caller's lock; batch
    L (the same caller, later) waits for it, then sees E's call and marks E's day."""
    hasher = caller_hasher(b"test")
    _, earlier, _ = event_to_row(caller(answered_call("E", at=MORNING), "+861"), hasher)
    _, later, _ = event_to_row(
        caller(answered_call("L", at=MORNING + dt.timedelta(days=3)), "+861"), hasher
    )
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with engine.connect() as batch_e:
        batch_e.begin()
        batch_e.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:h, 0))"),
            {"h": earlier["caller_hash"]},
        )
        batch_e.execute(insert(CallEvent), [{**earlier, "source": "test"}])
        batch_l = threading.Thread(
            target=ingest.store_batch,
            args=(UnitOfWork(factory), "test", {"call": [later]}),
            kwargs={"timezone": SHANGHAI},
        )
        batch_l.start()
        batch_l.join(timeout=0.5)
        assert batch_l.is_alive()  # waiting for E's lock
        batch_e.commit()
        batch_l.join(timeout=10)
        assert not batch_l.is_alive()
    with factory() as session:
        dirty = {(d.kind, d.day) for d in session.scalars(select(RollupDirtyDay))}
    assert ("call", dt.date(2026, 10, 7)) in dirty  # E's day, marked by L alone


def test_agent_states_crossing_midnight_are_split_by_local_day(
    session_factory: Callable[[], Session],
) -> None:
    # 22:00–02:00 Shanghai time on 7–8 October = 14:00–18:00 UTC on 7 October.
    start = dt.datetime(2026, 10, 7, 14, 0, tzinfo=dt.UTC)
    store(
        session_factory,
        agent_state("A1", "E1", events_pb2.AGENT_STATE_KIND_LOGGED_IN, start, 4),
        agent_state("A2", "E1", events_pb2.AGENT_STATE_KIND_AUX, start + dt.timedelta(hours=1), 2),
    )
    refresh_dirty(session_factory, SHANGHAI)
    with session_factory() as session:
        day1 = measures_for(session, Subject("agent", "E1"), Period.parse("2026-10-07"))
        day2 = measures_for(session, Subject("agent", "E1"), Period.parse("2026-10-08"))
    assert (day1["logged_in_seconds"], day2["logged_in_seconds"]) == (7200, 7200)
    assert (day1["aux_seconds"], day2["aux_seconds"]) == (3600, 3600)
    assert (day1["agent_shifts"], day2["agent_shifts"]) == (1, 0)


def test_idle_time_is_derived_when_the_source_reports_no_available_state(
    session_factory: Callable[[], Session],
) -> None:
    # A queue_log day: logged in 8 h, 5 h on calls, 1 h paused: 2 h idle and available.
    start = dt.datetime(2026, 10, 7, 1, 0, tzinfo=dt.UTC)
    store(
        session_factory,
        agent_state("S1", "E1", events_pb2.AGENT_STATE_KIND_LOGGED_IN, start, 8),
        agent_state("S2", "E1", events_pb2.AGENT_STATE_KIND_ON_CALL, start, 5),
        agent_state("S3", "E1", events_pb2.AGENT_STATE_KIND_AUX, start + dt.timedelta(hours=5), 1),
        agent_state("S4", "E2", events_pb2.AGENT_STATE_KIND_LOGGED_IN, start, 8),
        agent_state("S5", "E2", events_pb2.AGENT_STATE_KIND_AVAILABLE, start, 0.5),
    )
    refresh_dirty(session_factory, SHANGHAI)
    with session_factory() as session:
        e1 = measures_for(session, Subject("agent", "E1"), Period.parse("2026-10-07"))
        e2 = measures_for(session, Subject("agent", "E2"), Period.parse("2026-10-07"))
    assert e1["available_seconds"] == 2 * 3600
    assert e2["available_seconds"] == 1800  # reported availability is taken as reported


def test_an_answered_call_with_neither_an_end_nor_talk_time_is_in_no_measure(
    session_factory: Callable[[], Session],
) -> None:
    """No end, and no talk time to place it: perhaps still in progress when exported (a call
    without an end that can be placed counts: tests/integration/test_unusable_rows.py)."""
    open_call = answered_call("C2", talk=0, at=MORNING)
    open_call.call.ClearField("ended_at")
    store(session_factory, answered_call("C1", at=MORNING), open_call)
    refresh_dirty(session_factory, SHANGHAI)
    with session_factory() as session:
        center = measures_for(session, Subject("center", "*"), Period.parse("2026-10"))
    assert (center["calls_offered"], center["calls_answered"]) == (1, 1)


def test_a_read_refreshes_only_when_a_day_it_reads_is_dirty(
    session_factory: Callable[[], Session],
) -> None:
    from services.common.auth import Principal, Role  # noqa: PLC0415
    from services.common.pagination import PageRequest  # noqa: PLC0415
    from services.metrics import kpis  # noqa: PLC0415

    refreshes: list[int] = []

    def refresh() -> int:
        refreshes.append(refresh_dirty(session_factory, SHANGHAI))
        return refreshes[-1]

    def answered_in_october() -> float | None:
        card = kpis.scorecard(
            UnitOfWork(session_factory), refresh, Principal("H1", frozenset({Role.HR})),
            Subject("center", "*"), Period.parse("2026-10"), ["calls_answered"],
        )  # fmt: skip
        return card.values[0].value

    store(session_factory, answered_call("C1", at=MORNING))
    refresh_dirty(session_factory, SHANGHAI)
    with UnitOfWork(session_factory) as uow:  # a day outside October
        ingest.mark_dirty(uow.session.connection(), [("call", dt.date(2026, 11, 5))])
        uow.commit()
    assert answered_in_october() == 1 and refreshes == []  # no refresh for it
    store(session_factory, answered_call("C2", at=MORNING))  # a day of October is dirty
    assert answered_in_october() == 2 and len(refreshes) == 1

    def listed_in_october() -> float | None:
        page = kpis.agent_values(
            UnitOfWork(session_factory), refresh, Period.parse("2026-10"), ["calls_answered"],
            ["E1"], PageRequest(100, None), [],
        )  # fmt: skip
        return page.kpis[0].values[0] if page.agents else None

    # The read's own refresh ran inside its transaction, which the test's savepoints
    # (Postgres) roll back with the read: rebuild for good before the next read.
    refresh_dirty(session_factory, SHANGHAI)
    assert listed_in_october() == 2 and len(refreshes) == 1  # nothing dirty: no refresh
    store(session_factory, answered_call("C3", at=MORNING))
    assert listed_in_october() == 3 and len(refreshes) == 2


@pytest.mark.usefixtures("clean_tables")
def test_a_read_waits_for_a_day_another_refresher_is_rebuilding(engine: Engine) -> None:
    from services.metrics.refresh import wait_for_rebuilds  # noqa: PLC0415

    day = dt.date(2026, 10, 7)
    with engine.begin() as conn:
        ingest.mark_dirty(conn, [("call", day)])
    with engine.connect() as holder, engine.connect() as reader:
        holder.begin()  # claims the day as a refresher does, and is still rebuilding it
        holder.execute(select(RollupDirtyDay.kind).with_for_update(skip_locked=True)).all()
        waiter = threading.Thread(target=wait_for_rebuilds, args=(reader, day, day))
        waiter.start()
        waiter.join(timeout=0.5)
        assert waiter.is_alive()  # still waiting for the rebuild
        holder.execute(delete(RollupDirtyDay))
        holder.commit()
        waiter.join(timeout=10)
        assert not waiter.is_alive()
        reader.rollback()
    with engine.connect() as conn:  # the wait left no lock behind: a refresher may claim
        conn.execute(select(RollupDirtyDay.kind).with_for_update(nowait=True)).all()


def test_a_scorecard_reads_everything_in_one_statement_as_the_separate_queries_would(
    session_factory: Callable[[], Session],
) -> None:
    from services.common.auth import Role  # noqa: PLC0415
    from services.metrics import definitions, department_kpis  # noqa: PLC0415
    from services.metrics.measures_query import scorecard_inputs  # noqa: PLC0415
    from services.org.service import descendants  # noqa: PLC0415
    from tests.integration.org_factories import (  # noqa: PLC0415
        add_employees,
        employee,
        seed_people,
        who,
    )

    def uows() -> UnitOfWork:
        return UnitOfWork(session_factory)

    seed_people(uows)  # CC → OPS → OPS-T1 (A1, A2), OPS-T2 (B1); CC → SUP → SUP-T1 (C1)
    # From 20 October A2 reports to S: on October's last day, S is their supervisor.
    add_employees(uows, employee("A2", "OPS-T1", "S", since=dt.date(2026, 10, 20)))
    admin = who("pa", Role.PERF_ADMIN)
    OCT1, DEC1 = dt.date(2026, 10, 1), dt.date(2026, 12, 1)  # noqa: N806
    for version, (target, start) in enumerate([(300.0, OCT1), (280.0, DEC1)], start=1):
        definitions.update(
            uows(), admin, code="aht", parameters={}, target=target, effective_from=start,
            expected_version=version, reason="test",
        )  # fmt: skip
    department_kpis.set_matrix(uows(), admin, "OPS", [
        department_kpis.MatrixEntry("aht", 60.0, 300.0),
        department_kpis.MatrixEntry("calls_answered", 40.0, 10.0),
    ])  # fmt: skip
    store(
        session_factory,
        answered_call("C1", agent="A1", talk=100, at=MORNING),
        answered_call("C2", agent="B1", talk=200, at=MORNING),
        answered_call("C3", agent="C1", talk=300, at=MORNING),
    )
    october = Period.parse("2026-10")
    with session_factory() as session:
        dirty = scorecard_inputs(session.connection(), Subject("department", "OPS"), october)
    assert dirty.dirty
    refresh_dirty(session_factory, SHANGHAI)
    with session_factory() as session:
        conn = session.connection()
        ops = scorecard_inputs(conn, Subject("department", "OPS"), october)
        assert not ops.dirty
        assert descendants(session, "OPS", october.end) == {"OPS", "OPS-T1", "OPS-T2"}
        assert (ops.measures["calls_answered"], ops.measures["talk_seconds"]) == (2, 300)
        assert ops.matrix == [("aht", 60.0, 300.0), ("calls_answered", 40.0, 10.0)]
        assert ops.reports_to is None
        expected = definitions.in_force(session, ["aht", "csat"], october.end)
        assert definitions.versions_in_force(ops.versions, ["aht", "csat"], october.end) == expected
        assert expected["aht"].target == 300.0 and expected["csat"].version == 1
        center = scorecard_inputs(conn, Subject("center", "*"), october)
        assert center.measures["calls_answered"] == 3 and center.matrix == []
        a2 = scorecard_inputs(conn, Subject("agent", "A2"), october)
        a1 = scorecard_inputs(conn, Subject("agent", "A1"), october)
        assert (a2.reports_to, a1.reports_to, a1.measures["calls_answered"]) == ("S", "M", 1)
        nobody = scorecard_inputs(conn, Subject("agent", "NOBODY"), october)
        assert nobody.reports_to is None and nobody.measures["calls_answered"] == 0
        listed = measures_by_agent(conn, october, ["C1", "A1", "NOBODY"])  # not B1 between
        assert {a: m["talk_seconds"] for a, m in listed.items()} == {"A1": 100, "C1": 300}
        every = measures_by_agent(conn, october)
        assert {a: m["calls_answered"] for a, m in every.items()} == {"A1": 1, "B1": 1, "C1": 1}


def test_prebuilt_rebuilds_count_as_statements_built_per_day(
    session_factory: Callable[[], Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.metrics import rollups  # noqa: PLC0415
    from services.metrics.domain.measures import DEFAULT_PARAMETERS  # noqa: PLC0415

    start = dt.datetime(2026, 10, 6, 23, 0, tzinfo=dt.UTC)  # across local midnights
    store(
        session_factory,
        answered_call("C1", agent="E1", wait=25, talk=100, at=MORNING),
        answered_call("C2", agent="E2", wait=10, talk=200, at=MORNING + dt.timedelta(days=2)),
        abandoned_call("C3", wait=7, at=MORNING),
        survey("S1", 4, agent="E1"),
        agent_state("A1", "E1", events_pb2.AGENT_STATE_KIND_LOGGED_IN, start, 30),
        agent_state("A2", "E1", events_pb2.AGENT_STATE_KIND_ON_CALL, start, 3),
    )
    october = Period.parse("2026-10")
    tables = [rollup.table for kind, rollup in rollups.ROLLUPS.items()]

    def rebuilt(params: dict[str, float] | None) -> list[list[tuple[object, ...]]]:
        with UnitOfWork(session_factory) as uow:
            ingest.mark_dirty(uow.session.connection(), rollups.mark_period(october))
            uow.commit()
        refresh_dirty(session_factory, SHANGHAI, params)
        with session_factory() as session:
            return [sorted(tuple(row) for row in session.execute(select(t))) for t in tables]

    changed = {**DEFAULT_PARAMETERS, "short_abandon_seconds": 10.0, "service_level_seconds": 30.0}
    for params in (None, changed):
        prebuilt = rebuilt(params)
        with monkeypatch.context() as patch:
            patch.setattr(rollups, "_PREBUILT", frozenset())
            assert rebuilt(params) == prebuilt
    assert any(prebuilt[:2]) and {"call", "agent_state", "survey"} <= rollups._PREBUILT


def test_the_background_refresh_lets_a_day_being_written_settle(
    session_factory: Callable[[], Session],
) -> None:
    """A day marked within the settling time waits for a later round; reads (no
    ``marked_before``) rebuild it at once."""
    store(session_factory, answered_call("C1", at=MORNING))
    settled = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=2)
    assert refresh_dirty(session_factory, SHANGHAI, marked_before=settled) == 0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    assert refresh_dirty(session_factory, SHANGHAI, marked_before=later) > 0
    with session_factory() as session:
        assert session.scalars(select(RollupDirtyDay)).all() == []
