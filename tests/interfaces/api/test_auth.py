"""API keys (hashed, scoped, revocable), bearer auth on /api/v1, and per-key rate limiting."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time

import pytest
import sqlalchemy as sa

from app.interfaces.shared.auth import KeyStoreError
from app.interfaces.shared.auth.ratelimit import RedisWindowLimiter, TokenBucketLimiter
from appdb.tables import api_keys
from tests.databases import key_store

BOOTSTRAP = "acme:" + "k" * 30


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_keys_are_stored_hashed_with_a_salt_and_private(tmp_path):
    store = key_store(tmp_path)
    key, raw = store.create("acme", "dashboard")
    with store.database.connect() as connection:
        stored = [dict(row) for row in connection.execute(sa.select(api_keys)).mappings()]
    text = json.dumps(stored)
    # the secret is all after "ask_<id>_" (it may hold "_" itself: splitting on the last one could leave a
    # single letter, found anywhere in the JSON by chance)
    secret = raw.split("_", 2)[2]
    assert raw.startswith(f"ask_{key.key_id}_") and len(secret) >= 20
    assert raw not in text and secret not in text
    assert stored[0]["hash"] == key.hash and len(key.salt) == 32
    assert oct(os.stat(tmp_path / "asklytics.db").st_mode & 0o777) == "0o600"
    assert store.verify(raw).scope == "acme"
    assert store.verify(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None


def test_revocation_reaches_another_process_view_of_the_database(tmp_path):
    server_view, cli_view = key_store(tmp_path), key_store(tmp_path)
    key, raw = cli_view.create("acme")
    assert server_view.verify(raw) is not None  # now remembered in memory
    assert cli_view.revoke(key.key_id)
    assert server_view.verify(raw) is None
    assert not server_view.has_keys()


def test_bootstrap_keys_verify_and_bad_ones_say_how_to_fix(tmp_path):
    store = key_store(tmp_path, BOOTSTRAP)
    assert store.has_keys() and store.verify("k" * 30).scope == "acme"
    assert store.list() == []  # never written
    with pytest.raises(KeyStoreError, match="at least 24 characters"):
        key_store(tmp_path, "acme:short")
    with pytest.raises(KeyStoreError, match="scope"):
        key_store(tmp_path).create("bad scope!")


def test_without_keys_the_loopback_default_is_open(make_client):
    assert make_client().get("/api/v1/metrics").status_code == 200


def test_with_a_key_every_api_call_needs_it(make_client, tmp_path):
    _, raw = key_store(tmp_path / "data").create("acme")
    client = make_client()
    missing = client.get("/api/v1/metrics")
    wrong = client.get("/api/v1/metrics", headers=bearer("ask_000000000000_" + "x" * 43))
    assert missing.status_code == wrong.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "asklytics keys create" in missing.json()["error"]["message"]
    assert wrong.json()["error"] == {"code": "unauthorized", "message": "unknown or revoked API key"}
    assert client.get("/api/v1/metrics", headers=bearer(raw)).status_code == 200
    assert client.get("/healthz").status_code == 200  # probes stay open for orchestrators


def test_require_auth_without_any_key_refuses_everyone(make_client):
    assert make_client(require_auth=True).get("/api/v1/suggestions").status_code == 401


def test_tenants_do_not_see_each_other(make_client):
    client = make_client(api_keys="acme:" + "a" * 30 + ",globex:" + "g" * 30)
    acme, globex = bearer("a" * 30), bearer("g" * 30)
    answer = client.post("/api/v1/ask", json={"question": "installs last month"}, headers=acme).json()
    conversation = answer["conversation_id"]
    assert client.get(f"/api/v1/conversations/{conversation}", headers=acme).status_code == 200
    assert client.get(f"/api/v1/conversations/{conversation}", headers=globex).status_code == 404
    assert client.get("/api/v1/conversations", headers=globex).json() == []
    rated = client.post("/api/v1/feedback", json={"answer_id": answer["answer_id"], "rating": "down"},
                        headers=globex)
    assert rated.status_code == 404


def test_rate_limit_is_a_429_with_retry_after_per_key(make_client):
    client = make_client(rate_limit_per_minute=3, api_keys="acme:" + "a" * 30 + ",globex:" + "g" * 30)
    statuses = [client.get("/api/v1/suggestions", headers=bearer("a" * 30)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/suggestions", headers=bearer("a" * 30))
    assert limited.json()["error"]["code"] == "rate_limited"
    # one token refills in 60 s / 3; the bucket refills continuously (real clock), so the seconds the
    # requests took on a busy machine come off it (19 was seen in CI): at most 20, never the next token's
    assert 15 <= int(limited.headers["retry-after"]) <= 20
    assert client.get("/api/v1/suggestions", headers=bearer("g" * 30)).status_code == 200


def test_token_bucket_refills_continuously():
    now = [0.0]
    limiter = TokenBucketLimiter(per_minute=60, clock=lambda: now[0])
    assert [limiter.take("k") for _ in range(60)] == [0.0] * 60
    assert limiter.take("k") == pytest.approx(1.0)
    now[0] = 0.5
    assert limiter.take("k") == pytest.approx(0.5)
    now[0] = 1.0
    assert limiter.take("k") == 0.0 and limiter.take("other") == 0.0


@pytest.fixture()
def redis_url(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind",
                               "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def test_redis_limiter_is_shared_between_replicas(redis_url):
    first, second = RedisWindowLimiter(redis_url, 3), RedisWindowLimiter(redis_url, 3)
    waits = [first.take("key:a"), second.take("key:a"), first.take("key:a"), second.take("key:a")]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert 1 <= waits[3] <= 60
    assert first.take("key:b") == 0.0
