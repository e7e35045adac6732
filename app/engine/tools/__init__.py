"""Tools the planners can call besides querying metrics: one module per tool, one registry.

A tool module owns everything about its tool: the pydantic argument schema (what the LLM
sees and what every call is validated with), the description for the LLM, the words the
offline planner routes to it, how it runs, and how its answer is narrated. ``registry``
lists the built-in tools; the offline planner, the LLM planner's tool list and the plan
executor all read it, so a new tool is one new module plus one line there.
"""
from app.engine.tools.base import Tool, ToolContext, ToolOutcome, ToolQuestion
from app.engine.tools.registry import REGISTRY, ToolRegistry

__all__ = ["REGISTRY", "Tool", "ToolContext", "ToolOutcome", "ToolQuestion", "ToolRegistry"]
