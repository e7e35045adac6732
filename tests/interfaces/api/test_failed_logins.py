"""Failed logins: limited per client address and per key id before any hashing, and one hash per attempt.

Every scrypt computation is counted (``hashlib.scrypt`` itself), so no path that
hashes escapes the count.
"""
from __future__ import annotations

import hashlib
import secrets
import time

import pytest
from fastapi.testclient import TestClient

from app.interfaces.shared.auth import hashing
from tests.databases import key_store

METRICS = "/api/v1/metrics"
LIMIT = 3


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture()
def scrypt_calls(monkeypatch):
    calls = []
    real = hashlib.scrypt

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashing.hashlib, "scrypt", counted)
    return calls


@pytest.fixture()
def stored_key(tmp_path):
    key, raw = key_store(tmp_path / "data").create("acme")
    return key, raw


def _wrong_secret(key_id: str) -> str:
    return f"ask_{key_id}_{secrets.token_urlsafe(32)}"


def _unknown_id() -> str:
    return _wrong_secret(secrets.token_hex(6))


def _malformed() -> str:
    return secrets.token_urlsafe(40)


@pytest.mark.parametrize("bad_token", ["same key id", "rotating unknown ids", "malformed"])
def test_a_flood_of_wrong_keys_from_one_address_gets_429_without_hashing(
        make_client, stored_key, scrypt_calls, bad_token):
    key, _ = stored_key
    make_token = {"same key id": lambda: _wrong_secret(key.key_id), "rotating unknown ids": _unknown_id,
                  "malformed": _malformed}[bad_token]
    client = make_client(login_failure_limit=LIMIT, login_failure_window_s=60)
    scrypt_calls.clear()
    statuses = [client.get(METRICS, headers=bearer(make_token())).status_code for _ in range(LIMIT)]
    hashed = len(scrypt_calls)
    flood = [client.get(METRICS, headers=bearer(make_token())) for _ in range(20)]
    assert statuses == [401] * LIMIT
    assert {r.status_code for r in flood} == {429}
    assert len(scrypt_calls) == hashed  # refused before any hashing
    assert flood[0].json()["error"]["code"] == "rate_limited"
    assert 1 <= int(flood[0].headers["retry-after"]) <= 60


def test_one_key_id_attacked_from_many_addresses_is_limited(make_client, stored_key, scrypt_calls):
    key, raw = stored_key
    first = make_client(login_failure_limit=LIMIT, login_failure_window_s=60)

    def from_address(number: int) -> TestClient:
        return TestClient(first.app, client=(f"198.51.100.{number}", 40000))

    for number in range(LIMIT):
        assert from_address(number).get(METRICS, headers=bearer(_wrong_secret(key.key_id))).status_code == 401
    scrypt_calls.clear()
    assert from_address(50).get(METRICS, headers=bearer(_wrong_secret(key.key_id))).status_code == 429
    assert from_address(51).get(METRICS, headers=bearer(raw)).status_code == 429  # not even the right secret
    assert scrypt_calls == []
    # other ids and other addresses are not held back
    assert from_address(52).get(METRICS, headers=bearer(_unknown_id())).status_code == 401


def test_a_key_already_verified_keeps_working_while_its_id_is_attacked(make_client, stored_key, scrypt_calls):
    key, raw = stored_key
    client = make_client(login_failure_limit=LIMIT, login_failure_window_s=60)
    assert client.get(METRICS, headers=bearer(raw)).status_code == 200
    attacker = TestClient(client.app, client=("203.0.113.9", 40000))
    for _ in range(LIMIT + 2):
        attacker.get(METRICS, headers=bearer(_wrong_secret(key.key_id)))
    scrypt_calls.clear()
    assert client.get(METRICS, headers=bearer(raw)).status_code == 200
    assert scrypt_calls == []  # remembered: no hash, so no limit applies


def test_missing_keys_are_not_failed_logins(make_client, stored_key):
    _, raw = stored_key
    client = make_client(login_failure_limit=LIMIT, login_failure_window_s=60)
    assert [client.get(METRICS).status_code for _ in range(LIMIT + 2)] == [401] * (LIMIT + 2)
    assert client.get(METRICS, headers=bearer(raw)).status_code == 200


@pytest.mark.parametrize("bootstrap", [None, "ops:" + "o" * 30 + ",ci:" + "c" * 30])
def test_every_attempt_costs_one_hash_whether_or_not_the_id_exists(tmp_path, scrypt_calls, bootstrap):
    store = key_store(tmp_path, bootstrap)
    live, live_raw = store.create("acme")
    revoked, _ = store.create("acme")
    store.revoke(revoked.key_id)
    attempts = {
        "unknown id": _unknown_id(),
        "known id, wrong secret": _wrong_secret(live.key_id),
        "revoked id": _wrong_secret(revoked.key_id),
        "right key": live_raw,
    }
    counts = {}
    for name, token in attempts.items():
        scrypt_calls.clear()
        store.verify(token)
        counts[name] = len(scrypt_calls)
    assert counts == dict.fromkeys(attempts, 1)


def test_bootstrap_keys_are_recognised_without_hashing(tmp_path, scrypt_calls):
    store = key_store(tmp_path, "ops:" + "o" * 30)
    scrypt_calls.clear()
    assert store.verify("o" * 30).scope == "ops"
    assert store.verify("p" * 30) is None
    assert scrypt_calls == []


def test_failures_leave_the_window_as_it_slides():
    from app.interfaces.shared.auth.failures import FailedLogins

    now = [0.0]
    failures = FailedLogins(limit=3, window_s=60, clock=lambda: now[0])
    for at in (0.0, 10.0, 20.0):
        now[0] = at
        failures.record(["ip:a", "key:k"])
    assert failures.wait(["ip:a"]) == pytest.approx(40.0)  # until the failure at 0 s is 60 s old
    assert failures.wait(["ip:b", "key:k"]) == pytest.approx(40.0)
    assert failures.wait(["ip:b"]) == 0.0
    now[0] = 60.0
    assert failures.wait(["ip:a"]) == 0.0
    failures.record(["ip:a"])
    assert failures.wait(["ip:a"]) == pytest.approx(10.0)  # the failure at 10 s is now the oldest


def test_the_limit_holds_under_real_time(make_client, stored_key):
    client = make_client(login_failure_limit=1, login_failure_window_s=0.5)
    assert client.get(METRICS, headers=bearer(_unknown_id())).status_code == 401
    assert client.get(METRICS, headers=bearer(_unknown_id())).status_code == 429
    time.sleep(0.6)
    assert client.get(METRICS, headers=bearer(_unknown_id())).status_code == 401
