"""Compiled metrics equal hand-written gold SQL of the spec's definitions, on DuckDB and on chdb.

For every metric of the spec and every shape (no grouping, a campaign attribute,
platform x country, each time grain, a filter, a top-N) the semantic layer's rows
must equal the gold rows, as groups with a relative tolerance of 1e-6.
"""
from __future__ import annotations

import pytest
from gold_harness import METRICS, SHAPES, assert_same_results, keyed_rows

from semantic_layer import DEMO_MODEL_PATH, load_semantic_model, run_query

pytestmark = pytest.mark.slow  # 440 queries over the scale-1 demo on two engines

CASES = [pytest.param(metric, shape, id=f"{metric}-{shape.name}") for metric in METRICS for shape in SHAPES]


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


def _check(model, warehouse, metric, shape):
    compiled = run_query(model, shape.semantic_query(metric), warehouse, max_rows=100_000)
    gold = warehouse.execute(shape.gold_sql(metric, warehouse.dialect))
    assert compiled.column_names()[-1] == metric
    ungrouped = not shape.dimensions
    assert_same_results(keyed_rows(compiled.rows, len(shape.dimensions), False),
                        keyed_rows(gold.rows, len(shape.keys), ungrouped),
                        f"{metric}/{shape.name} on {warehouse.name}")
    return compiled


@pytest.mark.parametrize(("metric", "shape"), CASES)
def test_duckdb_matches_gold(model, duckdb_wh, metric, shape):
    compiled = _check(model, duckdb_wh, metric, shape)
    if shape.name in ("total", "month"):
        assert compiled.rows, "these shapes have data in the demo window"


@pytest.mark.parametrize(("metric", "shape"), CASES)
def test_chdb_matches_gold(model, chdb_wh, metric, shape):
    _check(model, chdb_wh, metric, shape)
