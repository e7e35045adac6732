"""The questions a warm start rehearses (#19), in the model's own words: one per shape the offline
planner reads and the compiler builds by different code -- a total, a breakdown by a dimension, a
time series, a ratio ranked by a dimension, and a top N of a ratio with a value filter.

One rehearsed question left each other shape's first use to the first caller asking it: the
planner's ranking, limit and filter readers compile their patterns and fill their memos then, a
ratio metric takes the compiler's ratio path, a time grain its bucket, a filter its literal. The
questions are built from the model (its first simple and first ratio metric, the categorical
dimensions of the table holding each, a value of another dimension the planner knows), so any
model gets its own; each shape lists a few candidates, the first the planner can plan is answered.
"""
from __future__ import annotations

from collections.abc import Mapping

SHAPES = ("breakdown", "total", "time series", "ratio ranking", "top n with a filter")
CANDIDATES = 3  # per shape: each candidate the planner cannot plan costs a planning (~10 ms)


def said(name: str) -> str:
    return name.replace("_", " ")


def rehearsal_questions(model, known_values: Mapping[str, set[str]] | None = None) -> dict[str, list[str]]:
    """Candidate questions by shape (``SHAPES``, breakdown first: the warm-up request sends the first
    one answered); a shape the model cannot express (no ratio metric) has none.
    ``known_values``: the values the planner recognises, by dimension (its value index)."""
    simple = _first_metric(model, "simple")
    if simple is None:
        return {}
    ratio = _first_metric(model, "ratio")
    groups = _categorical_dimensions(model, simple)
    shapes = {
        "breakdown": [f"{said(simple.name)} by {said(d)} last week" for d in groups],
        "total": [f"{said(simple.name)} last week"],
        "time series": [f"{said(simple.name)} by day last month", f"daily {said(simple.name)} last month"],
    }
    if ratio is not None:
        ranked = _categorical_dimensions(model, ratio)
        shapes["ratio ranking"] = [f"which {said(d)} has the highest {said(ratio.name)}" for d in ranked]
        shapes["top n with a filter"] = [
            f"top 5 {said(d)} by {said(ratio.name)} for {value} last month"
            for d, value in _filtered_groups(ranked, known_values or {})]
    return {shape: questions[:CANDIDATES] for shape, questions in shapes.items() if questions}


def _first_metric(model, kind: str):
    return next((m for m in model.metrics.values() if m.type == kind and not m.filter), None)


def _categorical_dimensions(model, metric) -> list[str]:
    """The categorical dimensions ``metric`` can be grouped by: those the table holding its measure
    (a ratio: its numerator's) reaches, itself or through its joins, in the model's order."""
    if metric.type == "ratio":
        metric = model.metrics.get(metric.type_params.numerator)
    held = model.measures.get(metric.type_params.measure) if metric is not None else None
    if held is None:
        return []
    table = held[0].name
    return [name for name, d in model.dimensions.items()
            if d.type == "categorical" and model.resolve_dimension(table, name) is not None]


def _filtered_groups(dimensions: list[str], known_values: Mapping[str, set[str]]) -> list[tuple[str, str]]:
    """(a dimension to group by, a value of another one to filter on): the shortest word-like value,
    so that the planner reads it as a value and nothing else."""
    pairs = []
    for filtered in dimensions:
        values = sorted((v for v in known_values.get(filtered, ()) if v.isalpha() and len(v) >= 3),
                        key=lambda v: (len(v), v))
        grouped = next((d for d in dimensions if d != filtered), None)
        if values and grouped is not None:
            pairs.append((grouped, values[0]))
    return pairs
