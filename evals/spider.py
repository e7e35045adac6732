"""Public text-to-SQL benchmarks in Spider/BIRD format, scored by execution.

A dev file is a JSON list of ``{"db_id", "question", "query"}`` (Spider) or
``{"db_id", "question", "SQL", "evidence", "difficulty"}`` (BIRD); each db_id
is one SQLite file, ``DIR/<db_id>/<db_id>.sqlite`` (both layouts) or
``DIR/<db_id>.sqlite``. Questions become suite cases, so scoring, reports and
the HTML page are the suite harness's own, with two benchmark conventions:
row order counts when the gold query has ORDER BY (Spider's rule), and only an
exact match passes (extra columns fail, as in both official evaluators).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from evals.askers import close_asker
from evals.report import suite_report
from evals.runner import Asker, CaseResult, SuiteRun, run_suite
from evals.suite import Case, Suite, SuiteError
from warehouse.sqlite import SqliteWarehouse

DIFFICULTY_TAG = "difficulty:"
# Opens the asker for one database: (path of the SQLite file, connector over it).
AskerForDatabase = Callable[[Path, SqliteWarehouse], Asker]


def load_benchmark(path: str | Path) -> Suite:
    """The dev file as a suite; BIRD's evidence is appended to the question as a hint."""
    path = Path(path)
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SuiteError(f"cannot read benchmark file {path}: {exc}") from None
    if not isinstance(items, list) or not items:
        raise SuiteError(f"{path}: expected a non-empty JSON list of questions")
    return Suite(
        name=path.stem, warehouse="sqlite", cases=tuple(_case(i, item, path) for i, item in enumerate(items))
    )


def _case(index: int, item: Any, path: Path) -> Case:
    gold = item.get("query") or item.get("SQL") if isinstance(item, dict) else None
    if not gold or not item.get("db_id") or not item.get("question"):
        raise SuiteError(f"{path}: item {index} needs db_id, question and query (or SQL)")
    tags = [f"db:{item['db_id']}"]
    difficulty = item.get("difficulty") or item.get("hardness")
    if difficulty:
        tags.append(f"{DIFFICULTY_TAG}{difficulty}")
    question = item["question"] + (f"\nHint: {item['evidence']}" if item.get("evidence") else "")
    ordered = re.search(r"\border\s+by\b", gold, re.IGNORECASE) is not None
    return Case(id=f"q{index:04d}", question=question, gold_sql=gold, ordered=ordered, tags=tuple(tags))


def database_path(db_dir: str | Path, db_id: str) -> Path:
    db_dir = Path(db_dir)
    for candidate in (db_dir / db_id / f"{db_id}.sqlite", db_dir / f"{db_id}.sqlite"):
        if candidate.is_file():
            return candidate
    raise SuiteError(f"no SQLite file for db_id {db_id!r} under {db_dir} (looked for <db_id>/<db_id>.sqlite)")


def run_benchmark(
    benchmark: Suite,
    db_dir: str | Path,
    asker_for: AskerForDatabase,
    *,
    planner: str = "offline",
    on_case: Callable[[CaseResult], None] | None = None,
) -> SuiteRun:
    """Every question against its own database, one database at a time."""
    run = SuiteRun(benchmark, planner)
    for db_id, cases in _by_database(benchmark).items():
        path = database_path(db_dir, db_id)
        scoring = SqliteWarehouse(path, timeout_s=60, max_rows=100_000)
        asker = asker_for(path, SqliteWarehouse(path, timeout_s=60, max_rows=100_000))
        try:
            subset = benchmark.model_copy(update={"cases": cases})
            part = run_suite(subset, asker, scoring, planner=planner, on_case=on_case)
        finally:
            close_asker(asker)
            scoring.close()
        run.results.extend(_strict(result) for result in part.results)
    order = {case.id: i for i, case in enumerate(benchmark.cases)}
    run.results.sort(key=lambda r: order[r.case.id])
    return run


def _by_database(benchmark: Suite) -> dict[str, tuple[Case, ...]]:
    groups: dict[str, list[Case]] = {}
    for case in benchmark.cases:
        groups.setdefault(_db_id(case), []).append(case)
    return {db_id: tuple(cases) for db_id, cases in groups.items()}


def _db_id(case: Case) -> str:
    return next(tag for tag in case.tags if tag.startswith("db:"))[3:]


def _strict(result: CaseResult) -> CaseResult:
    if result.score.match != "projection":
        return result
    reason = "extra columns beyond the gold ones fail on public benchmarks"
    result.score = replace(result.score, passed=False, reason=reason)
    return result


def benchmark_report(run: SuiteRun) -> dict[str, Any]:
    """The suite report plus execution accuracy by difficulty and by database."""
    report = suite_report(run)
    report["benchmark"] = report.pop("suite")
    report["by_difficulty"] = _tags_with_prefix(report["by_tag"], DIFFICULTY_TAG)
    report["by_database"] = _tags_with_prefix(report["by_tag"], "db:")
    report.pop("by_tag")
    report.pop("chart_accuracy")
    return report


def _tags_with_prefix(by_tag: dict[str, dict[str, Any]], prefix: str) -> dict[str, dict[str, Any]]:
    return {tag[len(prefix) :]: stats for tag, stats in by_tag.items() if tag.startswith(prefix)}
