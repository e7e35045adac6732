"""The retrieval facade planners call: open (building what changed), search, learn examples.

``search`` embeds the question once (LRU-cached), asks the vector collections
of the wanted kinds and the BM25 index, and fuses the two rankings. Learned
examples (thumbs-up answers) live in their own collection, which rebuilds from
files never touch, so they survive model and schema changes.

Every search is made for a tenant (``scope``, required): it sees the built-in
docs and that tenant's learned examples, never another tenant's. The vector side
scans only those entries; the BM25 side is one index per tenant with learned
examples (built-in docs plus its own), so word statistics do not carry one
tenant's examples into another's ranking either.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retrieval.corpus import build_corpus, combined_hash, content_hash, usable_examples
from retrieval.documents import KINDS, RetrievalDoc
from retrieval.embedder import Embedder, get_embedder
from retrieval.example_docs import (
    DEMO_EXAMPLES_PATH,
    UNSCOPED_EXAMPLES_SCOPE,
    example_doc,
    example_payload,
    learned_example_id,
)
from retrieval.glossary_docs import GLOSSARY_DIR
from retrieval.hybrid import FusedScore, fuse
from retrieval.lexical import LexicalIndex
from retrieval.vector_index import VectorIndex

if TYPE_CHECKING:
    from semantic_layer import SemanticModel
    from warehouse.base import Schema

_PREFIX = "asklytics_"
# What a planner's prompt has room for; examples and docs are long, so fewer.
DEFAULT_PER_KIND: dict[str, int] = {"metric": 5, "dimension": 5, "column": 5, "example": 3, "doc": 2}
LEARNED = f"{_PREFIX}example_learned"


@dataclass(frozen=True)
class Hit:
    id: str
    kind: str
    score: float  # fused rank score: only for ordering hits of one search
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    similarity: float | None = None  # cosine similarity to the question (for "nothing relevant" checks)
    lexical: float | None = None  # BM25 score, when the words matched


class RetrievalStore:
    """Hybrid search over metrics, dimensions, columns, examples and glossary docs, per tenant."""

    def __init__(self, vectors: VectorIndex, docs: list[RetrievalDoc], hashes: dict[str, str],
                 rebuilt: tuple[str, ...]):
        self._vectors = vectors
        self._lock = threading.Lock()
        # Searches read these without the lock: each is replaced whole, never changed in place.
        self._docs = {doc.id: doc for doc in docs}
        learned: dict[str, list[RetrievalDoc]] = {}
        for doc in docs:
            if doc.scope is not None:
                learned.setdefault(doc.scope, []).append(doc)
        self._learned = {scope: tuple(own) for scope, own in learned.items()}
        self._builtin = [doc for doc in docs if doc.scope is None]
        # None: the built-in docs alone, for tenants that have learned nothing
        self._lexical: dict[str | None, LexicalIndex] = {None: LexicalIndex(self._builtin)}
        self.kind_hashes = hashes
        self.content_hash = combined_hash(hashes)
        self.rebuilt = rebuilt  # kinds whose collections were (re)embedded by this open

    @classmethod
    def open(cls, persist_dir: Path, *, semantic_model: SemanticModel, schema: Schema | None,
             examples_path: Path | None = None, glossary_dir: Path | None = None,
             embedder: Embedder | None = None) -> RetrievalStore:
        """Reuse the collections under ``persist_dir`` whose content is unchanged; rebuild the rest.

        ``examples_path`` / ``glossary_dir`` default to the bundled demo examples and glossary.
        """
        embedder = embedder or get_embedder()
        vectors = VectorIndex(Path(persist_dir), embedder, {LEARNED: UNSCOPED_EXAMPLES_SCOPE})
        corpus = build_corpus(semantic_model, schema, Path(examples_path or DEMO_EXAMPLES_PATH),
                              Path(glossary_dir or GLOSSARY_DIR))
        hashes = {kind: content_hash(docs, embedder.model_id) for kind, docs in corpus.items()}
        rebuilt = tuple(k for k in KINDS if vectors.sync(_PREFIX + k, corpus[k], hashes[k]))
        learned = usable_examples(semantic_model, vectors.stored_docs(LEARNED))
        docs = [doc for kind in KINDS for doc in corpus[kind]] + learned
        return cls(vectors, docs, hashes, rebuilt)

    def search(self, question: str, *, scope: str, kinds: Iterable[str] | None = None,
               k: int = 5) -> list[Hit]:
        """The ``k`` best docs of ``kinds`` (all kinds when None) for ``question``, best first.

        ``scope`` is the asking tenant's: the built-in docs and its own learned examples are searched.
        """
        _checked_scope(scope)
        wanted = _checked_kinds(kinds)
        if not question.strip() or k <= 0:
            return []
        depth = max(3 * k, 15)
        vector = self._vectors.embedder.encode_query(question)
        collections = [_PREFIX + kind for kind in wanted] + ([LEARNED] if "example" in wanted else [])
        by_vector = self._vectors.query(collections, vector, depth, scope=scope)
        by_words = self._lexical_for(scope).search(question, wanted, depth)
        docs = self._docs
        found = [(docs.get(f.id), f) for f in fuse(by_vector, by_words)]
        return [_hit(doc, fused) for doc, fused in found if doc is not None and doc.visible_to(scope)][:k]

    def retrieve(self, question: str, per_kind: Mapping[str, int] | None = None, *,
                 scope: str) -> dict[str, list[Hit]]:
        """Hits by kind (``PlanningContext.retrieved``) for tenant ``scope``: each kind ranked on its own."""
        wanted = DEFAULT_PER_KIND if per_kind is None else per_kind
        return {kind: self.search(question, scope=scope, kinds=[kind], k=k) for kind, k in wanted.items()}

    def add_example(self, question: str, semantic_query: dict | None, sql: str | None, *, scope: str) -> str:
        """Store a verified example of tenant ``scope`` (persisted); the same question again in
        the same scope replaces it. Only searches for ``scope`` find it."""
        _checked_scope(scope)
        if not question or not question.strip():
            raise ValueError("an example needs a question")
        if not semantic_query and not sql:
            raise ValueError("an example needs a semantic_query or sql")
        doc = example_doc(learned_example_id(question, scope), question, semantic_query, sql, scope)
        with self._lock:
            taken = self._docs.get(doc.id)
            if taken is not None and taken.scope != scope:  # a hash collision must not move an example
                raise ValueError(f"example id {doc.id} belongs to another scope")
            self._vectors.upsert(LEARNED, [doc])
            self._docs = {**self._docs, doc.id: doc}
            kept = tuple(d for d in self._learned.get(scope, ()) if d.id != doc.id)
            self._learned = {**self._learned, scope: (*kept, doc)}
            self._lexical = {s: index for s, index in self._lexical.items() if s != scope}
        return doc.id

    def get(self, doc_id: str, *, scope: str) -> RetrievalDoc | None:
        """The doc with that id, if tenant ``scope`` may see it."""
        _checked_scope(scope)
        doc = self._docs.get(doc_id)
        return doc if doc is not None and doc.visible_to(scope) else None

    def _lexical_for(self, scope: str) -> LexicalIndex:
        """BM25 over the built-in docs and ``scope``'s learned examples (built on first use)."""
        if scope not in self._learned:
            return self._lexical[None]
        index = self._lexical.get(scope)
        if index is None:
            with self._lock:
                index = self._lexical.get(scope)
                if index is None:
                    index = LexicalIndex([*self._builtin, *self._learned[scope]])
                    self._lexical = {**self._lexical, scope: index}
        return index


def _hit(doc: RetrievalDoc, fused: FusedScore) -> Hit:
    return Hit(doc.id, doc.kind, fused.score, doc.text, _hit_metadata(doc), fused.similarity, fused.lexical)


def _hit_metadata(doc: RetrievalDoc) -> dict[str, Any]:
    meta = dict(doc.metadata)
    if doc.kind == "example":
        meta["semantic_query"] = example_payload(meta)
        meta["sql"] = meta.get("sql") or None
    return meta


def _checked_scope(scope: str) -> None:
    if not isinstance(scope, str) or not scope.strip():
        raise ValueError("retrieval needs the asking tenant's scope (a non-empty string)")


def _checked_kinds(kinds: Iterable[str] | None) -> list[str]:
    if kinds is None:
        return list(KINDS)
    wanted = [kinds] if isinstance(kinds, str) else list(kinds)
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown retrieval kind(s) {unknown}; use some of: {', '.join(KINDS)}")
    return wanted
