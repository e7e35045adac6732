"""Conversation stores: in-process, the real Redis server, and the application database on SQLite
and PostgreSQL -- there a follow-up asked in another process, after the first one ended, still
edits the earlier plan."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from app.engine.assistant import Assistant
from app.engine.conversations import (
    DatabaseConversationStore,
    MemoryConversationStore,
    RedisConversationStore,
    Turn,
)
from app.engine.planning.plan import SemanticQueryPlan
from app.settings import Settings
from appdb import open_database
from semantic_layer import SemanticQuery

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryConversationStore()
    url = request.getfixturevalue("redis_url")
    return RedisConversationStore(url, prefix=f"test:{uuid.uuid4().hex}")


@pytest.fixture()
def database_store(app_database_url):
    """The application database's store, on SQLite and on PostgreSQL."""
    database = open_database(app_database_url)
    yield DatabaseConversationStore(lambda: database)
    database.close()


def _turn(question: str) -> Turn:
    plan = SemanticQueryPlan(query=SemanticQuery(metrics=["installs"], dimensions=["platform"]))
    return Turn(question=question, plan=plan.model_dump(mode="json"), status="answered")


def test_turns_round_trip_with_plans(store):
    store.append("c1", _turn("installs by platform"))
    store.append("c1", _turn("just iOS"))
    turns = store.turns("c1")
    assert [t.question for t in turns] == ["installs by platform", "just iOS"]
    assert turns[0].parsed_plan().query.metrics == ("installs",)


def test_scopes_never_mix(store):
    store.append("c1", _turn("tenant a"), scope="a")
    assert store.turns("c1", scope="b") == []
    assert store.list_ids(scope="a") == ["c1"]


def test_delete(store):
    store.append("c2", _turn("q"))
    assert store.delete("c2") is True
    assert store.turns("c2") == []
    assert store.delete("c2") is False


def test_memory_store_is_bounded():
    store = MemoryConversationStore(max_conversations=2)
    for cid in ("a", "b", "c"):
        store.append(cid, _turn(cid))
    assert store.list_ids() == ["c", "b"]


def test_the_database_store_keeps_turns_scopes_and_deletes(database_store):
    test_turns_round_trip_with_plans(database_store)
    test_scopes_never_mix(database_store)
    test_delete(database_store)


def test_the_database_store_lists_the_latest_conversation_first(database_store):
    for cid in ("x", "y", "x"):
        database_store.append(cid, _turn(cid))
    assert database_store.list_ids() == ["x", "y"] and len(database_store.turns("x")) == 2


def test_conversations_are_kept_in_the_application_database_unless_redis_is_set(demo_db_path, tmp_path):
    kept = Assistant(Settings(warehouse_path=demo_db_path, data_dir=tmp_path, cache_enabled=False))
    assert isinstance(kept.conversations, DatabaseConversationStore)
    kept.close()
    memory = Assistant(Settings(warehouse_path=demo_db_path, data_dir=tmp_path, conversation_store="memory"))
    assert isinstance(memory.conversations, MemoryConversationStore)
    memory.close()


WORKER = """
import json, sys
from app.engine.assistant import Assistant
from app.settings import Settings
settings = Settings(warehouse_path=sys.argv[1], data_dir=sys.argv[2], database_url=sys.argv[3],
                    cache_enabled=False)
assistant = Assistant(settings)
answer = assistant.ask(sys.argv[4], sys.argv[5] or None)
print(json.dumps({"conversation_id": answer.conversation_id, "semantic_query": answer.semantic_query}))
assistant.close()
"""


def _ask_in_a_new_process(demo_db_path, data_dir, database_url, question, conversation_id=""):
    done = subprocess.run([sys.executable, "-c", WORKER, str(demo_db_path), str(data_dir), database_url,
                           question, conversation_id], cwd=REPO, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_follow_up_in_another_process_after_a_restart_sees_the_earlier_turn(demo_db_path, tmp_path,
                                                                              app_database_url):
    first = _ask_in_a_new_process(demo_db_path, tmp_path / "one", app_database_url,
                                  "installs by country last month")
    follow_up = _ask_in_a_new_process(demo_db_path, tmp_path / "two", app_database_url, "just iOS",
                                      first["conversation_id"])
    assert follow_up["conversation_id"] == first["conversation_id"]
    assert follow_up["semantic_query"]["metrics"] == ["installs"]
    assert follow_up["semantic_query"]["dimensions"] == ["country"]
    assert "platform = 'iOS'" in follow_up["semantic_query"]["filters"]
