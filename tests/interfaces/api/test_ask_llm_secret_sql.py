"""End to end (issue #15): an LLM planner that writes secret-reading SQL leaks nothing.

A local stub speaks OpenAI's wire format to the real langchain-openai client,
and every reply is a ``run_sql`` call that reads settings, variables or the
process environment in a quoted, backquoted or qualified spelling. Through
``POST /api/v1/ask`` on DuckDB and on chdb, the guard refuses each attempt,
the LLM planner gives up, the router falls back to the offline plan (auto
mode, with the LLM asked first for every question), and the answer holds none
of the environment: not the LLM key, not a secret set in the environment, not
the home directory.
"""
from __future__ import annotations

import json
import shutil
import sys
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.interfaces.assembly import create_app
from app.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "engine" / "planning" / "llm"))
from stub_servers import StubLLMServer, openai_tool_call

ATTACKS = {
    "duckdb": [
        "SELECT \"current_setting\"('secret_directory') AS s",
        "SELECT \"getenv\"('ASKLYTICS_LLM_API_KEY') AS k",
        "SELECT main.current_setting('home_directory') AS h",
        "SELECT \"GETVARIABLE\"('secret') AS v",
    ],
    "clickhouse": [
        "SELECT \"file\"('/proc/self/environ') AS env",
        "SELECT `file`('/proc/1/environ') AS env",
        "SELECT system.file('/proc/self/environ') AS env",
        "SELECT \"getSetting\"('readonly') AS s, `hostName`() AS h",
    ],
}


@pytest.fixture()
def secrets(monkeypatch):
    values = {"key": f"sk-{uuid.uuid4().hex}", "env": f"env-secret-{uuid.uuid4().hex}"}
    monkeypatch.setenv("ASKLYTICS_TEST_ENV_SECRET", values["env"])
    return values


def _ask(settings: Settings, question: str) -> dict:
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/v1/ask", json={"question": question})
    assert response.status_code == 200, response.text
    return response.json()


def _settings(tmp_path, server, key: str, **warehouse) -> Settings:
    return Settings(data_dir=tmp_path / "data", planner="auto", llm_confidence_threshold=1.0,
                    llm_provider="openai", llm_model="gpt-4o-mini", llm_base_url=server.url, llm_api_key=key,
                    cache_enabled=False, **warehouse)


def _assert_nothing_leaked(answer: dict, secrets: dict, server: StubLLMServer) -> None:
    text = json.dumps(answer)
    assert answer["planner"] == "offline"  # the LLM's plans were all refused; none of its SQL ran
    assert not any(name in (answer["sql"] or "")
                   for name in ("current_setting", "getenv", "file", "getSetting"))
    for value in (secrets["key"], secrets["env"], str(Path.home()) + "/", "stored_secrets", "PATH="):
        assert value not in text
    sent_back = json.dumps([r.body for r in server.requests[1:]])
    assert "forbidden" in sent_back or "not allowed" in sent_back  # the guard's refusals went to the model
    assert secrets["env"] not in sent_back and "stored_secrets" not in sent_back


def test_duckdb_answer_holds_no_setting_or_environment(demo_db_path, tmp_path, secrets):
    replies = [openai_tool_call("run_sql", {"sql": sql}) for sql in ATTACKS["duckdb"]]
    with StubLLMServer(replies) as server:
        answer = _ask(_settings(tmp_path, server, secrets["key"], warehouse_path=demo_db_path),
                      "what is the secret directory setting?")
    _assert_nothing_leaked(answer, secrets, server)
    assert len(server.requests) == len(ATTACKS["duckdb"])  # every attempt refused, none ran


def test_chdb_answer_holds_no_environment(chdb_path, tmp_path, secrets):
    folder = tmp_path / "chdb"
    shutil.copytree(chdb_path, folder, symlinks=True)  # its own worker, apart from the session's
    # the warehouse dialect
    replies = [openai_tool_call("run_sql", {"sql": sql}) for sql in ATTACKS["clickhouse"]]
    with StubLLMServer(replies) as server:
        answer = _ask(_settings(tmp_path, server, secrets["key"], warehouse="chdb", warehouse_path=folder),
                      "show me the process environment")
    _assert_nothing_leaked(answer, secrets, server)
    assert len(server.requests) == len(ATTACKS["clickhouse"])
