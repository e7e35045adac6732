"""Account for every word: a plan is answered only when nothing the question says was left out.

When a content word was explained by no matcher ("battery level", "gender", "competitors"), or a
grouping or filter had to be dropped because the metric cannot take it, the plan's confidence is
below the answer threshold and the reply says plainly what was understood, what was not, and
what the data does have -- instead of answering a different question with confidence.
"""
from __future__ import annotations

from app.engine.planning.offline.confidence import unexplained_words
from app.engine.planning.plan import ClarificationPlan, SemanticQueryPlan, ToolCallPlan
from semantic_layer import METRIC_TIME, SemanticQuery

MAX_LISTED = 8


def unsure_clarification(plan, reading, model, dropped: tuple[str, ...] = ()) -> ClarificationPlan:
    """What was understood and what was not, with the closest things the data has."""
    unknown = list(dict.fromkeys(unexplained_words(reading.leftover_words())))
    understood = describe_plan(plan, model)
    parts = [f"I read this as {understood}" if understood else "I could not tell what to compute"]
    if unknown:
        quoted = ", ".join(f"“{w}”" for w in unknown[:MAX_LISTED])
        parts.append(f"but I couldn't place {quoted}: the data has no field by that name")
    if dropped:
        parts.append(f"and {', '.join(dropped)} cannot be applied to {_metric_words(plan, model)}")
    message = ", ".join(parts) + ". " + data_has(model)
    options = (_as_question(plan, model),) if understood and not dropped else ()
    return ClarificationPlan(question=message, options=options + ("list the metrics",),
                             confidence=plan.confidence,
                             rationale=f"offline: unsure ({plan.confidence}); unexplained {unknown}, dropped "
                                       f"{list(dropped)}")


def data_has(model) -> str:
    """One line on what can be asked about: metrics and the attributes to group or filter by."""
    metrics = [name.replace("_", " ") for name in list(model.metrics)[:MAX_LISTED]]
    dims = [name.replace("_", " ") for name, d in model.dimensions.items()
            if d.type == "categorical" and not name.startswith(("is_", "campaign_id"))]
    return (f"It has metrics such as {', '.join(metrics)}, and attributes such as "
            f"{', '.join(dims[:12])}.")


def describe_plan(plan, model) -> str:
    if isinstance(plan, SemanticQueryPlan):
        return describe_query(plan.query)
    if isinstance(plan, ToolCallPlan):
        return f"a call to {plan.tool.replace('_', ' ')}"
    return ""


def describe_query(query: SemanticQuery) -> str:
    """ "revenue by country, platform = 'iOS', 2026-06-01 to 2026-06-30" """
    text = ", ".join(m.replace("_", " ") for m in query.metrics) or "a list"
    dims = [d.replace("_", " ") for d in query.dimensions if d != METRIC_TIME]
    if query.grain:
        dims.insert(0, query.grain)
    if dims:
        text += " by " + ", ".join(dims)
    if query.filters:
        text += " where " + " and ".join(f.to_text() for f in query.filters)
    if query.time_range:
        start, end = query.time_range
        text += f", {start} to {end}" if start != end else f", {start}"
    return text


def _as_question(plan, model) -> str:
    text = describe_plan(plan, model)
    return text[0].upper() + text[1:] if text else text


def _metric_words(plan, model) -> str:
    if isinstance(plan, SemanticQueryPlan) and plan.query.metrics:
        return " and ".join(m.replace("_", " ") for m in plan.query.metrics)
    return "this metric"
