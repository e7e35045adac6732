"""``/api/v1/monitors``: CRUD and run, behind the same API keys as every endpoint, each tenant seeing
only its own monitors; bad input is a 422 that says what to change."""
from __future__ import annotations

import datetime as dt

import pytest

from appdb import audit, open_database, sqlite_url
from appdb.audit import AuditQuery
from tests.databases import key_store

AS_OF = dt.date(2026, 3, 12)  # two days after the demo's March 10 paid-tracking outage
BODY = {"name": "iOS installs", "metric": "installs", "schedule": "daily 07:30",
        "filters": [{"dimension": "platform", "op": "=", "values": ["iOS"]}],
        "webhook_url": "http://127.0.0.1:9/closed", "slack_channel": "C0ACME001"}


@pytest.fixture()
def api(make_client, tmp_path):
    data = tmp_path / "data"
    store = key_store(data)
    keys = {scope: store.create(scope, "test")[1] for scope in ("acme", "globex")}
    store.database.close()
    client = make_client(data_dir=data, as_of=AS_OF, cache_enabled=False, monitor_allow_private_webhooks=True)
    return client, {scope: {"Authorization": f"Bearer {raw}"} for scope, raw in keys.items()}, data


def test_monitors_need_a_key_and_stay_inside_their_tenant(api):
    client, keys, data = api
    assert client.get("/api/v1/monitors").status_code == 401
    assert client.post("/api/v1/monitors", json=BODY).status_code == 401

    created = client.post("/api/v1/monitors", json=BODY, headers=keys["acme"])
    assert created.status_code == 201, created.text
    monitor = created.json()
    assert (monitor["scope"], monitor["metric"], monitor["filters"], monitor["schedule"]) == (
        "acme", "installs", ["platform = 'iOS'"], "daily 07:30")
    assert monitor["owner"].startswith("key:") and monitor["lookback"] == 7
    assert monitor["next_run_at"].endswith("07:30:00Z") or "T07:30:00" in monitor["next_run_at"]
    assert monitor["question"] == "anomalies in installs where platform = iOS"

    assert [m["id"] for m in client.get("/api/v1/monitors", headers=keys["acme"]).json()] == [monitor["id"]]
    one = client.get(f"/api/v1/monitors/{monitor['id']}", headers=keys["acme"])
    assert one.json()["name"] == "iOS installs"
    # another tenant neither sees, runs nor removes it
    assert client.get("/api/v1/monitors", headers=keys["globex"]).json() == []
    for method, path in (("GET", ""), ("DELETE", ""), ("POST", "/run")):
        response = client.request(method, f"/api/v1/monitors/{monitor['id']}{path}", headers=keys["globex"])
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"

    assert client.delete(f"/api/v1/monitors/{monitor['id']}", headers=keys["acme"]).status_code == 204
    assert client.get("/api/v1/monitors", headers=keys["acme"]).json() == []
    assert client.delete(f"/api/v1/monitors/{monitor['id']}", headers=keys["acme"]).status_code == 404
    database = open_database(sqlite_url(data / "asklytics.db"))
    with database.connect() as connection:
        actions = [e["action"] for e in audit.search(connection, AuditQuery(scope="acme"))]
    database.close()
    assert actions[:2] == ["monitor_remove", "monitor_add"]


@pytest.mark.parametrize("change, says", [
    ({"metric": "installz"}, "unknown metric 'installz'"),
    ({"dimensions": ["planet"]}, "unknown dimension 'planet'"),
    ({"schedule": "every morning"}, "is not understood"),
    ({"slack_channel": None, "webhook_url": None}, "give an audience"),
    ({"webhook_url": "ftp://files.example.com/x"}, "must be an http:// or https:// URL"),
    ({"slack_channel": "not a channel!"}, "is not a Slack channel"),
    ({"grain": "hour"}, "grain"),
    ({"lookback": 0}, "lookback"),
])
def test_a_monitor_it_cannot_run_is_refused_with_the_reason(api, change, says):
    client, keys, _ = api
    response = client.post("/api/v1/monitors", json=BODY | change, headers=keys["acme"])
    assert response.status_code == 422
    assert says in response.json()["error"]["message"]
    assert client.get("/api/v1/monitors", headers=keys["acme"]).json() == []


def test_running_a_monitor_now_returns_what_it_found_and_where_it_went(api):
    client, keys, _ = api
    body = BODY | {"filters": [], "slack_channel": None}
    monitor = client.post("/api/v1/monitors", json=body, headers=keys["acme"]).json()
    dry = client.post(f"/api/v1/monitors/{monitor['id']}/run", params={"dry_run": "true"},
                      headers=keys["acme"])
    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert [(m["status"], m["new_anomalies"], m["posted_to"]) for m in report["monitors"]] == [("ok", 1, [])]
    (digest,) = report["digests"]
    assert digest["audience"] == "webhook"
    assert digest["webhook_body"]["monitors"][0]["anomalies"][0]["period_start"] == "2026-03-10"

    real = client.post(f"/api/v1/monitors/{monitor['id']}/run", headers=keys["acme"]).json()
    (outcome,) = real["monitors"]
    assert outcome["status"] == "delivery_failed" and "could not be reached" in outcome["error"]
    listed = client.get(f"/api/v1/monitors/{monitor['id']}", headers=keys["acme"]).json()
    assert (listed["last_status"], listed["last_error"]) == ("delivery_failed", outcome["error"])
