"""Why did a metric change? Query it per segment in both periods and decompose the change.

``explain_change(model, run, metric, current, baseline)`` asks the semantic layer (through
``run``: the executor's own path, so access policies and the guard apply) for the metric's
inputs per value of each dimension it reaches, in both periods; the best single dimensions are
then crossed in pairs. The report holds every candidate ranked (``decompose.ranked``).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.engine.insights.decompose import Explanation, additive_segments, explain, ranked, ratio_segments
from app.engine.insights.periods import Period
from app.engine.insights.shapes import MAX_VALUES, MetricShape, metric_shape, segment_dimensions
from common.errors import AsklyticsError
from semantic_layer import Filter, SemanticModel, SemanticQuery
from warehouse.base import Result

PAIRED = 4  # the best single dimensions crossed in pairs
Run = Callable[[SemanticQuery], Result]


@dataclass(frozen=True)
class ChangeReport:
    metric: str
    shape: MetricShape
    current: Period
    baseline: Period
    before: float | None
    after: float | None
    explanations: tuple[Explanation, ...]  # best first

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def best(self) -> Explanation | None:
        return self.explanations[0] if self.explanations else None


def _number(value) -> float:
    return float(value) if value is not None else 0.0


def _amounts(result: Result, width: int) -> dict[tuple, tuple[float, ...]]:
    return {tuple(row[:width]): tuple(_number(v) for v in row[width:]) for row in result.rows}


class _Reader:
    def __init__(self, run: Run, shape: MetricShape, filters: Sequence[Filter]):
        self.run, self.shape, self.filters = run, shape, tuple(filters)

    def read(self, dimensions: tuple[str, ...], period: Period) -> dict[tuple, tuple[float, ...]]:
        query = SemanticQuery(metrics=self.shape.inputs, dimensions=dimensions, filters=self.filters,
                              time_range=period.as_range())
        return _amounts(self.run(query), len(dimensions))

    def totals(self, period: Period) -> tuple[float, ...]:
        found = self.read((), period)
        return next(iter(found.values()), (0.0,) * len(self.shape.inputs))


def _candidate(reader: _Reader, dimensions: tuple[str, ...], periods: tuple[Period, Period],
               totals: tuple[tuple[float, ...], ...]) -> Explanation | None:
    try:
        before, after = (reader.read(dimensions, p) for p in periods)
    except AsklyticsError as exc:
        # a dimension the caller may not see, or one of a table not built yet (RFM segments before
        # `asklytics score`), is not a candidate
        if exc.code in ("access_denied", "semantic_table_missing"):
            return None
        raise
    if len(set(before) | set(after)) > MAX_VALUES or not (before or after):
        return None
    shape = reader.shape
    if shape.kind == "ratio":
        segments = ratio_segments(dimensions, before, after, totals, shape.exact)
    else:
        segments = additive_segments(dimensions, {k: v[0] for k, v in before.items()},
                                     {k: v[0] for k, v in after.items()}, (totals[0][0], totals[1][0]),
                                     shape.exact)
    return explain(dimensions, segments)


def _value(shape: MetricShape, totals: tuple[float, ...]) -> float | None:
    if shape.kind == "ratio":
        return totals[0] / totals[1] if totals[1] else None
    return totals[0]


def explain_change(model: SemanticModel, run: Run, metric: str, current: Period, baseline: Period,
                   filters: Sequence[Filter] = (), dimensions: tuple[str, ...] = ()) -> ChangeReport:
    shape = metric_shape(model, metric)
    reader = _Reader(run, shape, filters)
    totals = (reader.totals(baseline), reader.totals(current))
    before, after = _value(shape, totals[0]), _value(shape, totals[1])
    report = ChangeReport(metric, shape, current, baseline, before, after, ())
    if before is None or after is None or before == after:
        return report
    periods = (baseline, current)
    found = [e for d in segment_dimensions(model, shape, dimensions)
             if (e := _candidate(reader, (d,), periods, totals)) is not None]
    singles = [e.dimensions[0] for e in ranked(found)[:PAIRED]]
    for pair in itertools.combinations(singles, 2):
        candidate = _candidate(reader, pair, periods, totals)
        if candidate is not None:
            found.append(candidate)
    return ChangeReport(metric, shape, current, baseline, before, after, tuple(ranked(found)))
