"""Table checks: only tables the warehouse (and the caller's allowlist) expose.

CTE names are not tables, but only where SQL scoping makes them visible: a
non-recursive CTE does not see itself or the CTEs after it, so
``WITH a AS (SELECT * FROM b), b AS (...)`` still checks the ``b`` inside
``a`` against the real tables. ClickHouse names are case-sensitive, DuckDB's
and SQLite's are not, and the comparison follows the source dialect.
"""
from __future__ import annotations

import re

from sqlglot import exp

from warehouse.base import Schema
from warehouse.guard.errors import ForbiddenTable, UnknownTable
from warehouse.guard.suggest import did_you_mean, listing

SYSTEM_SCHEMAS = frozenset({"system", "information_schema", "pg_catalog", "temp", "temporary"})
SYSTEM_TABLE_PREFIXES = ("duckdb_", "pg_", "sqlite_", "information_schema")
# The default schema may be named explicitly (``main.events`` in DuckDB).
ALLOWED_QUALIFIERS = {"duckdb": frozenset({"main"}), "clickhouse": frozenset(), "sqlite": frozenset({"main"})}
PATH_LIKE = re.compile(r"[/\\:*?~]|\.[A-Za-z0-9]{1,8}$")


def restrict_tables(tree: exp.Expression, schema: Schema, dialect: str) -> frozenset[str]:
    """The exposed tables the query reads; raises on anything else in FROM/JOIN."""
    used: set[str] = set()
    for table in tree.find_all(exp.Table):
        if isinstance(table.this, exp.Func):
            continue  # table functions are the functions rule's business
        if not isinstance(table.this, exp.Identifier):
            raise ForbiddenTable(f"`{table.sql(dialect)}` is not a table name")
        if not _qualifiers(table) and _is_visible_cte(table, dialect):
            continue
        used.add(_exposed_table(table, schema, dialect))
    return frozenset(used)


def _exposed_table(table: exp.Table, schema: Schema, dialect: str) -> str:
    _check_qualifiers(table, dialect)
    name = table.name
    _reject_paths_and_catalogs(name)
    known = schema.table(name)
    if known is None or (dialect == "clickhouse" and known.name != name):
        raise UnknownTable(
            f"table `{name}` is not available{did_you_mean(name, schema.table_names())}",
            hint=listing("tables", schema.table_names()),
        )
    return known.name


def _qualifiers(table: exp.Table) -> list[str]:
    return [part.name for part in (table.args.get("catalog"), table.args.get("db")) if part]


def _check_qualifiers(table: exp.Table, dialect: str) -> None:
    parts = _qualifiers(table)
    if not parts:
        return
    if any(p.lower() in SYSTEM_SCHEMAS for p in parts):
        raise ForbiddenTable(
            f"`{'.'.join(parts + [table.name])}` is a system catalog; it is not exposed",
            hint="query the warehouse's own tables",
        )
    if len(parts) > 1 or parts[0].lower() not in ALLOWED_QUALIFIERS[dialect]:
        raise ForbiddenTable(
            f"`{'.'.join(parts + [table.name])}` names another schema or database",
            hint=f"use the bare table name `{table.name}`",
        )


def _reject_paths_and_catalogs(name: str) -> None:
    if PATH_LIKE.search(name):
        raise ForbiddenTable(
            f"`{name}` looks like a file path or URL; reading files is not allowed",
            hint="query the warehouse's own tables",
        )
    if name.lower().startswith(SYSTEM_TABLE_PREFIXES) or name.lower() in SYSTEM_SCHEMAS:
        raise ForbiddenTable(f"`{name}` is a system catalog; it is not exposed")


def _is_visible_cte(table: exp.Table, dialect: str) -> bool:
    fold = str if dialect == "clickhouse" else str.lower
    return fold(table.name) in {fold(n) for n in _visible_cte_names(table)}


def _visible_cte_names(table: exp.Table) -> set[str]:
    names: set[str] = set()
    node: exp.Expression = table
    while node.parent is not None:
        parent = node.parent
        if isinstance(parent, exp.With) and isinstance(node, exp.CTE):
            earlier = parent.expressions[: node.index]
            names.update(cte.alias_or_name for cte in earlier)
            if parent.args.get("recursive"):
                names.add(node.alias_or_name)
        elif isinstance(parent, exp.Query) and node.arg_key != "with_" and parent.args.get("with_"):
            names.update(cte.alias_or_name for cte in parent.args["with_"].expressions)
        node = parent
    return names
