"""``model init --describe`` asks a chat model for descriptions and synonyms (LangChain fake chat
models here): its reply is data -- JSON, alone or fenced, merged item by item -- and junk, a
provider error or colliding names cost descriptions, never the model."""

from __future__ import annotations

import copy
import json

import pytest
from fake_chat import prose, scripted
from shop_warehouse import SHOP_SUGGESTIONS, build_shop

from app.engine.planning.llm.backoff import BackoffPolicy
from app.engine.planning.llm.describer import ModelDescriber
from semantic_layer.bootstrap import bootstrap_model
from semantic_layer.describe import merge_suggestions
from semantic_layer.describe_catalog import build_catalog
from semantic_layer.rules import check_synonyms
from semantic_layer.schema import SemanticModelFile
from warehouse.duckdb import DuckDBWarehouse


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    path = build_shop(tmp_path_factory.mktemp("shop") / "shop.duckdb")
    with DuckDBWarehouse(path) as wh:
        model = bootstrap_model(wh.schema(), lambda sql: wh.execute(sql).rows)
        catalog = build_catalog(model, wh.schema(), lambda sql: wh.execute(sql).rows)
    return model, catalog


def describer(*replies) -> ModelDescriber:
    return ModelDescriber(scripted(*replies), provider_label="fake/describer",
                          backoff=BackoffPolicy(retries=1), sleep=[].append)


def described(shop, *replies):
    model, catalog = copy.deepcopy(shop[0]), shop[1]
    result = describer(*replies).describe(catalog.batches)
    return model, result, merge_suggestions(model, result.suggestions, avoid=catalog.values)


def by_name(model):
    items = {t["name"]: t for t in model["semantic_models"]}
    items.update({i["name"]: i for t in model["semantic_models"] for k in ("dimensions", "measures")
                  for i in t.get(k, [])})
    items.update({m["name"]: m for m in model["metrics"]})
    return items


def test_good_json_lands_in_the_model_and_the_prompt_holds_the_catalog(shop):
    describing = describer(prose(json.dumps(SHOP_SUGGESTIONS), tokens=(900, 200)))
    result = describing.describe(shop[1].batches)
    model = copy.deepcopy(shop[0])
    report = merge_suggestions(model, result.suggestions, avoid=shop[1].values)
    items = by_name(model)
    assert items["orders_export"]["description"] == "One row is an order placed in the web shop."
    assert items["country"]["synonyms"] == ["shipping country", "market"]
    assert items["total_amount_eur"]["synonyms"] == ["revenue", "sales", "gmv"]
    assert items["orders_export_count"]["synonyms"] == [
        "orders export", "number of orders export", "orders", "order count"]  # merged after its own
    assert items["orders_export_amount_eur_total"]["description"] == "Sum of order amounts in euros."
    assert (report.descriptions, report.synonyms, result.warnings) == (7, 9, [])
    assert result.usage.to_contract() == {"llm_calls": 1, "prompt_tokens": 900, "completion_tokens": 200}
    (system, user), = describing.chat_model.received
    assert "exactly one JSON object" in system.content and "up to 6 words" in system.content
    assert 'dimension country (categorical, "Country"): values' in user.content
    assert '"Amount EUR" DOUBLE' in user.content and "part 1" not in user.content


def test_fenced_json_is_read(shop):
    model, result, report = described(shop, prose("```json\n" + json.dumps(SHOP_SUGGESTIONS) + "\n```"))
    assert by_name(model)["tier"]["synonyms"] == ["customer tier", "loyalty level"]
    assert report.descriptions == 7 and result.failed_batches == 0


@pytest.mark.parametrize("junk", [
    "I'd describe orders_export as the orders table.",
    "Sure:\n```json\n" + json.dumps(SHOP_SUGGESTIONS) + "\n```\nAnything else?",
    '{"metrics": {"total_amount_eur": ',
    json.dumps([SHOP_SUGGESTIONS]),
])
def test_junk_adds_nothing_and_says_why(shop, junk):
    model, result, report = described(shop, prose(junk))
    assert model == shop[0] and report.descriptions == report.synonyms == 0
    assert result.failed_batches == 1 and "the model's reply was not used" in result.warnings[0]


def test_colliding_synonyms_and_unknown_names_are_dropped(shop):
    reply = {
        "dimensions": {"country": {"synonyms": ["tier", "FR", "place", "nation"]},
                       "tier": {"synonyms": ["place", "Customers"]},
                       "plan": {"description": "Subscription plan.", "synonyms": ["plan"]}},
        "metrics": {"total_amount_eur": {"synonyms": ["x" * 41, "sales"]},
                    "revenue": {"description": "Revenue.", "synonyms": ["income"]}},
        "tables": {"orders": {"description": "Orders."}},
        "run_sql": {"sql": "DROP TABLE customers"},  # not a kind: ignored, and nothing is ever run
    }
    model, _, report = described(shop, prose(json.dumps(reply)))
    items = by_name(model)
    assert items["country"]["synonyms"] == ["nation"] and "synonyms" not in items["tier"]
    assert items["total_amount_eur"]["synonyms"] == ["sales"]
    assert sorted(report.unknown) == ["dimension 'plan'", "metric 'revenue'", "table 'orders'"]
    assert len(report.dropped) == 6 and report.synonyms == 2
    assert list(check_synonyms(SemanticModelFile.model_validate(model))) == []


def test_a_malformed_item_is_skipped_and_the_rest_kept(shop):
    reply = copy.deepcopy(SHOP_SUGGESTIONS)
    reply["metrics"]["total_amount_eur"]["synonyms"] = "revenue"  # not a list
    model, result, report = described(shop, prose(json.dumps(reply)))
    assert "synonyms" not in by_name(model)["total_amount_eur"] and report.descriptions == 6
    assert result.warnings == [
        "the catalog: skipped metrics.total_amount_eur: synonyms: Input should be a valid list"]


class Unauthorized(Exception):
    status_code = 401


class Failing:
    def __init__(self):
        self.calls = 0

    def invoke(self, messages):
        self.calls += 1
        raise Unauthorized("no")


def test_a_provider_error_adds_nothing_and_stops_asking():
    failing = Failing()
    result = ModelDescriber(failing, provider_label="openai/gpt-4o-mini").describe(["a", "b", "c"])
    assert failing.calls == 1 and result.failed_batches == 3 and len(result.suggestions) == 0
    assert result.warnings == [
        ("part 1 of 3: the language model (openai/gpt-4o-mini) rejected the request: HTTP 401 "
         "(check the API key)"), "the other parts were not sent"]


def test_batches_are_asked_one_by_one_and_a_bad_one_does_not_spoil_the_others(shop):
    first = {k: v for k, v in SHOP_SUGGESTIONS.items() if k == "tables"}
    describing = describer(prose(json.dumps(first)), prose("no idea"), prose(json.dumps({"metrics": {}})))
    result = describing.describe(["table orders_export", "table customers", "metrics of several tables"])
    assert len(result.suggestions) == 2 and result.failed_batches == 1
    assert result.warnings == [("part 2 of 3: the model's reply was not used: the reply is not JSON "
                                "(Expecting value: line 1 column 1 (char 0))")]
    assert [m[1].content.splitlines()[0] for m in describing.chat_model.received] == [
        f"Catalog (part {n} of 3; describe only the items shown here):" for n in (1, 2, 3)]
