"""Metric thresholds on grouped rows (having) and counts of groups (count_groups): misuse errors,
the condition's text form, output columns and units, the contract, and each operator by execution.

The gold cases (hand-written SQL per question, DuckDB and chdb) are in feature_cases.py.
"""
from __future__ import annotations

import json
from datetime import date

import pytest

from semantic_layer import (
    DEMO_MODEL_PATH,
    Cohort,
    Filter,
    MetricCondition,
    OrderBy,
    SemanticQuery,
    SemanticQueryError,
    Share,
    compile_semantic_query,
    load_semantic_model,
    run_query,
)

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
JUNE = (date(2026, 6, 1), date(2026, 6, 30))
BY_CAMPAIGN = {"metrics": ["cost"], "dimensions": ["campaign_name"], "time_range": JUNE}


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.mark.parametrize(("query", "fragment"), [
    ({**BY_CAMPAIGN, "having": ["ctrr > 0.02"]}, "unknown metric in having 'ctrr'; did you mean 'ctr'"),
    ({**BY_CAMPAIGN, "having": ["count_distinct:os_versoin > 3"]}, "did you mean 'os_version'"),
    ({"metrics": ["cost"], "having": ["cost > 1000"], "count_groups": True},
     "count_groups counts the groups of the query's dimensions"),
    ({"dimensions": ["campaign_name"], "count_groups": True}, "use the metric count_distinct:<dimension>"),
    ({**BY_CAMPAIGN, "having": ["cost > 1000"], "count_groups": True, "order_by": [OrderBy(field="cost")]},
     "order_by and limit do not apply"),
    ({**BY_CAMPAIGN, "having": ["cost > 1000"], "count_groups": True, "limit": 5},
     "order_by and limit do not apply"),
    ({"dimensions": ["country"], "share": Share(of="installs"), "having": ["installs > 100"]},
     "cannot be combined with a share"),
    ({"dimensions": ["country"], "share": Share(of="installs"), "count_groups": True},
     "cannot be combined with a share"),
    ({**BY_CAMPAIGN, "per_period": "day", "having": ["cost > 100"]},
     "cannot be combined with a per-period average"),
    ({**BY_CAMPAIGN, "having": ["ctr > 0.02"], "order_by": [OrderBy(field="ctr")]}, "order_by field"),
    ({"metrics": ["installs"], "dimensions": ["fraud_type"], "having": ["cost > 1000"]},
     "dimension 'fraud_type' is not available for 'cost'"),
    ({"metrics": ["revenue"], "dimensions": ["country"], "cohort": Cohort(install_range=MARCH, grain="week"),
      "having": ["cpi < 2"]}, "cannot be measured for a cohort"),
])
def test_misuse_raises_an_actionable_error(model, query, fragment):
    with pytest.raises(SemanticQueryError) as caught:
        compile_semantic_query(model, SemanticQuery(**query))
    assert fragment in caught.value.message


@pytest.mark.parametrize(("condition", "fragment"), [
    ("ctr > 2%", "write ratios as fractions: 0.02 for 2%"),
    ("cost > inf", "the value must be a finite number"),
    ("cost > lots", "'lots' is not a number"),
    ("cost >> 1000", "write '<metric> <op> <number>'"),
    ("cost", "write '<metric> <op> <number>'"),
    ("cost > 1 OR 1 = 1", "write '<metric> <op> <number>'"),
    ({"metric": "cost", "op": "between", "value": 1}, "unknown operator 'between'"),
    ({"metric": "cost", "op": ">", "value": True}, "the value must be a number"),
])
def test_malformed_conditions_fail_on_construction(condition, fragment):
    with pytest.raises(SemanticQueryError) as caught:
        SemanticQuery(**BY_CAMPAIGN, having=[condition])
    assert fragment in caught.value.message


def test_text_and_fields_are_the_same_condition():
    assert MetricCondition.model_validate("ctr >= 0.02") == MetricCondition(metric="ctr", op=">=", value=0.02)
    assert SemanticQuery(**BY_CAMPAIGN, having=["cost > 1000"]) == SemanticQuery(
        **BY_CAMPAIGN, having=[{"metric": "cost", "op": ">", "value": 1000}])
    assert MetricCondition(metric="cost", op="!=", value=1000).to_text() == "cost != 1000"
    distinct = MetricCondition.model_validate("count_distinct:os_version<=-2.5")
    assert (distinct.metric, distinct.op, distinct.value) == ("count_distinct:os_version", "<=", -2.5)
    assert distinct.to_text() == "count_distinct:os_version <= -2.5"


@pytest.mark.parametrize(("fields", "columns"), [
    ({**BY_CAMPAIGN, "having": ["ctr > 0.02"]}, ("campaign_name", "cost")),
    ({"dimensions": ["media_source"], "having": ["fraud_rate > 0.05"]}, ("media_source",)),
    ({**BY_CAMPAIGN, "having": ["cost > 1000"], "count_groups": True}, ("campaign_name_count",)),
    ({"metrics": ["installs"], "dimensions": ["metric_time"], "having": ["installs > 1"],
      "count_groups": True}, ("day_count",)),
    ({"metrics": ["installs"], "dimensions": ["metric_time__month"], "count_groups": True}, ("month_count",)),
    ({"metrics": ["installs"], "dimensions": ["media_source", "platform"], "count_groups": True},
     ("group_count",)),
    ({"metrics": ["installs"], "dimensions": ["platform"], "grain": "week", "count_groups": True},
     ("group_count",)),
    ({"metrics": ["retention_d7"], "cohort": Cohort(grain="week"), "having": ["retention_d7 > 0.2"],
      "count_groups": True}, ("cohort_count",)),
])
def test_output_columns(fields, columns):
    assert SemanticQuery(**fields).output_columns() == columns


def test_condition_metrics_are_measured_but_not_output_columns(model):
    query = SemanticQuery(**BY_CAMPAIGN, having=["ctr > 0.02", "cost > 10", "ctr < 0.5"])
    assert query.condition_metrics == ("ctr",)
    tree = compile_semantic_query(model, query)
    assert [c.alias_or_name for c in tree.expressions] == ["campaign_name", "cost"]
    # June's spend is summed per campaign before the join on DuckDB (semantic_layer/eager.py)
    assert "SUM(ad_spend.clicks) AS partial_" in tree.sql("duckdb")
    plain = compile_semantic_query(model, query, "clickhouse").sql("clickhouse")
    assert "SUM(ad_spend.clicks) AS clicks" in plain


def test_column_units_name_the_derived_columns(model):
    counted = SemanticQuery(**BY_CAMPAIGN, having=["cost > 1000"], count_groups=True)
    assert counted.column_units(model) == {"campaign_name_count": "count"}
    rows = SemanticQuery(metrics=["cost", "ctr"], dimensions=["campaign_name"], having=["roas > 1"])
    assert rows.column_units(model) == {"cost": "USD", "ctr": "ratio"}
    assert SemanticQuery(metrics=["cost"], per_period="day").column_units(model) == {"cost_per_day": "USD"}
    share = SemanticQuery(dimensions=["country"], share=Share(of="installs"))
    assert share.column_units(model) == {"installs": "count", "installs_share": "ratio"}


QUERIES = [
    SemanticQuery(**BY_CAMPAIGN, having=[MetricCondition(metric="ctr", op=">", value=0.02)]),
    SemanticQuery(**BY_CAMPAIGN, having=["cost > 1000", "roas < 1"], count_groups=True),
    SemanticQuery(metrics=["installs"], dimensions=["metric_time__day"], time_range=JUNE,
                  filters=[Filter(dimension="platform", values=("iOS",))], having=["installs >= 1300.5"],
                  count_groups=True),
    SemanticQuery(metrics=["revenue"], dimensions=["country"], cohort=Cohort(install_range=MARCH),
                  having=["revenue != 0"], order_by=[OrderBy(field="revenue")], limit=3),
]


@pytest.mark.parametrize("query", QUERIES)
def test_new_fields_round_trip_through_the_contract(query):
    contract = json.loads(json.dumps(query.to_contract()))  # what a cached answer stores
    assert SemanticQuery.from_contract(contract) == query
    assert SemanticQuery(**{**query.model_dump(), "having": contract.get("having", ())}) == query


def test_contract_keys_are_added_only_when_used():
    assert "having" not in SemanticQuery(**BY_CAMPAIGN).to_contract()
    contract = QUERIES[1].to_contract()
    assert contract["having"] == ["cost > 1000", "roas < 1"] and contract["count_groups"] is True
    assert "count_groups" not in QUERIES[0].to_contract()


@pytest.mark.parametrize("dialect", ["duckdb", "clickhouse"])
def test_conditions_compile_to_number_literals(model, dialect):
    query = SemanticQuery(**BY_CAMPAIGN, having=["cost > 1000", "ctr <= 0.025"])
    sql = compile_semantic_query(model, query, dialect).sql(dialect)
    assert "COALESCE(SUM(measures.cost), 0) > 1000" in sql and ") <= 0.025" in sql


@pytest.fixture(scope="module", params=["duckdb", "chdb"])
def warehouse(request):
    return request.getfixturevalue(f"scored_{request.param}_wh")


@pytest.mark.parametrize("op", [">", ">=", "<", "<=", "=", "!="])
def test_each_operator_keeps_exactly_the_passing_rows(model, warehouse, op):
    """Installs by country in June (integers, so '=' can hit a value): having keeps the rows of the
    unfiltered query that pass in Python, and count_groups counts them."""
    plain = SemanticQuery(metrics=["installs"], dimensions=["country"], time_range=JUNE)
    rows = run_query(model, plain, warehouse).rows
    threshold = sorted(value for _, value in rows)[len(rows) // 2]
    compare = {">": float.__gt__, ">=": float.__ge__, "<": float.__lt__, "<=": float.__le__,
               "=": float.__eq__, "!=": float.__ne__}[op]
    expected = {country for country, value in rows if compare(float(value), float(threshold))}
    condition = MetricCondition(metric="installs", op=op, value=threshold)
    kept = run_query(model, plain.model_copy(update={"having": (condition,)}), warehouse).rows
    assert {country for country, _ in kept} == expected and expected
    counted = plain.model_copy(update={"having": (condition,), "count_groups": True})
    assert run_query(model, counted, warehouse).rows == [(len(expected),)]


def test_an_empty_period_counts_zero_groups(model, warehouse):
    july = (date(2026, 7, 1), date(2026, 7, 31))  # "this quarter" in the demo: no data
    query = SemanticQuery(metrics=["cost"], dimensions=["campaign_name"], time_range=july,
                          having=["cost > 1000"], count_groups=True)
    assert run_query(model, query, warehouse).rows == [(0,)]
