"""The two cache tiers over one backend.

``lookup(scope, question, slots)`` tries the exact tier (normalized text), then
the semantic tier: the scope's nearest previous questions by embedding are
*candidates*; one is a hit only when its slot signature equals the new
question's. Embedding similarity alone never decides -- sentences that differ in
one number or date embed almost identically. When in doubt, miss.

Before embedding anything, the tier asks the backend whether any entry of the
scope has the same slot signature at all: if none does, no neighbour could be a
hit, so the miss costs no embedding. With ``min_similarity <= -1`` the embedding
is off altogether and identical slots alone decide (no MiniLM at lookup or store).
"""
from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.cache.backends import open_cache_store
from app.engine.cache.keys import CacheScope, normalize_question
from app.engine.cache.slots import Slots
from app.engine.cache.stats import CacheStats, hit_counters
from app.engine.cache.store import CacheEntry, CacheStore
from app.engine.redis_client import redis_options

log = logging.getLogger(__name__)
MIN_SIMILARITY = 0.3  # only to propose candidates; the slot check decides
TOP_K = 8


@dataclass(frozen=True)
class CacheHit:
    tier: str  # "exact" | "semantic"
    entry: CacheEntry
    similarity: float | None = None  # None: not compared by embedding (exact, or embedding off)


class SemanticCache:
    def __init__(self, store: CacheStore, embed: Callable[[str], np.ndarray] | None = None, *,
                 ttl_s: float = 7 * 24 * 3600, result_ttl_s: float = 0,
                 min_similarity: float = MIN_SIMILARITY, prices: dict | None = None):
        self.store = store
        self._embed = embed
        self.ttl_s, self.result_ttl_s = ttl_s, result_ttl_s
        self.min_similarity = min_similarity
        self.prices = prices

    @property
    def uses_embeddings(self) -> bool:
        return self.min_similarity > -1

    def embed(self, question: str) -> np.ndarray:
        if self._embed is None:
            from retrieval import get_embedder

            self._embed = get_embedder().encode_query
        return self._embed(normalize_question(question))

    # --- lookups -------------------------------------------------------------------------
    def lookup_exact(self, scope: CacheScope, question: str) -> CacheHit | None:
        entry = self.store.exact(scope.key, normalize_question(question))
        return CacheHit("exact", entry) if entry is not None else None

    def lookup_semantic(self, scope: CacheScope, question: str, slots: Slots | None) -> CacheHit | None:
        if slots is None:  # a clarification or refusal: nothing comparable
            return None
        same_slots = self.store.with_signature(scope.key, slots.signature)
        if not same_slots:
            return None
        if not self.uses_embeddings:
            return self._first_live(scope, same_slots, slots)
        ids, matrix = self.store.neighbours(scope.key)
        if not ids:
            return None
        similarities = matrix @ self.embed(question)
        for row in np.argsort(-similarities)[:TOP_K]:
            if similarities[row] < self.min_similarity:
                break
            entry = self.store.get(scope.key, ids[row])
            if entry is not None and entry.slots_signature == slots.signature:
                return CacheHit("semantic", entry, float(similarities[row]))
        return None

    def _first_live(self, scope: CacheScope, entry_ids: list[str], slots: Slots) -> CacheHit | None:
        for entry_id in entry_ids:
            entry = self.store.get(scope.key, entry_id)
            if entry is not None and entry.slots_signature == slots.signature:
                return CacheHit("semantic", entry)
        return None

    def lookup(self, scope: CacheScope, question: str,
               slots_of: Callable[[], Slots | None], *, count: bool = True) -> CacheHit | None:
        """Exact tier, then semantic; ``slots_of`` is called only when the exact tier misses.
        ``count``: add the hit or miss to the counters (off for a warm-up rehearsal)."""
        hit = self.lookup_exact(scope, question) or self.lookup_semantic(scope, question, slots_of())
        if count:
            self.record(hit)
        return hit

    def record(self, hit: CacheHit | None) -> None:
        if hit is None:
            self.store.incr({"misses": 1})
        else:
            self.store.incr(hit_counters(hit.tier, hit.entry.planner, hit.entry.usage, self.prices))

    # --- writes --------------------------------------------------------------------------
    def put(self, scope: CacheScope, question: str, slots: Slots | None, plan: Any, *,
            planner: str = "offline", usage: dict[str, int] | None = None, answer_id: str | None = None,
            result: dict[str, Any] | None = None) -> CacheEntry:
        """Store an answered plan (the caller guarantees it passed the guard and ran)."""
        now = time.time()
        entry = CacheEntry(
            id=uuid.uuid4().hex[:16], scope_key=scope.key, question=question,
            normalized=normalize_question(question), slots_signature=slots.signature if slots else None,
            plan=plan.model_dump(mode="json") if hasattr(plan, "model_dump") else dict(plan),
            planner=planner, usage=dict(usage or {}), created_at=now,
            expires_at=now + self.ttl_s if self.ttl_s else 0.0,
            result=result if self.result_ttl_s else None, result_expires_at=now + self.result_ttl_s)
        embedding = self.embed(question) if slots is not None and self.uses_embeddings else None
        self.store.put(entry, embedding)
        if answer_id:
            self.link_answer(answer_id, entry)
        self.store.incr({"stores": 1})
        return entry

    def link_answer(self, answer_id: str, entry: CacheEntry) -> None:
        """A hit answer can be marked wrong too: link its id to the entry that produced it."""
        self.store.link(answer_id, entry.scope_key, entry.id)

    def evict_answer(self, answer_id: str) -> bool:
        """User feedback "wrong" on ``answer_id``: drop the entry that answered it, and every entry
        of its scope with the same slots (they would serve the same plan). True if any was dropped."""
        found = self.store.entry_for_answer(answer_id)
        if found is None:
            return False
        scope_key, entry_id = found
        entry = self.store.get(scope_key, entry_id)
        doomed = {entry_id}
        if entry is not None and entry.slots_signature:
            doomed.update(self.store.with_signature(scope_key, entry.slots_signature))
        removed = sum(self.store.delete(scope_key, doomed_id) for doomed_id in sorted(doomed))
        if removed:
            self.store.incr({"evictions": removed})
        return removed > 0

    def clear(self) -> int:
        return self.store.clear()

    def stats(self) -> CacheStats:
        return CacheStats.from_counters(self.store.name, self.store.counters(), self.store.entry_count())


def open_semantic_cache(settings: Any) -> SemanticCache:
    """The cache ``settings`` describe: Redis when ``redis_url`` is set, else in-process."""
    store = open_cache_store(settings.redis_url, max_entries=settings.cache_max_entries,
                             ttl_s=settings.cache_ttl_s, **redis_options(settings))
    return SemanticCache(store, ttl_s=settings.cache_ttl_s, result_ttl_s=settings.cache_result_ttl_s,
                         min_similarity=settings.cache_min_similarity, prices=settings.llm_prices)
