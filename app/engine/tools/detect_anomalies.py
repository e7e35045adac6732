"""``detect_anomalies``: the unusual points of a metric's series, with what was expected.

Routed by the offline planner's insights router ("any anomalies in installs this year?",
"unusual days in revenue in Q2"); offered to the LLM with the schema below. The series is read
through the semantic layer with eight weeks before the range, so the weekly pattern is known
from the first day asked about (``app.engine.insights.anomalies``).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import Field

from app.engine.insights.anomalies import score_series
from app.engine.insights.wording import amount, metric_words, unit_of
from app.engine.tools.base import Tool, ToolArgs, ToolContext, ToolError, ToolOutcome, ToolQuestion
from app.engine.tools.insights import semantic_context
from semantic_layer import METRIC_TIME, Filter, SemanticQuery
from warehouse.base import Column, Result

ANOMALY_WORDS = re.compile(r"\b(?:anomal\w*|unusual|outliers?|abnormal|out\s+of\s+the\s+ordinary|"
                           r"weird\s+days?|odd\s+days?|spikes?\s+(?:or|and)\s+(?:drops?|dips?))\b")
HISTORY = dt.timedelta(weeks=8)
DEFAULT_DAYS = 90


class DetectAnomaliesArgs(ToolArgs):
    """The unusual points of a metric's series (seasonality-aware: the weekly pattern of daily
    data is expected): each anomaly with its actual value, the expected value, the band of
    normal values (low, high) and whether it is a spike or a drop."""

    metric: str = Field(min_length=1, description="A metric name from the catalog.")
    start: dt.date | None = Field(None, description="First day looked at; default 90 days before today.")
    end: dt.date | None = Field(None, description="Last day looked at (inclusive); default yesterday.")
    grain: Literal["day", "week", "month"] = "day"
    filters: list[Filter] = Field(default_factory=list, description="Restrict the series (platform = iOS).")


def _series(context_query, arguments: DetectAnomaliesArgs, start: dt.date, end: dt.date) -> list[tuple]:
    query = SemanticQuery(metrics=(arguments.metric,), dimensions=(METRIC_TIME,), grain=arguments.grain,
                          filters=tuple(arguments.filters), time_range=(start - HISTORY, end))
    rows = context_query(query).rows
    return sorted((row[0], float(row[1])) for row in rows if row[1] is not None)


def _day(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _chart(shown, words: str) -> dict[str, Any]:
    days = [str(_day(d)) for d, _ in shown]
    points = [p for _, p in shown]
    marked = [(day, p) for day, p in zip(days, points) if p.anomalous]
    figure = {"data": [
        {"type": "scatter", "mode": "lines", "name": "expected high", "x": days,
         "y": [p.high for p in points], "line": {"width": 0}, "showlegend": False},
        {"type": "scatter", "mode": "lines", "name": "normal range", "x": days, "y": [p.low for p in points],
         "fill": "tonexty", "line": {"width": 0}, "fillcolor": "rgba(120,120,120,0.2)"},
        {"type": "scatter", "mode": "lines", "name": words, "x": days, "y": [p.actual for p in points]},
        {"type": "scatter", "mode": "markers", "name": "anomaly", "x": [d for d, _ in marked],
         "y": [p.actual for _, p in marked], "marker": {"size": 10, "color": "#c62828"}},
    ], "layout": {"title": {"text": f"Anomalies in {words}"}, "xaxis": {"title": {"text": "date"}}}}
    return {"type": "line", "reason": "the series with its normal range, anomalies marked", "figure": figure}


class DetectAnomalies(Tool):
    name = "detect_anomalies"
    description = DetectAnomaliesArgs.__doc__
    arguments = DetectAnomaliesArgs
    priority = 50

    def route(self, question: ToolQuestion) -> None:
        return None  # routed by planning/offline/insights.py, which knows the metric asked about

    def run(self, arguments: DetectAnomaliesArgs, context: ToolContext) -> ToolOutcome:
        model, query = semantic_context(context, self.name)
        if model.metric(arguments.metric) is None:
            raise ToolError("unknown_metric", f"unknown metric {arguments.metric!r}")
        end = arguments.end or context.as_of - dt.timedelta(days=1)
        start = arguments.start or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise ToolError("invalid_arguments", f"the range starts ({start}) after it ends ({end})")
        series = _series(query, arguments, start, end)
        points = score_series([v for _, v in series], seasonal=arguments.grain == "day")
        shown = [(series[p.index][0], p) for p in points if _day(series[p.index][0]) >= start]
        anomalies = [(d, p) for d, p in shown if p.anomalous]
        words, unit = metric_words(model, arguments.metric), unit_of(model, arguments.metric)
        columns = [Column("date", "DATE"), Column("actual", "DOUBLE"), Column("expected", "DOUBLE"),
                   Column("low", "DOUBLE"), Column("high", "DOUBLE"), Column("direction", "VARCHAR")]
        rows = [(_day(d), p.actual, p.expected, p.low, p.high, p.direction) for d, p in anomalies]
        narrative = _narrative(anomalies, words, unit, start, end, bool(points))
        called = arguments.model_dump(mode="json", exclude_defaults=True)
        called.update(start=start.isoformat(), end=end.isoformat())
        chart = _chart(shown, words) if shown else None
        return ToolOutcome(result=Result(columns=columns, rows=rows), arguments=called,
                           summary=f"{len(rows)} anomal{'y' if len(rows) == 1 else 'ies'}",
                           narrative=narrative, chart=chart)


def _narrative(anomalies, words: str, unit: str | None, start: dt.date, end: dt.date, scored: bool) -> str:
    if not scored:
        return f"There are too few points of {words} from {start} to {end} to tell what is unusual."
    if not anomalies:
        return f"No unusual {words} from {start} to {end}: every point is within its expected range."
    parts = [f"{_day(d)} ({amount(p.actual, unit)}, expected about {amount(p.expected, unit)}: "
             f"a {p.direction})" for d, p in anomalies[:5]]
    more = f", and {len(anomalies) - 5} more" if len(anomalies) > 5 else ""
    return (f"{len(anomalies)} unusual point{'s' if len(anomalies) != 1 else ''} of {words} from {start} to "
            f"{end}: {'; '.join(parts)}{more}. Ask \"why did {words} change on <date>?\" to explain one.")


TOOL = DetectAnomalies()
