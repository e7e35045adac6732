"""Build a :class:`Schema` from an engine's column listing.

Shared by the engines: each lists ``(table, column, type)`` its own way and
passes a ``run(sql) -> rows`` function; counting rows and collecting the
distinct values of low-cardinality text columns is the same SQL everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from warehouse.base import Schema, SchemaColumn, SchemaTable

# Text columns with at most this many distinct values get them listed, so
# retrieval can map "Germany" to DE without a query.
MAX_LISTED_VALUES = 50
INTERNAL_PREFIX = "asklytics_"

RunSql = Callable[[str], Sequence[tuple[Any, ...]]]


def build_schema(
    columns: Iterable[tuple[str, str, str]],
    run: RunSql,
    is_text: Callable[[str], bool],
    quote: Callable[[str], str],
) -> Schema:
    """Tables (minus internal ``asklytics_*`` ones) with row counts and value lists."""
    by_table: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for table, column, type_name in columns:
        if not table.lower().startswith(INTERNAL_PREFIX):
            by_table[table].append((column, type_name))
    tables = {
        table: _scan_table(table, cols, run, is_text, quote) for table, cols in sorted(by_table.items())
    }
    return Schema(tables)


def _scan_table(table, cols, run: RunSql, is_text, quote) -> SchemaTable:
    quoted_table = quote(table)
    row_count = int(run(f"SELECT count(*) FROM {quoted_table}")[0][0])
    scanned = tuple(
        SchemaColumn(
            name, type_name, _listed_values(quoted_table, quote(name), run) if is_text(type_name) else ()
        )
        for name, type_name in cols
    )
    return SchemaTable(table, scanned, row_count)


def _listed_values(quoted_table: str, quoted_column: str, run: RunSql) -> tuple[str, ...]:
    # LIMIT one past the threshold: enough to know the column is not low-cardinality.
    rows = run(
        f"SELECT DISTINCT {quoted_column} FROM {quoted_table} "
        f"WHERE {quoted_column} IS NOT NULL LIMIT {MAX_LISTED_VALUES + 1}"
    )
    if len(rows) > MAX_LISTED_VALUES:
        return ()
    return tuple(sorted(str(r[0]) for r in rows))


def quote_double(identifier: str) -> str:
    """ANSI identifier quoting (DuckDB)."""
    return '"' + identifier.replace('"', '""') + '"'


def quote_backtick(identifier: str) -> str:
    """ClickHouse identifier quoting."""
    return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`"
