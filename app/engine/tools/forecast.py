"""``forecast``: a metric's next days (weeks), with prediction intervals and a backtest error.

Routed by the offline planner's insights router ("what will installs be next week?", "spend
forecast for July by media source", "forecast revenue for the next 14 days", "projected DAU next
month"; ``planning/offline/insights.py`` reads the period); offered to the LLM with the schema
below. The series is read through the semantic layer (``insights/forecast_series.py``), the model
is ``insights/forecast.py`` (ETS chosen by AICc, backtested against a seasonal-naive forecast).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field

from app.engine.insights.forecast import DAILY_SEASON, ForecastRefused, forecast_series, minimum_history
from app.engine.insights.forecast_answer import (
    SegmentForecast,
    forecast_chart,
    forecast_narrative,
    forecast_result,
)
from app.engine.insights.forecast_series import (
    additive,
    bucket_after,
    bucket_start,
    check_forecastable,
    read_series,
    top_segments,
)
from app.engine.insights.wording import metric_words, unit_of
from app.engine.tools.base import Tool, ToolArgs, ToolContext, ToolError, ToolOutcome, ToolQuestion
from app.engine.tools.insights import semantic_context, split_dimension
from semantic_layer import Filter

# Words that ask for a forecast on their own ("forecast", "projection") and words that do only
# with a future period ("what will installs be next week", "expected revenue in July").
FORECAST_WORDS = re.compile(r"\b(?:forecast\w*|projection\w*|projected|outlook)\b")
FUTURE_WORDS = re.compile(r"\b(?:what\s+will|how\s+(?:much|many)\b.*?\bwill|will\s+\w+(?:\s+\w+)?\s+be|"
                          r"going\s+to\s+be|expect\w*|predict\w*|estimated?|anticipated?)\b")
MAX_HORIZON = {"day": 366, "week": 104, "month": 24}
SEASON = {"day": DAILY_SEASON, "week": None, "month": None}


class ForecastArgs(ToolArgs):
    """A forecast of a metric's next days (or weeks): per period the forecast value and a prediction
    interval (low, high), from an exponential-smoothing model with a weekly season chosen on the
    history; the answer reports the model's backtest error (MAPE on held-out weeks) next to a
    seasonal-naive forecast's. Optionally per value of one dimension."""

    metric: str = Field(min_length=1, description="A metric name from the catalog.")
    horizon: int = Field(14, gt=0, le=366, description="How many periods (days, or weeks with grain=week) "
                         "to forecast from start.")
    start: dt.date | None = Field(None, description="First day forecast; default today ('next week': its "
                                  "Monday, horizon 7).")
    grain: Literal["day", "week", "month"] = "day"
    dimensions: list[str] = Field(default_factory=list, max_length=1,
                                  description="Forecast each value of this one dimension separately.")
    filters: list[Filter] = Field(default_factory=list, description="Restrict the series (platform = iOS).")
    level: float = Field(0.8, ge=0.5, le=0.99, description="Coverage of the prediction interval.")
    limit: int = Field(6, gt=0, le=12, description="Most segments forecast when split by a dimension.")


class Forecast(Tool):
    name = "forecast"
    description = ForecastArgs.__doc__
    arguments = ForecastArgs
    priority = 50

    def route(self, question: ToolQuestion) -> None:
        return None  # routed by planning/offline/insights.py, which knows the metric and the period

    def run(self, arguments: ForecastArgs, context: ToolContext) -> ToolOutcome:
        model, query = semantic_context(context, self.name)
        grain, metric = arguments.grain, arguments.metric
        words, unit = metric_words(model, metric), unit_of(model, metric)
        if arguments.horizon > MAX_HORIZON[grain]:
            raise ToolError("forecast_refused", f"a {grain}ly forecast reaches at most {MAX_HORIZON[grain]} "
                            f"{grain}s ahead")
        last_day = context.as_of - dt.timedelta(days=1)  # today is not complete
        start = bucket_start(max(arguments.start or context.as_of, context.as_of), grain)
        dimension = split_dimension(model, metric, arguments.dimensions)
        try:
            check_forecastable(model, metric)
            segments, total = ([None], 1) if dimension is None else top_segments(
                query, metric, dimension, arguments.filters, last_day, arguments.limit)
            if not segments:
                raise ForecastRefused(f"no value of {dimension} has {words} in the last four weeks")
            found, skipped = [], []
            for segment in segments:
                filters = list(arguments.filters) + ([Filter(dimension=dimension, values=(segment,))]
                                                     if dimension is not None else [])
                try:
                    found.append(self._one(query, model, metric, grain, filters, last_day, start,
                                           arguments, segment))
                except ForecastRefused as exc:
                    if dimension is None:
                        raise
                    skipped.append(f"{segment} ({exc})")
            if not found:
                raise ForecastRefused("no " + dimension + " value can be forecast: " + "; ".join(skipped))
        except ForecastRefused as exc:
            raise ToolError("forecast_refused", f"{words} cannot be forecast: {exc}") from None
        summable = additive(model, metric)[1]
        called = arguments.model_dump(mode="json", exclude_defaults=True)
        called.update(start=found[0].dates[0].isoformat(), horizon=arguments.horizon)
        first = found[0].forecast
        summary = (f"{len(found) * arguments.horizon} forecast rows; backtest MAPE "
                   f"{_pct(first.backtest.mape)} vs seasonal-naive {_pct(first.backtest.naive_mape)}")
        return ToolOutcome(
            result=forecast_result(found, dimension), arguments=called, summary=summary,
            narrative=forecast_narrative(found, words, unit, grain, summable, dimension, skipped,
                                         total - len(segments)),
            chart=forecast_chart(found, words, grain, arguments.level))

    @staticmethod
    def _one(query, model, metric, grain, filters, last_day, start, arguments, segment) -> SegmentForecast:
        series = read_series(query, model, metric, grain, filters, last_day, label=segment)
        if segment is not None:
            series.notes = [f"{segment}: {note}" for note in series.notes]
        ahead = 0
        step = bucket_after(series.last, grain)
        while step < start:
            step, ahead = bucket_after(step, grain), ahead + 1
        steps = arguments.horizon
        needed = max(minimum_history(steps + ahead, SEASON[grain]), 2 * (steps + ahead))
        if len(series.values) < needed:
            since = series.starts[0]
            raise ForecastRefused(
                f"{len(series.values)} {grain}s of history (since {since}); forecasting {steps + ahead} "
                f"{grain}s ahead needs at least {needed} (twice the distance ahead, and enough to fit the "
                f"model on and test it on held-out {grain}s)")
        forecast = forecast_series(series.values, steps, SEASON[grain], arguments.level, ahead=ahead)
        dates = [bucket_after(start, grain, i) for i in range(steps)]
        return SegmentForecast(series, forecast, dates)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


TOOL = Forecast()
