"""The deterministic narrative states numbers taken from the rows."""
from __future__ import annotations

import datetime as dt

from app.engine.pipeline.narrative import NarrativeInput, describe, format_value


def test_formats_by_unit():
    assert format_value(1234.5, "USD") == "$1,234.50"
    assert format_value(123456.7, "USD") == "$123,457"
    assert format_value(0.1234, "ratio") == "12.34%"
    assert format_value(1200, "count") == "1,200"
    assert format_value(None, "USD") == "n/a"
    assert format_value(dt.date(2026, 6, 1), None) == "2026-06-01"


def test_empty_result():
    text = describe(NarrativeInput(columns=["cost"], rows=[], units={},
                                   time_range=("2026-07-01", "2026-07-01")))
    assert text == "No data matched this question on 2026-07-01."


def test_single_value_with_delta():
    data = NarrativeInput(columns=["cost"], rows=[(1100.0,)], units={"cost": "USD"},
                          time_range=("2026-06-01", "2026-06-30"), previous_value=1000.0)
    text = describe(data)
    assert "**Cost**: **$1,100.00** from 2026-06-01 to 2026-06-30." in text
    assert "up 10.0% from $1,000.00" in text


def test_ranking_names_the_leader_and_total():
    rows = [("Facebook", 300), ("Google", 200), ("TikTok", 100), ("Unity", 50)]
    text = describe(NarrativeInput(columns=["media_source", "installs"], rows=rows,
                                   units={"installs": "count"}))
    assert text.startswith("**Facebook** has the top Installs: 300")
    assert "Google (200), TikTok (100)" in text
    assert "Total across the 4 rows: 650" in text


def test_time_series_first_last_peak_low():
    rows = [(dt.date(2026, 6, d), v) for d, v in [(1, 5), (2, 9), (3, 2), (4, 7)]]
    text = describe(NarrativeInput(columns=["metric_time", "installs"], rows=rows,
                                   units={"installs": "count"}))
    assert "went from 5 (2026-06-01) to 7 (2026-06-04)" in text
    assert "Highest: 9 (2026-06-02); lowest: 2 (2026-06-03)" in text


def test_prediction_is_labelled():
    text = describe(NarrativeInput(columns=["user_id", "churn_probability"], rows=[("u1", 0.9)],
                                   units={"churn_probability": "ratio"}, is_prediction=True))
    assert text.startswith("**Prediction.**")


def test_truncation_is_said():
    rows = [("a", 1)] * 3
    text = describe(NarrativeInput(columns=["x", "n"], rows=rows, units={}, truncated=True))
    assert "truncated" in text


def test_cohort_share_and_per_period_answers_say_what_was_computed():
    from app.engine.pipeline.narrative import scope_sentence

    assert scope_sentence({"cohort": {"install_range": ["2026-03-01", "2026-03-31"], "grain": None}}) == \
        "Users who installed from 2026-03-01 to 2026-03-31."
    assert (
        scope_sentence({"share": {"of": "installs", "where": ["platform = 'iOS'"], "within": ["country"]}})
        == "Share of installs (platform = 'iOS') within each country."
    )
    assert scope_sentence({"per_period": "day"}) == "Average per day over the period."
    assert scope_sentence({"metrics": ["installs"]}) == ""


def test_derived_columns_keep_their_units():
    from app.engine.pipeline.charting import units_for
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

    units = units_for(load_semantic_model(DEMO_MODEL_PATH),
                      ["installs_share", "cost_per_day", "count_distinct:country", "revenue"])
    assert units == {"installs_share": "ratio", "cost_per_day": "USD", "count_distinct:country": "count",
                     "revenue": "USD"}


def test_a_cohort_is_said_in_the_words_of_the_models_cohort_declaration():
    from app.engine.pipeline.narrative import scope_sentence
    from evals.fixtures.flights import MODEL_PATH as FLIGHTS_MODEL
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

    cohort = {"cohort": {"install_range": ["2013-01-01", "2013-01-31"], "grain": "month"}}
    flights = scope_sentence(cohort, load_semantic_model(FLIGHTS_MODEL))
    assert flights == ("Aircraft with a first flight date from 2013-01-01 to 2013-01-31, "
                       "by first flight date month.")
    assert scope_sentence(cohort, load_semantic_model(DEMO_MODEL_PATH)).startswith("Users who installed from")
    assert scope_sentence({"cohort": {"grain": "week"}}, load_semantic_model(FLIGHTS_MODEL)) == \
        "Aircraft grouped by first flight date week."
