"""Arrange profiled columns into the ordered points and series a figure draws.

Sorting is part of the chart's meaning: time ascending, ordered categories
in their natural order, other categories by value (largest first) unless
the query already returned them ranked.  Series beyond the cap become the
top series plus "Other" (summed only when the measure adds up).
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from charts.profile import ORDINAL, TEMPORAL, ColumnProfile
from charts.roles import natural_order_key
from charts.rules.common import MAX_SERIES, is_additive

OTHER = "Other"


@dataclass(frozen=True)
class SeriesSet:
    xs: list[Any]
    series: dict[str, list[float | None]]  # name -> values aligned to xs, in drawing order


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def axis_key(column: ColumnProfile):
    """A sort key giving the x column's natural order, or None when it has none."""
    if column.role == TEMPORAL:
        return lambda v: (v is None, v or "")
    if column.role != ORDINAL:
        return None
    if all(_number(str(v)) is not None for v in column.present):
        return lambda v: _number(str(v))
    return lambda v: (natural_order_key(str(v)) is None, natural_order_key(str(v)) or 0, str(v))


def _is_ranked(values: list[float | None]) -> bool:
    present = [v for v in values if v is not None]
    pairs = list(itertools.pairwise(present))
    return all(a >= b for a, b in pairs) or all(a <= b for a, b in pairs)


def combine(values: list[float | None], unit: str | None) -> float | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present) if is_additive(unit) or len(present) == 1 else present[0]


def points(x: ColumnProfile, y: ColumnProfile, order: str | None) -> tuple[list[Any], list[float | None]]:
    """One value per x, ordered by the axis or by value."""
    if x.distinct == len(x.values):  # one row per x, the usual case: nothing to combine
        xs, ys = list(x.values), list(y.values)
    else:
        grouped: dict[Any, list[float | None]] = defaultdict(list)
        for xv, yv in zip(x.values, y.values):
            grouped[xv].append(yv)
        xs = list(grouped)
        ys = [combine(grouped[k], y.unit) for k in xs]
    key = axis_key(x)
    if order == "axis" or (order is None and key is not None):
        pairs = sorted(zip(xs, ys), key=lambda p: key(p[0])) if key else list(zip(xs, ys))
    elif _is_ranked(ys) and len(xs) == len(x.values):
        pairs = list(zip(xs, ys))
    else:
        pairs = sorted(zip(xs, ys), key=lambda p: (p[1] is None, -(p[1] or 0.0)))
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _x_order(x: ColumnProfile, totals: dict[Any, float]) -> list[Any]:
    key = axis_key(x)
    if key is not None:
        return sorted(totals, key=key)
    return sorted(totals, key=lambda k: -totals[k])


def _top_series(cells: dict[str, dict[Any, float | None]],
                unit: str | None) -> dict[str, dict[Any, float | None]]:
    ranked = sorted(cells, key=lambda s: (-sum(abs(v) for v in cells[s].values() if v is not None), s))
    if len(ranked) <= MAX_SERIES:
        return {name: cells[name] for name in ranked}
    kept = {name: cells[name] for name in ranked[: MAX_SERIES - 1]}
    if is_additive(unit):
        rest: dict[Any, list[float | None]] = defaultdict(list)
        for name in ranked[MAX_SERIES - 1:]:
            for xv, value in cells[name].items():
                rest[xv].append(value)
        kept[OTHER] = {xv: combine(values, unit) for xv, values in rest.items()}
    return kept


def pivot(x: ColumnProfile, series: ColumnProfile, y: ColumnProfile) -> SeriesSet:
    """Values of ``y`` for each (x, series) pair, capped to the top series."""
    grouped: dict[str, dict[Any, list[float | None]]] = defaultdict(lambda: defaultdict(list))
    for xv, sv, yv in zip(x.values, series.values, y.values):
        if xv is not None:
            grouped[str(sv)][xv].append(yv)
    cells = {s: {xv: combine(vs, y.unit) for xv, vs in by_x.items()} for s, by_x in grouped.items()}
    cells = _top_series(cells, y.unit)
    totals: dict[Any, float] = defaultdict(float)
    for by_x in cells.values():
        for xv, value in by_x.items():
            totals[xv] += value or 0.0
    xs = _x_order(x, totals)
    return SeriesSet(xs, {name: [by_x.get(xv) for xv in xs] for name, by_x in cells.items()})


def measures_as_series(x: ColumnProfile, measures: list[ColumnProfile]) -> SeriesSet:
    """Each measure a series over the shared x."""
    by_measure = {m.name: points(x, m, "axis" if axis_key(x) else None) for m in measures}
    xs = by_measure[measures[0].name][0]
    aligned = {}
    for name, (mx, my) in by_measure.items():
        lookup = dict(zip(mx, my))
        aligned[name] = [lookup.get(xv) for xv in xs]
    return SeriesSet(xs, aligned)
