"""The MCP catalog under an access policy, and short-lived tokens over MCP: a key limited to two
metrics and one dimension sees only those in list_metrics, describe_metric and the catalog and
metric resources (the same answer as for a name that does not exist), over the SDK's HTTP client;
a token minted with that key over REST works like the key, an expired one gets the REST API's 401."""
from __future__ import annotations

import json
import time

import httpx
import httpx2
import pytest
from live_server import run_async, serve
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

from app.settings import Settings
from appdb.policies import set_policy
from tests.databases import key_store

ALLOWED_METRICS = ["cost", "installs"]


@pytest.fixture(scope="module")
def limited(demo_db_path, tmp_path_factory):
    data = tmp_path_factory.mktemp("mcp-policy") / "data"
    store = key_store(data)
    key, raw = store.create("acme", "agent with a policy")
    _, free_raw = store.create("acme", "agent without one")
    with store.database.begin() as connection:
        set_policy(connection, "key", key.key_id, metrics=ALLOWED_METRICS, dimensions=["platform"],
                   row_filters=[], allow_sql=False, actor="cli:admin")
    live = serve(Settings(warehouse_path=demo_db_path, data_dir=data, rate_limit_per_minute=10_000))
    token = httpx.post(live.url + "/api/v1/tokens", json={"ttl_s": 600},
                       headers={"Authorization": f"Bearer {raw}"}, timeout=60).json()["token"]
    yield {"server": live, "raw": raw, "free_raw": free_raw, "token": token, "key_id": key.key_id}
    live.stop()
    store.database.close()


def _session(url: str, bearer: str, calls):
    async def run():
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {bearer}"}, timeout=300)
        async with Client(streamable_http_client(url + "/mcp", http_client=http)) as client:
            return await calls(client)

    return run_async(run)


async def _catalog_calls(client: Client) -> dict:
    found = {"list": await client.call_tool("list_metrics", {}),
             "describe_installs": await client.call_tool("describe_metric", {"name": "installs"}),
             "describe_roas": await client.call_tool("describe_metric", {"name": "roas"}),
             "describe_nothing": await client.call_tool("describe_metric", {"name": "no_such_metric"}),
             "query_roas": await client.call_tool("query_metrics", {"metrics": ["roas"]}),
             "catalog": json.loads((await client.read_resource("asklytics://catalog")).contents[0].text),
             "installs_resource": await client.read_resource("asklytics://metrics/installs")}
    try:
        await client.read_resource("asklytics://metrics/roas")
    except MCPError as exc:
        found["roas_resource"] = exc
    return found


@pytest.fixture(scope="module", params=["key", "token"])
def found(request, limited):
    bearer = limited["raw"] if request.param == "key" else limited["token"]
    return _session(limited["server"].url, bearer, _catalog_calls)


def test_the_catalog_tools_list_what_the_policy_allows(found):
    listed = found["list"].structured_content
    assert sorted(m["name"] for m in listed["metrics"]) == ALLOWED_METRICS
    assert set(listed["dimensions"]) <= {"platform", "metric_time"} and "platform" in listed["dimensions"]
    assert found["describe_installs"].structured_content["name"] == "installs"
    roas, nothing = found["describe_roas"], found["describe_nothing"]
    assert roas.is_error and nothing.is_error
    codes = {roas.structured_content["error"]["code"], nothing.structured_content["error"]["code"]}
    assert codes == {"not_found"}
    query = found["query_roas"]
    assert query.is_error and query.structured_content["error"]["code"] == "access_denied"


def test_the_catalog_resources_list_what_the_policy_allows(found):
    catalog = found["catalog"]
    assert sorted(m["name"] for m in catalog["metrics"]) == ALLOWED_METRICS
    assert {d["name"] for d in catalog["dimensions"]} <= {"platform", "metric_time"}
    assert json.loads(found["installs_resource"].contents[0].text)["name"] == "installs"
    assert "no metric 'roas'" in str(found["roas_resource"])


def test_a_key_without_a_policy_still_sees_everything(limited):
    async def calls(client):
        return (await client.call_tool("list_metrics", {})).structured_content

    listed = _session(limited["server"].url, limited["free_raw"], calls)
    assert {"roas", "installs", "cost"} <= {m["name"] for m in listed["metrics"]}
    assert len(listed["dimensions"]) > 1


def test_the_rest_catalog_follows_the_policy_too(limited):
    metrics = httpx.get(limited["server"].url + "/api/v1/metrics",
                        headers={"Authorization": f"Bearer {limited['token']}"}, timeout=60).json()
    assert sorted(m["name"] for m in metrics) == ALLOWED_METRICS


def test_an_expired_token_is_refused_by_mcp_like_by_rest(limited, demo_db_path):
    from app.interfaces.shared.auth.tokens import TokenSigner
    from appdb import open_database
    from appdb.signing import signing_secret

    database = open_database(limited["server"].server.config.app.state.api.database.url)
    expired, _ = TokenSigner(lambda: signing_secret(database)).mint(
        limited["key_id"], "acme", [], ttl_s=60, now=time.time() - 3600)
    database.close()
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    raw = httpx.post(limited["server"].url + "/mcp", json=initialize, timeout=60, headers={
        "Accept": "application/json, text/event-stream", "Authorization": f"Bearer {expired}"})
    assert raw.status_code == 401 and raw.json()["error"]["code"] == "token_expired"
