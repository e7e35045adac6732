"""Build sqlglot SELECT trees directly from parts.

sqlglot's fluent builders (``select().from_().where()``) copy the tree and may
parse strings at every step; the compiler assembles nodes itself, once, which
keeps compiling a query in the low milliseconds.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp


def aliased(node: exp.Expression, name: str) -> exp.Alias:
    return exp.Alias(this=node, alias=exp.to_identifier(name))


def subquery(select: exp.Expression, alias: str) -> exp.Subquery:
    return exp.Subquery(this=select, alias=exp.TableAlias(this=exp.to_identifier(alias)))


def inner_join(source: exp.Expression, on: exp.Expression) -> exp.Join:
    return exp.Join(this=source, on=on, kind="INNER")


def union_all(selects: Sequence[exp.Expression]) -> exp.Expression:
    stacked = selects[0]
    for select in selects[1:]:
        stacked = exp.Union(this=stacked, expression=select, distinct=False)
    return stacked


def select_node(
    columns: Sequence[exp.Expression],
    source: exp.Expression,
    *,
    joins: Sequence[exp.Join] = (),
    where: Sequence[exp.Expression] = (),
    group: Sequence[exp.Expression] = (),
    having: exp.Expression | None = None,
    order: Sequence[exp.Ordered] = (),
    limit: int | None = None,
    distinct: bool = False,
) -> exp.Select:
    args = {"expressions": list(columns), "from_": exp.From(this=source)}
    if joins:
        args["joins"] = list(joins)
    if where:
        args["where"] = exp.Where(this=exp.and_(*where, copy=False) if len(where) > 1 else where[0])
    if group:
        args["group"] = exp.Group(expressions=list(group))
    if having is not None:
        args["having"] = exp.Having(this=having)
    if order:
        args["order"] = exp.Order(expressions=list(order))
    if limit is not None:
        args["limit"] = exp.Limit(expression=exp.Literal.number(limit))
    if distinct:
        args["distinct"] = exp.Distinct()
    return exp.Select(**args)


def ordered(name: str, descending: bool) -> exp.Ordered:
    return exp.Ordered(this=exp.column(name), desc=descending, nulls_first=False)
