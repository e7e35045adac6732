"""``asklytics model import-dbt``: a dbt project's MetricFlow YAML -> an Asklytics model (#18).

The fixture project (fixtures/dbt_project/, written from the public MetricFlow spec) has simple,
ratio, derived, cumulative and conversion metrics, filters, and constructs Asklytics cannot express;
every one is either translated or reported, and the output loads with the semantic layer's loader.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from semantic_layer import load_semantic_model
from semantic_layer.dbt_filters import DimensionRef, ResolvedRef, Untranslatable, translate_filters
from semantic_layer.dbt_import import DbtImportError, import_dbt_project, render_yaml

PROJECT = Path(__file__).parent / "fixtures" / "dbt_project"

SKIPPED = {
    "measure 'lifetime_spend' of 'customers'": "non_additive_dimension",
    "measure 'median_order_total' of 'orders'": "agg median",
    "measure 'p90_order_total' of 'orders'": "agg percentile",
    "metric 'median_order_value'": "its measure 'median_order_total' is skipped",
    "metric 'repeat_customer_orders'": "filters on metrics are not supported",
    "metric 'monthly_order_total_2024'": "truncates 'ordered_at' to month",
    "metric 'a_customers_order_total'": "LIKE",
    "metric 'order_total_mom_growth'": "offset_window",
    "metric 'weekly_order_total'": "cumulative metrics (window 7 days)",
    "metric 'mtd_order_total'": "cumulative metrics (month-to-date)",
    "metric 'share_of_weekly_total'": "its input metric 'weekly_order_total' is not imported",
    "metric 'order_to_food_conversion'": "conversion metrics",
}


@pytest.fixture(scope="module")
def imported():
    return import_dbt_project(PROJECT)


def _metrics(result) -> dict[str, dict]:
    return {m["name"]: m for m in result.model["metrics"]}


def _tables(result) -> dict[str, dict]:
    return {t["name"]: t for t in result.model["semantic_models"]}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_semantic_models_become_tables_with_entities_dimensions_and_measures(imported):
    tables = _tables(imported)
    assert list(tables) == ["customers", "order_items", "orders"]
    orders = tables["orders"]
    assert orders["table"] == "orders"  # ref('orders')
    assert orders["entities"] == [{"name": "order_id", "type": "primary"},
                                  {"name": "customer", "type": "foreign", "expr": "customer_id"}]
    dims = {d["name"]: d for d in orders["dimensions"]}
    assert dims["ordered_at"]["expr"] == "CAST(ordered_at AS DATE)"
    assert dims["ordered_at"]["type_params"] == {"time_granularity": "day"}
    assert dims["order_status"] == {"name": "order_status", "type": "categorical", "expr": "status",
                                    "description": "completed, shipped, returned or cancelled."}
    assert dims["is_food_order"]["description"] == "Food order"  # the label when there is no description
    measures = {m["name"]: m for m in orders["measures"]}
    assert set(measures) == {"order_total", "order_count", "food_orders", "customers_with_orders",
                             "avg_order_value", "max_order_total"}
    assert measures["food_orders"] == {"name": "food_orders", "agg": "sum",
                                       "expr": "CAST(is_food_order AS INTEGER)",
                                       "description": "Orders with food.", "agg_time_dimension": "ordered_at"}
    assert measures["avg_order_value"]["agg"] == "average"
    assert measures["customers_with_orders"]["agg"] == "count_distinct"
    # defaults.agg_time_dimension applies to every measure without its own
    assert _tables(imported)["customers"]["measures"][0]["agg_time_dimension"] == "first_ordered_at"
    # an hourly time dimension is read as its day
    last_seen = _tables(imported)["customers"]["dimensions"][3]
    assert last_seen["type_params"] == {"time_granularity": "day"}


def test_every_unsupported_construct_is_reported_with_its_reason(imported):
    reported = {r.item: r.reason for r in imported.skipped}
    assert set(reported) == set(SKIPPED)
    for item, fragment in SKIPPED.items():
        assert fragment in reported[item], (item, reported[item])
    metrics = _metrics(imported)
    assert not {"median_order_value", "weekly_order_total", "order_to_food_conversion"} & set(metrics)
    notes = " | ".join(str(n) for n in imported.notes)
    assert "entity 'store' of 'orders'" in notes and "dropped" in notes
    assert "fill_nulls_with is ignored" in notes
    assert "time_granularity hour is read as its day" in notes


def test_simple_metrics_keep_their_measure_units_and_filters(imported):
    metrics = _metrics(imported)
    assert metrics["order_total"]["units"] == "USD"  # config.meta.unit
    assert metrics["order_count"]["units"] == "count"  # sum of 1
    assert metrics["food_orders"]["units"] == "count"  # sum_boolean
    assert metrics["largest_order"]["description"] == "The metric largest_order (no description in dbt)."
    assert metrics["customer_count"]["type_params"] == {"measure": "customer_count"}  # create_metric: true
    assert metrics["eu_order_total"]["filter"] == [{"dimension": "region", "op": "=", "values": ["EU"]}]
    assert metrics["large_orders"]["filter"] == [{"dimension": "is_large_order", "op": "=", "values": [True]}]
    assert metrics["fulfilled_order_total_2024"]["filter"] == [
        {"dimension": "order_status", "op": "in", "values": ["completed", "shipped"]},
        {"dimension": "ordered_at", "op": ">=", "values": [dt.date(2024, 1, 1)]},
    ]


def test_ratio_and_derived_filters_move_to_generated_simple_metrics(imported):
    metrics = _metrics(imported)
    assert metrics["food_order_pct"]["type_params"] == {"numerator": "food_orders",
                                                        "denominator": "order_count"}
    share = metrics["eu_food_order_share"]
    assert share["type"] == "ratio" and "filter" not in share
    numerator = metrics[share["type_params"]["numerator"]]
    denominator = metrics[share["type_params"]["denominator"]]
    assert numerator["type_params"] == denominator["type_params"] == {"measure": "order_count"}
    eu = {"dimension": "region", "op": "=", "values": ["EU"]}
    assert numerator["filter"] == [eu, {"dimension": "is_food_order", "op": "=", "values": [True]}]
    assert denominator["filter"] == [eu]
    names = [m["name"] for m in imported.model["metrics"]]
    assert names.index(share["type_params"]["numerator"]) < names.index("eu_food_order_share")
    # aliases in a derived expression are replaced by the metric names
    per_customer = metrics["order_total_per_customer"]
    assert per_customer["type_params"] == {"expr": "order_total / customers_with_orders",
                                           "metrics": ["order_total", "customers_with_orders"]}
    assert per_customer["units"] == "USD"
    # a derived metric over metrics of two semantic models
    assert metrics["revenue_per_order"]["type_params"]["metrics"] == ["revenue", "order_count"]


def test_the_yaml_loads_and_lists_what_was_skipped(imported, tmp_path):
    text = render_yaml(imported, "shop_metrics/")
    assert text.startswith("# Semantic model imported by `asklytics model import-dbt` from the dbt project "
                           "shop_metrics/")
    assert "&id" not in text and "*id" not in text
    skipped = [line for line in text.splitlines() if line.startswith("# skipped: ")]
    assert len(skipped) == len(SKIPPED)
    for item in SKIPPED:
        assert any(item in line for line in skipped), item
    path = tmp_path / "model.yaml"
    path.write_text(text)
    model = load_semantic_model(path)
    assert {"order_total", "eu_food_order_share", "food_revenue_pct", "order_total_per_customer"} <= set(
        model.metrics)
    assert model.dimensions["region"].tables == ("customers",)


def test_build_folders_are_not_read_and_a_single_file_works(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    for folder in ("target", "dbt_packages/some_package", "logs", ".venv"):
        _write(project / folder, "broken.yml", "semantic_models: [\n")
    result = import_dbt_project(project, exclude=project / "model.yaml")
    assert _metrics(result).keys() == _metrics(import_dbt_project(PROJECT)).keys()
    # the output of an earlier import inside the project is not read as dbt YAML
    _write(project, "model.yaml", render_yaml(result, "project"))
    assert import_dbt_project(project, exclude=project / "model.yaml").model == result.model
    single = import_dbt_project(project / "models" / "marts" / "customers.yml")
    assert list(_tables(single)) == ["customers"]
    assert list(_metrics(single)) == ["eu_customers", "customer_count"]
    with pytest.raises(DbtImportError, match="'revenue_per_order' .* uses unknown metric 'order_count'"):
        import_dbt_project(project / "models" / "marts" / "order_items.yml")  # order_count is in orders.yml


ONE_MEASURE = ("semantic_models:\n  - name: a\n    model: ref('a')\n    measures:\n"
               "      - {name: m, agg: sum}\n")


@pytest.mark.parametrize(("files", "message"), [
    ({"models/a.yml": "semantic_models:\n  - name: a\n   bad: [\n"}, "models/a.yml: not valid YAML (line"),
    ({"models/a.yml": "version: 2\nmodels:\n  - name: a\n"}, "no semantic_models: found in 1 YAML file"),
    ({"models/a.yml": "models:\n  - name: a\n    semantic_model:\n      enabled: true\n"},
     "dbt 1.12+ (Fusion) spec"),
    ({"models/a.yml": ONE_MEASURE + "metrics:\n  - {name: x, type: simple, type_params: {measure: mm}}\n"},
     "metric 'x' (models/a.yml) uses unknown measure 'mm'; the project's measures: m"),
    ({"models/a.yml": ONE_MEASURE + "metrics:\n  - {name: r, type: ratio, type_params: {numerator: x, "
                                    "denominator: y}}\n"},
     "metric 'r' (models/a.yml) uses unknown metric 'x'"),
    ({"models/a.yml": "semantic_models:\n  - name: a\n    model: a_table\n"}, "model must be ref("),
    ({"models/a.yml": "semantic_models:\n  - name: a\n    model: ref('a')\n",
      "models/b.yml": "semantic_models:\n  - name: a\n    model: ref('b')\n"},
     "semantic model 'a' is defined twice (models/a.yml, models/b.yml)"),
    ({"models/a.yml": ONE_MEASURE.replace("sum", "mode")}, "agg 'mode', not a MetricFlow aggregation"),
    ({"models/a.yml": ONE_MEASURE + "metrics:\n  - {name: c, type: count, sql: id}\n"},
     "type 'count' is not a MetricFlow metric type"),
    ({"models/a.yml": ONE_MEASURE + "metrics:\n  - {name: x, type: simple, type_params: {measure: m}, "
                                    "filter: {region: EU}}\n"},
     "metric 'x' (models/a.yml): filter must be a string or a list of strings"),
])
def test_a_broken_project_is_an_actionable_error(tmp_path, files, message):
    for name, text in files.items():
        _write(tmp_path, name, text)
    with pytest.raises(DbtImportError) as raised:
        import_dbt_project(tmp_path)
    assert message in str(raised.value)


def test_no_files_and_no_such_path(tmp_path):
    with pytest.raises(DbtImportError, match="no .yml or .yaml files found"):
        import_dbt_project(tmp_path)
    with pytest.raises(DbtImportError, match="no such file or folder"):
        import_dbt_project(tmp_path / "missing")


MINI = """
semantic_models:
  - name: shipments
    model: ref('shipments', v=2)
    defaults: {agg_time_dimension: shipped_at}
    entities:
      - {name: shipment, type: primary, expr: shipment_id}
      - {name: customer, type: foreign, expr: customer_id}
      - {name: account, type: natural, expr: account_id}
    dimensions:
      - {name: shipped_at, type: time, type_params: {time_granularity: week}}
      - {name: region, type: categorical, description: Region the shipment goes to.}
      - {name: weight, type: categorical}
      - {name: metric_time, type: time, type_params: {time_granularity: day}}
      - {name: carrier, type: categorical, expr: "{{ var('carrier_column') }}"}
    measures:
      - {name: shipments, agg: count, expr: shipment_id}
  - name: customers
    model: "{{ ref('jaffle', 'customers') }}"
    entities:
      - {name: customer, type: primary, expr: customer_id}
    dimensions:
      - {name: region, type: categorical, description: Home region of the customer.}
      - {name: weight, type: time, type_params: {time_granularity: day}}
metrics:
  - name: weight
    description: Shipments, weighted.
    type: simple
    type_params: {measure: shipments}
  - name: shipments_to_eu_customers
    type: simple
    type_params: {measure: shipments}
    filter: "{{ Dimension('customer__region') }} = 'EU'"
  - name: shipments_to_eu
    type: simple
    type_params: {measure: shipments}
    filter: "{{ Dimension('shipment__region') }} = 'EU'"
"""


def test_names_relations_and_conformed_dimensions(tmp_path):
    result = import_dbt_project(_write(tmp_path, "models/mini.yml", MINI))
    tables = _tables(result)
    assert tables["shipments"]["table"] == "shipments_v2" and tables["customers"]["table"] == "customers"
    ship_dims = [d["name"] for d in tables["shipments"]["dimensions"]]
    # a dimension named like a metric, or a reserved name, gets the semantic model's name in front;
    # one declared as time elsewhere too; a Jinja expr is skipped
    assert ship_dims == ["shipped_at", "region", "shipments_weight", "shipments_metric_time"]
    assert [d["name"] for d in tables["customers"]["dimensions"]] == ["region", "customers_weight"]
    assert tables["shipments"]["dimensions"][0]["type_params"] == {"time_granularity": "week"}
    assert [e["name"] for e in tables["shipments"]["entities"]] == ["shipment", "customer"]
    reported = {r.item: r.reason for r in result.skipped}
    assert "natural keys" in reported["entity 'account' of 'shipments'"]
    assert "is not duckdb SQL" in reported["dimension 'carrier' of 'shipments'"]
    # dbt means the customer's region; Asklytics would read the shipment's own (nearer): not imported
    assert "Asklytics reads 'region' of 'shipments'" in reported["metric 'shipments_to_eu_customers'"]
    assert _metrics(result)["shipments_to_eu"]["filter"] == [
        {"dimension": "region", "op": "=", "values": ["EU"]}]
    path = tmp_path / "m.yaml"
    path.write_text(render_yaml(result, "mini"))
    load_semantic_model(path)


def _resolve(ref: DimensionRef) -> ResolvedRef:
    if ref.name == "ordered_at":
        return ResolvedRef("ordered_at", "time", "day")
    if ref.name == "metric_time":
        raise Untranslatable("metric_time")
    return ResolvedRef(ref.name, "categorical")


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ Dimension('customer__region') }} != 'EU'", [("region", "!=", ["EU"])]),
    ("{{ Dimension('customer__region') }} NOT IN ('EU', 'US')", [("region", "not in", ["EU", "US"])]),
    ("({{ Dimension('o__a') }} = 1 AND {{ Dimension('o__b') }} < 2.5) and {{Dimension('o__c')}} = -3",
     [("a", "=", [1]), ("b", "<", [2.5]), ("c", "=", [-3])]),
    ("{{ TimeDimension('order_id__ordered_at', 'day') }} BETWEEN '2024-01-01' AND '2024-01-31'",
     [("ordered_at", ">=", [dt.date(2024, 1, 1)]), ("ordered_at", "<=", [dt.date(2024, 1, 31)])]),
    ("{{ Dimension('order_id__ordered_at').grain('day') }} < '2024-02-01'",
     [("ordered_at", "<", [dt.date(2024, 2, 1)])]),
    ("NOT {{ Dimension('order_id__is_food_order') }}", [("is_food_order", "=", [False])]),
    ("{{ Dimension('region', entity_path=['customer']) }} = 'EU'", [("region", "=", ["EU"])]),
])
def test_filters_translate(text, expected):
    got = translate_filters([text], _resolve, "duckdb")
    assert [(f["dimension"], f["op"], f["values"]) for f in got] == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("{{ Dimension('customer__region') }} = 'EU' OR {{ Dimension('customer__region') }} = 'US'",
     "is not a comparison"),
    ("{{ Dimension('customer__region') }} IS NULL", "is not a comparison"),
    ("LOWER({{ Dimension('customer__region') }}) = 'eu'", "is not a comparison"),
    ("{{ Entity('customer') }} = 'c1'", "filters on entities are not supported"),
    ("{{ TimeDimension('metric_time', 'day') }} >= '2024-01-01'", "metric_time"),
    ("{{ TimeDimension('order_id__ordered_at', 'week') }} >= '2024-01-01'", "truncates 'ordered_at' to week"),
    ("{{ TimeDimension('order_id__ordered_at', 'day') }} >= 'yesterday'", "not a date"),
    ("{{ Dimension('customer__region') }} = {{ var('region') }}", "is not a Dimension or TimeDimension"),
    ("{% if true %}{{ Dimension('customer__region') }} = 'EU'{% endif %}", "has Jinja other than"),
    ("region = 'EU'", "which is not a {{ Dimension(...) }} reference"),
])
def test_filters_that_cannot_be_held_are_refused_with_a_reason(text, reason):
    with pytest.raises(Untranslatable) as raised:
        translate_filters([text], _resolve, "duckdb")
    assert reason in str(raised.value)


def test_the_yaml_of_the_fixture_matches_the_public_spec_shape():
    """Guards the fixture itself: every metric type of the spec is there."""
    types = {m["type"] for f in (PROJECT / "models").rglob("*.yml")
             for m in (yaml.safe_load(f.read_text()) or {}).get("metrics", [])}
    assert types == {"simple", "ratio", "derived", "cumulative", "conversion"}
