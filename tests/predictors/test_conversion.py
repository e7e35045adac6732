"""Conversion prediction (#22): a first purchase within 7 days of install, from the first 24 hours.

The model trained on a copy of the demo (the session's ``trained`` fixture) beats its baseline on the
later held-out period; the label matches an independent computation; explanations add up to the
calibrated log-odds; the tools answer with conversion_probability and are routed by the offline
planner; a warehouse without events refuses them.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from predictors import calibration
from predictors.datasets import build_dataset
from predictors.explain import PredictionExplainer
from predictors.features import conversion
from predictors.features.base import Cohort, as_matrix
from predictors.specs import SPECS, Window
from predictors.tools import run_tool
from tests.predictors.conftest import AS_OF, copy_demo


@pytest.fixture(scope="module")
def tool_env(trained, demo_db_path, tmp_path_factory):
    from warehouse.duckdb import DuckDBWarehouse

    path = copy_demo(demo_db_path, tmp_path_factory.mktemp("conversion"))
    warehouse = DuckDBWarehouse(path, timeout_s=60, max_rows=1000)
    yield {"warehouse": warehouse, "registry": trained["registry"], "as_of": AS_OF}
    warehouse.close()


def test_the_model_beats_the_logistic_baseline_on_the_later_period(trained):
    meta = trained["artifacts"]["conversion"].meta
    model, base = meta["metrics"], meta["baseline"]["logistic_regression"]
    assert model["roc_auc"] > base["roc_auc"] and meta["improvement_over_baseline"]["logistic_regression"] > 0
    assert model["roc_auc"] >= 0.8 and model["shorter_horizons"]["roc_auc"] >= 0.8
    # calibrated: the average prediction is close to the observed rate of the held-out installs
    rows = model["calibration"]
    predicted = sum(r["mean_predicted"] * r["rows"] for r in rows) / model["rows"]
    assert predicted == pytest.approx(model["positive_rate"], rel=0.25)
    assert model["brier"] < model["positive_rate"]  # better than predicting 0 for everyone
    fitted = meta["calibration"]
    assert fitted["method"] == "sigmoid" and fitted["positives"] >= 20
    assert fitted["window"]["fit"]["end"] < fitted["window"]["calibration"]["start"]
    assert meta["training_window"]["test"]["start"] > fitted["window"]["calibration"]["end"]


def test_the_label_is_a_first_purchase_after_the_observed_hours_within_7_days(train_source):
    window = Window(dt.date(2026, 5, 1), dt.date(2026, 5, 8))
    rows = build_dataset(train_source, SPECS["conversion"], window)
    installs = train_source.connection.execute(
        "SELECT install_id, user_id, install_time FROM installs "
        "WHERE install_time >= DATE '2026-05-01' AND install_time < DATE '2026-05-08'").df()
    payments = train_source.connection.execute(
        "SELECT user_id, event_time FROM events WHERE revenue > 0").df()
    first = payments.groupby("user_id")["event_time"].min()
    installs["first_paid"] = installs["user_id"].map(first)
    hours = (installs["first_paid"] - installs["install_time"]) / pd.Timedelta(hours=1)
    by_id = pd.Series(hours.to_numpy(), index=installs["install_id"])
    got = rows.assign(first=by_id.reindex(rows["install_id"]).to_numpy())
    assert len(got) > 10_000 and set(got["hours_observed"].round(6)) > {24.0}  # both horizons
    assert not (got["first"] < got["hours_observed"]).any()  # none paid before the horizon
    expected = (got["first"] >= got["hours_observed"]) & (got["first"] < 7 * 24)
    assert (got["label"] == expected.astype(float)).all() and 0 < got["label"].sum() < len(got) * 0.1
    dropped = installs[hours < 24]["install_id"]  # paid in the first day: no 24 h row
    assert not ((rows["install_id"].isin(dropped)) & (rows["hours_observed"] >= 24)).any()


def test_features_of_young_installs_stop_at_the_cutoff(train_source):
    recent = Cohort(install_from=AS_OF - dt.timedelta(days=2))
    frame = train_source.frame(conversion.feature_query(AS_OF, recent))
    age = (pd.Timestamp(AS_OF) - frame["install_time"]) / pd.Timedelta(hours=1)
    assert (frame["hours_observed"] - np.minimum(age, 24.0)).abs().max() < 1e-3
    assert (frame["hours_observed"] < 24).sum() > 500  # yesterday's installs are partly observed


def test_explanations_add_up_to_the_calibrated_log_odds(trained, train_source):
    artifact = trained["artifacts"]["conversion"]
    frame = train_source.frame(conversion.feature_query(AS_OF, Cohort(install_from=dt.date(2026, 6, 29))))
    explainer = PredictionExplainer(artifact)
    matrix = as_matrix(frame.head(20), artifact.features)
    margins = calibration.margin(artifact.booster, matrix)
    probabilities = calibration.apply(artifact.meta["calibration"], margins)
    for i in range(len(matrix)):
        values, base = explainer.shap_row(matrix[i:i + 1])
        log_odds = np.log(probabilities[i] / (1 - probabilities[i]))
        assert values.sum() + base == pytest.approx(log_odds, abs=1e-3)


def test_yesterdays_installs_are_listed_most_likely_first_without_those_that_paid(trained, tool_env):
    yesterday = (AS_OF - dt.timedelta(days=1)).isoformat()
    result = run_tool("predict_conversion", {"install_date_from": yesterday, "install_date_to": yesterday,
                                             "limit": 10}, **tool_env)
    names = [c.name for c in result.columns]
    assert names == ["install_id", "install_time", "hours_observed", "conversion_probability",
                     "model_version"]
    rows = [dict(zip(names, row, strict=True)) for row in result.rows]
    chances = [r["conversion_probability"] for r in rows]
    assert len(rows) == 10 and chances == sorted(chances, reverse=True) and 0 < chances[-1] < 1
    assert all(r["install_time"].startswith(yesterday) and r["hours_observed"] < 24 for r in rows)
    ids = ", ".join(f"'{r['install_id']}'" for r in rows)
    paid = tool_env["warehouse"].execute(
        f"SELECT count(*) FROM installs i JOIN events e ON e.user_id = i.user_id AND e.revenue > 0 "
        f"AND e.event_time < TIMESTAMP '{AS_OF}' WHERE i.install_id IN ({ids})").rows[0][0]
    installed, already = tool_env["warehouse"].execute(
        f"SELECT count(DISTINCT i.install_id), count(DISTINCT e.user_id) FROM installs i LEFT JOIN events e "
        f"ON e.user_id = i.user_id AND e.revenue > 0 AND e.event_time < TIMESTAMP '{AS_OF}' "
        f"WHERE CAST(i.install_time AS DATE) = DATE '{yesterday}'").rows[0]
    assert paid == 0 and result.extra["matched"] == installed and result.extra["already_paid"] == already
    assert f"{installed:,} installs matched; {already:,} already paid" in result.narrative
    assert trained["artifacts"]["conversion"].version in result.narrative


def test_without_dates_the_listing_covers_the_last_7_days(tool_env):
    result = run_tool("predict_conversion", {"media_source": "Facebook", "limit": 3}, **tool_env)
    assert "installs of the 7 days before 2026-07-01" in result.narrative
    assert min(row[1] for row in result.rows) >= "2026-06-24"


def test_why_is_an_install_likely_to_buy(trained, tool_env):
    yesterday = tool_env["warehouse"].execute(
        "SELECT i.install_id FROM installs i WHERE CAST(i.install_time AS DATE) = DATE '2026-06-30' "
        "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = i.user_id AND e.revenue > 0) "
        "ORDER BY 1 LIMIT 1").rows[0][0]
    result = run_tool("explain_conversion", {"install_id": yesterday}, **tool_env)
    assert [c.name for c in result.columns] == ["feature", "value", "typical", "shap_value", "effect"]
    assert result.narrative.startswith(f"The install {yesterday} has ")
    assert "chance of a first purchase within 7 days of install" in result.narrative
    assert "the chance of a first purchase the most" in result.narrative and "typical" in result.narrative
    payer = tool_env["warehouse"].execute(
        "SELECT i.install_id FROM installs i JOIN events e ON e.user_id = i.user_id AND e.revenue > 0 "
        "AND e.event_time < i.install_time + INTERVAL 1 DAY ORDER BY 1 LIMIT 1").rows[0][0]
    converted = run_tool("explain_conversion", {"install_id": payer}, **tool_env)
    assert "already made a purchase" in converted.narrative and converted.rows[0][3] == 1.0


def test_the_offline_planner_routes_conversion_questions():
    from app.engine.planning.offline.planner import OfflinePlanner
    from app.engine.planning.plan import PlanningContext
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

    planner = OfflinePlanner(load_semantic_model(DEMO_MODEL_PATH), embedder=False)
    context = PlanningContext(as_of=AS_OF)
    listing = planner.plan("which of yesterday's installs are likely to convert?", context)
    assert (listing.kind, listing.tool) == ("tool_call", "predict_conversion")
    assert listing.arguments["install_date_from"] == listing.arguments["install_date_to"] == "2026-06-30"
    why = planner.plan("why is install i0199500 likely to buy?", context)
    assert (why.kind, why.tool) == ("tool_call", "explain_conversion")
    assert why.arguments == {"install_id": "i0199500"}
    average = planner.plan("average conversion probability by media source", context)
    assert average.kind == "semantic_query"
    assert (average.query.metrics, average.query.dimensions) == (("avg_conversion_probability",),
                                                                 ("media_source",))
    ambiguous = planner.plan("conversions by media source", context)  # still asked back
    assert ambiguous.kind == "clarification"


def test_average_conversion_probability_by_media_source_is_an_ordinary_query(trained, demo_db_path, tmp_path):
    """Scored by the real scorer, asked through the assistant, equal to hand-written SQL."""
    from app.engine.assistant import Assistant
    from app.settings import Settings
    from predictors.features.base import ConnectionSource
    from predictors.scoring import score_model, write_table

    path = copy_demo(demo_db_path, tmp_path)
    with duckdb.connect(str(path)) as connection:
        scored = score_model("conversion", ConnectionSource(connection), trained["registry"], AS_OF)
        write_table(connection, scored)
        reference = dict(connection.execute(
            "SELECT c.media_source, avg(s.conversion_probability) FROM conversion_scores s "
            "JOIN installs i USING (install_id) JOIN campaigns c USING (campaign_id) GROUP BY 1").fetchall())
    settings = Settings(warehouse_path=path, data_dir=trained["root"] / "data", cache_enabled=False,
                        planner="offline")
    assistant = Assistant(settings)
    try:
        answer = assistant.ask("average conversion probability by media source")
    finally:
        assistant.close()
    assert answer.status == "answered", answer.error
    names = [c.name for c in answer.columns]
    source, average = names.index("media_source"), names.index("avg_conversion_probability")
    got = {row[source]: row[average] for row in answer.rows}
    assert got == pytest.approx(reference) and len(got) >= 5


def test_conversion_questions_are_refused_on_a_warehouse_without_events(demo_db_path, tmp_path):
    from app.engine.planning.offline.planner import OfflinePlanner
    from app.engine.planning.plan import PlanningContext
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
    from warehouse.duckdb import DuckDBWarehouse

    path = copy_demo(demo_db_path, tmp_path)
    with duckdb.connect(str(path)) as connection:
        connection.execute("DROP TABLE events")
    warehouse = DuckDBWarehouse(path, timeout_s=30, max_rows=100)
    try:
        planner = OfflinePlanner(load_semantic_model(DEMO_MODEL_PATH), warehouse=warehouse, embedder=False)
        for question in ("which of yesterday's installs are likely to convert?",
                         "why is install i0199500 likely to buy?"):
            plan = planner.plan(question, PlanningContext(as_of=AS_OF))
            assert plan.kind == "refusal", (question, plan)
            assert "not available for this warehouse" in plan.reason and "events" in plan.reason
    finally:
        warehouse.close()
