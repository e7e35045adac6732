"""``detect_anomalies``: the unusual points of a metric's series, with what was expected.

Routed by the offline planner's insights router ("any anomalies in installs this year?",
"unusual days in revenue in Q2"); offered to the LLM with the schema below. The series is read
through the semantic layer with eight weeks before the range, so the weekly pattern is known
from the first day asked about (``app.engine.insights.anomalies``).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from app.engine.insights.anomalies import Point, score_series
from app.engine.insights.shapes import NotDecomposable, metric_shape
from app.engine.insights.wording import amount, metric_words, unit_of
from app.engine.tools.base import Tool, ToolArgs, ToolContext, ToolError, ToolOutcome, ToolQuestion
from app.engine.tools.insights import semantic_context, split_dimension
from semantic_layer import METRIC_TIME, Filter, OrderBy, SemanticQuery
from warehouse.base import Column, Result

ANOMALY_WORDS = re.compile(r"\b(?:anomal\w*|unusual|outliers?|abnormal|out\s+of\s+the\s+ordinary|"
                           r"weird\s+days?|odd\s+days?|spikes?\s+(?:or|and)\s+(?:drops?|dips?))\b")
HISTORY = dt.timedelta(weeks=8)
DEFAULT_DAYS = 90
MAX_SEGMENTS = 10
# A segment whose series is 0 on more than this share of its points (few events a day: a fraud rate of
# a small source) has no spread to measure: it is not scored, and the answer says so.
MAX_ZERO_SHARE = 0.2
# A segment with less than this share of the metric (of its denominator, for a ratio) over the range is
# too small to tell: its day-to-day noise is large against its level, and flagging it floods the answer
# (chosen on the tuning incidents, docs/insights.md: precision 18% -> 30%, recall unchanged).
MIN_SEGMENT_SHARE = 0.05
# A segment's point is an anomaly only when it moves the total by at least this share of the total's
# expected value that day (a ratio's segment: its deviation times its share of the denominator): many
# segment series are looked at, and a small one's ordinary extremes (a source's weekend budget) pass
# its own band without mattering to the total (docs/insights.md, "Materiality").
MIN_TOTAL_IMPACT = 0.05
# A sparse segment's count (fraud installs of a small source) is scored as a Poisson count at its rate over
# the points before it (``_counted_points``), flagged past this tail probability: many points of many
# series are tested (181 days x 10-20 series), so the level is about 0.05 over 5,000 tests (Bonferroni).
COUNT_ALPHA = 1e-5
COUNT_HISTORY = 28


class DetectAnomaliesArgs(ToolArgs):
    """The unusual points of a metric's series (seasonality-aware: the weekly pattern of daily
    data is expected): each anomaly with its actual value, the expected value, the band of
    normal values (low, high) and whether it is a spike or a drop; with a dimension, the series
    of each of its largest values is looked at separately (anomalies per segment)."""

    metric: str = Field(min_length=1, description="A metric name from the catalog.")
    start: dt.date | None = Field(None, description="First day looked at; default 90 days before today.")
    end: dt.date | None = Field(None, description="Last day looked at (inclusive); default yesterday.")
    grain: Literal["day", "week", "month"] = "day"
    dimensions: list[str] = Field(default_factory=list, max_length=1,
                                  description="Look at each value of this one dimension separately.")
    filters: list[Filter] = Field(default_factory=list, description="Restrict the series (platform = iOS).")
    limit: int = Field(MAX_SEGMENTS, gt=0, le=25, description="Most segments looked at with a dimension.")


@dataclass(frozen=True)
class Found:
    """One series' points in the range (``shown``) and its anomalies; ``segment`` None: the total."""

    segment: str | None
    shown: list[tuple[Any, Point]]
    sparse: bool = False  # too many zeros to score (segments only)

    @property
    def anomalies(self) -> list[tuple[Any, Point]]:
        return [(d, p) for d, p in self.shown if p.anomalous]


@dataclass(frozen=True)
class Detection:
    start: dt.date
    end: dt.date
    dimension: str | None
    series: list[Found]
    small: int = 0  # segments too small to look at (under MIN_SEGMENT_SHARE, or past the limit)

    def anomalies(self) -> list[tuple[str | None, dt.date, Point]]:
        """Every anomaly as (segment, day, point), in date order."""
        found = [(f.segment, _day(d), p) for f in self.series for d, p in f.anomalies]
        return sorted(found, key=lambda a: (a[1], str(a[0])))


def default_range(start: dt.date | None, end: dt.date | None, as_of: dt.date) -> tuple[dt.date, dt.date]:
    end = end or as_of - dt.timedelta(days=1)
    return start or end - dt.timedelta(days=DEFAULT_DAYS - 1), end


def _series(context_query, metric: str, grain: str, filters, start: dt.date, end: dt.date) -> list[tuple]:
    query = SemanticQuery(metrics=(metric,), dimensions=(METRIC_TIME,), grain=grain,
                          filters=tuple(filters), time_range=(start - HISTORY, end))
    rows = context_query(query).rows
    return sorted((row[0], float(row[1])) for row in rows if row[1] is not None)


def _weight_metric(model, metric: str) -> str:
    """What a segment's size is measured in: the metric, or a ratio's denominator."""
    try:
        shape = metric_shape(model, metric)
    except NotDecomposable:
        return metric
    return shape.denominator if shape.kind == "ratio" else metric


def _segments(model, context_query, metric: str, dimension: str, filters, start: dt.date, end: dt.date,
              limit: int) -> tuple[dict[str, float], int]:
    """The largest values (at least MIN_SEGMENT_SHARE of the amount, at most ``limit``) with their share
    of it, and how many smaller ones are left out."""
    weight = _weight_metric(model, metric)
    query = SemanticQuery(metrics=(weight,), dimensions=(dimension,), filters=tuple(filters),
                          time_range=(start, end), order_by=(OrderBy(field=weight, direction="desc"),))
    rows = [(row[0], float(row[1])) for row in context_query(query).rows if row[0] is not None and row[1]]
    total = sum(abs(amount) for _, amount in rows)
    shares = {value: abs(amount) / total for value, amount in rows if total}
    large = {value: share for value, share in shares.items() if share >= MIN_SEGMENT_SHARE}
    large = dict(list(large.items())[:limit])
    return large, len(rows) - len(large)


def _total_material(context_query, arguments: DetectAnomaliesArgs, start: dt.date,
                    end: dt.date) -> dict[dt.date, float]:
    """Per day, MIN_TOTAL_IMPACT of the total's expected value: how far a segment must move the total."""
    series = _series(context_query, arguments.metric, arguments.grain, arguments.filters, start, end)
    points = score_series([v for _, v in series], seasonal=arguments.grain == "day")
    return {_day(series[p.index][0]): MIN_TOTAL_IMPACT * abs(p.expected) for p in points}


def _least_widths(series: list[tuple], material: dict[dt.date, float], weight: float) -> list[float]:
    """A segment's least band half-width per point: the material move of the total, in the segment's
    units (a ratio's segment moves the total by its deviation times ``weight``, its denominator share)."""
    return [material.get(_day(day), 0.0) / weight for day, _ in series]


def _counted(model, metric: str) -> tuple[str, str | None] | None:
    """(count, denominator or None) when the metric is a count of rows or a ratio of one to something:
    its numerator is then a Poisson count, whatever its series looks like."""
    try:
        shape = metric_shape(model, metric)
    except NotDecomposable:
        return None
    numerator = shape.metric if shape.kind == "additive" else shape.numerator
    definition = model.metric(numerator)
    if definition is None or definition.type != "simple" or not definition.type_params.measure:
        return None
    _, measure = model.measure(definition.type_params.measure)
    if measure.agg != "count" or measure.rollup is not None:
        return None
    return numerator, shape.denominator if shape.kind == "ratio" else None


def _counted_points(model, context_query, metric: str, grain: str, filters, start: dt.date, end: dt.date,
                    series: list[tuple], least: list[float] | None) -> list[Point] | None:
    """A sparse segment series (mostly zeros: a small source's fraud installs), scored by its count: a
    point is a spike when that many rows are past ``COUNT_ALPHA`` under a Poisson count at the series' own
    rate over the ``COUNT_HISTORY`` points before it (a ratio's count: at that rate of its denominator that
    day). STL has no spread to measure here, and skipping them missed a source's fraud going from about
    none to a dozen a day. Drops of a sparse count are not told from its zeros (low is 0). None: the
    metric is not a count or a ratio of one (nothing to score by)."""
    counted = _counted(model, metric)
    if counted is None or not series:
        return None
    from scipy.stats import poisson  # loaded on the first sparse segment, not at start-up

    numerator, denominator = counted
    counts = dict(_series(context_query, numerator, grain, filters, start, end))
    sizes = dict(_series(context_query, denominator, grain, filters, start, end)) if denominator else {}
    points = []
    for i, (day, value) in enumerate(series):
        d = sizes.get(day, 0.0) if denominator else 1.0
        before = series[max(0, i - COUNT_HISTORY):i]
        seen = sum(counts.get(b, 0.0) for b, _ in before)
        exposure = sum(sizes.get(b, 0.0) for b, _ in before) if denominator else float(len(before))
        if len(before) < COUNT_HISTORY // 2 or exposure <= 0 or d <= 0:
            points.append(Point(i, value, value, value, value))  # no history to go by: never flagged
            continue
        expected = (seen + 0.5) / exposure * d  # half a count: a series with none yet has a small rate
        high = float(poisson.isf(COUNT_ALPHA, expected))
        scale = d if denominator else 1.0
        width = max(high - expected, 0.0) / scale
        if least is not None:
            width = max(width, least[i])
        points.append(Point(i, value, expected / scale, 0.0, expected / scale + width))
    return points


def _day(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def detect(model, context_query, arguments: DetectAnomaliesArgs, as_of: dt.date) -> Detection:
    """The anomalies asked about: of the total, or of each of the dimension's largest values."""
    if model.metric(arguments.metric) is None:
        raise ToolError("unknown_metric", f"unknown metric {arguments.metric!r}")
    start, end = default_range(arguments.start, arguments.end, as_of)
    if start > end:
        raise ToolError("invalid_arguments", f"the range starts ({start}) after it ends ({end})")
    dimension = split_dimension(model, arguments.metric, arguments.dimensions)
    segments: dict[str | None, float] = {None: 1.0}
    small, material = 0, {}
    if dimension is not None:
        segments, small = _segments(model, context_query, arguments.metric, dimension, arguments.filters,
                                    start, end, arguments.limit)
        material = _total_material(context_query, arguments, start, end)
        if _weight_metric(model, arguments.metric) == arguments.metric:  # additive: moves the total 1:1
            segments = dict.fromkeys(segments, 1.0)
    found = []
    for segment, weight in segments.items():
        filters = list(arguments.filters) + ([Filter(dimension=dimension, values=(segment,))]
                                             if segment is not None else [])
        series = _series(context_query, arguments.metric, arguments.grain, filters, start, end)
        values = [v for _, v in series]
        least = _least_widths(series, material, weight) if segment is not None else None
        if segment is not None and (not values or sum(v == 0 for v in values) > MAX_ZERO_SHARE * len(values)):
            points = _counted_points(model, context_query, arguments.metric, arguments.grain, filters, start,
                                     end, series, least)
            if points is None:
                found.append(Found(segment, [], sparse=True))
                continue
        else:
            points = score_series(values, seasonal=arguments.grain == "day", min_width=least)
        shown = [(series[p.index][0], p) for p in points if _day(series[p.index][0]) >= start]
        found.append(Found(segment, shown))
    return Detection(start, end, dimension, found, small)


def _chart(detection: Detection, words: str) -> dict[str, Any]:
    data = []
    for found in (f for f in detection.series if not f.sparse):
        days = [str(_day(d)) for d, _ in found.shown]
        points = [p for _, p in found.shown]
        marked = [(str(_day(d)), p) for d, p in found.anomalies]
        name = found.segment or words
        if detection.dimension is None:
            data += [
                {"type": "scatter", "mode": "lines", "name": "expected high", "x": days,
                 "y": [p.high for p in points], "line": {"width": 0}, "showlegend": False},
                {"type": "scatter", "mode": "lines", "name": "normal range", "x": days,
                 "y": [p.low for p in points], "fill": "tonexty", "line": {"width": 0},
                 "fillcolor": "rgba(120,120,120,0.2)"},
            ]
        data += [
            {"type": "scatter", "mode": "lines", "name": name, "x": days, "y": [p.actual for p in points]},
            {"type": "scatter", "mode": "markers", "x": [d for d, _ in marked],
             "y": [p.actual for _, p in marked],
             "name": f"anomaly ({name})" if detection.dimension else "anomaly",
             "marker": {"size": 10, "color": "#c62828"}},
        ]
    by = f" by {detection.dimension}" if detection.dimension else ""
    figure = {"data": data, "layout": {"title": {"text": f"Anomalies in {words}{by}"},
                                       "xaxis": {"title": {"text": "date"}}}}
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
        detection = detect(model, query, arguments, context.as_of)
        words, unit = metric_words(model, arguments.metric), unit_of(model, arguments.metric)
        columns = [Column("date", "DATE"), Column("actual", "DOUBLE"), Column("expected", "DOUBLE"),
                   Column("low", "DOUBLE"), Column("high", "DOUBLE"), Column("direction", "VARCHAR")]
        anomalies = detection.anomalies()
        rows = [(d, p.actual, p.expected, p.low, p.high, p.direction) for _, d, p in anomalies]
        if detection.dimension is not None:
            columns.insert(0, Column(detection.dimension, "VARCHAR"))
            rows = [(segment, *row) for (segment, _, _), row in zip(anomalies, rows)]
        narrative = _narrative(detection, words, unit)
        called = arguments.model_dump(mode="json", exclude_defaults=True)
        called.update(start=detection.start.isoformat(), end=detection.end.isoformat())
        chart = _chart(detection, words) if any(f.shown for f in detection.series) else None
        return ToolOutcome(result=Result(columns=columns, rows=rows), arguments=called,
                           summary=f"{len(rows)} anomal{'y' if len(rows) == 1 else 'ies'}",
                           narrative=narrative, chart=chart)


def _narrative(detection: Detection, words: str, unit: str | None) -> str:
    start, end = detection.start, detection.end
    anomalies = detection.anomalies()
    scored = [f for f in detection.series if not f.sparse]
    sparse = [str(f.segment) for f in detection.series if f.sparse]
    where = f" (each of {len(scored)} {detection.dimension} values)" if detection.dimension else ""
    skipped = (f" Not looked at, too few points that are not 0: {', '.join(sparse)}." if sparse else "")
    if detection.small:
        skipped += (f" {detection.small} smaller {detection.dimension} value(s) (under "
                    f"{MIN_SEGMENT_SHARE:.0%} of the total each, or past the first {len(detection.series)}) "
                    "were not looked at.")
    if not any(f.shown for f in detection.series):
        return f"There are too few points of {words} from {start} to {end} to tell what is unusual."
    if not anomalies:
        return (f"No unusual {words}{where} from {start} to {end}: every point is within its expected "
                f"range.{skipped}")
    parts = [f"{day}{f' {segment}' if segment is not None else ''} ({amount(p.actual, unit)}, expected about "
             f"{amount(p.expected, unit)}: a {p.direction})" for segment, day, p in anomalies[:5]]
    more = f", and {len(anomalies) - 5} more" if len(anomalies) > 5 else ""
    return (f"{len(anomalies)} unusual point{'s' if len(anomalies) != 1 else ''} of {words}{where} from "
            f"{start} to {end}: {'; '.join(parts)}{more}. Ask \"why?\" to explain the biggest, or \"why did "
            f"{words} change on {anomalies[0][1]:%B} {anomalies[0][1].day}?\" for one of them.{skipped}")


TOOL = DetectAnomalies()
