"""Rules for results whose rows are categories: pies, bars and grouped or stacked bars."""
from __future__ import annotations

from dataclasses import replace

from charts.intent import sums_to_whole
from charts.profile import ORDINAL
from charts.rules.basic import correlation_text
from charts.rules.common import (
    MAX_BAR_CATEGORIES,
    MAX_GROUPED_MEASURES,
    MAX_SELECTED_PIE_PARTS,
    MAX_SERIES,
    MIN_SCATTER_ROWS,
    adds_up,
    bar_orientation,
    chart,
    series_note,
    table,
)
from charts.shape import Shape
from charts.types import ChartChoice

MAX_GROUPS = 30
MAX_GROUPED_SERIES = 6
MAX_ORDINAL_BARS = 12        # a longer ordered sequence (day 0..30, hour 0..23) reads as a line
MAX_STACKED_SERIES = 20


def _one_category_one_measure(shape: Shape) -> bool:
    return len(shape.labels) == 1 and len(shape.measures) == 1 and not shape.times


def _parts_of_a_whole(shape: Shape) -> bool:
    """Counts and spend add up to a total; a rate (CPI, ROAS) only when its values are already shares."""
    measure = shape.measures[0]
    return not measure.has_negative and (adds_up(measure.name, measure.unit) or sums_to_whole(shape))


def pie_for_few_parts(shape: Shape, intent: str) -> ChartChoice | None:
    if intent != "share" or not _one_category_one_measure(shape):
        return None
    label = shape.label
    if label.distinct > MAX_SELECTED_PIE_PARTS or not _parts_of_a_whole(shape):
        return None
    return chart("pie", shape, f"{label.distinct} parts of a whole: each {label.name}'s share")


def bars_for_two_categories(shape: Shape, intent: str) -> ChartChoice | None:
    if len(shape.labels) < 2 or len(shape.measures) != 1 or shape.times:
        return None
    if len(shape.labels) > 2:
        return table(f"{len(shape.labels)} category columns fit no single chart")
    x, series = sorted(shape.labels, key=lambda c: -c.distinct)
    if x.role == ORDINAL and x.distinct > MAX_ORDINAL_BARS and series.distinct <= MAX_SERIES:
        return chart("multi_line", shape,
                     f"{shape.measures[0].name} along {x.name}, one line per {series.name}")
    if x.distinct > MAX_GROUPS or series.distinct > MAX_STACKED_SERIES:
        return table(f"{x.distinct} x {series.distinct} combinations are too many to chart")
    measure = shape.measures[0].name
    if intent == "share" or series.distinct > MAX_GROUPED_SERIES:
        note = series_note(series.distinct, shape.measures[0].unit)
        return chart("stacked_bar", shape, f"{measure} by {x.name}, stacked by {series.name}{note}")
    return chart("grouped_bar", shape, f"{measure} by {x.name}, compared across {series.name}")


def bars_for_measures(shape: Shape, intent: str) -> ChartChoice | None:
    if len(shape.labels) != 1 or len(shape.measures) < 2 or shape.times:
        return None
    label, count = shape.label, len(shape.measures)
    same_unit = len(shape.units()) == 1
    if same_unit and count <= MAX_GROUPED_MEASURES and label.distinct <= MAX_GROUPS:
        if intent == "share":
            return chart("stacked_bar", shape,
                         f"{count} measures in the same unit stacked for each {label.name}")
        return chart("grouped_bar", shape,
                     f"{count} measures in the same unit side by side for each {label.name}")
    if count == 2 and shape.rows >= MIN_SCATTER_ROWS:
        x, y = shape.measures
        return chart("scatter", shape, f"{y.name} against {x.name}, one point per {label.name}"
                                       f"{correlation_text(shape)}")
    return table(f"{count} measures per {label.name} read best as a table")


def _bars_reason(shape: Shape, intent: str, kind: str) -> str:
    label, measure = shape.label, shape.measures[0]
    if intent == "share" and measure.has_negative:
        head = f"negative values are not parts of a whole, so bars of {measure.name}"
    elif intent == "share" and not _parts_of_a_whole(shape):
        head = f"{measure.name} does not add up to a whole, so sorted bars"
    elif intent == "share":
        head = f"{label.distinct} parts are too many for a pie, so {measure.name} as sorted bars"
    elif intent == "rank":
        head = f"{label.name} ranked by {measure.name}, sorted by value"
    else:
        head = f"{measure.name} compared across {label.distinct} {label.name} values, sorted by value"
    return head + (" (horizontal: the labels are too long or too many to fit under vertical bars)"
                   if kind == "horizontal_bar" else "")


def bars_for_categories(shape: Shape, intent: str) -> ChartChoice | None:
    if not _one_category_one_measure(shape):
        return None
    label = shape.label
    if label.distinct > MAX_BAR_CATEGORIES:
        return table(f"{label.distinct} {label.name} values are too many to read as bars")
    if label.role == ORDINAL and label.distinct > MAX_ORDINAL_BARS and intent != "rank":
        return chart("line", shape, f"{shape.measures[0].name} along {label.distinct} {label.name} steps")
    if label.role == ORDINAL and intent != "rank":
        return chart("bar", shape, f"{shape.measures[0].name} in {label.name} order")
    kind = bar_orientation(label.longest_label, label.distinct)
    bars = chart(kind, shape, _bars_reason(shape, intent, kind))
    return replace(bars, order="value") if bars is not None else None
