"""``asklytics mcp`` spawned as a subprocess and driven by the MCP SDK's own stdio client."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import mcp_checks
import pytest
from live_server import run_async
from mcp import Client, MCPError, StdioServerParameters, stdio_client
from scenario import MCP_KEY, run_scenario

ASKLYTICS = str(Path(sys.executable).with_name("asklytics"))


def _parameters(demo_db_path, data_dir, key: str | None) -> StdioServerParameters:
    env = {"ASKLYTICS_WAREHOUSE_PATH": str(demo_db_path), "ASKLYTICS_DATA_DIR": str(data_dir),
           "ASKLYTICS_API_KEYS": f"acme:{MCP_KEY}", "ASKLYTICS_RATE_LIMIT_PER_MINUTE": "10000",
           "PATH": os.environ["PATH"], "OMP_WAIT_POLICY": "PASSIVE"}
    if key is not None:
        env["ASKLYTICS_API_KEY"] = key
    if os.environ.get("PYTHONPATH"):  # a worktree run with PYTHONPATH: the server runs the code under test
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return StdioServerParameters(command=ASKLYTICS, args=["mcp"], env=env, cwd=str(data_dir.parent))


@pytest.fixture(scope="module")
def found(demo_db_path, mcp_data_dir):
    async def session():
        parameters = _parameters(demo_db_path, mcp_data_dir, MCP_KEY)
        async with Client(parameters, read_timeout_seconds=300) as client:
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


@pytest.mark.parametrize(("key", "said"), [(None, "send an API key"), ("ask_000000000000_" + "x" * 30,
                                                                       "unknown or revoked API key")])
def test_a_missing_or_wrong_key_is_refused_before_serving(demo_db_path, mcp_data_dir, tmp_path, key, said):
    errors = tmp_path / "stderr.txt"

    async def connect():
        with errors.open("w") as errlog:
            transport = stdio_client(_parameters(demo_db_path, mcp_data_dir, key), errlog=errlog)
            async with Client(transport, read_timeout_seconds=120) as client:
                await client.list_tools()

    with pytest.raises((MCPError, ExceptionGroup)):  # it exits before the handshake: the pipe closes
        run_async(connect)
    text = errors.read_text()
    assert said in text and "Traceback" not in text
