"""Conversation state: each turn's question and plan, so follow-ups edit the last plan.

Where (``ASKLYTICS_CONVERSATION_STORE``): Redis when ``ASKLYTICS_REDIS_URL`` is set, else the
application database (both shared by every process and replica; the database also keeps them
across restarts), or in-process memory. Turns are stored as JSON (plans are pydantic data),
never pickled.

When Redis is unreachable the Redis store raises ``RedisUnavailable`` rather than
pretend a conversation is empty: a follow-up answered without its earlier turns
answers another question ("just iOS" of what?), so callers refuse follow-ups then.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from pydantic import TypeAdapter

from app.engine.planning.plan import Plan
from app.engine.redis_client import REDIS_COOLDOWN_S, REDIS_TIMEOUT_S, open_redis
from appdb import Database
from appdb import conversations as rows
from common.errors import AsklyticsError

PLAN_ADAPTER: TypeAdapter = TypeAdapter(Plan)
TURN_TTL_S = 7 * 24 * 3600


@dataclass
class Turn:
    question: str
    plan: dict[str, Any] | None  # Plan as JSON-able data
    status: str
    answer_id: str | None = None
    created_at: float = field(default_factory=time.time)

    def parsed_plan(self) -> Plan | None:
        return PLAN_ADAPTER.validate_python(self.plan) if self.plan else None


def new_conversation_id() -> str:
    return f"c-{uuid.uuid4().hex[:16]}"


class ConversationStore(Protocol):
    def turns(self, conversation_id: str, scope: str = "default") -> list[Turn]: ...
    def append(self, conversation_id: str, turn: Turn, scope: str = "default") -> None: ...
    def delete(self, conversation_id: str, scope: str = "default") -> bool: ...
    def list_ids(self, scope: str = "default") -> list[str]: ...


class MemoryConversationStore:
    """Bounded in-process store (least recently used conversations are dropped)."""

    def __init__(self, max_conversations: int = 10_000):
        self._data: OrderedDict[tuple[str, str], list[Turn]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_conversations

    def turns(self, conversation_id: str, scope: str = "default") -> list[Turn]:
        with self._lock:
            return list(self._data.get((scope, conversation_id), ()))

    def append(self, conversation_id: str, turn: Turn, scope: str = "default") -> None:
        with self._lock:
            key = (scope, conversation_id)
            self._data.setdefault(key, []).append(turn)
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def delete(self, conversation_id: str, scope: str = "default") -> bool:
        with self._lock:
            return self._data.pop((scope, conversation_id), None) is not None

    def list_ids(self, scope: str = "default") -> list[str]:
        with self._lock:
            return [cid for (s, cid) in reversed(self._data) if s == scope]


class RedisConversationStore:
    """Turns as a Redis list per conversation, expiring a week after the last turn."""

    def __init__(self, url: str, prefix: str = "asklytics:conv", *, timeout_s: float = REDIS_TIMEOUT_S,
                 cooldown_s: float = REDIS_COOLDOWN_S):
        self._redis = open_redis(url, component="conversations", timeout_s=timeout_s, cooldown_s=cooldown_s,
                                 decode_responses=True)
        self._prefix = prefix

    def _key(self, scope: str, conversation_id: str) -> str:
        return f"{self._prefix}:{scope}:{conversation_id}"

    def turns(self, conversation_id: str, scope: str = "default") -> list[Turn]:
        raw = self._redis.lrange(self._key(scope, conversation_id), 0, -1)
        return [Turn(**json.loads(item)) for item in raw]

    def append(self, conversation_id: str, turn: Turn, scope: str = "default") -> None:
        key = self._key(scope, conversation_id)
        pipe = self._redis.pipeline()
        pipe.rpush(key, json.dumps(asdict(turn), default=str))
        pipe.expire(key, TURN_TTL_S)
        pipe.zadd(f"{self._prefix}:{scope}:_index", {conversation_id: time.time()})
        pipe.execute()

    def delete(self, conversation_id: str, scope: str = "default") -> bool:
        removed = self._redis.delete(self._key(scope, conversation_id))
        self._redis.zrem(f"{self._prefix}:{scope}:_index", conversation_id)
        return bool(removed)

    def list_ids(self, scope: str = "default") -> list[str]:
        return list(self._redis.zrevrange(f"{self._prefix}:{scope}:_index", 0, -1))


class DatabaseConversationStore:
    """Turns as rows of the application database's ``conversation_turns`` table.

    ``database`` is a callable so the database is opened on first use, not when the store is made.
    """

    def __init__(self, database: Callable[[], Database]):
        self._database = database

    def turns(self, conversation_id: str, scope: str = "default") -> list[Turn]:
        with self._database().connect() as connection:
            return [Turn(**row) for row in rows.conversation_turns(connection, scope, conversation_id)]

    def append(self, conversation_id: str, turn: Turn, scope: str = "default") -> None:
        with self._database().begin() as connection:
            rows.append_turn(connection, scope, conversation_id, question=turn.question, plan=turn.plan,
                             status=turn.status, answer_id=turn.answer_id, created_at=turn.created_at)

    def delete(self, conversation_id: str, scope: str = "default") -> bool:
        with self._database().begin() as connection:
            return rows.delete_conversation(connection, scope, conversation_id)

    def list_ids(self, scope: str = "default") -> list[str]:
        with self._database().connect() as connection:
            return rows.conversation_ids(connection, scope)


def open_conversation_store(redis_url: str | None, *, kind: str = "auto",
                            database: Callable[[], Database] | None = None,
                            **redis_options: float) -> ConversationStore:
    """``kind``: auto (Redis when ``redis_url`` is set, else ``database``, else memory), database,
    redis or memory. ``redis_options``: the client's ``timeout_s`` and ``cooldown_s``."""
    if kind == "auto":
        kind = "redis" if redis_url else "database" if database is not None else "memory"
    if kind == "redis":
        if not redis_url:
            raise AsklyticsError("ASKLYTICS_CONVERSATION_STORE=redis needs ASKLYTICS_REDIS_URL",
                                 code="configuration_error")
        return RedisConversationStore(redis_url, **redis_options)
    if kind == "database":
        if database is None:
            raise AsklyticsError("no application database to keep conversations in",
                                 code="configuration_error")
        return DatabaseConversationStore(database)
    return MemoryConversationStore()
