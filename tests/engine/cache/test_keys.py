"""Normalized text (the exact tier's key), scope keys, model versions, prices."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.engine.cache.keys import CacheScope, context_signature, model_version, normalize_question
from app.engine.cache.pricing import cost_usd, price_for
from app.engine.planning.plan import SemanticQueryPlan
from semantic_layer import DEMO_MODEL_PATH, SemanticQuery, load_semantic_model


@pytest.mark.parametrize(("a", "b"), [
    ("Revenue last week?", "  revenue   LAST week "),
    ("installs, by platform!", "installs by platform"),
    ("top 1,000 campaigns", "top 1000 campaigns"),
    ("spend \u2014 last month", "spend - last month"),
    ("Installs in Germany", "installs in germany."),
])
def test_normalization_removes_only_meaningless_differences(a, b):
    assert normalize_question(a) == normalize_question(b)


@pytest.mark.parametrize(("a", "b"), [
    ("top 5 campaigns", "top 5% campaigns"),
    ("revenue 1.5", "revenue 15"),
    ("revenue 1.5", "revenue 1 5"),
    ("top 5 campaigns", "top 50 campaigns"),
    ("installs not iOS", "installs iOS"),
    ("revenue this week", "revenue last week"),
])
def test_normalization_keeps_meaningful_differences(a, b):
    assert normalize_question(a) != normalize_question(b)


def test_every_scope_field_changes_the_key():
    base = CacheScope("tenant-a", "duckdb:1", "v1", dt.date(2026, 7, 1), "")
    changed = [dataclasses.replace(base, tenant="tenant-b"),
               dataclasses.replace(base, warehouse_id="duckdb:2"),
               dataclasses.replace(base, model_version="v2"),
               dataclasses.replace(base, as_of=dt.date(2026, 7, 2)),
               dataclasses.replace(base, context="abc")]
    assert len({base.key, *(s.key for s in changed)}) == 6


def test_context_signature_follows_the_last_plan_only():
    first = SemanticQueryPlan(query=SemanticQuery(metrics=["installs"]), confidence=0.9)
    second = SemanticQueryPlan(query=SemanticQuery(metrics=["revenue"]))
    assert context_signature(()) == ""
    assert context_signature((first,)) != context_signature((second,))
    less_sure = first.model_copy(update={"confidence": 0.5})
    assert context_signature((second, first)) == context_signature((less_sure,))


def test_model_version_changes_with_the_model_and_the_schema(duckdb_wh):
    model = load_semantic_model(DEMO_MODEL_PATH)
    schema = duckdb_wh.schema()
    version = model_version(model, schema)
    assert version == model_version(load_semantic_model(DEMO_MODEL_PATH), schema)
    edited = model.spec.model_copy(update={"metrics": model.spec.metrics[:-1]})
    assert model_version(type(model)(edited), schema) != version
    assert model_version(model, None) != version


def test_prices_pick_the_most_specific_model():
    assert price_for("llm:openai/gpt-4o-mini") == (0.00015, 0.0006)
    assert price_for("llm:openai/gpt-4o") == (0.0025, 0.01)
    assert price_for("llm:x/unknown-model") == (0.0, 0.0)
    assert price_for("llm:x/mine", {"mine": [1.0, 2.0]}) == (1.0, 2.0)
    assert cost_usd("llm:openai/gpt-4o", 2000, 1000) == pytest.approx(0.005 + 0.01)
