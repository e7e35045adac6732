"""The workload's hard negatives never hit; its paraphrases mostly do (benchmarks/cache_workload.yaml)."""
from __future__ import annotations

import pytest

from app.engine.cache.semantic import SemanticCache
from app.engine.cache.workload import CacheReplayer, wrong_hits_on_hard_negatives


def test_workload_has_the_promised_size(workload):
    assert len(workload.bases) >= 60 and all(len(b.paraphrases) >= 4 for b in workload.bases)
    assert len(workload.hard_negatives) >= 150
    kinds = {"number", "date", "entity", "metric", "sort", "negation"}
    assert {p.kind for p in workload.hard_negatives} == kinds


@pytest.mark.parametrize("min_similarity", [0.3, -1.0], ids=["embedding-gate", "slots-only"])
def test_no_hard_negative_hits(store, offline_planner, workload, min_similarity):
    replayer = CacheReplayer(SemanticCache(store, min_similarity=min_similarity), offline_planner,
                             workload.as_of)
    wrong, stored = wrong_hits_on_hard_negatives(replayer, workload.hard_negatives)
    assert [(p.a, p.b) for p, _ in wrong] == []
    # Each pair's first question was really stored, so every "miss" above was a real test.
    assert stored == len(workload.hard_negatives)


@pytest.mark.parametrize("min_similarity", [0.3, -1.0], ids=["embedding-gate", "slots-only"])
def test_paraphrases_hit_their_own_base(offline_planner, workload, min_similarity):
    from app.engine.cache.store import MemoryCacheStore

    cache = SemanticCache(MemoryCacheStore(), min_similarity=min_similarity)
    replayer = CacheReplayer(cache, offline_planner, workload.as_of)
    owner = {b.question: b.id for b in workload.bases if replayer.ask(b.question).stored}
    right = wrong = 0
    for base in workload.bases:
        for paraphrase in base.paraphrases:
            asked = replayer.ask(paraphrase)
            owner.setdefault(paraphrase, base.id)
            if asked.hit is not None:
                right += owner.get(asked.hit.entry.question) == base.id
                wrong += owner.get(asked.hit.entry.question) != base.id
    total = sum(len(b.paraphrases) for b in workload.bases)
    assert wrong == 0
    assert right / total >= 0.8, f"paraphrase hit rate {right / total:.1%}"
