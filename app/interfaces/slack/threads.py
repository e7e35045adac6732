"""Slack thread -> conversation id, so a follow-up in the same thread continues the conversation."""
from __future__ import annotations

from app.engine.redis_client import redis_options
from app.interfaces.slack.ttl_store import open_ttl_store

THREAD_TTL_S = 7 * 24 * 3600  # a week-old thread starts afresh


class ThreadConversations:
    def __init__(self, store):
        self._store = store

    @classmethod
    def from_settings(cls, settings) -> ThreadConversations:
        # Component "conversations": a thread's conversation is its follow-up context (see slack/asking.py).
        return cls(open_ttl_store(settings.redis_url, "asklytics:slack:thread", THREAD_TTL_S,
                                  component="conversations", **redis_options(settings)))

    def conversation_for(self, team: str, channel: str, thread_ts: str) -> str | None:
        return self._store.get(thread_key(team, channel, thread_ts))

    def remember(self, team: str, channel: str, thread_ts: str, conversation_id: str) -> None:
        self._store.set(thread_key(team, channel, thread_ts), conversation_id)


def thread_key(team: str, channel: str, thread_ts: str) -> str:
    return f"{team}:{channel}:{thread_ts}"
