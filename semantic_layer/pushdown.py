"""Date ranges pushed into a derived table's SQL, where the model's author says they hold.

A ``sql:`` semantic model is a subquery the compiler cannot see into: a date
range applied outside it (``install_date BETWEEN May 1 AND May 31``) still lets
the warehouse build the whole derived table first -- every install x every
event for retention -- and drop most of it afterwards. Like Cube's
``FILTER_PARAMS``, the author marks inside the SQL where a range may be applied
early::

    WHERE FILTER_RANGE('install_date', CAST(i.install_time AS DATE))
    ... ON e.user_id = i.user_id AND FILTER_RANGE('install_date', CAST(e.event_time AS DATE), 1, 30)

``FILTER_RANGE(name, expr[, low_days, high_days])`` becomes
``expr BETWEEN start + low_days AND end + high_days`` when the query applies a
range to ``name`` on this table -- its own time dimension (the query's time
range) or ``'cohort'`` (the cohort's install range) -- and disappears otherwise.
A range open at its end (a rollup's days after its watermark) gives ``expr >= start + low_days``.
The author vouches that rows failing it could not change the result; the
outer filter still applies, so results are those of the unmarked SQL.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from sqlglot import exp

from semantic_layer.expressions import date_literal, parsed_expression
from semantic_layer.schema import SemanticTable

PLACEHOLDER = "FILTER_RANGE"
COHORT_RANGE = "cohort"

DateRange = tuple[dt.date, dt.date | None]  # end None: open-ended


def derived_sql(table: SemanticTable, dialect: str,
                ranges: Mapping[str, DateRange] | None = None) -> exp.Expression:
    """The table's ``sql:`` parsed, each placeholder replaced by its range or removed."""
    tree = parsed_expression(table.sql, dialect)
    for call in list(placeholders(tree)):
        name, expr, low, high = placeholder_parts(call)
        window = (ranges or {}).get(name)
        if window is None:
            _remove(call)
        else:
            start, end = window
            low_day = date_literal(start + dt.timedelta(days=low))
            if end is None:
                call.replace(exp.GTE(this=expr, expression=low_day))
            else:
                high_day = date_literal(end + dt.timedelta(days=high))
                call.replace(exp.Between(this=expr, low=low_day, high=high_day))
    return tree


def placeholders(tree: exp.Expression) -> Iterator[exp.Anonymous]:
    for node in tree.find_all(exp.Anonymous):
        if str(node.this).upper() == PLACEHOLDER:
            yield node


def placeholder_parts(call: exp.Anonymous) -> tuple[str, exp.Expression, int, int]:
    """``(name, expr, low_days, high_days)``; raises ValueError when malformed (rules.py reports it)."""
    args = call.expressions
    if len(args) not in (2, 4) or not (isinstance(args[0], exp.Literal) and args[0].is_string):
        raise ValueError(f"{PLACEHOLDER} takes ('name', expression) or ('name', expression, low_days, "
                         "high_days)")
    low, high = (_days(args[2]), _days(args[3])) if len(args) == 4 else (0, 0)
    return args[0].name, args[1], low, high


def _days(node: exp.Expression) -> int:
    negative = isinstance(node, exp.Neg)
    literal = node.this if negative else node
    if not (isinstance(literal, exp.Literal) and literal.is_int):
        raise ValueError(f"{PLACEHOLDER}'s day offsets must be whole numbers")
    return -int(literal.name) if negative else int(literal.name)


def _remove(call: exp.Expression) -> None:
    """Drop the placeholder: its conjunct goes, or the WHERE that held only it."""
    parent = call.parent
    while isinstance(parent, exp.Paren):
        call, parent = parent, parent.parent
    if isinstance(parent, exp.And):
        other = parent.expression if parent.this is call else parent.this
        parent.replace(other)
    elif isinstance(parent, exp.Where):
        parent.pop()
    else:
        call.replace(exp.true())


def prune_unused_columns(outer: exp.Select, derived: exp.Expression, alias: str) -> None:
    """Drop the derived table's output columns that ``outer`` never reads (D7 alone computes no D1/D30).

    Only a plain SELECT is pruned: with DISTINCT or a set operation, fewer columns could mean fewer rows.
    """
    inner = derived.this if isinstance(derived, exp.Subquery) else None
    if not isinstance(inner, exp.Select) or inner.args.get("distinct") or any(
            isinstance(e, exp.Star) for e in inner.expressions):
        return
    used = {c.name.lower() for c in outer.find_all(exp.Column)
            if c.table == alias and c.find_ancestor(exp.Subquery) is not derived}
    kept = [e for e in inner.expressions if e.alias_or_name.lower() in used]
    if kept and len(kept) < len(inner.expressions):
        inner.set("expressions", kept)
