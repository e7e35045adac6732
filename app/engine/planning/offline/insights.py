"""Questions about a change's cause go to the insight tools ("why did installs drop on June 16?",
"what drove the rise in CPI last week?", "explain the change in revenue in June vs May").

The tool owns its words (``tools/explain_change.py: CHANGE_WORDS``); this module adds what only
the planner read: the metric, the period and a period it is compared with, the values that
filter both. No period: the last seven complete days (against the seven before them).
"""
from __future__ import annotations

import datetime as dt

from app.engine.planning.offline.confidence import plan_confidence
from app.engine.planning.offline.shape import value_filters_to_filters
from app.engine.planning.plan import ToolCallPlan
from app.engine.tools.detect_anomalies import ANOMALY_WORDS
from app.engine.tools.explain_change import CHANGE_NOUNS, CHANGE_WORDS

DEFAULT_DAYS = 7


def _periods(reading, as_of: dt.date) -> dict[str, str]:
    time = reading.time
    if time.range is None:
        start, end = as_of - dt.timedelta(days=DEFAULT_DAYS), as_of - dt.timedelta(days=1)
    else:
        start, end = time.range.start, time.range.end
    found = {"current_start": start.isoformat(), "current_end": end.isoformat()}
    if time.compare_range is not None:
        found.update(baseline_start=time.compare_range.start.isoformat(),
                     baseline_end=time.compare_range.end.isoformat())
    return found


def route_change(reading, choice, model, as_of: dt.date, unavailable: dict[str, str] | None = None,
                 ) -> ToolCallPlan | None:
    """An ``explain_change`` call for a why-did-it-change question about one metric, a
    ``detect_anomalies`` call for an are-there-anomalies question, else None."""
    anomalies = route_anomalies(reading, choice, model, unavailable)
    if anomalies is not None:
        return anomalies
    words = list(CHANGE_WORDS.finditer(reading.folded))
    if not words or len(choice.names) != 1 or "explain_change" in (unavailable or {}):
        return None
    metric = choice.names[0]
    arguments = {"metric": metric, **_periods(reading, as_of)}
    filters = value_filters_to_filters(reading.value_filters, model)
    if filters:
        arguments["filters"] = [f.model_dump(mode="json") for f in filters]
    reading.consume(*(m.span() for m in words), *(m.span() for m in CHANGE_NOUNS.finditer(reading.folded)),
                    *choice.spans)
    confidence = min(0.9, plan_confidence("lexical", reading.leftover_words(),
                                          guessed=len(reading.guessed_values)))
    return ToolCallPlan(tool="explain_change", arguments=arguments, confidence=confidence,
                        rationale=f"offline: why did {metric} change -> explain_change")


def route_anomalies(reading, choice, model, unavailable: dict[str, str] | None = None) -> ToolCallPlan | None:
    words = list(ANOMALY_WORDS.finditer(reading.folded))
    if not words or len(choice.names) != 1 or "detect_anomalies" in (unavailable or {}):
        return None
    arguments = {"metric": choice.names[0]}
    if reading.time.range is not None:
        arguments.update(start=reading.time.range.start.isoformat(), end=reading.time.range.end.isoformat())
    if reading.time.grain in ("week", "month"):
        arguments["grain"] = reading.time.grain
    filters = value_filters_to_filters(reading.value_filters, model)
    if filters:
        arguments["filters"] = [f.model_dump(mode="json") for f in filters]
    reading.consume(*(m.span() for m in words), *choice.spans)
    confidence = min(0.9, plan_confidence("lexical", reading.leftover_words(),
                                          guessed=len(reading.guessed_values)))
    return ToolCallPlan(tool="detect_anomalies", arguments=arguments, confidence=confidence,
                        rationale=f"offline: anomalies of {choice.names[0]} -> detect_anomalies")
