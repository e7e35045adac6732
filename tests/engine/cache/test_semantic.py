"""The two tiers on both backends, with the real offline planner and MiniLM."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.cache.keys import CacheScope
from app.engine.cache.semantic import SemanticCache
from app.engine.cache.slots import extract_slots
from app.engine.planning.plan import PlanningContext

AS_OF = dt.date(2026, 7, 1)


@pytest.fixture()
def ask(cache, offline_planner):
    """``ask(question, scope)`` -> the hit or None; a miss stores the plan like a successful answer."""
    def run(question: str, scope: CacheScope, usage: dict | None = None, planner: str = "offline"):
        plan = offline_planner.plan(question, PlanningContext(as_of=scope.as_of))
        slots = extract_slots(question, plan, scope.as_of, offline_planner.values, offline_planner.lexicon)
        hit = cache.lookup(scope, question, lambda: slots)
        if hit is None and slots is not None:
            cache.put(scope, question, slots, plan, planner=planner, usage=usage, answer_id=f"a-{question}")
        return hit
    return run


def _scope(tenant: str = "t1", version: str = "v1", as_of: dt.date = AS_OF) -> CacheScope:
    return CacheScope(tenant=tenant, warehouse_id="duckdb:demo", model_version=version, as_of=as_of)


def test_exact_then_semantic_hit(ask):
    assert ask("Top 5 campaigns by cost last month", _scope()) is None
    exact = ask("top 5 campaigns by cost, last month?", _scope())
    assert exact.tier == "exact" and exact.entry.question == "Top 5 campaigns by cost last month"
    semantic = ask("which 5 campaigns spent the most last month", _scope())
    assert semantic.tier == "semantic" and semantic.entry.plan["query"]["limit"] == 5


def test_near_identical_sentences_with_another_number_miss(ask):
    ask("Top 5 campaigns by cost last month", _scope())
    assert ask("Top 10 campaigns by cost last month", _scope()) is None
    assert ask("revenue this week", _scope()) is None
    ask("revenue last week", _scope())
    assert ask("revenue this week", _scope()).entry.question == "revenue this week"


def test_two_tenants_never_share(ask):
    ask("installs by platform last month", _scope("tenant-a"))
    assert ask("installs by platform last month", _scope("tenant-b")) is None
    assert ask("how many installs per platform last month", _scope("tenant-c")) is None


def test_a_model_change_invalidates(ask):
    ask("installs by platform last month", _scope(version="model-1"))
    assert ask("installs by platform last month", _scope(version="model-2")) is None


def test_another_as_of_day_never_reuses_relative_dates(ask):
    ask("revenue yesterday", _scope(as_of=AS_OF))
    assert ask("revenue yesterday", _scope(as_of=AS_OF + dt.timedelta(days=1))) is None


def test_clarifications_are_not_stored(ask, cache):
    assert ask("how are we doing?", _scope()) is None
    assert cache.stats().stores == 0


def test_wrong_feedback_evicts(ask, cache):
    ask("spend by media source last month", _scope())
    hit = ask("how much did we spend per media source last month", _scope())
    cache.link_answer("a-followup", hit.entry)
    assert cache.evict_answer("a-followup") is True
    assert ask("spend by media source last month", _scope()) is None
    assert cache.evict_answer("a-followup") is False
    assert cache.stats().evictions == 1


def test_stats_count_tiers_and_llm_work_avoided(ask, cache):
    usage = {"llm_calls": 1, "prompt_tokens": 2000, "completion_tokens": 100}
    ask("revenue by country last month", _scope(), usage=usage, planner="llm:openai/gpt-4o")
    ask("Revenue by country last month!", _scope())
    ask("last month's revenue per country", _scope())
    ask("installs yesterday", _scope())
    stats = cache.stats()
    assert (stats.exact_hits, stats.semantic_hits, stats.misses, stats.stores) == (1, 1, 2, 2)
    avoided = (stats.llm_calls_avoided, stats.prompt_tokens_avoided, stats.completion_tokens_avoided)
    assert avoided == (2, 4000, 200)
    assert stats.cost_saved_usd == pytest.approx(2 * (2 * 0.0025 + 0.1 * 0.01))
    assert stats.entries == 2 and stats.hit_rate == 0.5


def test_result_is_kept_only_with_a_result_ttl(store, offline_planner):
    plan = offline_planner.plan("installs yesterday", PlanningContext(as_of=AS_OF))
    slots = extract_slots("installs yesterday", plan, AS_OF, offline_planner.values)
    kept = SemanticCache(store, result_ttl_s=60).put(_scope(), "installs yesterday", slots, plan,
                                                     result={"rows": [[1]]})
    assert kept.fresh_result() == {"rows": [[1]]}
    dropped = SemanticCache(store).put(_scope("t2"), "installs yesterday", slots, plan,
                                       result={"rows": [[1]]})
    assert dropped.fresh_result() is None


def test_slots_only_mode_never_embeds(store, offline_planner):
    def no_embedding(text):
        raise AssertionError(f"embedded {text!r} with the embedding off")

    cache = SemanticCache(store, no_embedding, min_similarity=-1)
    context = PlanningContext(as_of=AS_OF)
    for question in ("installs by platform last month", "how many installs per platform last month"):
        plan = offline_planner.plan(question, context)
        slots = extract_slots(question, plan, AS_OF, offline_planner.values, offline_planner.lexicon)
        hit = cache.lookup(_scope(), question, lambda s=slots: s)
        if hit is None:
            cache.put(_scope(), question, slots, plan)
    assert hit.tier == "semantic" and hit.similarity is None
    assert hit.entry.question == "installs by platform last month"


def test_a_miss_with_new_slots_costs_no_embedding(store, offline_planner):
    calls = []
    cache = SemanticCache(store, lambda text: calls.append(text))
    plan = offline_planner.plan("installs yesterday", PlanningContext(as_of=AS_OF))
    slots = extract_slots("installs yesterday", plan, AS_OF, offline_planner.values, offline_planner.lexicon)
    assert cache.lookup(_scope(), "installs yesterday", lambda: slots) is None and calls == []


def test_wrong_feedback_evicts_every_entry_with_the_same_slots(store, offline_planner):
    cache = SemanticCache(store, min_similarity=-1)
    context = PlanningContext(as_of=AS_OF)
    entries = []
    for question in ("installs by platform last month", "how many installs per platform last month"):
        plan = offline_planner.plan(question, context)
        slots = extract_slots(question, plan, AS_OF, offline_planner.values, offline_planner.lexicon)
        entries.append(cache.put(_scope(), question, slots, plan, answer_id=f"a-{len(entries)}"))
    assert cache.evict_answer("a-0") is True
    assert all(store.get(e.scope_key, e.id) is None for e in entries)
    assert cache.stats().evictions == 2
