"""Redis configured but unreachable: every /api/v1 call still gets JSON (200 with the degraded part
named, or a 503 error object), Redis is tried once and then skipped, and /readyz says Redis is down."""
from __future__ import annotations

import json

import pytest

from app.engine.redis_client import breaker_for

QUESTION = "installs by platform last month"


@pytest.fixture(params=["refused", "stalled"])
def dead_redis(request) -> tuple[str, object]:
    """(url, the stalled listener or None): a closed port, or a listener that never answers."""
    if request.param == "refused":
        return request.getfixturevalue("closed_redis_url"), None
    server = request.getfixturevalue("stalled_redis")
    return server.url, server


def _settings(url: str, **overrides) -> dict:
    return {"redis_url": url, "redis_timeout_s": 0.2, "redis_cooldown_s": 300, "rate_limit_per_minute": 1000,
            **overrides}


def _json(response) -> dict | list | None:
    assert response.headers["content-type"].startswith("application/json"), response.text[:200]
    return response.json()


def test_every_api_call_answers_json_while_redis_is_down(make_client, dead_redis):
    url, stalled = dead_redis
    client = make_client(**_settings(url))
    first = client.post("/api/v1/ask", json={"question": QUESTION})
    assert first.status_code == 200
    answer = _json(first)
    assert answer["status"] == "answered" and answer["rows"]
    assert answer["degraded"] == ["cache", "conversations"]  # planned without the cache, turn not saved

    follow_up = client.post("/api/v1/ask",
                            json={"question": "just iOS", "conversation_id": answer["conversation_id"]})
    assert follow_up.status_code == 503
    # never answered without its context
    assert _json(follow_up)["error"]["code"] == "conversations_unavailable"

    stream = client.post("/api/v1/ask/stream", json={"question": QUESTION})
    assert stream.status_code == 200
    events = [line[len("data: "):] for line in stream.text.splitlines() if line.startswith("data: ")]
    assert json.loads(events[-2])["status"] == "answered"  # the `answer` event, then `done`

    expected = {
        ("POST", "/api/v1/conversations", None): 201,
        ("GET", "/api/v1/conversations", None): 503,
        ("GET", "/api/v1/conversations/c-0123456789abcdef", None): 503,
        ("DELETE", "/api/v1/conversations/c-0123456789abcdef", None): 503,
        ("POST", "/api/v1/feedback", json.dumps({"answer_id": answer["answer_id"], "rating": "down"})): 503,
        ("GET", "/api/v1/cache/stats", None): 503,
        ("GET", "/api/v1/metrics", None): 200,
        ("GET", "/api/v1/suggestions", None): 200,
        ("GET", "/api/v1/schema", None): 200,
    }
    for (method, path, body), status in expected.items():
        response = client.request(method, path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == status, (method, path, response.text[:300])
        if status == 503:
            error = _json(response)["error"]
            assert error["code"] in {"cache_unavailable", "conversations_unavailable"}
            assert "redis://" not in error["message"] and "127.0.0.1" not in error["message"]
            assert int(response.headers["Retry-After"]) >= 1
        else:
            _json(response)

    # Bounded: Redis was tried once; every later call of every component skipped it (no 5 s waits).
    breaker = breaker_for(url)
    assert breaker.failures == 1 and breaker.skipped >= 10
    if stalled is not None:
        assert stalled.accepted == 1


def test_every_redis_client_uses_the_configured_timeout(make_client, closed_redis_url):
    client = make_client(**_settings(closed_redis_url, redis_timeout_s=0.3))
    client.get("/api/v1/metrics")  # builds the assistant
    assistant = client.app.state.asklytics.assistant()
    clients = [client.app.state.api.limiter._redis, assistant.cache.store._redis,
               assistant.conversations._redis]
    for redis_client in clients:
        options = redis_client.connection_pool.connection_kwargs
        assert (options["socket_connect_timeout"], options["socket_timeout"]) == (0.3, 0.3)
        assert options["retry"].get_retries() == 0


def test_readyz_reports_redis_down_and_what_each_component_does(make_client, dead_redis):
    url, _ = dead_redis
    client = make_client(**_settings(url))
    response = client.get("/readyz")
    assert response.status_code == 200  # the warehouse, the one required part, answers
    body = response.json()
    assert body["status"] == "degraded"
    components = body["components"]
    assert components["warehouse"] == {"status": "up", "required": True, "engine": "duckdb"}
    assert components["redis"]["status"] == "down" and components["redis"]["required"] is False
    assert components["redis"]["error"] in {"timed out", "connection failed"}
    assert "rate limits" in components["redis"]["role"] and "conversations" in components["redis"]["role"]
    assert components["rate_limit"]["status"] == "degraded"
    assert components["cache"]["status"] == "degraded"
    assert components["conversations"]["status"] == "down"
    assert "slack" not in components
    assert client.get("/readyz").json()["components"]["redis"]["retry_in_s"] > 0  # skipped, not re-dialled


def test_readyz_with_redis_up_is_ready(make_client, redis_url):
    body = make_client(redis_url=redis_url).get("/readyz").json()
    assert body["status"] == "ready"
    assert {name: c["status"] for name, c in body["components"].items()} == {
        "warehouse": "up", "redis": "up", "rate_limit": "up", "cache": "up", "conversations": "up"}


def test_the_rate_limit_holds_in_each_replica_while_redis_is_down(make_client, closed_redis_url):
    client = make_client(**_settings(closed_redis_url, rate_limit_per_minute=3))
    statuses = [client.get("/api/v1/metrics").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # neither fail-open nor a locked-out API
