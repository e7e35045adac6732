"""The embedded default engine: a DuckDB file opened read-only and locked down.

Hardening follows DuckDB's "Securing DuckDB" guidance: the file is opened
``read_only``; external access (files, network, ATTACH, COPY) and extension
installing/loading are disabled; memory and threads are capped; and the
configuration is locked last, so a query cannot ``SET`` any of it back.
The SQL guard in front is a second line of defence, not the only one.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from warehouse._inflight import InFlight, engine_message, stop_error
from warehouse._result_caps import DEFAULT_MAX_CELL_BYTES, DEFAULT_MAX_RESULT_BYTES, ResultBudget
from warehouse._schema_scan import build_schema, quote_double
from warehouse.base import Column, Result, Schema, Warehouse
from warehouse.duckdb_writes import file_identity
from warehouse.errors import QueryFailed, WarehouseError, WarehouseUnavailable

# Applied when the database is opened; the lock comes after, as its own statement.
HARDENING: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    # current_setting() reads any setting; the default secret folder names the home directory.
    "allow_persistent_secrets": False,
    "secret_directory": "/nonexistent/asklytics",
}
# Rows converted to Python objects at a time; reading stops once the byte or row cap is reached.
FETCH_ROWS = 1024
# left() refuses lengths past 2^32 - 1; no DuckDB string is longer anyway.
MAX_DUCKDB_SUBSTRING = 2**32 - 1

_COLUMNS_SQL = """
    SELECT table_name, column_name, data_type
    FROM duckdb_columns()
    WHERE database_name = current_database() AND schema_name = 'main'
    ORDER BY table_name, column_index
"""


class DuckDBWarehouse(Warehouse):
    name = "duckdb"
    dialect = "duckdb"
    data_changes_bump_generation = True  # read-only here; writers replace the file (duckdb_writes.py)

    def __init__(
        self,
        path: str | Path,
        *,
        timeout_s: float = 30.0,
        max_rows: int = 1000,
        memory_limit: str = "2GB",
        threads: int = 2,
        max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES,
        max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES,
    ):
        self.path = Path(path).expanduser().resolve()
        self.timeout_s = float(timeout_s)
        self.max_rows = int(max_rows)
        self.max_cell_bytes = int(max_cell_bytes)
        self.max_result_bytes = int(max_result_bytes)
        self._damage: str | None = None  # set once a query finds the file damaged (see _damaged_file)
        self._memory_limit, self._threads = memory_limit, threads
        self._file = file_identity(self.path)
        self._conn = _open_hardened(self.path, memory_limit, threads)
        self._inflight = InFlight()
        self._users = _Users()

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Result:
        query_id = uuid.uuid4().hex
        started = time.perf_counter()
        # One cursor per call: DuckDB cursors are independent connections to the
        # same database, so threads can query at once and be interrupted one by one.
        with (self._using() as cursor,
              self._inflight.track(query_id, cursor.interrupt, self.timeout_s) as running):
            try:
                columns, budget = self._run(cursor, sql, params)
            except duckdb.Error as exc:
                raise (stop_error(running, self.timeout_s) or self._engine_error(exc)) from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        return Result(columns, budget.rows, budget.truncated, elapsed_ms, query_id, budget.truncation())

    def _run(self, cursor, sql: str, params) -> tuple[list[Column], ResultBudget]:
        budget = ResultBudget(self.max_rows, self.max_cell_bytes, self.max_result_bytes)
        cursor.execute(_text_cut_by_engine(cursor, sql, params, self.max_cell_bytes), params)
        if cursor.description is None:  # a statement without a result set
            return [], budget
        columns = [Column(d[0], str(d[1])) for d in cursor.description]
        # A streaming result: what is not fetched is never converted, and closing the cursor frees it.
        while (chunk := cursor.fetchmany(FETCH_ROWS)) and all(budget.add(row) for row in chunk):
            pass
        return columns, budget

    @contextmanager
    def _using(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current file, switching to a replaced file first (between queries)."""
        if self._conn is not None and file_identity(self.path) not in (self._file, None):
            self._switch_file()
        with self._users.one():
            cursor = self._cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    def _switch_file(self) -> None:
        """A batch writer replaced the file (``duckdb_writes``): once the queries running on the old
        one end, reopen the path (the new file), read its schema afresh and bump ``generation``.
        Queries that arrive meanwhile wait; each query reads one file, whole."""
        with self._users.alone():
            current = file_identity(self.path)
            if self._conn is None or current in (self._file, None):
                return  # another thread switched already, or the file is gone (the old one serves)
            # DuckDB keeps one database per path and process: the old one must be closed first
            self._conn.close()
            self._conn = None
            self._conn = _open_hardened(self.path, self._memory_limit, self._threads)
            self._file, self._damage = current, None
            self.__dict__.pop("_scanned_schema", None)
            self.generation += 1

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


    def schema(self) -> Schema:
        if self._conn is not None and file_identity(self.path) not in (self._file, None):
            self._switch_file()
        return super().schema()

    def _scan_schema(self) -> Schema:
        with self._users.one():
            cursor = self._cursor()
            try:
                columns = cursor.execute(_COLUMNS_SQL).fetchall()
                return build_schema(columns, lambda sql: cursor.execute(sql).fetchall(), _is_text,
                                    quote_double)
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


class _Users:
    """Queries share the connection; switching files needs it alone (a small readers-writer lock)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._active = 0
        self._switching = False

    @contextmanager
    def one(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._switching)
            self._active += 1
        try:
            yield
        finally:
            with self._changed:
                self._active -= 1
                self._changed.notify_all()

    @contextmanager
    def alone(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._switching)
            self._switching = True
            self._changed.wait_for(lambda: self._active == 0)
        try:
            yield
        finally:
            with self._changed:
                self._switching = False
                self._changed.notify_all()


def _is_text(type_name: str) -> bool:
    return type_name.upper() == "VARCHAR"


def _text_cut_by_engine(cursor, sql: str, params, max_cell_bytes: int) -> str:
    """The query with its text columns cut by DuckDB itself, so a giant value
    (``repeat('a', 1e9)``) is never copied into Python; one character past the
    cap is kept, so the Python-side cap still sees, cuts and counts it.

    Falls back to the query as written -- capped in Python only -- when
    ``DESCRIBE`` cannot bind it (not a query) or two columns share a name.
    """
    try:
        described = cursor.execute(f"DESCRIBE {sql}", params).fetchall()
    except duckdb.Error:
        return sql
    names = [row[0] for row in described]
    if not any(_is_text(row[1]) for row in described) or len({n.lower() for n in names}) < len(names):
        return sql
    keep = min(max_cell_bytes + 1, MAX_DUCKDB_SUBSTRING)
    select = ", ".join(
        f"left({quote_double(row[0])}, {keep}) AS {quote_double(row[0])}" if _is_text(row[1])
        else quote_double(row[0]) for row in described
    )
    return f"SELECT {select} FROM (\n{sql.strip().rstrip(';')}\n) AS asklytics_capped"


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
