"""Behavioural clusters (#22) as a semantic model: "revenue by cluster", "churn risk by cluster" and
cluster sizes compile and run on DuckDB and chdb, read the latest run only (the fixture's older run
puts users in a cluster 9), and equal hand-written SQL on the scored demo."""
from __future__ import annotations

import pytest

from semantic_layer import DEMO_MODEL_PATH, Filter, SemanticQuery, load_semantic_model, run_query

LATEST = "(SELECT * FROM user_segments WHERE scored_at = (SELECT max(scored_at) FROM user_segments))"
LATEST_CHURN = "(SELECT * FROM churn_scores WHERE scored_at = (SELECT max(scored_at) FROM churn_scores))"
REFERENCE = {
    "revenue": f"SELECT s.cluster, sum(e.revenue) FROM events e JOIN {LATEST} s ON s.user_id = e.user_id "
               "GROUP BY 1",
    "avg_churn_probability": f"SELECT s.cluster, avg(c.churn_probability) FROM {LATEST_CHURN} c "
                             f"JOIN {LATEST} s ON s.user_id = c.user_id GROUP BY 1",
    "clustered_users": f"SELECT cluster, count(*) FROM {LATEST} GROUP BY 1",
}


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


def _by_cluster(rows) -> dict[int, float]:
    return {int(cluster): round(float(value), 6) for cluster, value in rows}


@pytest.fixture(scope="module")
def reference(scored_duckdb_wh):
    return {metric: _by_cluster(scored_duckdb_wh.execute(sql).rows) for metric, sql in REFERENCE.items()}


@pytest.mark.parametrize("engine", ["scored_duckdb_wh", "scored_chdb_wh"])
@pytest.mark.parametrize("metric", list(REFERENCE))
def test_metric_by_cluster_equals_hand_written_sql(model, reference, request, engine, metric):
    warehouse = request.getfixturevalue(engine)
    result = run_query(model, SemanticQuery(metrics=[metric], dimensions=["cluster"]), warehouse)
    expected = reference[metric]
    assert len(expected) >= 3 and 9 not in expected  # k >= 3, and the older run is not read
    assert _by_cluster(result.rows) == pytest.approx(expected, rel=1e-9)


def test_cluster_sizes_cover_every_user_once(scored_duckdb_wh, reference):
    users = scored_duckdb_wh.execute("SELECT count(*) FROM installs WHERE install_time < DATE '2026-07-01'")
    assert sum(reference["clustered_users"].values()) == users.rows[0][0]


def test_one_cluster_as_a_filter(model, scored_duckdb_wh, reference):
    result = run_query(model, SemanticQuery(metrics=["clustered_users"], filters=[
        Filter(dimension="cluster", values=(2,))]), scored_duckdb_wh)
    assert result.rows[0][0] == reference["clustered_users"][2]
