"""Builders for AppraisalService requests, shared by e2e tests, the benchmark and the demo."""

from __future__ import annotations

from ccperf.appraisal.v1 import appraisal_pb2 as pb


def non_management_targets() -> tuple[list[pb.SectionWeight], list[pb.TargetItem]]:
    """KPI 60 + work goals 20: answered calls against 4, AHT from 400 s down to 100 s."""
    weights = [
        pb.SectionWeight(section="kpi", weight="60"),
        pb.SectionWeight(section="work_goals", weight="20"),
    ]
    items = [
        pb.TargetItem(
            section="kpi", code="calls_answered", name="接通量 calls answered", weight="50",
            points="100", target="4", data_provider="ACD",
            scoring=pb.Scoring(ratio_to_target=pb.RatioToTarget(cap="1.2")),
        ),
        pb.TargetItem(
            section="kpi", code="aht", name="平均处理时长 AHT", weight="50", points="100",
            target="100", data_provider="ACD",
            scoring=pb.Scoring(linear=pb.Linear(floor="400")),
        ),
        pb.TargetItem(
            section="work_goals", code="knowledge_base", name="知识库 10 篇 knowledge base",
            weight="100", points="100", standard="10 articles reviewed and published",
            scoring=pb.Scoring(rated=pb.Rated()),
        ),
    ]  # fmt: skip
    return weights, items


BEHAVIOUR_ITEMS = ("discipline", "responsibility", "teamwork", "service_attitude")
MANAGEMENT_ITEMS = ("planning", "coaching", "communication", "execution")


def behaviour_scores(each: str) -> list[pb.ItemScore]:
    return [pb.ItemScore(section="behaviour_attitude", code=c, score=each) for c in BEHAVIOUR_ITEMS]


def management_ratings(each: str) -> list[pb.ItemScore]:
    return [
        pb.ItemScore(section="management_ability", code=c, score=each) for c in MANAGEMENT_ITEMS
    ]
