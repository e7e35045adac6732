"""SQL pieces the compiler assembles: model expressions, filters, time buckets.

Model expressions are parsed once (in the model's dialect) and copied on use;
every bare column is qualified with its semantic table's alias, so the same
name in two joined tables can never be confused.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import sqlglot
from sqlglot import exp

from semantic_layer.errors import SemanticQueryError
from semantic_layer.joins import ResolvedDimension
from semantic_layer.schema import Filter, FilterValue

# ClickHouse has a function per grain that returns a Date (weeks start on Monday,
# as DuckDB's date_trunc('week') does).
_CLICKHOUSE_BUCKETS = {"week": "toMonday", "month": "toStartOfMonth", "quarter": "toStartOfQuarter",
                       "year": "toStartOfYear"}
_COMPARISONS = {"=": exp.EQ, "!=": exp.NEQ, ">": exp.GT, ">=": exp.GTE, "<": exp.LT, "<=": exp.LTE}


@lru_cache(maxsize=1024)
def _parsed(sql: str, dialect: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read=dialect)


def prepare_expressions(model) -> int:
    """Parse every expression the model declares (its tables' SQL, its entities', dimensions' and
    measures' expressions, its derived metrics' formulas) into the parser's cache now, not when the
    first question naming one is compiled (a server's warm start, #19); one that does not parse is
    left to the compiler to report. The number parsed."""
    texts = [metric.type_params.expr for metric in model.metrics.values() if metric.type_params.expr]
    for table in model.tables.values():
        texts += [table.sql] if table.sql else []
        texts += [item.column_expr for item in (*table.entities, *table.dimensions, *table.measures)]
    parsed = 0
    for sql in dict.fromkeys(texts):
        if sql.isidentifier():
            continue  # read without a parse (model_expression)
        try:
            _parsed(sql, model.dialect)
            parsed += 1
        except sqlglot.errors.SqlglotError:
            pass
    return parsed


def model_expression(sql: str, table_alias: str, dialect: str) -> exp.Expression:
    """A model expression with bare columns qualified by ``table_alias``."""
    if sql.isidentifier():  # most expressions are a column name: skip parse and deep copy
        return exp.column(sql, table=table_alias)
    tree = _parsed(sql, dialect).copy()
    for column in tree.find_all(exp.Column):
        if not column.table:
            column.set("table", exp.to_identifier(table_alias))
    return parenthesized(tree)


def parenthesized(tree: exp.Expression) -> exp.Expression:
    """Parentheses only where operator precedence could change the meaning."""
    return exp.Paren(this=tree) if isinstance(tree, (exp.Binary, exp.Unary)) else tree


def parsed_expression(sql: str, dialect: str) -> exp.Expression:
    return _parsed(sql, dialect).copy()


def literal(value: FilterValue) -> exp.Expression:
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    if isinstance(value, dt.date):
        return date_literal(value)
    return exp.Literal.string(str(value))


def date_literal(day: dt.date) -> exp.Expression:
    return exp.Cast(this=exp.Literal.string(day.isoformat()), to=exp.DataType(this=exp.DataType.Type.DATE))


def dimension_condition(resolved: ResolvedDimension, filt: Filter, dialect: str) -> exp.Expression:
    """``filt`` on a dimension resolved from some table (``dialect`` is the model file's)."""
    target = model_expression(resolved.dimension.column_expr, resolved.table.name, dialect)
    return filter_condition(target, numeric_filter(filt) if resolved.dimension.type == "numeric" else filt)


def numeric_filter(filt: Filter) -> Filter:
    """A filter on a numeric dimension with number values (``'0.8'`` -> 0.8); anything else is refused."""
    values = tuple(_number(filt, v) for v in filt.values)
    return filt if values == filt.values else filt.model_copy(update={"values": values})


def _number(filt: Filter, value: FilterValue) -> int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        return float(str(value))
    except ValueError:
        raise SemanticQueryError(f"filter {filt.to_text()!r}: {filt.dimension!r} is numeric; "
                                 f"compare it with a number, e.g. {filt.dimension} > 0.8") from None


def filter_condition(target: exp.Expression, filt: Filter) -> exp.Expression:
    values = [literal(v) for v in filt.values]
    if filt.op in ("in", "not in"):
        condition = exp.In(this=target, expressions=values)
        return exp.Not(this=condition) if filt.op == "not in" else condition
    return comparison(filt.op, target, values[0])


def comparison(op: str, left: exp.Expression, right: exp.Expression) -> exp.Expression:
    """``left op right`` for ``=``, ``!=``, ``>``, ``>=``, ``<``, ``<=``."""
    return _COMPARISONS[op](this=left, expression=right)


def time_bucket(day_expr: exp.Expression, grain: str, dialect: str) -> exp.Expression:
    """``day_expr`` (a DATE) truncated to the start of its ``grain`` bucket, still a DATE."""
    if grain == "day":
        return day_expr
    if dialect == "clickhouse":
        return exp.Anonymous(this=_CLICKHOUSE_BUCKETS[grain], expressions=[day_expr])
    truncated = exp.DateTrunc(this=day_expr, unit=exp.Literal.string(grain))
    return exp.Cast(this=truncated, to=exp.DataType(this=exp.DataType.Type.DATE))


def safe_divide(numerator: exp.Expression, denominator: exp.Expression) -> exp.Expression:
    """Float division that yields NULL (not an error, not infinity) for a zero denominator."""
    as_double = exp.Cast(this=numerator, to=exp.DataType(this=exp.DataType.Type.DOUBLE))
    return exp.Div(this=as_double, expression=exp.Nullif(this=denominator, expression=exp.Literal.number(0)))
