"""Score one answer against its case: by execution, never by reading the SQL.

The answer's own rows are not trusted: its executed SQL is re-run on the
scoring warehouse (a generous row cap, so caps do not distort) next to the
gold SQL, and the two result sets are compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.contract import Answer
from evals.compare import compare_results
from evals.suite import Case
from evals.values import display
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
    if not answer.sql:
        return Score(False, "no_sql", "the answer carries no executed SQL to re-run")
    return _score_execution(case, answer.sql, gold)


def _score_status(case: Case, answer: Answer) -> Score:
    if answer.status != case.expect:
        return Score(False, "status_mismatch", f"expected {case.expect}, got {answer.status}{_why(answer)}")
    if answer.sql:
        return Score(False, "status_mismatch", f"status is {answer.status} but SQL was executed")
    return Score(True, "status")


def _score_execution(case: Case, sql: str, gold: GoldRunner) -> Score:
    try:
        expected = gold.result(case)
    except WarehouseError as exc:
        return Score(False, "gold_error", f"the gold SQL failed (fix the suite): {exc.message}")
    try:
        got = gold.warehouse.execute(sql)
    except WarehouseError as exc:
        return Score(
            False, "sql_error", f"re-running the answer's SQL failed: {exc.message}", _sample(expected.rows)
        )
    verdict = compare_results(
        expected.rows, len(expected.columns), got.rows, len(got.columns), ordered=case.ordered
    )
    if verdict.matched:
        return Score(True, verdict.kind)
    return Score(False, verdict.kind, verdict.reason, _sample(expected.rows), _sample(got.rows))


def _sample(rows: list[tuple[Any, ...]]) -> list[list[str]]:
    return [[display(v) for v in row] for row in rows[:SAMPLE_ROWS]]


def _why(answer: Answer) -> str:
    if answer.error is not None:
        return f" ({answer.error.code}: {answer.error.message})"
    return ""
