"""A real ``check`` for planner tests: compile, guard and execute on the demo DuckDB.

This is what the executor does with a plan; an error message comes back as
text, exactly as the planner expects.
"""

from __future__ import annotations

from typing import Any

from semantic_layer import SemanticQueryError, run_query
from warehouse.errors import WarehouseError
from warehouse.guard import GuardError, guard_sql


class ExecutingCheck:
    def __init__(self, warehouse: Any, semantic_model: Any):
        self.warehouse = warehouse
        self.semantic_model = semantic_model
        self.results: list[Any] = []

    def __call__(self, plan: Any) -> str | None:
        try:
            self.results.append(self._execute(plan))
        except (GuardError, SemanticQueryError, WarehouseError) as error:
            return str(error)
        return None

    def _execute(self, plan: Any) -> Any:
        if plan.kind == "semantic_query":
            return run_query(self.semantic_model, plan.query, self.warehouse)
        if plan.kind == "sql":
            guarded = guard_sql(plan.sql, schema=self.warehouse.schema(), dialect=self.warehouse.dialect)
            return self.warehouse.execute(guarded.sql)
        return plan.tool  # predictors are not part of these tests
