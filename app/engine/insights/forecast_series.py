"""The history a forecast is fit on, read through the semantic layer: one series per segment, at
the grain asked, complete buckets only, gaps settled.

- Days without rows are 0 for a sum or a count (nothing happened), interpolated for other
  metrics (a ratio has no value on a day without its denominator) when few, else refused.
- A run of zeros at the end of a series that had none in the four weeks before is read as data
  not complete yet (retention of the last week's installs, a warehouse loaded up to a few days
  ago), not as a collapse: the history ends before it, and the answer says so.
- Weeks and months are kept only when the data cover them whole.
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.engine.insights.forecast import ForecastRefused
from app.engine.insights.shapes import NotDecomposable, _measures, metric_shape
from semantic_layer import METRIC_TIME, Filter, OrderBy, SemanticModel, SemanticQuery
from warehouse.base import Result

HISTORY_DAYS = {"day": 365, "week": 3 * 364, "month": 5 * 365}
MAX_INTERPOLATED = 0.1  # of a non-additive series' days
MAX_STALE_DAYS = 35  # trailing days without data a forecast may bridge
QUIET_BEFORE = 28  # days before a trailing zero run that must have data for the run to be "incomplete"

Query = Callable[[SemanticQuery], Result]


@dataclass
class Series:
    label: str | None  # the segment's value (None: the whole metric)
    starts: list[dt.date]  # bucket start dates
    values: np.ndarray
    notes: list[str] = field(default_factory=list)

    @property
    def last(self) -> dt.date:
        return self.starts[-1]


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def bucket_start(day: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1) if grain == "month" else day


def bucket_after(start: dt.date, grain: str, count: int = 1) -> dt.date:
    if grain == "day":
        return start + dt.timedelta(days=count)
    if grain == "week":
        return start + dt.timedelta(weeks=count)
    month = start.month - 1 + count
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def bucket_end(start: dt.date, grain: str) -> dt.date:
    if grain == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return bucket_after(start, grain) - dt.timedelta(days=1)


def additive(model: SemanticModel, metric: str) -> tuple[bool, bool]:
    """(a missing day is 0, the horizon's total is the sum of its days) for the metric."""
    try:
        shape = metric_shape(model, metric)
    except NotDecomposable:
        return False, False
    return shape.kind == "additive", shape.kind == "additive" and shape.exact


def check_forecastable(model: SemanticModel, metric: str) -> None:
    found = model.metric(metric)
    if found is None:
        raise ForecastRefused(f"unknown metric {metric!r}")
    if not all(model.measures[m][1].agg_time_dimension for m in _measures(model, metric)):
        raise ForecastRefused(f"{metric} has no dates (it is a snapshot), so it has no history to "
                              "forecast from")


def _rows(query: Query, semantic: SemanticQuery) -> list[tuple]:
    result = query(semantic)
    if result.truncated:
        raise ForecastRefused("the history has more rows than a query may return; ask for a coarser grain "
                              "or fewer segments")
    return result.rows


def first_day(query: Query, metric: str, filters: Sequence[Filter], start: dt.date,
              end: dt.date) -> dt.date | None:
    rows = _rows(query, SemanticQuery(metrics=(metric,), dimensions=(METRIC_TIME,), grain="day",
                                      filters=tuple(filters), time_range=(start, end),
                                      order_by=(OrderBy(field=METRIC_TIME, direction="asc"),), limit=1))
    return _day(rows[0][0]) if rows else None


def top_segments(query: Query, metric: str, dimension: str, filters: Sequence[Filter], end: dt.date,
                 limit: int) -> tuple[list[str], int]:
    """The segments with the most of the metric over the last four weeks (their number in all)."""
    rows = _rows(query, SemanticQuery(metrics=(metric,), dimensions=(dimension,), filters=tuple(filters),
                                      time_range=(end - dt.timedelta(days=27), end),
                                      order_by=(OrderBy(field=metric, direction="desc"),)))
    named = [row[0] for row in rows if row[0] is not None and row[1] is not None]
    return named[:limit], len(named)


def read_series(query: Query, model: SemanticModel, metric: str, grain: str, filters: Sequence[Filter],
                last_day: dt.date, label: str | None = None) -> Series:
    """The metric's series up to ``last_day`` (the last complete day), at ``grain``."""
    zero_fill, _ = additive(model, metric)
    begin = last_day - dt.timedelta(days=HISTORY_DAYS[grain] - 1)
    first = first_day(query, metric, filters, begin, last_day)
    if first is None:
        raise ForecastRefused("there is no data to forecast from")
    if bucket_start(first, grain) != first:  # whole weeks and months only
        first = bucket_after(bucket_start(first, grain), grain)
    rows = _rows(query, SemanticQuery(metrics=(metric,), dimensions=(METRIC_TIME,), grain=grain,
                                      filters=tuple(filters), time_range=(first, last_day)))
    found = {_day(row[0]): row[1] for row in rows}
    starts, start = [], first
    while bucket_end(start, grain) <= last_day:
        starts.append(start)
        start = bucket_after(start, grain)
    if not starts:
        raise ForecastRefused(f"the data cover no whole {grain}")
    values = np.array([np.nan if found.get(s) is None else float(found[s]) for s in starts])
    series = Series(label, starts, values)
    _settle_gaps(series, zero_fill, grain)
    _cut_incomplete_end(series, grain)
    return series


def _settle_gaps(series: Series, zero_fill: bool, grain: str) -> None:
    missing = np.isnan(series.values)
    if not missing.any():
        return
    if zero_fill:
        series.values = np.where(missing, 0.0, series.values)
        return
    if missing.mean() > MAX_INTERPOLATED:
        raise ForecastRefused(f"{missing.sum()} of {len(missing)} {grain}s have no value")
    known = np.flatnonzero(~missing)
    series.values = np.interp(np.arange(len(missing)), known, series.values[known])
    series.notes.append(f"{missing.sum()} {grain}(s) without a value were interpolated")


def _cut_incomplete_end(series: Series, grain: str) -> None:
    values = series.values
    nonzero = np.flatnonzero(values != 0)
    if not len(nonzero):
        raise ForecastRefused("the series is 0 throughout")
    last = int(nonzero[-1])
    run = len(values) - 1 - last
    quiet = QUIET_BEFORE if grain == "day" else 4
    if run < 2 or np.any(values[max(0, last - quiet + 1): last + 1] == 0):
        return
    if grain == "day" and run > MAX_STALE_DAYS:
        raise ForecastRefused(f"the data end on {series.starts[last]}, {run} days before the last complete "
                              "day: too long ago to forecast from")
    series.notes.append(f"the last {run} {grain}s ({series.starts[last + 1]} to {series.starts[-1]}) are 0, "
                        "unlike any before them: read as not complete yet and left out of the history")
    series.starts, series.values = series.starts[: last + 1], values[: last + 1]
