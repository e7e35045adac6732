"""The auth mode is decided at start-up and never relaxed: a server that needed keys never reopens.

Attacked the ways the last usable key can disappear under a running server
(revoked through another process's view of the application database, the rows deleted,
every key among several revoked), and the ways a server could start open when it
should not (a non-loopback bind without keys).
"""
from __future__ import annotations

import pytest

from appdb.tables import api_keys
from tests.databases import key_store

METRICS = "/api/v1/metrics"


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _revoke_all(path) -> None:
    cli_view = key_store(path)
    for key in cli_view.list():
        cli_view.revoke(key.key_id)


def _delete(path) -> None:
    with key_store(path).database.begin() as connection:
        connection.execute(api_keys.delete())


@pytest.mark.parametrize("lose_keys", [_revoke_all, _delete], ids=["revoked", "deleted"])
@pytest.mark.parametrize("key_count", [1, 3])
def test_losing_every_key_refuses_everyone_instead_of_reopening(make_client, tmp_path, lose_keys, key_count):
    data_dir = tmp_path / "data"
    raws = [key_store(data_dir).create("acme")[1] for _ in range(key_count)]
    client = make_client()
    assert client.get(METRICS, headers=bearer(raws[0])).status_code == 200
    assert client.get(METRICS).status_code == 401
    lose_keys(data_dir)
    for headers in ({}, bearer(raws[0]), bearer(raws[-1]), bearer("ask_000000000000_" + "x" * 43)):
        response = client.get(METRICS, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"] == "Bearer"
        message = response.json()["error"]["message"]
        assert "no API key is valid" in message and "asklytics keys create" in message
    assert client.get("/healthz").status_code == 200


def test_a_key_created_again_is_accepted_without_a_restart(make_client, tmp_path):
    data_dir = tmp_path / "data"
    first, _ = key_store(data_dir).create("acme")
    client = make_client()
    key_store(data_dir).revoke(first.key_id)
    assert client.get(METRICS).status_code == 401
    _, raw = key_store(data_dir).create("acme")
    assert client.get(METRICS, headers=bearer(raw)).status_code == 200
    assert client.get(METRICS).status_code == 401


def test_a_key_created_while_open_turns_auth_on_for_good(make_client, tmp_path):
    data_dir = tmp_path / "data"
    client = make_client()
    assert client.get(METRICS).status_code == 200  # the loopback default
    key, raw = key_store(data_dir).create("acme")
    assert client.get(METRICS).status_code == 401
    assert client.get(METRICS, headers=bearer(raw)).status_code == 200
    key_store(data_dir).revoke(key.key_id)
    assert client.get(METRICS).status_code == 401  # never back to open


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "asklytics.example.com"])
def test_an_app_bound_beyond_loopback_is_never_open(make_client, host):
    # `asklytics serve` refuses such a bind without keys; an app built some other way must not be open either.
    response = make_client(host=host).get(METRICS)
    assert response.status_code == 401
    assert "no API key is valid" in response.json()["error"]["message"]


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_the_loopback_default_without_keys_is_open(make_client, host):
    assert make_client(host=host).get(METRICS).status_code == 200


def test_require_auth_wins_over_the_loopback_default(make_client):
    response = make_client(require_auth=True).get(METRICS)
    assert response.status_code == 401 and "no API key is valid" in response.json()["error"]["message"]


def test_auth_mode_only_ever_tightens(tmp_path):
    from app.interfaces.shared.auth.mode import AuthMode

    class Settings:
        require_auth, host = False, "127.0.0.1"

    store = key_store(tmp_path)
    mode = AuthMode.at_start(Settings, store)
    assert mode.required is False
    key, _ = store.create("acme")
    assert mode.required is True
    store.revoke(key.key_id)
    assert mode.required is True
