"""``sum_squares:<metric>``: the sum of a sum metric's squared amounts, generated from the name, checked
against SQL written by hand on the demo warehouse (the spread explain_change weighs a change by)."""
from __future__ import annotations

from datetime import date

import pytest

from semantic_layer import (
    DEMO_MODEL_PATH,
    Filter,
    SemanticQuery,
    SemanticQueryError,
    load_semantic_model,
    run_query,
)
from semantic_layer.rules import check_unique_names

FEB = (date(2026, 2, 1), date(2026, 2, 7))


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


def _close(found: dict, expected: dict) -> bool:
    return set(found) == set(expected) and all(
        abs(found[k] - expected[k]) <= 1e-6 * max(1.0, abs(expected[k])) for k in expected)


def test_squared_revenue_by_an_install_attribute_equals_hand_written_sql(model, duckdb_wh, demo_sql):
    query = SemanticQuery(metrics=["revenue", "sum_squares:revenue"], dimensions=["country"], time_range=FEB)
    result = run_query(model, query, duckdb_wh)
    found = {row[0]: row[2] for row in result.rows}
    expected = dict(demo_sql.execute(
        "SELECT i.country, sum(e.revenue * e.revenue) FROM events e JOIN installs i USING (user_id) "
        "WHERE e.event_time::DATE BETWEEN DATE '2026-02-01' AND DATE '2026-02-07' GROUP BY 1").fetchall())
    assert _close(found, expected)
    # not the square of the sum: many small purchases square to much less
    assert all(row[2] < row[1] ** 2 for row in result.rows if row[1])


def test_squared_cost_keeps_the_filters_asked(model, duckdb_wh, demo_sql):
    query = SemanticQuery(metrics=["sum_squares:cost"], dimensions=["media_source"], time_range=FEB,
                          filters=[Filter(dimension="platform", values=("iOS",))])
    found = {row[0]: row[1] for row in run_query(model, query, duckdb_wh).rows}
    expected = dict(demo_sql.execute(
        "SELECT c.media_source, sum(s.cost * s.cost) FROM ad_spend s JOIN campaigns c USING (campaign_id) "
        "WHERE s.date BETWEEN DATE '2026-02-01' AND DATE '2026-02-07' AND c.platform = 'iOS' GROUP BY 1"
    ).fetchall())
    assert _close(found, expected)


def test_only_sums_of_amounts_have_squares_and_models_cannot_take_the_prefix(model):
    for name in ("sum_squares:installs", "sum_squares:cpi", "sum_squares:no_such_metric"):
        with pytest.raises(SemanticQueryError):
            model.metric(name)
    assert model.metric("sum_squares:revenue").filter == model.metric("revenue").filter
    squares = model.metric("sum_squares:revenue")
    spec = model.spec.model_copy(update={"metrics": (*model.spec.metrics, squares)})
    assert any("sum_squares:" in str(p) for p in check_unique_names(spec))
