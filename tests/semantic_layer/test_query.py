"""Semantic queries: validation errors with suggestions, the contract shape, the filter syntax."""
from __future__ import annotations

from datetime import date

import pytest

from semantic_layer import (
    DEMO_MODEL_PATH,
    Filter,
    OrderBy,
    SemanticQuery,
    SemanticQueryError,
    compile_semantic_query,
    load_semantic_model,
    parse_filter,
)


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.mark.parametrize(("query", "fragment"), [
    ({"metrics": ["roaz"]}, "unknown metric 'roaz'; did you mean 'roas'"),
    ({"metrics": ["cost"], "dimensions": ["campain_name"]}, "did you mean 'campaign_name'"),
    ({"metrics": ["cost"], "dimensions": ["fraud_type"]},
     "dimension 'fraud_type' is not available for 'cost'"),
    ({"metrics": ["cost"], "filters": [Filter(dimension="event_name", values=["purchase"])]},
     "not available"),
    ({"metrics": ["campaign_count"], "dimensions": ["metric_time"]}, "no time axis"),
    ({"metrics": ["cost"], "order_by": [OrderBy(field="installs")]}, "order_by field"),
    ({"metrics": ["cost"], "filters": [Filter(dimension="platform", op="=", values=["iOS", "Android"])]},
     "takes one value"),
    ({"metrics": ["cost"], "time_range": (date(2026, 6, 30), date(2026, 6, 1))}, "starts after it ends"),
    ({"dimensions": ["metric_time"]}, "needs a metric"),
    ({}, "at least one metric or one dimension"),
    ({"metrics": ["cost", "cost"]}, "listed twice"),
    ({"metrics": ["cost"], "periods": [(date(2026, 6, 1), date(2026, 6, 30))]}, "two or more periods"),
    ({"metrics": ["cost"], "periods": [(date(2026, 1, 1), date(2026, 1, 31)),
                                       (date(2026, 6, 1), date(2026, 6, 30))],
      "time_range": (date(2026, 1, 1), date(2026, 6, 30))}, "either time_range or periods"),
    ({"metrics": ["cost"], "dimensions": ["metric_time"],
      "periods": [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 6, 1), date(2026, 6, 30))]},
     "already key the rows by period"),
])
def test_invalid_queries_raise_clear_errors(model, query, fragment):
    with pytest.raises(SemanticQueryError, match=None) as caught:
        compile_semantic_query(model, SemanticQuery(**query))
    assert fragment in caught.value.message


@pytest.mark.parametrize("grain", ["fortnight", "hour"])
def test_bad_grain_is_a_semantic_query_error(grain):
    with pytest.raises(SemanticQueryError, match="unknown time grain"):
        SemanticQuery(metrics=["cost"], dimensions=["metric_time"], grain=grain)
    with pytest.raises(SemanticQueryError, match="unknown time grain"):
        SemanticQuery(metrics=["cost"], dimensions=[f"metric_time__{grain}"])


def test_grain_shorthand_and_implicit_metric_time():
    assert SemanticQuery(metrics=["cost"], dimensions=["metric_time__week"]) == SemanticQuery(
        metrics=["cost"], dimensions=["metric_time"], grain="week")
    implicit = SemanticQuery(metrics=["cost"], dimensions=["platform"], grain="month")
    assert implicit.group_by == ("metric_time", "platform") and implicit.time_grain == "month"
    assert SemanticQuery(metrics=["cost"], dimensions=["metric_time"]).time_grain == "day"


def test_to_contract_matches_the_answer_contract_and_round_trips():
    query = SemanticQuery(metrics=["roas"], dimensions=["campaign_name"],
                          filters=[Filter(dimension="platform", op="=", values=["iOS"])],
                          time_range=(date(2026, 6, 1), date(2026, 6, 30)),
                          order_by=[OrderBy(field="roas", direction="desc")], limit=5)
    contract = query.to_contract()
    assert contract == {"metrics": ["roas"], "dimensions": ["campaign_name"], "filters": ["platform = 'iOS'"],
                        "time_range": ["2026-06-01", "2026-06-30"], "order_by": [["roas", "desc"]],
                        "limit": 5}
    assert SemanticQuery.from_contract(contract) == query
    weekly = SemanticQuery(metrics=["installs"], dimensions=["metric_time"], grain="week")
    assert SemanticQuery.from_contract(weekly.to_contract()) == weekly
    compared = SemanticQuery(metrics=["installs"], periods=[(date(2026, 1, 1), date(2026, 1, 31)),
                                                           (date(2026, 6, 1), date(2026, 6, 30))])
    assert compared.to_contract()["periods"] == [["2026-01-01", "2026-01-31"], ["2026-06-01", "2026-06-30"]]
    assert SemanticQuery.from_contract(compared.to_contract()) == compared
    assert compared.output_columns() == ("period", "installs")


@pytest.mark.parametrize(("text", "expected"), [
    ("platform = 'iOS'", Filter(dimension="platform", op="=", values=("iOS",))),
    ("country != 'US'", Filter(dimension="country", op="!=", values=("US",))),
    ("media_source IN ('Google', 'TikTok')",
     Filter(dimension="media_source", op="in", values=("Google", "TikTok"))),
    ("country not in ('US')", Filter(dimension="country", op="not in", values=("US",))),
    ("is_fraud = true", Filter(dimension="is_fraud", op="=", values=(True,))),
    ("os_version >= 14", Filter(dimension="os_version", op=">=", values=(14,))),
])
def test_parse_filter_accepts_the_mini_syntax(text, expected):
    assert parse_filter(text) == expected
    assert parse_filter(expected.to_text()) == expected


@pytest.mark.parametrize("text", [
    "platform = 'iOS' OR 1 = 1", "platform = lower('X')", "t.platform = 'iOS'", "platform IN (SELECT 1)",
    "platform", "platform = ", "NOT platform = 'iOS'", "'iOS' = platform", "platform LIKE 'i%'",
])
def test_parse_filter_rejects_everything_else(text):
    with pytest.raises(SemanticQueryError, match="cannot use filter"):
        parse_filter(text)


def test_filter_values_are_literals_never_sql(model):
    hostile = Filter(dimension="platform", op="=", values=["iOS'; DROP TABLE installs; --"])
    sql = compile_semantic_query(model, SemanticQuery(metrics=["installs"], filters=[hostile])).sql("duckdb")
    assert "'iOS''; DROP TABLE installs; --'" in sql


def test_an_activity_filter_the_cohort_size_cannot_take_still_needs_a_metric_that_takes_it(model):
    may, april = (date(2026, 5, 1), date(2026, 5, 31)), (date(2026, 4, 1), date(2026, 4, 30))
    from semantic_layer import Cohort
    alone = SemanticQuery(metrics=["installs"], filters=[Filter(dimension="event_name", values=["purchase"])],
                          time_range=may, cohort=Cohort(install_range=april))
    with pytest.raises(SemanticQueryError, match="event_name"):
        compile_semantic_query(model, alone)
