"""Compositions a fresh suite showed answered wrongly or not at all (#17, third wave-2 session):
a cohort's revenue per install, how many of a cohort did something, cohort windows next to an
install bucket or compared, scores averaged over dated installs, the rows of a previous top N,
listed days over a threshold, a restated period, a count asked at the end. Each is a general
rule; docs/offline-planner.md, "General rules added in the third wave-2 session"."""
from __future__ import annotations

import datetime as dt

import pytest
from offline_cases import plan_conversation

from semantic_layer import MetricCondition

D = dt.date
JAN, JUNE = (D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 6, 1), D(2026, 6, 30))
Q1, Q2 = (D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 6, 30))


def _query(planner, question, turns=()):
    plan = plan_conversation(planner, list(turns), question)
    assert plan.kind == "semantic_query", getattr(plan, "question", plan)
    return plan.query


def test_a_metric_named_in_the_cohort_and_after_per_is_divided(planner):
    query = _query(planner, "Jan installers: revenue per install in June")
    assert query.divide == ("revenue", "installs")
    assert query.cohort.install_range == JAN and query.time_range == JUNE


def test_the_period_after_an_install_bucket_is_the_cohort_window(planner):
    query = _query(planner, "for each install month in Q1, what share of that cohort was active in June?")
    assert query.cohort.install_range == Q1 and query.cohort.grain == "month"
    assert query.time_range == JUNE and query.divide == ("active_users", "installs")


@pytest.mark.parametrize(("question", "install_range", "time_range"), [
    ("Users who came from Facebook in March: how much revenue did they make in April through June?",
     (D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 4, 1), D(2026, 6, 30))),
    (("people we acquired through Facebook in February — how much revenue did they generate in March and "
     "April combined?"), (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 4, 30))),
])
def test_acquired_through_a_source_is_a_cohort_and_adjacent_months_one_window(planner, question,
                                                                               install_range, time_range):
    query = _query(planner, question)
    assert query.metrics == ("revenue",)
    assert query.cohort.install_range == install_range and query.time_range == time_range


@pytest.mark.parametrize(("question", "event"), [
    ("users who installed May 1-7: how many had a session in the last 7 days?", "session_start"),
    ("how many of January's TikTok installs made a purchase from February onwards?", "purchase"),
])
def test_how_many_of_a_cohort_did_something_counts_people(planner, question, event):
    query = _query(planner, question)
    assert query.metrics == ("active_users",)
    assert any(f.dimension == "event_name" and f.values == (event,) for f in query.filters)
    assert query.cohort is not None


def test_of_them_refers_to_installs_named_with_a_period(planner):
    query = _query(planner, "Q1 installs by media source: how many of them were paying users in Q2?")
    assert query.cohort.install_range == Q1 and query.time_range == Q2
    assert query.metrics == ("paying_users",) and query.dimensions == ("media_source",)


def test_a_score_averaged_over_dated_installs_is_a_cohort(planner):
    query = _query(planner, "avg predicted fraud probability per media source for june installs")
    assert query.metrics == ("avg_fraud_probability",) and query.dimensions == ("media_source",)
    assert query.cohort.install_range == JUNE and query.time_range is None


def test_two_compared_install_months_are_one_row_each(planner):
    query = _query(planner, "Average churn probability of users installed in May vs June")
    assert query.metrics == ("avg_churn_probability",)
    assert query.cohort.install_range == (D(2026, 5, 1), D(2026, 6, 30)) and query.cohort.grain == "month"
    assert "metric_time" not in query.dimensions


def test_a_new_metric_for_those_5_keeps_the_previous_top_5(planner):
    query = _query(planner, "what's the ROAS for those 5?", ["top 5 campaigns by spend in May"])
    assert query.metrics == ("cost", "roas") and query.limit == 5
    assert [o.field for o in query.order_by] == ["cost"]


def test_days_over_a_threshold_are_listed(planner):
    query = _query(planner, "days last month where spend went over $2,000 — list them with the spend")
    assert query.dimensions == ("metric_time",) and query.grain == "day"
    assert query.having == (MetricCondition(metric="cost", op=">", value=2000.0),)


def test_a_dollar_threshold_after_a_prediction_word(planner):
    query = _query(planner, "How many users have an optimistic (p90) LTV prediction above $50?")
    assert [(f.dimension, f.op, f.values) for f in query.filters] == [("ltv_p90", ">", (50.0,))]


def test_a_restated_period_in_parentheses_and_weekday_names_before_dates(planner):
    for question in (("Average weekly installs in May and June, weeks Monday to Sunday, only full weeks "
                     "(May 4 - June 28)"), ("Average weekly installs over the 8 full weeks from Mon May 4 to "
                     "Sun June 28")):
        query = _query(planner, question)
        assert query.time_range == (D(2026, 5, 4), D(2026, 6, 28)) and query.per_period == "week"


def test_how_many_at_the_end_counts_distinct_values_and_is_no_month(planner):
    query = _query(planner, "distinct OS versions seen on Android installs - how many?")
    assert query.metrics == ("count_distinct:os_version",) and query.time_range is None


def test_abbreviated_probability(planner):
    query = _query(planner, "number of users per country with churn prob of at least 0.9")
    assert [(f.dimension, f.op) for f in query.filters] == [("churn_probability", ">=")]
    assert query.dimensions == ("country",)


def test_a_threshold_after_likely_to_is_a_within_group_shares_part(planner):
    query = _query(planner, "share of scored users likely to churn (prob > 0.5), per platform")
    assert query.share.of == "churn_scored_users" and query.share.within == ("platform",)
    assert [(f.dimension, f.op) for f in query.share.where] == [("churn_probability", ">")]
    assert not query.filters


def test_each_of_them_with_a_question_mark_is_a_follow_up(planner):
    query = _query(planner, "what was the ROAS for each of them?", ["Spend by media source in June"])
    assert query.metrics == ("roas",) and query.dimensions == ("media_source",) and query.time_range == JUNE


def test_a_comma_after_the_people_named_first_still_counts_people(planner):
    query = _query(planner, "Of the users who installed in March, how many have made at least one purchase?")
    assert query.metrics == ("active_users",)
    assert query.cohort.install_range == (D(2026, 3, 1), D(2026, 3, 31))


def test_a_real_english_word_is_no_typo_of_a_metric(planner):
    plan = plan_conversation(planner, [], "how many users were playing in june")
    assert plan.kind != "semantic_query" or "paying_users" not in plan.query.metrics


def test_a_listed_broad_metric_stays_next_to_its_narrower_one(planner):
    query = _query(planner, "installs and paid installs by platform in june")
    assert query.metrics == ("installs", "paid_installs")


@pytest.mark.parametrize(("question", "condition"), [
    ("campaigns with 500+ installs in june", MetricCondition(metric="installs", op=">=", value=500.0)),
    ("campaigns with a CPI under 20 cents last month", MetricCondition(metric="cpi", op="<", value=0.2)),
])
def test_plus_and_cents_thresholds(planner, question, condition):
    assert _query(planner, question).having == (condition,)


def test_how_many_new_things_spent_money_counts_those_that_spent(planner):
    query = _query(planner, "how many campaigns spent money in June?")
    assert query.count_groups and query.dimensions == ("campaign_name",)
    assert query.having == (MetricCondition(metric="cost", op=">", value=0.0),)
    launched = _query(planner, "how many new campaigns did we launch in march?")
    assert launched.metrics == ("campaign_count",)


def test_a_back_reference_with_nothing_before_it_is_asked_about(planner):
    plan = plan_conversation(planner, [], "and how many of those were cancelled?")
    assert plan.kind == "clarification" and "of those" in plan.question


@pytest.mark.parametrize(("question", "count"), [
    ("spend in April vs May vs June", 3),
    ("installs in January, March and June", 3),
    ("installs in January and June", 2),
])
def test_listed_periods_apart_or_compared_are_each_answered(planner, question, count):
    query = _query(planner, question)
    assert len(query.periods) == count and query.time_range is None and "metric_time" not in query.dimensions


def test_adjacent_listed_months_stay_one_span(planner):
    query = _query(planner, "installs in May and June")
    assert query.time_range == (D(2026, 5, 1), JUNE[1]) and not query.periods


def test_members_named_with_a_source_before_the_comma_are_a_cohort(planner):
    query = _query(planner, "of the May installs from Facebook, how many made a purchase in June?")
    assert query.metrics == ("active_users",) and query.time_range == JUNE
    assert query.cohort.install_range == (D(2026, 5, 1), D(2026, 5, 31))


def test_what_share_of_a_cohort_did_something_divides_its_people_by_its_size(planner):
    query = _query(planner, "what % of users that installed in April made a purchase in May?")
    assert query.divide == ("active_users", "installs")
    assert [(f.dimension, f.values) for f in query.filters] == [("event_name", ("purchase",))]
    assert query.cohort.install_range == (D(2026, 4, 1), D(2026, 4, 30))


def test_a_share_of_active_users_who_made_a_purchase(planner):
    query = _query(planner, "what percent of active users made a purchase in May?")
    assert query.share.of == "active_users"
    assert [(f.dimension, f.values) for f in query.share.where] == [("event_name", ("purchase",))]


def test_a_back_reference_after_the_things_it_names_is_not_dangling(planner):
    question = "For each install month, how many of those users had any activity in the last 30 days?"
    plan = plan_conversation(planner, [], question)
    assert plan.kind == "semantic_query"


def test_two_values_offered_as_alternatives_are_compared(planner):
    query = _query(planner, "TikTok or Facebook, which had the lower CPI last month?")
    assert query.dimensions == ("media_source",) and query.metrics == ("cpi",)
    plain = _query(planner, "installs from TikTok or Facebook in june")
    assert not plain.dimensions


def test_a_value_of_a_narrower_metrics_own_qualifier_names_its_sibling(planner):
    query = _query(planner, "Daily paid and organic installs for the last 7 days")
    assert query.metrics == ("installs",) and not query.filters
    assert query.dimensions == ("metric_time", "acquisition_type")


def test_a_word_several_metrics_share_is_not_guessed_by_embedding(planner):
    plan = plan_conversation(planner, [], "What was the rate on TikTok last month?")
    assert plan.kind == "clarification"


def test_a_metrics_own_name_left_over_is_still_found(planner):
    query = _query(planner, "installs US vs GB in June")
    assert query.metrics == ("installs",) and query.dimensions == ("country",)


@pytest.mark.parametrize(("question", "install_range", "time_range"), [
    ("ARPU in May for users we acquired through Google in March", (D(2026, 3, 1), D(2026, 3, 31)),
     (D(2026, 5, 1), D(2026, 5, 31))),
    ("revenue in June of users who installed in April and May", (D(2026, 4, 1), D(2026, 5, 31)), JUNE),
    ("for TikTok installs from Q1, total revenue they brought in during Q2", Q1, Q2),
])
def test_cohort_windows_after_the_cue_joined_and_referred_to(planner, question, install_range, time_range):
    query = _query(planner, question)
    assert query.cohort.install_range == install_range and query.time_range == time_range


def test_named_cohorts_in_parentheses_and_a_lowercase_may_listed_with_june(planner):
    query = _query(planner, "cohort matrix: revenue by install month (Jan-Mar cohorts) x month of revenue")
    assert query.cohort.install_range == Q1 and query.cohort.grain == "month" and query.time_range is None
    query = _query(planner, "installs may vs june")
    assert query.time_range == (D(2026, 5, 1), JUNE[1]) and query.grain == "month"


@pytest.mark.parametrize(("turns", "question", "metrics", "limit"), [
    (["which channel had the most clicks in Q1?"], "what was its CTR in Q1?", ("clicks", "ctr"), 1),
    (["top 3 countries by installs in Q2"], "show their Q2 revenue too", ("installs", "revenue"), 3),
])
def test_its_and_their_keep_the_previous_top_rows(planner, turns, question, metrics, limit):
    query = _query(planner, question, turns)
    assert query.metrics == metrics and query.limit == limit


def test_monthly_active_users_over_a_longer_period_is_month_by_month(planner):
    query = _query(planner, "monthly active users this year")
    assert query.metrics == ("active_users",) and query.dimensions == ("metric_time",)
    assert query.grain == "month"
    assert _query(planner, "MAU in June").dimensions == ()
    assert _query(planner, "daily active users this year").metrics == ("dau",)
