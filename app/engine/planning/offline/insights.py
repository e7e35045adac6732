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
import re

from app.engine.planning.offline.confidence import plan_confidence
from app.engine.planning.offline.horizon import future_period
from app.engine.planning.offline.shape import value_filters_to_filters
from app.engine.planning.plan import ToolCallPlan
from app.engine.tools.detect_anomalies import ANOMALY_WORDS, default_range
from app.engine.tools.explain_change import CHANGE_NOUNS, CHANGE_WORDS
from app.engine.tools.forecast import FORECAST_WORDS, FUTURE_WORDS
from semantic_layer import METRIC_TIME

DEFAULT_DAYS = 7
# "why?", "why did that happen?", "what caused it?", "explain the first one" after a list of anomalies
WHY_FOLLOWUP = re.compile(r"\b(?:why|how\s+come|what\s+(?:caused|causes|happened|drove|explains|is\s+behind|"
                          r"was\s+behind)|explain\w*|reasons?|causes?|root\s+cause|drivers?)\b")
WHICH_ANOMALY = re.compile(r"\b(?P<first>first|earliest)\b|\b(?P<last>last|latest|most\s+recent)\b|"
                           r"\b(?P<biggest>biggest|largest|worst|main|strongest)\b")
FOLLOWUP_WORDS = 8
REFERENCES = ("one", "it", "that", "this", "those", "them")
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
                 groupings=(), previous_plans=()) -> ToolCallPlan | None:
    """An ``explain_change`` call for a why-did-it-change question about one metric (or for "why?"
    after a list of anomalies), a ``detect_anomalies`` call for an are-there-anomalies question, a
    ``forecast`` call for a what-will-it-be question, else None."""
    why = route_anomaly_followup(reading, choice, previous_plans, as_of, unavailable)
    if why is not None:
        return why
    forecast = route_forecast(reading, choice, model, as_of, groupings, unavailable)
    if forecast is not None:
        return forecast
    anomalies = route_anomalies(reading, choice, model, unavailable, groupings)
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


def route_anomalies(reading, choice, model, unavailable: dict[str, str] | None = None,
                    groupings=()) -> ToolCallPlan | None:
    words = list(ANOMALY_WORDS.finditer(reading.folded))
    if not words or len(choice.names) != 1 or "detect_anomalies" in (unavailable or {}):
        return None
    arguments = {"metric": choice.names[0]}
    if reading.time.range is not None:
        arguments.update(start=reading.time.range.start.isoformat(), end=reading.time.range.end.isoformat())
    if reading.time.grain in ("week", "month"):
        arguments["grain"] = reading.time.grain
    split = [g for g in groupings if g.dimension != METRIC_TIME]
    if split:  # "anomalies in installs by country": each country's series
        arguments["dimensions"] = [split[0].dimension]
    filters = value_filters_to_filters(reading.value_filters, model)
    if filters:
        arguments["filters"] = [f.model_dump(mode="json") for f in filters]
    reading.consume(*(m.span() for m in words), *choice.spans, *(g.span for g in split[:1]))
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


def route_anomaly_followup(reading, choice, previous_plans, as_of: dt.date,
                           unavailable: dict[str, str] | None = None) -> ToolCallPlan | None:
    """"why?" right after a ``detect_anomalies`` answer: ``explain_change`` of its biggest anomaly
    (or the first / last one asked for), over the same metric, range, grain, filters and split."""
    previous = previous_plans[-1] if previous_plans else None
    if not (isinstance(previous, ToolCallPlan) and previous.tool == "detect_anomalies"):
        return None
    asked = previous.arguments
    words = list(WHY_FOLLOWUP.finditer(reading.folded))
    if (not words or "explain_change" in (unavailable or {}) or reading.time.range is not None
            or len(reading.folded.split()) > FOLLOWUP_WORDS
            or set(choice.names) - {asked.get("metric")}):
        return None
    start, end = default_range(*(dt.date.fromisoformat(asked[k]) if asked.get(k) else None
                                 for k in ("start", "end")), as_of)
    which = WHICH_ANOMALY.search(reading.folded)
    anomaly = {"which": which.lastgroup if which else "biggest", "grain": asked.get("grain", "day")}
    if asked.get("dimensions"):
        anomaly["dimensions"] = asked["dimensions"]
    arguments = {"metric": asked["metric"], "current_start": start.isoformat(),
                 "current_end": end.isoformat(), "anomaly": anomaly}
    if asked.get("filters"):
        arguments["filters"] = asked["filters"]
    reading.consume(*(m.span() for m in words), *(m.span() for m in CHANGE_WORDS.finditer(reading.folded)),
                    *((which.span(),) if which else ()), *choice.spans)
    leftover = [w for w in reading.leftover_words() if w not in REFERENCES]
    confidence = min(0.9, plan_confidence("lexical", leftover, guessed=len(reading.guessed_values)))
    return ToolCallPlan(tool="explain_change", arguments=arguments, confidence=confidence,
                        rationale=f"offline: why? after anomalies of {asked['metric']} -> explain_change")
