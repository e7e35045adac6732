"""Cohorts, shares, per-period averages, distinct counts, thresholds, predictions, metric
thresholds on grouped rows (having) and counts of groups equal hand-written gold SQL.

Every case of feature_cases.py runs through run_query (compiled, guarded,
executed) on DuckDB and on chdb over the demo with prediction tables, and must
give the gold rows of features.yaml: the same groups with every value equal
within a relative 1e-6, and for top-N cases the same keys in the same order.
"""
from __future__ import annotations

import pytest
from feature_cases import CASES, FEATURE_GOLD, gold_sql
from gold_harness import VIEWS, normalized, same_number

from semantic_layer import DEMO_MODEL_PATH, load_semantic_model, run_query

pytestmark = pytest.mark.slow  # ~120 queries over the scale-1 demo on two engines

PARAMS = [pytest.param(case, id=case.name) for case in CASES]


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


def test_every_case_has_gold_and_every_gold_a_case():
    assert {c.name for c in CASES} == set(FEATURE_GOLD)


def _rows(result, keys: int) -> list[tuple[tuple, tuple]]:
    rows = [tuple(normalized(v) for v in row) for row in result.rows]
    return [(row[:keys], row[keys:]) for row in rows]


def _check(model, warehouse, case):
    compiled = run_query(model, case.query, warehouse, max_rows=100_000)
    gold = warehouse.execute(gold_sql(case, VIEWS, warehouse.dialect))
    label = f"{case.name} on {warehouse.name}"
    assert compiled.column_names() == list(case.query.output_columns()), label
    ours, theirs = _rows(compiled, case.keys), _rows(gold, case.keys)
    assert ours, f"{label}: no rows (the case should have data in the demo)"
    if case.ordered:
        assert [k for k, _ in ours] == [k for k, _ in theirs], f"{label}: order differs"
    ours_by_key, gold_by_key = dict(ours), dict(theirs)
    assert len(ours_by_key) == len(ours), f"{label}: a group appears twice"
    assert set(ours_by_key) == set(gold_by_key), f"{label}: groups differ: " \
        f"only compiled {sorted(set(ours_by_key) - set(gold_by_key), key=str)[:5]}, " \
        f"only gold {sorted(set(gold_by_key) - set(ours_by_key), key=str)[:5]}"
    wrong = [(k, ours_by_key[k], gold_by_key[k]) for k in gold_by_key
             if len(ours_by_key[k]) != len(gold_by_key[k])
             or not all(same_number(a, b) for a, b in zip(ours_by_key[k], gold_by_key[k], strict=True))]
    assert not wrong, f"{label}: {len(wrong)} rows differ, e.g. {wrong[:3]}"


@pytest.mark.parametrize("case", PARAMS)
def test_duckdb_matches_gold(model, scored_duckdb_wh, case):
    _check(model, scored_duckdb_wh, case)


@pytest.mark.parametrize("case", PARAMS)
def test_chdb_matches_gold(model, scored_chdb_wh, case):
    _check(model, scored_chdb_wh, case)
