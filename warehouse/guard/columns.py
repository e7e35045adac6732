"""Column checks: every column resolves against the schema, or a precise error.

sqlglot's ``qualify`` does the resolution (stars, aliases, USING, CTEs,
correlated subqueries); its own validation is replaced by ours so an error
names the column, where it was looked for, and the closest real names. The
qualified copy is used only for checking -- the emitted SQL keeps the
author's spelling and quoting.
"""
from __future__ import annotations

import re
from functools import lru_cache

from sqlglot import exp
from sqlglot.errors import OptimizeError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope
from sqlglot.schema import MappingSchema

from warehouse.base import Schema
from warehouse.guard.errors import AmbiguousColumn, InvalidQuery, UnknownColumn, UnknownTable
from warehouse.guard.suggest import did_you_mean, listing

# qualify's messages for qualified references (``e.revenu``, ``x.*``) it cannot resolve.
_UNKNOWN_COLUMN = re.compile(r"Unknown column: (.+)$")
_UNKNOWN_TABLE = re.compile(r"Unknown table: (.+)$")


def check_columns(tree: exp.Expression, schema: Schema, dialect: str, *, in_place: bool = False) -> None:
    """Raise when a column does not resolve; ``in_place`` lets qualify rewrite ``tree``."""
    probe = tree if in_place else tree.copy()
    try:
        qualify(probe, schema=_mapping_schema(_fingerprint(schema), dialect), dialect=dialect,
                validate_qualify_columns=False, quote_identifiers=False, identify=False)
    except OptimizeError as exc:
        raise _from_optimize_error(str(exc), probe, schema) from None
    for scope in traverse_scope(probe):
        if isinstance(scope.expression, exp.Select):
            _check_scope(scope, schema)


def _fingerprint(schema: Schema) -> tuple:
    return tuple((t.name, tuple((c.name, c.type) for c in t.columns)) for t in schema.tables.values())


@lru_cache(maxsize=64)
def _mapping_schema(fingerprint: tuple, dialect: str) -> MappingSchema:
    # Built once per (schema, dialect): normalising the mapping costs more than guarding a query.
    mapping = {table: dict(columns) for table, columns in fingerprint}
    return MappingSchema(mapping, dialect=dialect)


def _check_scope(scope: Scope, schema: Schema) -> None:
    if scope.external_columns and not scope.is_correlated_subquery and not scope.pivots:
        raise _unresolved(scope.external_columns[0], scope, schema)
    if scope.unqualified_columns:
        raise _unresolved(scope.unqualified_columns[0], scope, schema)


def _unresolved(column: exp.Column, scope: Scope, schema: Schema) -> Exception:
    if column.table and column.table not in scope.sources:
        return _unknown_qualifier(column.table, list(scope.selected_sources))
    if column.table:
        source = scope.sources[column.table]
        return _unknown(column, [_source_label(column.table, source)], _source_columns(source, schema))
    owners = [n for n, s in scope.selected_sources.items() if _has_column(s, column.name, schema)]
    if len(owners) > 1:
        return AmbiguousColumn(
            f"column `{column.name}` is in more than one source ({', '.join(f'`{o}`' for o in owners)})",
            hint=f"qualify it, e.g. `{owners[0]}.{column.name}`",
        )
    labels = [_source_label(n, s) for n, s in scope.selected_sources.items()]
    candidates = [c for _, s in scope.selected_sources.items() for c in _source_columns(s, schema)]
    return _unknown(column, labels, candidates)


def _unknown(column: exp.Column | str, where: list[str], candidates: list[str]) -> UnknownColumn:
    name = column if isinstance(column, str) else column.name
    place = ", ".join(f"`{w}`" for w in where) or "the query's sources"
    hint = listing("columns", candidates)
    if isinstance(column, exp.Column) and column.this.args.get("quoted"):
        # "purchase" in double quotes is a column name in SQL, not a text value.
        hint = f"for a text value use single quotes: '{name}'; {hint}"
    return UnknownColumn(f"column `{name}` not found in {place}{did_you_mean(name, candidates)}", hint=hint)


def _unknown_qualifier(qualifier: str, sources: list[str]) -> UnknownTable:
    return UnknownTable(
        f"`{qualifier}` is not a table or alias in this part of the query{did_you_mean(qualifier, sources)}",
        hint=f"qualify columns with one of: {', '.join(f'`{s}`' for s in sources) or 'nothing (no FROM)'}",
    )


def _source_label(alias: str, source: object) -> str:
    if isinstance(source, tuple):  # selected_sources values are (node, source)
        source = source[1]
    return source.name if isinstance(source, exp.Table) and source.name else alias


def _source_columns(source: object, schema: Schema) -> list[str]:
    if isinstance(source, tuple):
        source = source[1]
    if isinstance(source, exp.Table):
        table = schema.table(source.name)
        return [c.name for c in table.columns] if table else []
    if isinstance(source, Scope) and isinstance(source.expression, exp.Query):
        return [n for n in source.expression.named_selects if n != "*"]
    return []


def _has_column(source: object, name: str, schema: Schema) -> bool:
    return name.lower() in {c.lower() for c in _source_columns(source, schema)}


def _from_optimize_error(message: str, tree: exp.Expression, schema: Schema) -> Exception:
    first_line = message.splitlines()[0] if message else "unknown error"
    table = _UNKNOWN_TABLE.search(first_line)
    if table:
        return _unknown_qualifier(table.group(1).strip(), [t.alias_or_name for t in tree.find_all(exp.Table)])
    match = _UNKNOWN_COLUMN.search(first_line)
    if not match:
        return InvalidQuery(f"the query cannot be resolved against the schema: {first_line}")
    name = match.group(1).strip()
    column = next((c for c in tree.find_all(exp.Column) if c.name.lower() == name.lower() and c.table), None)
    if column is None:
        return _unknown(name, [], [c.name for t in schema.tables.values() for c in t.columns])
    label, candidates = _aliased_source(tree, column.table, schema)
    return _unknown(name, [label], candidates)


def _aliased_source(tree: exp.Expression, alias: str, schema: Schema) -> tuple[str, list[str]]:
    """What a qualifier such as ``e`` in ``e.revenu`` points at, and its columns."""
    for node in tree.find_all(exp.Table, exp.Subquery, exp.CTE):
        if node.alias_or_name.lower() != alias.lower():
            continue
        if isinstance(node, (exp.Subquery, exp.CTE)) and isinstance(node.this, exp.Query):
            return alias, [n for n in node.this.named_selects if n != "*"]
        table = schema.table(node.name) if isinstance(node, exp.Table) else None
        if table is not None:
            return table.name, [c.name for c in table.columns]
    return alias, []
