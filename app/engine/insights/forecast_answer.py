"""A forecast's answer: rows (date, forecast, low, high; the segment first when split), a line chart
of the history with the forecast and its band, and a narrative that gives the backtest error."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.engine.insights.forecast import Forecast
from app.engine.insights.forecast_series import Series, bucket_end
from app.engine.insights.wording import amount
from warehouse.base import Column, Result

SHOWN_HISTORY = {"day": 91, "week": 52, "month": 36}  # points of history drawn before the forecast
_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#393b79", "#637939")


@dataclass
class SegmentForecast:
    series: Series
    forecast: Forecast
    dates: list[dt.date]  # the buckets forecast and shown


def forecast_result(found: list[SegmentForecast], dimension: str | None) -> Result:
    columns = [Column("date", "DATE"), Column("forecast", "DOUBLE"), Column("low", "DOUBLE"),
               Column("high", "DOUBLE")]
    if dimension is not None:
        columns.insert(0, Column(dimension, "VARCHAR"))
    rows = []
    for item in found:
        f = item.forecast
        for i, day in enumerate(item.dates):
            row = (day, _round(f.mean[i]), _round(f.low[i]), _round(f.high[i]))
            rows.append(((item.series.label,) + row) if dimension is not None else row)
    return Result(columns=columns, rows=rows)


def _round(value: float) -> float:
    """Cents for amounts, four decimals for small numbers (rates): a forecast is not more precise."""
    value = float(value)
    return round(value, 2) if abs(value) >= 10 else round(value, 4)


def _rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def forecast_chart(found: list[SegmentForecast], words: str, grain: str, level: float) -> dict[str, Any]:
    data = []
    for n, item in enumerate(found):
        color, name = _COLORS[n % len(_COLORS)], item.series.label or words
        history = slice(-SHOWN_HISTORY[grain], None)
        days, shown = [str(d) for d in item.dates], [str(d) for d in item.series.starts[history]]
        data += [
            {"type": "scatter", "mode": "lines", "name": f"{name} (actual)", "legendgroup": name,
             "x": shown, "y": list(map(float, item.series.values[history])),
             "line": {"color": color}},
            {"type": "scatter", "mode": "lines", "name": f"{name} high", "legendgroup": name,
             "showlegend": False, "x": days, "y": list(map(float, item.forecast.high)), "line": {"width": 0}},
            {"type": "scatter", "mode": "lines", "name": f"{name} {level:.0%} interval", "legendgroup": name,
             "x": days, "y": list(map(float, item.forecast.low)), "line": {"width": 0}, "fill": "tonexty",
             "fillcolor": _rgba(color, 0.18 if len(found) == 1 else 0.1)},
            {"type": "scatter", "mode": "lines", "name": f"{name} (forecast)", "legendgroup": name,
             "x": days, "y": list(map(float, item.forecast.mean)), "line": {"color": color, "dash": "dash"}},
        ]
    figure = {"data": data, "layout": {"title": {"text": f"Forecast of {words}"},
                                       "xaxis": {"title": {"text": "date"}}}}
    return {"type": "line", "reason": "the history, the forecast and its prediction interval",
            "figure": figure}


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _count(value: float, unit: str | None) -> str:
    return amount(round(value) if unit == "count" else value, unit)


def _period(item: SegmentForecast, grain: str) -> str:
    first, last = item.dates[0], bucket_end(item.dates[-1], grain)
    return f"{first}" if first == last else f"{first} to {last}"


def _amount_line(item: SegmentForecast, unit: str | None, summable: bool) -> str:
    f = item.forecast
    if summable:
        return f"about {_count(float(f.mean.sum()), unit)} in total"
    if len(f.mean) == 1:
        return f"about {_count(float(f.mean[0]), unit)} ({_count(float(f.low[0]), unit)} to " \
               f"{_count(float(f.high[0]), unit)})"
    return f"about {_count(float(f.mean.mean()), unit)} on average"


def _backtest_line(f: Forecast, grain: str) -> str:
    b = f.backtest
    verdict = ("better than" if b.mape is not None and b.naive_mape is not None and b.mape < b.naive_mape
               else "no better than")
    naive = "the same weekday a week earlier" if grain == "day" else f"the last {grain}"
    return (f"backtest on the last {b.points} {grain}s held out: MAPE {_percent(b.mape)}, {verdict} "
            f"{_percent(b.naive_mape)} for a seasonal-naive forecast ({naive})")


def forecast_narrative(found: list[SegmentForecast], words: str, unit: str | None, grain: str,
                       summable: bool, dimension: str | None, skipped: list[str], more: int) -> str:
    first = found[0]
    level = f"{first.forecast.level:.0%}"
    if dimension is None:
        f = first.forecast
        text = (f"Forecast of {words} from {_period(first, grain)}: {_amount_line(first, unit, summable)} "
                f"({level} prediction interval per {grain} in the rows). Model: {f.model}, chosen by AICc; "
                f"{_backtest_line(f, grain)}.")
    else:
        parts = [f"{item.series.label}: {_amount_line(item, unit, summable)} (model {item.forecast.model}, "
                 f"backtest MAPE {_percent(item.forecast.backtest.mape)} vs "
                 f"{_percent(item.forecast.backtest.naive_mape)} seasonal-naive)" for item in found]
        text = (f"Forecast of {words} by {dimension} from {_period(first, grain)} ({level} prediction "
                f"intervals per {grain} in the rows): " + "; ".join(parts) + ".")
        if more:
            text += f" {more} smaller {dimension} value(s) are not forecast; ask for one by name."
    notes = [n for item in found for n in item.series.notes]
    if notes:
        text += " Note: " + "; ".join(dict.fromkeys(notes)) + "."
    if skipped:
        text += " Not forecast: " + "; ".join(skipped) + "."
    return text
