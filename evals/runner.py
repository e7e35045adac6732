"""Run a suite's cases through an asker and score each one.

An *asker* is anything with ``ask(question, conversation_id) -> Answer``: the
real :class:`app.engine.assistant.Assistant` in the CLI, a scripted one in the
harness's own tests. Follow-up cases ask their earlier turns first, in one
fresh conversation per case, and only the final question is timed and scored.

Each result keeps what was answered: the column names and the first
:data:`RECORDED_ROWS` rows (JSON-safe). Scoring never reads that copy; it
re-runs the SQL, or for a tool answer compares the answer's full row list.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.engine.contract import Answer
from evals.scoring import GoldRunner, Score, score_answer
from evals.suite import Case, Suite
from warehouse.base import Warehouse
from warehouse.values import jsonable

# Rows of each answer the report records, so a reader can see what was answered.
RECORDED_ROWS = 200


class Asker(Protocol):
    def ask(self, question: str, conversation_id: str | None = None) -> Answer: ...


@dataclass
class CaseResult:
    case: Case
    status: str
    score: Score
    sql: str | None = None
    chart: str | None = None
    latency_ms: float = 0.0
    cached: bool = False
    error: str | None = None
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)  # the first RECORDED_ROWS
    row_count: int = 0  # rows in the answer; more than len(rows) when the record is capped
    truncated: bool = False  # the assistant's own row cap cut the answer

    @property
    def passed(self) -> bool:
        return self.score.passed

    @property
    def chart_passed(self) -> bool | None:
        """None when the case has no chart expectation."""
        return None if self.case.chart is None else self.chart == self.case.chart


@dataclass
class SuiteRun:
    suite: Suite
    planner: str
    results: list[CaseResult] = field(default_factory=list)


def run_suite(
    suite: Suite,
    asker: Asker,
    warehouse: Warehouse,
    *,
    planner: str = "offline",
    on_case: Callable[[CaseResult], None] | None = None,
) -> SuiteRun:
    """Every case in order; ``warehouse`` re-runs gold and answer SQL for scoring."""
    gold = GoldRunner(warehouse)
    run = SuiteRun(suite, planner)
    for case in suite.cases:
        result = run_case(case, asker, gold)
        run.results.append(result)
        if on_case is not None:
            on_case(result)
    return run


def run_case(case: Case, asker: Asker, gold: GoldRunner) -> CaseResult:
    try:
        conversation_id = _ask_earlier_turns(case, asker)
        started = time.perf_counter()
        answer = asker.ask(case.question, conversation_id)
        latency_ms = (time.perf_counter() - started) * 1000
    except Exception as exc:  # noqa: BLE001 - one broken case must not stop the suite
        return _crashed(case, exc)
    return _result(case, answer, score_answer(case, answer, gold), latency_ms)


def _ask_earlier_turns(case: Case, asker: Asker) -> str | None:
    conversation_id: str | None = None
    for turn in case.conversation:
        conversation_id = asker.ask(turn, conversation_id).conversation_id
    return conversation_id


def _result(case: Case, answer: Answer, score: Score, latency_ms: float) -> CaseResult:
    error = f"{answer.error.code}: {answer.error.message}" if answer.error else None
    return CaseResult(
        case=case,
        status=answer.status,
        score=score,
        sql=answer.sql,
        chart=answer.chart.type if answer.chart else None,
        latency_ms=latency_ms,
        cached=answer.cached,
        error=error,
        llm_calls=answer.usage.llm_calls,
        prompt_tokens=answer.usage.prompt_tokens,
        completion_tokens=answer.usage.completion_tokens,
        columns=[column.name for column in answer.columns],
        rows=[[jsonable(value) for value in row] for row in answer.rows[:RECORDED_ROWS]],
        row_count=len(answer.rows),
        truncated=answer.truncated,
    )


def _crashed(case: Case, exc: Exception) -> CaseResult:
    message = f"{type(exc).__name__}: {exc}"
    return CaseResult(case, "error", Score(False, "crash", f"the assistant raised {message}"), error=message)
