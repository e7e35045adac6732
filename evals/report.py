"""The report of a suite run: the spec's JSON, per-tag accuracy, and files.

Execution accuracy counts every case (answers, refusals, clarifications); a
projection match passes but is counted under its own name. Chart accuracy
counts only the cases that state an expected chart.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from evals.runner import CaseResult, SuiteRun


def suite_report(run: SuiteRun) -> dict[str, Any]:
    results = run.results
    return {
        "suite": run.suite.name,
        "planner": run.planner,
        "cases": len(results),
        "execution_accuracy": _share(sum(r.passed for r in results), len(results)),
        "chart_accuracy": chart_accuracy(results),
        "latency_ms": latency_summary([r.latency_ms for r in results]),
        "llm_calls": sum(r.llm_calls for r in results),
        "prompt_tokens": sum(r.prompt_tokens for r in results),
        "completion_tokens": sum(r.completion_tokens for r in results),
        "matches": dict(Counter(r.score.match for r in results)),
        "by_tag": tag_accuracy(results),
        "results": [case_entry(r) for r in results],
    }


def combined_report(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """One suite: the spec's shape as is. Several: their reports plus overall totals."""
    if len(reports) == 1:
        return reports[0]
    cases = sum(r["cases"] for r in reports)
    passed = sum(sum(c["passed"] for c in r["results"]) for r in reports)
    return {"suites": reports, "cases": cases, "execution_accuracy": _share(passed, cases)}


def case_entry(result: CaseResult) -> dict[str, Any]:
    case, score = result.case, result.score
    entry: dict[str, Any] = {
        "id": case.id,
        "question": case.question,
        "conversation": list(case.conversation),
        "expect": case.expect,
        "status": result.status,
        "passed": result.passed,
        "match": score.match,
        "sql": result.sql,
        "chart": result.chart,
        "chart_expected": case.chart,
        "chart_passed": result.chart_passed,
        "latency_ms": round(result.latency_ms, 2),
        "cached": result.cached,
        "error": result.error,
        "llm_calls": result.llm_calls,
        "prompt_tokens": result.prompt_tokens,
        "completion_tokens": result.completion_tokens,
        "tags": list(case.tags),
    }
    if not result.passed:
        entry.update(
            reason=score.reason,
            gold_sql=case.gold_sql,
            expected_rows=score.expected_rows,
            got_rows=score.got_rows,
        )
    return entry


def chart_accuracy(results: list[CaseResult]) -> float | None:
    verdicts = [r.chart_passed for r in results if r.chart_passed is not None]
    return _share(sum(verdicts), len(verdicts)) if verdicts else None


def tag_accuracy(results: list[CaseResult]) -> dict[str, dict[str, Any]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for result in results:
        for tag in result.case.tags or ("untagged",):
            counts[tag][0] += result.passed
            counts[tag][1] += 1
    return {
        tag: {"cases": total, "passed": passed, "accuracy": _share(passed, total)}
        for tag, (passed, total) in sorted(counts.items())
    }


def latency_summary(latencies: list[float]) -> dict[str, float | None]:
    return {"p50": _percentile(latencies, 50), "p95": _percentile(latencies, 95)}


def _percentile(values: list[float], pct: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    value = ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
    return round(value, 2)


def _share(passed: int, total: int) -> float:
    return round(passed / total, 4) if total else 0.0


def write_json(path: str | Path, payload: dict[str, Any]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    return path
