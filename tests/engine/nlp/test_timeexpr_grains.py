"""Grains, consumed spans, period arithmetic and robustness of time resolution."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.nlp.timeexpr import DateRange, resolve_time, resolve_time_strict
from app.engine.nlp.timeexpr_periods import default_grain, preceding, previous_period, to_date, trailing

AS_OF = dt.date(2026, 7, 1)

GRAIN_CASES = [
    ("daily installs last month", "day"),
    ("installs per day", "day"),
    ("revenue by day", "day"),
    ("spend each day of June", "day"),
    ("day by day revenue", "day"),
    ("day-over-day installs", "day"),
    ("weekly revenue", "week"),
    ("installs by week", "week"),
    ("spend per week this year", "week"),
    ("week over week installs", "week"),
    ("WoW growth in revenue", "week"),
    ("monthly spend", "month"),
    ("revenue by month in 2026", "month"),
    ("month-over-month installs", "month"),
    ("MoM revenue", "month"),
    ("quarterly revenue", "quarter"),
    ("installs by quarter", "quarter"),
    ("yearly revenue", "year"),
    ("year over year installs", "year"),
    ("revenue trend last month", "day"),  # 30 days: daily points
    ("installs over time in Q2", "week"),  # 91 days: weekly points
    ("spend time series for the last 7 days", "day"),
    ("revenue trend", "week"),  # no range: weekly
    ("installs trend this year", "week"),
    ("daily revenue trend last quarter", "day"),  # an explicit grain beats the default
    ("revenue trend from 2025-01-01 to 2026-06-30", "month"),
    ("which month had the most installs", "month"),
    ("what week had the highest fraud rate", "week"),
    ("top 3 days by spend in June", "day"),
    ("best day for revenue last month", "day"),
    ("how has spend per network changed month to month this year?", "month"),
    ("Show day-7 retention by install month this year", "month"),
    ("installs by cohort week", "week"),
]


@pytest.mark.parametrize(("question", "grain"), GRAIN_CASES)
def test_grain(question, grain):
    assert resolve_time(question, AS_OF).grain == grain, question


@pytest.mark.parametrize("question", [
    "wow, look at revenue", "mom's favourite campaign", "revenue by country",
])
def test_words_that_only_look_like_grains(question):
    # "daily active users" is a grain here; it is the DAU metric only where the model names one
    # (tests/engine/planning/offline/test_offline_model_vocabulary.py)
    assert resolve_time(question, AS_OF).grain is None


SPAN_CASES = [
    ("revenue in May by country", "in May"),
    ("installs for the last 7 days by platform", "for the last 7 days"),
    ("lst month revenue", "lst month"),
    ("Revenue, June vs May, by source", "June vs May"),
    ("weekly installs since March", "weekly since March"),
    ("spend yesterdy", "yesterdy"),
    ("top 3 days by spend in June", "days in June"),  # "top 3" stays for the planner
]


@pytest.mark.parametrize(("question", "matched"), SPAN_CASES)
def test_spans_point_into_the_original_text(question, matched):
    resolved = resolve_time(question, AS_OF)
    assert resolved.matched_text == matched
    assert " ".join(question[s:e] for s, e in resolved.spans) == matched


def test_spans_let_the_planner_blank_out_time_words():
    question = "daily revenue by media source in the last 30 days"
    resolved = resolve_time(question, AS_OF)
    remaining = list(question)
    for start, end in resolved.spans:
        remaining[start:end] = " " * (end - start)
    assert "".join(remaining).split() == ["revenue", "by", "media", "source"]


def test_all_time_means_no_filter():
    resolved = resolve_time("best campaign of all time", AS_OF)
    assert resolved.range is None and resolved.all_time


def test_unicode_and_typography():
    resolved = resolve_time("Revenue \u2014 Last\u00a0Month", AS_OF)
    assert resolved.range == DateRange(dt.date(2026, 6, 1), dt.date(2026, 6, 30))


def test_other_as_of_mid_month():
    as_of = dt.date(2026, 3, 18)  # a Wednesday
    assert resolve_time("this month", as_of).range == DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 17))
    assert resolve_time("last week", as_of).range == DateRange(dt.date(2026, 3, 9), dt.date(2026, 3, 15))
    assert resolve_time("last 3 months", as_of).range == DateRange(dt.date(2025, 12, 18),
                                                                   dt.date(2026, 3, 17))
    assert resolve_time("in May", as_of).range == DateRange(dt.date(2025, 5, 1), dt.date(2025, 5, 31))


def test_period_helpers():
    assert previous_period("quarter", dt.date(2026, 1, 1)) == DateRange(dt.date(2025, 10, 1),
                                                                        dt.date(2025, 12, 31))
    assert to_date("year", dt.date(2026, 1, 1)) == DateRange(dt.date(2026, 1, 1), dt.date(2026, 1, 1))
    assert trailing("month", 1, dt.date(2026, 3, 31)) == DateRange(dt.date(2026, 2, 28), dt.date(2026, 3, 30))
    assert preceding(DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))) == DateRange(
        dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert default_grain(DateRange(dt.date(2026, 1, 1), dt.date(2026, 3, 3))) == "day"
    assert default_grain(DateRange(dt.date(2026, 1, 1), dt.date(2026, 3, 4))) == "week"


def test_absurd_counts_are_ignored_not_fatal():
    assert resolve_time_strict("last 99999999 days", AS_OF).range is None
    assert resolve_time_strict("on 13/45/2026", AS_OF).range is None
    assert resolve_time_strict("February 30", AS_OF).range is None


_TIME_WORDS = st.sampled_from([
    "last", "this", "month", "week", "quarter", "year", "since", "between", "and", "to", "from", "vs",
    "may", "June", "Q2", "H1", "2026", "2026-06-31", "12/40/2026", "7", "seven", "days", "ago", "yday",
    "-", ",", "the", "first", "half", "of", "daily", "trend", "compared", "previous", "period", "lst",
])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_resolves_without_error(text):
    _check_resolution(resolve_time_strict(text, AS_OF), text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TIME_WORDS, max_size=12).map(" ".join), st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)))
def test_time_word_soup_resolves_without_error(text, as_of):
    _check_resolution(resolve_time_strict(text, as_of), text)


def _check_resolution(resolved, text):
    for window in (resolved.range, resolved.compare_range):
        assert window is None or window.start <= window.end
    for start, end in resolved.spans:
        assert 0 <= start < end <= len(text)
    assert resolved.grain in (None, "day", "week", "month", "quarter", "year")
