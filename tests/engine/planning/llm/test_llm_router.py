"""Routing between the offline planner and the LLM planner."""

from __future__ import annotations

import pytest
from fake_chat import scripted, tool_call

from app.engine.planning.llm.errors import LLMNotConfigured
from app.engine.planning.llm.planner import LLMPlanner
from app.engine.planning.plan import ClarificationPlan, SemanticQueryPlan
from app.engine.planning.router import PlannerRouter, build_router
from app.settings import Settings


class OfflineStub:
    """An offline planner with a fixed answer (the real one lives elsewhere)."""

    def __init__(self, confidence: float):
        self.confidence = confidence
        self.questions: list[str] = []

    def plan(self, question, context):
        self.questions.append(question)
        return SemanticQueryPlan(query={"metrics": ["installs"]}, confidence=self.confidence)


def llm_planner(*replies) -> LLMPlanner:
    return LLMPlanner(scripted(*replies), provider_label="openai/gpt-4o-mini")


def test_a_confident_offline_plan_is_used_without_calling_the_llm(context):
    llm = llm_planner()  # no scripted reply: a call would fail the test
    routed = PlannerRouter(OfflineStub(0.95), llm, confidence_threshold=0.8).plan("installs", context)
    assert routed.planner == "offline" and routed.plan.query.metrics == ("installs",)
    assert routed.usage.llm_calls == 0 and not routed.checked


def test_an_unsure_offline_plan_goes_to_the_llm(context):
    llm = llm_planner(tool_call("query_metrics", {"metrics": ["paid_installs"]}))
    routed = PlannerRouter(OfflineStub(0.4), llm, confidence_threshold=0.8).plan(
        "paid downloads", context, lambda plan: None
    )
    assert routed.planner == "llm:openai/gpt-4o-mini" and routed.plan.query.metrics == ("paid_installs",)
    assert routed.usage.llm_calls == 1 and routed.checked and len(routed.attempts) == 1


def test_without_an_llm_auto_uses_the_offline_plan_however_unsure(context):
    assert PlannerRouter(OfflineStub(0.1)).plan("?", context).planner == "offline"


def test_the_setting_can_force_either_planner(context):
    offline = OfflineStub(0.1)
    forced_offline = PlannerRouter(offline, llm_planner(), mode="offline").plan("q", context)
    assert forced_offline.planner == "offline"

    forced_llm = PlannerRouter(
        offline,
        llm_planner(tool_call("query_metrics", {"metrics": ["cost"]})),
        mode="llm",
        confidence_threshold=0.0,
    ).plan("spend", context, lambda plan: None)
    assert forced_llm.planner.startswith("llm:") and offline.questions == ["q"]  # llm mode skips offline
    with pytest.raises(LLMNotConfigured, match="planner=llm needs"):
        PlannerRouter(offline, None, mode="llm")


def test_when_the_llm_fails_auto_falls_back_to_the_offline_plan(context):
    llm = LLMPlanner(
        scripted(*[tool_call("run_sql", {"sql": "SELECT x"}) for _ in range(2)]),
        provider_label="openai/gpt-4o-mini",
        max_retries=1,
    )
    routed = PlannerRouter(OfflineStub(0.3), llm).plan("q", context, lambda plan: "column x not found")
    assert routed.planner == "offline" and "column x not found" in routed.fallback_reason
    assert routed.usage.llm_calls == 2 and len(routed.attempts) == 2


def test_an_offline_clarification_below_the_threshold_also_goes_to_the_llm(context):
    class Unsure:
        def plan(self, question, context):
            return ClarificationPlan(question="Which metric?", confidence=0.2)

    llm = llm_planner(tool_call("query_metrics", {"metrics": ["roas"]}))
    assert (
        PlannerRouter(Unsure(), llm).plan("how good", context, lambda p: None).plan.kind == "semantic_query"
    )


def test_build_router_reads_the_planner_setting():
    settings = Settings(_env_file=None, planner="offline")
    router = build_router(settings, OfflineStub(1.0), None, confidence_threshold=0.6)
    assert (router.mode, router.confidence_threshold) == ("offline", 0.6)
    assert build_router(Settings(_env_file=None), OfflineStub(1.0)).confidence_threshold == 0.8
