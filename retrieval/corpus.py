"""Everything the store indexes, grouped by kind, and the content hashes that decide rebuilds."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.documents import (
    KINDS,
    RetrievalDoc,
    column_docs,
    dimension_docs,
    group_by_kind,
    metric_docs,
    spoken,
)
from retrieval.example_docs import example_payload, load_example_docs
from retrieval.glossary_docs import load_glossary_docs

if TYPE_CHECKING:
    from semantic_layer import SemanticModel
    from warehouse.base import Schema

# Bump when the way docs are written changes, so stored indexes are rebuilt.
DOC_FORMAT_VERSION = 1


def build_corpus(model: SemanticModel, schema: Schema | None, examples_path: Path | None,
                 glossary_dir: Path | None) -> dict[str, list[RetrievalDoc]]:
    docs: list[RetrievalDoc] = [*metric_docs(model), *dimension_docs(model, schema),
                                *column_docs(schema, model)]
    docs += [with_query_words(model, d) for d in usable_examples(model, load_example_docs(examples_path))]
    docs += load_glossary_docs(glossary_dir)
    return group_by_kind(docs)


def usable_examples(model: SemanticModel, examples: Iterable[RetrievalDoc]) -> list[RetrievalDoc]:
    """Examples whose semantic query names only metrics and dimensions the model has.

    A few-shot example using a metric that no longer exists teaches a planner to
    emit an invalid query, so such examples are left out (SQL examples are kept).
    """
    return [doc for doc in examples if _names_known(model, example_payload(dict(doc.metadata)))]


def _names_known(model: SemanticModel, query: dict | None) -> bool:
    if query is None:
        return True
    return (all(m in model.metrics for m in query.get("metrics") or ())
            and all(d in model.dimensions for d in _dimension_names(query)))


def with_query_words(model: SemanticModel, example: RetrievalDoc) -> RetrievalDoc:
    """Adds what the example computes ("roas, return on ad spend by media source, network")
    as an alias: a question may name the metric differently from the example's wording."""
    query = example_payload(dict(example.metadata))
    if query is None:
        return example
    metrics = [_named(m, model.metrics.get(m)) for m in query.get("metrics") or ()]
    dimensions = [_named(d, model.dimensions.get(d)) for d in _dimension_names(query)]
    words = " and ".join(metrics) + (" by " + " and ".join(dimensions) if dimensions else "")
    return replace(example, aliases=(*example.aliases, words))


def _named(name: str, item) -> str:
    synonyms = list(item.synonyms[:3]) if item is not None else []
    return ", ".join([spoken(name), *synonyms])


def _dimension_names(query: dict) -> list[str]:
    return [str(d).partition("__")[0] for d in query.get("dimensions") or ()]


def content_hash(docs: Sequence[RetrievalDoc], model_id: str) -> str:
    """Changes whenever an embedded text, a returned field or the embedding model changes."""
    payload = [DOC_FORMAT_VERSION, model_id, [doc.fingerprint() for doc in docs]]
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def combined_hash(hashes: dict[str, str]) -> str:
    joined = ",".join(f"{kind}={hashes[kind]}" for kind in KINDS if kind in hashes)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]
