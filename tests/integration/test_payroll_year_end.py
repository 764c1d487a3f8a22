"""The year-end bonus on Postgres: parameters, base pay, annual results, a year's batch."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from services.appraisal import outcomes
from services.appraisal.domain.results import Grade
from services.appraisal.models import AnnualGrade, AnnualPopulation
from services.common.auth import Role
from services.common.db import UnitOfWorkFactory
from services.common.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from services.common.pagination import PageRequest
from services.common.periods import Period
from services.payroll_bridge import service
from services.payroll_bridge.appraisal_source import AnnualFetcher, AnnualResult, FiledResult
from services.payroll_bridge.domain.money import Money
from services.payroll_bridge.domain.performance_pay import CoefficientBound
from services.payroll_bridge.domain.year_end import YearEndParameters
from services.payroll_bridge.models import PayBatchLine
from tests.integration.org_factories import add_employees, employee, seed_tree, who

D = Decimal
HR = who("H1", Role.HR)
NOW = dt.datetime(2027, 1, 20, 2, 0, tzinfo=dt.UTC)
YEAR = Period.parse("2026")
BOUND = CoefficientBound()
PARAMETERS = YearEndParameters(
    year=2026,
    completion_rate=D("0.95"),
    bonus_coefficient_by_grade={"G3": D("1.5")},
    bonus_coefficient_by_position={"team_lead": D(2)},
    currency="CNY",
)


JAN1 = dt.date(2026, 1, 1)


def cny(text: str) -> Money:
    return Money.of(text, "CNY")


def on(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def org(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """Agents A1–A4 (agent, job grade G3) and a team lead L1 (job grade G3) in OPS."""
    seed_tree(uow_factory)
    lead = dataclasses.replace(employee("L1", "OPS-T1"), position="team_lead")
    agents = [employee(f"A{i}", "OPS-T1", "L1") for i in range(1, 5)]
    add_employees(uow_factory, lead, *agents)
    return uow_factory


def graded(
    uows: UnitOfWorkFactory, employee_id: str, coefficient: str | None, grade: str | None
) -> None:
    """An annual result as ComputeAnnualGrades (and calibration) leaves it, for 2026."""
    with uows() as uow:
        s = uow.session
        if s.get(AnnualPopulation, (2026, "center")) is None:
            s.add(
                AnnualPopulation(
                    year=2026, population="center", level="center", quotas={}, allowed={},
                    computed_at=NOW, computed_by="H1",
                )
            )  # fmt: skip
        s.add(
            AnnualGrade(
                year=2026, employee_id=employee_id, population="center",
                coefficient=None if coefficient is None else D(coefficient),
                basis="monthly_mean" if coefficient else "none",
                months_used=12 if coefficient else 2, explanation="set by the test",
                distributed_grade=grade, grade=grade,
            )
        )  # fmt: skip
        uow.commit()


def annual_source(uows: UnitOfWorkFactory, calls: list[int] | None = None) -> AnnualFetcher:
    """The appraisal service's ListAnnualResults, in process, two rows a page."""

    def fetch(year: int) -> list[AnnualResult]:
        if calls is not None:
            calls.append(year)
        found: list[AnnualResult] = []
        page = PageRequest(size=2, after=None)
        while True:
            try:
                rows, token = outcomes.list_annual_results(uows(), HR, year, page, [])
            except NotFound:
                return []
            found.extend(
                AnnualResult(
                    g.employee_id, g.population, g.coefficient,
                    Grade(g.grade) if g.grade else None, g.basis, g.months_used,
                )
                for g in rows
            )  # fmt: skip
            if not token:
                return found
            page = PageRequest(size=2, after=rows[-1].employee_id)

    return fetch


def no_results(period: str) -> list[FiledResult]:
    return []


def base_pay(uows: UnitOfWorkFactory, *rows: tuple[str, str, str]) -> service.Counts:
    return service.set_base_pay(
        uows(), HR, [service.BasePayAssignment(e, cny(a), on(since)) for e, a, since in rows]
    )


def compute(uows: UnitOfWorkFactory, calls: list[int] | None = None) -> service.Computation:
    return service.compute_period(
        uows(), HR, YEAR, no_results, BOUND, now=NOW, fetch_annual=annual_source(uows, calls)
    )


def batch_lines(uows: UnitOfWorkFactory, batch_id: str) -> dict[str, PayBatchLine]:
    lines, _ = service.list_batch_lines(uows(), batch_id, PageRequest(100, None), [])
    return {line.employee_id: line for line in lines}


def test_the_bonus_is_completion_rate_times_both_coefficients_times_base_pay(
    org: UnitOfWorkFactory,
) -> None:
    service.set_year_end_parameters(org(), HR, PARAMETERS, now=NOW)
    graded(org, "A1", "0.8750", "B")
    # The base pay in force on December 31 counts: not the earlier one, not the next year's.
    counts = base_pay(
        org, ("A1", "5000.00", "2025-01-01"), ("A1", "6000.00", "2026-07-01"),
        ("A1", "7000.00", "2027-01-01"),
    )  # fmt: skip
    assert (counts.created, counts.updated, counts.unchanged) == (3, 0, 0)

    computed = compute(org)

    assert (computed.lines, computed.skipped, computed.unpaid) == (1, [], 0)
    # 0.95 × 0.8750 × 1.5 × 6000.00 = 7481.25 exactly
    assert computed.totals == {"CNY": cny("7481.25")}
    batch = service.create_batch(org(), HR, YEAR, now=NOW)
    assert (batch.id, batch.period, batch.line_count, batch.totals) == (
        "PAY-2026", "2026", 1, {"CNY": "7481.25"}
    )  # fmt: skip
    line = batch_lines(org, batch.id)["A1"]
    assert (line.kind, line.reference, line.amount, line.source_issue) == (
        "year_end_bonus", "2026/A1", D("7481.25"), 0
    )  # fmt: skip
    explained = service.explain_line(org(), who("A1"), line.id).explanation
    values = explained["values"]
    assert {k: values[k] for k in ("completion_rate", "annual_coefficient", "annual_grade",
                                   "bonus_coefficient", "bonus_coefficient_source", "grade",
                                   "base_pay", "base_pay_from", "raw_amount", "outcome")} == {
        "completion_rate": "0.95", "annual_coefficient": "0.8750", "annual_grade": "B",
        "bonus_coefficient": "1.5", "bonus_coefficient_source": "grade", "grade": "G3",
        "base_pay": "6000.00", "base_pay_from": "2026-07-01", "raw_amount": "7481.250000000",
        "outcome": "paid",
    }  # fmt: skip
    assert explained["text"] == (
        "completion rate 0.95 × annual coefficient 0.8750 × bonus coefficient 1.5 (grade G3)"
        " × base pay 6000.00 CNY = 7481.250000000 → 7481.25 CNY"
    )
    with pytest.raises(PermissionDenied):
        service.explain_line(org(), who("A2"), line.id)


def test_grade_e_and_no_annual_coefficient_get_a_zero_line_saying_why(
    org: UnitOfWorkFactory,
) -> None:
    service.set_year_end_parameters(org(), HR, PARAMETERS, now=NOW)
    graded(org, "A1", "0.9000", "B")
    graded(org, "A2", "0.4000", "E")  # has base pay: still nothing
    graded(org, "A3", None, None)  # two months appraised, no base pay needed for nothing
    base_pay(org, ("A1", "6000.00", "2026-01-01"), ("A2", "6000.00", "2026-01-01"))

    computed = compute(org)

    assert (computed.lines, computed.unpaid, computed.skipped) == (3, 2, [])
    assert computed.totals == {"CNY": cny("7695.00")}  # A1: 0.95 × 0.9 × 1.5 × 6000
    lines = batch_lines(org, service.create_batch(org(), HR, YEAR, now=NOW).id)
    assert {e: str(x.amount) for e, x in lines.items()} == {
        "A1": "7695.00", "A2": "0.00", "A3": "0.00"
    }  # fmt: skip
    e_grade = lines["A2"].explanation
    assert (e_grade["values"]["outcome"], e_grade["values"]["annual_grade"]) == ("grade_e", "E")
    assert e_grade["values"]["bonus_coefficient"] == ""  # not looked up for an E
    assert e_grade["text"] == "annual grade E (不称职): no year-end bonus → 0.00 CNY"
    unappraised = lines["A3"].explanation["values"]
    assert (unappraised["outcome"], unappraised["base_pay"]) == ("no_annual_coefficient", "")


def test_a_position_coefficient_beats_the_grade_coefficient(org: UnitOfWorkFactory) -> None:
    service.set_year_end_parameters(org(), HR, PARAMETERS, now=NOW)
    graded(org, "L1", "0.8750", "B")  # team_lead, job grade G3: 2, not 1.5
    graded(org, "A1", "0.8750", "B")
    base_pay(org, ("L1", "6000.00", "2026-01-01"), ("A1", "6000.00", "2026-01-01"))

    compute(org)

    lines = batch_lines(org, service.create_batch(org(), HR, YEAR, now=NOW).id)
    assert lines["L1"].amount == D("9975.00")  # 0.95 × 0.8750 × 2 × 6000.00
    assert lines["A1"].amount == D("7481.25")  # 0.95 × 0.8750 × 1.5 × 6000.00
    values = lines["L1"].explanation["values"]
    assert (values["bonus_coefficient"], values["bonus_coefficient_source"]) == ("2", "position")
    assert "(position team_lead)" in lines["L1"].explanation["text"]


def test_missing_parameters_are_refused_before_asking_the_appraisal_service(
    org: UnitOfWorkFactory,
) -> None:
    graded(org, "A1", "0.8750", "B")
    base_pay(org, ("A1", "6000.00", "2026-01-01"))
    calls: list[int] = []
    with pytest.raises(FailedPrecondition, match="2026 has no year-end parameters"):
        compute(org, calls)
    assert calls == []
    # Other years' parameters do not stand in.
    service.set_year_end_parameters(org(), HR, dataclasses.replace(PARAMETERS, year=2025), now=NOW)
    with pytest.raises(FailedPrecondition, match="2026 has no year-end parameters"):
        compute(org, calls)


def test_who_cannot_be_computed_is_skipped_and_listed(org: UnitOfWorkFactory) -> None:
    grade_g3_only = dataclasses.replace(PARAMETERS, bonus_coefficient_by_position={})
    service.set_year_end_parameters(org(), HR, grade_g3_only, now=NOW)
    add_employees(org, dataclasses.replace(employee("A5", "OPS-T1", "L1"), grade="G9"))
    for person in ("A1", "A2", "A3", "A5"):
        graded(org, person, "0.8000", "C")
    base_pay(
        org, ("A1", "6000.00", "2026-01-01"), ("A2", "6000.00", "2027-01-01"),
        ("A5", "6000.00", "2026-01-01"),
    )  # fmt: skip
    service.set_base_pay(org(), HR, [service.BasePayAssignment("A3", Money.of("800", "USD"), JAN1)])

    computed = compute(org)

    assert computed.lines == 1
    assert computed.skipped == [
        ("A2", "no base pay in force on 2026-12-31"),
        ("A3", "base pay is in USD, 2026's parameters in CNY"),
        ("A5", "2026 sets no bonus coefficient for position 'agent' or grade 'G9'"),
    ]


def test_a_year_without_annual_results_is_refused(org: UnitOfWorkFactory) -> None:
    service.set_year_end_parameters(org(), HR, PARAMETERS, now=NOW)
    with pytest.raises(FailedPrecondition, match="no annual results for 2026"):
        compute(org)


def test_the_year_is_recomputed_until_batched_then_frozen(org: UnitOfWorkFactory) -> None:
    service.set_year_end_parameters(org(), HR, PARAMETERS, now=NOW)
    graded(org, "A1", "0.8750", "B")
    base_pay(org, ("A1", "5000.00", "2026-01-01"))
    assert compute(org).totals == {"CNY": cny("6234.38")}  # 6234.375 rounds half-up
    base_pay(org, ("A1", "6000.00", "2026-01-01"))  # hr corrects it: the draft is replaced
    assert compute(org).totals == {"CNY": cny("7481.25")}
    batch = service.create_batch(org(), HR, YEAR, now=NOW)
    with pytest.raises(AlreadyExists):
        service.create_batch(org(), HR, YEAR, now=NOW)
    with pytest.raises(FailedPrecondition, match="already batched"):
        compute(org)
    with pytest.raises(FailedPrecondition, match="already batched"):
        service.set_year_end_parameters(org(), HR, PARAMETERS, now=NOW)
    assert service.acknowledge_batch(org(), who("P", Role.PAYROLL), batch.id, batch.content_hash)

    # A later month does not treat the year's batch as a month to adjust.
    months: list[str] = []

    def fetch(period: str) -> list[FiledResult]:
        months.append(period)
        return []

    service.compute_period(org(), HR, Period.parse("2027-01"), fetch, BOUND, now=NOW)
    assert months == ["2027-01"]


def test_parameters_are_checked_and_replaced_whole(org: UnitOfWorkFactory) -> None:
    view, created = service.set_year_end_parameters(org(), HR, PARAMETERS, now=NOW)
    assert created
    assert (view.updated_by, dict(view.parameters.bonus_coefficient_by_position)) == (
        "H1", {"team_lead": D(2)}
    )  # fmt: skip
    replaced = YearEndParameters(2026, D("1.05"), {"G3": D("1.2")}, {}, "CNY")
    view, created = service.set_year_end_parameters(org(), HR, replaced, now=NOW)
    assert not created
    assert view.parameters == replaced
    with pytest.raises(InvalidArgument) as caught:
        service.set_year_end_parameters(org(), HR, YearEndParameters(2026, D(1), {}, {}, "CNY"))
    assert caught.value.violations[0].field == "grade_coefficients"
    with pytest.raises(InvalidArgument) as caught:
        service.set_year_end_parameters(org(), HR, dataclasses.replace(replaced, year=1900))
    assert caught.value.violations[0].field == "year"


def test_base_pay_is_checked(org: UnitOfWorkFactory) -> None:
    with pytest.raises(InvalidArgument) as caught:
        base_pay(org, ("A1", "6000.00", "2026-01-01"), ("NOBODY", "1.00", "2026-01-01"))
    assert [v.field for v in caught.value.violations] == ["assignments[1].employee_id"]
    for amount, problem in (("-1.00", "negative"), ("6000.001", "more decimals")):
        with pytest.raises(InvalidArgument, match=problem) as caught:
            base_pay(org, ("A1", amount, "2026-01-01"))
        assert caught.value.violations[0].field == "assignments[0].amount"
    base_pay(org, ("A1", "6000.00", "2026-01-01"))
    again = base_pay(org, ("A1", "6000", "2026-01-01"), ("A1", "6500.00", "2026-06-01"))
    assert (again.created, again.updated, again.unchanged) == (1, 0, 1)


def test_annual_results_are_listed_by_employee_for_payroll_only(org: UnitOfWorkFactory) -> None:
    for person, coefficient, grade in (("A3", "0.7", "C"), ("A1", "0.9", "A"), ("A2", None, None)):
        graded(org, person, coefficient, grade)
    payroll = who("P", Role.PAYROLL)
    first, token = outcomes.list_annual_results(org(), payroll, 2026, PageRequest(2, None), [])
    assert [g.employee_id for g in first] == ["A1", "A2"]
    assert token
    rest, token = outcomes.list_annual_results(org(), payroll, 2026, PageRequest(2, "A2"), [])
    assert ([g.employee_id for g in rest], token) == (["A3"], "")
    with pytest.raises(NotFound, match="2025"):
        outcomes.list_annual_results(org(), payroll, 2025, PageRequest(2, None), [])
    with pytest.raises(PermissionDenied):
        outcomes.list_annual_results(org(), who("A1"), 2026, PageRequest(2, None), [])
