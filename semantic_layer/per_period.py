"""Averages of per-period values: "average daily spend in April" is the mean of the daily totals.

A branch aggregates per (group, period bucket) first -- so a distinct count is
counted per day -- then adds up its buckets and divides by the number of
buckets in the period, inside each ``metric_time`` bucket when there is one:

- with a time range: the calendar buckets the range touches (a partial first
  or last week counts as a whole bucket); a bucket without rows counts as zero,
  and every group is divided by the same number;
- without one: the buckets in which the metric has rows (after the query's
  filters, joins and cohort), counted over all groups together;
- a group computed from the date itself (a weekday: ``dayname(day)``) is divided
  by its own buckets with rows, with or without a range ("average flights per
  day for each weekday" is a Monday's total over the Mondays).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlglot import exp

from semantic_layer.branches import (
    aggregate,
    branch_from_where,
    group_keys,
    key_columns,
    rows_exist,
    time_expression,
)
from semantic_layer.expressions import date_literal, time_bucket
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.plan import Branch
from semantic_layer.query import SemanticQuery
from semantic_layer.sqltree import aliased, select_node, subquery

PERIOD_BUCKET = "period_bucket"
PERIOD_COUNT = "period_count"
_PER_BUCKET = "per_bucket"


def per_period_select(model: SemanticModel, query: SemanticQuery, branch: Branch, aliases: list[str],
                      dialect: str) -> exp.Select:
    keys = group_keys(model, query, branch, dialect)
    bucket = time_bucket(time_expression(model, branch), query.per_period, dialect)
    inner_columns = [aliased(node, name) for name, node in keys] + [aliased(bucket, PERIOD_BUCKET)]
    inner_columns += [aliased(aggregate(model, u, branch.table), u.alias) for u in branch.uses]
    group = [node for _, node in group_keys(model, query, branch, dialect)] + [bucket.copy()]
    inner = branch_from_where(model, query, branch, inner_columns, group, dialect)
    own = [u.alias for u in branch.uses]
    names = [name for name, _ in keys]
    derived = _time_derived(keys, time_expression(model, branch))
    source, count = _counted_source(query, inner, names, own, derived)

    def column(name: str) -> exp.Column:
        return exp.column(name, table=_PER_BUCKET)

    averages = {a: _divided(exp.Sum(this=column(a)), count) for a in own}
    columns = key_columns(query, branch, {name: column(name) for name in names})
    columns += [aliased(averages.get(a, exp.Null()), a) for a in aliases]
    return select_node(columns, source, group=[column(name) for name in names],
                       having=None if names else rows_exist())


def _divided(total: exp.Expression, count: exp.Expression) -> exp.Expression:
    as_double = exp.Cast(this=total, to=exp.DataType(this=exp.DataType.Type.DOUBLE))
    return exp.Div(this=as_double, expression=count)


def _time_derived(keys, time_node: exp.Expression) -> list[str]:
    """Groups computed from the date itself ("dayname(make_date(year, month, day))"): a weekday's
    average is over its own days, not every day of the period."""
    time_columns = {c.name for c in time_node.find_all(exp.Column)}
    found = []
    for name, node in keys:
        columns = {c.name for c in node.find_all(exp.Column)}
        if name != METRIC_TIME and columns and columns <= time_columns:
            found.append(name)
    return found


def _counted_source(query: SemanticQuery, inner: exp.Select, names: list[str], own: list[str],
                    derived: list[str] = ()):
    """The per-bucket rows and the number of buckets each group is divided by."""
    if query.time_range is not None and not derived:
        buckets = exp.column(METRIC_TIME, table=_PER_BUCKET)
        return subquery(inner, _PER_BUCKET), _calendar_count(query, buckets)
    # Without a range the period is the buckets with data: counted over the per-bucket rows of
    # every group, per metric_time bucket, before the groups are collapsed. A group computed from
    # the date (a weekday) counts its own buckets.
    inner_alias = "bucket_rows"
    partition = [exp.column(n, table=inner_alias) for n in names if n == METRIC_TIME or n in derived]
    distinct = exp.Count(this=exp.Distinct(expressions=[exp.column(PERIOD_BUCKET, table=inner_alias)]))
    window = exp.Window(this=distinct, partition_by=partition)
    columns = [aliased(exp.column(n, table=inner_alias), n) for n in names + own]
    columns.append(aliased(window, PERIOD_COUNT))
    counted = select_node(columns, subquery(inner, inner_alias))
    return subquery(counted, _PER_BUCKET), exp.Max(this=exp.column(PERIOD_COUNT, table=_PER_BUCKET))


def _calendar_count(query: SemanticQuery, metric_time: exp.Expression) -> exp.Expression:
    counts = buckets_per_grain(query.time_range, query.per_period, query.time_grain)
    if query.time_grain is None:
        return exp.Literal.number(counts[None])
    ifs = [exp.If(this=exp.EQ(this=metric_time.copy(), expression=date_literal(start)),
                  true=exp.Literal.number(n)) for start, n in sorted(counts.items())]
    return exp.Case(ifs=ifs)


def buckets_per_grain(time_range: tuple[dt.date, dt.date], period: str,
                      grain: str | None) -> dict[dt.date | None, int]:
    """How many ``period`` buckets the range touches, per ``grain`` bucket start (or under None)."""
    start, end = time_range
    touched, day = [], bucket_start(start, period)
    while day <= end:
        touched.append(day)
        day = _next_bucket(day, period)
    return dict(Counter(bucket_start(b, grain) if grain else None for b in touched))


def bucket_start(day: dt.date, grain: str) -> dt.date:
    """The first day of ``day``'s bucket (weeks start on Monday, as in the SQL)."""
    if grain == "day":
        return day
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def _next_bucket(start: dt.date, grain: str) -> dt.date:
    if grain in ("day", "week"):
        return start + dt.timedelta(days=1 if grain == "day" else 7)
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
