"""Budget questions go to ``reallocate_budget`` ("how should I move budget from Facebook to TikTok?",
"reallocate the same total across media sources to maximize installs", "how would you split $1,500
a day across sources for revenue, each within 20% of today?").

The tool owns the words that make a question a budget question (``tools/reallocate_budget.py:
BUDGET_WORDS``, or ``MOVE_WORDS`` with an advice cue: "how was spend split in May?" is no budget
question); this module reads what only the question says: the objective, a new daily total, the limit
per source, the sources named (only they move), campaigns instead of sources, and other value filters
(platform, country) that restrict the data.
"""
from __future__ import annotations

import re

from app.engine.planning.offline.confidence import plan_confidence
from app.engine.planning.offline.shape import value_filters_to_filters
from app.engine.planning.plan import ToolCallPlan
from app.engine.tools.reallocate_budget import ADVICE, BUDGET_WORDS, MOVE_WORDS

TOOL = "reallocate_budget"
_AMOUNT = re.compile(r"\$\s?(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>k|m|thousand|million)?\b")
_LIMIT = re.compile(r"(?:within|by\s+(?:at\s+most|up\s+to)|at\s+most|up\s+to|no\s+more\s+than|max(?:imum)?|"
                    r"\+/-|±|plus\s+or\s+minus)\s*(?P<number>\d{1,3}(?:\.\d+)?)\s*(?:%|percent|pct)")
_REVENUE = re.compile(r"\b(?:revenue|income|sales|ltv|value|money\s+back)\b")
_ROAS = re.compile(r"\b(?:roas|return\s+on\s+(?:ad\s+)?spend)\b")
_INSTALLS = re.compile(r"\b(?:installs?|downloads?|users|volume)\b")
_CAMPAIGNS = re.compile(r"\b(?:across|between|among|over|per|by)\s+(?:(?:the|our|my|all)\s+)?campaigns?\b")
# the words a budget question is made of, beyond the tool's own: accounted for, not unexplained
_CONTEXT = re.compile(
    r"\b(?:how|should|would|could|can|you|i|we|our|my|the|a|an|to|from|into|toward|towards|between|across|"
    r"among|over|for|of|in|on|each|every|per|all|any|with|within|keep\w*|same|total|overall|current\w*|"
    r"today|todays|now|existing|daily|day|a\s+day|weekly|maximi[sz]\w*|optimi[sz]\w*|best|most|more|get|"
    r"move|moving|shift\w*|split\w*|spread\w*|reallocat\w*|allocat\w*|divid\w*|distribut\w*|rebalanc\w*|"
    r"invest\w*|put|spend\w*|spent|budgets?|money|dollars?|media|sources?|channels?|networks?|partners?|"
    r"campaigns?|mix|what|which|where|is|are|if|do|does|recommend\w*|suggest\w*|propos\w*|plan|"
    r"optimal|ideal|better|percent|pct|ad|ads|paid|next|dollar|response|curves?|diminishing|returns?|"
    r"saturation|instead|than|given|source|up|at|most|no|or|and|plus|minus|max\w*|by|it|that|this|me|us|"
    r"installs?|revenue|roas|k|m|thousand|million|usd|aim|goal|objective)\b")


def route_budget(reading, model, unavailable: dict[str, str] | None = None) -> ToolCallPlan | None:
    """A ``reallocate_budget`` call for a budget question, else None."""
    folded = reading.folded
    words = list(BUDGET_WORDS.finditer(folded))
    if not words and ADVICE.search(folded):
        words = list(MOVE_WORDS.finditer(folded))
    if not words or TOOL in (unavailable or {}):
        return None
    arguments: dict = {}
    objective = _objective(folded)
    if objective != "installs":
        arguments["objective"] = objective
    total = _total(folded)
    if total is not None:
        arguments["total_budget"] = total
    limit = _LIMIT.search(folded)
    if limit is not None:
        arguments["max_change"] = round(float(limit.group("number")) / 100, 4)
    by = "campaign_name" if _CAMPAIGNS.search(folded) else "media_source"
    if by != "media_source":
        arguments["by"] = by
    named = [f for f in reading.value_filters if f.dimension == by and f.op in ("=", "in")]
    values = [v for f in named for v in f.values]
    if len(values) > 1:  # one source alone cannot move at a fixed total: all move, its curve is shown
        arguments["sources"] = values
    others = [f for f in reading.value_filters if f not in named]
    filters = value_filters_to_filters(others, model)
    if filters:
        arguments["filters"] = [f.model_dump(mode="json") for f in filters]
    read = (_CONTEXT, _AMOUNT, _LIMIT, _REVENUE, _ROAS, _INSTALLS)
    reading.consume(*(m.span() for m in words), *(m.span() for p in read for m in p.finditer(folded)),
                    *reading.value_spans)
    confidence = min(0.9, plan_confidence("lexical", reading.leftover_words(),
                                          guessed=len(reading.guessed_values)))
    return ToolCallPlan(tool=TOOL, arguments=arguments, confidence=confidence,
                        rationale="offline: a budget question -> reallocate_budget")


def _objective(folded: str) -> str:
    if _ROAS.search(folded):
        return "roas"
    if _REVENUE.search(folded) and not _INSTALLS.search(folded):
        return "revenue"
    return "installs"


def _total(folded: str) -> float | None:
    """A new daily total ("$50k a day", "$1,500"); None keeps today's total."""
    found = _AMOUNT.search(folded)
    if found is None:
        return None
    number = float(found.group("number").replace(",", ""))
    unit = (found.group("unit") or "").lower()
    number *= 1_000 if unit in ("k", "thousand") else 1_000_000 if unit in ("m", "million") else 1
    if re.search(r"\b(?:a|per|each)\s+week\b|\bweekly\b", folded):
        number /= 7
    elif re.search(r"\b(?:a|per|each)\s+month\b|\bmonthly\b", folded):
        number /= 30
    return round(number, 2) if number > 0 else None
