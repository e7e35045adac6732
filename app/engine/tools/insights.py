"""What the insight tools (``explain_change``, ``detect_anomalies``) share: they read the semantic
layer through the executor (``ToolContext.query``), so they answer for any model, under the
caller's access policy, and are unavailable where no semantic model is given."""
from __future__ import annotations

from app.engine.insights.shapes import MetricShape, NotDecomposable, segment_dimensions
from app.engine.tools.base import ToolContext, ToolError


def semantic_context(context: ToolContext, tool: str):
    """(model, query) of the context, or a clear error when the tool runs without them."""
    if context.model is None or context.query is None:
        raise ToolError("tool_unavailable", f"{tool} needs the semantic model; it is not available here")
    return context.model, context.query


def split_dimension(model, metric: str, dimensions: list[str]) -> str | None:
    """The one dimension a series is split by (None: not split); an error when the metric's tables
    do not reach it."""
    if not dimensions:
        return None
    try:
        return segment_dimensions(model, MetricShape(metric, "additive"), tuple(dimensions))[0]
    except NotDecomposable as exc:
        raise ToolError("invalid_arguments", str(exc)) from None
