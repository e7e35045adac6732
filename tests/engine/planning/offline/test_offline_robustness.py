"""Any text gets a plan, never an exception: the planner sits in front of every user."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from offline_cases import plan_conversation

from app.engine.planning.plan import ClarificationPlan, RefusalPlan, SemanticQueryPlan, SqlPlan, ToolCallPlan

PLAN_TYPES = (SemanticQueryPlan, SqlPlan, ToolCallPlan, ClarificationPlan, RefusalPlan)
WORDS = st.sampled_from([
    "installs", "revenue", "by", "per", "top", "5", "worst", "cpi", "iOS", "vs", "Android", "last", "month",
    "weekly", "and", "instead", "only", "Germany", "fb", "delete", "how", "many", "campaigns", "retention",
    "churn", "u000123", "same", "for", "June", "trend", "%", "not", "fraud", "as", "a", "pie", "chart", "?",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=80))
def test_arbitrary_text_plans(planner, text):
    assert isinstance(plan_conversation(planner, [], text), PLAN_TYPES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(WORDS, max_size=10), second=st.lists(WORDS, max_size=8))
def test_word_salad_conversations_plan(planner, first, second):
    plan = plan_conversation(planner, [" ".join(first)], " ".join(second))
    assert isinstance(plan, PLAN_TYPES)
    assert 0.0 <= plan.confidence <= 1.0
