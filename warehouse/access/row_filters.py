"""Row filters added below the planners, on the SQL itself.

Every reference to a warehouse table -- in a subquery, a CTE body, each side of a UNION, each
side of a self-join, a scalar subquery, a tool's feature query -- is replaced by
``(SELECT * FROM table AS _acl_n WHERE <the policy's predicates>) AS <its alias>``, so no
reading of the rest of the statement can see a row outside the policy. A filter names columns
of one table (``media_source = 'TikTok'``); a table without those columns is filtered through
its links to tables that have them (``installs.campaign_id IN (SELECT campaign_id FROM
campaigns WHERE media_source = 'TikTok')``), along the semantic model's entities. A table that
cannot be linked to a filter's columns is refused, never read unfiltered (fail closed).

Refused as well, since they could route around the wrapping: a CTE named like a table (it
would shadow the table inside the generated subqueries), table functions other than row
generators, anything but a query, and names that are not tables of the warehouse.
"""
from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

from common.errors import AsklyticsError
from warehouse.base import Schema

# Row generators read no table, so they need no filter (the semantic layer's date spines use them).
ROW_GENERATORS = frozenset({"generate_series", "range", "unnest", "numbers"})
_QUERY_ROOTS = (exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Subquery)
_FILTER_NODES = (exp.Column, exp.Identifier, exp.Literal, exp.Boolean, exp.Null, exp.Paren, exp.Not, exp.And,
                 exp.Or, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.In, exp.Is, exp.Between,
                 exp.Like, exp.ILike, exp.Neg, exp.Tuple)


class AccessDenied(AsklyticsError):
    """A statement that cannot be run within the caller's access policy; the message says why."""

    def __init__(self, message: str):
        super().__init__(message, code="access_denied")


@dataclass(frozen=True)
class TableLink:
    """``table.column`` references ``parent.parent_column`` (many-to-one)."""

    table: str
    column: str
    parent: str
    parent_column: str


@dataclass(frozen=True)
class RowPolicy:
    """SQL predicates (ANDed) over the warehouse's columns, and how tables link to each other."""

    filters: tuple[str, ...]
    links: Mapping[str, tuple[TableLink, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.filters)


def parse_row_filter(text: str, dialect: str = "duckdb") -> exp.Expression:
    """A row filter as a predicate of plain column comparisons; raises ``AccessDenied`` otherwise."""
    try:
        tree = sqlglot.parse_one(text, read=dialect, into=exp.Condition)
    except sqlglot.errors.ParseError:
        raise AccessDenied(f"row filter {text!r} is not a SQL condition") from None
    odd = next((n for n in tree.walk() if not isinstance(n, _FILTER_NODES)), None)
    root = tree.unnest() if isinstance(tree, exp.Paren) else tree
    if odd is not None or not list(tree.find_all(exp.Column)) or not isinstance(
            root, (exp.Predicate, exp.Connector, exp.Not)):
        raise AccessDenied(f"row filter {text!r} must compare columns with values "
                           "(=, <>, <, >, IN, BETWEEN, LIKE, IS NULL, AND, OR, NOT)")
    return tree


def apply_row_policy(sql: str, policy: RowPolicy, schema: Schema, dialect: str) -> str:
    """``sql`` with every warehouse table read through the policy's filters."""
    if not policy:
        return sql
    try:
        statements = sqlglot.parse(sql, read=dialect)
    except sqlglot.errors.ParseError:
        raise AccessDenied("the statement could not be read, so it cannot be checked against your "
                           "access policy") from None
    if len(statements) != 1 or not isinstance(statements[0], _QUERY_ROOTS):
        raise AccessDenied("only a single SELECT can run under an access policy")
    tree = statements[0]
    filters = [parse_row_filter(f, dialect) for f in policy.filters]
    _refuse_shadowing_ctes(tree, schema)
    _name_subquery_columns(tree, dialect)
    counter = itertools.count(1)
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in list(tree.find_all(exp.Table)):
        if _reads_nothing(table, ctes):
            continue
        known = _known_table(table, schema)
        table.replace(_filtered(table, known, filters, policy, schema, dialect, counter))
    return tree.sql(dialect=dialect)


def _name_subquery_columns(tree: exp.Expression, dialect: str) -> None:
    """An unnamed output column holding a subquery is named by the engine after its text, which the
    wrapping changes (and would show the policy's filter in): it keeps the name it was asked with."""
    first = tree
    while isinstance(first, (exp.Union, exp.Intersect, exp.Except, exp.Subquery)):
        first = first.this
    if not isinstance(first, exp.Select):
        return
    for projection in list(first.expressions):
        if not isinstance(projection, exp.Alias) and projection.find(exp.Select) is not None:
            projection.replace(exp.alias_(projection.copy(), projection.sql(dialect=dialect), quoted=True))


def _refuse_shadowing_ctes(tree: exp.Expression, schema: Schema) -> None:
    for cte in tree.find_all(exp.CTE):
        if schema.table(cte.alias_or_name) is not None:
            raise AccessDenied(f"under an access policy a WITH query may not be named like the table "
                               f"`{cte.alias_or_name}`; rename it")


def _reads_nothing(table: exp.Table, ctes: set[str]) -> bool:
    if isinstance(table.this, exp.Func):
        name = (table.this.name if isinstance(table.this, exp.Anonymous) else table.this.sql_name()).lower()
        if name in ROW_GENERATORS:
            return True
        raise AccessDenied(f"the table function `{name}` cannot be used under an access policy")
    return not table.args.get("db") and not table.args.get("catalog") and table.name.lower() in ctes


def _known_table(table: exp.Table, schema: Schema) -> str:
    if not isinstance(table.this, exp.Identifier):
        raise AccessDenied(f"`{table.sql()}` is not a table of the warehouse")
    known = schema.table(table.name)
    if known is None:
        raise AccessDenied(f"table `{table.name}` is not a table of the warehouse")
    return known.name


def _filtered(table: exp.Table, name: str, filters: list[exp.Expression], policy: RowPolicy,
              schema: Schema, dialect: str, counter) -> exp.Subquery:
    inner_alias = f"_acl_{next(counter)}"
    source = table.copy()
    source.set("alias", exp.TableAlias(this=exp.to_identifier(inner_alias)))
    for key in ("joins", "pivots", "laterals", "sample", "hints"):
        source.set(key, None)
    conditions = [_predicate(name, inner_alias, f, policy, schema, counter) for f in filters]
    select = exp.select("*").from_(source).where(exp.and_(*conditions))
    alias = table.args.get("alias") or exp.TableAlias(this=exp.to_identifier(table.name))
    return exp.Subquery(this=select, alias=alias.copy())


def _predicate(table: str, alias: str, condition: exp.Expression, policy: RowPolicy, schema: Schema,
               counter) -> exp.Expression:
    """``condition`` as seen from ``table`` (aliased ``alias``): directly, or through its links."""
    path = _path_to_columns(table, _columns(condition), policy, schema)
    if path is None:
        raise AccessDenied(f"table `{table}` cannot be limited to your access policy's rows "
                           f"({condition.sql()}), so it cannot be read under it")
    if not path:
        return _qualified(condition, alias)
    link = path[0]
    parent_alias = f"_acl_{next(counter)}"
    inner = _predicate(link.parent, parent_alias, condition, policy, schema, counter)
    subquery = (exp.select(exp.column(link.parent_column, table=parent_alias))
                .from_(exp.to_table(link.parent).as_(parent_alias)).where(inner))
    return exp.In(this=exp.column(link.column, table=alias), query=exp.Subquery(this=subquery))


def _columns(condition: exp.Expression) -> frozenset[str]:
    return frozenset(c.name.lower() for c in condition.find_all(exp.Column))


def _has_columns(table: str, columns: frozenset[str], schema: Schema) -> bool:
    found = schema.table(table)
    return found is not None and all(found.column(c) is not None for c in columns)


def _path_to_columns(table: str, columns: frozenset[str], policy: RowPolicy,
                     schema: Schema) -> tuple[TableLink, ...] | None:
    """The shortest chain of links from ``table`` to a table holding ``columns`` (() when it has them)."""
    seen, queue = {table.lower()}, deque([(table, ())])
    while queue:
        current, path = queue.popleft()
        if _has_columns(current, columns, schema):
            return path
        for link in _links_of(current, policy):
            if link.parent.lower() not in seen:
                seen.add(link.parent.lower())
                queue.append((link.parent, (*path, link)))
    return None


def _links_of(table: str, policy: RowPolicy) -> tuple[TableLink, ...]:
    lowered = table.lower()
    return next((links for name, links in policy.links.items() if name.lower() == lowered), ())


def _qualified(condition: exp.Expression, alias: str) -> exp.Expression:
    copy = condition.copy()
    for column in copy.find_all(exp.Column):
        column.set("table", exp.to_identifier(alias))
        column.set("db", None)
        column.set("catalog", None)
    return copy
