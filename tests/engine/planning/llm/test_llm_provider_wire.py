"""End to end through the real langchain-openai / langchain-anthropic clients.

Each test points the client at a local stub server speaking the provider's
wire format, so the request we send (tools, tool results, system prompt) and
the response we parse (tool calls, usage) are the real thing, minus the
network. Backoff sleeps are recorded instead of slept.
"""

from __future__ import annotations

import pytest
from stub_servers import (
    StubLLMServer,
    anthropic_error,
    anthropic_tool_use,
    openai_error,
    openai_text,
    openai_tool_call,
)

from app.engine.planning.llm.backoff import BackoffPolicy
from app.engine.planning.llm.errors import LLMError, LLMUnavailable
from app.engine.planning.llm.narrative import LLMNarrator
from app.engine.planning.llm.planner import LLMPlanner
from app.engine.planning.llm.provider import build_chat_model, provider_label
from app.engine.planning.plan import SemanticQueryPlan, SqlPlan
from app.settings import Settings

WRONG_SQL = "SELECT event_name, SUM(revenu) AS revenue FROM events GROUP BY 1"
FIXED_SQL = "SELECT event_name, SUM(revenue) AS revenue FROM events GROUP BY 1 ORDER BY 2 DESC"
QUESTION = "Revenue by event name"


def settings_for(
    provider: str, base_url: str, *, model: str, key: str | None = "sk-test", timeout_s: float = 10.0
) -> Settings:
    return Settings(
        _env_file=None,
        llm_provider=provider,
        llm_model=model,
        llm_base_url=base_url,
        llm_api_key=key,
        llm_timeout_s=timeout_s,
    )


def planner_for(settings: Settings, sleeps: list[float], retries: int = 2) -> LLMPlanner:
    return LLMPlanner(
        build_chat_model(settings),
        provider_label=provider_label(settings),
        backoff=BackoffPolicy(retries=retries, base_delay_s=0.5),
        sleep=sleeps.append,
    )


def test_openai_guard_error_then_corrected_call(context, executing_check):
    replies = [
        openai_tool_call("run_sql", {"sql": WRONG_SQL}, tokens=(1000, 50)),
        openai_tool_call("run_sql", {"sql": FIXED_SQL}, tokens=(1100, 45)),
    ]
    with StubLLMServer(replies) as server:
        settings = settings_for("openai", server.url + "/v1", model="gpt-4o-mini")
        result = planner_for(settings, []).plan(QUESTION, context, executing_check)

    assert isinstance(result.plan, SqlPlan) and result.plan.sql == FIXED_SQL
    assert result.planner_label == "llm:openai/gpt-4o-mini"
    assert result.usage.to_contract() == {"llm_calls": 2, "prompt_tokens": 2100, "completion_tokens": 95}
    first, second = server.requests
    assert first.path == "/v1/chat/completions" and first.headers["authorization"] == "Bearer sk-test"
    assert first.body["model"] == "gpt-4o-mini"
    assert {t["function"]["name"] for t in first.body["tools"]} >= {"query_metrics", "run_sql", "refuse"}
    assert (
        first.body["messages"][0]["role"] == "system"
        and "today is 2026-07-01" in first.body["messages"][0]["content"]
    )
    echoed, tool_result = second.body["messages"][-2:]
    assert echoed["role"] == "assistant" and echoed["tool_calls"][0]["function"]["name"] == "run_sql"
    assert tool_result["role"] == "tool" and tool_result["tool_call_id"] == echoed["tool_calls"][0]["id"]
    assert "revenu" in tool_result["content"] and "not found" in tool_result["content"]


def test_anthropic_guard_error_then_corrected_call(context, executing_check):
    replies = [
        anthropic_tool_use("run_sql", {"sql": WRONG_SQL}, text="Let me query that.", tokens=(1500, 60)),
        anthropic_tool_use("run_sql", {"sql": FIXED_SQL}, tokens=(1700, 55)),
    ]
    with StubLLMServer(replies) as server:
        settings = settings_for("anthropic", server.url, model="claude-sonnet-4-6", key="sk-ant-test")
        result = planner_for(settings, []).plan(QUESTION, context, executing_check)

    assert isinstance(result.plan, SqlPlan) and result.plan.sql == FIXED_SQL
    assert result.planner_label == "llm:anthropic/claude-sonnet-4-6"
    assert result.usage.to_contract() == {"llm_calls": 2, "prompt_tokens": 3200, "completion_tokens": 115}
    first, second = server.requests
    assert first.path == "/v1/messages" and first.body["model"] == "claude-sonnet-4-6"
    sent_key = first.headers.get("x-api-key") or first.headers["authorization"].removeprefix("Bearer ")
    assert sent_key == "sk-ant-test" and first.body["max_tokens"] == 4096
    assert {t["name"] for t in first.body["tools"]} >= {"query_metrics", "run_sql", "score_fraud"}
    assert "input_schema" in first.body["tools"][0]
    assert "today is 2026-07-01" in str(first.body["system"])
    tool_use = second.body["messages"][-2]["content"][-1]
    result_block = second.body["messages"][-1]["content"][0]
    assert tool_use["type"] == "tool_use" and result_block["type"] == "tool_result"
    assert result_block["tool_use_id"] == tool_use["id"] and result_block.get("is_error") is True
    assert "revenu" in str(result_block["content"])


def test_openai_compatible_base_url_without_a_key_like_ollama(context):
    args = {"metrics": ["installs"], "dimensions": ["platform"], "time_range": ["2026-06-24", "2026-06-30"]}
    with StubLLMServer([openai_tool_call("query_metrics", args, model="llama3.1")]) as server:
        settings = settings_for("openai_compatible", server.url + "/v1", model="llama3.1", key=None)
        result = planner_for(settings, []).plan(
            "installs by platform last 7 days", context, lambda plan: None
        )

    assert isinstance(result.plan, SemanticQueryPlan) and result.plan.query.dimensions == ("platform",)
    assert result.planner_label == "llm:openai_compatible/llama3.1"
    assert server.requests[0].headers["authorization"] == "Bearer not-needed"
    assert server.requests[0].body["model"] == "llama3.1"


def test_server_errors_and_rate_limits_are_retried_with_backoff(context):
    replies = [
        openai_error(500),
        openai_error(429, "slow down"),
        openai_tool_call("query_metrics", {"metrics": ["cost"]}),
    ]
    sleeps: list[float] = []
    with StubLLMServer(replies) as server:
        settings = settings_for("openai", server.url + "/v1", model="gpt-4o-mini")
        result = planner_for(settings, sleeps).plan("total spend", context, lambda plan: None)

    assert result.plan.query.metrics == ("cost",)
    assert len(server.requests) == 3 and sleeps == [0.5, 1.0]
    assert result.usage.llm_calls == 1  # failed HTTP calls produced no model reply


def test_a_provider_that_keeps_failing_ends_in_one_clean_error(context):
    sleeps: list[float] = []
    with StubLLMServer([openai_error(429, "rate limit") for _ in range(3)]) as server:
        settings = settings_for("openai", server.url + "/v1", model="gpt-4o-mini")
        with pytest.raises(LLMUnavailable) as failure:
            planner_for(settings, sleeps).plan("total spend", context, lambda plan: None)

    assert failure.value.code == "llm_unavailable"
    assert "did not answer after 3 tries: HTTP 429 (rate limited)" in failure.value.message
    assert "Traceback" not in failure.value.message and "sk-test" not in failure.value.message
    assert len(server.requests) == 3 and sleeps == [0.5, 1.0]


def test_anthropic_overloaded_is_retried(context):
    replies = [anthropic_error(529), anthropic_tool_use("query_metrics", {"metrics": ["installs"]})]
    sleeps: list[float] = []
    with StubLLMServer(replies) as server:
        settings = settings_for("anthropic", server.url, model="claude-sonnet-4-6")
        result = planner_for(settings, sleeps).plan("installs", context, lambda plan: None)
    assert result.plan.query.metrics == ("installs",) and sleeps == [0.5]


def test_a_bad_key_is_not_retried(context):
    reply = openai_error(401, "Incorrect API key provided")
    with StubLLMServer([reply]) as server:
        settings = settings_for("openai", server.url + "/v1", model="gpt-4o-mini")
        with pytest.raises(LLMError) as failure:
            planner_for(settings, []).plan("installs", context, lambda plan: None)
    assert not isinstance(failure.value, LLMUnavailable)
    assert "HTTP 401 (check the API key)" in failure.value.message and len(server.requests) == 1


def test_a_slow_provider_times_out_and_is_retried_then_fails_cleanly(context):
    slow = openai_tool_call("query_metrics", {"metrics": ["cost"]})
    slow.delay_s = 3.0
    sleeps: list[float] = []
    with StubLLMServer([slow, slow]) as server:
        settings = settings_for("openai", server.url + "/v1", model="gpt-4o-mini", timeout_s=0.3)
        with pytest.raises(LLMUnavailable) as failure:
            planner_for(settings, sleeps, retries=1).plan("total spend", context, lambda plan: None)
    assert "did not answer after 2 tries: timed out" in failure.value.message
    assert len(server.requests) == 2 and sleeps == [0.5]


def test_narrative_through_the_openai_client_keeps_a_supported_summary():
    rows = [["Facebook_iOS_US_Lookalike", 4.2137], ["TikTok_iOS_US_Broad", 3.0921]]
    text = "Facebook_iOS_US_Lookalike leads with a ROAS of 4.21, ahead of TikTok_iOS_US_Broad at 3.09."
    with StubLLMServer([openai_text(text, tokens=(300, 25)), openai_text("ROAS averaged 3.65.")]) as server:
        settings = settings_for("openai", server.url + "/v1", model="gpt-4o-mini")
        narrator = LLMNarrator(build_chat_model(settings), provider_label=provider_label(settings))
        kept = narrator.summarize("Top campaigns by ROAS", ["campaign_name", "roas"], rows, "TEMPLATE")
        replaced = narrator.summarize("Top campaigns by ROAS", ["campaign_name", "roas"], rows, "TEMPLATE")

    assert kept[0] == text and kept[1].to_contract() == {
        "llm_calls": 1,
        "prompt_tokens": 300,
        "completion_tokens": 25,
    }
    assert replaced[0] == "TEMPLATE"  # 3.65 is an average the rows do not hold
    assert "4.2137" in server.requests[0].body["messages"][1]["content"]
    assert "tools" not in server.requests[0].body
