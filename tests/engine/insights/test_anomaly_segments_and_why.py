"""detect_anomalies per segment (``dimensions``) and the one-word "why?" after an anomaly answer:
explain_change of the biggest (first, last) anomaly, on the demo's planted incidents
(warehouse/demo/calendar.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.assistant import Assistant
from app.engine.pipeline.execute import ExecutionError, PlanExecutor
from app.engine.planning.plan import ToolCallPlan
from app.engine.tools import ToolContext
from app.settings import Settings
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

D = dt.date
H1 = {"start": "2026-01-01", "end": "2026-06-30"}


@pytest.fixture(scope="module")
def executor(duckdb_wh, tmp_path_factory):
    model = load_semantic_model(DEMO_MODEL_PATH)
    models = tmp_path_factory.mktemp("models")
    return PlanExecutor(model, duckdb_wh, max_rows=1000,
                        tool_context=lambda: ToolContext(duckdb_wh, models, D(2026, 7, 1)))


def run(executor, tool, **arguments):
    execution = executor.run(ToolCallPlan(tool=tool, arguments=arguments))
    return execution, [dict(zip(execution.result.column_names(), row)) for row in execution.result.rows]


def test_anomalies_per_media_source_find_the_paid_outage_in_each_large_source(executor, demo_sql):
    execution, rows = run(executor, "detect_anomalies", metric="installs", dimensions=["media_source"],
                          **H1)
    assert list(rows[0])[:2] == ["media_source", "date"]
    outage = {r["media_source"] for r in rows if r["date"] == D(2026, 3, 10)}
    assert {"Facebook", "Google"} <= outage and all(r["direction"] == "drop" for r in rows
                                                      if r["date"] == D(2026, 3, 10))
    facebook = next(r for r in rows if r["media_source"] == "Facebook" and r["date"] == D(2026, 3, 10))
    actual = demo_sql.execute("SELECT count(*) FROM installs JOIN campaigns USING (campaign_id) "
                              "WHERE media_source = 'Facebook' AND install_time::DATE = DATE '2026-03-10'")
    assert facebook["actual"] == actual.fetchone()[0] and facebook["actual"] < facebook["low"]
    assert execution.chart["type"] == "line" and "by media_source" in execution.chart["figure"]["layout"][
        "title"]["text"]


def test_sparse_segments_of_a_count_are_scored_by_it_and_others_are_named_not_flagged(executor, monkeypatch):
    # Apple Search Ads' fraud rate is 0 on most days: scored as a Poisson count of its fraud installs, its
    # ordinary days (a fraud install now and then) are not anomalies on the demo, and it is not "not
    # looked at"
    execution, rows = run(executor, "detect_anomalies", metric="fraud_rate", dimensions=["media_source"],
                          **H1)
    assert "Apple Search Ads" not in {r["media_source"] for r in rows}
    assert "Not looked at" not in execution.narrative
    # a sparse series with nothing to count it by is named, not flagged
    monkeypatch.setattr("app.engine.tools.detect_anomalies._counted", lambda model, metric: None)
    execution, rows = run(executor, "detect_anomalies", metric="fraud_rate", dimensions=["media_source"],
                          **H1)
    assert "Not looked at" in execution.narrative and "Apple Search Ads" in execution.narrative
    assert "Apple Search Ads" not in {r["media_source"] for r in rows}


def test_a_dimension_the_metric_does_not_reach_is_a_clear_error(executor):
    with pytest.raises(ExecutionError) as caught:
        run(executor, "detect_anomalies", metric="cost", dimensions=["event_name"])
    assert caught.value.code == "invalid_arguments"
    assert "cannot be split by event_name" in caught.value.message


def test_the_biggest_anomaly_is_explained_against_the_same_weekday_a_week_earlier(executor):
    execution, rows = run(executor, "explain_change", metric="installs", current_start="2026-01-01",
                          current_end="2026-06-30", anomaly={"which": "biggest"})
    called = execution.tool_calls[0].arguments
    # Feb 14 (organic featuring) is furthest outside its band in H1
    assert (called["current_start"], called["current_end"], called["baseline_start"]) == (
        "2026-02-14", "2026-02-14", "2026-02-07")
    assert (rows[0]["dimension"], rows[0]["segment"]) == ("acquisition_type", "organic")
    assert execution.narrative.startswith("The biggest anomaly of installs from 2026-01-01 to 2026-06-30 is "
                                          "2026-02-14")


def test_the_first_and_last_anomalies_and_none_at_all(executor):
    first, _ = run(executor, "explain_change", metric="revenue", current_start="2026-04-01",
                   current_end="2026-06-30", anomaly={"which": "first"})
    assert first.tool_calls[0].arguments["current_start"] == "2026-04-14"  # the SDK outage
    last, _ = run(executor, "explain_change", metric="installs", current_start="2026-01-01",
                  current_end="2026-06-30", anomaly={"which": "last"})
    assert last.tool_calls[0].arguments["current_start"] == "2026-03-10"  # the paid tracking outage
    with pytest.raises(ExecutionError) as caught:
        run(executor, "explain_change", metric="installs", current_start="2026-06-01",
            current_end="2026-06-30", anomaly={"which": "biggest"})
    assert caught.value.code == "no_anomaly"


def test_an_anomaly_of_one_segment_is_explained_inside_that_segment(executor):
    execution, _ = run(executor, "explain_change", metric="installs", current_start="2026-03-01",
                       current_end="2026-03-31", anomaly={"dimensions": ["media_source"]})
    called = execution.tool_calls[0].arguments
    assert called["current_start"] == "2026-03-10"
    assert called["filters"][0]["dimension"] == "media_source" and "in media_source = " in execution.narrative


def test_why_after_an_anomaly_answer_explains_it_in_the_assistant(demo_db_path, duckdb_wh, tmp_path):
    assistant = Assistant(Settings(warehouse_path=demo_db_path, data_dir=tmp_path), warehouse=duckdb_wh)
    first = assistant.ask("any anomalies in installs this year?")
    assert first.status == "answered" and first.tool_calls[0].name == "detect_anomalies"
    why = assistant.ask("why?", conversation_id=first.conversation_id)
    assert why.status == "answered" and why.tool_calls[0].name == "explain_change", why
    assert why.rows[0][:2] == ["acquisition_type", "organic"] and "2026-02-14" in why.answer


def test_segments_under_five_percent_are_left_out_and_counted(executor, demo_sql):
    execution, rows = run(executor, "detect_anomalies", metric="installs", dimensions=["country"], **H1)
    shares = dict(demo_sql.execute("SELECT country, count(*) / sum(count(*)) OVER () FROM installs "
                                   "GROUP BY country").fetchall())
    small = {c for c, share in shares.items() if share < 0.05}
    assert small and not small & {r["country"] for r in rows}
    assert f"{len(small)} smaller country value(s)" in execution.narrative
    assert len({r["country"] for r in rows if r["date"] == D(2026, 2, 14)}) >= 3  # the organic featuring
