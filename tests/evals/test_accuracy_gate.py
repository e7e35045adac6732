"""The CI gate: both project suites, through the real assistant with the offline planner,
must reach the accuracy floor (issue 6). Failing cases are listed in the assertion message.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.assistant import Assistant
from app.settings import Settings
from evals.gate import FLOOR, evaluate_suite, shortfalls

SUITES = Path(__file__).resolve().parents[2] / "evals" / "suites"
# Raised as accuracy improves (measured: demo-core 97.8%, paraphrase 99.2%); never below FLOOR.
SUITE_FLOORS = {"demo-core.yaml": 0.95, "paraphrase.yaml": 0.95}
assert min(SUITE_FLOORS.values()) >= FLOOR


@pytest.fixture(scope="module")
def assistant(demo_db_path, duckdb_wh):
    settings = Settings(warehouse_path=demo_db_path, planner="offline", cache_enabled=False)
    a = Assistant(settings, warehouse=duckdb_wh)
    yield a


# Held-out suites once read (#17): regression floors (accuracy, precision of answers given) a little
# under their level after their failures were read; heldout-f's first unseen run was 87.8% / 94.1%,
# 91.0% / 96.3% after with `asklytics eval` (docs/benchmarks.md, "heldout-f"); 86.8% here, on the test
# session's demo copy. Not the goal (90% / 97% on a fresh suite).
# first unseen runs: heldout-f 87.8% / 94.1%, heldout-g 89.4% / 92.1%; after reading their failures
# (dev sets) 92.6% / 97.1% and 89.4% / 94.4% with `asklytics eval`, 88.4% and 85.0% accuracy here on
# the test session's demo copy (2026-12-07, second session)
# heldout-h: first and only unseen run 86.2% / 90.4% (third session); 90.6% / 96.0% after its misses
# were read (CLI). Its prediction cases depend on the scores of the demo the tests build, hence the margin.
# heldout-i: first and only unseen run 88.1% / 93.7% (fourth session); 88.8% / 94.4% after its misses
# were read (CLI)
# heldout-j: first and only unseen run 95.0% / 99.2% (fifth session; the session's starting code scored
# 91.2% / 97.6% on it, so it is an easier suite than -i); a dev set since
HELDOUT_FLOORS = {"heldout-f.yaml": (0.86, 0.95), "heldout-g.yaml": (0.82, 0.92),
                  "heldout-h.yaml": (0.80, 0.90), "heldout-i.yaml": (0.82, 0.88),
                  "heldout-j.yaml": (0.88, 0.93)}


@pytest.mark.parametrize("suite", sorted(HELDOUT_FLOORS))
def test_held_out_suite_keeps_its_level(suite, assistant, duckdb_wh):
    accuracy, precision = HELDOUT_FLOORS[suite]
    report = evaluate_suite(SUITES / suite, assistant, duckdb_wh, planner="offline")
    failed = [f"{r['id']}: {r.get('status')} {r.get('match')} {r.get('error') or ''}"
              for r in report["results"] if not r["passed"]]
    problems = shortfalls([report], accuracy, min_precision=precision)
    assert not problems, problems + failed[:40]


@pytest.mark.parametrize("suite", sorted(SUITE_FLOORS))
def test_suite_meets_its_floor(suite, assistant, duckdb_wh):
    report = evaluate_suite(SUITES / suite, assistant, duckdb_wh, planner="offline")
    failed = [f"{r['id']}: {r.get('status')} {r.get('match')} {r.get('error') or ''}"
              for r in report["results"] if not r["passed"]]
    problems = shortfalls([report], SUITE_FLOORS[suite])
    assert not problems, problems + failed[:40]
