"""The embedded default engine: a DuckDB file opened read-only and locked down.

Hardening follows DuckDB's "Securing DuckDB" guidance: the file is opened
``read_only``; external access (files, network, ATTACH, COPY) and extension
installing/loading are disabled; memory and threads are capped; and the
configuration is locked last, so a query cannot ``SET`` any of it back.
The SQL guard in front is a second line of defence, not the only one.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from warehouse._inflight import InFlight, engine_message, stop_error
from warehouse._schema_scan import build_schema, quote_double
from warehouse.base import Column, Result, Schema, Warehouse
from warehouse.errors import QueryFailed, WarehouseError, WarehouseUnavailable

# Applied when the database is opened; the lock comes after, as its own statement.
HARDENING: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
}

_COLUMNS_SQL = """
    SELECT table_name, column_name, data_type
    FROM duckdb_columns()
    WHERE database_name = current_database() AND schema_name = 'main'
    ORDER BY table_name, column_index
"""


class DuckDBWarehouse(Warehouse):
    name = "duckdb"
    dialect = "duckdb"

    def __init__(
        self,
        path: str | Path,
        *,
        timeout_s: float = 30.0,
        max_rows: int = 1000,
        memory_limit: str = "2GB",
        threads: int = 2,
    ):
        self.path = Path(path).expanduser().resolve()
        self.timeout_s = float(timeout_s)
        self.max_rows = int(max_rows)
        self._damage: str | None = None  # set once a query finds the file damaged (see _damaged_file)
        self._conn = _open_hardened(self.path, memory_limit, threads)
        self._inflight = InFlight()

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Result:
        query_id = uuid.uuid4().hex
        started = time.perf_counter()
        # One cursor per call: DuckDB cursors are independent connections to the
        # same database, so threads can query at once and be interrupted one by one.
        cursor = self._cursor()
        try:
            with self._inflight.track(query_id, cursor.interrupt, self.timeout_s) as running:
                try:
                    columns, rows = self._run(cursor, sql, params)
                except duckdb.Error as exc:
                    raise (stop_error(running, self.timeout_s) or self._engine_error(exc)) from None
        finally:
            cursor.close()
        truncated = len(rows) > self.max_rows
        elapsed_ms = (time.perf_counter() - started) * 1000
        return Result(columns, rows[: self.max_rows], truncated, elapsed_ms, query_id)

    def _run(self, cursor, sql: str, params) -> tuple[list[Column], list[tuple[Any, ...]]]:
        cursor.execute(sql, params)
        if cursor.description is None:  # a statement without a result set
            return [], []
        columns = [Column(d[0], str(d[1])) for d in cursor.description]
        return columns, cursor.fetchmany(self.max_rows + 1)

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        if self._conn is None:
            raise WarehouseUnavailable(f"the DuckDB warehouse {self.path} is closed")
        if self._damage is not None:  # a damaged file does not heal: every call says so, and readiness too
            raise WarehouseUnavailable(self._damage)
        return self._conn.cursor()

    def _engine_error(self, exc: duckdb.Error) -> WarehouseError:
        message = engine_message(exc)
        if not _is_damage(message):
            return QueryFailed(message)
        self._damage = _damaged_file(self.path, message)
        return WarehouseUnavailable(self._damage)


    def _scan_schema(self) -> Schema:
        cursor = self._cursor()
        try:
            columns = cursor.execute(_COLUMNS_SQL).fetchall()
            return build_schema(columns, lambda sql: cursor.execute(sql).fetchall(), _is_text, quote_double)
        except duckdb.Error as exc:
            error = self._engine_error(exc)
            if isinstance(error, QueryFailed):
                error = QueryFailed(f"could not read the warehouse schema: {error.message}")
            raise error from None
        finally:
            cursor.close()

    def cancel(self) -> None:
        self._inflight.cancel_all()

    def close(self) -> None:
        if self._conn is not None:
            self._inflight.cancel_all()
            self._conn.close()
            self._conn = None

    def identity(self) -> str:
        return f"duckdb:{self.path}"


def _is_text(type_name: str) -> bool:
    return type_name.upper() == "VARCHAR"


def _open_hardened(path: Path, memory_limit: str, threads: int) -> duckdb.DuckDBPyConnection:
    if not path.is_file():
        raise WarehouseUnavailable(
            f"no DuckDB warehouse file at {path}; build the demo with `asklytics demo build` "
            "or point ASKLYTICS_WAREHOUSE_PATH at an existing DuckDB file"
        )
    config = {**HARDENING, "memory_limit": memory_limit, "threads": int(threads)}
    try:
        conn = duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as exc:
        raise _open_error(path, exc) from None
    _lock_configuration(conn)
    return conn


def _lock_configuration(conn: duckdb.DuckDBPyConnection) -> None:
    # DuckDB shares one database instance per file within a process, so a second
    # connector on the same file finds the configuration already locked.
    locked = conn.execute("SELECT current_setting('lock_configuration')").fetchone()[0]
    if not locked:
        conn.execute("SET lock_configuration = true")


# DuckDB's words for a damaged file (a bad header, a block checksum mismatch, a short read):
# the file is at fault, not the query.
DAMAGE_MARKERS = ("not a valid duckdb database", "corrupt database file", "could not read enough bytes")


def _is_damage(message: str) -> bool:
    return any(marker in message.lower() for marker in DAMAGE_MARKERS)


def _damaged_file(path: Path, message: str) -> str:
    return (f"the file at {path} is not a valid DuckDB database ({message}); rebuild it with "
            "`asklytics demo build`, or point ASKLYTICS_WAREHOUSE_PATH at an intact DuckDB file, "
            "then restart the server")


def _open_error(path: Path, exc: duckdb.Error) -> WarehouseError:
    message = engine_message(exc)
    if _is_damage(message):
        return WarehouseUnavailable(_damaged_file(path, message))
    if "different configuration" in message:
        hint = "another connector in this process has it open with other memory_limit/threads settings"
    elif "lock" in message.lower():
        hint = "another process holds it open for writing (is a demo build still running?)"
    else:
        hint = "is it a DuckDB database file written by a compatible DuckDB version?"
    return WarehouseUnavailable(f"cannot open the DuckDB warehouse {path}: {message}; {hint}")
