"""The forecast tool on the demo warehouse, through the executor: rows, chart, the backtest error in
the narrative (recomputed here from SQL), splits, and clear refusals."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from app.engine.insights.forecast import mape
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


def forecast(executor, **arguments):
    execution = executor.run(ToolCallPlan(tool="forecast", arguments=arguments))
    return execution, [dict(zip(execution.result.column_names(), row)) for row in execution.result.rows]


def refusal(executor, **arguments) -> ExecutionError:
    with pytest.raises(ExecutionError) as caught:
        executor.run(ToolCallPlan(tool="forecast", arguments=arguments))
    return caught.value


def test_installs_next_week(executor, demo_sql):
    execution, rows = forecast(executor, metric="installs", start="2026-07-06", horizon=7)
    assert list(rows[0]) == ["date", "forecast", "low", "high"]
    assert [r["date"] for r in rows] == [D(2026, 7, 6) + dt.timedelta(days=i) for i in range(7)]
    assert all(0 <= r["low"] <= r["forecast"] <= r["high"] for r in rows)
    # the weekend is busier on the demo (warehouse/demo/calendar.py): so is the forecast
    assert max(rows, key=lambda r: r["forecast"])["date"].weekday() in (5, 6)
    daily = [v for (v,) in demo_sql.execute(
        "SELECT COUNT(*) FROM installs "
        "WHERE install_time::DATE BETWEEN DATE '2026-06-01' AND DATE '2026-06-30' "
        "GROUP BY install_time::DATE ORDER BY install_time::DATE").fetchall()]
    assert 0.8 * np.mean(daily[-14:]) < np.mean([r["forecast"] for r in rows]) < 1.25 * np.mean(daily[-14:])
    # the seasonal-naive error the narrative reports, recomputed from the data: the last 14 days
    # held out, each predicted by the same weekday of the week before them
    held, naive = np.array(daily[-14:]), np.array(daily[-21:-14] * 2)
    naive_error = f"{mape(held, naive):.1%}"
    assert "for a seasonal-naive forecast" in execution.narrative and naive_error in execution.narrative
    assert "MAPE" in execution.narrative and "backtest on the last 14 days" in execution.narrative
    figure = execution.chart["figure"]
    assert execution.chart["type"] == "line" and len(figure["data"]) == 4
    assert figure["data"][0]["x"][-1] == "2026-06-30" and figure["data"][3]["x"][0] == "2026-07-06"


def test_spend_for_july_by_media_source(executor, demo_sql):
    _, rows = forecast(executor, metric="cost", start="2026-07-01", horizon=31, dimensions=["media_source"],
                       limit=3)
    assert list(rows[0]) == ["media_source", "date", "forecast", "low", "high"]
    top = [s for (s,) in demo_sql.execute(
        "SELECT media_source FROM ad_spend JOIN campaigns USING (campaign_id) "
        "WHERE date >= DATE '2026-06-03' GROUP BY 1 ORDER BY SUM(cost) DESC LIMIT 3").fetchall()]
    assert list(dict.fromkeys(r["media_source"] for r in rows)) == top
    assert len(rows) == 3 * 31 and all(r["low"] <= r["forecast"] <= r["high"] for r in rows)


def test_a_ratio_is_forecast_on_its_own_daily_series(executor):
    execution, rows = forecast(executor, metric="cpi", horizon=14)
    assert len(rows) == 14 and all(1 < r["forecast"] < 3 for r in rows)  # dollars per install
    assert "on average" in execution.narrative and "in total" not in execution.narrative


def test_weekly_grain_forecasts_whole_weeks(executor):
    _, rows = forecast(executor, metric="installs", grain="week", horizon=4)
    assert [r["date"] for r in rows] == [D(2026, 6, 29) + dt.timedelta(weeks=i) for i in range(4)]


def test_incomplete_days_at_the_end_are_left_out_and_said(executor):
    execution, rows = forecast(executor, metric="retention_d7", horizon=7)
    assert all(r["forecast"] > 0.05 for r in rows)  # not the zeros of cohorts too young to have a D7
    assert "not complete yet" in execution.narrative


@pytest.mark.parametrize(("arguments", "said"), [
    ({"metric": "campaign_count"}, "no dates"),
    ({"metric": "installs", "grain": "month", "horizon": 2}, "6 months of history"),
    ({"metric": "installs", "horizon": 120}, "at least 240"),
    ({"metric": "installs", "horizon": 30, "filters": [{"dimension": "country", "values": ["XX"]}]},
     "no data"),
])
def test_what_cannot_be_forecast_is_refused_with_the_reason(executor, arguments, said):
    error = refusal(executor, **arguments)
    assert error.code == "forecast_refused" and said in error.message


def test_bad_arguments_are_clear_errors(executor):
    assert refusal(executor, metric="installs", dimensions=["nope"]).code == "invalid_arguments"
    assert refusal(executor, metric="installs", horizon=0).code == "invalid_arguments"
    assert "unknown metric" in refusal(executor, metric="nope").message
