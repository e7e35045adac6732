"""The accuracy floor CI holds a suite to, as a helper a pytest test can call.

    from evals.gate import FLOOR, evaluate_suite, shortfalls
    report = evaluate_suite("evals/suites/demo-core.yaml", assistant, warehouse)
    assert not shortfalls([report], FLOOR), shortfalls([report], FLOOR)

``asklytics eval --min-accuracy`` applies the same rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evals.report import suite_report
from evals.runner import Asker, run_suite
from evals.suite import load_suite
from warehouse.base import Warehouse

# Raised as accuracy improves; never below the 0.85 the issue starts from.
FLOOR = 0.85


def evaluate_suite(path: str | Path, asker: Asker, warehouse: Warehouse, *, planner: str = "offline") -> dict:
    """Run one suite file and return its report (the JSON the CLI writes)."""
    return suite_report(run_suite(load_suite(path), asker, warehouse, planner=planner))


def shortfalls(reports: list[dict[str, Any]], floor: float = FLOOR) -> list[str]:
    """One message per suite whose execution accuracy is below ``floor``."""
    return [
        f"{r.get('suite') or r.get('benchmark')}: execution accuracy {r['execution_accuracy']:.1%} "
        f"is below {floor:.1%}"
        for r in reports
        if r["execution_accuracy"] < floor
    ]
