"""The daily history a budget reallocation is fit on, read through the semantic layer: spend, paid
installs and attributed revenue per day and per media source (or campaign), and today's spend
(the average daily spend of the last four weeks).

The history is read in date chunks small enough for the executor's row cap, so a long history over
many campaigns is never cut short silently.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from semantic_layer import METRIC_TIME, Filter, SemanticQuery
from warehouse.base import Result

SPEND, INSTALLS, REVENUE = "cost", "paid_installs", "attributed_revenue"
ROWS_PER_QUERY = 900  # below the executor's smallest row cap

Query = Callable[[SemanticQuery], Result]


class BudgetDataError(ValueError):
    """The warehouse has no history to fit on (nothing spent, an unknown source)."""


@dataclass
class SourceHistory:
    label: str
    spend: np.ndarray  # per day of the history (0: nothing that day)
    installs: np.ndarray
    revenue: np.ndarray
    current_spend: float  # average daily spend over the last ``current_days``
    recent_installs: float = 0.0  # average daily paid installs over the same days
    days: list[dt.date] = field(default_factory=list)


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _rows(query: Query, semantic: SemanticQuery) -> list[tuple]:
    result = query(semantic)
    if result.truncated:
        raise BudgetDataError("the history has more rows than a query may return; ask for fewer days")
    return result.rows


def current_spend(query: Query, dimension: str, filters: Sequence[Filter], end: dt.date,
                  days: int) -> dict[str, tuple[float, float]]:
    """{value: (average daily spend, average daily paid installs)} over the ``days`` up to ``end``."""
    since = end - dt.timedelta(days=days - 1)
    rows = _rows(query, SemanticQuery(metrics=(SPEND, INSTALLS), dimensions=(dimension,),
                                      filters=tuple(filters), time_range=(since, end)))
    return {row[0]: (float(row[1] or 0) / days, float(row[2] or 0) / days)
            for row in rows if row[0] is not None and (row[1] or 0) > 0}


def read_history(query: Query, dimension: str, filters: Sequence[Filter], end: dt.date, history_days: int,
                 current_days: int) -> list[SourceHistory]:
    """One history per value of ``dimension`` that spent in the last ``current_days``."""
    today = current_spend(query, dimension, filters, end, current_days)
    if not today:
        raise BudgetDataError(f"nothing was spent in the {current_days} days to {end}, so there is no budget "
                              "to reallocate")
    start = end - dt.timedelta(days=history_days - 1)
    days = [start + dt.timedelta(days=i) for i in range(history_days)]
    index = {d: i for i, d in enumerate(days)}
    found = {label: np.zeros((3, history_days)) for label in today}
    chunk = max(1, ROWS_PER_QUERY // max(len(today), 1))
    first = start
    while first <= end:
        last = min(end, first + dt.timedelta(days=chunk - 1))
        semantic = SemanticQuery(metrics=(SPEND, INSTALLS, REVENUE), dimensions=(METRIC_TIME, dimension),
                                 grain="day", filters=tuple(filters), time_range=(first, last))
        for row in _rows(query, semantic):
            label, day = row[1], _day(row[0])
            if label in found and day in index:
                found[label][:, index[day]] = [float(v or 0) for v in row[2:5]]
        first = last + dt.timedelta(days=1)
    return [SourceHistory(label, values[0], values[1], values[2], today[label][0], today[label][1], days)
            for label, values in sorted(found.items(), key=lambda kv: -today[kv[0]][0])]
