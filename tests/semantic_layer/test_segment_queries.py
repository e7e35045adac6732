"""RFM segments (#22) as a semantic model: "revenue by rfm_segment" and segment counts compile and run
on DuckDB and chdb, read the latest run only, and equal hand-written SQL on the scored demo."""
from __future__ import annotations

import pytest

from predictors.segments import SEGMENTS
from semantic_layer import (
    DEMO_MODEL_PATH,
    Filter,
    SemanticQuery,
    SemanticTableMissing,
    explain,
    load_semantic_model,
    run_query,
)

# The table also holds every user who never paid (cluster only, rfm_segment NULL): the segments are
# the paying users.
LATEST_RUN = ("(SELECT * FROM user_segments WHERE scored_at = (SELECT max(scored_at) FROM user_segments) "
              "AND rfm_segment IS NOT NULL)")
REVENUE_BY_SEGMENT = (f"SELECT s.rfm_segment, sum(e.revenue) FROM events e JOIN {LATEST_RUN} s "
                      "ON s.user_id = e.user_id GROUP BY 1")
USERS_BY_SEGMENT = f"SELECT rfm_segment, count(*) FROM {LATEST_RUN} GROUP BY 1"


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


def _by_segment(rows) -> dict[str, float]:
    return {segment: round(float(value), 2) for segment, value in rows}


@pytest.fixture(scope="module")
def reference(scored_duckdb_wh):
    older = scored_duckdb_wh.execute("SELECT count(*) FROM user_segments WHERE model_version = 'v0'").rows
    assert older[0][0] > 0  # the fixture holds an older run that a query must ignore
    return {"revenue": _by_segment(scored_duckdb_wh.execute(REVENUE_BY_SEGMENT).rows),
            "users": _by_segment(scored_duckdb_wh.execute(USERS_BY_SEGMENT).rows)}


@pytest.mark.parametrize("engine", ["scored_duckdb_wh", "scored_chdb_wh"])
def test_revenue_by_rfm_segment_equals_hand_written_sql(model, reference, request, engine):
    warehouse = request.getfixturevalue(engine)
    result = run_query(model, SemanticQuery(metrics=["revenue"], dimensions=["rfm_segment"]), warehouse)
    assert set(reference["revenue"]) == set(SEGMENTS)
    assert _by_segment(result.rows) == reference["revenue"]


@pytest.mark.parametrize("engine", ["scored_duckdb_wh", "scored_chdb_wh"])
def test_segmented_users_by_segment_and_for_one_segment(model, reference, request, engine):
    warehouse = request.getfixturevalue(engine)
    by_segment = run_query(model, SemanticQuery(metrics=["rfm_segmented_users"], dimensions=["rfm_segment"]),
                           warehouse)
    assert _by_segment(by_segment.rows) == reference["users"]
    for segment in ("champions", "can't lose them"):  # a quote in a value is a literal, not SQL
        one = run_query(model, SemanticQuery(metrics=["rfm_segmented_users"], filters=[
            Filter(dimension="rfm_segment", values=(segment,))]), warehouse)
        assert one.rows[0][0] == reference["users"][segment] > 0


def test_unscored_warehouse_says_how_to_score_segments(model, duckdb_wh):
    query = SemanticQuery(metrics=["revenue"], dimensions=["rfm_segment"])
    with pytest.raises(SemanticTableMissing) as caught:
        explain(model, query, "duckdb", schema=duckdb_wh.schema())
    assert "asklytics score --model rfm" in caught.value.message


def test_the_dimension_lists_every_segment(model):
    description = model.dimensions["rfm_segment"].description
    assert all(segment in description for segment in SEGMENTS)
