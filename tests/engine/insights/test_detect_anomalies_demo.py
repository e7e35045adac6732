"""detect_anomalies on the demo finds the incidents its generator planted (warehouse/demo/calendar.py)
and nothing else in the series asked about; the answer rows are the anomalies only."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.insights.anomalies import score_series
from app.engine.pipeline.execute import ExecutionError, PlanExecutor
from app.engine.planning.plan import ToolCallPlan
from app.engine.tools import ToolContext
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

D = dt.date


@pytest.fixture(scope="module")
def executor(duckdb_wh, tmp_path_factory):
    model = load_semantic_model(DEMO_MODEL_PATH)
    models = tmp_path_factory.mktemp("models")
    return PlanExecutor(model, duckdb_wh, max_rows=1000,
                        tool_context=lambda: ToolContext(duckdb_wh, models, D(2026, 7, 1)))


def anomalies(executor, **arguments):
    execution = executor.run(ToolCallPlan(tool="detect_anomalies", arguments=arguments))
    return execution, [dict(zip(execution.result.column_names(), row)) for row in execution.result.rows]


def test_planted_install_incidents_are_the_anomalies(executor, demo_sql):
    execution, rows = anomalies(executor, metric="installs", start="2026-01-01", end="2026-06-30")
    assert [(str(r["date"]), r["direction"]) for r in rows] == [
        ("2026-02-14", "spike"), ("2026-02-15", "spike"), ("2026-03-10", "drop")]
    actual = demo_sql.execute("SELECT COUNT(*) FROM installs WHERE install_time::DATE = DATE '2026-03-10'")
    assert rows[2]["actual"] == actual.fetchone()[0]
    assert rows[2]["low"] <= rows[2]["expected"] <= rows[2]["high"] and rows[2]["actual"] < rows[2]["low"]
    assert execution.chart["type"] == "line" and execution.chart["figure"]["data"][3]["x"] == [
        "2026-02-14", "2026-02-15", "2026-03-10"]


def test_planted_revenue_incidents_are_the_anomalies(executor):
    _, rows = anomalies(executor, metric="revenue", start="2026-04-01", end="2026-06-30")
    assert [(str(r["date"]), r["direction"]) for r in rows] == [
        ("2026-04-14", "drop"), ("2026-05-22", "spike"), ("2026-05-23", "spike"), ("2026-05-24", "spike")]


def test_the_weekly_rhythm_is_expected_not_anomalous():
    week = [100, 100, 100, 100, 110, 140, 130]
    scored = score_series(week * 8)
    assert scored and not any(p.anomalous for p in scored)
    dropped = week * 4 + [100, 100, 30, 100, 110, 140, 130] + week * 3
    assert [p.index for p in score_series(dropped) if p.anomalous] == [30]


def test_an_unknown_metric_is_a_clear_error(executor):
    with pytest.raises(ExecutionError) as caught:
        executor.run(ToolCallPlan(tool="detect_anomalies", arguments={"metric": "nope"}))
    assert caught.value.code == "unknown_metric"
