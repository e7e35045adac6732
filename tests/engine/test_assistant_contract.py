"""Assistant.ask returns the answer contract (shared/spec/answer-contract.md) in every status."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app.engine.assistant import Assistant
from app.interfaces.assembly import create_app
from app.settings import Settings

CONTRACT_FIELDS = {
    "conversation_id", "question", "status", "answer", "sql", "columns", "rows", "row_count", "truncated",
    "chart", "semantic_query", "tool_calls", "clarification", "cached", "planner", "usage", "timings_ms",
    "error",
}


@pytest.fixture(scope="module")
def assistant(demo_db_path, duckdb_wh):
    a = Assistant(Settings(warehouse_path=demo_db_path), warehouse=duckdb_wh)
    yield a


def test_answered_has_every_contract_field(assistant, duckdb_wh):
    answer = assistant.ask("installs by platform last month")
    payload = json.loads(answer.model_dump_json())
    assert CONTRACT_FIELDS <= set(payload)
    assert payload["status"] == "answered" and payload["error"] is None
    assert payload["planner"] == "offline" and payload["usage"]["llm_calls"] == 0
    assert [c["name"] for c in payload["columns"]] == ["platform", "installs"]
    gold = duckdb_wh.execute("SELECT platform, COUNT(*) FROM installs "
                             "WHERE install_time >= '2026-06-01' AND install_time < '2026-07-01' GROUP BY 1")
    assert sorted(map(tuple, payload["rows"])) == sorted(gold.rows)
    assert payload["row_count"] == 2
    assert payload["semantic_query"]["time_range"] == ["2026-06-01", "2026-06-30"]
    assert payload["chart"]["type"] in {"bar", "pie"} and payload["chart"]["figure"]["data"]
    assert payload["tool_calls"][0]["name"] == "query_metrics"
    assert payload["timings_ms"]["total"] > 0 and "execute" in payload["timings_ms"]
    assert "Android" in payload["answer"]


def test_refused_runs_nothing(assistant):
    answer = assistant.ask("delete all installs from the table")
    assert answer.status == "refused"
    assert answer.sql is None and answer.rows == []
    assert answer.answer


def test_clarification_has_options_and_runs_nothing(assistant):
    answer = assistant.ask("how are we doing?")
    assert answer.status == "clarification_needed"
    assert answer.clarification is not None and answer.clarification.question
    assert answer.sql is None


def test_follow_up_edits_the_previous_plan(assistant):
    first = assistant.ask("installs by platform last month")
    follow = assistant.ask("just iOS", conversation_id=first.conversation_id)
    assert follow.status == "answered"
    assert follow.conversation_id == first.conversation_id
    assert "platform = 'iOS'" in follow.semantic_query["filters"]
    assert follow.semantic_query["metrics"] == ["installs"]


@pytest.mark.parametrize("question, code", [("", "empty_question"), ("   ", "empty_question"),
                                            ("x" * 1001, "question_too_long")])
def test_bad_questions_get_actionable_errors(assistant, question, code):
    answer = assistant.ask(question)
    assert answer.status == "error"
    assert answer.error.code == code and answer.error.message


def test_this_quarter_is_empty_not_an_error(assistant):
    answer = assistant.ask("revenue this quarter")
    assert answer.status == "answered"
    assert answer.row_count in (0, 1)
    if answer.row_count == 1:
        assert answer.rows[0][0] in (0, 0.0, None)


def test_rest_api_returns_the_same_contract(demo_db_path):
    with TestClient(create_app(Settings(warehouse_path=demo_db_path))) as client:
        response = client.post("/api/v1/ask", json={"question": "total spend last month"})
        assert response.status_code == 200
        body = response.json()
        assert CONTRACT_FIELDS <= set(body)
        assert body["status"] == "answered" and body["row_count"] == 1
        follow = client.post("/api/v1/ask", json={"question": "and for May?",
                                                  "conversation_id": body["conversation_id"]}).json()
        assert follow["semantic_query"]["time_range"] == ["2026-05-01", "2026-05-31"]
        assert client.post("/api/v1/ask", json={}).status_code == 422
