"""Performance-pay lines share their explanation; ExplainLine still gives each its whole one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from alembic import command
from sqlalchemy import func, select, text

from services.cli import alembic_config
from services.common.auth import Role
from services.common.db import UnitOfWorkFactory, make_engine
from services.common.periods import Period
from services.payroll_bridge import service
from services.payroll_bridge.appraisal_source import FiledResult
from services.payroll_bridge.domain.caps import CapRow, CapTable
from services.payroll_bridge.domain.money import Money
from services.payroll_bridge.domain.performance_pay import (
    CoefficientBound,
    monthly_performance_pay,
)
from services.payroll_bridge.models import DraftLine, PayBatchLine, SharedExplanation
from tests.conftest import ThrowawayDatabases
from tests.integration.org_factories import add_employees, employee, seed_tree, who

HR = who("H1", Role.HR)
NOW = dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC)
OCTOBER = Period.parse("2026-10")
CAP = CapRow("agent", "G3", 1, Money.of("3000.00", "CNY"), dt.date(2026, 1, 1))
RESULTS = [
    FiledResult("2026-10/A1", "A1", 1, Decimal("0.8000")),
    FiledResult("2026-10/A2", "A2", 1, Decimal("0.8000")),
    FiledResult("2026-10/A3", "A3", 1, Decimal("0.9000")),
    FiledResult("2026-10/A4", "A4", 2, Decimal("0.8000")),
]


def results(period: str) -> list[FiledResult]:
    return RESULTS if period == "2026-10" else []


def test_the_shared_part_and_a_lines_values_give_back_the_whole_explanation() -> None:
    line = monthly_performance_pay(
        CapTable((CAP,)), position="agent", grade="G3", base_tier=1,
        coefficient=Decimal("1.0500"), as_of=dt.date(2026, 10, 31), bound=CoefficientBound(),
    )  # fmt: skip
    explained = service._explain(line, RESULTS[3])
    key, part = service._shared_explanation(explained)
    assert "appraisal" not in part["values"] and "result_issue" not in part["values"]
    whole = service._line_explanation(part, "2026-10/A4", 2)
    assert whole == explained
    assert list(whole) == list(explained)
    assert list(whole["values"]) == list(explained["values"])  # the same order too
    other = service._explain(line, RESULTS[0])
    assert service._shared_explanation(other)[0] == key  # the same for every such line


def test_a_months_lines_point_at_one_explanation_per_payee_and_coefficient(
    uow_factory: UnitOfWorkFactory,
) -> None:
    seed_tree(uow_factory)
    add_employees(uow_factory, *(employee(e, "OPS-T1") for e in ("A1", "A2", "A3", "A4")))
    service.set_cap_table(uow_factory(), HR, [CAP])
    bound = CoefficientBound()

    service.compute_period(uow_factory(), HR, OCTOBER, results, bound, now=NOW)
    service.compute_period(uow_factory(), HR, OCTOBER, results, bound, now=NOW)  # a re-run

    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SharedExplanation)) == 2
        drafts = uow.session.execute(select(DraftLine.explanation, DraftLine.explanation_id))
        ids = [(own, shared is not None) for own, shared in drafts]
    assert ids == [(None, True)] * 4
    batch = service.create_batch(uow_factory(), HR, OCTOBER, now=NOW)
    with uow_factory() as uow:
        lines = {
            x.employee_id: (x.id, x.explanation, x.explanation_id)
            for x in uow.session.scalars(
                select(PayBatchLine).where(PayBatchLine.batch_id == batch.id)
            )
        }
    assert [own for _, own, _ in lines.values()] == [None] * 4
    assert lines["A1"][2] == lines["A2"][2] == lines["A4"][2] != lines["A3"][2]

    a4 = service.explain_line(uow_factory(), who("A4"), lines["A4"][0])
    a1 = service.explain_line(uow_factory(), HR, lines["A1"][0])
    assert a4.explanation["values"]["appraisal"] == "2026-10/A4"
    assert a4.explanation["values"]["result_issue"] == "2"
    assert list(a4.explanation["values"])[:2] == ["appraisal", "result_issue"]
    assert {**a4.explanation["values"], "appraisal": "2026-10/A1", "result_issue": "1"} == (
        a1.explanation["values"]
    )
    assert a4.explanation["text"] == (
        "cap 3000.00 CNY (agent/G3 tier 1, from 2026-01-01) × coefficient 0.8000"
        " = 2400.000000 → 2400.00 CNY"
    )
    with uow_factory() as uow:  # completed on the detached line only, never written
        assert uow.session.get_one(PayBatchLine, lines["A4"][0]).explanation is None


def test_the_downgrade_writes_shared_explanations_back_into_their_lines(
    databases: ThrowawayDatabases,
) -> None:
    url = databases.create("ccperf_shared_explanations")
    config = alembic_config(url)
    command.upgrade(config, "head")  # type: ignore[arg-type]
    engine = make_engine(url, pool_size=1)
    part = '{"formula": "f", "values": {"cap": "3000.00"}, "text": "t"}'
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO pay_explanations VALUES ('x', CAST(:p AS json))"), {
                "p": part
            })  # fmt: skip
            conn.execute(text(
                "INSERT INTO pay_batches (id, period, content_hash, line_count, totals, "
                "created_at, created_by) VALUES ('PAY-2026-09', '2026-09', 'h', 1, '{}', now(), "
                "'H1')"))  # fmt: skip
            conn.execute(text(
                "INSERT INTO pay_batch_lines (id, batch_id, line_no, employee_id, kind, "
                "reference, amount, currency, source_issue, explanation_id) VALUES "
                "('PAY-2026-09/1', 'PAY-2026-09', 1, 'A1', 'performance_pay', '2026-09/A1', "
                "2400, 'CNY', 3, 'x')"))  # fmt: skip
            conn.execute(text(
                "INSERT INTO pay_draft_lines (period, employee_id, kind, reference, amount, "
                "currency, source_issue, explanation_id, computed_at, computed_by) VALUES "
                "('2026-10', 'A1', 'performance_pay', '2026-10/A1', 2400, 'CNY', 1, 'x', now(), "
                "'H1')"))  # fmt: skip
        command.downgrade(config, "0008")  # type: ignore[arg-type]
        with engine.connect() as conn:
            batched = conn.scalar(text("SELECT explanation FROM pay_batch_lines"))
            drafted = conn.scalar(text("SELECT explanation FROM pay_draft_lines"))
        assert batched == {
            "formula": "f",
            "values": {"appraisal": "2026-09/A1", "result_issue": "3", "cap": "3000.00"},
            "text": "t",
        }
        assert drafted["values"] == {
            "appraisal": "2026-10/A1", "result_issue": "1", "cap": "3000.00"
        }  # fmt: skip
        command.upgrade(config, "head")  # type: ignore[arg-type]
    finally:
        engine.dispose()
