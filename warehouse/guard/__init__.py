"""The SQL guard: every statement that reaches a warehouse passes through here.

``guard_sql(sql, schema=..., dialect=...)`` parses one statement with the
explicit source dialect, proves it read-only, restricts tables and functions,
resolves columns against the schema, caps the rows and re-emits it in the
target dialect. It fails closed: anything it cannot prove safe is refused with
a :class:`GuardError` -- never another exception type.

Error codes (``GuardError.code``; also in docs/sql-guard.md):

==================== =====================================================
sql_syntax           empty, too long, too deeply nested, or does not parse
multiple_statements  more than one statement
forbidden_statement  not a query, or a write/DDL/session node anywhere,
                     SELECT INTO, FOR UPDATE, ClickHouse SETTINGS / FORMAT
forbidden_function   table function outside the allowlist, qualified call,
                     function not on the allow-list
forbidden_table      file path, system catalog, other schema or database
unknown_table        a table the warehouse or the allowlist does not expose
unknown_column       a column no source of the query has
ambiguous_column     an unqualified column more than one source has
invalid_query        cannot be resolved against the schema otherwise
invalid_limit        LIMIT not a whole number, negative, percent, WITH TIES
unsupported_dialect  a dialect other than duckdb / clickhouse / sqlite
transpile_failed     the target dialect cannot express the query
guard_internal       unexpected failure inside the guard (refused)
==================== =====================================================
"""
from __future__ import annotations

from warehouse.guard.errors import (
    AmbiguousColumn,
    ForbiddenFunction,
    ForbiddenStatement,
    ForbiddenTable,
    GuardError,
    GuardInternalError,
    InvalidLimit,
    InvalidQuery,
    MultipleStatements,
    SqlSyntaxError,
    TranspileError,
    UnknownColumn,
    UnknownTable,
    UnsupportedDialect,
)
from warehouse.guard.guard import RULES, GuardedSQL, guard_sql

__all__ = [
    "RULES",
    "AmbiguousColumn",
    "ForbiddenFunction",
    "ForbiddenStatement",
    "ForbiddenTable",
    "GuardError",
    "GuardInternalError",
    "GuardedSQL",
    "InvalidLimit",
    "InvalidQuery",
    "MultipleStatements",
    "SqlSyntaxError",
    "TranspileError",
    "UnknownColumn",
    "UnknownTable",
    "UnsupportedDialect",
    "guard_sql",
]
