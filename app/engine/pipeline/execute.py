"""Run a Plan: compile (semantic queries), guard, execute, or call a registered tool. Never runs
model-written code.

This is the one path from a plan to rows. Every SQL statement -- compiled by the semantic
layer (``semantic_layer.explain``, which guards what it compiles) or written by a planner
(``warehouse.guard.guard_sql`` here) -- is guarded before it reaches the warehouse; a tool
call is validated with its registry schema and run by its tool module. Under a minimum group
size (``privacy``), every result is checked here too, so no planner, cache hit or verified
query gets around it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from app.engine.contract import ToolCallOut
from app.engine.planning.plan import Plan, SemanticQueryPlan, SqlPlan, ToolCallPlan
from app.engine.privacy import GroupThreshold
from app.engine.progress import report, reporting
from app.engine.tools import REGISTRY, ToolContext, ToolRegistry
from common.errors import AsklyticsError
from semantic_layer import SemanticModel, SemanticQuery, explain
from semantic_layer.rollup_build import read_rollup_states
from semantic_layer.rollups import rollup_note
from semantic_layer.service import explain_with_rollups, without_empty_tails
from warehouse.access.policed import PolicedWarehouse
from warehouse.base import Result, Warehouse
from warehouse.guard import guard_sql


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
    chart: dict[str, Any] | None = None  # set by tools that draw their own chart
    notes: list[str] = field(default_factory=list)  # told with the answer (e.g. hidden small groups)


class PlanExecutor:
    def __init__(self, model: SemanticModel, warehouse: Warehouse, *, max_rows: int,
                 tool_context: Callable[[], ToolContext] | None = None, tools: ToolRegistry = REGISTRY,
                 privacy: GroupThreshold | None = None):
        """``tool_context``: what a tool call may use (models, as_of); None: tools are unavailable.
        ``privacy``: the minimum group size every result is held to (None: off)."""
        self.model = model
        self.warehouse = warehouse
        self.max_rows = max_rows
        self.tool_context = tool_context
        self.tools = tools
        self.privacy = privacy
        self._states: tuple[int, Any] = (-1, None)  # (warehouse generation, rollup states)
        self._tails: tuple[int, dict] = (-1, {})  # (warehouse generation, tails seen empty or not)

    def run(self, plan: Plan) -> Execution:
        try:
            if isinstance(plan, SemanticQueryPlan):
                return self._run_semantic(plan)
            if isinstance(plan, SqlPlan):
                return self._run_sql(plan.sql, plan.dialect)
            if isinstance(plan, ToolCallPlan):
                return self._run_tool(plan)
        except ExecutionError:
            raise
        except AsklyticsError as exc:  # guard, semantic layer, warehouse, tool: one shape for the answer
            raise ExecutionError(exc.code, exc.message) from None
        raise ExecutionError("not_executable", f"a {plan.kind} plan has nothing to execute")

    def check(self, plan: Plan) -> tuple[Execution | None, str | None]:
        """For LLM self-correction: ``(execution, None)`` when the plan runs (the caller keeps the
        execution instead of running it twice), else ``(None, the error to send back)``."""
        try:
            return self.run(plan), None
        except ExecutionError as exc:
            return None, exc.message

    def _run_semantic(self, plan: SemanticQueryPlan) -> Execution:
        started = time.perf_counter()
        states = without_empty_tails(self.model, plan.query, self.warehouse, self._rollup_states(),
                                     known=self._known_tails())
        sql, rollups = explain_with_rollups(self.model, plan.query, self.warehouse.dialect,
                                            schema=self.warehouse.schema(), max_rows=self.max_rows,
                                            rollups=states)
        compiled = time.perf_counter()
        report("sql", {"sql": sql})
        result = self.warehouse.execute(sql)
        notes: list[str] = []
        if self.privacy is not None:
            checked = self.privacy.check_semantic(plan.query, result, self._run_counting)
            result, notes = checked.result, checked.notes
        if rollup_note(rollups):
            notes.append(rollup_note(rollups))
        execution = Execution(sql=sql, result=result, semantic_query=plan.query.to_contract(), notes=notes)
        execution.tool_calls.append(ToolCallOut(
            name="query_metrics", arguments=plan.query.to_contract(), result_summary=_summary(result)))
        execution.timings_ms = {"validate": _ms(started, compiled),
                                "execute": _ms(compiled, time.perf_counter())}
        if plan.compare_previous and (self.privacy is None or result.rows):
            previous_started = time.perf_counter()
            execution.previous_value = self._previous_value(plan.query, execution.notes, states)
            execution.timings_ms["previous_period"] = _ms(previous_started, time.perf_counter())
        return execution

    def _rollup_states(self):
        """Built rollups to answer from (docs/semantic-layer.md, "Rollups"), read afresh per question so
        a newer watermark is seen at once -- or once per ``generation`` of a connector whose data
        cannot change without it (DuckDB: a write replaces the file). None under a row policy: a
        rollup table carries no caller's row filter, so governed callers read the base tables the
        policy rewrites."""
        if not self.model.spec.rollups or isinstance(self.warehouse, PolicedWarehouse):
            return None
        schema = self.warehouse.schema()
        if not any(schema.table(r.table_name) for r in self.model.spec.rollups):
            return None  # none built (or built after this connector read its schema): no query spent
        if not self.warehouse.data_changes_bump_generation:
            return read_rollup_states(self.warehouse)
        generation, states = self._states
        if generation != self.warehouse.generation or states is None:
            generation = self.warehouse.generation  # read before the states: a switch meanwhile rereads
            self._states = (generation, read_rollup_states(self.warehouse))
        return self._states[1]

    def _known_tails(self) -> dict | None:
        """Which days after a watermark were found empty, kept as long as the states are."""
        if not self.warehouse.data_changes_bump_generation:
            return None
        if self._tails[0] != self.warehouse.generation:
            self._tails = (self.warehouse.generation, {})
        return self._tails[1]

    def _compile(self, query: SemanticQuery, model: SemanticModel | None = None) -> str:
        return explain(model or self.model, query, self.warehouse.dialect, schema=self.warehouse.schema(),
                       max_rows=self.max_rows)

    def _run_counting(self, model: SemanticModel, query: SemanticQuery) -> Result:
        """A privacy check's companion query (people per cell), on this executor's warehouse."""
        return self.warehouse.execute(self._compile(query, model))

    def _previous_value(self, query: SemanticQuery, notes: list[str], rollups=None) -> float | None:
        """The same single number over the period just before (for a KPI delta), from the rollups
        the answer itself could use (``rollups``: the states read for it; None: base tables)."""
        if query.time_range is None or query.group_by or len(query.metrics) != 1:
            return None
        start, end = query.time_range
        span = end - start + dt.timedelta(days=1)
        previous = query.model_copy(update={"time_range": (start - span, start - dt.timedelta(days=1))})
        if self.privacy is not None and not self.privacy.previous_shown(previous, self._run_counting):
            notes.append("The previous period is not compared with: it has too few users to show.")
            return None
        sql = explain(self.model, previous, self.warehouse.dialect, schema=self.warehouse.schema(),
                      max_rows=self.max_rows, rollups=rollups)
        rows = self.warehouse.execute(sql).rows
        value = rows[0][0] if rows and rows[0] else None
        return float(value) if isinstance(value, (int, float)) else None

    def _run_sql(self, sql: str, dialect: str) -> Execution:
        started = time.perf_counter()
        guarded = guard_sql(sql, schema=self.warehouse.schema(), dialect=dialect,
                            target_dialect=self.warehouse.dialect, max_rows=self.max_rows)
        checked = time.perf_counter()
        if self.privacy is not None:
            self.privacy.check_sql(guarded.sql, self.warehouse.dialect)
        report("sql", {"sql": guarded.sql})
        result = self.warehouse.execute(guarded.sql)
        execution = Execution(sql=guarded.sql, result=result)
        execution.tool_calls.append(ToolCallOut(name="run_sql", arguments={"sql": sql},
                                                result_summary=_summary(result)))
        execution.timings_ms = {"validate": _ms(started, checked),
                                "execute": _ms(checked, time.perf_counter())}
        return execution

    def _run_tool(self, plan: ToolCallPlan) -> Execution:
        tool = self.tools.get(plan.tool)
        if self.tool_context is None:
            raise ExecutionError("tool_unavailable", f"the {plan.tool} tool is not available here")
        if self.privacy is not None:
            self.privacy.refuse_tool(plan.tool)
        try:
            arguments = tool.validate(plan.arguments)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}"
                                 for e in exc.errors())
            raise ExecutionError("invalid_arguments",
                                 f"invalid arguments for {plan.tool}: {problems}") from None
        started = time.perf_counter()
        context = dataclasses.replace(self.tool_context(), model=self.model, query=self._query_rows,
                                      max_rows=self.max_rows)
        outcome = tool.run(arguments, context)
        call = ToolCallOut(name=tool.name, arguments=outcome.arguments, result_summary=outcome.summary)
        return Execution(sql=None, result=outcome.result, tool_calls=[call], narrative=tool.narrate(outcome),
                         chart=outcome.chart, timings_ms={"execute": _ms(started, time.perf_counter())})

    def _query_rows(self, query: SemanticQuery) -> Result:
        """A tool's semantic query, run as a plan of its own (a governed executor checks it first);
        not a step of the answer's progress (the tool's answer has no SQL of its own)."""
        with reporting(None):
            return self.run(SemanticQueryPlan(query=query)).result


def _summary(result: Result) -> str:
    if result.truncation:
        suffix = f" (truncated: {', '.join(result.truncation)})"
    else:
        suffix = " (truncated)" if result.truncated else ""
    return f"{result.row_count} row{'s' if result.row_count != 1 else ''}{suffix}"


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 2)
