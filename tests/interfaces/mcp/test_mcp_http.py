"""``/mcp`` of a real server (uvicorn on a free port) driven by the MCP SDK's own Streamable HTTP
client, authenticated with the REST API's keys."""
from __future__ import annotations

import httpx
import httpx2
import mcp_checks
import pytest
from live_server import run_async, serve
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client
from scenario import MCP_KEY, run_scenario

from app.settings import Settings


@pytest.fixture(scope="module")
def server(demo_db_path, mcp_data_dir):
    live = serve(Settings(warehouse_path=demo_db_path, data_dir=mcp_data_dir, api_keys=f"acme:{MCP_KEY}",
                          rate_limit_per_minute=10_000))
    yield live
    live.stop()


def _client(server, key: str | None) -> Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    http = httpx2.AsyncClient(headers=headers, timeout=300)
    return Client(streamable_http_client(server.url + "/mcp", http_client=http))


@pytest.fixture(scope="module")
def found(server):
    async def session():
        async with _client(server, MCP_KEY) as client:
            return await run_scenario(client)

    return run_async(session)


def test_every_tool_is_listed_and_the_registry_tools_are_generated(found):
    mcp_checks.check_tool_listing(found)


def test_ask_and_query_metrics_give_the_warehouse_numbers(found, installs_by_platform_june):
    mcp_checks.check_answers(found, installs_by_platform_june)


def test_catalog_tools_and_guarded_sql(found, demo_sql):
    mcp_checks.check_catalog_tools(found, demo_sql)


def test_a_predictor_tool_scores_the_cohort_asked_for(found, demo_sql):
    mcp_checks.check_predictor_call(found, demo_sql)


def test_failures_are_tool_errors_with_a_code_and_message(found):
    mcp_checks.check_errors(found)


def test_resources_and_prompts(found):
    mcp_checks.check_resources_and_prompts(found)


def test_an_answer_asked_over_mcp_takes_feedback_over_rest(found, server):
    """Same keys, same tenant, same answer log: the REST API knows the MCP answer."""
    answer_id = found["ask"].structured_content["answer_id"]
    response = httpx.post(server.url + "/api/v1/feedback", json={"answer_id": answer_id, "rating": "up"},
                          headers={"Authorization": f"Bearer {MCP_KEY}"}, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["answer_id"] == answer_id


@pytest.mark.parametrize(("key", "said"), [(None, "send an API key"),
                                          ("ask_000000000000_" + "x" * 30, "unknown or revoked API key")])
def test_a_missing_or_wrong_key_is_refused_like_the_rest_api(server, key, said):
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    raw = httpx.post(server.url + "/mcp", json=initialize, headers=headers, timeout=60)
    assert raw.status_code == 401 and raw.headers["www-authenticate"] == "Bearer"
    assert raw.json()["error"]["code"] == "unauthorized" and said in raw.json()["error"]["message"]

    async def connect():
        async with _client(server, key) as client:
            await client.list_tools()

    with pytest.raises((MCPError, ExceptionGroup)):  # the SDK's client cannot open a session without a key
        run_async(connect)
