"""Conversation stores: in-process and the real Redis server."""
from __future__ import annotations

import uuid

import pytest

from app.engine.conversations import MemoryConversationStore, RedisConversationStore, Turn
from app.engine.planning.plan import SemanticQueryPlan
from semantic_layer import SemanticQuery


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return MemoryConversationStore()
    url = request.getfixturevalue("redis_url")
    return RedisConversationStore(url, prefix=f"test:{uuid.uuid4().hex}")


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
