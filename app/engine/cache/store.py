"""Where cache entries live: in this process (default) or in Redis (shared by replicas).

A backend stores entries per scope key, an exact index (normalized text -> entry),
the embeddings of the scope's questions, the answer-id links used for eviction on
"wrong" feedback, and the stats counters. Entries are JSON data, never pickles.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

EMBEDDING_DTYPE = np.float32


@dataclass
class CacheEntry:
    """One answered question: the plan to re-execute and what producing it cost."""

    id: str
    scope_key: str
    question: str
    normalized: str
    slots_signature: str | None  # None: exact tier only (no offline parse to compare)
    plan: dict[str, Any]
    planner: str
    usage: dict[str, int] = field(default_factory=dict)
    created_at: float = field(default_factory=time.time)
    expires_at: float = 0.0  # 0: never
    result: dict[str, Any] | None = None  # optional short-lived result, see cache_result_ttl_s
    result_expires_at: float = 0.0

    def expired(self, now: float | None = None) -> bool:
        return bool(self.expires_at) and (now or time.time()) >= self.expires_at

    def fresh_result(self, now: float | None = None) -> dict[str, Any] | None:
        fresh = self.result is not None and (now or time.time()) < self.result_expires_at
        return self.result if fresh else None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class CacheStore(Protocol):
    name: str

    def put(self, entry: CacheEntry, embedding: np.ndarray | None) -> None: ...
    def link(self, answer_id: str, scope_key: str, entry_id: str) -> None: ...
    def exact(self, scope_key: str, normalized: str) -> CacheEntry | None: ...
    def neighbours(self, scope_key: str) -> tuple[list[str], np.ndarray]: ...
    def with_signature(self, scope_key: str, signature: str) -> list[str]: ...
    def get(self, scope_key: str, entry_id: str) -> CacheEntry | None: ...
    def delete(self, scope_key: str, entry_id: str) -> bool: ...
    def entry_for_answer(self, answer_id: str) -> tuple[str, str] | None: ...
    def incr(self, counters: dict[str, float]) -> None: ...
    def counters(self) -> dict[str, float]: ...
    def entry_count(self) -> int: ...
    def clear(self) -> int: ...


class _ScopeIndex:
    """One scope's entries, exact index and embedding matrix (rows follow ``ids``)."""

    def __init__(self) -> None:
        self.entries: dict[str, CacheEntry] = {}
        self.exact: dict[str, str] = {}
        self.vectors: dict[str, np.ndarray] = {}
        self.signatures: dict[str, set[str]] = {}
        self._matrix: tuple[list[str], np.ndarray] | None = None

    def matrix(self) -> tuple[list[str], np.ndarray]:
        if self._matrix is None:  # rebuilt only after a put or delete
            ids = list(self.vectors)
            rows = np.stack([self.vectors[i] for i in ids]) if ids else np.zeros((0, 0), EMBEDDING_DTYPE)
            self._matrix = (ids, rows)
        return self._matrix

    def drop(self, entry_id: str) -> CacheEntry | None:
        entry = self.entries.pop(entry_id, None)
        if entry is not None and self.exact.get(entry.normalized) == entry_id:
            del self.exact[entry.normalized]
        if entry is not None and entry.slots_signature:
            self.signatures.get(entry.slots_signature, set()).discard(entry_id)
        if self.vectors.pop(entry_id, None) is not None:
            self._matrix = None
        return entry


class MemoryCacheStore:
    """In-process backend: per-scope indexes, least recently stored entries evicted first."""

    name = "memory"

    def __init__(self, max_entries: int = 10_000):
        self.max_entries = max_entries
        self._scopes: dict[str, _ScopeIndex] = {}
        self._order: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._answers: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._counters: dict[str, float] = {}
        self._lock = threading.Lock()

    def put(self, entry: CacheEntry, embedding: np.ndarray | None) -> None:
        with self._lock:
            index = self._scopes.setdefault(entry.scope_key, _ScopeIndex())
            replaced = index.exact.get(entry.normalized)
            if replaced:  # a re-store replaces the old entry
                self._remove(entry.scope_key, replaced)
            index.entries[entry.id] = entry
            index.exact[entry.normalized] = entry.id
            if entry.slots_signature:
                index.signatures.setdefault(entry.slots_signature, set()).add(entry.id)
            if embedding is not None:
                index.vectors[entry.id] = np.asarray(embedding, EMBEDDING_DTYPE)
                index._matrix = None
            self._order[(entry.scope_key, entry.id)] = None
            self._evict_overflow()

    def link(self, answer_id: str, scope_key: str, entry_id: str) -> None:
        with self._lock:
            self._answers[answer_id] = (scope_key, entry_id)
            while len(self._answers) > self.max_entries * 4:
                self._answers.popitem(last=False)

    def _evict_overflow(self) -> None:
        while len(self._order) > self.max_entries:
            (scope_key, entry_id), _ = self._order.popitem(last=False)
            self._scopes[scope_key].drop(entry_id)

    def exact(self, scope_key: str, normalized: str) -> CacheEntry | None:
        with self._lock:
            index = self._scopes.get(scope_key)
            entry_id = index.exact.get(normalized) if index else None
        return self.get(scope_key, entry_id) if entry_id else None

    def neighbours(self, scope_key: str) -> tuple[list[str], np.ndarray]:
        with self._lock:
            index = self._scopes.get(scope_key)
            return index.matrix() if index else ([], np.zeros((0, 0), EMBEDDING_DTYPE))

    def with_signature(self, scope_key: str, signature: str) -> list[str]:
        with self._lock:
            index = self._scopes.get(scope_key)
            return sorted(index.signatures.get(signature, ())) if index else []

    def get(self, scope_key: str, entry_id: str) -> CacheEntry | None:
        with self._lock:
            index = self._scopes.get(scope_key)
            entry = index.entries.get(entry_id) if index else None
            if entry is not None and entry.expired():
                self._remove(scope_key, entry_id)
                return None
            return entry

    def delete(self, scope_key: str, entry_id: str) -> bool:
        with self._lock:
            return self._remove(scope_key, entry_id)

    def _remove(self, scope_key: str, entry_id: str) -> bool:
        index = self._scopes.get(scope_key)
        self._order.pop((scope_key, entry_id), None)
        return index is not None and index.drop(entry_id) is not None

    def entry_for_answer(self, answer_id: str) -> tuple[str, str] | None:
        with self._lock:
            return self._answers.get(answer_id)

    def incr(self, counters: dict[str, float]) -> None:
        with self._lock:
            for name, amount in counters.items():
                self._counters[name] = self._counters.get(name, 0) + amount

    def counters(self) -> dict[str, float]:
        with self._lock:
            return dict(self._counters)

    def entry_count(self) -> int:
        with self._lock:
            return len(self._order)

    def clear(self) -> int:
        with self._lock:
            removed = len(self._order)
            self._scopes.clear()
            self._order.clear()
            self._answers.clear()
            self._counters.clear()
            return removed
