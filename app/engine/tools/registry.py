"""The tools, by name: built in here, and open to more (``REGISTRY.register(tool)``).

Like datasette's ``DEFAULT_PLUGINS``, the built-in tools are listed as modules and registered
the same way an added tool is. The offline planner asks them in ``priority`` order
(:meth:`ToolRegistry.route`), the LLM planner offers their schemas, the executor runs them.
"""
from __future__ import annotations

from collections.abc import Iterator

from app.engine.tools import (
    describe_cluster,
    detect_anomalies,
    explain_change,
    explain_churn,
    explain_conversion,
    explain_fraud,
    forecast,
    list_segment_users,
    predict_churn,
    predict_conversion,
    predict_ltv,
    reallocate_budget,
    score_fraud,
    segment_users,
)
from app.engine.tools.base import Tool, ToolError, ToolQuestion

BUILTIN_TOOL_MODULES = (predict_ltv, explain_churn, predict_churn, explain_fraud, score_fraud, explain_change,
                        detect_anomalies, forecast, segment_users, list_segment_users, describe_cluster,
                        predict_conversion, explain_conversion, reallocate_budget)


class ToolRegistry:
    def __init__(self, tools: tuple[Tool, ...] = ()):
        self._tools: dict[str, Tool] = {}
        for tool in tools:
            self.register(tool)

    def register(self, tool: Tool) -> None:
        if tool.name in self._tools:
            raise ValueError(f"a tool named {tool.name!r} is already registered")
        self._tools[tool.name] = tool

    def get(self, name: str) -> Tool:
        if name not in self._tools:
            raise ToolError("unknown_tool", f"unknown tool {name!r}; available: {', '.join(self._tools)}")
        return self._tools[name]

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self) -> Iterator[Tool]:
        return iter(sorted(self._tools.values(), key=lambda t: (t.priority, t.name)))

    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self)

    def route(self, question: ToolQuestion) -> tuple[Tool, dict] | None:
        """The first tool (by priority) that takes the question, with its call's arguments."""
        for tool in self:
            arguments = tool.route(question)
            if arguments is not None:
                return tool, arguments
        return None


REGISTRY = ToolRegistry(tuple(module.TOOL for module in BUILTIN_TOOL_MODULES))
