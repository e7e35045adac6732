"""Threads and seen deliveries: in process, or in the real Redis so every replica agrees."""
from __future__ import annotations

import os
import uuid

import pytest

from app.interfaces.slack.dedupe import DeliveryDeduper, retry_number
from app.interfaces.slack.threads import ThreadConversations
from app.interfaces.slack.ttl_store import LocalTtlStore, RedisTtlStore

REDIS_URL = os.environ.get("ASKLYTICS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _store(kind: str, ttl_s: float = 60):
    if kind == "local":
        return LocalTtlStore(ttl_s)
    return RedisTtlStore(REDIS_URL, f"test:slack:{uuid.uuid4().hex}", ttl_s)


@pytest.mark.parametrize("kind", ["local", "redis"])
def test_a_thread_keeps_its_conversation(kind):
    threads = ThreadConversations(_store(kind))
    assert threads.conversation_for("T1", "C1", "1.1") is None
    threads.remember("T1", "C1", "1.1", "c-abc")
    assert threads.conversation_for("T1", "C1", "1.1") == "c-abc"
    assert threads.conversation_for("T1", "C2", "1.1") is None  # same ts in another channel is another thread


@pytest.mark.parametrize("kind", ["local", "redis"])
def test_an_event_id_is_claimed_once_across_replicas(kind):
    store = _store(kind)
    if kind == "redis":  # a second replica: its own client, the same keys
        other = RedisTtlStore(REDIS_URL, store._prefix, 60)
    else:
        other = store
    first, second = DeliveryDeduper(store), DeliveryDeduper(other)
    assert first.first_delivery({"event_id": "Ev1"}, None) is True
    assert second.first_delivery({"event_id": "Ev1"}, "1") is False
    # a retry whose first delivery never arrived
    assert second.first_delivery({"event_id": "Ev2"}, "1") is True


def test_commands_and_clicks_are_claimed_by_the_request_slack_signed():
    deduper = DeliveryDeduper(LocalTtlStore(60))
    signed = "v0:1700000000:command=%2Fask&text=revenue&trigger_id=1.2.3"
    assert deduper.first_delivery({"command": "/ask"}, None, signed) is True
    assert deduper.first_delivery({"command": "/ask"}, None, signed) is False  # a replay of the same bytes
    later = signed.replace("1700000000", "1700000001")
    assert deduper.first_delivery({"command": "/ask"}, None, later) is True
    # Socket Mode: no signed request, nothing to claim by, so it runs
    assert all(deduper.first_delivery({"command": "/ask"}, None) for _ in range(2))
    assert all(deduper.first_delivery({"type": "url_verification"}, None, signed) for _ in range(2))


def test_deliveries_are_claimed_in_process_while_redis_is_down(closed_redis_url):
    deduper = DeliveryDeduper(RedisTtlStore(closed_redis_url, "test:slack:down", 60, timeout_s=0.2))
    assert deduper.first_delivery({"event_id": "Ev1"}, None) is True
    assert deduper.first_delivery({"event_id": "Ev1"}, "1") is False
    assert deduper.first_delivery({"event_id": "Ev2"}, None) is True


def test_local_entries_expire():
    clock = FakeClock()
    store = LocalTtlStore(10, clock=clock)
    store.set("k", "v")
    assert store.add("k") is False
    clock.now = 11
    assert store.get("k") is None and store.add("k") is True


def test_retry_number_reads_bolts_normalized_headers():
    assert retry_number({"x-slack-retry-num": ["2"]}) == "2"
    assert retry_number({}) is None
