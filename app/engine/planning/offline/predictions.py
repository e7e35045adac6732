"""Prediction questions go to the tool registry ("who is likely to churn", "predicted LTV").

Each tool owns the words that route to it (``app.engine.tools``); this module hands the
registry what the planner read -- the question, the one value asked per dimension, the
period (as install dates), the N of a "top N" -- and wraps the chosen call in a plan.
"""
from __future__ import annotations

from app.engine.planning.offline.confidence import plan_confidence
from app.engine.planning.plan import ClarificationPlan, ToolCallPlan
from app.engine.tools import REGISTRY, ToolQuestion
from app.engine.tools.predictions import CHURN, TOOL_WORDS


def route_prediction(reading, time_range, limit: int | None) -> ToolCallPlan | None:
    """A tool call when a registered tool takes the question, else None. The tools' own words
    (churn, likely, why, ids, ...) are consumed; any other word left over lowers the confidence."""
    filters = {}
    for f in reading.value_filters:
        if f.op == "=":
            filters.setdefault(f.dimension, f.values[0])
    routed = REGISTRY.route(ToolQuestion(folded=reading.folded, filters=filters, time_range=time_range,
                                         limit=limit))
    if routed is None:
        return None
    tool, arguments = routed
    reading.consume(*(m.span() for pattern in TOOL_WORDS for m in pattern.finditer(reading.folded)))
    confidence = min(0.9, plan_confidence("lexical", reading.leftover_words(),
                                          guessed=len(reading.guessed_values)))
    return ToolCallPlan(tool=tool.name, arguments=arguments, confidence=confidence,
                        rationale=f"prediction question routed to {tool.name}")


def churn_without_prediction(folded: str) -> ClarificationPlan | None:
    """Churn exists only as predictions; a churn question the tools cannot take gets pointed at them."""
    if not CHURN.search(folded):
        return None
    return ClarificationPlan(
        question="Churn is available as predictions per user. Do you want the users most likely to churn, "
                 "or retention (the share of users still active after 1, 7 or 30 days)?",
        options=("who is likely to churn?", "D7 retention by platform", "D30 retention by media source"),
        confidence=0.5, rationale="offline: churn asked as a metric")
