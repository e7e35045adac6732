"""Rules added in the fourth wave-2 session (#17): people counted by a condition on each person
("how many users spent more than $100", "bought more than once"), score thresholds written around
the score ("score above 0.9 on fraud probability", "above zero"), a labelling verb between a
negation and what it negates ("not labelled as fraud"), and a number's own percent sign that is not
a share asked for. docs/offline-planner.md, "General rules added in the fourth wave-2 session"."""
from __future__ import annotations

import datetime as dt

import pytest
from offline_cases import plan_conversation

from semantic_layer import Filter, MetricCondition

D = dt.date
JUNE = (D(2026, 6, 1), D(2026, 6, 30))


def _query(planner, question, turns=()):
    plan = plan_conversation(planner, list(turns), question)
    assert plan.kind == "semantic_query", getattr(plan, "question", plan)
    return plan.query


@pytest.mark.parametrize(("question", "condition", "event"), [
    ("how many users have spent more than $100 in total?",
     MetricCondition(metric="revenue", op=">", value=100), None),
    ("how many users bought more than once in june?", MetricCondition(metric="event_count", op=">", value=1),
     "purchase"),
    ("how many players made more than 3 purchases in June",
     MetricCondition(metric="event_count", op=">", value=3), "purchase"),
    ("number of users who leveled up at least 5 times in June",
     MetricCondition(metric="event_count", op=">=", value=5), "level_up"),
])
def test_people_counted_by_a_condition_on_each_person(planner, question, condition, event):
    query = _query(planner, question)
    assert query.dimensions == ("user",) and query.count_groups and query.metrics == ()
    assert query.having == (condition,)
    events = [f.values for f in query.filters if f.dimension == "event_name"]
    assert events == ([(event,)] if event else [])


def test_people_counted_without_a_condition_stay_one_distinct_count(planner):
    query = _query(planner, "how many users were active in June")
    assert query.metrics == ("active_users",) and not query.count_groups and query.having == ()
    assert query.time_range == JUNE


def test_campaigns_counted_by_spend_are_unchanged(planner):
    query = _query(planner, "how many campaigns spent more than $1000 in June")
    assert query.dimensions == ("campaign_name",) and query.count_groups
    assert query.having == (MetricCondition(metric="cost", op=">", value=1000),)


@pytest.mark.parametrize(("question", "threshold", "labelled"), [
    ("how many installs score above 0.9 on fraud probability", Filter(dimension="fraud_probability", op=">",
                                                                      values=(0.9,)), None),
    ("how many installs score above 0.9 on fraud probability but are NOT labelled as fraud?",
     Filter(dimension="fraud_probability", op=">", values=(0.9,)), False),
    ("how many installs have fraud probability above 0.9 but are not labelled fraud",
     Filter(dimension="fraud_probability", op=">", values=(0.9,)), False),
])
def test_score_thresholds_around_the_score_and_negated_labels(planner, question, threshold, labelled):
    query = _query(planner, question)
    assert query.metrics == ("installs",) and threshold in query.filters
    fraud = [f.values for f in query.filters if f.dimension == "is_fraud"]
    assert fraud == ([] if labelled is None else [(labelled,)])


def test_a_threshold_of_zero_written_as_a_word(planner):
    query = _query(planner, "number of users whose LTV p10 prediction is above zero, per platform")
    assert Filter(dimension="ltv_p10", op=">", values=(0.0,)) in query.filters
    assert query.dimensions == ("platform",)


@pytest.mark.parametrize("question", ["users that score over 50% on churn probability",
                                      "users with churn probability over 50 percent"])
def test_a_numbers_percent_sign_is_no_share(planner, question):
    query = _query(planner, question)
    assert query.share is None
    assert Filter(dimension="churn_probability", op=">", values=(0.5,)) in query.filters


def test_a_share_of_people_having_a_score(planner):
    query = _query(planner, "what share of the users with a churn score have a churn probability over 0.5?")
    assert query.share is not None and query.share.where == (
        Filter(dimension="churn_probability", op=">", values=(0.5,)),)


@pytest.mark.parametrize("question", ["installs from Brazil yesterday (paid + organic)",
                                      "total installs in June, paid and organic",
                                      "paid and organic installs in June combined"])
def test_sibling_counts_asked_added_up_are_their_base_metric(planner, question):
    assert _query(planner, question).metrics == ("installs",)


def test_sibling_counts_side_by_side_are_one_row_per_value(planner):
    query = _query(planner, "paid and organic installs in June")
    assert query.metrics == ("installs",) and query.dimensions == ("acquisition_type",)


def test_all_of_a_dimension_in_an_aside_is_no_breakdown(planner):
    query = _query(planner, "average daily installs in june (all sources)")
    assert "media_source" not in query.dimensions and query.per_period == "day"
    assert _query(planner, "installs by media source (all platforms)").dimensions == ("media_source",)


@pytest.mark.parametrize(("question", "metric", "share"), [
    ("Which 5 campaigns have the highest share of fraudulent installs this year?", "fraud_rate", False),
    ("which source accounts for the biggest share of fraudulent installs", "fraud_installs", True),
    ("breakdown of Q1 fraud installs by fraud type, as share of all fraud", "fraud_installs", True),
])
def test_a_groups_own_share_and_its_part_of_the_total(planner, question, metric, share):
    query = _query(planner, question)
    assert query.metrics == (metric,) and (query.share is not None) == share


def test_how_many_of_our_things_is_a_count(planner):
    query = _query(planner, "how many of our campaigns use playable ads?")
    assert query.metrics == ("campaign_count",)
    assert query.filters[0].dimension == "ad_format"


def test_a_dimension_word_before_another_says_whose_attribute(planner):
    assert _query(planner, "CPI by campaign country in March, cheapest first").dimensions == ("country",)
    assert _query(planner, "installs by campaign and country").dimensions == ("campaign_name", "country")


@pytest.mark.parametrize(("question", "metric"), [
    ("D1 retention of Q1 installs, fraudulent vs not fraudulent", "retention_d1"),
    ("D7 retention of fraud vs non-fraud installs", "retention_d7"),
    ("revenue in June, fraudulent vs legit users", "revenue"),
])
def test_a_flag_against_its_opposite_groups_the_metric_by_the_flag(planner, question, metric):
    query = _query(planner, question)
    assert query.metrics == (metric,) and query.dimensions == ("is_fraud",)
    assert not [f for f in query.filters if f.dimension == "is_fraud"]


def test_a_flagged_count_next_to_its_base_stays_two_metrics(planner):
    assert _query(planner, "fraud installs vs installs in May").metrics == ("fraud_installs", "installs")


@pytest.mark.parametrize(("question", "within"), [
    ("what share of campaigns run on iOS", ()),
    ("for every media source, what fraction of its campaigns run on iOS?", ("media_source",)),
])
def test_a_share_of_counted_things(planner, question, within):
    query = _query(planner, question)
    assert query.metrics == ("campaign_count",) and query.share.of == "campaign_count"
    assert query.share.where == (Filter(dimension="platform", op="=", values=("iOS",)),)
    assert query.share.within == within


def test_a_share_of_a_possessive_group_is_no_count(planner):
    query = _query(planner, "within each channel, each ad format's share of the channel's June spend")
    assert query.metrics == ("cost",) and query.share is not None and query.share.within == ("channel",)
