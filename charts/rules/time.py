"""Rules for results with a time column: lines, areas, and bars for few periods."""
from __future__ import annotations

from dataclasses import replace

from charts.rules.common import MAX_STACKED_PERIODS, bar_orientation, chart, series_note, table
from charts.shape import Shape
from charts.types import ChartChoice

MIN_LINE_PERIODS = 3


def _single_series(shape: Shape, intent: str) -> ChartChoice | None:
    time, measure = shape.time, shape.measures[0]
    if intent == "rank":
        kind = bar_orientation(time.longest_label, time.distinct)
        ranked = chart(kind, shape, f"periods ranked by {measure.name}, sorted by value")
        return replace(ranked, order="value") if ranked else None
    if time.distinct < MIN_LINE_PERIODS:
        return chart("bar", shape, f"only {time.distinct} periods: bars compare them better than a line")
    if intent == "share":
        return chart("area", shape, f"{measure.name} accumulating over {time.distinct} periods")
    return chart("line", shape, f"{measure.name} over time ({time.distinct} periods)")


def _series_by_category(shape: Shape, intent: str) -> ChartChoice | None:
    time, measure, label = shape.time, shape.measures[0], shape.label
    if intent == "share" and not measure.has_negative:
        kind = "stacked_bar" if time.distinct <= MAX_STACKED_PERIODS else "area"
        note = series_note(label.distinct, measure.unit)
        return chart(kind, shape, f"each {label.name}'s part of {measure.name} over time{note}")
    if time.distinct < MIN_LINE_PERIODS:
        return chart("grouped_bar", shape, f"only {time.distinct} periods per {label.name}: grouped bars")
    return chart("multi_line", shape, f"{measure.name} over time, one line per {label.name}"
                                      f"{series_note(label.distinct, measure.unit)}")


def _several_measures(shape: Shape, intent: str) -> ChartChoice | None:
    names = " and ".join(m.name for m in shape.measures)
    if len(shape.units()) == 1:
        if intent == "share" and not any(m.has_negative for m in shape.measures):
            return chart("area", shape, f"{names} stacked over time")
        return chart("multi_line", shape, f"{names} over time on one axis")
    if len(shape.measures) == 2:
        return chart("multi_line", shape, f"{names} over time, each on its own axis (different units)")
    return table(f"{len(shape.measures)} measures in different units do not share a time axis")


def lines_for_time_series(shape: Shape, intent: str) -> ChartChoice | None:
    if not shape.times:
        return None
    if len(shape.times) > 1:
        return table("two time columns (a cohort grid) fit no single chart")
    if len(shape.labels) > 1 or (shape.labels and len(shape.measures) > 1):
        return table("time with several categories or measures at once fits no single chart")
    if shape.labels:
        return _series_by_category(shape, intent)
    return _single_series(shape, intent) if len(shape.measures) == 1 else _several_measures(shape, intent)
