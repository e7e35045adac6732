"""Run a Plan: compile (semantic queries), guard, execute. Never runs model-written code.

Every SQL statement -- compiled by the semantic layer or written by a planner --
passes ``warehouse.guard.guard_sql`` before it reaches the warehouse.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.engine.contract import ToolCallOut
from app.engine.planning.plan import Plan, SemanticQueryPlan, SqlPlan, ToolCallPlan
from common.errors import AsklyticsError
from semantic_layer import SemanticModel, SemanticQuery, SemanticQueryError, compile_semantic_query
from warehouse.base import Result, Warehouse
from warehouse.errors import WarehouseError
from warehouse.guard import GuardError, guard_sql

ToolRunner = Callable[[ToolCallPlan], "Execution"]


class ExecutionError(AsklyticsError):
    """A plan that could not be run; ``message`` is fit for a user and for an LLM retry."""

    def __init__(self, code: str, message: str):
        super().__init__(message, code=code)


@dataclass
class Execution:
    sql: str | None
    result: Result
    semantic_query: dict[str, Any] | None = None
    tool_calls: list[ToolCallOut] = field(default_factory=list)
    previous_value: float | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    narrative: str | None = None  # set by tools that explain their own rows


class PlanExecutor:
    def __init__(self, model: SemanticModel, warehouse: Warehouse, *, max_rows: int,
                 tool_runner: ToolRunner | None = None):
        self.model = model
        self.warehouse = warehouse
        self.max_rows = max_rows
        self.tool_runner = tool_runner

    def run(self, plan: Plan) -> Execution:
        try:
            if isinstance(plan, SemanticQueryPlan):
                return self._run_semantic(plan)
            if isinstance(plan, SqlPlan):
                return self._run_sql(plan.sql, plan.dialect)
            if isinstance(plan, ToolCallPlan):
                return self._run_tool(plan)
        except GuardError as exc:
            raise ExecutionError(exc.code, exc.message) from None
        except SemanticQueryError as exc:
            raise ExecutionError(exc.code, exc.message) from None
        except WarehouseError as exc:
            raise ExecutionError(exc.code, exc.message) from None
        raise ExecutionError("not_executable", f"a {plan.kind} plan has nothing to execute")

    def check(self, plan: Plan) -> str | None:
        """For LLM self-correction: None when the plan runs, else the error to send back."""
        try:
            self.run(plan)
        except ExecutionError as exc:
            return exc.message
        return None

    def _run_semantic(self, plan: SemanticQueryPlan) -> Execution:
        started = time.perf_counter()
        sql = self._compile(plan.query)
        compiled = time.perf_counter()
        result = self.warehouse.execute(sql)
        execution = Execution(sql=sql, result=result, semantic_query=plan.query.to_contract())
        execution.tool_calls.append(ToolCallOut(
            name="query_metrics", arguments=plan.query.to_contract(), result_summary=_summary(result)))
        execution.timings_ms = {"validate": _ms(started, compiled), "execute": _ms(compiled, time.perf_counter())}
        if plan.compare_previous:
            execution.previous_value = self._previous_value(plan.query)
        return execution

    def _compile(self, query: SemanticQuery) -> str:
        tree = compile_semantic_query(self.model, query, self.warehouse.dialect)
        guarded = guard_sql(tree.sql(dialect=self.warehouse.dialect), schema=self.warehouse.schema(),
                            dialect=self.warehouse.dialect, max_rows=self.max_rows)
        return guarded.sql

    def _previous_value(self, query: SemanticQuery) -> float | None:
        """The same single number over the period just before (for a KPI delta)."""
        if query.time_range is None or query.group_by or len(query.metrics) != 1:
            return None
        start, end = query.time_range
        span = end - start + dt.timedelta(days=1)
        previous = query.model_copy(update={"time_range": (start - span, start - dt.timedelta(days=1))})
        rows = self.warehouse.execute(self._compile(previous)).rows
        value = rows[0][0] if rows and rows[0] else None
        return float(value) if isinstance(value, (int, float)) else None

    def _run_sql(self, sql: str, dialect: str) -> Execution:
        started = time.perf_counter()
        guarded = guard_sql(sql, schema=self.warehouse.schema(), dialect=dialect,
                            target_dialect=self.warehouse.dialect, max_rows=self.max_rows)
        checked = time.perf_counter()
        result = self.warehouse.execute(guarded.sql)
        execution = Execution(sql=guarded.sql, result=result)
        execution.tool_calls.append(ToolCallOut(name="run_sql", arguments={"sql": sql},
                                                result_summary=_summary(result)))
        execution.timings_ms = {"validate": _ms(started, checked), "execute": _ms(checked, time.perf_counter())}
        return execution

    def _run_tool(self, plan: ToolCallPlan) -> Execution:
        if self.tool_runner is None:
            raise ExecutionError("tool_unavailable",
                                 f"the {plan.tool} tool is not available: train the models with `asklytics train`")
        return self.tool_runner(plan)


def _summary(result: Result) -> str:
    if result.truncation:
        suffix = f" (truncated: {', '.join(result.truncation)})"
    else:
        suffix = " (truncated)" if result.truncated else ""
    return f"{result.row_count} row{'s' if result.row_count != 1 else ''}{suffix}"


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 2)
