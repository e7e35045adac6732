"""Persistent vector collections (chromadb), one per kind, rebuilt when their content changes.

Each collection's metadata holds the content hash of the docs it was built
from; opening with the same hash reuses the stored vectors without running the
model. A doc is stored as several entries (its text and each alias) that all
point back to the doc id; a query keeps each doc's best entry. chromadb is the
store of record; queries scan the vectors it holds, loaded once into memory.

Entries of a tenant's doc carry its ``scope`` in their chroma metadata. In memory
each collection is split by scope, and a query scans the built-in entries and
the asking tenant's only: another tenant's vectors are never compared with it.

Nothing here may reach the network: telemetry is off, and every collection is
given our own embedding function, so chromadb's default (which downloads an
ONNX model on first use) is never called.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
from chromadb.utils.embedding_functions import register_embedding_function

from retrieval.documents import RetrievalDoc
from retrieval.embedder import EMBEDDING_DIM, Embedder, get_embedder

_HASH_KEY = "content_hash"
SCOPE_KEY = "scope"  # entry metadata: the tenant a doc belongs to; absent on built-in docs
_EMPTY: tuple[np.ndarray, list[str]] = (np.zeros((0, EMBEDDING_DIM), dtype=np.float32), [])
# scope (None: built in, every tenant's) -> (entry vectors, the doc id of each row)
Partitions = dict[str | None, tuple[np.ndarray, list[str]]]
_BUILDING = "building"  # a build that died half-way leaves this, which never matches a hash


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """chromadb's hook to our embedder (used if anything embeds through chromadb itself)."""

    def __init__(self, embedder: Embedder | None = None):
        self._embedder = embedder or get_embedder()

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "asklytics-minilm"

    def get_config(self) -> dict[str, Any]:
        return {"model_path": str(self._embedder.model_path)}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
        return MiniLMEmbeddingFunction(get_embedder(config.get("model_path")))

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]


class VectorIndex:
    """Named chromadb collections of doc entries under ``persist_dir``.

    ``tenant_collections`` maps each collection that holds tenants' docs to the scope an
    entry without one (stored before entries had scopes) is given; such an entry never
    counts as built in.
    """

    def __init__(self, persist_dir: Path, embedder: Embedder,
                 tenant_collections: Mapping[str, str] | None = None):
        persist_dir.mkdir(parents=True, exist_ok=True)
        self._client = chromadb.PersistentClient(
            path=str(persist_dir), settings=ChromaSettings(anonymized_telemetry=False)
        )
        self.embedder = embedder
        self._ef = MiniLMEmbeddingFunction(embedder)
        self._unscoped_as = dict(tenant_collections or {})
        self._collections: dict[str, Any] = {}
        self._loaded: dict[str, Partitions] = {}

    def sync(self, name: str, docs: Sequence[RetrievalDoc], content_hash: str) -> bool:
        """Make collection ``name`` hold ``docs``; True when it had to be (re)built."""
        collection = self._existing(name)
        if collection is not None and (collection.metadata or {}).get(_HASH_KEY) == content_hash:
            self._remember(name, collection)
            return False
        if collection is not None:
            self._client.delete_collection(name)
        collection = self._client.create_collection(
            name, metadata={_HASH_KEY: _BUILDING}, embedding_function=self._ef,
            configuration={"hnsw": {"space": "cosine"}},
        )
        self._add(collection, docs)
        collection.modify(metadata={_HASH_KEY: content_hash})
        self._remember(name, collection)
        return True

    def upsert(self, name: str, docs: Sequence[RetrievalDoc]) -> None:
        """Add or replace docs in a collection that is never rebuilt from files (learned examples)."""
        collection = self._collections.get(name) or self._client.get_or_create_collection(
            name, embedding_function=self._ef, configuration={"hnsw": {"space": "cosine"}},
        )
        self._add(collection, docs)
        self._remember(name, collection)

    def stored_docs(self, name: str) -> list[RetrievalDoc]:
        """The docs kept in a collection (learned examples are only stored here)."""
        collection = self._existing(name)
        if collection is None:
            return []
        self._scope_unscoped(name, collection)
        self._remember(name, collection)
        got = collection.get(where={"entry": 0}, include=["documents", "metadatas"])
        unscoped_as = self._unscoped_as.get(name)
        return [_doc_from_entry(text, meta, unscoped_as)
                for text, meta in zip(got["documents"], got["metadatas"])]

    def query(self, names: Iterable[str], vector: np.ndarray, limit: int, *,
              scope: str) -> list[tuple[str, float]]:
        """Best ``limit`` (doc id, cosine similarity) over the named collections' built-in
        entries and ``scope``'s own, exact."""
        best: dict[str, float] = {}
        for name in names:
            partitions = self._loaded.get(name, {})
            for matrix, items in (partitions.get(None, _EMPTY), partitions.get(scope, _EMPTY)):
                _keep_best(best, matrix, items, vector, limit)
        return sorted(best.items(), key=lambda pair: -pair[1])[:limit]

    def _add(self, collection, docs: Sequence[RetrievalDoc]) -> None:
        entries = [(doc, n, text) for doc in docs for n, text in enumerate(doc.embedded_texts())]
        if not entries:
            return
        vectors = self.embedder.encode([text for _, _, text in entries])
        collection.upsert(
            ids=[f"{doc.id}#{n}" for doc, n, _ in entries],
            embeddings=vectors,
            documents=[text for _, _, text in entries],
            metadatas=[_entry_metadata(doc, n) for doc, n, _ in entries],
        )

    def _existing(self, name: str):
        try:
            return self._client.get_collection(name, embedding_function=self._ef)
        except (NotFoundError, ValueError):
            return None

    def _scope_unscoped(self, name: str, collection) -> None:
        """Write the fallback scope into tenant entries stored without one (once, persisted)."""
        owner = self._unscoped_as.get(name)
        if owner is None:
            return
        got = collection.get(include=["metadatas"])
        missing = [entry for entry, meta in zip(got["ids"], got["metadatas"]) if SCOPE_KEY not in meta]
        if missing:
            # chromadb merges these keys into each entry's metadata
            collection.update(ids=missing, metadatas=[{SCOPE_KEY: owner} for _ in missing])

    def _remember(self, name: str, collection) -> None:
        # Queries scan these vectors in memory (exact, ~0.1 ms for a few thousand
        # entries); chromadb's own query costs 1-2 ms per collection, and a search
        # touches up to six collections.
        self._collections[name] = collection
        got = collection.get(include=["embeddings", "metadatas"])
        matrix = np.asarray(got["embeddings"], dtype=np.float32).reshape(-1, EMBEDDING_DIM)
        unscoped_as = self._unscoped_as.get(name)
        scopes = [meta.get(SCOPE_KEY, unscoped_as) for meta in got["metadatas"]]
        rows: dict[str | None, list[int]] = {}
        for row, scope in enumerate(scopes):
            rows.setdefault(scope, []).append(row)
        self._loaded[name] = {scope: (matrix[taken], [got["metadatas"][r]["item"] for r in taken])
                              for scope, taken in rows.items()}


def _keep_best(best: dict[str, float], matrix: np.ndarray, items: list[str], vector: np.ndarray,
               limit: int) -> None:
    if not items:
        return
    similarities = matrix @ vector  # rows and query are unit length: dot = cosine
    for row in np.argsort(-similarities)[: limit * 4]:
        item = items[row]
        best[item] = max(best.get(item, -2.0), float(similarities[row]))


def _entry_metadata(doc: RetrievalDoc, entry: int) -> dict[str, Any]:
    # Every entry says whose it is (a query filters entries, not docs); only the first
    # carries the doc's own metadata: enough to rebuild the doc.
    base = {"item": doc.id, "kind": doc.kind, "entry": entry}
    if doc.scope is not None:
        base[SCOPE_KEY] = doc.scope
    return {**{f"doc.{k}": v for k, v in doc.metadata.items()}, **base} if entry == 0 else base


def _doc_from_entry(text: str, meta: dict[str, Any], unscoped_as: str | None) -> RetrievalDoc:
    own = {k.removeprefix("doc."): v for k, v in meta.items() if k.startswith("doc.")}
    return RetrievalDoc(meta["item"], meta["kind"], text, own, scope=meta.get(SCOPE_KEY, unscoped_as))
