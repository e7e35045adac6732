"""Requests for something other than the data (poems, weather, trivia): refused as ``off_topic``."""
from __future__ import annotations

import re

from app.engine.planning.offline.safety.reasons import refusal
from app.engine.planning.plan import RefusalPlan

# Requests for something other than data: refused even when a data word is present.
_OFF_TOPIC_ALWAYS = re.compile(
    r"\b(?:write|compose|tell|give|make\s+up|sing|create)\s+(?:me\s+)?(?:a|an|some)\s+(?:\w+\s+)?"
    r"(?:poem|poems|haiku|song|joke|jokes|story|stories|limerick|essay|rap|sonnet|recipe)\b|"
    r"\b(?:poem|haiku|limerick|sonnet|recipe|recipes)\b|\btell\s+me\s+a\s+joke\b|\bjoke\s+about\b"
)
# Topics other than the data: refused only when no metric was recognized in the question.
_OFF_TOPIC_TOPICAL = re.compile(
    r"\b(?:weather|forecast\s+for\s+tomorrow|temperature|rain|sunny|recipe|cook|cooking|bake|football|soccer|"
    r"basketball|baseball|nba|nfl|world\s+cup|super\s+bowl|olympics|match\s+score|who\s+won|capital\s+of|"
    r"president|prime\s+minister|population\s+of|tallest|meaning\s+of\s+life|stock\s+price|bitcoin|crypto|"
    r"translate|horoscope|movie|movies|film|tv\s+show|celebrity|lyrics|restaurant|flight|hotel|"
    r"write\s+(?:me\s+)?(?:a\s+)?(?:python|javascript|code|script|program|function|email|letter)|"
    r"who\s+(?:is|was)\s+(?!our|the\s+best|the\s+top)|how\s+old\s+is|how\s+tall|distance\s+(?:from|between)|"
    r"what\s+time\s+is\s+it|date\s+today|your\s+name|are\s+you\s+(?:a\s+)?(?:human|real|sentient)|"
    r"history\s+of|invented|speed\s+of\s+light|square\s+root|solve|equation|homework)\b"
)


def refuse_off_topic(folded: str, has_metric: bool, model=None) -> RefusalPlan | None:
    """Run after prediction routing: "who is likely to churn" is a question for a model, not trivia."""
    if _OFF_TOPIC_ALWAYS.search(folded):
        return refusal("off_topic", "not about data", model)
    if not has_metric and _OFF_TOPIC_TOPICAL.search(folded):
        return refusal("off_topic", "topic without a metric", model)
    return None
