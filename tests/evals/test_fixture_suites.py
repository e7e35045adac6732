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
# suite -> (fixture, execution accuracy floor, precision floor), a little under the level measured on
# 2026-12-07 (offline; docs/benchmarks.md, "Unseen data"): fixture-appsflyer 86.2% / 93.6%,
# fixture-flights 79.7% / 96.3% (dev sets; first unseen runs 48.5% and 34.8%); -b 76.2% / 86.0% and
# 68.3% / 90.9% (first runs 72.5% and 60.0%); -c, unseen until their first run: 83.3% / 93.5% and
# 48.9% / 76.0%, now 83.3% / 93.5% and 60.0% / 76.7%.
FIXTURE_FLOORS = {
    # floors a few points under the scores measured on 2026-12-07 (second session, docs/benchmarks.md)
    "fixture-appsflyer.yaml": ("appsflyer", 0.84, 0.91),
    "fixture-flights.yaml": ("flights", 0.86, 0.93),
    "fixture-appsflyer-b.yaml": ("appsflyer", 0.76, 0.84),
    "fixture-flights-b.yaml": ("flights", 0.88, 0.95),
    "fixture-appsflyer-c.yaml": ("appsflyer", 0.80, 0.90),
    "fixture-flights-c.yaml": ("flights", 0.86, 0.95),
    # -d: first and only unseen run 79.0% / 87.3% and 52.9% / 72.2% (2026-12-07); now 89.5% / 94.9%
    # and 82.4% / 95.7% (dev sets)
    "fixture-appsflyer-d.yaml": ("appsflyer", 0.85, 0.92),
    "fixture-flights-d.yaml": ("flights", 0.90, 0.93),
    # -e: first and only unseen run 89.3% / 95.2% and 72.1% / 88.1% (2026-12-07, second session);
    # dev sets since
    "fixture-appsflyer-e.yaml": ("appsflyer", 0.85, 0.92),
    "fixture-flights-e.yaml": ("flights", 0.88, 0.93),
    # -f: first and only unseen run 83.8% / 85.2% and 70.0% / 87.8% (2026-12-07, third session); dev
    # sets since, 87.5% / 91.7% and 70.0% / 87.8%
    "fixture-appsflyer-f.yaml": ("appsflyer", 0.84, 0.89),
    "fixture-flights-f.yaml": ("flights", 0.79, 0.88),
    # -g: first and only unseen run 78.8% / 87.1% and 72.9% / 86.0% (2026-12-07, fourth session); dev
    # sets since, 81.2% / 90.3% and 75.7% / 90.0%
    "fixture-appsflyer-g.yaml": ("appsflyer", 0.77, 0.86),
    "fixture-flights-g.yaml": ("flights", 0.71, 0.85),
    # -h: first and only unseen run 92.5% / 100% and 87.1% / 92.7% (2026-12-08, fifth session; the
    # session's starting code: 91.2% / 98.4% and 85.7% / 90.9%); dev sets since
    "fixture-appsflyer-h.yaml": ("appsflyer", 0.88, 0.95),
    "fixture-flights-h.yaml": ("flights", 0.83, 0.88),
}
# flights floors raised 2026-12-07 (fourth session, docs/offline-planner.md "Rules added for unseen data
# (fourth session)"), measured then: base 89.9% / 96.6%, -b 91.7% / 100%, -c 91.1% / 100%,
# -d 94.1% / 96.3%, -e 92.7% / 96.1%, -f 82.9% / 91.7% (dev sets, all read)
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
    if suite == fixture.suite_path.name:  # #18: >= 80 cases on the attribution export, >= 40 on the other
        assert report["cases"] >= (80 if name == "appsflyer" else 40)
    assert fixture.suite_path.name in FIXTURE_FLOORS
