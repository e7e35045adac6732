"""Slots: the offline plan plus raw-text guards that catch what a planner ignores."""
from __future__ import annotations

import pytest

from app.engine.cache.slots import MIN_PLAN_CONFIDENCE, extract_slots
from app.engine.planning.plan import ClarificationPlan, PlanningContext, RefusalPlan, SemanticQueryPlan
from semantic_layer import SemanticQuery

AS_OF = __import__("datetime").date(2026, 7, 1)
# One plan for both questions: what a planner that ignored the differing word would return.
BLIND_PLAN = SemanticQueryPlan(query=SemanticQuery(metrics=["installs"], dimensions=["platform"]))


@pytest.fixture(scope="module")
def guards(offline_planner):
    def slots(question: str, plan=BLIND_PLAN):
        return extract_slots(question, plan, AS_OF, offline_planner.values, offline_planner.lexicon)
    return slots


@pytest.mark.parametrize(("a", "b"), [
    ("top 5 campaigns by installs", "top 10 campaigns by installs"),       # a number
    ("top five campaigns by installs", "top six campaigns by installs"),   # number words
    ("D7 retention by platform", "D30 retention by platform"),              # digits glued to letters
    ("installs on iOS 17.5", "installs on iOS 18.5"),                       # a version
    ("installs last week", "installs this week"),                          # a period
    ("installs on May 4, 2026", "installs on May 5, 2026"),                 # a date
    ("installs in Germany", "installs in France"),                         # an entity value
    ("installs on iOS", "installs excluding iOS"),                         # a negation of a value
    ("campaigns with installs", "campaigns with no installs"),             # a negation word
    ("countries with the most installs", "countries with the fewest installs"),  # sort direction
    ("installs by platform", "average installs by platform"),              # an aggregation cue
    ("D7 retention by platform", "retained users day 7 by platform"),      # a metric the words name
])
def test_text_guards_separate_questions_a_blind_planner_would_merge(guards, a, b):
    assert guards(a).signature != guards(b).signature


@pytest.mark.parametrize(("a", "b"), [
    ("top 5 campaigns by installs", "top five campaigns by installs"),
    ("installs last month", "how many installs in the previous month?"),
    ("installs in the last 7 days", "Installs over the past seven days"),
    ("installs excluding iOS", "installs without iOS"),
    ("Cost per install by media source", "CPI per media source"),
])
def test_text_guards_agree_on_paraphrases(guards, a, b):
    assert guards(a).signature == guards(b).signature


def test_plans_that_differ_make_different_slots(guards):
    by_country = SemanticQueryPlan(query=SemanticQuery(metrics=["installs"], dimensions=["country"]))
    assert guards("installs by x", BLIND_PLAN).signature != guards("installs by x", by_country).signature


def test_order_of_metrics_and_filter_values_does_not_matter(guards):
    one = SemanticQuery.model_validate({"metrics": ["installs", "cost"], "filters": [
        {"dimension": "country", "op": "in", "values": ["US", "DE"]}]})
    other = SemanticQuery.model_validate({"metrics": ["cost", "installs"], "filters": [
        {"dimension": "country", "op": "in", "values": ["DE", "US"]}]})
    assert guards("q", SemanticQueryPlan(query=one)) == guards("q", SemanticQueryPlan(query=other))


@pytest.mark.parametrize("plan", [
    ClarificationPlan(question="Which metric?", options=("installs", "revenue")),
    RefusalPlan(reason="no writes"),
    BLIND_PLAN.model_copy(update={"confidence": MIN_PLAN_CONFIDENCE - 0.01}),
    None,
])
def test_nothing_to_compare_for_clarifications_refusals_and_unsure_plans(guards, plan):
    assert guards("installs by platform", plan) is None


def test_real_offline_plans_of_a_paraphrase_pair_match(offline_planner, guards):
    context = PlanningContext(as_of=AS_OF)
    a, b = "Installs by platform last month", "how many installs per platform last month"
    assert guards(a, offline_planner.plan(a, context)) == guards(b, offline_planner.plan(b, context))
