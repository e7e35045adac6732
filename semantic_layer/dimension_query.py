"""Dimension-only queries: "list iOS campaigns", the values of a dimension.

The rows come from the one semantic table that reaches every asked-for
dimension with the fewest joins (ties go to file order), as distinct values.
A time range does not apply: there is no measure whose date it could filter.
"""
from __future__ import annotations

from sqlglot import exp

from semantic_layer.branches import _from_where
from semantic_layer.expressions import model_expression
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.plan import Branch, _check_names
from semantic_layer.query import SemanticQuery, SemanticQueryError


def compile_dimension_query(model: SemanticModel, query: SemanticQuery, dialect: str) -> exp.Select:
    _check_names(model, query)
    if METRIC_TIME in query.group_by:
        raise SemanticQueryError(f"{METRIC_TIME} needs a metric: time is the date of a measure")
    branch = _base_branch(model, query)
    columns = []
    for name in query.dimensions:
        resolved = branch.dimensions[name]
        value = model_expression(resolved.dimension.column_expr, resolved.table.name, model.dialect)
        columns.append(exp.alias_(value, name))
    undated = query.model_copy(update={"time_range": None})
    select = _from_where(model, undated, branch, exp.select(*columns).distinct(), dialect)
    ordered = [exp.Ordered(this=exp.column(o.field), desc=o.direction == "desc", nulls_first=False)
               for o in query.order_by]
    named = {o.field for o in query.order_by}
    ordered += [exp.Ordered(this=exp.column(d), desc=False, nulls_first=False)
                for d in query.dimensions if d not in named]
    select = select.order_by(*ordered)
    return select.limit(query.limit) if query.limit else select


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
