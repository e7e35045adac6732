"""SQL of rollups: the SELECT that builds a rollup's days, and a branch answered from a rollup."""
from __future__ import annotations

import datetime as dt

from sqlglot import exp

from semantic_layer.branches import aggregate, join_condition, key_columns, rows_exist, table_source
from semantic_layer.expressions import date_literal, filter_condition, model_expression, time_bucket
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.plan import Branch, MeasureUse
from semantic_layer.pushdown import prune_unused_columns
from semantic_layer.query import SemanticQuery
from semantic_layer.query_options import COHORT_COLUMN
from semantic_layer.rollups import COHORT_DAY_COLUMN, DAY_COLUMN, RollupChoice, joined_flag, rollup_edges
from semantic_layer.schema import RollupTable
from semantic_layer.sqltree import aliased, select_node, subquery, union_all

_REAGGREGATE = {"sum": exp.Sum, "count": exp.Sum, "min": exp.Min, "max": exp.Max}
_DAILY = "rollup_daily"
_COMBINE = {"average": exp.Avg, "max": exp.Max, "min": exp.Min}


def rollup_select(model: SemanticModel, rollup: RollupTable, start: dt.date,
                  end: dt.date | None, grain: str | None = None) -> exp.Select:
    """The rollup's rows for the days ``start..end`` (``end`` None: every day from ``start`` on), in
    the model's dialect (the build transpiles); the same rows from base tables a query reads for the
    days after the watermark. ``grain``: the rows' period, the rollup's own by default; ``day`` for
    the days a query reads from the base tables (a monthly rollup's days outside its whole months)."""
    table = model.tables[rollup.semantic_model]
    measures = [model.measure(name)[1] for name in rollup.measures]
    time_dim = table.dimension(measures[0].agg_time_dimension)
    day = model_expression(time_dim.column_expr, table.name, model.dialect)
    period = time_bucket(day.copy(), grain or rollup.grain, model.dialect)
    keys = []
    for name in rollup.dimensions:
        resolved = model.resolve_dimension(table.name, name)
        column = resolved.dimension.column_expr
        keys.append((name, model_expression(column, resolved.table.name, model.dialect)))
    if rollup.cohort:
        keys.append((COHORT_DAY_COLUMN, _cohort_date(model)))
    edges = rollup_edges(model, rollup)
    for edge in edges:
        matched = exp.Not(this=exp.Is(this=model_expression(edge.target_expr, edge.target, model.dialect),
                                      expression=exp.Null()))
        keys.append((joined_flag(edge.target), exp.If(this=matched, true=exp.Literal.number(1),
                                                      false=exp.Literal.number(0))))
    keys.append((DAY_COLUMN, period))
    # a distinct count whose values the rollup keeps: the value is a key (counted when read)
    keys += [(m.name, model_expression(m.column_expr, table.name, model.dialect))
             for m in measures if _kept_values(rollup, m)]
    columns = [aliased(node, name) for name, node in keys]
    columns += [aliased(aggregate(model, MeasureUse(m.name, m, ()), table), m.name)
                for m in measures if not _kept_values(rollup, m)]
    joins = [exp.Join(this=table_source(model, model.tables[e.target]), on=join_condition(model, e),
                      side="LEFT") for e in edges]
    source = table_source(model, table, {time_dim.name: (start, end)})
    where = [exp.Between(this=day.copy(), low=date_literal(start), high=date_literal(end)) if end
             else exp.GTE(this=day.copy(), expression=date_literal(start))]
    select = select_node(columns, source, joins=joins, where=where, group=[node.copy() for _, node in keys])
    if table.sql:
        prune_unused_columns(select, source, table.name)
    return select


def _kept_values(rollup: RollupTable, measure) -> bool:
    return rollup.distinct_values and measure.agg == "count_distinct" and measure.rollup is None


def rows_after(model: SemanticModel, rollup: RollupTable, days: tuple[dt.date, dt.date | None]) -> exp.Select:
    """``SELECT 1 ... LIMIT 1``: whether the rollup's table has rows on ``days`` (no join)."""
    table = model.tables[rollup.semantic_model]
    time_dim = table.dimension(model.measure(rollup.measures[0])[1].agg_time_dimension)
    day = model_expression(time_dim.column_expr, table.name, model.dialect)
    start, end = days
    source = table_source(model, table, {time_dim.name: days})
    where = [exp.Between(this=day, low=date_literal(start), high=date_literal(end)) if end
             else exp.GTE(this=day, expression=date_literal(start))]
    select = select_node([aliased(exp.Literal.number(1), "found")], source, where=where, limit=1)
    if table.sql:
        prune_unused_columns(select, source, table.name)
    return select


def routed_select(model: SemanticModel, query: SemanticQuery, branch: Branch, choice: RollupChoice,
                  aliases: list[str], dialect: str) -> exp.Select:
    """``branch`` answered from the rollup: re-aggregate its days and groups."""
    alias = choice.rollup.table_name
    keys = [(name, _key(name, alias, query, dialect)) for name in query.result_dimensions]
    where = []
    if query.time_range is not None:
        start, end = query.time_range
        where.append(exp.Between(this=exp.column(DAY_COLUMN, table=alias), low=date_literal(start),
                                 high=date_literal(end)))
    where += [filter_condition(exp.column(f.dimension, table=alias), f)
              for f in query.filters + branch.filters]
    if branch.cohort is not None:
        where += _cohort_conditions(branch.cohort.cohort, alias)
    where += [exp.EQ(this=exp.column(joined_flag(t), table=alias), expression=exp.Literal.number(1))
              for t in choice.joined]
    source = _rollup_source(model, choice)
    own = {u.alias: u for u in branch.uses}
    if branch.rollup is not None:
        return _per_day_select(query, branch, keys, aliases, source, where, alias)
    measures = [aliased(_reaggregate(own[a].measure, alias) if a in own else exp.Null(), a) for a in aliases]
    return select_node(key_columns(query, branch, dict(keys)) + measures, source, where=where,
                       group=[node.copy() for _, node in keys], having=None if keys else rows_exist())


def _reaggregate(measure, alias: str) -> exp.Expression:
    column = exp.column(measure.name, table=alias)
    if measure.agg == "count_distinct":  # the rollup keeps the values: count them again
        return exp.Count(this=exp.Distinct(expressions=[column]))
    return _REAGGREGATE[measure.agg](this=column)


def _rollup_source(model: SemanticModel, choice: RollupChoice) -> exp.Expression:
    """The rollup table; with a tail (or a monthly rollup's days outside its whole months), its
    rows the query reads stacked on those days as the build's SELECT makes them from the base
    tables, day by day (the same columns, in the same order)."""
    table = exp.Table(this=exp.to_identifier(choice.rollup.table_name))
    days = list(choice.edges) + ([choice.tail] if choice.tail else [])
    if choice.months is None and not days:
        return table
    from_base = [rollup_select(model, choice.rollup, first, last, "day") for first, last in days]
    names = from_base[0] if from_base else rollup_select(model, choice.rollup, dt.date(2000, 1, 1),
                                                         dt.date(2000, 1, 1))
    columns = [exp.column(node.alias_or_name) for node in names.expressions]
    built = select_node(columns, table, where=[_held_days(choice)])
    return subquery(union_all([built, *from_base]), choice.rollup.table_name)


def _held_days(choice: RollupChoice) -> exp.Expression:
    """The rollup rows read: its whole months of the range, or its days before the tail."""
    day = exp.column(DAY_COLUMN)
    if choice.months is None:
        return exp.LT(this=day, expression=date_literal(choice.tail[0]))
    first, last = choice.months
    if first is None:
        return exp.LTE(this=day, expression=date_literal(last))
    return exp.Between(this=day, low=date_literal(first), high=date_literal(last))


def _key(name: str, alias: str, query: SemanticQuery, dialect: str) -> exp.Expression:
    if name == METRIC_TIME:
        return time_bucket(exp.column(DAY_COLUMN, table=alias), query.time_grain, dialect)
    if name == COHORT_COLUMN:
        return time_bucket(exp.column(COHORT_DAY_COLUMN, table=alias), query.cohort.grain, dialect)
    return exp.column(name, table=alias)


def _cohort_date(model: SemanticModel) -> exp.Expression:
    """The cohort table's date (the install date), as the rollup keeps it."""
    home = model.tables[model.spec.cohort.semantic_model]
    column = home.dimension(model.spec.cohort.time_dimension).column_expr
    return model_expression(column, home.name, model.dialect)


def _cohort_conditions(cohort, alias: str) -> list[exp.Expression]:
    """The cohort's install window and member filters, on the rollup's columns."""
    conditions = [filter_condition(exp.column(f.dimension, table=alias), f) for f in cohort.filters]
    if cohort.install_range is not None:
        start, end = cohort.install_range
        conditions.insert(0, exp.Between(this=exp.column(COHORT_DAY_COLUMN, table=alias),
                                         low=date_literal(start), high=date_literal(end)))
    return conditions


def _per_day_select(query, branch, keys, aliases, source, where, alias) -> exp.Select:
    """A per-day distinct count (DAU): the day's stored value, then combined over the days."""
    day = exp.column(DAY_COLUMN, table=alias)
    inner_columns = [aliased(node, name) for name, node in keys] + [aliased(day, DAY_COLUMN)]
    inner_columns += [aliased(exp.Sum(this=exp.column(u.measure.name, table=alias)), u.alias)
                      for u in branch.uses]
    inner = select_node(inner_columns, source, where=where, group=[n.copy() for _, n in keys] + [day.copy()])
    combine, own = _COMBINE[branch.rollup.agg], {u.alias for u in branch.uses}
    nodes = {name: exp.column(name, table=_DAILY) for name, _ in keys}
    columns = key_columns(query, branch, nodes) + [
        aliased(combine(this=exp.column(a, table=_DAILY)) if a in own else exp.Null(), a) for a in aliases]
    return select_node(columns, subquery(inner, _DAILY), group=[exp.column(n, table=_DAILY) for n, _ in keys],
                       having=None if keys else rows_exist())
