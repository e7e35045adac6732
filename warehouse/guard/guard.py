"""The guard pipeline: an ordered tuple of small rules over one context.

Each rule reads and updates a :class:`GuardContext` and raises one precise
:class:`GuardError` subclass. ``guard_sql`` runs them in order and turns any
unexpected exception into a refusal, so the guard fails closed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.errors import ErrorLevel, UnsupportedError

from warehouse.base import Schema
from warehouse.guard.columns import check_columns
from warehouse.guard.errors import (
    GuardError,
    GuardInternalError,
    InvalidLimit,
    SqlSyntaxError,
    TranspileError,
)
from warehouse.guard.functions import restrict_functions
from warehouse.guard.limits import cap_limit
from warehouse.guard.parse import parse_single_statement, require_dialect
from warehouse.guard.statements import reject_writes, require_query_root
from warehouse.guard.tables import restrict_tables


@dataclass(frozen=True)
class GuardedSQL:
    """An accepted query: ``sql`` in the target dialect, safe to execute.

    ``expression`` is ``sql`` parsed back in the target dialect (the tree that
    passed the final re-check), ``limit`` the row cap it carries, ``tables``
    the exposed tables it reads.
    """

    sql: str
    expression: exp.Expression
    limit: int
    tables: frozenset[str]


@dataclass
class GuardContext:
    sql: str
    dialect: str
    target: str
    schema: Schema
    max_rows: int
    tree: exp.Expression | None = None
    tables: frozenset[str] = frozenset()
    limit: int = 0
    emitted: str = ""
    emitted_tree: exp.Expression | None = None


def parse_statement(ctx: GuardContext) -> None:
    ctx.tree = parse_single_statement(ctx.sql, ctx.dialect)


def require_single_query(ctx: GuardContext) -> None:
    ctx.tree = require_query_root(ctx.tree)


def reject_write_nodes(ctx: GuardContext) -> None:
    reject_writes(ctx.tree)


def restrict_function_calls(ctx: GuardContext) -> None:
    # The source dialect's allow-list here; the target's in recheck_emitted. Every
    # dialect's denylist applies to both: ``getSetting`` is refused in DuckDB SQL too.
    restrict_functions(ctx.tree, ctx.dialect)


def restrict_to_exposed_tables(ctx: GuardContext) -> None:
    ctx.tables = restrict_tables(ctx.tree, ctx.schema, ctx.dialect)


def resolve_columns(ctx: GuardContext) -> None:
    # Last, and in place: the SQL is already emitted from this tree, so
    # qualify's rewriting no longer matters and the copy it needs is saved.
    check_columns(ctx.tree, ctx.schema, ctx.dialect, in_place=True)


def cap_rows(ctx: GuardContext) -> None:
    ctx.tree, ctx.limit = cap_limit(ctx.tree, ctx.max_rows)


def transpile_to_target(ctx: GuardContext) -> None:
    try:
        ctx.emitted = ctx.tree.sql(dialect=ctx.target, comments=False, unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as exc:
        raise TranspileError(
            f"the query cannot be expressed faithfully in {ctx.target}: {exc}",
            hint=f"write it in {ctx.target} SQL directly",
        ) from None


def recheck_emitted(ctx: GuardContext) -> None:
    """Parse what will actually run and re-apply the read-only rules to it.

    Kept even when the dialect does not change: the generator can print a
    tree that does not read back (a bare ``SELECT`` becomes ``SELECT LIMIT
    1000``), and only a re-parse of the text that will run proves it.
    """
    tree = require_query_root(parse_single_statement(ctx.emitted, ctx.target))
    reject_writes(tree)
    restrict_functions(tree, ctx.target)
    restrict_tables(tree, ctx.schema, ctx.target)
    ctx.emitted_tree = tree


RULES: tuple[Callable[[GuardContext], None], ...] = (
    parse_statement,
    require_single_query,
    reject_write_nodes,
    restrict_function_calls,
    restrict_to_exposed_tables,
    cap_rows,
    transpile_to_target,
    recheck_emitted,
    resolve_columns,
)


def guard_sql(
    sql: str | exp.Expression,
    *,
    schema: Schema,
    dialect: str,
    target_dialect: str | None = None,
    max_rows: int = 1000,
    allowed_tables: Iterable[str] | None = None,
) -> GuardedSQL:
    """Check one statement and return it capped and transpiled, or raise a GuardError."""
    try:
        ctx = _context(sql, schema, dialect, target_dialect, max_rows, allowed_tables)
        for rule in RULES:
            rule(ctx)
        return GuardedSQL(ctx.emitted, ctx.emitted_tree, ctx.limit, ctx.tables)
    except GuardError:
        raise
    except RecursionError:
        raise SqlSyntaxError("the SQL is nested too deeply to check", hint="simplify the query") from None
    except Exception as exc:  # noqa: BLE001 - fail closed: an unexpected failure is a refusal
        raise GuardInternalError(
            f"the guard could not check this query ({type(exc).__name__}: {exc}); it was refused"
        ) from None


def _context(sql, schema, dialect, target_dialect, max_rows, allowed_tables) -> GuardContext:
    source = require_dialect(dialect, "source")
    target = require_dialect(target_dialect or source, "target")
    if not isinstance(schema, Schema):
        raise GuardInternalError("the guard needs a warehouse Schema to check tables and columns")
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows <= 0:
        raise InvalidLimit(f"max_rows must be a positive whole number, not {max_rows!r}")
    if allowed_tables is not None:
        names = [allowed_tables] if isinstance(allowed_tables, str) else list(allowed_tables)
        schema = schema.restricted_to(names)
    return GuardContext(_as_text(sql, source), source, target, schema, max_rows)


def _as_text(sql: str | exp.Expression, dialect: str) -> str:
    """An Expression is checked like text: writes are named first, then it is
    rendered and re-parsed, so a hand-built node that renders to something
    else (an identifier holding ``; DROP ...``) is caught by the parser."""
    if not isinstance(sql, exp.Expression):
        return sql
    reject_writes(sql)
    return sql.sql(dialect=dialect)
