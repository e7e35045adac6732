"""The MCP server: tools, resources and prompts over the engine, built with the official SDK.

Tools: ``ask`` (the whole pipeline; the answer contract as structured content, a text summary
beside it), ``list_metrics``, ``describe_metric``, ``query_metrics`` (a semantic query), ``run_sql``
(guarded, read-only, capped), and every tool of the engine's registry (registry_tools.py).
Resources: the semantic catalog, the warehouse schema, one metric. Prompts: prompts.py.

Who is calling is ``caller_of(ctx)``: the key ``asklytics mcp`` was started with (stdio), or the
key the HTTP endpoint checked for this request (http_endpoint.py). The SDK hands no context to a
static resource's function, so ``AsklyticsMCPServer`` keeps the one of the resource being read in a
context variable (it reaches the worker thread the function runs in). Tools run in worker threads
(the SDK runs plain functions so): the engine's calls block.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextvars import ContextVar
from typing import Annotated, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from app.engine.contract import Answer
from app.engine.tools import REGISTRY
from app.interfaces.mcp import prompts
from app.interfaces.mcp.backend import McpBackend, NotFound
from app.interfaces.mcp.errors import reported
from app.interfaces.mcp.registry_tools import READ_ONLY, registry_tools
from app.interfaces.mcp.results import MetricDetail, MetricList, TableResult, answer_text, table_text
from app.interfaces.shared.callers import Caller
from common.errors import AsklyticsError

CallerOf = Callable[[Context], Caller]
INSTRUCTIONS = (
    "Asklytics answers questions about mobile-app marketing data (installs, spend, ROAS, retention, "
    "fraud, churn, LTV). Prefer `ask` with a plain-language question: it plans, runs and charts the "
    "query and says how it read the question. Use `list_metrics`/`describe_metric` and "
    "`query_metrics` for exact semantic queries, `run_sql` for read-only SQL over the schema resource.")
ASKING = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=False,
                         open_world_hint=False)
Grain = Literal["day", "week", "month", "quarter", "year"]
Question = Annotated[str, Field(min_length=1, max_length=4000, description=(
    "The question in plain language, e.g. 'Top 5 iOS campaigns by ROAS last month'."))]
ConversationId = Annotated[str | None, Field(max_length=64, pattern=r"^[A-Za-z0-9_.-]+$", description=(
    "Continue a conversation (follow-ups such as 'now by week'); omit to start one."))]
Sql = Annotated[str, Field(min_length=1, max_length=20_000, description=(
    "One read-only SELECT over the tables of the schema resource, in the warehouse's dialect."))]
Day = Annotated[dt.date | None, Field(description="A day (YYYY-MM-DD); the period includes both ends.")]
JSON = "application/json"
_READING: ContextVar[Context | None] = ContextVar("asklytics_mcp_reading", default=None)


class AsklyticsMCPServer(MCPServer):
    async def read_resource(self, uri, context=None):
        token = _READING.set(context)
        try:
            return await super().read_resource(uri, context)
        finally:
            _READING.reset(token)


def build_mcp_server(backend: McpBackend, caller_of: CallerOf) -> MCPServer:
    server = AsklyticsMCPServer("asklytics", title="Asklytics", version="0.1.0", instructions=INSTRUCTIONS,
                       tools=registry_tools(REGISTRY, backend.call_tool, caller_of), log_level="WARNING")
    _add_tools(server, backend, caller_of)
    _add_resources(server, backend, caller_of)
    prompts.add_prompts(server)
    return server


def _add_tools(server: MCPServer, backend: McpBackend, caller_of: CallerOf) -> None:
    @server.tool(annotations=ASKING)
    @reported
    def ask(question: Question, conversation_id: ConversationId = None,
            *, ctx: Context) -> Annotated[CallToolResult, Answer]:
        """Answer a question about the data: plans it, runs the SQL, charts it and words the result.
        Returns the Asklytics answer object (status, answer, sql, columns, rows, chart, ...)."""
        answer = backend.ask(caller_of(ctx), question, conversation_id)
        return CallToolResult(content=[TextContent(type="text", text=answer_text(answer))],
                              structured_content=answer.model_dump(mode="json"),
                              is_error=answer.status == "error")

    @server.tool(annotations=READ_ONLY)
    @reported
    def list_metrics(ctx: Context) -> MetricList:
        """Every metric of the semantic layer (name, type, units, description, synonyms) and the
        dimensions they can be grouped or filtered by."""
        return backend.metrics(caller_of(ctx))

    @server.tool(annotations=READ_ONLY)
    @reported
    def describe_metric(name: Annotated[str, Field(description="A metric name from list_metrics.")],
                        *, ctx: Context) -> MetricDetail:
        """One metric in full: its definition (measure, or numerator and denominator) and filters."""
        return backend.describe_metric(caller_of(ctx), name)

    @server.tool(annotations=READ_ONLY)
    @reported
    def query_metrics(
        metrics: Annotated[list[str], Field(min_length=1, description="Metric names (list_metrics).")],
        dimensions: Annotated[list[str], Field(description=(
            "Dimensions to group by; 'metric_time' groups by time (with grain)."))] = [],  # noqa: B006
        filters: Annotated[list[str], Field(description="Filters such as \"platform = 'iOS'\" or "
                                            "\"country IN ('US', 'DE')\".")] = [],  # noqa: B006
        date_from: Day = None,
        date_to: Day = None,
        grain: Annotated[Grain | None, Field(description="Time grain of metric_time.")] = None,
        order_by: Annotated[list[str], Field(description="Fields to sort by; prefix '-' for descending, "
                                             "e.g. '-roas'.")] = [],  # noqa: B006
        limit: Annotated[int | None, Field(gt=0, description="At most this many rows.")] = None,
        *, ctx: Context,
    ) -> Annotated[CallToolResult, TableResult]:
        """Compute metrics with the semantic layer (compiled, guarded and run read-only); returns
        the rows, the SQL that ran and the semantic query."""
        return _table(backend.query_metrics(caller_of(ctx), metrics, dimensions, filters, date_from, date_to,
                                            grain, order_by, limit))

    @server.tool(annotations=READ_ONLY)
    @reported
    def run_sql(sql: Sql, *, ctx: Context) -> Annotated[CallToolResult, TableResult]:
        """Run one read-only SQL query through the SQL guard (a single SELECT over known tables, no
        writes or file access, row cap applied); returns the rows and the SQL as run."""
        return _table(backend.run_sql(caller_of(ctx), sql))


def _table(result: TableResult) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=table_text(result))],
                          structured_content=result.model_dump(mode="json"))


def _add_resources(server: MCPServer, backend: McpBackend, caller_of: CallerOf) -> None:
    def reader() -> Caller:
        return caller_of(_READING.get())

    @server.resource("asklytics://catalog", name="catalog", title="Semantic catalog", mime_type=JSON)
    def catalog() -> str:
        """Every metric and dimension of the semantic layer you may use, with descriptions and synonyms."""
        return _json(lambda: backend.catalog(reader()))

    @server.resource("asklytics://schema", name="schema", title="Warehouse schema", mime_type=JSON)
    def schema() -> str:
        """The warehouse tables and columns the assistant (and run_sql) can read."""
        return _json(backend.schema)

    @server.resource("asklytics://metrics/{name}", name="metric", title="One metric", mime_type=JSON)
    def metric(name: str) -> str:
        """One metric's definition."""
        return _json(lambda: backend.describe_metric(reader(), name).model_dump(mode="json"))


def _json(read: Callable[[], dict]) -> str:
    try:
        return json.dumps(read(), default=str, indent=1)
    except NotFound as exc:
        raise ResourceNotFoundError(exc.message) from None
    except AsklyticsError as exc:
        raise ResourceError(f"{exc.message} ({exc.code})") from None
