"""Score one answer against its case: by execution, never by reading the SQL.

An answer with SQL is not judged by its own rows: its executed SQL is re-run
on the scoring warehouse (a generous row cap, so caps do not distort) next to
the gold SQL, and the two result sets are compared. A tool answer has no SQL
to re-run (a predictor listing comes from a tool call), so its own full row
list is compared with the gold rows under the same rules, and the score says
so (``scored_from="rows"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.engine.contract import Answer
from evals.compare import compare_results
from evals.suite import Case
from evals.values import display, from_json
from warehouse.base import Result, Warehouse
from warehouse.errors import WarehouseError

# Rows of each side kept in the report for a failed case (the HTML diff).
SAMPLE_ROWS = 20


@dataclass
class Score:
    passed: bool
    match: str  # exact | projection | status | mismatch | status_mismatch | no_sql | sql_error | gold_error
    reason: str = ""
    expected_rows: list[list[str]] = field(default_factory=list)
    got_rows: list[list[str]] = field(default_factory=list)
    # What was compared with the gold: "sql" (the answer's SQL, re-run), "rows" (a tool
    # answer's own rows); None when no result was compared (status cases, crashes).
    scored_from: str | None = None


class GoldRunner:
    """Runs gold SQL once per case and keeps the result (suites run repeatedly in tests)."""

    def __init__(self, warehouse: Warehouse):
        self.warehouse = warehouse
        self._results: dict[str, Result | WarehouseError] = {}

    def result(self, case: Case) -> Result:
        if case.id not in self._results:
            try:
                self._results[case.id] = self.warehouse.execute(case.gold_sql or "")
            except WarehouseError as exc:
                self._results[case.id] = exc
        outcome = self._results[case.id]
        if isinstance(outcome, WarehouseError):
            raise outcome
        return outcome


def score_answer(case: Case, answer: Answer, gold: GoldRunner) -> Score:
    if case.expect != "answered":
        return _score_status(case, answer)
    if answer.status != "answered":
        return Score(False, "status_mismatch", f"expected an answer, got {answer.status}{_why(answer)}")
    if answer.sql:
        return _score_execution(case, answer.sql, gold)
    if answer.columns or answer.rows:
        return _score_rows(case, answer, gold)
    return Score(False, "no_sql", "the answer carries neither executed SQL to re-run nor rows")


def _score_status(case: Case, answer: Answer) -> Score:
    if answer.status != case.expect:
        return Score(False, "status_mismatch", f"expected {case.expect}, got {answer.status}{_why(answer)}")
    if answer.sql:
        return Score(False, "status_mismatch", f"status is {answer.status} but SQL was executed")
    return Score(True, "status")


def _score_execution(case: Case, sql: str, gold: GoldRunner) -> Score:
    expected = _gold_result(case, gold, "sql")
    if isinstance(expected, Score):
        return expected
    try:
        got = gold.warehouse.execute(sql)
    except WarehouseError as exc:
        reason = f"re-running the answer's SQL failed: {exc.message}"
        return Score(False, "sql_error", reason, _sample(expected.rows), scored_from="sql")
    return _compare(case, expected, got.rows, len(got.columns), "sql")


def _score_rows(case: Case, answer: Answer, gold: GoldRunner) -> Score:
    """A tool answer: its full row list (never the report's capped copy) against the gold."""
    expected = _gold_result(case, gold, "rows")
    if isinstance(expected, Score):
        return expected
    width = len(answer.columns) or len(answer.rows[0])
    if any(len(row) != width for row in answer.rows):
        reason = f"the answer's rows do not all have its {width} columns"
        return Score(False, "mismatch", reason, _sample(expected.rows), _sample(answer.rows), "rows")
    rows = [[from_json(value) for value in row] for row in answer.rows]
    score = _compare(case, expected, rows, width, "rows")
    if not score.passed and answer.truncated:
        score.reason += f" (the assistant's row cap cut the answer at {len(answer.rows)} rows)"
    return score


def _gold_result(case: Case, gold: GoldRunner, source: str) -> Result | Score:
    try:
        return gold.result(case)
    except WarehouseError as exc:
        return Score(
            False, "gold_error", f"the gold SQL failed (fix the suite): {exc.message}", scored_from=source
        )


def _compare(
    case: Case, expected: Result, got: Sequence[Sequence[Any]], got_width: int, source: str
) -> Score:
    verdict = compare_results(expected.rows, len(expected.columns), got, got_width, ordered=case.ordered)
    if verdict.matched:
        return Score(True, verdict.kind, scored_from=source)
    return Score(False, verdict.kind, verdict.reason, _sample(expected.rows), _sample(got), source)


def _sample(rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    return [[display(v) for v in row] for row in rows[:SAMPLE_ROWS]]


def _why(answer: Answer) -> str:
    if answer.error is not None:
        return f" ({answer.error.code}: {answer.error.message})"
    return ""
