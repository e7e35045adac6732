"""Retrieval: find the metrics, dimensions, columns, examples and docs a question is about.

Public API::

    emb = get_embedder()                      # MiniLM, loaded once per process
    store = RetrievalStore.open(persist_dir, semantic_model=model, schema=schema)
    store.search("roas by network last month", scope="acme", kinds=["metric", "dimension"], k=5)  # [Hit]
    store.retrieve("roas by network last month", scope="acme")  # {kind: [Hit]} for a planner's context
    store.add_example(question, semantic_query, sql, scope="acme")  # learned from acme's thumbs-up

Every search names the asking tenant (``scope``): it sees the built-in docs and that
tenant's learned examples, never another tenant's.
"""
from retrieval.documents import KINDS, RetrievalDoc
from retrieval.embedder import Embedder, EmbedderError, get_embedder
from retrieval.store import Hit, RetrievalStore

__all__ = ["KINDS", "Embedder", "EmbedderError", "Hit", "RetrievalDoc", "RetrievalStore", "get_embedder"]
