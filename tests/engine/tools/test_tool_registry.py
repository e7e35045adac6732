"""The tool registry: one module per tool, read by the offline planner, the LLM planner and the executor."""
from __future__ import annotations

from typing import Any

import pytest

from app.engine.pipeline.execute import ExecutionError, PlanExecutor
from app.engine.planning.llm.calls import plan_from_call, tool_specs
from app.engine.planning.llm.tools import DEFAULT_TOOLS, TOOL_ARGS
from app.engine.planning.plan import ToolCallPlan
from app.engine.tools import REGISTRY, Tool, ToolContext, ToolOutcome, ToolQuestion, ToolRegistry
from app.engine.tools.base import ToolArgs, ToolError
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
from warehouse.base import Column, Result

PREDICTORS = {"predict_churn", "explain_churn", "score_fraud", "explain_fraud", "predict_ltv",
              "predict_conversion", "explain_conversion"}
INSIGHTS = {"explain_change", "detect_anomalies", "forecast"}  # on the semantic layer (docs/insights.md)
SEGMENTS = {"segment_users", "list_segment_users", "describe_cluster"}  # #22, docs/models.md
BUDGET = {"reallocate_budget"}  # #22, docs/models.md


class EchoArgs(ToolArgs):
    """Echo a word back (a test tool)."""

    word: str


class Echo(Tool):
    name = "echo"
    description = "Repeats the word it is given."
    arguments = EchoArgs
    priority = 1

    def route(self, question: ToolQuestion) -> dict[str, Any] | None:
        return {"word": question.folded.split()[-1]} if question.folded.startswith("echo ") else None

    def run(self, arguments: EchoArgs, context: ToolContext) -> ToolOutcome:
        if arguments.word == "boom":
            raise ToolError("echo_failed", "cannot echo boom")
        result = Result(columns=[Column("word", "VARCHAR")], rows=[(arguments.word,)])
        return ToolOutcome(result, arguments.model_dump(), "1 row", f"You said {arguments.word}.")


def test_the_predictor_tools_are_registered_with_schema_and_description():
    assert set(REGISTRY.names()) == PREDICTORS | INSIGHTS | SEGMENTS | BUDGET
    for tool in REGISTRY:
        assert tool.description and tool.arguments.model_json_schema()["properties"]


def test_the_llm_is_offered_every_registered_tool_with_its_own_description():
    assert PREDICTORS <= set(DEFAULT_TOOLS)
    specs = {s["function"]["name"]: s["function"] for s in tool_specs(tuple(REGISTRY.names()))}
    for tool in REGISTRY:
        assert specs[tool.name]["description"] == tool.description
        assert TOOL_ARGS[tool.name] is tool.arguments


def test_an_llm_call_is_validated_with_the_tools_schema():
    plan = plan_from_call("predict_churn", {"media_source": "TikTok", "limit": 5}, enabled=DEFAULT_TOOLS,
                          dialect="duckdb")
    assert plan == ToolCallPlan(tool="predict_churn", arguments={"media_source": "TikTok", "limit": 5})


@pytest.mark.parametrize(("question", "tool"), [
    ("why is user u000123 likely to churn", "explain_churn"),
    ("who is likely to churn among tiktok users", "predict_churn"),
    ("why does install i000042 look fraudulent", "explain_fraud"),
    ("which installs look fraudulent", "score_fraud"),
    ("predicted lifetime value of users at risk of churn", "predict_ltv"),  # LTV wins by priority
    ("which of yesterday's installs are likely to convert?", "predict_conversion"),
    ("why is install i0000042 likely to buy?", "explain_conversion"),
    ("why does install i0000042 look fraudulent", "explain_fraud"),  # no buying word: fraud
])
def test_the_registry_routes_by_priority(question, tool):
    routed = REGISTRY.route(ToolQuestion(folded=question))
    assert routed is not None and routed[0].name == tool


def test_a_question_no_tool_takes_is_not_routed():
    assert REGISTRY.route(ToolQuestion(folded="installs by platform last month")) is None


def test_a_duplicate_name_is_refused_and_an_unknown_one_is_an_error():
    registry = ToolRegistry((Echo(),))
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Echo())
    with pytest.raises(ToolError) as unknown:
        registry.get("nope")
    assert unknown.value.code == "unknown_tool" and "echo" in unknown.value.message


@pytest.fixture(scope="module")
def echo_executor(duckdb_wh, tmp_path_factory):
    registry = ToolRegistry((Echo(),))
    context = ToolContext(duckdb_wh, tmp_path_factory.mktemp("models"), None)
    return PlanExecutor(load_semantic_model(DEMO_MODEL_PATH), duckdb_wh, max_rows=100,
                        tool_context=lambda: context, tools=registry)


def test_a_new_tool_is_one_module_the_executor_runs(echo_executor):
    execution = echo_executor.run(ToolCallPlan(tool="echo", arguments={"word": "hello"}))
    assert execution.sql is None and execution.result.rows == [("hello",)]
    assert execution.narrative == "You said hello." and execution.tool_calls[0].name == "echo"


def test_bad_arguments_and_tool_failures_become_execution_errors(echo_executor):
    with pytest.raises(ExecutionError) as invalid:
        echo_executor.run(ToolCallPlan(tool="echo", arguments={"word": "x", "extra": 1}))
    assert invalid.value.code == "invalid_arguments" and "extra" in invalid.value.message
    with pytest.raises(ExecutionError) as failed:
        echo_executor.run(ToolCallPlan(tool="echo", arguments={"word": "boom"}))
    assert (failed.value.code, failed.value.message) == ("echo_failed", "cannot echo boom")
    with pytest.raises(ExecutionError) as unknown:
        echo_executor.run(ToolCallPlan(tool="predict_churn", arguments={}))
    assert unknown.value.code == "unknown_tool"


def test_a_filter_a_predictor_tool_cannot_apply_is_asked_about_not_dropped(duckdb_wh):
    """ "churn risk in cluster 2": predict_churn filters by acquisition attributes only, so the plan is not
    answered as is; the clarification says which filter would be lost. Filters it takes stay a tool call."""
    import datetime as dt

    from app.engine.planning.offline.planner import OfflinePlanner
    from app.engine.planning.plan import PlanningContext

    planner = OfflinePlanner(load_semantic_model(DEMO_MODEL_PATH), warehouse=duckdb_wh, embedder=False)
    context = PlanningContext(as_of=dt.date(2026, 7, 1))
    for question, lost in (("churn risk in cluster 2", "cluster = 2"),
                           ("which users in brazil or mexico are likely to churn", "country in BR, MX")):
        plan = planner.plan(question, context)
        assert plan.kind == "clarification", (question, plan)
        assert f"{lost} cannot be applied by predict_churn" in plan.question
    kept = planner.plan("who is likely to churn among tiktok users", context)
    assert (kept.kind, kept.tool, kept.arguments) == ("tool_call", "predict_churn",
                                                      {"media_source": "TikTok", "limit": 20})
    one = planner.plan("why is install i0000042 from brazil likely to buy?", context)  # an id needs no filter
    assert (one.kind, one.tool) == ("tool_call", "explain_conversion")
