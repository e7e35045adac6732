"""Parse the filter mini-syntax into :class:`Filter` objects.

Accepted: ``dim = 'v'``, ``dim != 'v'``, ``dim > 3`` (and ``>=``, ``<``, ``<=``),
``dim IN ('a', 'b')``, ``dim NOT IN ('a')``, with string, number or
TRUE/FALSE literals. Anything else (functions, subqueries, OR) is rejected:
a filter is data, never SQL that gets pasted into a query.
"""
from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from semantic_layer.errors import SemanticQueryError
from semantic_layer.schema import Filter

_COMPARISONS = {exp.EQ: "=", exp.NEQ: "!=", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<="}
_EXAMPLES = "dim = 'value', dim != 'value', dim IN ('a', 'b'), dim NOT IN ('a'), dim > 3"


def parse_filter(text: str) -> Filter:
    """``"platform = 'iOS'"`` -> ``Filter(dimension="platform", op="=", values=("iOS",))``."""
    try:
        tree = sqlglot.parse_one(text, read="duckdb")
    except ParseError:
        raise _rejected(text, "it does not parse") from None
    negated = isinstance(tree, exp.Not)
    node = tree.this if negated else tree
    if isinstance(node, exp.In) and not node.args.get("query"):
        values = tuple(_literal(text, v) for v in node.expressions)
        return Filter(dimension=_dimension(text, node.this), op="not in" if negated else "in", values=values)
    op = _COMPARISONS.get(type(node))
    if op is None or negated:
        raise _rejected(text, "the operator is not supported")
    return Filter(dimension=_dimension(text, node.this), op=op, values=(_literal(text, node.expression),))


def _dimension(text: str, node: exp.Expression) -> str:
    if not isinstance(node, exp.Column) or node.table:
        raise _rejected(text, "the left side must be a dimension name")
    return node.name


def _literal(text: str, node: exp.Expression) -> bool | int | float | str:
    if isinstance(node, exp.Boolean):
        return node.this
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and not node.this.is_string:
        return -_number(node.this.this)
    if isinstance(node, exp.Literal):
        return node.this if node.is_string else _number(node.this)
    raise _rejected(text, f"{node.sql()} is not a literal value")


def _number(token: str) -> int | float:
    return float(token) if any(c in token for c in ".eE") else int(token)


def _rejected(text: str, reason: str) -> SemanticQueryError:
    return SemanticQueryError(f"cannot use filter {text!r}: {reason}; write one of: {_EXAMPLES}")
