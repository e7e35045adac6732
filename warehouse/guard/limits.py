"""Row cap: the outermost query returns at most ``max_rows`` rows.

A missing LIMIT gets the cap; a larger one (or ``LIMIT ALL`` / ``LIMIT NULL``)
is lowered to it; a smaller one is kept -- "top 5" stays 5. OFFSET is left
alone. A LIMIT the guard cannot read as a whole number is refused rather
than guessed at. ClickHouse ``LIMIT n BY col`` is a per-group limit, so the
query is wrapped and capped outside.
"""
from __future__ import annotations

from sqlglot import exp

from warehouse.guard.errors import InvalidLimit


def cap_limit(query: exp.Query, max_rows: int) -> tuple[exp.Query, int]:
    """The capped query and the row limit it now carries."""
    if _is_per_group(query):
        return _wrapped(query, max_rows), max_rows
    clause = query.args.get("limit")
    if clause is None:
        return _with_limit(query, max_rows), max_rows
    requested = _requested_rows(clause)
    limit = max_rows if requested is None else min(requested, max_rows)
    query.set("limit", exp.Limit(expression=exp.Literal.number(limit)))
    return query, limit


def _is_per_group(query: exp.Query) -> bool:
    # ClickHouse LIMIT n [OFFSET m] BY cols: sqlglot keeps the BY list on the
    # Limit, or on the Offset when there is one; either way it bounds groups, not rows.
    return any(isinstance(query.args.get(k), (exp.Limit, exp.Offset)) and query.args[k].expressions
               for k in ("limit", "offset"))


def _with_limit(query: exp.Query, rows: int) -> exp.Query:
    query.set("limit", exp.Limit(expression=exp.Literal.number(rows)))
    return query


def _wrapped(query: exp.Query, rows: int) -> exp.Query:
    outer = exp.select("*").from_(query.subquery("capped"))
    return _with_limit(outer, rows)


def _requested_rows(clause: exp.Expression) -> int | None:
    """The literal row count, or None for an unbounded LIMIT ALL / LIMIT NULL."""
    options = clause.args.get("limit_options")
    if options is not None and (options.args.get("percent") or options.args.get("with_ties")):
        raise InvalidLimit("percent and WITH TIES limits are not supported", hint="use LIMIT n")
    value = clause.args.get("count") if isinstance(clause, exp.Fetch) else clause.expression
    if value is None and isinstance(clause, exp.Fetch):
        return 1  # FETCH FIRST ROW ONLY
    if isinstance(value, exp.Null) or (isinstance(value, exp.Var) and value.name.upper() == "ALL"):
        return None
    if isinstance(value, exp.Literal) and not value.is_string and value.this.isdigit():
        return int(value.this)
    raise InvalidLimit(
        f"LIMIT must be a whole number, not `{value.sql() if value is not None else 'nothing'}`",
        hint="write the row count as a plain number, e.g. LIMIT 100",
    )
