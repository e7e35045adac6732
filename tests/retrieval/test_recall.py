"""recall@5 on the hand-labelled questions (docs/benchmarks.md reports the same figure)."""
from __future__ import annotations

from pathlib import Path

from retrieval.recall import load_labelled, recall_at_k, store_search

LABELLED = load_labelled(Path(__file__).with_name("labelled_queries.yaml"))


def test_the_labelled_set_is_large_and_names_real_items(store):
    assert len(LABELLED) >= 100
    unknown = {item for query in LABELLED for item in query.expected if store.get(item, scope="acme") is None}
    assert unknown == set()


def test_recall_at_5_meets_the_target(store):
    report = recall_at_k(store_search(store, scope="acme"), LABELLED, k=5)
    assert report.expected >= 200
    assert report.recall >= 0.95, f"recall@5 {report.recall:.3f}; misses: {report.misses}"
    assert min(report.kind_recall(kind) for kind in report.by_kind) >= 0.9
