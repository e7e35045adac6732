"""Predictor tool calls (fraud, LTV, churn) as plan executions, with the model version."""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from app.engine.contract import ToolCallOut
from app.engine.pipeline.execute import Execution, ExecutionError
from app.engine.planning.plan import ToolCallPlan
from warehouse.base import Warehouse


def predictor_tool_runner(warehouse: Callable[[], Warehouse], models_dir: Path,
                          as_of) -> Callable[[ToolCallPlan], Execution]:
    """A ``PlanExecutor`` tool runner over the trained models in ``models_dir``."""

    def run(plan: ToolCallPlan) -> Execution:
        from predictors.registry import ModelRegistry
        from predictors.tools import ToolError, run_tool

        started = time.perf_counter()
        try:
            result = run_tool(plan.tool, plan.arguments, warehouse=warehouse(),
                              registry=ModelRegistry(models_dir), as_of=as_of)
        except ToolError as exc:
            raise ExecutionError(exc.code, exc.message) from None
        call = ToolCallOut(name=result.tool, arguments=result.arguments,
                           result_summary=result.summary)
        return Execution(sql=None, result=result.to_result(), tool_calls=[call], narrative=result.narrative,
                         timings_ms={"execute": round((time.perf_counter() - started) * 1000, 2)})

    return run
