"""The one answer object every interface returns (shared/spec/answer-contract.md).

Fields may be added; the contract's fields are never renamed or dropped.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Status = Literal["answered", "clarification_needed", "refused", "error"]


class ColumnOut(BaseModel):
    name: str
    type: str


class ChartOut(BaseModel):
    type: str
    reason: str
    figure: dict[str, Any] | None = None


class ToolCallOut(BaseModel):
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    result_summary: str = ""


class Clarification(BaseModel):
    question: str
    options: list[str] = Field(default_factory=list)


class Usage(BaseModel):
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ErrorOut(BaseModel):
    code: str
    message: str


class VerifiedOut(BaseModel):
    """The verified query behind an answer: ``exact`` (the question was verified) or ``same_query``
    (planned afresh, the plan is the one a reviewer verified for another wording)."""

    id: str
    question: str
    match: Literal["exact", "same_query"]


class Answer(BaseModel):
    conversation_id: str
    question: str
    status: Status
    answer: str = ""
    sql: str | None = None
    columns: list[ColumnOut] = Field(default_factory=list)
    rows: list[list[Any]] = Field(default_factory=list)
    row_count: int = 0
    truncated: bool = False
    chart: ChartOut | None = None
    semantic_query: dict[str, Any] | None = None
    tool_calls: list[ToolCallOut] = Field(default_factory=list)
    clarification: Clarification | None = None
    cached: bool = False
    planner: str = "offline"
    usage: Usage = Field(default_factory=Usage)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    error: ErrorOut | None = None
    # additions beyond the contract's minimum
    answer_id: str | None = None
    confidence: float | None = None
    # What was cut (``truncated`` is true whenever this is not empty): "max_rows" or
    # "max_result_bytes" -- rows left out; "max_cell_bytes" -- long values cut short.
    truncation: list[str] = Field(default_factory=list)
    degraded: list[str] = Field(
        default_factory=list,
        description="Parts unavailable while answering: `cache` (answered without the semantic cache), "
                    "`conversations` (this turn was not saved, so a follow-up will not see it).")
    verified: VerifiedOut | None = Field(
        None, description="Set when the answer ran a verified query of your team (docs/governance.md).")
