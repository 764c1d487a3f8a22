"""The demo's appraisal month: every step of seed 004's cycle over gRPC, as each party.

HR opens the October cycle; each assessor sets targets (KPIs from the imported
metrics for agents, work goals for everyone); employees confirm; perf_admin
approves the non-management KPI targets; the duty officer collects the KPI
values from the metrics service; employees assess themselves; 360 raters rate
the managers; a QA lead reports an incident and an agent asks for a bonus
item, both confirmed by the assessor; assessors review and issue; both sides
sign; HR files; the weakest agent appeals, perf_admin upholds it with a
corrected score and the result is re-issued. Every call carries the token of
the person who would make it, so the access rules are exercised too.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import grpc

from ccperf.appraisal.v1 import appraisal_pb2 as pb
from ccperf.appraisal.v1 import appraisal_pb2_grpc
from ccperf.common.v1 import common_pb2
from ccperf.org.v1 import org_pb2
from services.common.auth import Role, mint_token

CYCLE = "2026-10"
QA_LEAD = "E0040"  # 运营支持科's team lead runs QA (as in the demo data)
PERF_ADMIN = "demo-perf-admin"
DUTY_OFFICER = "demo-duty-officer"
HR = "demo-hr"
BEHAVIOUR = ("discipline", "responsibility", "teamwork", "service_attitude")
MANAGEMENT = ("planning", "coaching", "communication", "execution")


def agent_targets() -> tuple[list[pb.SectionWeight], list[pb.TargetItem]]:
    """KPI 60 (from metrics) + work goals 20 for a non-management agent."""
    kpi = [
        (
            "csat",
            "客户满意度 CSAT",
            "25",
            pb.Scoring(ratio_to_target=pb.RatioToTarget(cap="1.1")),
            "85",
        ),
        (
            "qa_score",
            "质检得分 QA score",
            "25",
            pb.Scoring(ratio_to_target=pb.RatioToTarget()),
            "90",
        ),
        ("aht", "平均处理时长 AHT", "25", pb.Scoring(linear=pb.Linear(floor="600")), "300"),
        (
            "complaint_rate",
            "投诉率 complaints ‰",
            "25",
            pb.Scoring(
                step_bands=pb.StepBands(
                    bands=[
                        pb.StepBand(threshold="1", fraction="1"),
                        pb.StepBand(threshold="2", fraction="0.8"),
                        pb.StepBand(threshold="3", fraction="0.5"),
                    ],
                    direction=pb.DIRECTION_LOWER_IS_BETTER,
                )
            ),
            "",
        ),
    ]
    items = [
        pb.TargetItem(
            section="kpi",
            code=code,
            name=name,
            weight=weight,
            points="100",
            scoring=scoring,
            target=target,
            data_provider="运营支持科",
        )
        for code, name, weight, scoring, target in kpi
    ]
    items.append(
        pb.TargetItem(
            section="work_goals",
            code="knowledge",
            name="业务知识考试 knowledge test",
            weight="100",
            points="100",
            standard="≥ 90 in the monthly test",
            scoring=pb.Scoring(rated=pb.Rated()),
        )
    )
    return [
        pb.SectionWeight(section="kpi", weight="60"),
        pb.SectionWeight(section="work_goals", weight="20"),
    ], items


def manager_targets() -> tuple[list[pb.SectionWeight], list[pb.TargetItem]]:
    """Work goals 80 for a manager (their KPIs are their teams', reviewed as goals)."""
    goals = [
        ("team_service_level", "班组服务水平达标 team service level met", "60"),
        ("coaching_plan", "辅导计划完成 coaching plan done", "40"),
    ]
    items = [
        pb.TargetItem(
            section="work_goals",
            code=code,
            name=name,
            weight=weight,
            points="100",
            scoring=pb.Scoring(rated=pb.Rated()),
        )
        for code, name, weight in goals
    ]
    return [
        pb.SectionWeight(section="kpi", weight="0"),
        pb.SectionWeight(section="work_goals", weight="80"),
    ], items


def _score(person: str, salt: str, low: int, high: int) -> str:
    """A deterministic 'judgement' between low and high for one person and item."""
    return str(low + zlib.crc32(f"{person}/{salt}".encode()) % (high - low + 1))


class Parties:
    """Calls the appraisal service as whoever would make each call."""

    def __init__(self, target: str, secret: str) -> None:
        self._channel = grpc.insecure_channel(target)
        self._stub = appraisal_pb2_grpc.AppraisalServiceStub(self._channel)  # type: ignore[no-untyped-call]
        self._secret = secret
        self._tokens: dict[tuple[str, tuple[Role, ...]], str] = {}
        self.calls = 0

    def __call__(self, method: str, request: Any, subject: str, *roles: Role) -> Any:
        key = (subject, roles)
        if key not in self._tokens:
            self._tokens[key] = mint_token(secret=self._secret, subject=subject, roles=list(roles))
        self.calls += 1
        rpc: Callable[..., Any] = getattr(self._stub, method)
        return rpc(request, metadata=(("authorization", f"Bearer {self._tokens[key]}"),))

    def close(self) -> None:
        self._channel.close()


BOSS = (Role.SUPERVISOR, Role.EMPLOYEE)  # assessors are employees too


class AppraisalMonth:
    """The month's steps in order; `current` holds each appraisal as last returned."""

    def __init__(self, call: Parties, people: list[org_pb2.Employee]) -> None:
        self.call = call
        self.names = {p.id: p.name for p in people}
        self.teams = {p.id: p.org_unit_id for p in people}
        self.managers = {
            p.id for p in people if p.position_type == org_pb2.POSITION_TYPE_MANAGEMENT
        }
        self.current: dict[str, pb.Appraisal] = {}

    def step(
        self, method: str, request_type: Any, appraisal_id: str, subject: str, *roles: Role,
        **fields: Any,
    ) -> None:  # fmt: skip
        request = request_type(
            appraisal_id=appraisal_id, etag=self.current[appraisal_id].etag, **fields
        )
        self.current[appraisal_id] = self.call(method, request, subject, *roles).appraisal

    @property
    def agents(self) -> list[pb.Appraisal]:
        return [a for a in self.current.values() if a.employee_id not in self.managers]

    def open(self) -> bool:
        """Open the cycle; False when an earlier run already did (the month is then shown)."""
        request = pb.OpenCycleRequest(period=common_pb2.Period(value=CYCLE))
        try:
            opened = self.call("OpenCycle", request, HR, Role.HR)
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise
            print(f"  the {CYCLE} cycle is already open (an earlier run): its results as filed")
            self.current = {a.id: a for a in self.list(summary=True)}
            return False
        due = opened.cycle.data_due_on
        print(f"  OpenCycle {CYCLE}: {opened.opened} appraisals; data due "
              f"{due.year}-{due.month:02d}-{due.day:02d}; not appraised:")  # fmt: skip
        for skipped in opened.skipped:
            name = self.names.get(skipped.employee_id, "")
            print(f"      {skipped.employee_id} {name}: {', '.join(skipped.reasons)}")
        self.current = {a.id: a for a in self.list(summary=True)}
        return True

    def list(self, *, summary: bool) -> list[pb.Appraisal]:
        request = pb.ListAppraisalsRequest(cycle_id=CYCLE, page_size=1000, summary=summary)
        return list(self.call("ListAppraisals", request, HR, Role.HR).appraisals)

    def set_targets(self) -> None:
        for a in list(self.current.values()):
            manager = a.employee_id in self.managers
            weights, items = manager_targets() if manager else agent_targets()
            self.step("SetTargets", pb.SetTargetsRequest, a.id, a.assessor_id, *BOSS,
                      section_weights=weights, items=items)  # fmt: skip
            self.step("ConfirmTargets", pb.ConfirmTargetsRequest, a.id, a.employee_id, *BOSS)
            if not manager:
                self.step("ApproveTargets", pb.ApproveTargetsRequest, a.id, PERF_ADMIN,
                          Role.PERF_ADMIN)  # fmt: skip
            self.step("StartAppraisal", pb.StartAppraisalRequest, a.id, a.assessor_id, *BOSS)
        print(f"  targets set, confirmed, approved (non-management), started: {len(self.current)}")

    def collect(self) -> None:
        request = pb.CollectKpiDataRequest(cycle_id=CYCLE)
        collected = self.call("CollectKpiData", request, DUTY_OFFICER, Role.DUTY_OFFICER)
        late = " (after the data deadline: flagged late)" if collected.late else ""
        print(f"  CollectKpiData: {collected.collected} appraisals, "
              f"{len(collected.missing)} KPI values missing{late}")  # fmt: skip

    def assess(self) -> None:
        ratings = 0
        for a in list(self.current.values()):
            request = pb.GetAppraisalRequest(appraisal_id=a.id)
            full = self.call("GetAppraisal", request, HR, Role.HR).appraisal
            self.current[a.id] = full
            for rater in full.raters:
                scores = [
                    pb.ItemScore(section="management_ability", code=code,
                                 score=_score(rater.rater_id, a.id + code, 14, 25))
                    for code in MANAGEMENT
                ]  # fmt: skip
                rating = pb.SubmitRatingRequest(appraisal_id=a.id, scores=scores)
                self.call("SubmitRating", rating, rater.rater_id, *BOSS)
                ratings += 1
            own = _hand_scores(full, a.employee_id, 70, 100)
            self.step("SubmitSelfAssessment", pb.SubmitSelfAssessmentRequest, a.id,
                      a.employee_id, *BOSS, scores=own)  # fmt: skip
        print(f"  self-assessments: {len(self.current)}; 360 ratings: {ratings}")

    def adjust(self) -> None:
        incident_on, bonus_for = self.agents[3], self.agents[7]
        filed = pb.FileIncidentRequest(
            appraisal_id=incident_on.id, item_code="valid_complaint",
            description="有效投诉: wrong tariff quoted", request_key="demo-1",
        )  # fmt: skip
        incident = self.call("FileIncident", filed, QA_LEAD, *BOSS).adjustment
        asked = pb.RequestBonusRequest(
            appraisal_id=bonus_for.id, item_code="customer_praise",
            description="客户表扬信 letter of praise", request_key="demo-2",
        )  # fmt: skip
        bonus = self.call("RequestBonus", asked, bonus_for.employee_id, *BOSS).adjustment
        for record, owner in ((incident, incident_on), (bonus, bonus_for)):
            decision = pb.DecideAdjustmentRequest(adjustment_id=record.id, confirm=True)
            self.call("DecideAdjustment", decision, owner.assessor_id, *BOSS)
            # A decision changes what the result reads, so the etag moved on: read it again.
            reread = pb.GetAppraisalRequest(appraisal_id=owner.id)
            self.current[owner.id] = self.call("GetAppraisal", reread, HR, Role.HR).appraisal
        print(
            f"  incident on {incident_on.employee_id} (−{incident.points}) and bonus item "
            f"for {bonus_for.employee_id} (+{bonus.points}), confirmed by their assessors"
        )

    def issue(self) -> None:
        for a in list(self.current.values()):
            review = _hand_scores(self.current[a.id], a.employee_id + "/review", 60, 100)
            self.step("SubmitReview", pb.SubmitReviewRequest, a.id, a.assessor_id, *BOSS,
                      scores=review)  # fmt: skip
            self.step("IssueResult", pb.IssueResultRequest, a.id, a.assessor_id, *BOSS)
            self.sign_and_file(a)
        print(f"  reviewed, issued, signed by both and filed: {len(self.current)}")

    def sign_and_file(self, a: pb.Appraisal) -> None:
        self.step("SignResult", pb.SignResultRequest, a.id, a.employee_id, *BOSS)
        self.step("SignResult", pb.SignResultRequest, a.id, a.assessor_id, *BOSS)
        self.step("FileResult", pb.FileResultRequest, a.id, HR, Role.HR)

    def appeal(self) -> None:
        weakest = min(self.agents, key=lambda a: Decimal(a.result.total))
        before = weakest.result.total
        self.step("Appeal", pb.AppealRequest, weakest.id, weakest.employee_id, *BOSS,
                  reason="知识考试成绩录入有误 the test score was entered wrongly")  # fmt: skip
        correction = pb.ItemScore(section="work_goals", code="knowledge", score="95")
        self.step("DecideAppeal", pb.DecideAppealRequest, weakest.id, PERF_ADMIN,
                  Role.PERF_ADMIN, uphold=True, reason="考试系统记录为 95 分 the system shows 95",
                  corrections=[correction])  # fmt: skip
        self.step("ReissueResult", pb.ReissueResultRequest, weakest.id, PERF_ADMIN,
                  Role.PERF_ADMIN)  # fmt: skip
        self.sign_and_file(weakest)
        after = self.current[weakest.id].result
        print(f"  {weakest.employee_id} appealed; perf_admin upheld it; re-issued "
              f"(issue {after.issue}): {before} → {after.total}")  # fmt: skip

    def print_results(self) -> None:
        print(
            f"  {'employee':<9}{'name':<12}{'team':<8}{'type':<6}{'total':>8}{'coeff.':>8}  grade"
        )
        grades: Counter[str] = Counter()
        for a in sorted(self.current.values(), key=lambda a: a.employee_id):
            grade = pb.Grade.Name(a.result.grade).removeprefix("GRADE_")
            grades[grade] += 1
            name = self.names.get(a.employee_id, "")
            name += " " * max(1, 12 - 2 * len(name))  # CJK characters take two columns
            kind = "mgmt" if a.employee_id in self.managers else "agent"
            team = self.teams.get(a.employee_id, "")
            print(f"  {a.employee_id:<9}{name}{team:<8}{kind:<6}"
                  f"{a.result.total:>8}{a.result.coefficient:>8}  {grade}")  # fmt: skip
        counts = ", ".join(f"{g} {grades[g]}" for g in "ABCDE")
        print(f"  grades: {counts}; {self.call.calls} appraisal RPCs, each as its party")


def run_appraisal_month(target: str, secret: str, people: list[org_pb2.Employee]) -> bool:
    call = Parties(target, secret)
    month = AppraisalMonth(call, people)
    try:
        if month.open():
            for phase in (month.set_targets, month.collect, month.assess, month.adjust,
                          month.issue, month.appeal):  # fmt: skip
                phase()
        month.print_results()
        return True
    except grpc.RpcError as exc:
        print(f"  appraisal step failed: {exc.code().name}: {exc.details()}")
        return False
    finally:
        call.close()


def _hand_scores(appraisal: pb.Appraisal, salt: str, low: int, high: int) -> list[pb.ItemScore]:
    """Scores for every item scored by hand (rated items), as a share of their points."""
    scores = []
    for item in appraisal.items:
        if item.scoring.WhichOneof("method") != "rated":
            continue
        share = Decimal(_score(salt, item.code, low, high))
        score = (Decimal(item.points) * share / 100).normalize()
        scores.append(pb.ItemScore(section=item.section, code=item.code, score=f"{score:f}"))
    return scores
