"""The demo model's catalog: every metric and dimension of the spec, resolved the spec's way."""
from __future__ import annotations

import shutil

import pytest

from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

SPEC_METRICS = [
    "cost", "impressions", "clicks", "ctr", "installs", "paid_installs", "organic_installs", "cvr", "cpi",
    "revenue", "attributed_revenue", "roas", "fraud_installs", "fraud_rate", "paying_users", "arpu", "arppu",
    "dau", "sessions", "retention_d1", "retention_d7", "retention_d30",
]
SPEC_DIMENSIONS = [
    "campaign_id", "campaign_name", "media_source", "channel", "ad_format", "platform", "country",
    "device_model", "os_version", "event_name", "fraud_type", "is_fraud", "is_organic", "metric_time",
]


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


def test_every_spec_metric_and_dimension_is_in_the_catalog(model):
    assert set(SPEC_METRICS) <= set(model.metrics)
    assert set(SPEC_DIMENSIONS) <= set(model.dimensions)


def test_every_metric_carries_description_units_and_synonyms(model):
    for metric in model.metrics.values():
        assert metric.description and metric.units in ("USD", "ratio", "count", "%"), metric.name
        assert metric.synonyms, metric.name


@pytest.mark.parametrize(("table", "dimension", "home"), [
    ("ad_spend", "platform", "campaigns"),       # spend has no platform: the campaign's
    ("installs", "platform", "installs"),        # installs: their own column (organic included)
    ("events", "country", "installs"),           # revenue: the install's country
    ("events", "campaign_name", "campaigns"),    # attribution through the user's install
    ("install_retention", "platform", "installs"),
])
def test_conformed_dimension_resolves_to_the_nearest_table(model, table, dimension, home):
    assert model.resolve_dimension(table, dimension).table.name == home


def test_no_join_path_to_a_one_to_many_side(model):
    # ad_spend -> campaigns is many-to-one; campaigns never joins back out to installs or events.
    assert model.resolve_dimension("ad_spend", "event_name") is None
    assert model.resolve_dimension("campaigns", "device_model") is None


def test_version_hash_is_stable_and_tracks_content(model, tmp_path):
    assert load_semantic_model(DEMO_MODEL_PATH).version_hash == model.version_hash
    copy = tmp_path / "demo.yaml"
    shutil.copy(DEMO_MODEL_PATH, copy)
    assert load_semantic_model(copy).version_hash == model.version_hash
    copy.write_text(copy.read_text().replace("Ad spend, SUM", "Spend, SUM"))
    assert load_semantic_model(copy).version_hash != model.version_hash


def test_synonyms_resolve_to_one_item_each(model):
    owners = {}
    for name, item in list(model.metrics.items()) + list(model.dimensions.items()):
        for synonym in item.synonyms:
            assert owners.setdefault(synonym.lower(), name) == name
    assert owners["return on ad spend"] == "roas" and owners["spend"] == "cost"
    assert owners["cost per install"] == "cpi" and owners["click-through rate"] == "ctr"
