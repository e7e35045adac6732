"""The planner's loop with a fake tool-calling model and a real check on the demo DuckDB."""

from __future__ import annotations

import datetime as dt

import pytest
from fake_chat import prose, scripted, tool_call
from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage

from app.engine.planning.llm.errors import LLMPlanningFailed
from app.engine.planning.llm.planner import LLMPlanner
from app.engine.planning.llm.tools import DEFAULT_TOOLS
from app.engine.planning.plan import (
    ClarificationPlan,
    PlanningContext,
    SemanticQueryPlan,
    SqlPlan,
    ToolCallPlan,
)

TOP_IOS_ROAS = {
    "metrics": ["roas"],
    "dimensions": ["campaign_name"],
    "filters": [{"dimension": "platform", "op": "=", "values": ["iOS"]}],
    "time_range": ["2026-06-01", "2026-06-30"],
    "order_by": [["roas", "desc"]],
    "limit": 5,
}


def planner_for(model, catalog="", **kwargs) -> LLMPlanner:
    return LLMPlanner(model, provider_label="fake/tool-caller", semantic_catalog=catalog, **kwargs)


def tool_results(model, call_index: int) -> list[ToolMessage]:
    return [m for m in model.received[call_index] if isinstance(m, ToolMessage)]


def test_a_query_metrics_call_becomes_a_semantic_plan_that_runs(context, catalog, executing_check):
    model = scripted(tool_call("query_metrics", TOP_IOS_ROAS, tokens=(900, 40)))
    result = planner_for(model, catalog).plan(
        "Top 5 iOS campaigns by ROAS last month", context, executing_check
    )

    assert isinstance(result.plan, SemanticQueryPlan)
    assert result.plan.query.to_contract()["filters"] == ["platform = 'iOS'"]
    assert result.plan.query.time_range == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert len(executing_check.results[0].rows) == 5
    assert result.planner_label == "llm:fake/tool-caller"
    assert (result.usage.llm_calls, result.usage.prompt_tokens, result.usage.completion_tokens) == (
        1,
        900,
        40,
    )
    assert [(a.tool, a.error) for a in result.attempts] == [("query_metrics", None)]


def test_a_guard_error_goes_back_to_the_model_which_corrects_its_sql(context, executing_check):
    wrong = "SELECT event_name, SUM(revenu) AS revenue FROM events GROUP BY 1"
    fixed = "SELECT event_name, SUM(revenue) AS revenue FROM events GROUP BY 1 ORDER BY 2 DESC"
    model = scripted(tool_call("run_sql", {"sql": wrong}), tool_call("run_sql", {"sql": fixed}))
    result = planner_for(model).plan("Revenue by event name", context, executing_check)

    assert isinstance(result.plan, SqlPlan) and result.plan.sql == fixed
    first = result.attempts[0]
    assert first.tool == "run_sql" and "revenu" in first.error and first.plan is not None
    sent_back = tool_results(model, 1)
    assert len(sent_back) == 1 and sent_back[0].content.startswith("Error: ")
    assert "revenu" in sent_back[0].content and sent_back[0].status == "error"
    assert result.usage.llm_calls == 2
    assert {row[0] for row in executing_check.results[0].rows} >= {"purchase", "subscription_start"}


def test_an_unknown_metric_from_the_compiler_is_fed_back_with_its_suggestion(context, executing_check):
    typo = {**TOP_IOS_ROAS, "metrics": ["roaz"]}
    model = scripted(tool_call("query_metrics", typo), tool_call("query_metrics", TOP_IOS_ROAS))
    result = planner_for(model).plan("Top 5 iOS campaigns by ROAS last month", context, executing_check)

    assert result.plan.query.metrics == ("roas",)
    assert "did you mean 'roas'" in tool_results(model, 1)[0].content


@pytest.mark.parametrize(
    "bad_args, expected",
    [
        ({"metrics": []}, "metrics: List should have at least 1 item"),
        ({"metrics": ["installs"], "grain": "hour"}, "grain: Input should be"),
        ({"metrics": ["installs"], "time_range": ["2026-06-30", "2026-06-01"]}, "starts after it ends"),
        ({"metrics": ["installs"], "order_by": [["installs", "down"]]}, "order_by"),
        ({"metrics": ["installs"], "havin": ["x > 1"]}, "havin: Extra inputs are not permitted"),
    ],
)
def test_schema_invalid_arguments_count_as_a_retry(context, bad_args, expected):
    model = scripted(
        tool_call("query_metrics", bad_args), tool_call("query_metrics", {"metrics": ["installs"]})
    )
    checked = []
    result = planner_for(model).plan("How many installs?", context, lambda plan: checked.append(plan))

    assert expected in result.attempts[0].error
    assert result.attempts[0].plan is None and len(checked) == 1  # the invalid call never reached check
    assert expected in tool_results(model, 1)[0].content


def test_retries_are_bounded_and_the_failure_keeps_attempts_and_usage(context):
    model = scripted(*[tool_call("run_sql", {"sql": f"SELECT nope{i} FROM events"}) for i in range(6)])
    with pytest.raises(LLMPlanningFailed) as failure:
        planner_for(model, max_retries=2).plan("?", context, lambda plan: "column not found")

    assert len(failure.value.attempts) == 3  # the first try plus two retries
    assert failure.value.usage.llm_calls == 3
    assert failure.value.code == "llm_plan_failed" and "column not found" in failure.value.message


def test_prose_is_reprompted_once_then_a_tool_call_is_used(context):
    model = scripted(prose("ROAS is revenue over cost."), tool_call("query_metrics", {"metrics": ["roas"]}))
    result = planner_for(model).plan("what is roas overall", context, lambda plan: None)

    assert isinstance(result.plan, SemanticQueryPlan)
    nudge = model.received[1][-1]
    assert isinstance(nudge, HumanMessage) and "exactly one tool call" in nudge.content
    assert [a.tool for a in result.attempts] == [None, "query_metrics"]


def test_prose_twice_becomes_a_clarification_with_the_models_question(context):
    model = scripted(prose("Which period?"), prose("Do you mean installs or paid installs?"))
    result = planner_for(model).plan("installs?", context, lambda plan: pytest.fail("nothing to check"))

    assert isinstance(result.plan, ClarificationPlan)
    assert result.plan.question == "Do you mean installs or paid installs?"
    assert result.usage.llm_calls == 2


@pytest.mark.parametrize(
    "name, args, kind",
    [
        (
            "ask_clarification",
            {"question": "Which metric?", "options": ["installs", "paid installs"]},
            "clarification",
        ),
        ("refuse", {"reason": "I only read data.", "category": "write"}, "refusal"),
    ],
)
def test_clarifications_and_refusals_are_not_checked(context, name, args, kind):
    model = scripted(tool_call(name, args))
    result = planner_for(model).plan("delete all installs", context, lambda plan: pytest.fail("checked"))
    assert result.plan.kind == kind


def test_a_predictor_call_becomes_a_tool_call_plan_and_is_checked(context):
    args = {"media_source": "TikTok", "install_date_from": "2026-06-01", "install_date_to": "2026-06-30"}
    model = scripted(tool_call("score_fraud", args))
    checked = []
    result = planner_for(model).plan(
        "Which TikTok installs last month look fraudulent?", context, lambda plan: checked.append(plan)
    )
    assert isinstance(result.plan, ToolCallPlan) and result.plan.tool == "score_fraud"
    assert result.plan.arguments == {**args, "limit": 20}
    assert checked == [result.plan]


def test_extra_calls_in_one_reply_each_get_a_result(context):
    reply = tool_call(
        "run_sql", {"sql": "SELECT 1 FROM nowhere"}, extra_calls=(("run_sql", {"sql": "SELECT 2"}),)
    )
    model = scripted(reply, tool_call("query_metrics", {"metrics": ["installs"]}))
    planner_for(model).plan(
        "installs", context, lambda plan: "unknown table nowhere" if plan.kind == "sql" else None
    )

    results = tool_results(model, 1)
    assert [m.tool_call_id for m in results] == [c["id"] for c in reply.tool_calls]
    assert results[1].content.startswith("Ignored")


def test_unknown_tools_and_malformed_json_are_errors_for_the_model(context):
    from langchain_core.messages import AIMessage

    malformed = AIMessage(
        content="",
        invalid_tool_calls=[
            {
                "type": "invalid_tool_call",
                "id": "c9",
                "name": "run_sql",
                "args": '{"sql": ',
                "error": "bad JSON",
            }
        ],
    )
    model = scripted(
        tool_call("drop_tables", {}), malformed, tool_call("query_metrics", {"metrics": ["cost"]})
    )
    result = planner_for(model).plan("spend", context, lambda plan: None)

    assert "no tool named 'drop_tables'" in result.attempts[0].error
    assert "not valid JSON" in result.attempts[1].error
    assert result.plan.query.metrics == ("cost",)


def test_only_enabled_tools_are_bound_and_callable(context):
    model = scripted(
        tool_call("run_sql", {"sql": "SELECT 1"}), tool_call("query_metrics", {"metrics": ["cost"]})
    )
    enabled = ("query_metrics", "ask_clarification", "refuse")
    result = planner_for(model, tools_enabled=enabled).plan("spend", context, lambda plan: None)

    assert [t["function"]["name"] for t in model.bound_tools] == list(enabled)
    assert "no tool named 'run_sql'" in result.attempts[0].error
    with pytest.raises(ValueError, match="unknown planner tools: exec_python"):
        planner_for(scripted(), tools_enabled=("query_metrics", "exec_python"))
    assert set(DEFAULT_TOOLS) >= {
        "predict_churn",
        "explain_churn",
        "score_fraud",
        "explain_fraud",
        "predict_ltv",
    }


def test_the_system_prompt_carries_as_of_catalog_retrieved_examples_and_previous_turns(catalog):
    previous = SemanticQueryPlan(query={"metrics": ["roas"], "dimensions": ["campaign_name"]})
    context = PlanningContext(
        as_of=dt.date(2026, 7, 1),
        dialect="duckdb",
        previous_plans=(previous,),
        schema_text="events(revenue DOUBLE)",
        retrieved={
            "docs": ["ROAS uses attributed revenue."],
            "examples": [{"question": "Spend by media source", "sql": "SELECT media_source, SUM(cost) ..."}],
        },
    )
    model = scripted(
        tool_call("query_metrics", {"metrics": ["roas"], "dimensions": ["campaign_name", "platform"]})
    )
    planner_for(model, catalog).plan("split by platform", context, lambda plan: None)

    system, human = model.received[0]
    assert isinstance(system, SystemMessage) and isinstance(human, HumanMessage)
    assert "today is 2026-07-01" in system.content and "- roas [ratio]" in system.content
    assert "ROAS uses attributed revenue." in system.content and "events(revenue DOUBLE)" in system.content
    assert "Q: Spend by media source\nA: SELECT media_source" in system.content
    assert '"dimensions": ["campaign_name"]' in system.content
    assert human.content == "split by platform"


def test_attempts_are_reported_in_the_answer_contract_shape(context):
    model = scripted(tool_call("run_sql", {"sql": "SELECT 1"}),
                     tool_call("query_metrics", {"metrics": ["cost"]}))
    result = planner_for(model).plan("spend", context, lambda plan: "nope" if plan.kind == "sql" else None)
    assert [a.to_contract() for a in result.attempts] == [
        {"name": "run_sql", "arguments": {"sql": "SELECT 1"}, "error": "nope"},
        {"name": "query_metrics", "arguments": {"metrics": ["cost"]}, "error": None},
    ]
