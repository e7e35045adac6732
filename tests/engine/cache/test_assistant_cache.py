"""The cache inside ``Assistant.ask``: hits re-execute, only good answers are stored, eviction, scopes."""
from __future__ import annotations

import uuid

import pytest

from app.engine.assistant import Assistant
from app.engine.cache.semantic import SemanticCache
from app.engine.cache.store import MemoryCacheStore
from app.settings import Settings
from semantic_layer import DEMO_MODEL_PATH, SemanticModel, load_semantic_model


@pytest.fixture(scope="module")
def shared_assistant(demo_db_path, duckdb_wh):
    return Assistant(Settings(warehouse_path=demo_db_path, planner="offline"), warehouse=duckdb_wh)


@pytest.fixture()
def make_assistant(shared_assistant, demo_db_path, duckdb_wh):
    """An assistant on ``store`` (default: a fresh in-process one), reusing the shared planner indexes."""
    def make(store=None, model=None, **settings):
        assistant = Assistant(Settings(warehouse_path=demo_db_path, planner="offline", **settings),
                              warehouse=duckdb_wh, model=model or shared_assistant.model,
                              cache=SemanticCache(store or MemoryCacheStore(),
                                                  result_ttl_s=settings.get("cache_result_ttl_s", 0)))
        if model is None:
            assistant.router = shared_assistant.router
        return assistant
    return make


def test_a_paraphrase_is_answered_from_the_cache_with_fresh_rows(make_assistant):
    assistant = make_assistant()
    first = assistant.ask("Installs by platform last month")
    again = assistant.ask("how many installs per platform last month")
    assert (first.status, first.cached, again.status, again.cached) == ("answered", False, "answered", True)
    assert again.rows == first.rows and again.sql == first.sql and again.columns == first.columns
    assert again.planner == "offline" and again.usage.llm_calls == 0
    assert "cache_lookup" in again.timings_ms and "execute" in again.timings_ms  # re-executed, not replayed
    assert "plan" not in again.timings_ms
    assert assistant.cache.stats().semantic_hits == 1


def test_other_numbers_and_tenants_do_not_hit(make_assistant):
    assistant = make_assistant()
    assistant.ask("top 5 campaigns by cost last month", scope="tenant-a")
    assert assistant.ask("top 10 campaigns by cost last month", scope="tenant-a").cached is False
    assert assistant.ask("top 5 campaigns by cost last month", scope="tenant-b").cached is False
    assert assistant.ask("top 5 campaigns by cost last month", scope="tenant-a").cached is True


def test_clarifications_refusals_and_errors_are_not_cached(make_assistant):
    assistant = make_assistant()
    for question in ("how are we doing?", "drop table installs", ""):
        assistant.ask(question)
        assert assistant.ask(question).cached is False
    assert assistant.cache.stats().stores == 0


def test_wrong_feedback_evicts_the_entry(make_assistant):
    assistant = make_assistant()
    assistant.ask("spend by media source last month")
    hit = assistant.ask("how much did we spend per media source last month")
    assert hit.cached is True
    assert assistant.evict_answer(hit.answer_id) is True
    assert assistant.ask("spend by media source last month").cached is False
    assert assistant.evict_answer("a-never-given") is False


def test_a_model_change_invalidates(make_assistant, demo_db_path):
    store = MemoryCacheStore()
    make_assistant(store).ask("revenue by country last month")
    model = load_semantic_model(DEMO_MODEL_PATH)
    metrics = tuple(m.model_copy(update={"description": "edited"}) if m.name == "revenue" else m
                    for m in model.spec.metrics)
    spec = model.spec.model_copy(update={"metrics": metrics})
    edited = make_assistant(store, model=SemanticModel(spec, DEMO_MODEL_PATH))
    assert edited.ask("revenue by country last month").cached is False
    assert make_assistant(store).ask("revenue by country last month").cached is True


def test_follow_ups_are_scoped_by_the_conversation_context(make_assistant):
    assistant = make_assistant()
    first = assistant.ask("installs by platform last month")
    follow = assistant.ask("just iOS", first.conversation_id)
    other = assistant.ask("revenue by country last month")
    assert assistant.ask("just iOS", other.conversation_id).cached is False
    again = assistant.ask("installs by platform last month")
    repeated = assistant.ask("just iOS", again.conversation_id)
    assert repeated.cached is True and repeated.rows == follow.rows


def test_a_cached_plan_that_no_longer_runs_is_dropped(make_assistant):
    assistant = make_assistant()
    assistant.ask("installs yesterday")
    store = assistant.cache.store
    (scope_key, index), = store._scopes.items()
    entry = next(iter(index.entries.values()))
    entry.plan = {**entry.plan, "query": {**entry.plan["query"], "metrics": ["no_such_metric"]}}
    answer = assistant.ask("installs yesterday")
    assert answer.status == "answered" and answer.cached is False
    assert store.get(scope_key, entry.id) is None


def test_result_ttl_reuses_rows_without_executing(make_assistant):
    assistant = make_assistant(cache_result_ttl_s=60)
    first = assistant.ask("clicks by ad format last month")
    again = assistant.ask("Clicks by ad format, last month")
    assert again.cached is True and again.rows == first.rows and again.chart == first.chart
    assert "execute" not in again.timings_ms and again.answer == first.answer


def test_replicas_share_the_redis_cache(make_assistant, make_redis_store):
    prefix = f"test:cache:{uuid.uuid4().hex}"
    make_assistant(make_redis_store(prefix)).ask("paying users by platform last month")
    replica = make_assistant(make_redis_store(prefix))
    hit = replica.ask("how many paying users per platform last month")
    assert hit.cached is True and hit.status == "answered"
    assert replica.cache.stats().backend == "redis"


def test_settings_choose_the_backend(demo_db_path, duckdb_wh, redis_url):
    disabled = Assistant(Settings(warehouse_path=demo_db_path, cache_enabled=False), warehouse=duckdb_wh)
    assert disabled.cache is None and disabled.evict_answer("a-1") is False
    shared = Assistant(Settings(warehouse_path=demo_db_path, redis_url=redis_url), warehouse=duckdb_wh)
    assert shared.cache.store.name == "redis"
    assert Assistant(Settings(warehouse_path=demo_db_path), warehouse=duckdb_wh).cache.store.name == "memory"


def test_concurrent_askers_share_one_redis_cache(make_assistant, make_redis_store):
    from concurrent.futures import ThreadPoolExecutor

    assistant = make_assistant(make_redis_store())
    questions = ["installs by platform last month", "how many installs per platform last month",
                 "revenue by country last month", "last month's revenue per country"] * 3
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(assistant.ask, questions))
    assert all(a.status == "answered" for a in answers)
    by_question = {}
    for answer in answers:  # DuckDB's parallel float sums differ in the last digits from run to run
        rounded = [[round(v, 4) if isinstance(v, float) else v for v in row] for row in answer.rows]
        by_question.setdefault(answer.question, []).append(rounded)
    assert all(rows == group[0] for group in by_question.values() for rows in group)
    stats = assistant.cache.stats()
    # Which asks hit depends on thread timing; the books must balance whatever the timing.
    assert stats.lookups == len(questions) and stats.stores == stats.misses >= 2
    assert stats.entries <= stats.stores
