"""Data the planner was not written for (#18): each fixture warehouse is built from its raw files
with the product's importer, the assistant is pointed at it with the fixture's own model exactly as
a user's configured warehouse, and its held-out suite is scored offline.

The floors below are regression floors at the measured level, not the goal: #18 asks for 90% on
each, which is not reached yet (docs/benchmarks.md, "Unseen data"). Raise them as accuracy rises.
"""
from __future__ import annotations

import pytest

from app.engine.assistant import Assistant
from app.settings import Settings
from evals.fixtures import FIXTURES, build_fixture
from evals.gate import evaluate_suite, shortfalls
from warehouse.duckdb import DuckDBWarehouse

# (execution accuracy, precision of answers given) measured 2026-12-07: appsflyer 65.4% / 84.3%,
# flights 47.8% / 85.7%
FIXTURE_FLOORS = {"appsflyer": (0.63, 0.80), "flights": (0.46, 0.80)}
assert set(FIXTURE_FLOORS) == set(FIXTURES)


@pytest.mark.parametrize("name", sorted(FIXTURE_FLOORS))
def test_fixture_suite_meets_its_floor(name, tmp_path):
    fixture = build_fixture(name, tmp_path)
    settings = Settings(demo=False, warehouse="duckdb", warehouse_path=fixture.warehouse_path,
                        semantic_model=fixture.model_path, as_of=fixture.as_of, planner="offline",
                        cache_enabled=False, data_dir=tmp_path / "data")
    assistant = Assistant(settings)
    scoring = DuckDBWarehouse(fixture.warehouse_path, max_rows=100_000)
    try:
        report = evaluate_suite(fixture.suite_path, assistant, scoring, planner="offline")
    finally:
        assistant.close()
        scoring.close()
    accuracy, precision = FIXTURE_FLOORS[name]
    failed = [f"{r['id']}: {r.get('status')} {r.get('match')}" for r in report["results"] if not r["passed"]]
    problems = shortfalls([report], accuracy, min_precision=precision)
    assert not problems, problems + failed[:60]
    assert report["cases"] >= (80 if name == "appsflyer" else 40)
