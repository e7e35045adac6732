"""Dimension-only queries: "list iOS campaigns", the values of a dimension.

The rows come from the one semantic table that reaches every asked-for
dimension with the fewest joins (ties go to file order), as distinct values.
A time range does not apply: there is no measure whose date it could filter.
"""
from __future__ import annotations

from sqlglot import exp

from semantic_layer.branches import branch_from_where
from semantic_layer.checks import check_names
from semantic_layer.errors import SemanticQueryError
from semantic_layer.expressions import model_expression
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.plan import Branch
from semantic_layer.query import SemanticQuery
from semantic_layer.sqltree import aliased, ordered


def compile_dimension_query(model: SemanticModel, query: SemanticQuery, dialect: str) -> exp.Select:
    check_names(model, query)
    if METRIC_TIME in query.group_by:
        raise SemanticQueryError(f"{METRIC_TIME} needs a metric: time is the date of a measure")
    if query.cohort is not None or query.per_period is not None:
        raise SemanticQueryError("a cohort or a per-period average needs a metric to measure")
    if query.count_groups:
        raise SemanticQueryError("count_groups needs a metric or a having condition to measure the groups; "
                                 "to count a dimension's values use the metric count_distinct:<dimension>")
    branch = _base_branch(model, query)
    columns = []
    for name in query.dimensions:
        resolved = branch.dimensions[name]
        value = model_expression(resolved.dimension.column_expr, resolved.table.name, model.dialect)
        columns.append(aliased(value, name))
    order = [ordered(o.field, o.direction == "desc") for o in query.order_by]
    named = {o.field for o in query.order_by}
    order += [ordered(d, False) for d in query.dimensions if d not in named]
    undated = query.model_copy(update={"time_range": None})
    return branch_from_where(model, undated, branch, columns, [], dialect, order=order, limit=query.limit,
                             distinct=True)


def _base_branch(model: SemanticModel, query: SemanticQuery) -> Branch:
    wanted = list(dict.fromkeys(list(query.dimensions) + [f.dimension for f in query.filters]))
    best: tuple[int, Branch] | None = None
    for table in model.tables.values():
        resolved = {name: model.resolve_dimension(table.name, name) for name in wanted}
        if any(r is None for r in resolved.values()):
            continue
        cost = sum(len(r.path) for r in resolved.values())
        if best is None or cost < best[0]:
            best = (cost, Branch(table, (), dimensions=resolved))
    if best is None:
        names = ", ".join(repr(n) for n in wanted)
        raise SemanticQueryError(f"no single table reaches all of {names}; ask for fewer dimensions together")
    return best[1]
