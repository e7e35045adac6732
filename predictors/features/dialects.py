"""Feature SQL for engines other than DuckDB: one DuckDB source per query, translated by sqlglot.

The builders write DuckDB SQL with ``?`` placeholders; ``translate(sql,
params, dialect)`` returns the same query for the warehouse's sqlglot dialect,
with a translator per dialect in ``TRANSLATORS``. For ClickHouse, sqlglot's
dialect mapping (``FILTER``, ``EXCLUDE`` -> ``EXCEPT``, ``::INT``, date
arithmetic) is not all that is needed, since some constructs translate to valid
ClickHouse that answers differently or not at all:

- ``agg(x) FILTER (WHERE c)`` runs as ``aggIf(x, c)``, which gives the type's
  default (0, 1970-01-01) where DuckDB gives NULL when no row matches; written
  as ``agg(CASE WHEN c THEN x END)`` the argument is Nullable and an empty
  match stays NULL, as in DuckDB (``count`` is 0 either way).
- ``?`` placeholders become named, typed ``{p0: String}`` ones: ClickHouse
  binds parameters by name.
- ``TIMESTAMP '...'`` literals become ``DateTime64(6)``, the type of the
  warehouse's timestamp columns, rather than sqlglot's second-precision ``DateTime``.
- ``SELECT i.country`` gets ``AS country``: ClickHouse names the column
  ``i.country`` when another joined table has a ``country`` too.

Two differences are not the translator's to fix. LEFT JOINs fill unmatched
columns with NULL only under ``join_use_nulls=1``, which both ClickHouse
connectors set on every query (``warehouse/_clickhouse_limits.py``).
ClickHouse does not run correlated subqueries inside aggregates or joins, so
the feature SQL uses joins instead (``tests/predictors/test_clickhouse_features.py``
checks every builder on both engines).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.tokens import TokenType

from warehouse.errors import QueryFailed

Params = list[Any] | dict[str, Any]

_PARAM_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "Bool"), (int, "Int64"), (float, "Float64"), (str, "String"))


def _filter_as_case(node: exp.Expression) -> exp.Expression:
    """``agg(x) FILTER (WHERE c)`` -> ``agg(CASE WHEN c THEN x END)`` (``count(*)``: ``THEN 1``)."""
    if not isinstance(node, exp.Filter):
        return node
    aggregate, condition = node.this, node.expression.this
    target = aggregate.this if isinstance(aggregate.this, exp.Distinct) else aggregate
    argument = target.expressions[0] if isinstance(target, exp.Distinct) else target.this
    value = exp.Literal.number(1) if isinstance(argument, exp.Star) else argument
    argument.replace(exp.Case(ifs=[exp.If(this=condition, true=value.copy())]))
    return aggregate


def _timestamp_literal(node: exp.Expression) -> exp.Expression:
    timestamp = (exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPNTZ)
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Literal) and node.to.is_type(*timestamp):
        return exp.cast(node.this, exp.DataType.build("DateTime64(6)", dialect="clickhouse"))
    return node


def _named_projection(node: exp.Expression) -> exp.Expression:
    """``SELECT i.country`` -> ``SELECT i.country AS country``."""
    if isinstance(node, exp.Select):
        for projection in node.expressions:
            if (isinstance(projection, exp.Column) and projection.table
                    and not isinstance(projection.this, exp.Star)):
                projection.replace(exp.alias_(projection.copy(), projection.name))
    return node


def _numbered(sql: str) -> str:
    """``?`` placeholders as ``$p0``, ``$p1``... in text order (the order of the parameters).

    Tokens, not text: a ``?`` inside a string literal is no placeholder.
    """
    tokens = sqlglot.Dialect.get_or_raise("duckdb").tokenize(sql)
    marks = [t.start for t in tokens if t.token_type == TokenType.PLACEHOLDER and t.text == "?"]
    for index in reversed(range(len(marks))):
        sql = f"{sql[:marks[index]]}$p{index}{sql[marks[index] + 1:]}"
    return sql


def _param_type(value: Any) -> str:
    for python_type, clickhouse_type in _PARAM_TYPES:
        if isinstance(value, python_type):
            return clickhouse_type
    raise TypeError(f"no ClickHouse parameter type for {type(value).__name__} values")


@functools.lru_cache(maxsize=64)  # a paged cohort sends the same text once per page
def _clickhouse_sql(sql: str, kinds: tuple[str, ...]) -> str:
    tree = sqlglot.parse_one(_numbered(sql), read="duckdb")
    placeholders = list(tree.find_all(exp.Placeholder))
    if {p.name for p in placeholders} != {f"p{index}" for index in range(len(kinds))}:
        raise ValueError(f"the query has {len(placeholders)} placeholders for {len(kinds)} parameters")
    for placeholder in placeholders:
        placeholder.set("kind", exp.DataType.build(kinds[int(placeholder.name[1:])], dialect="clickhouse"))
    tree = tree.transform(_filter_as_case).transform(_timestamp_literal).transform(_named_projection)
    return tree.sql(dialect="clickhouse")


def to_clickhouse(sql: str, params: list[Any]) -> tuple[str, dict[str, Any]]:
    kinds = tuple(_param_type(value) for value in params)
    return _clickhouse_sql(sql, kinds), {f"p{index}": value for index, value in enumerate(params)}


TRANSLATORS: dict[str, Callable[[str, list[Any]], tuple[str, Params]]] = {
    "duckdb": lambda sql, params: (sql, params),
    "clickhouse": to_clickhouse,
}


def translate(sql: str, params: list[Any], dialect: str) -> tuple[str, Params]:
    """DuckDB ``sql`` with ``?`` ``params``, for a warehouse speaking ``dialect``."""
    translator = TRANSLATORS.get(dialect)
    if translator is None:
        raise QueryFailed(f"the predictor tools build their features in DuckDB or ClickHouse SQL, "
                          f"not for a {dialect} warehouse")
    return translator(sql, list(params))
