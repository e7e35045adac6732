"""The engine's registry tools (predictors, and any tool registered later) as MCP tools, generated
from the registry: each one's name, description and argument schema are the tool's own.

The arguments are validated with the tool's pydantic schema itself (``extra="forbid"`` and its
validators included), so an agent gets the same per-field errors the LLM planner gets; the call
then runs through the engine's executor like a planned tool call.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool as McpTool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import create_model

from app.engine.tools import ToolRegistry
from app.engine.tools.base import Tool
from app.interfaces.mcp.errors import reported
from app.interfaces.mcp.results import TableResult, table_text
from app.interfaces.shared.callers import Caller

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                            open_world_hint=False)


ToolCall = Callable[[Caller, str, dict[str, Any]], TableResult]
CallerOf = Callable[[Context], Caller]


def registry_tools(registry: ToolRegistry, call: ToolCall, caller_of: CallerOf) -> list[McpTool]:
    """One MCP tool per registered tool; ``call(caller, name, arguments)`` runs it."""
    return [_mcp_tool(tool, call, caller_of) for tool in registry]


def _mcp_tool(tool: Tool, call: ToolCall, caller_of: CallerOf) -> McpTool:
    arguments = create_model(f"{tool.name}_arguments", __base__=(tool.arguments, ArgModelBase))

    @reported
    def run(ctx: Context, **given: Any) -> CallToolResult:
        result = call(caller_of(ctx), tool.name, given)
        return CallToolResult(content=[TextContent(type="text", text=table_text(result))],
                              structured_content=result.model_dump(mode="json"))

    return McpTool(fn=run, name=tool.name, description=tool.description or tool.name,
                   parameters=arguments.model_json_schema(by_alias=True),
                   fn_metadata=FuncMetadata(arg_model=arguments, output_model=TableResult),
                   is_async=False, context_kwarg="ctx", annotations=READ_ONLY)
