"""How a metric decomposes over segments, and the dimensions worth splitting it by.

Additive metrics (sums, counts, distinct counts, and their averages over days) split into
per-segment amounts whose changes add up to the total change. Ratios of two additive metrics
(CPI, ROAS, CVR, retention) split into a numerator and a denominator per segment, from which the
change of the ratio is divided into mix and rate. Anything else (a derived formula, an average of
a column, a max) has no such split and is refused with a reason.
"""
from __future__ import annotations

from dataclasses import dataclass

from semantic_layer import METRIC_TIME, SemanticModel

ADDITIVE_AGGS = frozenset({"sum", "count", "count_distinct"})
# a dimension with more values than this in either period is not a segment a reader can act on
MAX_VALUES = 100


class NotDecomposable(ValueError):
    """The metric has no additive or ratio split; the message says why and what to ask instead."""


@dataclass(frozen=True)
class MetricShape:
    metric: str
    kind: str  # "additive" | "ratio"
    numerator: str | None = None
    denominator: str | None = None
    exact: bool = True  # segments partition the amount exactly (sums and counts, not distinct counts)

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator) if self.kind == "ratio" else (self.metric,)


def _additive(model: SemanticModel, name: str) -> tuple[bool, bool]:
    """(additive, exact) for a simple metric."""
    metric = model.metric(name)
    if metric is None or metric.type != "simple":
        return False, False
    _, measure = model.measure(metric.type_params.measure)
    if measure.agg not in ADDITIVE_AGGS or (measure.rollup is not None and measure.rollup.agg != "average"):
        return False, False
    return True, measure.agg != "count_distinct" and measure.rollup is None


def metric_shape(model: SemanticModel, name: str) -> MetricShape:
    metric = model.metric(name)
    if metric is None:
        raise NotDecomposable(f"unknown metric {name!r}")
    additive, exact = _additive(model, name)
    if additive:
        return MetricShape(name, "additive", exact=exact)
    if metric.type == "ratio":
        numerator, denominator = metric.type_params.numerator, metric.type_params.denominator
        parts = [_additive(model, numerator), _additive(model, denominator)]
        if all(ok for ok, _ in parts):
            return MetricShape(name, "ratio", numerator, denominator, exact=all(e for _, e in parts))
    inputs = ", ".join(metric.inputs()) or "its inputs"
    raise NotDecomposable(
        f"{name} is not a sum, a count or a ratio of two of them, so its change cannot be split by segment; "
        f"ask why {inputs} changed instead")


def _measures(model: SemanticModel, name: str) -> set[str]:
    metric = model.metric(name)
    if metric is None:
        return set()
    if metric.type == "simple":
        return {metric.type_params.measure}
    return set().union(*(_measures(model, m) for m in metric.inputs()))


def _filtered_dimensions(model: SemanticModel, name: str) -> set[str]:
    """Dimensions a metric is defined by (fraud installs: is_fraud = true): splitting by them is circular."""
    metric = model.metric(name)
    if metric is None:
        return set()
    found = {f.dimension for f in metric.filter}
    return found.union(*(_filtered_dimensions(model, m) for m in metric.inputs()))


def _identifiers(model: SemanticModel) -> set[str]:
    """Dimensions that are a table's key (campaign_id): one segment per row is no explanation."""
    keys = set()
    for table in model.tables.values():
        exprs = {e.expr or e.name for e in table.entities if e.type in ("primary", "unique")}
        keys |= {d.name for d in table.dimensions if d.column_expr in exprs}
    return keys


def segment_dimensions(model: SemanticModel, shape: MetricShape,
                       asked: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The categorical dimensions every input of the metric reaches, in the model's order
    (``asked`` narrows them; an asked dimension the metric cannot reach is an error)."""
    tables = {model.measure_table(m).name for name in shape.inputs for m in _measures(model, name)}
    reachable = [name for name, dim in model.dimensions.items()
                 if name != METRIC_TIME and dim.type == "categorical"
                 and all(model.resolve_dimension(t, name) is not None for t in tables)]
    if asked:
        missing = [d for d in asked if d not in reachable]
        if missing:
            raise NotDecomposable(f"{shape.metric} cannot be split by {', '.join(missing)}; it can be split "
                                  f"by {', '.join(reachable) or 'no dimension'}")
        return tuple(asked)
    skipped = _identifiers(model) | set().union(*(_filtered_dimensions(model, m) for m in shape.inputs))
    skipped |= _filtered_dimensions(model, shape.metric)
    return tuple(d for d in reachable if d not in skipped)


def joint_dimensions(model: SemanticModel, shape: MetricShape,
                     candidates: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Groups of candidate dimensions one rollup of all the metric's measures holds, each read in one
    query per period (``change._Reader``); none for distinct counts, whose amounts do not add up.

    One group per table that declares the dimensions (the measure's own table, and each table reached
    through a join: an install's attributes, a campaign's): a query grouped by two joined tables' columns
    drops the rows one join does not match (organic installs have no campaign, so revenue grouped by
    ``is_organic`` and ``media_source`` together lost the organic users' revenue), which a query by one
    table's dimensions keeps. A name two tables declare (``country``: the install's, and the campaign's
    target) is left out: grouped with a campaign's dimensions it may resolve to the campaign's column,
    alone to the install's."""
    if not shape.exact:
        return ()
    measures = {m for name in shape.inputs for m in _measures(model, name)}
    tables = {model.measure_table(m).name for m in measures}
    declared: dict[str, list[str]] = {}
    for name, table in model.tables.items():
        for dimension in table.dimensions:
            declared.setdefault(dimension.name, []).append(name)
    for rollup in model.spec.rollups:
        if tables == {rollup.semantic_model} and measures <= set(rollup.measures):
            usable = [d for d in candidates if d in rollup.dimensions and len(declared.get(d, ())) == 1]
            owners = dict.fromkeys(declared[d][0] for d in usable)
            groups = (tuple(d for d in usable if declared[d][0] == owner) for owner in owners)
            return tuple(g for g in groups if len(g) > 1)
    return ()
