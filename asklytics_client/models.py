"""The shapes the Asklytics REST API sends and takes, as pydantic models.

They are the server's own shapes, named as in its OpenAPI document (``/openapi.json``); a test
compares every model here with that document, so the two cannot drift apart. This package imports
nothing of the server: it needs only httpx and pydantic.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Status = Literal["answered", "clarification_needed", "refused", "error"]
Rating = Literal["up", "down"]


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
    """The verified query behind an answer: ``exact`` (the question was verified) or ``same_query``."""

    id: str
    question: str
    match: Literal["exact", "same_query"]


class ErrorBody(BaseModel):
    error: ErrorOut


class Answer(BaseModel):
    """One answer: the narrative, the SQL that ran, the rows, a chart (Plotly figure JSON), and how it
    was planned (shared/spec/answer-contract.md)."""

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
    answer_id: str | None = None
    confidence: float | None = None
    truncation: list[str] = Field(default_factory=list)
    degraded: list[str] = Field(default_factory=list)
    verified: VerifiedOut | None = None

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name."""
        names = [c.name for c in self.columns]
        return [dict(zip(names, row, strict=False)) for row in self.rows]


class AskRequest(BaseModel):
    question: str = Field(..., min_length=1, max_length=4000, pattern=r"\w")
    conversation_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")


class FeedbackRequest(BaseModel):
    answer_id: str = Field(..., max_length=64)
    rating: Rating
    comment: str | None = Field(None, max_length=2000)
    corrected_sql: str | None = Field(None, max_length=20_000)


class FeedbackResult(BaseModel):
    answer_id: str
    rating: Rating
    verified_example_id: str | None = None
    evicted: bool = False


class MetricOut(BaseModel):
    name: str
    type: str
    units: str | None
    description: str
    synonyms: list[str]


class Suggestion(BaseModel):
    question: str
    metric: str
    description: str


class ConversationRef(BaseModel):
    conversation_id: str


class ConversationSummary(BaseModel):
    conversation_id: str
    title: str
    turn_count: int
    updated_at: float


class TurnOut(BaseModel):
    question: str
    status: str
    answer_id: str | None
    created_at: float
    answer: Answer | None = None


class ConversationOut(BaseModel):
    conversation_id: str
    turns: list[TurnOut]


class StreamEvent(BaseModel):
    """One step of ``stream()``: accepted, plan, sql, rows, chart, answer, done."""

    event: str
    data: dict[str, Any]

    @property
    def answer(self) -> Answer | None:
        """The whole answer, on the ``answer`` event."""
        return Answer.model_validate(self.data) if self.event == "answer" else None


class TokenRequest(BaseModel):
    model_config = {"extra": "forbid"}
    ttl_s: int = Field(900, ge=30, le=86_400)
    origins: list[str] | None = Field(None, max_length=20)


class PolicyOut(BaseModel):
    metrics: list[str] | None
    dimensions: list[str] | None
    row_filters: list[str]
    allow_sql: bool


class TokenOut(BaseModel):
    """A short-lived token standing for the key that made it (``Client(url, api_key=token.token)``)."""

    token: str
    token_type: str = "Bearer"
    expires_at: int
    expires_in: int
    key_id: str
    scope: str
    origins: list[str]
    policy: PolicyOut | None


Metric = MetricOut  # the friendlier name

# Every model that is one of the server's OpenAPI components (tests/client/test_client_schema.py).
OPENAPI_MODELS = (Answer, AskRequest, ChartOut, Clarification, ColumnOut, ConversationOut, ConversationRef,
                  ConversationSummary, ErrorBody, ErrorOut, FeedbackRequest, FeedbackResult, MetricOut,
                  PolicyOut, Suggestion, TokenOut, TokenRequest, ToolCallOut, TurnOut, Usage, VerifiedOut)
