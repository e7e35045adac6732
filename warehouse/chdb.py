"""ClickHouse SQL in process: chdb over a data folder (the ClickHouse engine in tests).

Every query runs on its own chdb connection whose startup settings make it
``readonly=1`` with the connector's time, row and memory limits. Read-only
mode also refuses table functions (``file()``, ``url()``, ``s3()``,
``remote()``, ``executable()``) and, because it forbids changing settings, a
query cannot lift its own limits with ``SETTINGS``. It does *not* stop the
scalar ``file('path')`` function from reading a file: the SQL guard blocks it.

chdb runs one embedded server per process, bound to one data folder; the
class refuses a second folder with a clear message instead of a C++ error.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from warehouse._clickhouse_limits import read_only_limits
from warehouse._clickhouse_values import inner_type, parse_rows
from warehouse._inflight import InFlight, engine_message, stop_error, timeout_error
from warehouse._schema_scan import build_schema, quote_backtick
from warehouse.base import Column, Result, Schema, Warehouse
from warehouse.chdb_loader import load_demo_from_duckdb  # noqa: F401 - public here
from warehouse.chdb_process import CHDB_ERRORS, ProcessFolder
from warehouse.errors import QueryFailed, WarehouseUnavailable

RESULT_FORMAT = "JSONCompactEachRowWithNamesAndTypes"
# The watchdog kills a query the engine's own max_execution_time missed.
WATCHDOG_GRACE_S = 2.0
_TIMEOUT_CODES = ("(TIMEOUT_EXCEEDED)",)

_COLUMNS_SQL = (
    "SELECT table, name, type FROM system.columns WHERE database = currentDatabase() ORDER BY table, position"
)


class ChdbWarehouse(Warehouse):
    name = "chdb"
    dialect = "clickhouse"

    def __init__(
        self,
        path: str | Path,
        *,
        timeout_s: float = 30.0,
        max_rows: int = 1000,
        max_memory_bytes: int = 4_000_000_000,
    ):
        self.path = Path(path).expanduser().resolve()
        self.timeout_s = float(timeout_s)
        self.max_rows = int(max_rows)
        self.max_memory_bytes = int(max_memory_bytes)
        if not self.path.is_dir():
            raise WarehouseUnavailable(
                f"no chdb warehouse folder at {self.path}; build it with `asklytics demo build --engine chdb`"
            )
        self._folder = ProcessFolder.claim(self.path)
        # Schema scans and KILL QUERY; read-only too (KILL is allowed in read-only mode).
        self._control = self._folder.connect({"readonly": 1, "session_timezone": "UTC"})
        self._inflight = InFlight()

    def _query_settings(self, query_id: str) -> dict[str, Any]:
        return {
            **read_only_limits(self.timeout_s, self.max_rows, self.max_memory_bytes),
            "session_timezone": "UTC",
            "output_format_json_quote_denormals": 1,
            "output_format_json_quote_decimals": 1,
            "output_format_json_quote_64bit_floats": 1,
            # Tags the query in system.processes so cancel() can KILL exactly it.
            "log_comment": query_id,
        }

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Result:
        named = _named_params(params)
        query_id = uuid.uuid4().hex
        started = time.perf_counter()
        conn = self._open_query_connection(query_id)
        try:
            watchdog_s = self.timeout_s + WATCHDOG_GRACE_S
            with self._inflight.track(query_id, lambda: self._kill(query_id), watchdog_s) as running:
                try:
                    payload = conn.query(sql, RESULT_FORMAT, params=named)
                except CHDB_ERRORS as exc:
                    raise stop_error(running, self.timeout_s) or self._failure(exc) from None
        finally:
            conn.close()
        return self._result(payload, query_id, started)

    def _open_query_connection(self, query_id: str):
        if self._control is None:
            raise WarehouseUnavailable(f"the chdb warehouse {self.path} is closed")
        return self._folder.connect(self._query_settings(query_id))

    def _failure(self, exc: BaseException):
        message = engine_message(exc)
        if any(code in message for code in _TIMEOUT_CODES):
            return timeout_error(self.timeout_s)
        return QueryFailed(message)

    def _result(self, payload: Any, query_id: str, started: float) -> Result:
        raw = payload.bytes() if hasattr(payload, "bytes") else bytes(payload or b"")
        names, types, rows = parse_rows(raw, self.max_rows + 1)
        columns = [Column(n, t) for n, t in zip(names, types, strict=True)]
        truncated = len(rows) > self.max_rows
        elapsed_ms = (time.perf_counter() - started) * 1000
        return Result(columns, rows[: self.max_rows], truncated, elapsed_ms, query_id)

    def _kill(self, query_id: str) -> None:
        self._control.query(f"KILL QUERY WHERE Settings['log_comment'] = '{query_id}' ASYNC", "CSV")


    def _scan_schema(self) -> Schema:
        try:
            columns = self._control_rows(_COLUMNS_SQL)
            return build_schema(columns, self._control_rows, _is_text, quote_backtick)
        except WarehouseUnavailable:
            raise
        except CHDB_ERRORS as exc:
            raise QueryFailed(f"could not read the warehouse schema: {engine_message(exc)}") from None

    def _control_rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self._control is None:
            raise WarehouseUnavailable(f"the chdb warehouse {self.path} is closed")
        payload = self._control.query(sql, RESULT_FORMAT)
        return parse_rows(payload.bytes(), limit=10**9)[2]

    def cancel(self) -> None:
        self._inflight.cancel_all()

    def close(self) -> None:
        if self._control is not None:
            self._inflight.cancel_all()
            self._control.close()
            self._control = None
            self._folder.release()

    def identity(self) -> str:
        return f"chdb:{self.path}"


def _is_text(type_name: str) -> bool:
    return inner_type(type_name) == "String"


def _named_params(params: Sequence[Any] | Mapping[str, Any] | None) -> dict[str, Any]:
    # ClickHouse binds named, typed placeholders: {name:Type}.
    if params is None:
        return {}
    if isinstance(params, Mapping):
        return dict(params)
    raise QueryFailed(
        "chdb takes named parameters ({name:Type} placeholders with a mapping), not positional ones"
    )
