"""The report of a suite run: the spec's JSON, per-tag accuracy, and files.

Execution accuracy counts every case (answers, refusals, clarifications); a
projection match passes but is counted under its own name. Chart accuracy
counts only the cases that state an expected chart.

Two figures say how honest the answers are. Precision of answers: of the
cases answered (status ``answered``, whatever the case expected), the share
that passed. Guard accuracy: of the cases expecting a refusal or a
clarification, the share with that status and nothing executed. Each is
null when it has no cases (no answers given is not "every answer wrong"),
and comes with the counts behind it, overall and per tag.
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
        **honesty(results),
        "latency_ms": latency_summary([r.latency_ms for r in results]),
        "llm_calls": sum(r.llm_calls for r in results),
        "prompt_tokens": sum(r.prompt_tokens for r in results),
        "completion_tokens": sum(r.completion_tokens for r in results),
        "matches": dict(Counter(r.score.match for r in results)),
        "scored_from_rows": sum(r.score.scored_from == "rows" for r in results),
        "by_tag": tag_accuracy(results),
        "results": [case_entry(r) for r in results],
    }


def combined_report(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """One suite: the spec's shape as is. Several: their reports plus overall totals."""
    if len(reports) == 1:
        return reports[0]
    cases = sum(r["cases"] for r in reports)
    passed = sum(sum(c["passed"] for c in r["results"]) for r in reports)
    totals = {key: sum(r[key] for r in reports) for key in HONESTY_COUNTS}
    return {
        "suites": reports,
        "cases": cases,
        "execution_accuracy": _share(passed, cases),
        "precision_of_answers": _share_or_none(totals["answered_correct"], totals["answered_cases"]),
        "guard_accuracy": _share_or_none(totals["guard_correct"], totals["guard_cases"]),
        **totals,
    }


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
        "scored_from": score.scored_from,
        "columns": result.columns,
        "rows": result.rows,
        "row_count": result.row_count,
        "truncated": result.truncated,
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
    groups: dict[str, list[CaseResult]] = defaultdict(list)
    for result in results:
        for tag in result.case.tags or ("untagged",):
            groups[tag].append(result)
    return {tag: group_stats(group) for tag, group in sorted(groups.items())}


def group_stats(results: list[CaseResult]) -> dict[str, Any]:
    passed = sum(r.passed for r in results)
    return {
        "cases": len(results),
        "passed": passed,
        "accuracy": _share(passed, len(results)),
        **honesty(results),
    }


HONESTY_COUNTS = ("answered_cases", "answered_correct", "guard_cases", "guard_correct")


def honesty(results: list[CaseResult]) -> dict[str, Any]:
    """Precision of answers given and guard accuracy, with the counts behind them."""
    answered = [r for r in results if r.status == "answered"]
    guarded = [r for r in results if r.case.expect != "answered"]
    answered_correct = sum(r.passed for r in answered)
    guard_correct = sum(r.passed for r in guarded)
    return {
        "precision_of_answers": _share_or_none(answered_correct, len(answered)),
        "guard_accuracy": _share_or_none(guard_correct, len(guarded)),
        "answered_cases": len(answered),
        "answered_correct": answered_correct,
        "guard_cases": len(guarded),
        "guard_correct": guard_correct,
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


def _share_or_none(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


def write_json(path: str | Path, payload: dict[str, Any]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    return path
