"""The floors CI holds a suite to, as a helper a pytest test can call.

    from evals.gate import FLOOR, evaluate_suite, shortfalls
    report = evaluate_suite("evals/suites/demo-core.yaml", assistant, warehouse)
    assert not shortfalls([report], FLOOR, min_precision=0.97), ...

``asklytics eval --min-accuracy`` applies the execution-accuracy rule. A
precision floor is only meaningful next to it: a planner that answers one easy
question and declines the rest has perfect precision.
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


def shortfalls(
    reports: list[dict[str, Any]], floor: float | None = FLOOR, *, min_precision: float | None = None
) -> list[str]:
    """One message per suite and figure below its floor (``None`` leaves a figure unchecked)."""
    messages = []
    for report in reports:
        if floor is not None and report["execution_accuracy"] < floor:
            accuracy = report["execution_accuracy"]
            messages.append(f"{_name(report)}: execution accuracy {accuracy:.1%} is below {floor:.1%}")
        if min_precision is not None:
            messages += _precision_shortfall(report, min_precision)
    return messages


def _precision_shortfall(report: dict[str, Any], floor: float) -> list[str]:
    """Null precision (nothing answered) falls short too when the suite had questions to answer."""
    precision, answered = report["precision_of_answers"], report["answered_cases"]
    if precision is None:
        answerable = report["cases"] - report["guard_cases"]
        return [f"{_name(report)}: answered none of its {answerable} questions"] if answerable else []
    if precision >= floor:
        return []
    counts = f"{report['answered_correct']} of {answered} answered"
    return [f"{_name(report)}: precision of answers {precision:.1%} ({counts}) is below {floor:.1%}"]


def _name(report: dict[str, Any]) -> str:
    return report.get("suite") or report.get("benchmark") or "?"
