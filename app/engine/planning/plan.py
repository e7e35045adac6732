"""What a planner produces: data describing what to do, never code to run.

A ``Plan`` is one of five kinds (a pydantic discriminated union). Planners --
the offline one and the LLM one -- return a ``Plan``; the executor in
``app.engine.assistant`` compiles, guards and runs it. Nothing a model writes is
executed except as a SQL statement that has passed the guard.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from semantic_layer import SemanticQuery

ChartType = Literal[
    "kpi", "bar", "horizontal_bar", "grouped_bar", "stacked_bar", "line", "multi_line",
    "area", "scatter", "histogram", "pie", "table",
]
Intent = Literal["single_value", "rank", "compare", "trend", "share", "distribution", "correlation", "list"]
# Why a request is refused: it would change data, reach files, secrets, people's personal data or
# another system, is off topic, or cannot be answered from the warehouse.
RefusalCategory = Literal[
    "write", "personal_data", "other_system", "file_access", "secrets", "off_topic", "unanswerable",
]


class _PlanBase(BaseModel):
    model_config = ConfigDict(frozen=True)

    confidence: float = Field(1.0, ge=0.0, le=1.0, description="How sure the planner is (0-1).")
    rationale: str | None = Field(None, description="One line on why this plan; for logs and the UI.")
    notes: tuple[str, ...] = Field((), description="How ambiguous words were read; shown with the answer.")


class SemanticQueryPlan(_PlanBase):
    kind: Literal["semantic_query"] = "semantic_query"
    query: SemanticQuery
    intent: Intent | None = None
    chart: ChartType | None = Field(None, description="A chart type the user asked for explicitly.")
    compare_previous: bool = Field(False, description="Also compute the previous period for a delta.")


class SqlPlan(_PlanBase):
    kind: Literal["sql"] = "sql"
    sql: str
    dialect: str = "duckdb"
    intent: Intent | None = None
    chart: ChartType | None = None


class ToolCallPlan(_PlanBase):
    kind: Literal["tool_call"] = "tool_call"
    tool: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class ClarificationPlan(_PlanBase):
    kind: Literal["clarification"] = "clarification"
    question: str
    options: tuple[str, ...] = ()


class RefusalPlan(_PlanBase):
    kind: Literal["refusal"] = "refusal"
    reason: str
    category: RefusalCategory = "unanswerable"


Plan = Annotated[
    SemanticQueryPlan | SqlPlan | ToolCallPlan | ClarificationPlan | RefusalPlan,
    Field(discriminator="kind"),
]


class PlanningContext(BaseModel):
    """What a planner may look at besides the question."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    as_of: Any  # datetime.date
    dialect: str = "duckdb"
    previous_plans: tuple[Any, ...] = ()  # earlier turns' Plans, oldest first
    retrieved: dict[str, Any] = Field(default_factory=dict)  # retrieval hits by kind
    schema_text: str | None = None
