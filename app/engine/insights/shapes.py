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


def _adds_up(model: SemanticModel, measure: str, dimension: str) -> bool:
    """Whether the measure's amounts by the dimension's values add up to its total: sums and counts do;
    a distinct count does when the counted column is the key its table joins a dimension's table by
    (distinct users of events by an install attribute: one install per user, so each user is counted
    under one value only)."""
    table, definition = model.measure(measure)
    if definition.rollup is not None:
        return False
    if definition.agg != "count_distinct":
        return definition.agg in ("sum", "count")
    resolved = model.resolve_dimension(table.name, dimension)
    return bool(resolved and resolved.path) and resolved.path[0].source_expr == (definition.expr or "")


def _resolved_table(model: SemanticModel, tables: set[str], dimension: str) -> str | None:
    """The table a dimension is read from by every table of the measures (the nearest declaring it along
    the join graph: revenue's ``platform`` is the install's, cost's the campaign's), None when they differ."""
    found = {getattr(model.resolve_dimension(t, dimension), "table", None) for t in tables}
    return next(iter(found)).name if len(found) == 1 and None not in found else None


def joint_dimensions(model: SemanticModel, shape: MetricShape,
                     candidates: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Groups of candidate dimensions each read in one query per period (``change._Reader``), whose
    amounts add up over the values of each dimension in the group (``_adds_up``).

    One group per table that declares the dimensions (the measure's own table, and each table reached
    through a join: an install's attributes, a campaign's): a query grouped by two joined tables' columns
    drops the rows one join does not match (organic installs have no campaign, so revenue grouped by
    ``is_organic`` and ``media_source`` together lost the organic users' revenue), which a query by one
    table's dimensions keeps. A name two tables declare (``country``: the install's, and the campaign's
    target) goes with the table the measures read it from (``_resolved_table``: revenue's country is the
    install's, so it is grouped with the install's other attributes, never with a campaign's); when the
    measures' tables read it from different tables (CPI: cost's country is the campaign's, installs'
    the install's) it is read alone. When a rollup holds all the metric's measures, its dimensions and the
    others form separate groups: the first query is answered from the rollup, the second from the base
    tables (for ARPU, whose distinct users only a monthly rollup holds, both read events: the rollup's
    dimensions have few values together, the others many, and a group's rows must stay under the row cap,
    ``change._Reader``)."""
    measures = {m for name in shape.inputs for m in _measures(model, name)}
    tables = {model.measure_table(m).name for m in measures}
    rollup = next((r for r in model.spec.rollups
                   if tables == {r.semantic_model} and measures <= set(r.measures)), None)
    resolved = {d: _resolved_table(model, tables, d) for d in candidates}
    usable = [d for d in candidates
              if resolved[d] is not None and all(_adds_up(model, m, d) for m in measures)]

    def source(dimension: str) -> tuple[str, bool]:  # (table it is read from, answered from the rollup)
        return resolved[dimension], rollup is not None and dimension in rollup.dimensions

    groups = (tuple(d for d in usable if source(d) == key) for key in dict.fromkeys(map(source, usable)))
    return tuple(g for g in groups if len(g) > 1)


def rollup_may_answer(model: SemanticModel, shape: MetricShape, dimensions: tuple[str, ...],
                      filters: tuple[str, ...], whole_months: bool) -> bool:
    """Whether a rollup the model declares holds the metric's measures by these dimensions (and the
    filtered ones): a query it answers reads no base table, so nothing read along with it may make it
    read one (``change._Reader`` reads the squares of the amounts only with queries of base tables).
    Declared, not built: a rollup not built yet only makes the answer read base tables anyway."""
    measures = {m for name in shape.inputs for m in _measures(model, name)}
    tables = {model.measure_table(m).name for m in measures}
    wanted = set(dimensions) | set(filters)
    wanted |= set().union(*(_filtered_dimensions(model, m) for m in shape.inputs))
    return any(tables == {r.semantic_model} and measures <= set(r.measures) and wanted <= set(r.dimensions)
               and (r.grain == "day" or whole_months) for r in model.spec.rollups)


def summed_tables(model: SemanticModel, shape: MetricShape,
                  dimensions: tuple[str, ...]) -> dict[str, str] | None:
    """The table each dimension is read from when the metric's amounts add up over every one of them
    (``_adds_up``, one table per name: ``_resolved_table``), else None."""
    measures = {m for name in shape.inputs for m in _measures(model, name)}
    tables = {model.measure_table(m).name for m in measures}
    found = {d: _resolved_table(model, tables, d) for d in dimensions}
    if None in found.values() or not all(_adds_up(model, m, d) for m in measures for d in dimensions):
        return None
    return found
