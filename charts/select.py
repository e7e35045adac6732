"""Choose the chart a good analyst would pick: an ordered tuple of small rules.

Each rule looks at the result's shape and the question's intent and returns
a :class:`ChartChoice` or None; the first answer wins, and ``table`` is the
fallback.  Rules only pick the type and say why; :mod:`charts.encode`
decides which column goes where, the same way for user overrides.
"""
from __future__ import annotations

from charts.rules.basic import (
    histogram_for_distribution,
    kpi_for_single_value,
    pie_for_single_row_parts,
    scatter_for_two_measures,
    table_for_empty,
    table_for_listing,
    table_for_single_row,
    table_without_measure,
)
from charts.rules.categories import (
    bars_for_categories,
    bars_for_measures,
    bars_for_two_categories,
    pie_for_few_parts,
)
from charts.rules.common import Rule, table
from charts.rules.time import lines_for_time_series
from charts.shape import Shape
from charts.types import ChartChoice

RULES: tuple[Rule, ...] = (
    table_for_empty,
    table_for_listing,
    kpi_for_single_value,
    pie_for_single_row_parts,
    table_for_single_row,
    table_without_measure,
    histogram_for_distribution,
    scatter_for_two_measures,
    lines_for_time_series,
    pie_for_few_parts,
    bars_for_two_categories,
    bars_for_measures,
    bars_for_categories,
)


def select_chart(shape: Shape, intent: str) -> ChartChoice:
    for rule in RULES:
        choice = rule(shape, intent)
        if choice is not None:
            return choice
    return table("the result's shape fits no chart")
