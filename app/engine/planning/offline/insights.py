"""Questions about a change's cause go to the insight tools ("why did installs drop on June 16?",
"what drove the rise in CPI last week?", "explain the change in revenue in June vs May"), and so
do anomaly questions ("any anomalies in installs this year?") and forecasts ("what will installs
be next week?", "spend forecast for July by media source").

The tool owns its words (``tools/explain_change.py: CHANGE_WORDS``); this module adds what only
the planner read: the metric, the period and a period it is compared with, the values that
filter both. No period: the last seven complete days (against the seven before them).
"""
from __future__ import annotations

import datetime as dt
import math

from app.engine.planning.offline.confidence import plan_confidence
from app.engine.planning.offline.horizon import future_period
from app.engine.planning.offline.shape import value_filters_to_filters
from app.engine.planning.plan import ToolCallPlan
from app.engine.tools.detect_anomalies import ANOMALY_WORDS
from app.engine.tools.explain_change import CHANGE_NOUNS, CHANGE_WORDS
from app.engine.tools.forecast import FORECAST_WORDS, FUTURE_WORDS
from semantic_layer import METRIC_TIME

DEFAULT_DAYS = 7
FORECAST_DAYS = 14  # a forecast question that names no period


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
                 groupings=()) -> ToolCallPlan | None:
    """An ``explain_change`` call for a why-did-it-change question about one metric, a
    ``detect_anomalies`` call for an are-there-anomalies question, a ``forecast`` call for a
    what-will-it-be question, else None."""
    forecast = route_forecast(reading, choice, model, as_of, groupings, unavailable)
    if forecast is not None:
        return forecast
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


def route_forecast(reading, choice, model, as_of: dt.date, groupings=(),
                   unavailable: dict[str, str] | None = None) -> ToolCallPlan | None:
    """A ``forecast`` call: a forecast word ("forecast", "projected"), or a future word ("what will
    ... be", "expected") with a future period; one metric; the period read by ``horizon``."""
    strong = list(FORECAST_WORDS.finditer(reading.folded))
    weak = list(FUTURE_WORDS.finditer(reading.folded))
    period = future_period(reading.folded, as_of)
    # "predicted LTV of June installs" is no forecast: a weak word needs a period plainly ahead
    asked = strong or (weak and period is not None and not period.named_ahead)
    if not asked or len(choice.names) != 1 or "forecast" in (unavailable or {}):
        return None
    grain = "week" if reading.time.grain == "week" else "day"
    start, days = (period.start, period.days) if period is not None else (as_of, FORECAST_DAYS)
    arguments = {"metric": choice.names[0], "start": start.isoformat(),
                 "horizon": math.ceil(days / 7) if grain == "week" else days}
    if grain == "week":
        arguments["grain"] = "week"
    split = [g for g in groupings if g.dimension != METRIC_TIME]
    if split:
        arguments["dimensions"] = [split[0].dimension]
    filters = value_filters_to_filters(reading.value_filters, model)
    if filters:
        arguments["filters"] = [f.model_dump(mode="json") for f in filters]
    reading.consume(*(m.span() for m in strong + weak), *choice.spans, *(g.span for g in split[:1]),
                    *(period.spans if period is not None else ()))
    confidence = min(0.9, plan_confidence("lexical", reading.leftover_words(),
                                          guessed=len(reading.guessed_values)))
    return ToolCallPlan(tool="forecast", arguments=arguments, confidence=confidence,
                        rationale=f"offline: forecast of {choice.names[0]} -> forecast")
