"""Collections are rebuilt exactly when their content changes (counted, not timed)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from retrieval import RetrievalStore, get_embedder
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
from warehouse.base import Schema, SchemaColumn, SchemaTable

TENANT = "acme"


@pytest.fixture
def sources(tmp_path):
    examples = tmp_path / "examples.yaml"
    examples.write_text("examples:\n  - question: Spend by network\n    semantic_query: {metrics: [cost]}\n")
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "roas.md").write_text("# ROAS\n\nAttributed revenue divided by cost.\n")
    return {"examples_path": examples, "glossary_dir": glossary}


def _open(path, model, schema, sources) -> RetrievalStore:
    return RetrievalStore.open(path, semantic_model=model, schema=schema, **sources)


def _schema(*extra_columns: str) -> Schema:
    columns = (SchemaColumn("install_id", "VARCHAR"), SchemaColumn("country", "VARCHAR", ("DE", "US")))
    columns += tuple(SchemaColumn(name, "VARCHAR") for name in extra_columns)
    return Schema({"installs": SchemaTable("installs", columns)})


def test_unchanged_content_is_reused_without_embedding(tmp_path, semantic_model, sources,
                                                       no_network, no_default_embedding):
    embedder = get_embedder()
    first = _open(tmp_path / "index", semantic_model, _schema(), sources)
    assert first.rebuilt == ("metric", "dimension", "column", "example", "doc")
    before = embedder.encoded_texts
    second = _open(tmp_path / "index", semantic_model, _schema(), sources)
    assert second.rebuilt == ()
    assert embedder.encoded_texts == before
    assert second.content_hash == first.content_hash
    assert second.search("return on ad spend", scope=TENANT, kinds=["metric"], k=1)[0].id == "metric:roas"


def test_a_schema_change_rebuilds_the_columns_only(tmp_path, semantic_model, sources):
    first = _open(tmp_path / "index", semantic_model, _schema(), sources)
    changed = _open(tmp_path / "index", semantic_model, _schema("device_model"), sources)
    assert changed.rebuilt == ("column",)
    assert changed.content_hash != first.content_hash
    found = changed.search("phone model", scope=TENANT, kinds=["column"], k=1)
    assert found[0].id == "column:installs.device_model"


def test_a_model_change_rebuilds_what_it_touches(tmp_path, semantic_model, sources):
    _open(tmp_path / "index", semantic_model, _schema(), sources)
    edited = tmp_path / "model.yaml"
    text = DEMO_MODEL_PATH.read_text().replace("synonyms: [spend, ad spend,",
                                               "synonyms: [burn rate, spend, ad spend,")
    edited.write_text(text)
    changed = _open(tmp_path / "index", load_semantic_model(edited), _schema(), sources)
    # The example aliases quote metric synonyms, so the examples follow the model.
    assert changed.rebuilt == ("metric", "example")
    assert changed.search("burn rate", scope=TENANT, kinds=["metric"], k=1)[0].id == "metric:cost"


def test_a_build_that_died_half_way_is_redone(tmp_path, semantic_model, sources):
    store = _open(tmp_path / "index", semantic_model, _schema(), sources)
    collection = store._vectors._collections["asklytics_doc"]
    collection.modify(metadata={"content_hash": "building"})
    assert _open(tmp_path / "index", semantic_model, _schema(), sources).rebuilt == ("doc",)


def test_telemetry_is_off(tmp_path, semantic_model, sources):
    store = _open(tmp_path / "index", semantic_model, _schema(), sources)
    assert store._vectors._client.get_settings().anonymized_telemetry is False


def test_docs_hash_changes_with_the_embedding_model(semantic_model):
    from retrieval.corpus import content_hash
    from retrieval.documents import metric_docs

    docs = metric_docs(semantic_model)
    assert content_hash(docs, "model:a") != content_hash(docs, "model:b")
    assert content_hash(docs, "model:a") != content_hash([replace(docs[0], text="x"), *docs[1:]], "model:a")
