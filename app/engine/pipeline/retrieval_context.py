"""Retrieved context for the LLM planner: metrics, dimensions, columns, docs, verified examples.

Only the LLM planner reads it (the offline planner matches the semantic model directly), so
the assistant retrieves only when an LLM planner is configured. Retrieval is per tenant: the
context holds the built-in examples and the asking tenant's learned ones, never another's.
"""
from __future__ import annotations

from typing import Any

from retrieval import Hit, RetrievalStore


def retrieved_for_planner(store: RetrievalStore, question: str, *, scope: str) -> dict[str, list[Any]]:
    """What tenant ``scope``'s planner sees about ``question``."""
    return as_planning_context(store.retrieve(question, scope=scope))


def as_planning_context(hits_by_kind: dict[str, list[Hit]]) -> dict[str, list[Any]]:
    """``PlanningContext.retrieved``: examples as question/answer pairs, other hits as text."""
    return {kind: [_example(h) if kind == "example" else h.text for h in hits]
            for kind, hits in hits_by_kind.items() if hits}


def _example(hit: Hit) -> dict[str, Any]:
    meta = hit.metadata
    return {"question": meta.get("question", hit.text), "semantic_query": meta.get("semantic_query") or None,
            "sql": meta.get("sql") or None}
