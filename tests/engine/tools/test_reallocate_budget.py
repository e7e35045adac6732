"""The budget tool (#22) on the demo: routed by the offline planner, offered to the LLM with its schema,
answered through Assistant.ask with one row per source, the total kept, every source within its limit,
intervals around the expected outcome, a chart of the curves, and the caveats; clear errors otherwise.
The spend behind "today" is recomputed here with SQL."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.assistant import Assistant
from app.engine.pipeline.execute import ExecutionError, PlanExecutor
from app.engine.planning.llm.calls import InvalidToolCall, plan_from_call
from app.engine.planning.llm.tools import DEFAULT_TOOLS
from app.engine.planning.offline.planner import OfflinePlanner
from app.engine.planning.plan import PlanningContext, ToolCallPlan
from app.engine.tools import ToolContext
from app.settings import Settings
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

AS_OF = dt.date(2026, 7, 1)
TODAY_SQL = """
SELECT c.media_source, SUM(s.cost) / 28 FROM ad_spend s JOIN campaigns c USING (campaign_id)
WHERE s.date BETWEEN DATE '2026-06-03' AND DATE '2026-06-30' GROUP BY 1"""


@pytest.fixture(scope="module")
def planner(duckdb_wh):
    return OfflinePlanner(load_semantic_model(DEMO_MODEL_PATH), warehouse=duckdb_wh, embedder=False)


@pytest.fixture(scope="module")
def assistant(demo_db_path, duckdb_wh, tmp_path_factory):
    data = tmp_path_factory.mktemp("budget-app")
    settings = Settings(warehouse_path=demo_db_path, data_dir=data, planner="offline", cache_enabled=False)
    return Assistant(settings, warehouse=duckdb_wh)


@pytest.mark.parametrize(("question", "arguments"), [
    ("how should I move budget from Facebook to TikTok?", {"sources": ["Facebook", "TikTok"]}),
    ("reallocate the same total across media sources to maximize installs", {}),
    ("how would you split $50k a day across sources for revenue, each within 20% of today?",
     {"objective": "revenue", "total_budget": 50000.0, "max_change": 0.2}),
    ("what would be the best budget allocation across campaigns on iOS?",
     {"by": "campaign_name", "filters": [{"dimension": "platform", "op": "=", "values": ["iOS"]}]}),
    ("optimize our ad budget for ROAS, within 50%", {"objective": "roas", "max_change": 0.5}),
])
def test_budget_questions_route_to_the_tool(planner, question, arguments):
    plan = planner.plan(question, PlanningContext(as_of=AS_OF))
    assert isinstance(plan, ToolCallPlan) and plan.tool == "reallocate_budget"
    assert plan.arguments == arguments and plan.confidence >= 0.7


@pytest.mark.parametrize("question", [
    "how was spend split across media sources in May?",
    "which campaigns ate the most budget last month? top 5 please",
    "cost per install by media source",
    "how much budget is left on the facebook campaigns?",
])
def test_questions_about_past_spend_do_not(planner, question):
    plan = planner.plan(question, PlanningContext(as_of=AS_OF))
    assert not (isinstance(plan, ToolCallPlan) and plan.tool == "reallocate_budget")


def test_the_llm_is_offered_the_tool_and_its_calls_are_validated():
    assert "reallocate_budget" in DEFAULT_TOOLS
    plan = plan_from_call("reallocate_budget", {"objective": "revenue", "max_change": 0.2},
                          enabled=DEFAULT_TOOLS, dialect="duckdb")
    assert plan.tool == "reallocate_budget"
    assert plan.arguments["objective"] == "revenue" and plan.arguments["max_change"] == 0.2
    for wrong in ({"objective": "clicks"}, {"max_change": -0.1}, {"by": "country"}, {"budget": 10}):
        with pytest.raises(InvalidToolCall, match="reallocate_budget"):
            plan_from_call("reallocate_budget", wrong, enabled=DEFAULT_TOOLS, dialect="duckdb")


def _rows(answer):
    names = [c.name for c in answer.columns]
    return [dict(zip(names, row)) for row in answer.rows]


def test_the_same_total_across_media_sources(assistant, demo_sql):
    answer = assistant.ask("reallocate the same total across media sources to maximize installs")
    assert answer.status == "answered", answer.error
    assert answer.tool_calls[0].name == "reallocate_budget"
    rows = _rows(answer)
    today = dict(demo_sql.execute(TODAY_SQL).fetchall())
    assert {r["media_source"] for r in rows} == set(today)
    for r in rows:
        assert r["current_spend"] == pytest.approx(today[r["media_source"]], abs=0.01)
        assert 0.7 * r["current_spend"] - 0.01 <= r["proposed_spend"] <= 1.3 * r["current_spend"] + 0.01
        assert r["change"] == pytest.approx(r["proposed_spend"] - r["current_spend"], abs=0.02)
        assert r["installs_low"] <= r["expected_installs"] <= r["installs_high"]
        assert r["revenue_low"] <= r["expected_revenue"] <= r["revenue_high"]
        assert 0 <= r["p_best_next_dollar"] <= 1
    assert sum(r["proposed_spend"] for r in rows) == pytest.approx(sum(today.values()), abs=0.1)
    assert sum(r["p_best_next_dollar"] for r in rows) == pytest.approx(1.0, abs=0.01)
    assert any(abs(r["change"]) > 1 for r in rows)  # the curves differ: something moves
    assert "correlational, not incremental" in answer.answer and "Thompson sampling" in answer.answer
    figure = answer.chart.figure
    assert answer.chart.type == "multi_line" and len(figure["data"]) == 3 * len(rows)
    assert {t["marker"]["symbol"] for t in figure["data"] if t["mode"] == "markers"} == {"circle", "diamond"}


def test_moving_budget_between_two_sources_moves_only_them(assistant):
    answer = assistant.ask("how should I move budget from Facebook to TikTok?")
    assert answer.status == "answered", answer.error
    rows = _rows(answer)
    moved = {r["media_source"] for r in rows if abs(r["change"]) > 0.01}
    assert moved <= {"Facebook", "TikTok"}
    pair = [r for r in rows if r["media_source"] in ("Facebook", "TikTok")]
    assert sum(r["change"] for r in pair) == pytest.approx(0, abs=0.05)
    assert "Moving budget between Facebook and TikTok (the other 6 keep today's spend" in answer.answer


def test_a_total_the_limits_cannot_hold_is_a_clear_error(assistant):
    answer = assistant.ask("how would you split $50k a day across sources for revenue, "
                           "each within 20% of today?")
    assert answer.status == "error" and answer.error.code == "budget_infeasible"
    assert "$50,000" in answer.error.message and "each within 50% of today" in answer.error.message
    assert "Traceback" not in answer.error.message


def test_a_new_total_is_spent_and_revenue_is_the_goal(assistant):
    answer = assistant.ask("how would you split $2,000 a day across media sources for revenue, "
                           "each within 20% of today?")
    assert answer.status == "answered", answer.error
    rows = _rows(answer)
    assert sum(r["proposed_spend"] for r in rows) == pytest.approx(2000, abs=0.1)
    assert "attributed revenue" in answer.answer and "ROAS" in answer.answer


def _executor(warehouse):
    model = load_semantic_model(DEMO_MODEL_PATH)
    return PlanExecutor(model, warehouse, max_rows=1000,
                        tool_context=lambda: ToolContext(warehouse, None, AS_OF))


def test_the_same_reallocation_on_chdb(duckdb_wh, chdb_wh):
    plan = ToolCallPlan(tool="reallocate_budget", arguments={"max_change": 0.2})
    duck, ch = (_executor(wh).run(plan).result for wh in (duckdb_wh, chdb_wh))
    assert chdb_wh.dialect == "clickhouse" and len(ch.rows) == len(duck.rows) == 8
    for got, want in zip(ch.rows, duck.rows, strict=True):
        assert got[0] == want[0]
        assert got[1:4] == pytest.approx(want[1:4], abs=0.02)  # current, proposed, change


def test_an_unknown_source_and_no_spend_are_clear_errors(duckdb_wh):
    executor = _executor(duckdb_wh)
    with pytest.raises(ExecutionError) as unknown:
        executor.run(ToolCallPlan(tool="reallocate_budget", arguments={"sources": ["Facebook", "MySpace"]}))
    assert unknown.value.code == "invalid_arguments" and "MySpace" in unknown.value.message
    assert "TikTok" in unknown.value.message  # the sources that did spend are named
    nothing = {"filters": [{"dimension": "country", "op": "=", "values": ["ZZ"]}]}
    with pytest.raises(ExecutionError) as empty:
        executor.run(ToolCallPlan(tool="reallocate_budget", arguments=nothing))
    assert empty.value.code == "budget_refused" and "nothing was spent" in empty.value.message
