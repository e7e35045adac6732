"""Time expressions resolved against the demo's as_of (2026-07-01, a Wednesday).

Expected ranges are worked out by hand from the rules in docs/time-expressions.md
and shared/spec/demo-warehouse.md (section Time window), not copied from output.
"""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.nlp.timeexpr import DateRange, resolve_time

AS_OF = dt.date(2026, 7, 1)

# (question, expected start, expected end)
RANGE_CASES = [
    # the spec's exact examples
    ("revenue last month", "2026-06-01", "2026-06-30"),
    ("installs in the last 7 days", "2026-06-24", "2026-06-30"),
    ("spend over the last 30 days", "2026-06-01", "2026-06-30"),
    ("revenue yesterday", "2026-06-30", "2026-06-30"),
    ("installs this year", "2026-01-01", "2026-06-30"),
    ("revenue year to date", "2026-01-01", "2026-06-30"),
    ("ROAS last quarter", "2026-04-01", "2026-06-30"),
    ("installs this quarter", "2026-07-01", "2026-07-01"),
    # previous full calendar periods
    ("last week", "2026-06-22", "2026-06-28"),
    ("previous week", "2026-06-22", "2026-06-28"),
    ("the prior week", "2026-06-22", "2026-06-28"),
    ("this past week", "2026-06-22", "2026-06-28"),
    ("previous month", "2026-06-01", "2026-06-30"),
    ("the past month", "2026-06-01", "2026-06-30"),
    ("last calendar month", "2026-06-01", "2026-06-30"),
    ("in the last full month", "2026-06-01", "2026-06-30"),
    ("previous quarter", "2026-04-01", "2026-06-30"),
    ("last year", "2025-01-01", "2025-12-31"),
    ("the previous year", "2025-01-01", "2025-12-31"),
    ("the week before last", "2026-06-15", "2026-06-21"),
    ("the month before last", "2026-05-01", "2026-05-31"),
    ("the quarter before last", "2026-01-01", "2026-03-31"),
    # current periods up to yesterday; on the period's first day, the day itself (zero rows)
    ("this month", "2026-07-01", "2026-07-01"),
    ("current month", "2026-07-01", "2026-07-01"),
    ("month to date", "2026-07-01", "2026-07-01"),
    ("MTD installs", "2026-07-01", "2026-07-01"),
    ("this week", "2026-06-29", "2026-06-30"),
    ("week to date", "2026-06-29", "2026-06-30"),
    ("YTD revenue", "2026-01-01", "2026-06-30"),
    ("so far this year", "2026-01-01", "2026-06-30"),
    ("this year so far", "2026-01-01", "2026-06-30"),
    ("since the start of the year", "2026-01-01", "2026-06-30"),
    ("since the beginning of this year", "2026-01-01", "2026-06-30"),
    ("year-to-date spend", "2026-01-01", "2026-06-30"),
    ("quarter to date", "2026-07-01", "2026-07-01"),
    ("the current quarter", "2026-07-01", "2026-07-01"),
    # trailing windows of full days before as_of
    ("last 7 days", "2026-06-24", "2026-06-30"),
    ("past 7 days", "2026-06-24", "2026-06-30"),
    ("previous 7 days", "2026-06-24", "2026-06-30"),
    ("the last seven days", "2026-06-24", "2026-06-30"),
    ("last 14 days", "2026-06-17", "2026-06-30"),
    ("last 30 days", "2026-06-01", "2026-06-30"),
    ("past thirty days", "2026-06-01", "2026-06-30"),
    ("last 90 days", "2026-04-02", "2026-06-30"),
    ("last 1 day", "2026-06-30", "2026-06-30"),
    ("last 2 weeks", "2026-06-17", "2026-06-30"),
    ("past two weeks", "2026-06-17", "2026-06-30"),
    ("last 4 weeks", "2026-06-03", "2026-06-30"),
    ("the last couple of weeks", "2026-06-17", "2026-06-30"),
    ("last 3 months", "2026-04-01", "2026-06-30"),
    ("past six months", "2026-01-01", "2026-06-30"),
    ("previous 2 months", "2026-05-01", "2026-06-30"),
    ("trailing 30 days", "2026-06-01", "2026-06-30"),
    ("rolling 7 days", "2026-06-24", "2026-06-30"),
    ("last twenty-one days", "2026-06-10", "2026-06-30"),
    ("last 2 quarters", "2026-01-01", "2026-06-30"),
    ("last 3 full months", "2026-04-01", "2026-06-30"),
    ("last 2 complete weeks", "2026-06-15", "2026-06-28"),
    ("L7D spend", "2026-06-24", "2026-06-30"),
    ("l30d installs", "2026-06-01", "2026-06-30"),
    ("last fortnight", "2026-06-17", "2026-06-30"),
    ("last 24 hours", "2026-06-30", "2026-06-30"),
    ("30 days back", "2026-06-01", "2026-06-30"),
    # days
    ("today", "2026-07-01", "2026-07-01"),
    ("the day before yesterday", "2026-06-29", "2026-06-29"),
    ("3 days ago", "2026-06-28", "2026-06-28"),
    ("a week ago", "2026-06-22", "2026-06-28"),
    ("two weeks ago", "2026-06-15", "2026-06-21"),
    ("2 months ago", "2026-05-01", "2026-05-31"),
    # absolute dates
    ("revenue on 2026-06-03", "2026-06-03", "2026-06-03"),
    ("2026/06/03", "2026-06-03", "2026-06-03"),
    ("installs on June 3", "2026-06-03", "2026-06-03"),
    ("June 3rd", "2026-06-03", "2026-06-03"),
    ("June 3, 2026", "2026-06-03", "2026-06-03"),
    ("3 June 2026", "2026-06-03", "2026-06-03"),
    ("the 3rd of June", "2026-06-03", "2026-06-03"),
    ("6/3/2026", "2026-06-03", "2026-06-03"),
    ("on 12/25/2025", "2025-12-25", "2025-12-25"),
    ("jun 3", "2026-06-03", "2026-06-03"),
    ("Sept 10 2025", "2025-09-10", "2025-09-10"),
    # months, quarters, halves, years
    ("revenue in May", "2026-05-01", "2026-05-31"),
    ("for June", "2026-06-01", "2026-06-30"),
    ("May 2026", "2026-05-01", "2026-05-31"),
    ("installs during March", "2026-03-01", "2026-03-31"),
    ("in january", "2026-01-01", "2026-01-31"),
    ("feb", "2026-02-01", "2026-02-28"),
    ("in December", "2025-12-01", "2025-12-31"),
    ("August", "2025-08-01", "2025-08-31"),
    ("in July", "2025-07-01", "2025-07-31"),  # the July that starts on as_of has no complete day yet
    ("Q3", "2025-07-01", "2025-09-30"),  # likewise the quarter starting on as_of
    ("installs over the summer", "2026-06-01", "2026-06-30"),  # the summer that has started, cut at as_of
    ("last summer", "2025-06-01", "2025-08-31"),
    ("revenue in spring", "2026-03-01", "2026-05-31"),
    ("spend in the fall of 2025", "2025-09-01", "2025-11-30"),
    ("winter 2026", "2025-12-01", "2026-02-28"),
    ("on-time rate for Delta from March through May?", "2026-03-01", "2026-05-31"),  # Delta: a name
    ("H2", "2025-07-01", "2025-12-31"),
    ("December 2025", "2025-12-01", "2025-12-31"),
    ("march of 2026", "2026-03-01", "2026-03-31"),
    ("2026-06", "2026-06-01", "2026-06-30"),
    ("jun '26", "2026-06-01", "2026-06-30"),
    ("Q2 2026", "2026-04-01", "2026-06-30"),
    ("Q1", "2026-01-01", "2026-03-31"),
    ("q2", "2026-04-01", "2026-06-30"),
    ("Q4", "2025-10-01", "2025-12-31"),
    ("2026 Q1", "2026-01-01", "2026-03-31"),
    ("second quarter", "2026-04-01", "2026-06-30"),
    ("the first quarter of 2026", "2026-01-01", "2026-03-31"),
    ("3rd quarter of 2025", "2025-07-01", "2025-09-30"),
    ("quarter 1", "2026-01-01", "2026-03-31"),
    ("H1 2026", "2026-01-01", "2026-06-30"),
    ("the first half", "2026-01-01", "2026-06-30"),
    ("first half of the year", "2026-01-01", "2026-06-30"),
    ("H2 2025", "2025-07-01", "2025-12-31"),
    ("second half of last year", "2025-07-01", "2025-12-31"),
    ("installs in 2025", "2025-01-01", "2025-12-31"),
    ("revenue for 2026", "2026-01-01", "2026-06-30"),  # the running year: up to yesterday
    ("Quarterly ad spend for 2026", "2026-01-01", "2026-06-30"),
    ("revenue last 7d", "2026-06-24", "2026-06-30"),
    ("spend last wek", "2026-06-22", "2026-06-28"),
    ("past 3m", "2026-04-01", "2026-06-30"),
    # spans between two points
    ("between May 1 and May 15", "2026-05-01", "2026-05-15"),
    ("from May 1 to May 15", "2026-05-01", "2026-05-15"),
    ("May 1-15", "2026-05-01", "2026-05-15"),
    ("1-15 May", "2026-05-01", "2026-05-15"),
    ("May 1 to 15, 2026", "2026-05-01", "2026-05-15"),
    ("January to March", "2026-01-01", "2026-03-31"),
    ("from Feb to April", "2026-02-01", "2026-04-30"),
    ("between March and May 2026", "2026-03-01", "2026-05-31"),
    ("November to February", "2025-11-01", "2026-02-28"),
    ("from 2026-06-01 to 2026-06-15", "2026-06-01", "2026-06-15"),
    ("2026-05-01 - 2026-05-31", "2026-05-01", "2026-05-31"),
    ("from 6/1/2026 through 6/7/2026", "2026-06-01", "2026-06-07"),
    ("Q1 to Q2 2026", "2026-01-01", "2026-06-30"),
    ("between last month and yesterday", "2026-06-01", "2026-06-30"),
    # since / after / from ... onwards: up to yesterday
    ("since March", "2026-03-01", "2026-06-30"),
    ("since 2026-03-15", "2026-03-15", "2026-06-30"),
    ("since March 15th", "2026-03-15", "2026-06-30"),
    ("since last month", "2026-06-01", "2026-06-30"),
    ("starting from April", "2026-04-01", "2026-06-30"),
    ("from March onwards", "2026-03-01", "2026-06-30"),
    ("installs from June 1", "2026-06-01", "2026-06-30"),
    ("revenue from May", "2026-05-01", "2026-05-31"),
    ("2026-06-01..2026-06-07", "2026-06-01", "2026-06-07"),
    ("after May", "2026-06-01", "2026-06-30"),
    ("since Q2", "2026-04-01", "2026-06-30"),
    ("from the beginning of May until now", "2026-05-01", "2026-06-30"),
    ("since the start of May", "2026-05-01", "2026-06-30"),
    ("from May till now", "2026-05-01", "2026-06-30"),
    ("revenue June 1st-7th", "2026-06-01", "2026-06-07"),
    # parts of months, weekdays, open starts
    ("first week of June", "2026-06-01", "2026-06-07"),
    ("the second week of May", "2026-05-08", "2026-05-14"),
    ("the last week of May", "2026-05-25", "2026-05-31"),
    ("early June", "2026-06-01", "2026-06-10"),
    ("mid-June", "2026-06-11", "2026-06-20"),
    ("end of February", "2026-02-21", "2026-02-28"),
    ("at the beginning of March", "2026-03-01", "2026-03-10"),
    ("last Monday", "2026-06-29", "2026-06-29"),
    ("revenue on Friday", "2026-06-26", "2026-06-26"),
    ("on Wednesday", "2026-06-24", "2026-06-24"),
    ("last weekend", "2026-06-27", "2026-06-28"),
    ("installs in the 2nd half of June", "2026-06-16", "2026-06-30"),
    ("the first half of May", "2026-05-01", "2026-05-15"),
    ("for the week of June 8", "2026-06-08", "2026-06-14"),
    ("the week starting June 10", "2026-06-10", "2026-06-16"),
    ("in week 23", "2026-06-01", "2026-06-07"),
    ("ISO week 2 of 2026", "2026-01-05", "2026-01-11"),
    ("until May", "1900-01-01", "2026-05-31"),
    ("before June 2026", "1900-01-01", "2026-05-31"),
    ("up to yesterday", "1900-01-01", "2026-06-30"),
    ("the most recent month", "2026-06-01", "2026-06-30"),
    ("latest 30 days", "2026-06-01", "2026-06-30"),
    ("for the month of May", "2026-05-01", "2026-05-31"),
    ("last couple days", "2026-06-29", "2026-06-30"),
    # mixed with the rest of a question, case and punctuation
    ("What was our REVENUE LAST MONTH?", "2026-06-01", "2026-06-30"),
    ("installs, last 7 days, by country", "2026-06-24", "2026-06-30"),
    ("How many installs did Facebook bring in May?", "2026-05-01", "2026-05-31"),
    ("top 5 campaigns by ROAS in Q2", "2026-04-01", "2026-06-30"),
    ("Last-month spend", "2026-06-01", "2026-06-30"),
    ("revenue for the previous 30 days by platform", "2026-06-01", "2026-06-30"),
    # chat typos on keywords only
    ("lst month", "2026-06-01", "2026-06-30"),
    ("yesterdy", "2026-06-30", "2026-06-30"),
    ("yday", "2026-06-30", "2026-06-30"),
    ("last mnth", "2026-06-01", "2026-06-30"),
    ("subs last mo", "2026-06-01", "2026-06-30"),
    ("spend over the past 3 mo", "2026-04-01", "2026-06-30"),
    ("last quater", "2026-04-01", "2026-06-30"),
    ("prev week", "2026-06-22", "2026-06-28"),
    ("in febuary", "2026-02-01", "2026-02-28"),
    ("past 7 dyas", "2026-06-24", "2026-06-30"),
    ("last 2 wks", "2026-06-17", "2026-06-30"),
    ("this yr", "2026-01-01", "2026-06-30"),
    ("sinse March", "2026-03-01", "2026-06-30"),
    ("last monht", "2026-06-01", "2026-06-30"),
    # a count of days/weeks/months from a day
    ("avg weekly spend for the 4 weeks starting june 1st", "2026-06-01", "2026-06-28"),
    ("installs in the 10 days after may 3", "2026-05-04", "2026-05-13"),
    ("installs for the first 2 weeks of june", "2026-06-01", "2026-06-14"),
    ("installs for 14 days starting may 2", "2026-05-02", "2026-05-15"),
    ("installs for the 3 months from february", "2026-02-01", "2026-04-30"),
]


@pytest.mark.parametrize(("question", "start", "end"), RANGE_CASES)
def test_range(question, start, end):
    resolved = resolve_time(question, AS_OF)
    assert resolved.range == DateRange(dt.date.fromisoformat(start), dt.date.fromisoformat(end)), question


def test_there_are_enough_cases():
    assert len(RANGE_CASES) + len(COMPARE_CASES) + len(NO_TIME) >= 120


# (question, range, compare range)
COMPARE_CASES = [
    ("June vs May", ("2026-06-01", "2026-06-30"), ("2026-05-01", "2026-05-31")),
    ("revenue in June versus May", ("2026-06-01", "2026-06-30"), ("2026-05-01", "2026-05-31")),
    ("this month vs last month", ("2026-07-01", "2026-07-01"), ("2026-06-01", "2026-06-30")),
    ("last month compared to the previous month", ("2026-06-01", "2026-06-30"), ("2026-05-01", "2026-05-31")),
    ("May compared with the month before", ("2026-05-01", "2026-05-31"), ("2026-04-01", "2026-04-30")),
    ("last week vs the week before", ("2026-06-22", "2026-06-28"), ("2026-06-15", "2026-06-21")),
    ("installs last month compared to the previous period", ("2026-06-01", "2026-06-30"),
     ("2026-05-01", "2026-05-31")),
    ("last 7 days vs previous period", ("2026-06-24", "2026-06-30"), ("2026-06-17", "2026-06-23")),
    ("Q2 vs Q1", ("2026-04-01", "2026-06-30"), ("2026-01-01", "2026-03-31")),
    ("compare May and June", ("2026-05-01", "2026-05-31"), ("2026-06-01", "2026-06-30")),
    ("difference between May and June revenue", ("2026-05-01", "2026-05-31"), ("2026-06-01", "2026-06-30")),
    ("how did installs change from April to May", ("2026-04-01", "2026-04-30"), ("2026-05-01", "2026-05-31")),
    ("June 2026 vs the same period last year", ("2026-06-01", "2026-06-30"), ("2025-06-01", "2025-06-30")),
    ("last quarter period over period", ("2026-04-01", "2026-06-30"), ("2026-01-01", "2026-03-31")),
    ("yesterday vs the day before", ("2026-06-30", "2026-06-30"), ("2026-06-29", "2026-06-29")),
    ("installs yesterday vs the same day last week",
     ("2026-06-30", "2026-06-30"), ("2026-06-23", "2026-06-23")),
    ("Compare installs this week with last week", ("2026-06-29", "2026-06-30"), ("2026-06-22", "2026-06-28")),
    ("last 7 days vs prior 7 days", ("2026-06-24", "2026-06-30"), ("2026-06-17", "2026-06-23")),
    ("installs in the last 30 days compared to the previous 30 days", ("2026-06-01", "2026-06-30"),
     ("2026-05-02", "2026-05-31")),
    ("Q2 vs the previous 2 quarters", ("2026-04-01", "2026-06-30"), ("2025-10-01", "2026-03-31")),
]


def _range(pair):
    return DateRange(*(dt.date.fromisoformat(d) for d in pair))


@pytest.mark.parametrize(("question", "window", "compare"), COMPARE_CASES)
def test_compare(question, window, compare):
    resolved = resolve_time(question, AS_OF)
    assert (resolved.range, resolved.compare_range) == (_range(window), _range(compare)), question


def test_two_periods_without_comparison_word_cover_both():
    resolved = resolve_time("revenue in May and June", AS_OF)
    assert resolved.range == _range(("2026-05-01", "2026-06-30"))
    assert resolved.compare_range is None


def test_previous_period_without_a_range_gives_no_comparison():
    assert resolve_time("revenue compared to the previous period", AS_OF).compare_range is None


# Words that look like time words but are not
NO_TIME = [
    "did installs fall after the price change", "why did revenue fall",  # the verb, not the season
    "may I see revenue by country",
    "revenue by campaign",
    "list the top 10 campaigns",
    "most installs by platform",
    "weak campaigns with low ROAS",
    "what is the fraud rate",
    "you may want installs by source",
    "installs above 2000",
    "cost per install for campaign c001",
    "show the campaign list",
    "the total number of users",
    "the first campaign",
    "data by country",
    "installs through Facebook",
    "how much we paid Facebook",
    "the training campaigns",
    "match rate by source",
    "yeah show me revenue",
    "revenue on Mondays",
    "week 1 retention by source",
]


@pytest.mark.parametrize("question", NO_TIME)
def test_no_time(question):
    resolved = resolve_time(question, AS_OF)
    assert resolved.range is None and resolved.spans == [], question
