"""Cohorts, shares, per-period averages, distinct counts, numeric filters: misuse errors and the contract."""
from __future__ import annotations

import json
from datetime import date

import pytest

from semantic_layer import (
    DEMO_MODEL_PATH,
    Cohort,
    Filter,
    OrderBy,
    SemanticQuery,
    SemanticQueryError,
    Share,
    compile_semantic_query,
    load_semantic_model,
)

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))
PAID = Filter(dimension="acquisition_type", values=("paid",))


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.mark.parametrize(("query", "fragment"), [
    # cohorts
    ({"metrics": ["cost"], "cohort": Cohort(install_range=MARCH)},
     "'cost' (from 'ad_spend') cannot be measured for a cohort"),
    # next to the members' revenue, spend is what acquiring them cost, but not per cohort bucket
    ({"metrics": ["roas"], "cohort": Cohort(install_range=MARCH, grain="week")},
     "cannot be measured for a cohort"),
    ({"metrics": ["revenue"],
      "cohort": Cohort(filters=[Filter(dimension="event_name", values=["purchase"])])},
     "'event_name' is not an attribute of 'installs'"),
    ({"metrics": ["revenue"], "cohort": Cohort(install_range=(date(2026, 3, 31), date(2026, 3, 1)))},
     "cohort install range starts after it ends"),
    ({"metrics": ["revenue"], "cohort": Cohort(filters=[Filter(dimension="platfrom", values=["iOS"])])},
     "did you mean 'platform'"),
    ({"metrics": ["revenue"], "dimensions": ["cohort"]}, "cohort=Cohort(grain=...)"),
    ({"dimensions": ["platform"], "cohort": Cohort(install_range=MARCH)}, "needs a metric"),
    # shares
    ({"share": Share(of="roas"), "dimensions": ["media_source"]},
     "'roas' is a ratio metric of attributed_revenue, cost"),
    ({"share": Share(of="dau"), "dimensions": ["platform"]}, "'dau' is already an average per day"),
    ({"share": Share(of="avg_churn_probability"), "dimensions": ["country"]}, "is an average"),
    ({"share": Share(of="cost", within=["platform"]), "dimensions": ["channel"]}, "share within 'platform'"),
    ({"share": Share(of="cost"), "dimensions": ["channel"], "per_period": "day"},
     "cannot be averaged per period"),
    ({"share": Share(of="installs", where=[Filter(dimension="metric_time", values=["x"])])}, "time_range"),
    # averages per period
    ({"metrics": ["ctr"], "per_period": "day"}, "'ctr' is a ratio metric of clicks, impressions"),
    ({"metrics": ["dau"], "per_period": "day"}, "'dau' is already an average per day"),
    ({"metrics": ["avg_predicted_ltv"], "per_period": "month"}, "is an average"),
    ({"metrics": ["cost"], "dimensions": ["metric_time__month"], "per_period": "week"},
     "must be a finer bucket"),
    ({"metrics": ["cost"], "dimensions": ["metric_time"], "per_period": "day"}, "must be a finer bucket"),
    ({"metrics": ["campaign_count"], "per_period": "day"},
     "no time axis, so it cannot be averaged per period"),
    # distinct counts
    ({"metrics": ["count_distinct:os_versoin"]}, "did you mean 'os_version'"),
    ({"metrics": ["count_distinct:install_date"]}, "'install_date' is a time dimension"),
    ({"metrics": ["count_distinct:fraud_probability"]}, "'fraud_probability' is a numeric dimension"),
    ({"metrics": ["count_distinct:campaign_name"], "cohort": Cohort(install_range=MARCH)},
     "(from 'campaigns') cannot be measured for a cohort"),
    # numeric dimensions
    ({"metrics": ["installs"], "dimensions": ["fraud_probability"]},
     "numeric dimension 'fraud_probability' cannot group"),
    ({"metrics": ["installs"], "filters": [Filter(dimension="fraud_probability", op=">", values=["high"])]},
     "'fraud_probability' is numeric; compare it with a number"),
    ({"metrics": ["installs"], "filters": [Filter(dimension="churn_probability", op=">", values=[True])]},
     "is numeric"),
    ({"metrics": ["cost"], "filters": [Filter(dimension="fraud_probability", op=">", values=[0.5])]},
     "not available for 'cost'"),
])
def test_misuse_raises_an_actionable_error(model, query, fragment):
    with pytest.raises(SemanticQueryError) as caught:
        compile_semantic_query(model, SemanticQuery(**query))
    assert fragment in caught.value.message


@pytest.mark.parametrize(("fields", "fragment"), [
    ({"metrics": ["cost"], "per_period": "fortnight"}, "unknown per_period grain 'fortnight'"),
    ({"metrics": ["cost"], "cohort": {"grain": "hour"}}, "unknown cohort grain 'hour'"),
    ({"metrics": ["cost", "installs"], "share": Share(of="installs")}, "a share query measures one metric"),
])
def test_malformed_queries_fail_on_construction(fields, fragment):
    with pytest.raises(SemanticQueryError, match=None) as caught:
        SemanticQuery(**fields)
    assert fragment in caught.value.message


def test_share_fills_in_its_metric_and_names_its_columns():
    query = SemanticQuery(dimensions=["country"], share=Share(of="revenue"))
    assert query.metrics == ("revenue",)
    assert query == SemanticQuery(metrics=["revenue"], dimensions=["country"], share=Share(of="revenue"))
    assert query.output_columns() == ("country", "revenue", "revenue_share")


def test_output_columns_of_each_feature():
    matrix = SemanticQuery(metrics=["revenue"], dimensions=["metric_time__month"],
                           cohort=Cohort(grain="month"))
    assert matrix.output_columns() == ("cohort", "metric_time", "revenue")
    daily = SemanticQuery(metrics=["cost", "installs"], dimensions=["platform"], per_period="day")
    assert daily.output_columns() == ("platform", "cost_per_day", "installs_per_day")
    distinct = SemanticQuery(metrics=["count_distinct:os_version"])
    assert distinct.output_columns() == ("count_distinct:os_version",)


def test_order_by_may_name_the_metric_or_its_per_period_column(model):
    for field in ("cost", "cost_per_day"):
        query = SemanticQuery(metrics=["cost"], dimensions=["channel"], per_period="day", time_range=APRIL,
                              order_by=[OrderBy(field=field)], limit=2)
        assert "ORDER BY cost_per_day DESC" in compile_semantic_query(model, query).sql("duckdb")


FEATURE_QUERIES = [
    SemanticQuery(metrics=["revenue"], time_range=APRIL, cohort=Cohort(install_range=MARCH)),
    SemanticQuery(metrics=["revenue"], dimensions=["metric_time__month"],
                  cohort=Cohort(install_range=(date(2026, 1, 1), date(2026, 3, 31)), grain="month",
                                filters=[Filter(dimension="platform", values=("iOS",)), PAID])),
    SemanticQuery(time_range=APRIL, share=Share(of="installs", where=[PAID])),
    SemanticQuery(dimensions=["channel", "platform"], share=Share(of="cost", within=["platform"]),
                  order_by=[OrderBy(field="cost_share")], limit=3),
    SemanticQuery(metrics=["installs"], dimensions=["platform"], time_range=APRIL, per_period="week"),
    SemanticQuery(metrics=["count_distinct:os_version"], filters=[
        Filter(dimension="platform", values=("iOS",)),
        Filter(dimension="fraud_probability", op=">", values=(0.8,))]),
]


@pytest.mark.parametrize("query", FEATURE_QUERIES)
def test_new_fields_round_trip_through_the_contract(query):
    contract = json.loads(json.dumps(query.to_contract()))  # what a cached answer stores
    assert SemanticQuery.from_contract(contract) == query


def test_contract_keys_are_added_only_when_used():
    plain = SemanticQuery(metrics=["cost"]).to_contract()
    assert set(plain) == {"metrics", "dimensions", "filters", "time_range", "order_by", "limit"}
    full = SemanticQuery(metrics=["revenue"], time_range=APRIL, per_period="day",
                         cohort=Cohort(install_range=MARCH, filters=[PAID], grain="month")).to_contract()
    assert full["cohort"] == {"install_range": ["2026-03-01", "2026-03-31"],
                              "filters": ["acquisition_type = 'paid'"], "grain": "month"}
    assert full["per_period"] == "day" and "share" not in full
    share = SemanticQuery(dimensions=["platform"], share=Share(of="installs", where=[PAID])).to_contract()
    assert share["share"] == {"of": "installs", "where": ["acquisition_type = 'paid'"], "within": []}


def test_numeric_threshold_values_become_number_literals(model):
    query = SemanticQuery(metrics=["installs"],
                          filters=[Filter(dimension="fraud_probability", op=">=", values=("0.8",))])
    for dialect in ("duckdb", "clickhouse"):
        assert "fraud_probability >= 0.8" in compile_semantic_query(model, query, dialect).sql(dialect)
