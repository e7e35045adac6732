"""Copy a DuckDB warehouse into a chdb folder (the ClickHouse engine's copy of the demo).

Trusted code, not user SQL: it writes Parquet files and reads them back with
ClickHouse's ``file()`` table function, which the query connector refuses.
Column types follow the contract: VARCHAR -> String, BIGINT -> Int64,
DOUBLE -> Float64, BOOLEAN -> Bool, DATE -> Date, TIMESTAMP -> DateTime64(6),
wrapped in Nullable(...) when the column holds NULLs or the contract says it
may (organic installs have no campaign_id or click_time).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import duckdb

from warehouse._schema_scan import quote_backtick, quote_double
from warehouse.chdb_process import ProcessFolder

# Nullable by contract even if a small build happens to have no NULLs there.
CONTRACT_NULLABLE = {("installs", "campaign_id"), ("installs", "click_time"), ("installs", "fraud_type")}

DUCKDB_TO_CLICKHOUSE = {
    "VARCHAR": "String",
    "BLOB": "String",
    "UUID": "UUID",
    "BOOLEAN": "Bool",
    "TINYINT": "Int8",
    "SMALLINT": "Int16",
    "INTEGER": "Int32",
    "BIGINT": "Int64",
    "HUGEINT": "Int128",
    "UTINYINT": "UInt8",
    "USMALLINT": "UInt16",
    "UINTEGER": "UInt32",
    "UBIGINT": "UInt64",
    "FLOAT": "Float32",
    "DOUBLE": "Float64",
    "DATE": "Date",
    "TIMESTAMP": "DateTime64(6)",
    "TIMESTAMP_NS": "DateTime64(9)",
    "TIMESTAMP WITH TIME ZONE": "DateTime64(6, 'UTC')",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def clickhouse_type(duckdb_type: str, nullable: bool) -> str:
    """The ClickHouse column type for a DuckDB one."""
    upper = duckdb_type.upper()
    if decimal := _DECIMAL.fullmatch(upper):
        base = f"Decimal({decimal.group(1)}, {decimal.group(2)})"
    elif upper in DUCKDB_TO_CLICKHOUSE:
        base = DUCKDB_TO_CLICKHOUSE[upper]
    else:
        raise ValueError(f"no ClickHouse type for DuckDB type {duckdb_type!r}; extend DUCKDB_TO_CLICKHOUSE")
    return f"Nullable({base})" if nullable else base


def load_demo_from_duckdb(duckdb_path: Path, chdb_path: Path) -> None:
    """Create every ``main`` table of the DuckDB file in a chdb folder, rows included."""
    chdb_path = Path(chdb_path).resolve()
    chdb_path.mkdir(parents=True, exist_ok=True)
    source = _attach_read_only(Path(duckdb_path).resolve())
    folder = ProcessFolder.claim(chdb_path)
    try:
        conn = folder.connect({"session_timezone": "UTC"})
        try:
            with tempfile.TemporaryDirectory(prefix="asklytics-chdb-") as tmp:
                for table in _table_names(source):
                    _copy_table(source, conn, table, Path(tmp) / f"{table}.parquet")
        finally:
            conn.close()
    finally:
        folder.release()
        source.close()


def clickhouse_columns(duckdb_path: Path) -> dict[str, list[tuple[str, str]]]:
    """Every ``main`` table of the DuckDB file: its columns as (name, ClickHouse type), as loaded."""
    source = _attach_read_only(Path(duckdb_path).resolve())
    try:
        return {table: _column_types(source, table, f"src.main.{quote_double(table)}")
                for table in _table_names(source)}
    finally:
        source.close()


def _attach_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    # A fresh in-memory database attaching the file: works even while a hardened
    # connector in this process holds the file with external access disabled.
    conn = duckdb.connect()
    conn.execute(f"ATTACH {_sql_string(str(path))} AS src (READ_ONLY)")
    return conn


def _table_names(source: duckdb.DuckDBPyConnection) -> list[str]:
    rows = source.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src' AND schema_name = 'main' "
        "ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def _copy_table(source: duckdb.DuckDBPyConnection, conn, table: str, parquet: Path) -> None:
    qualified = f"src.main.{quote_double(table)}"
    source.execute(f"COPY {qualified} TO {_sql_string(str(parquet))} (FORMAT parquet)")
    columns = _column_types(source, table, qualified)
    ddl = ", ".join(f"{quote_backtick(name)} {ch_type}" for name, ch_type in columns)
    target = quote_backtick(table)
    conn.query(f"DROP TABLE IF EXISTS {target}")
    conn.query(f"CREATE TABLE {target} ({ddl}) ENGINE = MergeTree ORDER BY tuple()")
    names = ", ".join(quote_backtick(name) for name, _ in columns)
    conn.query(
        f"INSERT INTO {target} ({names}) SELECT {names} FROM file({_ch_string(str(parquet))}, Parquet)"
    )


def _column_types(source: duckdb.DuckDBPyConnection, table: str, qualified: str) -> list[tuple[str, str]]:
    described = source.execute(f"DESCRIBE {qualified}").fetchall()
    names = [row[0] for row in described]
    null_counts = source.execute(
        "SELECT " + ", ".join(f"count(*) - count({quote_double(n)})" for n in names) + f" FROM {qualified}"
    ).fetchone()
    return [
        (name, clickhouse_type(row[1], nulls > 0 or (table, name) in CONTRACT_NULLABLE))
        for name, row, nulls in zip(names, described, null_counts, strict=True)
    ]


def _sql_string(text: str) -> str:
    """A DuckDB string literal (no backslash escapes in DuckDB)."""
    return "'" + text.replace("'", "''") + "'"


def _ch_string(text: str) -> str:
    """A ClickHouse string literal (backslash escapes apply)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
