"""dbt MetricFlow ``filter:`` text -> Asklytics metric filters (``asklytics model import-dbt``).

A dbt filter is SQL with Jinja references: ``{{ Dimension('customer__region') }} = 'EU'``,
``{{ TimeDimension('order_id__ordered_at', 'day') }} >= '2024-01-01'``. Each reference becomes the
Asklytics dimension it names; the SQL must then be a conjunction (AND) of the comparisons an
Asklytics filter can hold (``=``, ``!=``, ``<``..., ``IN``, ``NOT IN``, ``BETWEEN``, a bare boolean
dimension). Anything else -- ``Entity()``, ``Metric()``, ``metric_time``, a coarser time grain, OR,
LIKE, IS NULL, functions -- raises :class:`Untranslatable` with the reason, so the caller reports the
metric instead of importing it without its filter.
"""
from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from semantic_layer.errors import SemanticQueryError
from semantic_layer.filters import parse_filter

_JINJA = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


class Untranslatable(Exception):
    """A dbt construct with no Asklytics equivalent; the message says which and why."""


class MalformedFilter(ValueError):
    """A ``filter:`` that is not a string or a list of strings (an error in the dbt project)."""


@dataclass(frozen=True)
class DimensionRef:
    """``Dimension('a__b__name')`` / ``TimeDimension('a__name', 'day')``: the name, its entity path
    (the entities joined through, last one first-class), and the grain asked for (time only)."""

    name: str
    entity_path: tuple[str, ...]
    grain: str | None
    text: str


@dataclass(frozen=True)
class ResolvedRef:
    """The Asklytics dimension a reference means: its name, type and (time) grain."""

    name: str
    type: str
    grain: str | None = None


Resolver = Callable[[DimensionRef], ResolvedRef]


def translate_filters(texts: list[str], resolve: Resolver, dialect: str) -> list[dict[str, Any]]:
    """Every filter text (dbt ANDs them) as Asklytics filter dicts; raises Untranslatable."""
    filters: list[dict[str, Any]] = []
    for text in texts:
        filters += _translate(text, resolve, dialect)
    return filters


def filter_texts(value: Any) -> list[str]:
    """A dbt ``filter:`` (one string or a list of strings) as a list; anything else is an error."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise MalformedFilter("filter must be a string or a list of strings")


def _translate(text: str, resolve: Resolver, dialect: str) -> list[dict[str, Any]]:
    resolved: dict[str, ResolvedRef] = {}

    def substitute(match: re.Match) -> str:
        ref = _reference(match.group(1).strip())
        target = resolve(ref)
        if ref.grain and ref.grain != target.grain:
            raise Untranslatable(f"{{{{ {ref.text} }}}} truncates {target.name!r} to {ref.grain} (Asklytics "
                                 f"filters compare the dimension at its own grain, {target.grain or 'none'})")
        resolved[target.name] = target
        return '"' + target.name + '"'

    sql = _JINJA.sub(substitute, text).strip()
    if "{{" in sql or "{%" in sql or "}}" in sql:
        raise Untranslatable(f"filter {_short(text)} has Jinja other than {{{{ Dimension(...) }}}}")
    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except ParseError:
        raise Untranslatable(f"filter {_short(text)} does not parse as {dialect} SQL") from None
    filters = []
    for condition in _conjuncts(tree):
        for part in _comparisons(condition):
            try:
                parsed = parse_filter(part.sql(dialect="duckdb"))
            except SemanticQueryError:
                raise Untranslatable(f"filter {_short(text)}: {part.sql(dialect=dialect)!r} is not a "
                                     "comparison an Asklytics filter can hold (=, !=, <, >, IN, NOT IN)"
                                     ) from None
            target = resolved.get(parsed.dimension)
            if target is None:
                raise Untranslatable(f"filter {_short(text)} compares {parsed.dimension!r}, which is not "
                                     "a {{ Dimension(...) }} reference")
            values = [_value(v, target, text) for v in parsed.values]
            filters.append({"dimension": parsed.dimension, "op": parsed.op, "values": values})
    return filters


def _reference(call: str) -> DimensionRef:
    """``Dimension('customer__region')``, ``Dimension('x__d').grain('day')``, ``TimeDimension(...)``."""
    try:
        node = ast.parse(call, mode="eval").body
    except SyntaxError:
        raise Untranslatable(f"{{{{ {call} }}}} is not a dbt filter reference") from None
    grain = None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr != "grain" or len(node.args) != 1:
            raise Untranslatable(f"{{{{ {call} }}}}: .{node.func.attr}() is not supported")
        grain = _constant(node.args[0], call)
        node = node.func.value
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        raise Untranslatable(f"{{{{ {call} }}}} is not a dbt filter reference")
    kind = node.func.id
    if kind in ("Entity", "Metric"):
        plural = "entities" if kind == "Entity" else "metrics"
        raise Untranslatable(f"{{{{ {call} }}}}: filters on {plural} are not supported "
                             "(an Asklytics metric filter compares a dimension with values)")
    if kind not in ("Dimension", "TimeDimension") or not node.args:
        raise Untranslatable(f"{{{{ {call} }}}} is not a Dimension or TimeDimension reference")
    args = [_constant(a, call) for a in node.args]
    keywords = {k.arg: _constant(k.value, call) for k in node.keywords}
    if kind == "TimeDimension" and len(args) > 1:
        grain = args[1]
    grain = keywords.pop("time_granularity_name", keywords.pop("grain", grain))
    extra = tuple(keywords.pop("entity_path", ()) or ())
    if keywords:
        raise Untranslatable(f"{{{{ {call} }}}}: {', '.join(keywords)} is not supported")
    *path, name = str(args[0]).split("__")
    return DimensionRef(name, tuple(str(e) for e in extra) + tuple(path),
                        str(grain).lower() if grain else None, call)


def _constant(node: ast.AST, call: str) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise Untranslatable(f"{{{{ {call} }}}} has an argument that is not a literal") from None


def _conjuncts(tree: exp.Expression) -> list[exp.Expression]:
    while isinstance(tree, exp.Paren):
        tree = tree.this
    if isinstance(tree, exp.And):
        return _conjuncts(tree.this) + _conjuncts(tree.expression)
    return [tree]


def _comparisons(condition: exp.Expression) -> list[exp.Expression]:
    """``x BETWEEN a AND b`` -> ``x >= a``, ``x <= b``; a bare boolean ``x`` -> ``x = TRUE``."""
    if isinstance(condition, exp.Between):
        return [exp.GTE(this=condition.this.copy(), expression=condition.args["low"].copy()),
                exp.LTE(this=condition.this.copy(), expression=condition.args["high"].copy())]
    if isinstance(condition, exp.Column):
        return [exp.EQ(this=condition.copy(), expression=exp.true())]
    if isinstance(condition, exp.Not) and isinstance(condition.this, exp.Column):
        return [exp.EQ(this=condition.this.copy(), expression=exp.false())]
    return [condition]


def _value(value: Any, target: ResolvedRef, text: str) -> Any:
    """Time dimensions are read as their day: a date string becomes a date."""
    if target.type != "time":
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Untranslatable(f"filter {_short(text)} compares the time dimension {target.name!r} "
                             f"with {value!r}, not a date (YYYY-MM-DD)") from None


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= 80 else flat[:77] + "...")
