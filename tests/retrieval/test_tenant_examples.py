"""Learned (thumbs-up) examples belong to one tenant: its searches find them, no other tenant's do.

Each ranking side is attacked on its own (vector entries, BM25), then the whole search,
the stored scope across a reopen, and examples stored before they carried a scope.
"""
from __future__ import annotations

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from retrieval import KINDS, RetrievalStore
from retrieval.example_docs import example_doc, learned_example_id
from retrieval.store import LEARNED
from retrieval.vector_index import MiniLMEmbeddingFunction

QUESTION = "Which zorblax campaigns bring the most Android installs?"
QUERY = {"metrics": ["installs"], "dimensions": ["campaign_name"], "filters": ["platform = 'Android'"]}
SIMILAR = ["zorblax campaigns with the most android installs", "top zorblax campaigns by installs on Android"]
EVERY_KIND = {kind: 50 for kind in KINDS}


@pytest.fixture()
def fresh(tmp_path, semantic_model):
    """``fresh()``: a store over the demo model, examples and glossary in one folder (reopened per call)."""
    return lambda: RetrievalStore.open(tmp_path / "index", semantic_model=semantic_model, schema=None)


def _ids(store: RetrievalStore, question: str, scope: str) -> set[str]:
    """Everything ``scope`` can retrieve for ``question``, every kind, deep."""
    return {hit.id for hits in store.retrieve(question, EVERY_KIND, scope=scope).values() for hit in hits}


def test_a_tenants_example_is_retrieved_by_it_and_by_no_other_tenant(fresh):
    store = fresh()
    taught = store.add_example(QUESTION, QUERY, "SELECT 'acme only'", scope="acme")
    for question in (QUESTION, *SIMILAR):
        assert store.search(question, scope="acme", kinds=["example"], k=1)[0].id == taught
        assert taught in _ids(store, question, "acme")
        assert taught not in _ids(store, question, "globex")
        assert taught not in {hit.id for hit in store.search(question, scope="globex", k=200)}
    assert store.get(taught, scope="acme") is not None
    assert store.get(taught, scope="globex") is None
    assert store.get("example:1", scope="globex") is not None  # the bundled examples are everyone's


def test_neither_ranking_side_shows_another_tenants_example(fresh):
    store = fresh()
    taught = store.add_example(QUESTION, QUERY, None, scope="acme")
    vector = store._vectors.embedder.encode_query(QUESTION)
    collections = ["asklytics_example", LEARNED]

    def by_vector(scope):
        return {doc_id for doc_id, _ in store._vectors.query(collections, vector, 500, scope=scope)}

    def by_words(scope):
        return {doc_id for doc_id, _ in store._lexical_for(scope).search(QUESTION, KINDS, 500)}

    assert taught in by_vector("acme") and taught in by_words("acme")
    assert taught not in by_vector("globex") and taught not in by_words("globex")


def test_another_tenants_examples_leave_a_tenants_results_exactly_as_they_were(fresh):
    """Not only hidden: BM25 word statistics must not carry acme's examples into globex's scores."""
    store = fresh()
    questions = [QUESTION, "installs by campaign on android", "what is roas", "spend by network last month"]
    before = {q: store.retrieve(q, EVERY_KIND, scope="globex") for q in questions}
    for n, question in enumerate([QUESTION, *SIMILAR, "android installs by campaign and network"]):
        store.add_example(question, QUERY, f"SELECT {n}", scope="acme")
    assert {q: store.retrieve(q, EVERY_KIND, scope="globex") for q in questions} == before


def test_the_same_question_in_two_tenants_is_two_examples(fresh):
    store = fresh()
    acme = store.add_example(QUESTION, QUERY, "SELECT 'acme'", scope="acme")
    globex = store.add_example(QUESTION.upper(), QUERY, "SELECT 'globex'", scope="globex")
    assert acme != globex  # globex's thumbs-up does not overwrite acme's example

    def learned_sql(scope):
        hits = store.search(QUESTION, scope=scope, kinds=["example"], k=5)
        return [hit.metadata["sql"] for hit in hits if hit.id.startswith("example:learned-")]

    assert learned_sql("acme") == ["SELECT 'acme'"]
    assert learned_sql("globex") == ["SELECT 'globex'"]


def test_an_examples_scope_survives_a_reopen(fresh):
    taught = fresh().add_example(QUESTION, QUERY, None, scope="acme")
    again = fresh()
    assert again.rebuilt == ()
    assert again.get(taught, scope="acme").scope == "acme"
    assert taught in _ids(again, QUESTION, "acme")
    assert taught not in _ids(again, QUESTION, "globex")


def test_examples_stored_before_scopes_existed_belong_to_the_default_scope(fresh, tmp_path):
    fresh()  # builds the folder
    legacy_id = learned_example_id(QUESTION, "default")  # the id every example had before scopes
    _store_unscoped_example(tmp_path / "index", example_doc(legacy_id, QUESTION, QUERY, "SELECT 'old'"))
    store = fresh()
    assert store.get(legacy_id, scope="default").scope == "default"
    assert legacy_id in _ids(store, QUESTION, "default")
    assert legacy_id not in _ids(store, QUESTION, "acme")
    client = chromadb.PersistentClient(str(tmp_path / "index"),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    stored = client.get_collection(LEARNED).get(include=["metadatas"])["metadatas"]
    assert {meta["scope"] for meta in stored} == {"default"}  # written back: the scope is now on disk
    # a thumbs-up in the default scope on the same question still replaces the old example
    assert store.add_example(QUESTION, QUERY, "SELECT 'new'", scope="default") == legacy_id
    hits = store.search(QUESTION, scope="default", kinds=["example"], k=5)
    assert [hit.metadata["sql"] for hit in hits if hit.id == legacy_id] == ["SELECT 'new'"]


def _store_unscoped_example(folder, doc) -> None:
    """What the code before scopes wrote: the same entries, no ``scope`` key."""
    from retrieval.embedder import get_embedder

    client = chromadb.PersistentClient(str(folder), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection(LEARNED, embedding_function=MiniLMEmbeddingFunction(),
                                                 configuration={"hnsw": {"space": "cosine"}})
    meta = {**{f"doc.{k}": v for k, v in doc.metadata.items()}, "item": doc.id, "kind": doc.kind, "entry": 0}
    collection.upsert(ids=[f"{doc.id}#0"], embeddings=get_embedder().encode([doc.text]), documents=[doc.text],
                      metadatas=[meta])


def test_searching_and_learning_need_the_tenants_scope(store):
    with pytest.raises(TypeError, match="scope"):
        store.search("installs")
    with pytest.raises(TypeError, match="scope"):
        store.retrieve("installs")
    with pytest.raises(TypeError, match="scope"):
        store.add_example(QUESTION, QUERY, None)
    for blank in ("", "  ", None):
        with pytest.raises(ValueError, match="scope"):
            store.search("installs", scope=blank)
        with pytest.raises(ValueError, match="scope"):
            store.add_example(QUESTION, QUERY, None, scope=blank)
