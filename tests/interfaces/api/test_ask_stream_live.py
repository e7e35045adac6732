"""``/ask/stream`` sends each step as it finishes (#19), over real HTTP from a real server.

The warehouse's ``execute`` is held at a gate the test opens: the events that arrive while the
query cannot have finished prove they are sent as the steps finish, with no timing in the test.
"""
from __future__ import annotations

import json

import httpx
import pytest
from live_server import hold_queries, serve

from app.settings import Settings

QUESTION = "installs by platform last month"


@pytest.fixture()
def held_server(demo_db_path, tmp_path):
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", cache_enabled=False)
    live = serve(settings)
    gate = hold_queries(live)
    yield live, gate
    gate.remove()
    live.stop()


def _events(lines):
    """(event, data) pairs from an iterator of SSE lines."""
    name = None
    for line in lines:
        if line.startswith("event: "):
            name = line[len("event: "):]
        elif line.startswith("data: "):
            yield name, json.loads(line[len("data: "):])


def test_plan_and_sql_arrive_while_the_query_is_still_running(held_server):
    live, gate = held_server
    with (httpx.Client(base_url=live.url, timeout=120) as client,
          client.stream("POST", "/api/v1/ask/stream", json={"question": QUESTION}) as response):
        assert response.status_code == 200
        events = _events(response.iter_lines())
        seen = []
        for name, data in events:
            seen.append(name)
            if name == "sql":
                sql = data["sql"]
                break
        assert seen == ["accepted", "plan", "sql"]
        # the query behind that SQL is at the gate: it has not returned, and the stream was sent
        assert gate.waiting.acquire(timeout=120) and not gate.opened.is_set()
        gate.opened.set()
        rest = list(events)
    names = [name for name, _ in rest]
    assert names == ["rows", "chart", "answer", "done"]
    answer = dict(rest)["answer"]
    assert answer["status"] == "answered" and answer["sql"] == sql
    assert sorted(row[0] for row in answer["rows"]) == ["Android", "iOS"]
    assert dict(rest)["rows"]["rows"] == answer["rows"]


def test_a_refusal_streams_its_plan_then_the_answer(held_server):
    live, gate = held_server
    gate.opened.set()
    with httpx.Client(base_url=live.url, timeout=120) as client:
        text = client.post("/api/v1/ask/stream", json={"question": "delete all campaigns"}).text
    names = [line[len("event: "):] for line in text.splitlines() if line.startswith("event: ")]
    assert names == ["accepted", "plan", "answer", "done"]
