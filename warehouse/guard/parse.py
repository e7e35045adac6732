"""Step 1: text -> exactly one query tree, parsed with the explicit dialect.

A parse error is a rejection: the guard never falls back to the raw text, and
it never accepts sqlglot's ``Command`` fallback for syntax it does not know.
"""
from __future__ import annotations

import logging

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, TokenError

from warehouse.guard.errors import ForbiddenStatement, MultipleStatements, SqlSyntaxError, UnsupportedDialect

# sqlite is the engine of the public text-to-SQL benchmarks the eval harness runs.
SUPPORTED_DIALECTS = ("duckdb", "clickhouse", "sqlite")
MAX_SQL_CHARS = 100_000
# First words of statements that are never queries, for texts sqlglot cannot parse.
NON_QUERY_KEYWORDS = frozenset({
    "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE", "DROP", "CREATE", "ALTER",
    "TRUNCATE", "COPY", "EXPORT", "IMPORT", "ATTACH", "DETACH", "INSTALL", "LOAD", "FORCE",
    "SET", "RESET", "PRAGMA", "CALL", "EXEC", "EXECUTE", "PREPARE", "DEALLOCATE", "VACUUM",
    "CHECKPOINT", "ANALYZE", "BEGIN", "COMMIT", "ROLLBACK", "ABORT", "USE", "GRANT", "REVOKE",
    "SYSTEM", "OPTIMIZE", "KILL", "RENAME", "EXCHANGE", "UNDROP", "SUMMARIZE",
    "DESCRIBE", "DESC", "SHOW", "EXPLAIN", "COMMENT", "WATCH", "BACKUP", "RESTORE",
})

# sqlglot logs a warning when it falls back to ``Command``; the guard turns that
# case into a precise error, so the log line is only noise.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


def require_dialect(dialect: str | None, role: str) -> str:
    name = (dialect or "").lower()
    if name not in SUPPORTED_DIALECTS:
        raise UnsupportedDialect(
            f"{role} dialect {dialect!r} is not supported",
            hint=f"use one of: {', '.join(SUPPORTED_DIALECTS)}",
        )
    return name


def parse_single_statement(sql: str, dialect: str) -> exp.Expression:
    """The one statement in ``sql``; empty statements (stray ``;``) are ignored."""
    if not isinstance(sql, str) or not sql.strip():
        raise SqlSyntaxError("the SQL is empty", hint="send one SELECT statement")
    if len(sql) > MAX_SQL_CHARS:
        raise SqlSyntaxError(f"the SQL is longer than {MAX_SQL_CHARS} characters")
    statements = [s for s in _parse(sql, dialect) if s is not None]
    if not statements:
        raise SqlSyntaxError("the SQL contains no statement", hint="send one SELECT statement")
    if len(statements) > 1:
        raise MultipleStatements(
            f"found {len(statements)} statements; only one query can run at a time",
            hint="remove everything after the first statement's semicolon",
        )
    return statements[0]


def _parse(sql: str, dialect: str) -> list[exp.Expression | None]:
    try:
        return sqlglot.parse(sql, read=dialect, error_level=ErrorLevel.IMMEDIATE)
    except (ParseError, TokenError) as exc:
        keyword = _leading_keyword(sql, dialect)
        if keyword in NON_QUERY_KEYWORDS:
            # e.g. EXPORT DATABASE, which sqlglot cannot parse: still say what it is.
            raise ForbiddenStatement(
                f"only read-only queries can run, not {keyword} statements",
                hint="write a single SELECT",
            ) from None
        raise SqlSyntaxError(f"the SQL does not parse as {dialect}: {_first_line(exc)}") from None


def _leading_keyword(sql: str, dialect: str) -> str:
    try:
        tokens = sqlglot.tokenize(sql, read=dialect)
    except Exception:  # noqa: BLE001 - an untokenisable text is a syntax error, reported by the caller
        return ""
    return tokens[0].text.upper() if tokens else ""


def _first_line(exc: Exception) -> str:
    # sqlglot's message carries an ANSI-highlighted excerpt on later lines.
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text.replace("\x1b[4m", "").replace("\x1b[0m", "")
