"""The MCP client configuration and the Python script of docs/embedding.md work as written (the
HTML page is run in a browser by tests/interfaces/web/test_embed_widget.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from app.settings import Settings
from tests.live_server import doc_snippet, run_async, serve

DOC = Path(__file__).resolve().parents[1] / "docs" / "embedding.md"
KEY = "docs-test-key-" + "d" * 24


@pytest.fixture(scope="module")
def server(demo_db_path, tmp_path_factory):
    live = serve(Settings(warehouse_path=demo_db_path, data_dir=tmp_path_factory.mktemp("docs-embedding"),
                          api_keys=f"docs:{KEY}", rate_limit_per_minute=10_000))
    yield live
    live.stop()


def test_the_mcp_client_configuration_starts_a_working_server(demo_db_path, tmp_path):
    config = json.loads(doc_snippet(DOC, "mcp-config"))["mcpServers"]["asklytics"]
    env = {**config["env"], "ASKLYTICS_API_KEY": KEY, "ASKLYTICS_DATA_DIR": str(tmp_path),
           "ASKLYTICS_API_KEYS": f"docs:{KEY}", "ASKLYTICS_WAREHOUSE_PATH": str(demo_db_path),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    parameters = StdioServerParameters(command=config["command"], args=config["args"], env=env,
                                       cwd=str(tmp_path))

    async def session():
        async with Client(parameters, read_timeout_seconds=300) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            return names, await client.call_tool("ask", {"question": "Installs by platform last month"})

    names, result = run_async(session)
    assert {"ask", "run_sql", "predict_churn"} <= names
    assert result.structured_content["status"] == "answered" and "Android" in result.content[0].text


def test_the_python_script_runs_against_a_server(server, tmp_path):
    script = tmp_path / "client_example.py"
    script.write_text(doc_snippet(DOC, "python-client"))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                          check=False,
                          env={**os.environ, "ASKLYTICS_URL": server.url, "ASKLYTICS_API_KEY": KEY,
                               "PYTHONPATH": str(DOC.parents[1])})
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert {"Android", "iOS"} <= {line.split(" ")[0] for line in lines}
    assert lines[-1].startswith("404 not_found")
