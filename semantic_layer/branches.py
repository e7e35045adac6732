"""One branch of a compiled query: measures of one table, aggregated on their own.

A branch selects the query's dimensions, its own measures, and NULL in the
columns of other branches' measures, so branches can be stacked by UNION ALL.
"""
from __future__ import annotations

from sqlglot import exp

from semantic_layer.cohorts import cohort_bucket, cohort_conditions
from semantic_layer.eager import pre_aggregated
from semantic_layer.expressions import (
    date_literal,
    dimension_condition,
    model_expression,
    time_bucket,
)
from semantic_layer.joins import JoinEdge
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.plan import Branch, MeasureUse
from semantic_layer.pushdown import COHORT_RANGE, DateRange, derived_sql, prune_unused_columns
from semantic_layer.query import SemanticQuery
from semantic_layer.query_options import COHORT_COLUMN
from semantic_layer.schema import SemanticTable
from semantic_layer.sqltree import aliased, inner_join, select_node, subquery

_ROLLUP_DAY = "rollup_day"
_ROLLUP_ALIAS = "daily"
_AGGREGATES = {"sum": exp.Sum, "count": exp.Count, "min": exp.Min, "max": exp.Max, "average": exp.Avg}
_COMBINE = {"average": exp.Avg, "max": exp.Max, "min": exp.Min}


def branch_select(model: SemanticModel, query: SemanticQuery, branch: Branch, aliases: list[str],
                  dialect: str) -> exp.Select:
    keys = group_keys(model, query, branch, dialect)
    if branch.rollup is not None:
        return _rollup_select(model, query, branch, keys, aliases, dialect)
    own = {u.alias: u for u in branch.uses}
    aggregates = {a: aggregate(model, u, branch.table) for a, u in own.items()}
    group = [node for _, node in group_keys(model, query, branch, dialect)]
    joins, source, conditions = _from_where(model, query, branch)
    eager = pre_aggregated(branch, branch_time_range(query, branch), dialect, group, joins,
                           source, conditions, aggregates)
    if eager is not None:
        source, conditions = eager.source, eager.conditions
        aggregates = {a: eager.combined(own[a], node) for a, node in aggregates.items()}
    measures = [aliased(aggregates[a] if a in own else exp.Null(), a) for a in aliases]
    columns = key_columns(query, branch, dict(keys)) + measures
    select = select_node(columns, source, joins=joins, where=conditions, group=group,
                         having=None if keys else rows_exist())
    if branch.table.sql:  # never pre-aggregated (eager.py)
        prune_unused_columns(select, source, branch.table.name)
    return select


def rows_exist() -> exp.Expression:
    """``HAVING COUNT(*) > 0``: an ungrouped aggregate over no rows gives no row, not a row of NULLs."""
    return exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(0))


def group_keys(model: SemanticModel, query: SemanticQuery, branch: Branch, dialect: str):
    """``[(output name, expression)]`` the branch groups by (not the keys it leaves NULL)."""
    keys = []
    for name in query.result_dimensions:
        if name in branch.null_keys:
            continue
        if name == COHORT_COLUMN:
            keys.append((name, cohort_bucket(model, branch.cohort, dialect)))
        elif name == METRIC_TIME:
            keys.append((name, time_bucket(time_expression(model, branch), query.time_grain, dialect)))
        else:
            resolved = branch.dimensions[name]
            column = resolved.dimension.column_expr
            keys.append((name, model_expression(column, resolved.table.name, model.dialect)))
    return keys


def key_columns(query: SemanticQuery, branch: Branch,
                nodes: dict[str, exp.Expression]) -> list[exp.Expression]:
    """Every result dimension in order (NULL where the branch does not group by it), then constants."""
    columns = [aliased(exp.Null() if name in branch.null_keys else nodes[name], name)
               for name in query.result_dimensions]
    return columns + [aliased(exp.Literal.number(value), name) for name, value in branch.constants]


def time_expression(model: SemanticModel, branch: Branch) -> exp.Expression:
    dim = branch.table.dimension(branch.time_dimension)
    return model_expression(dim.column_expr, branch.table.name, model.dialect)


def aggregate(model: SemanticModel, use: MeasureUse, table: SemanticTable) -> exp.Expression:
    value = model_expression(use.measure.column_expr, table.name, model.dialect)
    if use.measure.agg == "count_distinct":
        return exp.Count(this=exp.Distinct(expressions=[value]))
    return _AGGREGATES[use.measure.agg](this=value)


def branch_from_where(model: SemanticModel, query: SemanticQuery, branch: Branch, columns: list,
                      group: list, dialect: str, **select_args) -> exp.Select:
    """``SELECT columns FROM table JOIN ... WHERE period AND filters GROUP BY group``."""
    joins, source, conditions = _from_where(model, query, branch)
    select = select_node(columns, source, joins=joins, where=conditions, group=group, **select_args)
    if branch.table.sql:
        prune_unused_columns(select, source, branch.table.name)
    return select


def _from_where(model: SemanticModel, query: SemanticQuery,
                branch: Branch) -> tuple[list, exp.Expression, list]:
    """(joins, the branch's table, the WHERE conditions) of its base-table read."""
    joins = [inner_join(table_source(model, model.tables[e.target]), join_condition(model, e))
             for e in _joins(branch)]
    source = table_source(model, branch.table, pushed_ranges(query, branch))
    conditions = _time_range_conditions(model, query, branch)
    for filt in query.filters + branch.filters:
        if filt.dimension in branch.activity_filters:
            continue
        conditions.append(dimension_condition(branch.dimensions[filt.dimension], filt, model.dialect))
    if branch.cohort is not None:
        conditions += cohort_conditions(model, branch.cohort)
    return joins, source, conditions


def pushed_ranges(query: SemanticQuery, branch: Branch) -> dict[str, DateRange]:
    """The date ranges the branch applies to its own table, by name (see pushdown.py)."""
    ranges = {}
    time_range = branch_time_range(query, branch)
    if time_range is not None and branch.time_dimension is not None:
        ranges[branch.time_dimension] = time_range
    if branch.cohort is not None and branch.cohort.cohort.install_range is not None:
        ranges[COHORT_RANGE] = branch.cohort.cohort.install_range
    return ranges


def table_source(model: SemanticModel, table: SemanticTable,
                 ranges: dict[str, DateRange] | None = None) -> exp.Expression:
    """The table, or its derived SQL with ``ranges`` pushed in (a joined table gets none)."""
    if table.sql:
        return subquery(derived_sql(table, model.dialect, ranges), table.name)
    # A plain name skips sqlglot's parser (the hot path); "db.table" is parsed.
    if "." in table.table:
        source = exp.to_table(table.table)
    else:
        source = exp.Table(this=exp.to_identifier(table.table))
    source.set("alias", exp.TableAlias(this=exp.to_identifier(table.name)))
    return source


def _joins(branch: Branch) -> list[JoinEdge]:
    """Every edge on the paths to the branch's dimensions and cohort, once, parents first."""
    edges: list[JoinEdge] = []
    for resolved in branch.dimensions.values():
        edges += [e for e in resolved.path if e not in edges]
    if branch.cohort is not None:
        edges += [e for e in branch.cohort.edges() if e not in edges]
    return edges


def join_condition(model: SemanticModel, edge: JoinEdge) -> exp.Expression:
    left = model_expression(edge.source_expr, edge.source, model.dialect)
    right = model_expression(edge.target_expr, edge.target, model.dialect)
    return exp.EQ(this=left, expression=right)


def branch_time_range(query: SemanticQuery, branch: Branch) -> DateRange | None:
    """The query's period as this branch applies it. A cohort's own rows (installs, dated by the
    install) are bounded by the cohort, not by the activity period: "Jan installers: revenue per
    install in June" divides June revenue by the January installs, not by installs made in June."""
    if branch.counts_its_cohort:
        return None
    if branch.acquisition_window is not None:  # cohort ROAS: the spend of the install window
        return branch.acquisition_window
    return query.time_range


def _time_range_conditions(model: SemanticModel, query: SemanticQuery, branch: Branch) -> list:
    # A measure without a time axis (a count of campaigns) is a snapshot: no range applies.
    time_range = branch_time_range(query, branch)
    if time_range is None or branch.time_dimension is None:
        return []
    start, end = time_range
    return [exp.Between(this=time_expression(model, branch), low=date_literal(start), high=date_literal(end))]


def _rollup_select(model: SemanticModel, query: SemanticQuery, branch: Branch, keys, aliases: list[str],
                   dialect: str) -> exp.Select:
    """Aggregate per day first, then combine the days (DAU averaged over a month)."""
    day = time_bucket(time_expression(model, branch), branch.rollup.grain, dialect)
    inner_keys = keys + [(_ROLLUP_DAY, day)]
    inner_columns = [aliased(node, name) for name, node in inner_keys]
    inner_columns += [aliased(aggregate(model, u, branch.table), u.alias) for u in branch.uses]
    group = [node for _, node in group_keys(model, query, branch, dialect)] + [day.copy()]
    inner = branch_from_where(model, query, branch, inner_columns, group, dialect)
    combine, own = _COMBINE[branch.rollup.agg], {u.alias for u in branch.uses}
    nodes = {name: exp.column(name, table=_ROLLUP_ALIAS) for name, _ in keys}
    columns = key_columns(query, branch, nodes) + [
        aliased(combine(this=exp.column(a, table=_ROLLUP_ALIAS)) if a in own else exp.Null(), a)
        for a in aliases
    ]
    group = [exp.column(name, table=_ROLLUP_ALIAS) for name, _ in keys]
    return select_node(columns, subquery(inner, _ROLLUP_ALIAS), group=group,
                       having=None if keys else rows_exist())
