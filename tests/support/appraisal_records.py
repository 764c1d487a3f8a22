"""Filed appraisal results written straight to the tables, for tests of what reads them."""

from __future__ import annotations

from decimal import Decimal

from services.appraisal.domain.workflow import AppraisalState
from services.appraisal.models import Appraisal, Cycle, IssuedResult
from services.common.db import UnitOfWorkFactory
from services.common.periods import Period
from services.org.domain.model import PositionType


def filed(uows: UnitOfWorkFactory, employee_id: str, period: str, coefficient: str) -> None:
    """A filed result for one employee and period, as the workflow leaves it."""
    p = Period.parse(period)
    with uows() as uow:
        s = uow.session
        if s.get(Cycle, period) is None:
            s.add(
                Cycle(
                    id=period, granularity=p.granularity, period_start=p.start,
                    period_end=p.end, template_code="seed004_default", opens_on=p.start,
                    closes_on=p.end, data_due_on=p.end, opened_by="H1",
                )
            )  # fmt: skip
            s.flush()
        appraisal_id = f"{period}/{employee_id}"
        s.add(
            Appraisal(
                id=appraisal_id, cycle_id=period, employee_id=employee_id, assessor_id="BOSS",
                org_unit_id="OPS-T1", position_type=PositionType.NON_MANAGEMENT,
                template_code="seed004_default", period_end=p.end, state=AppraisalState.FILED,
                version=12, section_weights={}, signed_by_employee=True, signed_by_assessor=True,
                collected_late=False, appeals_filed=0,
            )
        )  # fmt: skip
        s.flush()
        value = Decimal(coefficient)
        s.add(
            IssuedResult(
                appraisal_id=appraisal_id, issue=1, issued_on=p.end, issued_by="BOSS",
                total=value * 100, full_score=Decimal(100), coefficient=value, grade="C",
                sections=[], explanation=[], appeal_deadline=p.end,
            )
        )  # fmt: skip
        uow.commit()


def reissued(uows: UnitOfWorkFactory, employee_id: str, period: str, coefficient: str) -> None:
    """A later issue of a filed result (an upheld appeal), as the workflow leaves it."""
    appraisal_id = f"{period}/{employee_id}"
    p = Period.parse(period)
    with uows() as uow:
        s = uow.session
        issues = [r.issue for r in s.query(IssuedResult).filter_by(appraisal_id=appraisal_id)]
        value = Decimal(coefficient)
        s.add(
            IssuedResult(
                appraisal_id=appraisal_id, issue=max(issues) + 1, issued_on=p.end,
                issued_by="P1", total=value * 100, full_score=Decimal(100), coefficient=value,
                grade="C", sections=[], explanation=[], appeal_deadline=p.end,
            )
        )  # fmt: skip
        uow.commit()
