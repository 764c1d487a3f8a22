"""Two CreateBatch calls for one period at once, on real committed Postgres transactions.

A third connection holds the period's draft lines locked while both calls start, so both
have found no batch yet and wait on the same rows; then it lets go. The winner freezes
the drafts (and deletes them); the loser's locking read then finds no draft line. It was
told "no computed lines: run ComputePeriod first", and following that failed too: it
must hear that the period has a batch, and which.
"""

from __future__ import annotations

from sqlalchemy import Engine

from services.common.db import UnitOfWorkFactory
from services.common.errors import AlreadyExists
from services.payroll_bridge import service
from services.payroll_bridge.models import PayBatch
from tests.integration.appraisal_factories import race_behind_a_lock
from tests.integration.test_payroll_streaming import HR, NOW, OCTOBER, seven_computed_lines


def test_the_loser_of_two_concurrent_batches_is_told_which_batch_won(
    own_engine: Engine, committing: UnitOfWorkFactory
) -> None:
    seven_computed_lines(committing)
    outcomes = race_behind_a_lock(
        own_engine, "SELECT 1 FROM pay_draft_lines WHERE period = :p FOR UPDATE",
        {"p": str(OCTOBER)},
        *[lambda: service.create_batch(committing(), HR, OCTOBER, NOW)] * 2,
    )  # fmt: skip

    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyExists", "PayBatch"]
    winner = next(o for o in outcomes if isinstance(o, PayBatch))
    loser = next(o for o in outcomes if isinstance(o, AlreadyExists))
    assert winner.id == "PAY-2026-10"
    assert "PAY-2026-10" in loser.message
    assert service.get_batch(committing(), "PAY-2026-10").line_count == 7
