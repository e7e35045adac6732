"""One branch of a compiled query: measures of one table, aggregated on their own.

A branch selects the query's dimensions, its own measures, and NULL in the
columns of other branches' measures, so branches can be stacked by UNION ALL.
"""
from __future__ import annotations

from sqlglot import exp

from semantic_layer.expressions import (
    date_literal,
    filter_condition,
    model_expression,
    parsed_expression,
    time_bucket,
)
from semantic_layer.joins import JoinEdge
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.plan import Branch, MeasureUse
from semantic_layer.query import SemanticQuery
from semantic_layer.schema import SemanticTable

_ROLLUP_DAY = "rollup_day"
_ROLLUP_ALIAS = "daily"


def branch_select(model: SemanticModel, query: SemanticQuery, branch: Branch, aliases: list[str],
                  dialect: str) -> exp.Select:
    keys = _group_keys(model, query, branch, dialect)
    own = {u.alias: u for u in branch.uses}
    if branch.rollup is not None:
        return _rollup_select(model, query, branch, keys, aliases, dialect)
    columns = [exp.alias_(e, n) for n, e in keys] + [
        exp.alias_(_aggregate(model, own[a], branch.table, dialect) if a in own else exp.Null(), a) for a in aliases
    ]
    select = _from_where(model, query, branch, exp.select(*columns), dialect)
    return select.group_by(*[e.copy() for _, e in keys]) if keys else select


def _group_keys(model: SemanticModel, query: SemanticQuery, branch: Branch, dialect: str):
    keys = []
    for name in query.group_by:
        if name == METRIC_TIME:
            keys.append((name, time_bucket(_time_expression(model, branch, dialect), query.time_grain, dialect)))
        else:
            resolved = branch.dimensions[name]
            keys.append((name, model_expression(resolved.dimension.column_expr, resolved.table.name, model.dialect)))
    return keys


def _time_expression(model: SemanticModel, branch: Branch, dialect: str) -> exp.Expression:
    dim = branch.table.dimension(branch.time_dimension)
    return model_expression(dim.column_expr, branch.table.name, model.dialect)


def _aggregate(model: SemanticModel, use: MeasureUse, table: SemanticTable, dialect: str) -> exp.Expression:
    value = model_expression(use.measure.column_expr, table.name, model.dialect)
    agg = use.measure.agg
    if agg == "count_distinct":
        return exp.Count(this=exp.Distinct(expressions=[value]))
    builders = {"sum": exp.Sum, "count": exp.Count, "min": exp.Min, "max": exp.Max, "average": exp.Avg}
    return builders[agg](this=value)


def _from_where(model: SemanticModel, query: SemanticQuery, branch: Branch, select: exp.Select,
                dialect: str) -> exp.Select:
    select = select.from_(_table_source(model, branch.table))
    for edge in _joins(branch):
        select = select.join(_table_source(model, model.tables[edge.target]), on=_join_condition(model, edge),
                             join_type="inner")
    conditions = _time_range_conditions(model, query, branch, dialect)
    for filt in query.filters + branch.filters:
        resolved = branch.dimensions[filt.dimension]
        target = model_expression(resolved.dimension.column_expr, resolved.table.name, model.dialect)
        conditions.append(filter_condition(target, filt))
    return select.where(*conditions) if conditions else select


def _table_source(model: SemanticModel, table: SemanticTable) -> exp.Expression:
    alias = exp.TableAlias(this=exp.to_identifier(table.name))
    if table.sql:
        return exp.Subquery(this=parsed_expression(table.sql, model.dialect), alias=alias)
    source = exp.to_table(table.table)
    source.set("alias", alias)
    return source


def _joins(branch: Branch) -> list[JoinEdge]:
    """Every edge on the paths to the branch's dimensions, once, parents first."""
    edges: list[JoinEdge] = []
    for resolved in branch.dimensions.values():
        edges += [e for e in resolved.path if e not in edges]
    return edges


def _join_condition(model: SemanticModel, edge: JoinEdge) -> exp.Expression:
    left = model_expression(edge.source_expr, edge.source, model.dialect)
    right = model_expression(edge.target_expr, edge.target, model.dialect)
    return exp.EQ(this=left, expression=right)


def _time_range_conditions(model: SemanticModel, query: SemanticQuery, branch: Branch, dialect: str) -> list:
    # A measure without a time axis (a count of campaigns) is a snapshot: no range applies.
    if query.time_range is None or branch.time_dimension is None:
        return []
    start, end = query.time_range
    day = _time_expression(model, branch, dialect)
    return [exp.Between(this=day, low=date_literal(start), high=date_literal(end))]


def _rollup_select(model: SemanticModel, query: SemanticQuery, branch: Branch, keys, aliases: list[str],
                   dialect: str) -> exp.Select:
    """Aggregate per day first, then combine the days (DAU averaged over a month)."""
    day = time_bucket(_time_expression(model, branch, dialect), branch.rollup.grain, dialect)
    inner_keys = keys + [(_ROLLUP_DAY, day)]
    inner = exp.select(*[exp.alias_(e, n) for n, e in inner_keys],
                       *[exp.alias_(_aggregate(model, u, branch.table, dialect), u.alias) for u in branch.uses])
    inner = _from_where(model, query, branch, inner, dialect).group_by(*[e.copy() for _, e in inner_keys])
    combine = {"average": exp.Avg, "max": exp.Max, "min": exp.Min}[branch.rollup.agg]
    own = {u.alias for u in branch.uses}
    outer_keys = [exp.column(n, table=_ROLLUP_ALIAS) for n, _ in keys]
    columns = [exp.alias_(c, c.name) for c in outer_keys] + [
        exp.alias_(combine(this=exp.column(a, table=_ROLLUP_ALIAS)) if a in own else exp.Null(), a) for a in aliases
    ]
    source = exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(_ROLLUP_ALIAS)))
    select = exp.select(*columns).from_(source)
    return select.group_by(*[c.copy() for c in outer_keys]) if outer_keys else select
