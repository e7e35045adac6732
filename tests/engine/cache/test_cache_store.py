"""Both backends (in-process and the real Redis server): entries, scopes, eviction, concurrency."""
from __future__ import annotations

import threading
import time
import uuid

import numpy as np

from app.engine.cache.keys import normalize_question
from app.engine.cache.store import CacheEntry, MemoryCacheStore


def _entry(scope_key: str, question: str, **overrides) -> CacheEntry:
    fields = {"id": uuid.uuid4().hex[:16], "scope_key": scope_key, "question": question,
                  "normalized": normalize_question(question), "slots_signature": "sig",
                  "plan": {"kind": "semantic_query", "query": {"metrics": ["installs"]}},
                  "planner": "offline"}
    return CacheEntry(**{**fields, **overrides})


def _vector(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=384).astype(np.float32)
    return vector / np.linalg.norm(vector)


def test_put_then_exact_get_and_neighbours(store):
    entry = _entry("t:1", "Installs by platform")
    store.put(entry, _vector(1))
    assert store.exact("t:1", "installs by platform").plan == entry.plan
    assert store.get("t:1", entry.id).question == "Installs by platform"
    ids, matrix = store.neighbours("t:1")
    assert ids == [entry.id] and np.allclose(matrix[0], _vector(1))


def test_scopes_never_share(store):
    store.put(_entry("tenant-a:x", "revenue last week"), _vector(2))
    assert store.exact("tenant-b:x", "revenue last week") is None
    assert store.neighbours("tenant-b:x")[0] == []


def test_delete_removes_every_trace(store):
    entry = _entry("t:1", "spend by country")
    store.put(entry, _vector(3))
    assert store.delete("t:1", entry.id) is True
    assert store.exact("t:1", "spend by country") is None and store.get("t:1", entry.id) is None
    assert store.neighbours("t:1")[0] == []
    assert store.delete("t:1", entry.id) is False


def test_storing_the_same_question_again_replaces_the_entry(store):
    first, second = _entry("t:1", "cpi by source"), _entry("t:1", "CPI by source?")
    store.put(first, _vector(4))
    store.put(second, _vector(5))
    assert store.exact("t:1", "cpi by source").id == second.id
    assert store.neighbours("t:1")[0] == [second.id] and store.entry_count() == 1


def test_slot_signature_index_follows_puts_and_deletes(store):
    one, two = _entry("t:1", "installs by platform"), _entry("t:1", "installs per platform")
    other = _entry("t:1", "revenue by country", slots_signature="other")
    for entry in (one, two, other):
        store.put(entry, _vector(11))
    assert store.with_signature("t:1", "sig") == sorted([one.id, two.id])
    assert store.with_signature("t:2", "sig") == []
    store.delete("t:1", one.id)
    assert store.with_signature("t:1", "sig") == [two.id]
    store.put(_entry("t:1", "Installs per platform?"), None)  # replaces ``two``
    assert two.id not in store.with_signature("t:1", "sig")


def test_answer_links_and_counters(store):
    entry = _entry("t:1", "dau yesterday")
    store.put(entry, None)
    store.link("a-1", "t:1", entry.id)
    assert store.entry_for_answer("a-1") == ("t:1", entry.id)
    assert store.entry_for_answer("a-unknown") is None
    store.incr({"misses": 1, "cost_saved_usd": 0.25})
    store.incr({"misses": 2})
    assert store.counters() == {"misses": 3.0, "cost_saved_usd": 0.25}


def test_concurrent_writers_lose_nothing(store):
    questions = [f"installs in country {n}" for n in range(40)]

    def write(chunk: list[str]) -> None:
        for question in chunk:
            store.put(_entry("t:shared", question), _vector(len(question) + hash(question) % 1000))
            store.incr({"stores": 1})

    threads = [threading.Thread(target=write, args=(questions[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(store.exact("t:shared", normalize_question(q)) is not None for q in questions)
    ids, matrix = store.neighbours("t:shared")
    assert len(ids) == len(set(ids)) == 40 and matrix.shape == (40, 384)
    assert store.counters()["stores"] == 40


def test_memory_store_is_bounded_and_expires():
    store = MemoryCacheStore(max_entries=2)
    entries = [_entry("t:1", q) for q in ("a b", "c d", "e f")]
    for entry in entries:
        store.put(entry, _vector(7))
    assert store.exact("t:1", "a b") is None and store.entry_count() == 2
    assert len(store.neighbours("t:1")[0]) == 2
    stale = _entry("t:2", "old question", expires_at=time.time() - 1)
    store.put(stale, None)
    assert store.exact("t:2", "old question") is None


def test_redis_is_shared_between_processes_and_refreshes_embeddings(make_redis_store):
    prefix = f"test:cache:{uuid.uuid4().hex}"
    writer, reader = make_redis_store(prefix), make_redis_store(prefix)  # two app replicas
    first = _entry("t:1", "revenue by country")
    writer.put(first, _vector(8))
    assert reader.exact("t:1", "revenue by country").id == first.id
    assert reader.neighbours("t:1")[0] == [first.id]
    second = _entry("t:1", "installs by platform")
    writer.put(second, _vector(9))  # bumps the scope's version: the reader's cached matrix is stale
    assert sorted(reader.neighbours("t:1")[0]) == sorted([first.id, second.id])
    writer.delete("t:1", first.id)
    assert reader.neighbours("t:1")[0] == [second.id]


def test_redis_entries_carry_the_ttl(make_redis_store):
    store = make_redis_store(ttl_s=120)
    entry = _entry("t:1", "clicks yesterday")
    store.put(entry, _vector(10))
    redis = store._redis
    for key in (store._k("e", "t:1", entry.id), store._k("v", "t:1"), store._k("n", "t:1")):
        assert 0 < redis.ttl(key) <= 120
