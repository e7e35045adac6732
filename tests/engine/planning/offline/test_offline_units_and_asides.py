"""Rules added in the fifth wave-2 session (#17): thresholds written with their unit ("CTIT below 10s",
"took more than an hour" on a seconds column, "purchases over $20", "$40 or more each", "spent $1,000
or more", "500 installs or more"); values of one dimension set against each other ("organic vs paid")
compare across that dimension; a period word inside a longer name ("predicted lifetime value"); the
unit counted set against another ("distinct people, not events"); a day count in parentheses after
"last week". docs/offline-planner.md, "General rules added in the fifth wave-2 session"."""
from __future__ import annotations

import datetime as dt

import pytest
from offline_cases import plan_conversation

from app.engine.nlp.timeexpr import resolve_time_strict
from semantic_layer import Filter, MetricCondition

D = dt.date
AS_OF = D(2026, 7, 1)


def _query(planner, question, turns=()):
    plan = plan_conversation(planner, list(turns), question)
    assert plan.kind == "semantic_query", getattr(plan, "question", plan)
    return plan.query


@pytest.mark.parametrize(("question", "value"), [
    ("installs with CTIT below 10s by media source, this year", 10.0),
    ("installs with click to install time under 2 minutes", 120.0),
    ("fraud rate of installs where the click to install took more than an hour, this year", 3600.0),
])
def test_a_duration_in_another_unit_is_converted_to_the_columns_unit(planner, question, value):
    query = _query(planner, question)
    thresholds = [f for f in query.filters if f.dimension == "click_to_install_seconds"]
    assert len(thresholds) == 1 and thresholds[0].values == (value,)
    assert "cvr" not in query.metrics and "installs" not in query.metrics[1:]


def test_a_day_count_alone_is_no_threshold_on_a_seconds_column(planner):
    plan = plan_conversation(planner, [], "installs more than 30 days ago")
    filters = plan.query.filters if plan.kind == "semantic_query" else ()
    assert not any(f.dimension == "click_to_install_seconds" for f in filters)


@pytest.mark.parametrize(("question", "op", "value"), [
    ("how many purchase events over $20 last month", ">", 20.0),
    ("how many purchases above $10 were made on Android", ">", 10.0),
    ("revenue from purchases of $40 or more each, this year", ">=", 40.0),
])
def test_a_dollar_amount_on_rows_is_a_threshold_on_the_rows_own_amount(planner, question, op, value):
    query = _query(planner, question)
    assert Filter(dimension="amount_usd", op=op, values=(value,)) in query.filters
    assert Filter(dimension="event_name", op="=", values=("purchase",)) in query.filters
    assert not any(f.dimension.startswith("ltv_") for f in query.filters)


@pytest.mark.parametrize(("question", "condition", "counted"), [
    ("campaigns that spent $1,000 or more in June", MetricCondition(metric="cost", op=">=", value=1000),
     False),
    ("how many campaigns had a CTR of 2% or higher in May",
     MetricCondition(metric="ctr", op=">=", value=0.02), True),
    ("campaigns with 500 installs or more last month",
     MetricCondition(metric="installs", op=">=", value=500), False),
])
def test_a_comparison_written_after_the_number_keeps_the_groups(planner, question, condition, counted):
    query = _query(planner, question)
    assert query.dimensions == ("campaign_name",) and query.having == (condition,)
    assert query.count_groups is counted


@pytest.mark.parametrize(("question", "metric"), [
    ("average fraud probability for organic vs paid installs", "avg_fraud_probability"),
    ("average churn probability of organic vs paid users", "avg_churn_probability"),
    ("revenue for organic vs paid installs", "revenue"),
])
def test_two_values_set_against_each_other_compare_across_their_dimension(planner, question, metric):
    query = _query(planner, question)
    assert query.metrics == (metric,) and query.dimensions == ("acquisition_type",)


def test_the_average_purchase_value_is_a_metric(planner):
    query = _query(planner, "aov last month on iOS")
    assert query.metrics == ("avg_purchase_value",)


def test_a_period_word_inside_a_longer_name_is_part_of_the_name(planner):
    query = _query(planner, "total predicted lifetime value of March installers")
    assert query.metrics == ("total_predicted_ltv",)
    assert query.cohort is not None and query.cohort.install_range == (D(2026, 3, 1), D(2026, 3, 31))


def test_the_unit_counted_set_against_another_is_no_negation(planner):
    query = _query(planner, "How many users completed the tutorial in March? distinct people not events")
    assert query.metrics == ("active_users",)
    assert Filter(dimension="event_name", op="=", values=("tutorial_complete",)) in query.filters
    plan = plan_conversation(planner, [], "installs not from Facebook")
    assert Filter(dimension="media_source", op="!=", values=("Facebook",)) in plan.query.filters


def test_a_pronoun_and_an_aside_adverb_are_accounted_for(planner):
    query = _query(planner,
                   "worst 5 campaigns by ROAS in june (lowest roas), only ones that spent money obviously")
    assert query.metrics == ("roas",) and query.limit == 5


@pytest.mark.parametrize(("text", "start", "end"), [
    ("Facebook spend by day in the last week (7 days)", D(2026, 6, 24), D(2026, 6, 30)),
    ("installs last week (the last 7 days)", D(2026, 6, 24), D(2026, 6, 30)),
    ("installs last week", D(2026, 6, 22), D(2026, 6, 28)),
])
def test_a_day_count_in_parentheses_says_which_days_last_week_means(text, start, end):
    window = resolve_time_strict(text, AS_OF).range
    assert (window.start, window.end) == (start, end)


@pytest.mark.parametrize("question", ["installs on iOS vs from Facebook", "revenue in Brazil vs on iOS"])
def test_values_of_two_attributes_set_against_each_other_are_asked_about(planner, question):
    plan = plan_conversation(planner, [], question)
    assert plan.kind == "clarification" and "side by side" in plan.question


def test_values_of_one_attribute_set_against_each_other_still_compare(planner):
    query = _query(planner, "installs from Facebook vs Google")
    assert query.dimensions == ("media_source",)


@pytest.mark.parametrize("question", ["paid vs organic installs in Q1", "Organic vs paid installs last month",
                                      "paid installs and organic installs in June"])
def test_sibling_counts_compared_are_one_row_per_value(planner, question):
    query = _query(planner, question)
    assert query.metrics == ("installs",) and query.dimensions == ("acquisition_type",)


def test_sibling_counts_asked_added_up_stay_one_number(planner):
    query = _query(planner, "total installs last month, paid and organic")
    assert query.metrics == ("installs",) and query.dimensions == ()


def test_a_size_word_restating_a_threshold_is_accounted_for(planner):
    query = _query(planner, "revenue from big purchases, $40 or more each, this year")
    assert Filter(dimension="amount_usd", op=">=", values=(40.0,)) in query.filters


def test_the_whole_year_is_this_year_so_far(planner):
    query = _query(planner, "installs for the whole year")
    assert query.time_range == (D(2026, 1, 1), D(2026, 6, 30))


def test_sibling_counts_asked_as_two_numbers_stay_two_columns(planner):
    query = _query(planner, "paid installs and organic installs over the last 7 days, as two numbers")
    assert query.metrics == ("paid_installs", "organic_installs") and query.dimensions == ()


def test_cohort_roas_reads_the_members_revenue_to_date(planner):
    query = _query(planner, "Cohort ROAS for April by media source: revenue to date from users installed in "
                            "April divided by April spend")
    assert "roas" in query.metrics and query.dimensions == ("media_source",)
    assert query.cohort.install_range == (D(2026, 4, 1), D(2026, 4, 30)) and query.time_range is None
    same_month = _query(planner, "revenue in April of users who installed in April")
    assert same_month.time_range == (D(2026, 4, 1), D(2026, 4, 30))


@pytest.mark.parametrize("question", ["installs in the last 7 days vs the 7 days before that",
                                      "installs in the last 7 days vs the previous 7 days"])
def test_two_seven_day_periods_are_compared_as_named_not_as_calendar_weeks(planner, question):
    query = _query(planner, question)
    assert query.periods == ((D(2026, 6, 17), D(2026, 6, 23)), (D(2026, 6, 24), D(2026, 6, 30)))
    assert query.grain is None and "metric_time" not in query.dimensions


def test_a_day_count_before_a_day_widens_the_range():
    window = resolve_time_strict("ROAS per day for yesterday and the 6 days before it", AS_OF).range
    assert (window.start, window.end) == (D(2026, 6, 24), D(2026, 6, 30))
    compared = resolve_time_strict("revenue last month vs the month before that", AS_OF)
    assert (compared.compare_range.start, compared.compare_range.end) == (D(2026, 5, 1), D(2026, 5, 31))
