"""The whole ask pipeline with an LLM planner: real Assistant, real langchain-openai client,
a local stub server in OpenAI's wire format, the real guard and demo warehouse."""
from __future__ import annotations

import json

import pytest
from stub_servers import StubLLMServer, openai_text, openai_tool_call

from app.engine.assistant import Assistant
from app.settings import Settings


def _settings(demo_db_path, tmp_path, url: str) -> Settings:
    return Settings(warehouse_path=demo_db_path, data_dir=tmp_path, planner="llm", llm_provider="openai",
                    llm_model="gpt-4o-mini", llm_base_url=url, llm_api_key="sk-test", cache_enabled=False)


@pytest.fixture()
def llm_assistant(demo_db_path, duckdb_wh, tmp_path):
    def build(server):
        return Assistant(_settings(demo_db_path, tmp_path, server.url), warehouse=duckdb_wh)
    return build


def test_guard_error_then_corrected_call_then_checked_summary(llm_assistant, duckdb_wh):
    replies = [
        openai_tool_call("run_sql", {"sql": "SELECT SUM(revenu) FROM events"}),
        openai_tool_call("query_metrics",
                         {"metrics": ["revenue"], "time_range": ["2026-06-01", "2026-06-30"]}),
        openai_text("Revenue in June was PLACEHOLDER."),
    ]
    gold = duckdb_wh.execute("SELECT SUM(revenue) FROM events WHERE event_time >= '2026-06-01' "
                             "AND event_time < '2026-07-01'").rows[0][0]
    replies[2] = openai_text(f"Revenue in June 2026 was ${gold:,.2f}.")
    with StubLLMServer(replies) as server:
        answer = llm_assistant(server).ask("how much money did we make in June?")
    assert answer.status == "answered", answer.error
    assert answer.planner == "llm:openai/gpt-4o-mini"
    assert answer.rows[0][0] == pytest.approx(gold)
    assert answer.usage.llm_calls == 3 and answer.usage.prompt_tokens > 0
    assert answer.answer == f"Revenue in June 2026 was ${gold:,.2f}."
    retry = json.dumps(server.requests[1].body)
    assert "revenue" in retry and "not found" in retry  # the guard's message went back to the model
    system = json.dumps(server.requests[0].body["messages"][0])
    assert "roas" in system.lower()  # catalog and retrieved context reach the prompt


def test_summary_with_an_invented_number_falls_back_to_the_template(llm_assistant):
    replies = [
        openai_tool_call("query_metrics", {"metrics": ["installs"], "dimensions": ["platform"],
                                           "time_range": ["2026-06-01", "2026-06-30"]}),
        openai_text("Installs grew 42% to 123,456,789."),
    ]
    with StubLLMServer(replies) as server:
        answer = llm_assistant(server).ask("installs by platform in June")
    assert answer.status == "answered"
    assert "123,456,789" not in answer.answer
    assert "Android" in answer.answer  # the deterministic template, from the rows


def test_refusal_tool_is_a_refusal(llm_assistant):
    refusal = openai_tool_call("refuse", {"reason": "I only read data.", "category": "write"})
    with StubLLMServer([refusal]) as s:
        answer = llm_assistant(s).ask("drop the installs table")
    assert answer.status == "refused" and answer.sql is None


def test_forced_llm_planner_that_never_gets_a_valid_plan_is_a_clear_error_not_a_500(llm_assistant):
    """planner=llm with no offline fallback: every attempt refused by the guard ends as an answer
    whose error says so (the API maps llm_plan_failed to 502), never an internal error."""
    attack = openai_tool_call("run_sql", {"sql": 'SELECT "current_setting"(\'secret_directory\')'})
    with StubLLMServer([attack] * 8) as server:
        answer = llm_assistant(server).ask("what is in the secret directory setting?")
    assert answer.status == "error"
    assert answer.error.code == "llm_plan_failed" and "internal" not in answer.error.message.lower()
    assert answer.sql is None and not answer.rows
