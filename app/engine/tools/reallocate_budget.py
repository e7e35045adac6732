"""``reallocate_budget``: split a daily ad budget across media sources (or campaigns) on their response
curves, each within +/-N% of today's spend, for installs, revenue or ROAS (#22; docs/models.md,
"Budget reallocation").

Routed by the offline planner's budget router (``planning/offline/budget.py``: "how should I move
budget from Facebook to TikTok?", "reallocate the same total across media sources to maximize
installs", "how would you split $1,500 a day across sources for revenue, each within 20% of
today?"); offered to the LLM with the schema below. The history is read through the semantic layer
(``insights/budget_data.py``); curves, optimizer and Thompson sampling are ``insights/budget.py``.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field

from app.engine.insights.allocation import AllocationInfeasible
from app.engine.insights.budget import fit_sources, reallocate
from app.engine.insights.budget_answer import budget_chart, budget_narrative, budget_result
from app.engine.insights.budget_data import INSTALLS, REVENUE, SPEND, BudgetDataError, read_history
from app.engine.tools.base import Tool, ToolArgs, ToolContext, ToolError, ToolOutcome, ToolQuestion
from app.engine.tools.insights import semantic_context
from semantic_layer import Filter

# Words that ask for a reallocation on their own; the router (planning/offline/budget.py) reads them.
BUDGET_WORDS = re.compile(
    r"\b(?:re-?allocat\w*|rebalanc\w*\s+(?:\w+\s+){0,2}?(?:budget|spend)|budget\s+(?:optimi[sz]\w*|mix)|"
    r"(?:optimi[sz]\w*|maximi[sz]\w*)\s+(?:\w+\s+){0,2}?(?:budget|media\s+mix)|media\s+mix\s+optimi[sz]\w*|"
    r"response\s+curves?|diminishing\s+returns?|saturation\s+curves?|next\s+dollar)\b")
# Words that do with an advice cue ("how should I move budget ...", "how would you split $50k ..."):
# alone they may describe the past ("how was spend split across sources in May?").
MOVE_WORDS = re.compile(
    r"\b(?:(?:move|moving|shift\w*|spread\w*|split\w*|distribut\w*|divid\w*|allocat\w*|invest\w*|put)\s+"
    r"(?:\w+\s+){0,3}?(?:budget|spend|spending|money|dollars)|"
    r"(?:split|spread|distribut\w*|divid\w*|spend|invest|allocat\w*|put)\s+"
    r"(?:an?\s+extra\s+|a\s+total\s+of\s+)?\$\s?\d[\d,.]*(?:k|m)?|budget\s+(?:allocation|split|plan))\b")
ADVICE = re.compile(r"\b(?:should|would|could|recommend\w*|suggest\w*|best|optimal|ideal|maximi[sz]\w*|"
                    r"optimi[sz]\w*|propos\w*|better|if\s+(?:i|we)|to\s+get\s+(?:more|the\s+most))\b")
BY_VALUES = ("media_source", "campaign_name")
DEFAULT_MAX_CHANGE = 0.3
MIN_DRAWS, MAX_DRAWS, DRAW_BUDGET = 80, 200, 1600


class ReallocateBudgetArgs(ToolArgs):
    """Reallocate the daily ad budget across media sources (or campaigns) to maximize installs, revenue
    or ROAS: fits a saturating (Hill) response curve of daily paid installs on daily spend per source with
    bootstrap uncertainty, optimizes the split (same total as today unless total_budget is given; each
    source within +/-max_change of today's spend), and returns per source current_spend, proposed_spend,
    the change, the expected installs and revenue with an 80% interval, the probability that the next
    dollar is best spent there (Thompson sampling) and advice (increase, decrease, keep, explore).
    Correlational, not incremental."""

    objective: Literal["installs", "revenue", "roas"] = Field(
        "installs", description="What to maximize: paid installs, attributed revenue, or ROAS (with the "
        "total fixed, the same split as revenue).")
    total_budget: float | None = Field(None, gt=0, description="New total daily budget in USD; default: "
                                       "today's total (the average daily spend of the last current_days).")
    max_change: float = Field(DEFAULT_MAX_CHANGE, gt=0, le=5, description="How far each source may move "
                              "from today's spend, as a fraction (0.2 = within +/-20%).")
    sources: list[str] = Field(default_factory=list, max_length=60, description="Only these values may "
                               "change (e.g. ['Facebook', 'TikTok'] to move budget between them); the rest "
                               "keep today's spend. Empty: all may change.")
    by: Literal["media_source", "campaign_name"] = Field("media_source", description="Reallocate across "
                                                         "media sources or across campaigns.")
    filters: list[Filter] = Field(default_factory=list, description="Restrict the data (platform = iOS).")
    history_days: int = Field(182, ge=28, le=730, description="Days of history the curves are fit on.")
    current_days: int = Field(28, ge=7, le=91, description="Days whose average daily spend is 'today'.")


class ReallocateBudget(Tool):
    name = "reallocate_budget"
    description = ReallocateBudgetArgs.__doc__
    arguments = ReallocateBudgetArgs
    priority = 45
    words = (BUDGET_WORDS,)

    def route(self, question: ToolQuestion) -> None:
        return None  # routed by planning/offline/budget.py, which reads the amounts and the sources

    def unavailable(self, schema) -> str | None:
        if schema is None:
            return None
        if schema.table("ad_spend") is None:
            return ("Budget reallocation needs daily ad spend per media source (an ad_spend table); this "
                    "warehouse has none.")
        return None

    def run(self, arguments: ReallocateBudgetArgs, context: ToolContext) -> ToolOutcome:
        model, query = semantic_context(context, self.name)
        missing = [m for m in (SPEND, INSTALLS, REVENUE) if model.metric(m) is None]
        missing += [arguments.by] if arguments.by not in model.dimensions else []
        if missing:
            raise ToolError("tool_unavailable", "budget reallocation needs daily spend, paid installs and "
                            f"attributed revenue by {arguments.by}; this semantic model has no "
                            f"{', '.join(missing)}")
        end = context.as_of - dt.timedelta(days=1)  # today is not complete
        try:
            histories = read_history(query, arguments.by, arguments.filters, end, arguments.history_days,
                                     arguments.current_days)
        except BudgetDataError as exc:
            raise ToolError("budget_refused", f"the budget cannot be reallocated: {exc}") from None
        known = {h.label for h in histories}
        unknown = [s for s in arguments.sources if s not in known]
        if unknown:
            raise ToolError("invalid_arguments", f"{', '.join(unknown)}: no {arguments.by} of that name "
                            f"spent in the {arguments.current_days} days to {end}; those that did: "
                            f"{', '.join(sorted(known))}")
        plans = fit_sources(histories, set(arguments.sources) or None, draws=bootstrap_draws(len(histories)))
        if not any(p.movable for p in plans):
            raise ToolError("budget_refused", "no source has enough history for a response curve: "
                            + "; ".join(p.why_no_curve or p.label for p in plans))
        try:
            found = reallocate(plans, arguments.objective, arguments.total_budget, arguments.max_change)
        except AllocationInfeasible as exc:
            raise ToolError("budget_infeasible", f"{exc}. Ask for a total in that range, or allow more "
                            "change per source (for example 'each within 50% of today').") from None
        called = arguments.model_dump(mode="json", exclude_defaults=True)
        summary = (f"{len(plans)} {arguments.by} rows; expected {found.objective} "
                   f"{found.outcome_new[0]:,.1f} a day vs {found.outcome_now[0]:,.1f} today")
        return ToolOutcome(
            result=budget_result(found, arguments.by), arguments=called, summary=summary,
            narrative=budget_narrative(found, arguments.by, arguments.max_change,
                                       arguments.total_budget is not None, arguments.history_days,
                                       arguments.current_days, end),
            chart=budget_chart(found, arguments.by))


def bootstrap_draws(series: int) -> int:
    """Bootstrap draws per curve: 200 for a handful of sources, fewer (not under 80) for many campaigns,
    so an answer over every campaign stays within seconds."""
    return max(MIN_DRAWS, min(MAX_DRAWS, DRAW_BUDGET // max(series, 1)))


TOOL = ReallocateBudget()
