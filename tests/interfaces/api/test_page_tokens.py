"""Short-lived tokens over HTTP: minted with a key, standing for it (scope, access policy, origins);
expired, forged and orphaned tokens refused with a clear 401. Expiry is tested with tokens minted
in the past, never by waiting."""
from __future__ import annotations

import base64
import json
import time

import pytest

from app.interfaces.shared.auth.tokens import TokenSigner
from appdb.policies import set_policy
from tests.databases import key_store

APP = "https://app.example.com"
SHOP = "https://shop.example.com"


def bearer(raw: str, origin: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"} | ({"Origin": origin} if origin else {})


@pytest.fixture()
def setup(make_client, tmp_path):
    store = key_store(tmp_path / "data")
    key, raw = store.create("acme", "public page", origins=[APP, SHOP])
    _, other_raw = store.create("globex")
    with store.database.begin() as connection:
        set_policy(connection, "key", key.key_id, metrics=None, dimensions=None,
                   row_filters=["media_source = 'TikTok'"], allow_sql=False, actor="cli:admin")
    return {"client": make_client(), "store": store, "key": key, "raw": raw, "other_raw": other_raw}


def mint(client, raw: str, **body):
    return client.post("/api/v1/tokens", json=body, headers=bearer(raw))


def test_a_token_stands_for_its_key(setup):
    client, key = setup["client"], setup["key"]
    made = mint(client, setup["raw"], ttl_s=600)
    assert made.status_code == 201, made.text
    token = made.json()
    assert token["token"].startswith("askt_") and token["token_type"] == "Bearer"
    assert token["expires_in"] == 600 and abs(token["expires_at"] - time.time() - 600) < 60
    assert (token["key_id"], token["scope"], token["origins"]) == (key.key_id, "acme", [APP, SHOP])
    assert token["policy"] == {"metrics": None, "dimensions": None,
                               "row_filters": ["media_source = 'TikTok'"], "allow_sql": False}
    asked = client.post("/api/v1/ask", json={"question": "spend by media source last month"},
                        headers=bearer(token["token"], APP))
    assert asked.status_code == 200 and asked.headers["access-control-allow-origin"] == APP
    assert [row[0] for row in asked.json()["rows"]] == ["TikTok"]  # the key's row policy
    answer_id = asked.json()["answer_id"]
    # the key's scope: feedback on the answer works with the token and the key, not with another tenant
    assert client.post("/api/v1/feedback", json={"answer_id": answer_id, "rating": "up"},
                       headers=bearer(token["token"])).status_code == 200
    assert client.post("/api/v1/feedback", json={"answer_id": answer_id, "rating": "up"},
                       headers=bearer(setup["other_raw"])).status_code == 404


def test_a_token_may_name_fewer_origins_than_its_key_never_more(setup):
    client = setup["client"]
    narrow = mint(client, setup["raw"], origins=["https://APP.example.com:443"]).json()
    assert narrow["origins"] == [APP]
    assert client.get("/api/v1/metrics", headers=bearer(narrow["token"], APP)).status_code == 200
    refused = client.get("/api/v1/metrics", headers=bearer(narrow["token"], SHOP))
    assert refused.status_code == 403 and "this token does not allow calls from" in refused.json()["error"][
        "message"]
    wider = mint(client, setup["raw"], origins=["https://evil.example.net"])
    assert wider.status_code == 422 and "the key does not allow https://evil.example.net" in wider.text
    # an origin later taken off the key is taken off its live tokens too
    full = mint(client, setup["raw"]).json()["token"]
    setup["store"].set_origins(setup["key"].key_id, [SHOP], actor="cli:test")
    assert client.get("/api/v1/metrics", headers=bearer(full, APP)).status_code == 403
    assert client.get("/api/v1/metrics", headers=bearer(full, SHOP)).status_code == 200


@pytest.mark.parametrize("ttl_s", [0, 29, 86_401])
def test_the_lifetime_is_bounded(setup, ttl_s):
    assert mint(setup["client"], setup["raw"], ttl_s=ttl_s).status_code == 422


def test_an_expired_token_is_refused_with_a_clear_401(setup):
    client, key = setup["client"], setup["key"]
    signer = client.app.state.api.tokens
    expired, claims = signer.mint(key.key_id, "acme", [APP], ttl_s=60, now=time.time() - 3600)
    for _ in range(12):  # more than the failed-login limit: an old page must not lock its visitors out
        refused = client.get("/api/v1/metrics", headers=bearer(expired, APP))
        assert refused.status_code == 401
    error = refused.json()["error"]
    assert error["code"] == "token_expired" and "get a new one from POST /api/v1/tokens" in error["message"]
    assert time.strftime("%Y-%m-%dT%H:%M", time.gmtime(claims.expires_at)) in error["message"]
    assert refused.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert refused.headers["access-control-allow-origin"] == APP  # the widget can read why
    assert client.get("/api/v1/metrics", headers=bearer(setup["raw"])).status_code == 200


def _claims(token: str) -> tuple[dict, str]:
    body, _, signature = token.removeprefix("askt_").partition(".")
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))), signature


def _encoded(claims: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=").decode()


def test_forged_tokens_are_refused(setup):
    client, key = setup["client"], setup["key"]
    genuine = mint(client, setup["raw"]).json()["token"]
    claims, signature = _claims(genuine)
    forged = [
        f"askt_{_encoded({**claims, 's': 'globex'})}.{signature}",  # another tenant, the old signature
        f"askt_{_encoded({**claims, 'exp': claims['exp'] + 10**6})}.{signature}",  # a longer life
        TokenSigner(lambda: b"\x00" * 32).mint(key.key_id, "acme", [APP], 600)[0],  # another secret
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),
        "askt_not-a-token",
    ]
    for token in forged:
        refused = client.get("/api/v1/metrics", headers=bearer(token))
        assert refused.status_code == 401, token
        assert refused.json()["error"]["code"] == "token_invalid"
        assert "invalid token" in refused.json()["error"]["message"]
    assert client.get("/api/v1/metrics", headers=bearer(genuine)).status_code == 200


def test_revoking_the_key_ends_its_tokens(setup):
    client = setup["client"]
    token = mint(client, setup["raw"]).json()["token"]
    setup["store"].revoke(setup["key"].key_id, actor="cli:test")
    refused = client.get("/api/v1/metrics", headers=bearer(token))
    assert refused.status_code == 401 and "this token was made with is revoked" in refused.json()["error"][
        "message"]


def test_a_token_cannot_make_tokens_and_an_open_server_makes_none(setup, make_client, tmp_path):
    client = setup["client"]
    token = mint(client, setup["raw"]).json()["token"]
    again = mint(client, token)
    assert again.status_code == 403 and "a token cannot make tokens" in again.json()["error"]["message"]
    open_server = make_client(data_dir=tmp_path / "open")
    refused = open_server.post("/api/v1/tokens", json={})
    assert refused.status_code == 403 and "made with an API key" in refused.json()["error"]["message"]
