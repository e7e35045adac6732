"""Only trusted Host names are answered (DNS rebinding): every path, loopback names by default.

The tests' apps trust "testserver" through the environment (tests/conftest.py);
here ``trusted_hosts`` is passed explicitly and the Host header set per request.
"""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.interfaces.assembly import create_app
from app.settings import Settings

# Everything the app serves, without a key on the open loopback default: API, UI, docs, probes.
PATHS = ["/", "/static/app.js", "/docs", "/openapi.json", "/healthz", "/readyz", "/api/v1/metrics",
         "/api/v1/conversations", "/no/such/page"]
UNTRUSTED = ["evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.evil.example",
             "evil.example.:80", "[::1].evil.example", "testserver", ""]
LOOPBACK = ["localhost", "localhost:8000", "LOCALHOST:8000", "localhost.", "127.0.0.1", "127.0.0.1:8000",
            "[::1]", "[::1]:8000"]


@pytest.fixture(scope="module")
def loopback_client(demo_db_path, tmp_path_factory):
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path_factory.mktemp("hosts"),
                        trusted_hosts="", rate_limit_per_minute=10_000)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize("host", UNTRUSTED)
@pytest.mark.parametrize("path", PATHS)
def test_untrusted_hosts_get_a_json_400_on_every_path(loopback_client, path, host):
    response = loopback_client.get(path, headers={"Host": host})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "untrusted_host"
    assert "ASKLYTICS_TRUSTED_HOSTS" in response.json()["error"]["message"]


@pytest.mark.parametrize("host", UNTRUSTED[:3])
def test_untrusted_hosts_cannot_post_or_preflight(make_client, host):
    client = make_client(trusted_hosts="", cors_origins="http://evil.example")
    asked = client.post("/api/v1/ask", json={"question": "installs last month"}, headers={"Host": host})
    preflight = client.options("/api/v1/ask", headers={"Host": host, "Origin": "http://evil.example",
                                                       "Access-Control-Request-Method": "POST"})
    assert asked.status_code == preflight.status_code == 400


@pytest.mark.parametrize("host", LOOPBACK)
def test_loopback_names_are_served_by_default(loopback_client, host):
    assert loopback_client.get("/api/v1/metrics", headers={"Host": host}).status_code == 200


def test_configured_names_and_wildcards(make_client):
    client = make_client(trusted_hosts="asklytics.example.com, *.corp.example")
    ok = ["asklytics.example.com", "ASKLYTICS.example.com:443", "bi.corp.example", "a.b.corp.example:8000",
          "localhost:8000"]
    refused = ["corp.example", "evilcorp.example", "asklytics.example.com.evil.example", "example.com"]
    assert [client.get("/healthz", headers={"Host": h}).status_code for h in ok] == [200] * len(ok)
    assert [client.get("/healthz", headers={"Host": h}).status_code for h in refused] == [400] * len(refused)


def test_a_star_turns_the_check_off(make_client):
    client = make_client(trusted_hosts="*")
    assert client.get("/healthz", headers={"Host": "anything.example"}).status_code == 200


@pytest.mark.parametrize("bind, host, status", [
    ("192.0.2.10", "192.0.2.10:8000", 200),
    ("asklytics.lan", "asklytics.lan:8000", 200),
    ("::1", "[::1]:8000", 200),
    ("0.0.0.0", "0.0.0.0:8000", 400),  # a wildcard bind names no host
    ("0.0.0.0", "192.0.2.10:8000", 400),
])
def test_a_specific_bind_host_is_trusted(make_client, bind, host, status):
    client = make_client(trusted_hosts="", host=bind)
    assert client.get("/healthz", headers={"Host": host}).status_code == status


def test_slack_events_are_covered(make_client):
    client = make_client(trusted_hosts="", slack_bot_token="xoxb-test", slack_signing_secret="s" * 32,
                         slack_api_base_url="http://127.0.0.1:9/")
    unsigned = {"Content-Type": "application/json"}
    untrusted = client.post("/slack/events", content=b"{}", headers={**unsigned, "Host": "evil.example"})
    trusted = client.post("/slack/events", content=b"{}", headers={**unsigned, "Host": "localhost"})
    assert untrusted.status_code == 400 and untrusted.json()["error"]["code"] == "untrusted_host"
    assert trusted.status_code == 401  # reached the bot, which wants a signature


@pytest.mark.parametrize("header, name", [
    ("Example.COM:8000", "example.com"), ("[::1]:80", "::1"), ("[::1]", "::1"), ("localhost.", "localhost"),
    ("::1", "::1"), ("", ""),
    # malformed: kept whole
    ("[::1].evil.example", "[::1].evil.example"), ("localhost:evil", "localhost:evil"),
])
def test_host_of(header, name):
    from app.interfaces.api.trusted_hosts import host_of

    assert host_of(header) == name
