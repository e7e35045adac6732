"""General planner abilities checked on the AppsFlyer-shaped fixture (#17, #18): data whose names are
not the demo's. The questions are written for these tests; each checks one general rule on the
semantic query the planner builds (docs/offline-planner.md, fourth wave-2 session)."""
from __future__ import annotations

import datetime as dt

import pytest
from offline_cases import fixture_planner

from app.engine.planning.plan import PlanningContext

AS_OF = PlanningContext(as_of=dt.date(2025, 7, 1))


@pytest.fixture(scope="module")
def planner(tmp_path_factory):
    yield from fixture_planner(tmp_path_factory, "appsflyer")


def _query(planner, question):
    plan = planner.plan(question, AS_OF)
    assert plan.kind == "semantic_query", getattr(plan, "question", plan)
    return plan.query


@pytest.mark.parametrize("question", ["what share of May revenue was subscriptions?",
                                      "how much of the revenue in May came from subscriptions, as a %"])
def test_a_part_named_as_a_filtered_metric_of_the_same_table(planner, question):
    query = _query(planner, question)
    assert query.metrics == ("revenue",) and query.share is not None
    assert [(f.dimension, f.values) for f in query.share.where] == [("event_name", ("af_subscribe",))]


def test_sibling_counts_added_up(planner):
    assert _query(planner, "total installs in May, paid and organic").metrics == ("installs",)
    side_by_side = _query(planner, "paid and organic installs in May")  # one row per value
    assert side_by_side.metrics == ("installs",) and side_by_side.dimensions == ("acquisition_type",)


def test_all_of_a_dimension_in_an_aside(planner):
    query = _query(planner, "average daily installs in May (all networks)")
    assert query.dimensions == () and query.per_period == "day"


def test_a_superlative_with_every_row_ranked_keeps_every_row(planner):
    query = _query(planner, "which network has the lowest cpi? H1, all networks ranked")
    assert query.limit is None and query.order_by[0].direction == "asc"
    assert _query(planner, "which network has the lowest cpi in H1").limit == 1


def test_appsflyers_words_for_touch_types_are_values(planner):
    query = _query(planner, "how many installs were attributed to an impression (view-through) in Q1?")
    assert [(f.dimension, f.values) for f in query.filters] == [("touch_type", ("impression",))]
    compared = _query(planner, "How many installs were click-attributed vs view-through last month?")
    assert compared.dimensions == ("touch_type",)
    assert compared.time_range == (dt.date(2025, 6, 1), dt.date(2025, 6, 30))  # "-through" is no "until"


def test_a_dollar_amount_on_purchases_is_a_threshold_on_their_amount(planner):
    query = _query(planner, "how many purchases over $19 were there in Q2")
    assert ("amount_usd", ">", (19.0,)) in {(f.dimension, f.op, f.values) for f in query.filters}


def test_a_name_glossed_in_parentheses_and_worth_before_a_threshold(planner):
    ranked = _query(planner, "top 3 creatives (ads) by installs ytd")
    assert ranked.dimensions == ("ad",) and ranked.limit == 3
    worth = _query(planner, "how many purchases were worth more than $10 this year")
    assert ("amount_usd", ">", (10.0,)) in {(f.dimension, f.op, f.values) for f in worth.filters}


def test_the_seven_days_before_without_that(planner):
    query = _query(planner, "purchases in the last 7 days vs the 7 days before")
    assert query.periods == ((dt.date(2025, 6, 17), dt.date(2025, 6, 23)),
                             (dt.date(2025, 6, 24), dt.date(2025, 6, 30)))


def test_a_narrower_metric_alone_after_a_share_word_is_its_part_of_the_base(planner):
    query = _query(planner, "% of revenue from subscriptions this year")
    assert query.metrics == ("revenue",) and query.share is not None
    assert [(f.dimension, f.values) for f in query.share.where] == [("event_name", ("af_subscribe",))]
