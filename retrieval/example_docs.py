"""Verified example questions with the semantic query (or SQL) that answers them.

Examples come from a YAML file in the repo (``examples/demo_examples.yaml``,
checked by a test to compile with the semantic layer) and from people at run
time (a thumbs-up on an answer). Planners use them as few-shot examples, so
the query travels in the hit's metadata as JSON (chroma metadata is flat).

A learned example belongs to the tenant (scope) whose user gave the thumbs-up:
only that tenant's searches find it. The file's examples belong to everyone.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from retrieval.documents import RetrievalDoc

DEMO_EXAMPLES_PATH = Path(__file__).resolve().parent / "examples" / "demo_examples.yaml"
# Learned examples stored before examples carried a scope are given this one (docs/retrieval.md
# says why): the scope of every caller of a server without API keys.
UNSCOPED_EXAMPLES_SCOPE = "default"


class ExamplesFileError(Exception):
    code = "examples_invalid"


def load_example_docs(path: Path | str | None) -> list[RetrievalDoc]:
    """``example:1``, ``example:2``, ... in file order; an empty list when ``path`` is None."""
    if path is None:
        return []
    entries = _read_entries(Path(path))
    return [example_doc(f"example:{n}", e["question"], e.get("semantic_query"), e.get("sql"))
            for n, e in enumerate(entries, start=1)]


def _read_entries(path: Path) -> list[dict[str, Any]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ExamplesFileError(f"cannot read examples file {path}: {exc}") from None
    entries = raw.get("examples", []) if isinstance(raw, dict) else raw
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("question"):
            raise ExamplesFileError(f"{path}: example {n} needs a 'question'")
        if not entry.get("semantic_query") and not entry.get("sql"):
            raise ExamplesFileError(f"{path}: example {n} needs 'semantic_query' or 'sql'")
    return entries


def example_doc(doc_id: str, question: str, semantic_query: dict | None, sql: str | None,
                scope: str | None = None) -> RetrievalDoc:
    meta = {"question": question,
            "semantic_query": json.dumps(semantic_query, default=str) if semantic_query else "",
            "sql": sql or ""}
    return RetrievalDoc(doc_id, "example", question.strip(), meta, scope=scope)


def learned_example_id(question: str, scope: str) -> str:
    """Stable per tenant and question, so a second thumbs-up on the same question in the same
    tenant replaces the first, and never another tenant's example.

    The ``default`` scope keeps the id examples had before they were scoped (the question's
    hash alone), so those stored examples are still the ones its thumbs-up replaces.
    """
    normalized = " ".join(question.lower().split())
    if scope == UNSCOPED_EXAMPLES_SCOPE:
        return "example:learned-" + hashlib.sha256(normalized.encode()).hexdigest()[:10]
    owned = f"{scope}\n{normalized}"  # the normalized question has no newline: one way to read it back
    return "example:learned-" + hashlib.sha256(owned.encode()).hexdigest()[:16]


def example_payload(hit_metadata: dict[str, Any]) -> dict[str, Any] | None:
    """The semantic query dict back from a hit's metadata (None when the example is SQL)."""
    text = hit_metadata.get("semantic_query") or ""
    return json.loads(text) if text else None
