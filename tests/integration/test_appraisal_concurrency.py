"""Writers at once on one appraisal, on real committed Postgres transactions.

A third connection holds the appraisal row locked while the writers start, so they
are in flight together; then it lets go. The row lock serialises them: of two writers
with etag 1 the first wins and the second sees version 2 and gets Conflict; an incident
filed while the result is being issued sees the issued state; two retries of one filing
find each other's record. Every table is emptied after each test.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import Engine, text

from services.appraisal import service
from services.appraisal.models import Adjustment
from services.appraisal.service import AppraisalView
from services.common.db import UnitOfWorkFactory
from services.common.errors import Conflict, FailedPrecondition
from tests.integration.appraisal_factories import (
    AGENT2,
    E1_ID,
    ITEMS,
    LEAD,
    T_REVIEW,
    T_TARGETS,
    S,
    adjustments,
    agent_flow,
    audit,
    load,
    open_october,
    race_behind_a_lock,
    seed_org,
    wait_for_lock_waiters,
)

LOCK_E1 = "SELECT 1 FROM appraisals WHERE id = :id FOR UPDATE"


def set_targets(uows: UnitOfWorkFactory, kpi: int) -> AppraisalView:
    split = {"kpi": Decimal(kpi), "work_goals": Decimal(80 - kpi)}
    return service.set_targets(uows(), LEAD, E1_ID, "1", split, list(ITEMS), now=T_TARGETS)


def test_two_writers_with_the_same_etag_let_exactly_one_win(
    own_engine: Engine, committing: UnitOfWorkFactory
) -> None:
    seed_org(committing)
    open_october(committing)

    outcomes = race_behind_a_lock(
        own_engine, LOCK_E1, {"id": E1_ID},
        lambda: set_targets(committing, 60), lambda: set_targets(committing, 70),
    )  # fmt: skip

    assert sorted(type(o).__name__ for o in outcomes) == ["AppraisalView", "Conflict"]
    winner = next(o for o in outcomes if isinstance(o, AppraisalView))
    loser = next(o for o in outcomes if isinstance(o, Conflict))
    assert "is at version 2, not 1" in loser.message
    row = load(committing, E1_ID)
    assert (row.state, row.version) == (S.TARGETS_SET, 2)
    assert row.section_weights == winner.row.section_weights
    assert row.section_weights in (
        {"kpi": "60", "work_goals": "20"},
        {"kpi": "70", "work_goals": "10"},
    )
    assert [(a.transition, a.version) for a in audit(committing, E1_ID)] == [("set_targets", 2)]


def file_incident(uows: UnitOfWorkFactory, key: str) -> Adjustment:
    return service.file_adjustment(
        uows(), AGENT2, E1_ID, "incident", "valid_complaint", "complaint #7", key, T_REVIEW
    )


def reviewed(uows: UnitOfWorkFactory) -> None:
    seed_org(uows)
    open_october(uows)
    agent_flow(uows).to(S.REVIEWED)


def test_an_incident_filed_while_the_result_is_being_issued_waits_and_is_refused(
    own_engine: Engine, committing: UnitOfWorkFactory
) -> None:
    reviewed(committing)

    with ThreadPoolExecutor(max_workers=1) as pool, own_engine.connect() as issuing:
        # What issue_result does in its transaction: lock the row, move it on.
        issuing.execute(text("SELECT 1 FROM appraisals WHERE id = :id FOR UPDATE"), {"id": E1_ID})
        issuing.execute(
            text("UPDATE appraisals SET state = 'result_issued', version = version + 1 "
                 "WHERE id = :id"),
            {"id": E1_ID},
        )  # fmt: skip
        filing = pool.submit(file_incident, committing, "k1")
        wait_for_lock_waiters(own_engine, 1)
        issuing.commit()
        error = filing.exception(timeout=30)

    assert isinstance(error, FailedPrecondition), error
    assert adjustments(committing, E1_ID) == []


def test_two_retries_of_one_filing_at_once_return_the_same_record(
    own_engine: Engine, committing: UnitOfWorkFactory
) -> None:
    reviewed(committing)

    outcomes = race_behind_a_lock(
        own_engine, LOCK_E1, {"id": E1_ID}, *[lambda: file_incident(committing, "k1")] * 2
    )

    first, second = outcomes
    assert not isinstance(first, BaseException) and not isinstance(second, BaseException)
    assert first.id == second.id
    assert [a.id for a in adjustments(committing, E1_ID)] == [first.id]
