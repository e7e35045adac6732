"""CORS per key over HTTP: a preflight (no key) is answered for origins some active key allows or the
server-wide ASKLYTICS_CORS_ORIGINS; the call itself must be allowed by its own key. Key changes count
at the next request."""
from __future__ import annotations

import pytest

from tests.databases import key_store

APP = "https://app.example.com"
SHOP = "https://shop.example.com"
NOBODY = "https://evil.example.net"
SERVER_WIDE = "https://intranet.example.org"


def preflight(client, origin: str, method: str = "POST", headers: str = "authorization,content-type"):
    return client.options("/api/v1/ask", headers={"Origin": origin, "Access-Control-Request-Method": method,
                                                  "Access-Control-Request-Headers": headers})


def metrics(client, raw: str, origin: str | None):
    headers = {"Authorization": f"Bearer {raw}"} | ({"Origin": origin} if origin else {})
    return client.get("/api/v1/metrics", headers=headers)


@pytest.fixture()
def keys(tmp_path):
    store = key_store(tmp_path / "data")
    app_key, app_raw = store.create("acme", "app", origins=[APP])
    _, plain_raw = store.create("acme", "server side")
    return {"store": store, "app": app_key, "app_raw": app_raw, "plain_raw": plain_raw}


def test_a_preflight_is_answered_for_origins_a_key_or_the_server_allows(make_client, keys):
    client = make_client(cors_origins=SERVER_WIDE)
    for origin in (APP, SERVER_WIDE):
        allowed = preflight(client, origin)
        assert allowed.status_code == 204, allowed.text
        assert allowed.headers["access-control-allow-origin"] == origin
        assert "POST" in allowed.headers["access-control-allow-methods"]
        assert allowed.headers["access-control-allow-headers"] == "Authorization, Content-Type"
    refused = preflight(client, NOBODY)
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    assert refused.json()["error"] == {"code": "cors_refused", "message": f"origin {NOBODY} is not allowed"}
    assert preflight(client, APP, method="PUT").status_code == 400
    assert preflight(client, APP, headers="authorization,x-secret").status_code == 400


def test_the_call_is_judged_by_its_own_key(make_client, keys):
    client = make_client(cors_origins=SERVER_WIDE)
    allowed = metrics(client, keys["app_raw"], APP)
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == APP
    assert allowed.headers["vary"] == "Origin"
    # the same origin with a key that does not list it: refused before the route runs, readable by the page
    other = metrics(client, keys["plain_raw"], APP)
    assert other.status_code == 403 and other.headers["access-control-allow-origin"] == APP
    assert other.json()["error"]["code"] == "origin_not_allowed"
    assert f"does not allow calls from {APP}" in other.json()["error"]["message"]
    # an origin no key allows: refused, and the browser may not even read why
    nobody = metrics(client, keys["app_raw"], NOBODY)
    assert nobody.status_code == 403 and "access-control-allow-origin" not in nobody.headers
    # the server-wide list still works for any key, and a page served by Asklytics itself needs nothing
    server_wide = metrics(client, keys["plain_raw"], SERVER_WIDE)
    assert server_wide.headers["access-control-allow-origin"] == SERVER_WIDE
    same = metrics(client, keys["plain_raw"], "http://testserver")
    assert same.status_code == 200 and "access-control-allow-origin" not in same.headers
    assert metrics(client, keys["plain_raw"], None).status_code == 200  # no browser, no Origin


def test_a_bad_key_from_an_allowed_origin_gets_a_readable_401(make_client, keys):
    client = make_client()
    refused = metrics(client, "ask_000000000000_" + "x" * 30, APP)
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == APP


def test_key_changes_count_at_the_next_request(make_client, keys):
    client = make_client()
    store, key_id = keys["store"], keys["app"].key_id
    assert preflight(client, SHOP).status_code == 400
    store.set_origins(key_id, [APP, SHOP], actor="cli:test")
    assert preflight(client, SHOP).status_code == 204
    assert metrics(client, keys["app_raw"], SHOP).status_code == 200
    store.set_origins(key_id, [SHOP], actor="cli:test")
    assert preflight(client, APP).status_code == 400
    assert metrics(client, keys["app_raw"], APP).status_code == 403
    store.revoke(key_id, actor="cli:test")
    assert preflight(client, SHOP).status_code == 400


def test_the_mcp_endpoint_checks_the_origin_too(make_client, keys):
    client = make_client()
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    headers = {"Accept": "application/json, text/event-stream",
               "Authorization": f"Bearer {keys['plain_raw']}"}
    refused = client.post("/mcp", json=initialize, headers=headers | {"Origin": APP})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "origin_not_allowed"
    headers["Authorization"] = f"Bearer {keys['app_raw']}"
    allowed = client.post("/mcp", json=initialize, headers=headers | {"Origin": APP})
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == APP
