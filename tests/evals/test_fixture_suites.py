"""Data the planner was not written for (#18): each fixture warehouse is built from its raw files
with the product's importer, the assistant is pointed at it with the fixture's own model exactly as
a user's configured warehouse, and its held-out suite is scored offline.

The floors below are regression floors at the measured level, not the goal: #18 asks for 90% on
each, which is not reached yet (docs/benchmarks.md, "Unseen data"). Raise them as accuracy rises.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.assistant import Assistant
from app.settings import Settings
from evals.fixtures import FIXTURES, build_fixture
from evals.gate import evaluate_suite, shortfalls
from warehouse.duckdb import DuckDBWarehouse

SUITES = Path(__file__).resolve().parents[2] / "evals" / "suites"
# suite -> (fixture, execution accuracy floor, precision floor). Measured 2026-12-07 (offline):
# fixture-appsflyer 79.2% / 91.2%, fixture-flights 63.8% / 97.6% (first run, unseen: 48.5% and
# 34.8%); the held-out -b suites, written afterwards and scored once before any change:
# fixture-appsflyer-b 72.5% / 83.6%, fixture-flights-b 60.0% / 100%.
FIXTURE_FLOORS = {
    "fixture-appsflyer.yaml": ("appsflyer", 0.77, 0.89),
    "fixture-flights.yaml": ("flights", 0.62, 0.95),
    "fixture-appsflyer-b.yaml": ("appsflyer", 0.70, 0.80),
    "fixture-flights-b.yaml": ("flights", 0.58, 0.95),
}
assert {fixture for fixture, _, _ in FIXTURE_FLOORS.values()} == set(FIXTURES)


@pytest.mark.parametrize("suite", sorted(FIXTURE_FLOORS))
def test_fixture_suite_meets_its_floor(suite, tmp_path):
    name, accuracy, precision = FIXTURE_FLOORS[suite]
    fixture = build_fixture(name, tmp_path)
    settings = Settings(demo=False, warehouse="duckdb", warehouse_path=fixture.warehouse_path,
                        semantic_model=fixture.model_path, as_of=fixture.as_of, planner="offline",
                        cache_enabled=False, data_dir=tmp_path / "data")
    assistant = Assistant(settings)
    scoring = DuckDBWarehouse(fixture.warehouse_path, max_rows=100_000)
    try:
        report = evaluate_suite(SUITES / suite, assistant, scoring, planner="offline")
    finally:
        assistant.close()
        scoring.close()
    failed = [f"{r['id']}: {r.get('status')} {r.get('match')}" for r in report["results"] if not r["passed"]]
    problems = shortfalls([report], accuracy, min_precision=precision)
    assert not problems, problems + failed[:60]
    assert report["cases"] >= (80 if name == "appsflyer" else 40)
    assert fixture.suite_path.name in FIXTURE_FLOORS
