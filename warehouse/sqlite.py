"""SQLite files, read-only: the engine of the public text-to-SQL benchmarks.

Spider and BIRD ship one SQLite file per database, so the eval harness runs
their questions through this connector. It is locked down in three layers:
the file is opened with a ``mode=ro`` URI (the engine refuses every write),
``PRAGMA query_only`` is set, and an authorizer denies ``ATTACH`` (which could
otherwise open any other file on disk) and every write action. The time limit
is a progress handler that aborts the statement once its deadline passes.

Each ``execute`` opens its own connection: connections are cheap in SQLite,
and a private one makes the connector safe to call from several threads.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from warehouse._inflight import TIMEOUT, InFlight, engine_message, stop_error
from warehouse._schema_scan import build_schema, quote_double
from warehouse.base import Column, Result, Schema, Warehouse
from warehouse.errors import QueryFailed, WarehouseUnavailable

# How many SQLite VM instructions run between two deadline checks.
PROGRESS_EVERY = 10_000
_DENIED_ACTIONS = frozenset(
    {
        sqlite3.SQLITE_ATTACH,
        sqlite3.SQLITE_DETACH,
        sqlite3.SQLITE_INSERT,
        sqlite3.SQLITE_UPDATE,
        sqlite3.SQLITE_DELETE,
        sqlite3.SQLITE_CREATE_TABLE,
        sqlite3.SQLITE_DROP_TABLE,
        sqlite3.SQLITE_ALTER_TABLE,
    }
)
_SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_schema", "sqlite_temp_master"})
_COLUMNS_SQL = """
    SELECT m.name, p.name, p.type
    FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
    WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%'
    ORDER BY m.name, p.cid
"""


class SqliteWarehouse(Warehouse):
    name = "sqlite"
    dialect = "sqlite"

    def __init__(self, path: str | Path, *, timeout_s: float = 30.0, max_rows: int = 1000):
        self.path = Path(path).expanduser().resolve()
        self.timeout_s = float(timeout_s)
        self.max_rows = int(max_rows)
        if not self.path.is_file():
            raise WarehouseUnavailable(f"no SQLite database file at {self.path}")
        self._inflight = InFlight()

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Result:
        query_id = uuid.uuid4().hex
        started = time.perf_counter()
        conn = self._connect()
        try:
            # The watchdog is the progress handler (timeout_s=None here); cancel() interrupts.
            with self._inflight.track(query_id, conn.interrupt, None) as running:
                _install_deadline(conn, running, started + self.timeout_s)
                try:
                    columns, rows = self._run(conn, sql, params)
                except sqlite3.Error as exc:
                    raise (stop_error(running, self.timeout_s) or QueryFailed(engine_message(exc))) from None
        finally:
            conn.close()
        elapsed_ms = (time.perf_counter() - started) * 1000
        return Result(columns, rows[: self.max_rows], len(rows) > self.max_rows, elapsed_ms, query_id)

    def _run(self, conn: sqlite3.Connection, sql: str, params) -> tuple[list[Column], list[tuple[Any, ...]]]:
        cursor = conn.execute(sql, params if params is not None else ())
        if cursor.description is None:
            return [], []
        rows = cursor.fetchmany(self.max_rows + 1)
        return _columns(cursor.description, rows), rows

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error as exc:
            raise WarehouseUnavailable(
                f"cannot open the SQLite file {self.path}: {engine_message(exc)}"
            ) from None
        conn.execute("PRAGMA query_only = ON")
        conn.set_authorizer(_authorize)
        return conn


    def _scan_schema(self) -> Schema:
        conn = self._connect()
        try:
            columns = conn.execute(_COLUMNS_SQL).fetchall()
            return build_schema(columns, lambda sql: conn.execute(sql).fetchall(), _is_text, quote_double)
        except sqlite3.Error as exc:
            raise QueryFailed(f"could not read the SQLite schema: {engine_message(exc)}") from None
        finally:
            conn.close()

    def cancel(self) -> None:
        self._inflight.cancel_all()

    def identity(self) -> str:
        return f"sqlite:{self.path}"


def _authorize(action: int, target: str | None, *_rest: Any) -> int:
    # Loading the schema for a pragma reports an UPDATE of sqlite_master; it writes nothing.
    if action == sqlite3.SQLITE_UPDATE and target in _SCHEMA_TABLES:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY if action in _DENIED_ACTIONS else sqlite3.SQLITE_OK


def _install_deadline(conn: sqlite3.Connection, running, deadline: float) -> None:
    def past_deadline() -> int:
        if time.perf_counter() < deadline:
            return 0
        running.stop_reason = running.stop_reason or TIMEOUT
        return 1  # non-zero aborts the statement

    conn.set_progress_handler(past_deadline, PROGRESS_EVERY)


def _columns(description, rows: list[tuple[Any, ...]]) -> list[Column]:
    # SQLite types values, not columns: name each column by its first non-NULL value.
    return [Column(d[0], _value_type(rows, i)) for i, d in enumerate(description)]


def _value_type(rows: list[tuple[Any, ...]], index: int) -> str:
    value = next((r[index] for r in rows if r[index] is not None), None)
    return {int: "INTEGER", float: "REAL", str: "TEXT", bytes: "BLOB"}.get(type(value), "")


def _is_text(type_name: str) -> bool:
    upper = type_name.upper()
    return any(word in upper for word in ("CHAR", "TEXT", "CLOB")) or upper == ""
