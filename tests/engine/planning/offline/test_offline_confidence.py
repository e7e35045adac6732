"""Confidence is honest, and the embedding fallback finds metrics no synonym names."""
from __future__ import annotations

import pytest
from offline_cases import plan_conversation

from app.engine.planning.offline import OfflinePlanner
from app.engine.planning.plan import ClarificationPlan, SemanticQueryPlan


@pytest.fixture(scope="module")
def lexical_only(semantic_model, duckdb_wh):
    return OfflinePlanner(semantic_model, duckdb_wh.schema(), embedder=False)


@pytest.mark.parametrize("question", [
    "installs by platform last month",
    "Top 5 iOS campaigns by ROAS in June",
    "weekly revenue for TikTok this year",
])
def test_fully_explained_question_is_confident(planner, question):
    plan = plan_conversation(planner, [], question)
    assert plan.confidence >= 0.85


@pytest.mark.parametrize("question", [
    "installs by platform last month for the blorptastic zeppelin cohort",
    "revenue of the quantum marshmallow initiative",
])
def test_unexplained_words_lower_confidence(planner, question):
    plan = plan_conversation(planner, [], question)
    assert plan.confidence < 0.85


@pytest.mark.parametrize(("question", "metric"), [
    ("how much cash went into advertising last month", "cost"),
    ("how many ads were shown in june", "impressions"),
])
def test_embedding_fallback_finds_unnamed_metric_with_low_confidence(planner, question, metric):
    plan = plan_conversation(planner, [], question)
    assert isinstance(plan, SemanticQueryPlan)
    assert plan.query.metrics == (metric,)
    assert plan.confidence < 0.85


def test_without_embeddings_the_planner_asks_instead(lexical_only):
    plan = plan_conversation(lexical_only, [], "how much cash went into advertising last month")
    assert isinstance(plan, ClarificationPlan)


def test_without_embeddings_lexical_questions_still_plan(lexical_only):
    plan = plan_conversation(lexical_only, [], "spend by network last quarter")
    assert isinstance(plan, SemanticQueryPlan)
    assert plan.query.metrics == ("cost",) and plan.query.dimensions == ("media_source",)


def test_schema_only_planner_matches_values_listed_in_the_schema(lexical_only):
    plan = plan_conversation(lexical_only, [], "fb installs in germany")
    assert {f.to_text() for f in plan.query.filters} == {"media_source = 'Facebook'", "country = 'DE'"}


def test_typo_lowers_confidence_below_exact(planner):
    exact = plan_conversation(planner, [], "revenue by country")
    typo = plan_conversation(planner, [], "revnue by contry")
    assert typo.query == exact.query
    assert typo.confidence < exact.confidence


def test_follow_up_keeps_earlier_turn_unchanged(planner):
    first = plan_conversation(planner, [], "installs by platform last month")
    plan_conversation(planner, ["installs by platform last month"], "only Android")
    again = plan_conversation(planner, [], "installs by platform last month")
    assert again == first


def test_approximate_value_match_lowers_confidence(planner):
    exact = plan_conversation(planner, [], "installs from facebook")
    guessed = plan_conversation(planner, [], "installs from facebok")
    assert guessed.query == exact.query
    assert exact.confidence >= 0.85 > guessed.confidence


@pytest.mark.parametrize("question", [
    "which countries have a CPI above average",
    "total spend above $1000",  # one number has no groups to keep or drop
])
def test_what_a_semantic_query_cannot_say_is_asked_about_not_answered(planner, question):
    plan = plan_conversation(planner, [], question)
    assert isinstance(plan, ClarificationPlan), f"{question!r} gave {plan!r}"
    assert plan.confidence < 0.7


def test_an_average_of_daily_totals_is_one_number(planner):
    plan = plan_conversation(planner, [], "average daily installs last month")
    assert isinstance(plan, SemanticQueryPlan)
    assert plan.query.per_period == "day" and not plan.query.dimensions
    assert plan.confidence >= 0.85


def test_what_the_metric_cannot_take_is_named_not_dropped(planner):
    """Spend is known per campaign, not per user: "organic users" and "device model" cannot apply to it,
    and the reply says so instead of answering total spend."""
    plan = plan_conversation(planner, [], "spend of organic users by device model")
    assert isinstance(plan, ClarificationPlan), plan
    assert "device model" in plan.question and "cost" in plan.question
