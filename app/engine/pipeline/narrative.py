"""The deterministic narrative: key numbers stated from the result rows only.

Used offline, and as the fallback when an LLM summary cites a number the rows
do not hold. Every figure in the text comes from a row.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from charts.formatting import display_name


@dataclass(frozen=True)
class NarrativeInput:
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    units: Mapping[str, str]
    time_range: tuple[str, str] | None = None
    previous_value: float | None = None
    truncated: bool = False  # rows were left out
    truncation: tuple[str, ...] = ()  # why: max_rows / max_result_bytes, and max_cell_bytes for cut values
    is_prediction: bool = False
    scope: str = ""  # what population or shape was computed ("Users who installed in March.")


def format_value(value: Any, unit: str | None) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value)
    if unit == "USD":
        return f"${value:,.0f}" if abs(value) >= 10_000 else f"${value:,.2f}"
    if unit == "ratio":
        return f"{value:.2%}"
    if unit == "%":
        return f"{value:.2f}%"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.4g}"


def describe(data: NarrativeInput) -> str:
    """A short Markdown summary of the result."""
    period = _period(data.time_range)
    if not data.rows:
        return f"No data matched this question{period}."
    numeric = [i for i, _ in enumerate(data.columns) if _is_numeric_column(data.rows, i)]
    text = _choose_text(data, numeric, period)
    text = f"{data.scope} {text}" if data.scope else text
    text += _truncation_note(data)
    if data.is_prediction:
        text = "**Prediction.** " + text
    return text


def _truncation_note(data: NarrativeInput) -> str:
    note = ""
    if data.truncated and "max_result_bytes" in data.truncation:
        note += f" Showing the first {len(data.rows):,} rows: the full result is larger than the size limit."
    elif data.truncated:
        note += f" Showing the first {len(data.rows):,} rows (the result was truncated)."
    if "max_cell_bytes" in data.truncation:
        note += " Some long values were cut short."
    return note


def _choose_text(data: NarrativeInput, numeric: list[int], period: str) -> str:
    if len(data.rows) == 1 and len(numeric) == len(data.columns):
        return _single_row(data, numeric, period)
    if numeric and _is_temporal_column(data.rows, 0) and len(data.rows) == 1:  # "the best day": one bucket
        row, metric = data.rows[0], numeric[-1]
        shown = _fmt(data, metric, row[metric])
        return f"**{display_name(data.columns[metric])}**: **{shown}** on {_d(row[0])}."
    if numeric and _is_temporal_column(data.rows, 0):
        return _time_series(data, numeric[-1], period)
    labels = [i for i in range(len(data.columns)) if i not in numeric]
    if numeric and labels:
        return _ranking(data, labels[0], numeric[0], period)
    return f"{len(data.rows):,} rows{period}."


def _single_row(data: NarrativeInput, numeric: list[int], period: str) -> str:
    parts = [f"**{display_name(data.columns[i])}**: **{_fmt(data, i, data.rows[0][i])}**" for i in numeric]
    text = "; ".join(parts) + f"{period}."
    if data.previous_value is not None and len(numeric) == 1:
        text += " " + _delta(data, numeric[0], data.rows[0][numeric[0]], data.previous_value)
    return text


def _delta(data: NarrativeInput, index: int, current: Any, previous: float) -> str:
    shown = _fmt(data, index, previous)
    if not isinstance(current, (int, float)) or previous == 0:
        return f"The previous period had {shown}."
    change = (float(current) - previous) / abs(previous)
    word = "up" if change > 0 else "down" if change < 0 else "unchanged"
    return f"That is {word} {abs(change):.1%} from {shown} in the previous period."


def _time_series(data: NarrativeInput, metric: int, period: str) -> str:
    name = display_name(data.columns[metric])
    series = [(r[0], r[metric]) for r in data.rows if isinstance(r[metric], (int, float))]
    if not series:
        return f"{len(data.rows):,} time buckets{period}."
    (first_t, first_v), (last_t, last_v) = series[0], series[-1]
    peak_t, peak_v = max(series, key=lambda p: p[1])
    low_t, low_v = min(series, key=lambda p: p[1])
    fmt = lambda v: _fmt(data, metric, v)
    text = (f"**{name}**{period} went from {fmt(first_v)} ({_d(first_t)}) to {fmt(last_v)} ({_d(last_t)}). "
            f"Highest: {fmt(peak_v)} ({_d(peak_t)}); lowest: {fmt(low_v)} ({_d(low_t)}).")
    if len(data.columns) > 2 and not _is_numeric_column(data.rows, 1):
        text += f" {len({r[1] for r in data.rows}):,} series by {display_name(data.columns[1]).lower()}."
    return text


def _ranking(data: NarrativeInput, label: int, metric: int, period: str) -> str:
    name = display_name(data.columns[metric])
    top = [r for r in data.rows if r[metric] is not None][:3]
    if not top:
        return f"{len(data.rows):,} rows{period}."
    rank = "top " if len(data.rows) > 1 else ""
    lead = f"**{top[0][label]}** has the {rank}{name}: {_fmt(data, metric, top[0][metric])}"
    rest = ", ".join(f"{r[label]} ({_fmt(data, metric, r[metric])})" for r in top[1:])
    text = f"{lead}{period}" + (f", followed by {rest}" if rest else "") + "."
    if data.units.get(data.columns[metric]) in {"USD", "count"} and len(data.rows) > 1 \
            and not _quotient(data.columns[metric]):
        total = sum(r[metric] for r in data.rows if isinstance(r[metric], (int, float)))
        text += f" Total across the {len(data.rows):,} rows: {_fmt(data, metric, total)}."
    return text


def _fmt(data: NarrativeInput, index: int, value: Any) -> str:
    return format_value(value, data.units.get(data.columns[index]))


def _period(time_range: tuple[str, str] | None) -> str:
    if not time_range:
        return ""
    start, end = time_range
    return f" on {start}" if start == end else f" from {start} to {end}"


def _d(value: Any) -> str:
    return value.isoformat()[:10] if isinstance(value, (dt.date, dt.datetime)) else str(value)


def _is_numeric_column(rows: Sequence[Sequence[Any]], index: int) -> bool:
    values = [r[index] for r in rows if r[index] is not None]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _is_temporal_column(rows: Sequence[Sequence[Any]], index: int) -> bool:
    values = [r[index] for r in rows if r[index] is not None]
    return bool(values) and all(isinstance(v, (dt.date, dt.datetime)) for v in values)


def cohort_words(model) -> tuple[str, str]:
    """(who joined, the joining event) for the scope sentence, from the model's ``cohort:``
    declaration: ("Users who installed", "install") for an install date, else its members and date
    ("Aircraft with a first flight date", "first flight date")."""
    spec = getattr(getattr(model, "spec", None), "cohort", None)
    if spec is None or "install" in spec.time_dimension:
        return "Users who installed", "install"
    noun = spec.members[0] if spec.members else spec.semantic_model.replace("_", " ")
    date = spec.time_dimension.replace("_", " ")
    return f"{noun[:1].upper()}{noun[1:]} with a {date}", date


def scope_sentence(query: Mapping[str, Any] | None, model=None) -> str:
    """One sentence on what a cohort, share or per-period query computed, from its contract form;
    cohorts in the words of ``model``'s cohort declaration."""
    if not query:
        return ""
    parts = []
    cohort = query.get("cohort")
    joined, event = cohort_words(model)
    if cohort and cohort.get("install_range"):
        start, end = cohort["install_range"]
        parts.append(f"{joined} from {start} to {end}"
                     + (f", by {event} " + cohort["grain"] if cohort.get("grain") else "") + ".")
    elif cohort and cohort.get("grain"):
        members = joined.split(" who ")[0].split(" with ")[0]
        parts.append(f"{members} grouped by {event} {cohort['grain']}.")
    share = query.get("share")
    if share:
        part = " and ".join(share.get("where") or ()) or "each group"
        within = f" within each {', '.join(share['within'])}" if share.get("within") else ""
        parts.append(f"Share of {display_name(share['of']).lower()} ({part}){within}.")
    if query.get("per_period"):
        parts.append(f"Average per {query['per_period']} over the period.")
    if query.get("having"):
        conditions = " and ".join(_readable_condition(c) for c in query["having"])
        groups = " and ".join(_plural(d.partition("__")[2] or query.get("grain") or "period")
                              if d.startswith("metric_time") else _plural(d)
                              for d in query.get("dimensions") or ()) or "groups"
        verb = "Counted" if query.get("count_groups") else "Only"
        parts.append(f"{verb} the {groups} with {conditions}.")
    return " ".join(parts)


def _plural(dimension: str) -> str:
    word = dimension.removesuffix("_name").replace("_", " ")
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy")):
        return word[:-1] + "ies"
    return word if word.endswith("s") else word + "s"


def _readable_condition(condition: str) -> str:
    """ "cost > 1000" -> "cost above 1,000"."""
    words = {">": "above", ">=": "of at least", "<": "below", "<=": "of at most", "=": "equal to",
             "!=": "other than"}
    parts = str(condition).split(" ", 2)
    if len(parts) != 3 or parts[1] not in words:
        return str(condition)
    metric, op, value = parts
    try:
        number = float(value)
        value = f"{number:,.0f}" if number == int(number) and abs(number) >= 1000 else f"{number:g}"
    except ValueError:
        pass
    return f"{display_name(metric).lower()} {words[op]} {value}"


_GRAINS = ("day", "week", "month", "quarter", "year")


def _quotient(column: str) -> bool:
    """ "revenue_per_installs" (one metric divided by another) does not add up across rows; an average
    per period ("installs_per_month") does."""
    _, per, after = column.rpartition("_per_")
    return bool(per) and after not in _GRAINS
