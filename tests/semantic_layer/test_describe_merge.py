"""``model init --describe`` without an LLM: the catalog it is shown, its reply read as data (JSON
only, item by item), and the merge -- placeholders replaced, written descriptions kept, synonyms
that collide, run long or are dimension values dropped, unknown names ignored."""

from __future__ import annotations

import copy

import duckdb
import pytest

from semantic_layer.bootstrap import bootstrap_model
from semantic_layer.describe import (
    DescribeReplyError,
    is_generated_description,
    merge_suggestions,
    parse_suggestions,
)
from semantic_layer.describe_catalog import build_catalog, pack
from semantic_layer.rules import check_synonyms
from semantic_layer.schema import SemanticModelFile
from warehouse.duckdb import DuckDBWarehouse


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """Orders (vendor column names, a key with no table) and the customers they join to."""
    path = tmp_path_factory.mktemp("shop") / "shop.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute('CREATE TABLE "Orders Export" ("Order ID" VARCHAR, "Ordered At" TIMESTAMP, '
                     '"Country" VARCHAR, "Amount EUR" DOUBLE, customer_id VARCHAR, session_id VARCHAR)')
        conn.execute("""INSERT INTO "Orders Export" SELECT 'o' || i, TIMESTAMP '2026-05-01 10:00:00'
                        + i * INTERVAL 3 HOUR, ['FR', 'IT', 'FR'][i % 3 + 1], 10 + i, 'c' || (i % 50),
                        's' || (i % 7) FROM range(300) t(i)""")
        conn.execute("CREATE TABLE customers (customer_id VARCHAR, tier VARCHAR, signed_up DATE)")
        conn.execute("INSERT INTO customers SELECT 'c' || i, ['gold', 'basic'][i % 2 + 1], "
                     "DATE '2026-01-01' + CAST(i AS INTEGER) FROM range(60) t(i)")
    with DuckDBWarehouse(path) as wh:
        schema = wh.schema()
        model = bootstrap_model(schema, lambda sql: wh.execute(sql).rows)
        catalog = build_catalog(model, schema, lambda sql: wh.execute(sql).rows)
    return model, catalog


def reply(**kinds) -> str:
    import json

    return json.dumps(kinds)


def test_every_description_model_init_writes_is_a_placeholder(shop, duckdb_wh):
    demo = bootstrap_model(duckdb_wh.schema(), lambda sql: duckdb_wh.execute(sql).rows)
    for model in (shop[0], demo):
        items = [t for t in model["semantic_models"]] + model["metrics"] + [
            i for t in model["semantic_models"] for k in ("dimensions", "measures") for i in t.get(k, [])]
        assert [i["description"] for i in items if not is_generated_description(i["description"])] == []
    assert not is_generated_description("One row is an order placed in the web shop.")


def test_the_catalog_shows_columns_keys_values_and_metrics(shop):
    _, catalog = shop
    (text,) = catalog.batches
    assert 'table orders_export (warehouse table "Orders Export", 300 rows)' in text
    assert '"Amount EUR" DOUBLE' in text and "keys: order (primary" in text
    assert 'dimension country (categorical, "Country"): values FR, IT' in text  # most frequent first
    assert "metric total_amount_eur (simple, measure orders_export_amount_eur_total" in text
    assert "[synonyms already: customers, number of customers]" in text
    assert "TODO" not in text and "Sum of" not in text  # placeholders are not shown as descriptions
    assert {"FR", "IT", "gold", "basic"} <= catalog.values


def test_a_large_catalog_is_sent_in_batches():
    batches = pack(["a" * 40, "b" * 40, "c" * 100, "d"], budget=90)
    assert batches == ["a" * 40 + "\n\n" + "b" * 40, "c" * 100, "d"]


@pytest.mark.parametrize("text", [
    reply(metrics={"total_amount_eur": {"description": "Order value in euros."}}),
    "```json\n" + reply(metrics={"total_amount_eur": {"description": "Order value in euros."}}) + "\n```",
    "  ```\n" + reply(metrics={"total_amount_eur": {"description": "Order value in euros."}}) + "```\n",
])
def test_json_alone_or_in_one_fence_is_read(text):
    found = parse_suggestions(text)
    assert found.items["metrics"]["total_amount_eur"].description == "Order value in euros."


@pytest.mark.parametrize("text, message", [
    ("Sure! Here are the descriptions: {}", "not JSON"),
    ('Here you go:\n```json\n{"metrics": {}}\n```', "not JSON"),  # prose around the fence
    ("[1, 2]", "JSON list, not an object"),
    ("", "not JSON"),
])
def test_anything_else_is_refused(text, message):
    with pytest.raises(DescribeReplyError, match=message):
        parse_suggestions(text)


def test_malformed_items_are_skipped_one_by_one():
    found = parse_suggestions(reply(
        metrics={"a": {"description": 42}, "b": {"synonyms": "sales"}, "c": {"synonyms": ["ok"]}},
        dimensions=["not", "an", "object"],
    ))
    assert list(found.items["metrics"]) == ["c"]
    assert [s.split(":")[0] for s in found.skipped] == ["dimensions", "metrics.a", "metrics.b"]


def test_merge_replaces_placeholders_and_adds_synonyms(shop):
    model = copy.deepcopy(shop[0])
    found = parse_suggestions(reply(
        tables={"orders_export": {"description": "One row is an order from the web shop."}},
        dimensions={"country": {"description": "Country the order ships to.",
                                "synonyms": ["shipping country", "market", "Market"]}},
        measures={"orders_export_amount_eur_total": {"description": "Sum of order amounts in EUR."}},
        metrics={"total_amount_eur": {"description": "Order value in euros.",
                                      "synonyms": ["revenue", "sales", "gmv"]}},
    ))
    report = merge_suggestions(model, found)
    orders = model["semantic_models"][0]
    assert orders["description"] == "One row is an order from the web shop."
    country = next(d for d in orders["dimensions"] if d["name"] == "country")
    assert country["synonyms"] == ["shipping country", "market"]  # "Market" is the same word
    metric = next(m for m in model["metrics"] if m["name"] == "total_amount_eur")
    assert metric["synonyms"] == ["revenue", "sales", "gmv"]
    assert metric["description"] == "Order value in euros." and metric["units"] == "number"
    assert (report.descriptions, report.synonyms, report.unknown, report.dropped) == (4, 5, [], [])
    assert list(check_synonyms(SemanticModelFile.model_validate(model))) == []


def test_written_descriptions_are_kept_and_unknown_names_ignored(shop):
    model = copy.deepcopy(shop[0])
    model["metrics"][0]["description"] = "Orders placed, cancelled ones included."
    name = model["metrics"][0]["name"]
    found = parse_suggestions(reply(
        metrics={name: {"description": "Number of orders."}, "revenu": {"description": "x"}},
        tables={"order_lines": {"description": "x"}}, measures={"nope": {"synonyms": ["x"]}},
    ))
    report = merge_suggestions(model, found)
    assert model["metrics"][0]["description"] == "Orders placed, cancelled ones included."
    assert report.kept == 1 and report.descriptions == 0
    assert report.unknown == ["table 'order_lines'", "measure 'nope'", "metric 'revenu'"]


def test_colliding_long_and_value_synonyms_are_dropped(shop):
    model, catalog = copy.deepcopy(shop[0]), shop[1]
    before = copy.deepcopy(model)
    found = parse_suggestions(reply(
        dimensions={
            "country": {"synonyms": ["customers", "Tier", "FR", "date", "place", "nation"]},
            "tier": {"synonyms": ["customer level", "place",
                                  "loyalty tier that the customer was given at sign up"]},
        },
        metrics={"total_amount_eur": {"synonyms": ["Number-of customers", "total amount eur",
                                                    *"abcdefg"]}},
    ))
    report = merge_suggestions(model, found, avoid=catalog.values)
    dims = {d["name"]: d for t in model["semantic_models"] for d in t.get("dimensions", [])}
    assert dims["country"]["synonyms"] == ["nation"]
    assert dims["tier"]["synonyms"] == ["customer level"]
    metric = next(m for m in model["metrics"] if m["name"] == "total_amount_eur")
    assert metric["synonyms"] == ["a", "b", "c", "d", "e", "f"]  # its own name is no synonym; at most 6
    reasons = " | ".join(report.dropped)
    for expected in ("'customers' for country: already names customers_count",
                     "'Tier' for country: already names tier", "'FR' for country: is a value of a dimension",
                     "'date' for country: already names metric_time",
                     "'place' for country: also suggested for tier",
                     "'place' for tier: also suggested for country",
                     "for tier: longer than 40 characters",
                     "'Number-of customers' for total_amount_eur: already names customers_count",
                     "'g' for total_amount_eur: more than 6 new synonyms"):
        assert expected in reasons
    assert before["semantic_models"][1]["dimensions"] == [
        {k: v for k, v in d.items() if k != "synonyms"} for d in model["semantic_models"][1]["dimensions"]]
    assert list(check_synonyms(SemanticModelFile.model_validate(model))) == []
