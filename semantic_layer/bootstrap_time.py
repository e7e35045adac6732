"""Which time column dates a table's rows, for ``asklytics model init`` (bootstrap.py).

An events export has an "Attributed Touch Time", an "Install Time" and an "Event Time"; its
measures (event counts, revenue) are dated by the event, not by the first time column found.
Nothing here knows a vendor: the rules look at names, then at the data, in this order --

1. a column whose name shares a word with the table's ("events" -> "Event Time", "installs" ->
   "Install Time", "orders" -> "order_date"; plurals and "-ed" forms count as the word);
2. a usual name for when a row happened (``created_at``, ``timestamp``, ``date``, ``event_time``, ...);
3. the column with the most distinct values, then the one with the latest value.

Several columns kept by a rule are decided by the next ones; the table's column order settles
what remains. The reason is written next to the choice in the YAML, so a person can change it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# said of a time, not of what happened, or too small to say anything: never the shared word
_NOT_SHARED = frozenset({"time", "date", "datetime", "timestamp", "utc", "local", "day", "hour", "week",
                         "month", "year", "the", "and", "for", "per", "from", "with"})
# rule 2, most usual first (snake_case names)
ROW_TIME_NAMES = (
    "created_at", "created_on", "created", "creation_date", "creation_time", "timestamp", "ts", "date",
    "day", "event_time", "event_timestamp", "event_date", "datetime", "time", "occurred_at", "recorded_at",
    "logged_at",
)


@dataclass(frozen=True)
class RowTime:
    column: str
    reason: str


def row_time_column(
    table: str, columns: Sequence[str], stats: Callable[[Sequence[str]], dict[str, tuple[int, object]]]
) -> RowTime | None:
    """The column of ``columns`` (the table's time columns, in table order) that dates its rows;
    ``stats`` gives {column: (distinct values, latest value)} and is called only for rule 3."""
    if not columns:
        return None
    if len(columns) == 1:
        return RowTime(columns[0], "the table's only date/time column")
    kept, reasons = list(columns), []
    table_words = _words(table)
    sharing = {c: sorted(_words(c) & table_words) for c in kept if _words(c) & table_words}
    if sharing:
        kept = [c for c in kept if c in sharing]
        shared = "', '".join(sorted({w for c in kept for w in sharing[c]}))
        reasons.append(f"its name shares '{shared}' with the table's name")
        if len(kept) == 1:
            return RowTime(kept[0], reasons[0])
    usual = [c for c in kept if _snake(c) in ROW_TIME_NAMES]
    if usual:
        best = min(usual, key=lambda c: ROW_TIME_NAMES.index(_snake(c)))
        reasons.append(f"'{_snake(best)}' is a usual name for when a row happened")
        return RowTime(best, "; ".join(reasons))
    counted = stats(kept)
    best = max(kept, key=lambda c: (counted.get(c, (0, None))[0], _comparable(counted.get(c, (0, None))[1])))
    distinct = counted.get(best, (0, None))[0]
    ties = [c for c in kept if counted.get(c, (0, None))[0] == distinct]
    if len(ties) == 1:
        reasons.append(f"it has the most distinct values ({distinct:,}) of {_those(reasons)}")
    else:
        reasons.append(f"it has the latest values of {_those(reasons)} with {distinct:,} distinct values")
    return RowTime(best, "; ".join(reasons))


def _those(reasons: list[str]) -> str:
    return "those columns" if reasons else "the table's date/time columns"


def _words(name: str) -> set[str]:
    return {_stem(w) for w in _snake(name).split("_")
            if len(w) > 2 and w not in _NOT_SHARED and not w.isdigit()}


def _stem(word: str) -> str:
    """One form for 'event'/'events', 'order'/'orders'/'ordered', 'category'/'categories'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _comparable(value: object) -> float:
    """A date, timestamp (with or without zone) or None as one number, latest highest."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return (value - dt.datetime(1970, 1, 1)).total_seconds()
    if isinstance(value, dt.date):
        return (dt.datetime.combine(value, dt.time()) - dt.datetime(1970, 1, 1)).total_seconds()
    return float("-inf")
