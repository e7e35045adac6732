"""What the MCP tools return as structured content (each tool's ``outputSchema``), and the text
summary an agent reads beside it."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from app.engine.contract import Answer, ColumnOut
from warehouse.base import Result
from warehouse.values import jsonable_rows

SUMMARY_ROWS = 10  # rows of a result shown in the text summary (all of them are in structured content)


class TableResult(BaseModel):
    """Rows of one query or tool call, with what produced them."""

    columns: list[ColumnOut]
    rows: list[list[Any]]
    row_count: int
    truncated: bool = False
    truncation: list[str] = Field(default_factory=list)
    sql: str | None = Field(None, description="The SQL that ran (after the guard), in the warehouse's "
                            "dialect.")
    semantic_query: dict[str, Any] | None = None
    tool: str | None = Field(None, description="The registry tool that produced the rows.")
    arguments: dict[str, Any] | None = None
    summary: str = ""
    narrative: str | None = Field(None, description="A tool's own words on its rows (explanations).")


class MetricInfo(BaseModel):
    name: str
    type: str
    units: str | None = None
    description: str = ""
    synonyms: list[str] = Field(default_factory=list)


class MetricDetail(MetricInfo):
    type_params: dict[str, Any] = Field(default_factory=dict, description=(
        "Measure, or numerator/denominator, or the expression and metrics it is derived from."))
    filters: list[str] = Field(default_factory=list, description="Filters the metric always applies.")


class MetricList(BaseModel):
    metrics: list[MetricInfo]
    dimensions: list[str]


def table_result(result: Result, **what: Any) -> TableResult:
    truncation = list(result.truncation)
    return TableResult(columns=[ColumnOut(name=c.name, type=c.type) for c in result.columns],
                       rows=jsonable_rows(result.rows), row_count=result.row_count,
                       truncated=result.truncated or bool(truncation), truncation=truncation, **what)


def rows_text(columns: list[ColumnOut], rows: list[list[Any]], row_count: int) -> str:
    """The first rows as a Markdown table (what an agent reads; every row is in structured content)."""
    if not columns:
        return ""
    lines = ["| " + " | ".join(c.name for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |"
              for row in rows[:SUMMARY_ROWS]]
    if row_count > SUMMARY_ROWS:
        lines.append(f"({row_count} rows; the first {SUMMARY_ROWS} shown, all in the structured result)")
    return "\n".join(lines)


def answer_text(answer: Answer) -> str:
    """The answer in words, its first rows and its SQL: the text block of the ``ask`` tool."""
    parts = [f"[{answer.status}] {answer.answer}".strip()]
    if answer.clarification is not None and answer.clarification.options:
        parts.append("Options: " + "; ".join(answer.clarification.options))
    table = rows_text(answer.columns, answer.rows, answer.row_count)
    if table:
        parts.append(table)
    if answer.sql:
        parts.append(f"SQL:\n{answer.sql}")
    parts.append(f"conversation_id: {answer.conversation_id}; answer_id: {answer.answer_id}")
    return "\n\n".join(parts)


def table_text(result: TableResult) -> str:
    parts = [p for p in (result.narrative or result.summary, rows_text(result.columns, result.rows,
                                                                       result.row_count)) if p]
    if result.sql:
        parts.append(f"SQL:\n{result.sql}")
    return "\n\n".join(parts)
