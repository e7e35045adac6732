"""Prediction questions go to the tool registry ("who is likely to churn", "predicted LTV").

Each tool owns the words that route to it (``app.engine.tools``); this module hands the
registry what the planner read -- the question, the one value asked per dimension, the
period (as install dates), the N of a "top N" -- and wraps the chosen call in a plan.
"""
from __future__ import annotations

from app.engine.planning.offline.confidence import plan_confidence
from app.engine.planning.plan import ClarificationPlan, RefusalPlan, ToolCallPlan
from app.engine.tools import REGISTRY, ToolQuestion
from app.engine.tools.predictions import CHURN, TOOL_WORDS


def unavailable_tools(schema) -> dict[str, str]:
    """``{tool: why}`` for the registry's tools this warehouse cannot feed (none without a schema)."""
    if schema is None:
        return {}
    return {tool.name: reason for tool in REGISTRY if (reason := tool.unavailable(schema))}


def route_prediction(reading, time_range, limit: int | None,
                     unavailable: dict[str, str] | None = None) -> ToolCallPlan | RefusalPlan | None:
    """A tool call when a registered tool takes the question, else None. The tools' own words
    (churn, likely, why, ids, ...) are consumed; any other word left over lowers the confidence.
    A question only an unavailable tool answers is refused with the tool's reason."""
    filters = {}
    for f in reading.value_filters:
        if f.op == "=":
            filters.setdefault(f.dimension, f.values[0])
    routed = REGISTRY.route(ToolQuestion(folded=reading.folded, filters=filters, time_range=time_range,
                                         limit=limit))
    if routed is None:
        return None
    tool, arguments = routed
    if unavailable and tool.name in unavailable:
        return RefusalPlan(reason=unavailable[tool.name], category="unanswerable", confidence=1.0,
                           rationale=f"offline: {tool.name} is not available for this warehouse")
    words = (*TOOL_WORDS, *tool.words)
    reading.consume(*(m.span() for pattern in words for m in pattern.finditer(reading.folded)))
    confidence = min(0.9, plan_confidence("lexical", reading.leftover_words(),
                                          guessed=len(reading.guessed_values)))
    unapplied = unapplied_filters(reading.value_filters, arguments)
    if unapplied:  # "churn risk in cluster 2": predict_churn cannot filter by cluster; never drop it silently
        reading.dropped += (f"{', '.join(unapplied)} cannot be applied by {tool.name}",)
        confidence = min(confidence, UNAPPLIED_CONFIDENCE)
    return ToolCallPlan(tool=tool.name, arguments=arguments, confidence=confidence,
                        rationale=f"prediction question routed to {tool.name}")


UNAPPLIED_CONFIDENCE = 0.3  # below any answer threshold: the user is asked, and told what would be lost
ID_ARGUMENTS = ("user_id", "install_id")


def unapplied_filters(value_filters, arguments: dict) -> list[str]:
    """The question's value filters the tool call does not carry ("cluster = 2" for predict_churn, a
    list of countries for a tool that takes one), as text. A call about one id needs no filter."""
    if any(arguments.get(name) for name in ID_ARGUMENTS):
        return []
    lost = []
    for f in value_filters:
        carried = arguments.get(f.dimension)
        if carried is None or f.op != "=" or str(carried).lower() != str(f.values[0]).lower():
            lost.append(f"{f.dimension} {f.op} {', '.join(f.values)}")
    return lost


def churn_without_prediction(folded: str, unavailable: dict[str, str] | None = None,
                             ) -> ClarificationPlan | RefusalPlan | None:
    """Churn exists only as predictions; a churn question the tools cannot take gets pointed at them."""
    if not CHURN.search(folded):
        return None
    if unavailable and "predict_churn" in unavailable:
        return RefusalPlan(reason=unavailable["predict_churn"], category="unanswerable", confidence=1.0,
                           rationale="offline: churn predictions are not available for this warehouse")
    return ClarificationPlan(
        question="Churn is available as predictions per user. Do you want the users most likely to churn, "
                 "or retention (the share of users still active after 1, 7 or 30 days)?",
        options=("who is likely to churn?", "D7 retention by platform", "D30 retention by media source"),
        confidence=0.5, rationale="offline: churn asked as a metric")
