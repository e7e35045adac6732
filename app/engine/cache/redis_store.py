"""The Redis backend: one cache shared by every app process and replica.

Layout under ``prefix`` (every key expires after ``ttl_s``):

- ``e:<scope>:<id>``    the entry, JSON
- ``x:<scope>:<hash>``  normalized text -> entry id (the exact tier)
- ``v:<scope>``         hash of entry id -> embedding bytes (float32)
- ``n:<scope>``         a version counter, bumped on every put/delete of the scope
- ``s:<scope>:<slots>`` set of the entry ids with that slot signature (the semantic tier's pre-check)
- ``a:<answer id>``     ``<scope>|<entry id>``, for eviction on "wrong" feedback
- ``stats``             hash of counters

Plain Redis has no vector search, so a lookup fetches the scope's embeddings and
ranks them here; they are kept in-process per scope and refetched only when the
scope's version counter moved (one small GET per lookup otherwise).
"""
from __future__ import annotations

import json
import threading

import numpy as np

from app.engine.cache.keys import digest
from app.engine.cache.store import EMBEDDING_DTYPE, CacheEntry
from app.engine.redis_client import REDIS_COOLDOWN_S, REDIS_TIMEOUT_S, open_redis

_EMPTY = np.zeros((0, 0), EMBEDDING_DTYPE)


class RedisCacheStore:
    name = "redis"

    def __init__(self, url: str, *, ttl_s: int = 7 * 24 * 3600, prefix: str = "asklytics:cache",
                 timeout_s: float = REDIS_TIMEOUT_S, cooldown_s: float = REDIS_COOLDOWN_S):
        self._redis = open_redis(url, component="cache", timeout_s=timeout_s, cooldown_s=cooldown_s)
        self.ttl_s = int(ttl_s)
        self.prefix = prefix
        self._matrices: dict[str, tuple[int, list[str], np.ndarray]] = {}
        self._lock = threading.Lock()

    def _k(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def put(self, entry: CacheEntry, embedding: np.ndarray | None) -> None:
        scope, exact_key = entry.scope_key, self._k("x", entry.scope_key, digest(entry.normalized))
        replaced = self._redis.get(exact_key)
        pipe = self._redis.pipeline(transaction=True)
        if replaced and replaced.decode() != entry.id:  # a re-store replaces the old entry
            self._queue_delete(pipe, scope, replaced.decode(), self.get(scope, replaced.decode()))
        pipe.set(self._k("e", scope, entry.id), json.dumps(entry.to_json(), default=str), ex=self.ttl_s)
        pipe.set(exact_key, entry.id, ex=self.ttl_s)
        if entry.slots_signature:
            pipe.sadd(self._k("s", scope, entry.slots_signature), entry.id)
            pipe.expire(self._k("s", scope, entry.slots_signature), self.ttl_s)
        if embedding is not None:
            pipe.hset(self._k("v", scope), entry.id, np.asarray(embedding, EMBEDDING_DTYPE).tobytes())
            pipe.expire(self._k("v", scope), self.ttl_s)
        self._bump(pipe, scope)
        pipe.execute()

    def _bump(self, pipe, scope: str) -> None:
        pipe.incr(self._k("n", scope))
        pipe.expire(self._k("n", scope), self.ttl_s)

    def exact(self, scope_key: str, normalized: str) -> CacheEntry | None:
        entry_id = self._redis.get(self._k("x", scope_key, digest(normalized)))
        return self.get(scope_key, entry_id.decode()) if entry_id else None

    def get(self, scope_key: str, entry_id: str) -> CacheEntry | None:
        raw = self._redis.get(self._k("e", scope_key, entry_id))
        return CacheEntry(**json.loads(raw)) if raw else None

    def neighbours(self, scope_key: str) -> tuple[list[str], np.ndarray]:
        version = int(self._redis.get(self._k("n", scope_key)) or 0)
        with self._lock:
            cached = self._matrices.get(scope_key)
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        ids, matrix = self._fetch_matrix(scope_key)
        with self._lock:
            self._matrices[scope_key] = (version, ids, matrix)
        return ids, matrix

    def _fetch_matrix(self, scope_key: str) -> tuple[list[str], np.ndarray]:
        stored = self._redis.hgetall(self._k("v", scope_key))
        if not stored:
            return [], _EMPTY
        ids = [key.decode() for key in stored]
        return ids, np.stack([np.frombuffer(value, dtype=EMBEDDING_DTYPE) for value in stored.values()])

    def with_signature(self, scope_key: str, signature: str) -> list[str]:
        return sorted(member.decode() for member in self._redis.smembers(self._k("s", scope_key, signature)))

    def delete(self, scope_key: str, entry_id: str) -> bool:
        entry = self.get(scope_key, entry_id)
        pipe = self._redis.pipeline(transaction=True)
        self._queue_delete(pipe, scope_key, entry_id, entry)
        self._bump(pipe, scope_key)
        return bool(pipe.execute()[0])

    def _queue_delete(self, pipe, scope_key: str, entry_id: str, entry: CacheEntry | None) -> None:
        pipe.delete(self._k("e", scope_key, entry_id))
        pipe.hdel(self._k("v", scope_key), entry_id)
        if entry is not None:
            pipe.delete(self._k("x", scope_key, digest(entry.normalized)))
            if entry.slots_signature:
                pipe.srem(self._k("s", scope_key, entry.slots_signature), entry_id)

    def link(self, answer_id: str, scope_key: str, entry_id: str) -> None:
        self._redis.set(self._k("a", answer_id), f"{scope_key}|{entry_id}", ex=self.ttl_s)

    def entry_for_answer(self, answer_id: str) -> tuple[str, str] | None:
        raw = self._redis.get(self._k("a", answer_id))
        if not raw:
            return None
        scope_key, _, entry_id = raw.decode().rpartition("|")
        return scope_key, entry_id

    def incr(self, counters: dict[str, float]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for name, amount in counters.items():
            pipe.hincrbyfloat(self._k("stats"), name, amount)
        pipe.execute()

    def counters(self) -> dict[str, float]:
        return {k.decode(): float(v) for k, v in self._redis.hgetall(self._k("stats")).items()}

    def entry_count(self) -> int:
        return sum(1 for _ in self._redis.scan_iter(match=self._k("e", "*"), count=1000))

    def clear(self) -> int:
        removed = self.entry_count()
        keys = list(self._redis.scan_iter(match=self._k("*"), count=1000))
        for start in range(0, len(keys), 500):
            self._redis.delete(*keys[start:start + 500])
        with self._lock:
            self._matrices.clear()
        return removed
