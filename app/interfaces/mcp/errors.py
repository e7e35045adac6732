"""How a failed call reaches an MCP client.

A tool that fails for a reason the caller can act on (an unknown metric, SQL the guard refuses, a
warehouse that is down) answers a tool error: ``isError: true``, the message as text (what an agent
reads and corrects from, as the MCP specification asks of tool execution errors) and
``{"error": {"code", "message"}}`` as structured content. Unknown tools and arguments that fail a
tool's schema are tool errors the SDK makes itself; unknown resources and prompts are JSON-RPC
errors. Anything unexpected is logged with its traceback and answered with a generic message.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from mcp_types import CallToolResult, TextContent
from pydantic import ValidationError

from common.errors import AsklyticsError


def error_result(code: str, message: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=f"{message} ({code})")],
                          structured_content={"error": {"code": code, "message": message}}, is_error=True)


def validation_message(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}" for e in exc.errors()[:5])


def reported(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with its AsklyticsError (and pydantic's ValidationError) answered as tool errors."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AsklyticsError as exc:
            return error_result(exc.code, exc.message)
        except ValidationError as exc:
            return error_result("invalid_arguments", validation_message(exc))

    return call
