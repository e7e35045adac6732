"""Prediction tables as semantic models: absent until scored (a clear error), the latest run only, fast."""
from __future__ import annotations

import statistics
import time

import pytest

from semantic_layer import (
    DEMO_MODEL_PATH,
    Filter,
    SemanticQuery,
    SemanticTableMissing,
    explain,
    load_semantic_model,
    run_query,
)

NOT_SCORED = "predictions are not scored yet; run `asklytics train` and `asklytics score`"
ON_PREDICTIONS = {
    "average churn probability by country": SemanticQuery(
        metrics=["avg_churn_probability"], dimensions=["country"]),
    "average predicted LTV by media source": SemanticQuery(
        metrics=["avg_predicted_ltv"], dimensions=["media_source"]),
    "TikTok installs with fraud probability above 0.8": SemanticQuery(metrics=["installs"], filters=[
        Filter(dimension="media_source", values=("TikTok",)),
        Filter(dimension="fraud_probability", op=">", values=(0.8,))]),
}


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.mark.parametrize("name", sorted(ON_PREDICTIONS))
def test_unscored_warehouse_gives_a_clear_error(model, duckdb_wh, name):
    assert duckdb_wh.schema().table("churn_scores") is None  # the plain demo is not scored
    with pytest.raises(SemanticTableMissing) as caught:
        run_query(model, ON_PREDICTIONS[name], duckdb_wh)
    assert caught.value.message == NOT_SCORED and caught.value.code == "semantic_table_missing"
    with pytest.raises(SemanticTableMissing):
        explain(model, ON_PREDICTIONS[name], "duckdb", schema=duckdb_wh.schema())


def test_unscored_warehouse_still_answers_everything_else(model, duckdb_wh):
    assert run_query(model, SemanticQuery(metrics=["installs"], dimensions=["platform"]), duckdb_wh).rows


def test_only_the_latest_scoring_run_counts(model, scored_duckdb_wh):
    """The fixture appends an older run (v0) for a third of the ids: counts and averages ignore it."""
    rows = scored_duckdb_wh.execute("SELECT COUNT(*), COUNT(DISTINCT install_id) FROM fraud_scores").rows
    assert rows[0][0] > rows[0][1]  # the table does hold two runs
    both = SemanticQuery(metrics=["fraud_scored_installs", "installs"])
    total = run_query(model, both, scored_duckdb_wh).rows
    assert total[0][0] == total[0][1] == rows[0][1]


@pytest.mark.parametrize("engine", ["scored_duckdb_wh", "scored_chdb_wh"])
@pytest.mark.parametrize("name", sorted(ON_PREDICTIONS))
def test_prediction_aggregates_run_well_under_a_second(model, request, engine, name):
    warehouse = request.getfixturevalue(engine)
    run_query(model, ON_PREDICTIONS[name], warehouse)  # warm
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        run_query(model, ON_PREDICTIONS[name], warehouse)
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 1.0, f"{name} on {warehouse.name}: {timings}"
