"""ClickHouse SQL on an embedded engine: chdb over a data folder (the ClickHouse engine in tests).

chdb runs in a worker process per data folder (:mod:`warehouse.chdb_worker`),
not in the server: ClickHouse's scalar ``file('/path')`` reads any file the
process running it can -- chdb applies no ``user_files_path`` and read-only
mode does not stop it -- and in the server that included
``/proc/self/environ`` with every secret. The worker starts with a scrubbed
environment and confines itself with Landlock to its folder before loading
the engine (see docs/sql-guard.md, "Engine and process layer").

Every query runs on its own chdb connection whose startup settings make it
``readonly=1`` with the connector's time, row, result-byte and memory limits.
Read-only mode also refuses table functions (``file()``, ``url()``, ``s3()``,
``remote()``, ``executable()``) and, because it forbids changing settings, a
query cannot lift its own limits with ``SETTINGS``. The worker caps long
values and the result's bytes before sending rows back.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from warehouse._clickhouse_limits import read_only_limits
from warehouse._clickhouse_values import inner_type, parse_rows
from warehouse._inflight import InFlight, stop_error, timeout_error
from warehouse._result_caps import DEFAULT_MAX_CELL_BYTES, DEFAULT_MAX_RESULT_BYTES, ResultBudget
from warehouse._schema_scan import build_schema, quote_backtick
from warehouse.base import Column, Result, Schema, Warehouse
from warehouse.chdb_sandbox import ChdbSandbox, WorkerAnswer, WorkerGone
from warehouse.errors import QueryFailed, WarehouseUnavailable

# The watchdog kills a query the engine's own max_execution_time missed.
WATCHDOG_GRACE_S = 2.0
# Past the watchdog, a worker that still has not answered is replaced.
WORKER_GRACE_S = 10.0
CONTROL_SETTINGS = {"readonly": 1, "session_timezone": "UTC"}
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
        max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES,
        max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES,
    ):
        self.path = Path(path).expanduser().resolve()
        self.timeout_s = float(timeout_s)
        self.max_rows = int(max_rows)
        self.max_memory_bytes = int(max_memory_bytes)
        self.max_cell_bytes = int(max_cell_bytes)
        self.max_result_bytes = int(max_result_bytes)
        if not self.path.is_dir():
            raise WarehouseUnavailable(
                f"no chdb warehouse folder at {self.path}; build it with `asklytics demo build --engine chdb`"
            )
        self._sandbox: ChdbSandbox | None = ChdbSandbox.claim(self.path)
        self._inflight = InFlight()

    @property
    def landlock(self) -> int:
        """The Landlock ABI the engine's process is confined with; 0: environment scrubbing only."""
        return self._require_sandbox().landlock

    def _query_settings(self, query_id: str) -> dict[str, Any]:
        return {
            **read_only_limits(self.timeout_s, self.max_rows, self.max_memory_bytes, self.max_result_bytes),
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
        sandbox = self._require_sandbox()
        watchdog_s = self.timeout_s + WATCHDOG_GRACE_S
        with self._inflight.track(query_id, lambda: sandbox.kill(query_id), watchdog_s) as running:
            try:
                answer = sandbox.query(
                    sql, self._query_settings(query_id), named, max_rows=self.max_rows,
                    max_cell_bytes=self.max_cell_bytes, max_result_bytes=self.max_result_bytes,
                    wait_s=watchdog_s + WORKER_GRACE_S,
                )
            except WorkerGone as exc:
                raise stop_error(running, self.timeout_s) or exc from None
            except QueryFailed as exc:
                raise stop_error(running, self.timeout_s) or self._failure(exc.message) from None
        return self._result(answer, query_id, started)

    def _require_sandbox(self) -> ChdbSandbox:
        if self._sandbox is None:
            raise WarehouseUnavailable(f"the chdb warehouse {self.path} is closed")
        return self._sandbox

    def _failure(self, message: str):
        if any(code in message for code in _TIMEOUT_CODES):
            return timeout_error(self.timeout_s)
        return QueryFailed(message)

    def _result(self, answer: WorkerAnswer, query_id: str, started: float) -> Result:
        names, types, rows = parse_rows(answer.payload, self.max_rows + 1)
        columns = [Column(n, t) for n, t in zip(names, types, strict=True)]
        budget = ResultBudget(self.max_rows, self.max_cell_bytes, self.max_result_bytes)
        for row in rows:
            if not budget.add(row):
                break
        # The worker already cut cells and stopped at the byte cap; merge what it reports.
        truncation = tuple(dict.fromkeys(budget.truncation() + answer.truncation))
        truncated = budget.truncated or any(r != "max_cell_bytes" for r in answer.truncation)
        elapsed_ms = (time.perf_counter() - started) * 1000
        return Result(columns, budget.rows, truncated, elapsed_ms, query_id, truncation)

    def _scan_schema(self) -> Schema:
        columns = self._control_rows(_COLUMNS_SQL)
        return build_schema(columns, self._control_rows, _is_text, quote_backtick)

    def _control_rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Trusted metadata queries (schema scans): read-only, no caps."""
        try:
            answer = self._require_sandbox().query(
                sql, {**CONTROL_SETTINGS, "max_execution_time": self.timeout_s}, None, max_rows=10**9,
                max_cell_bytes=None, max_result_bytes=None, wait_s=self.timeout_s + WORKER_GRACE_S,
            )
        except QueryFailed as exc:
            raise QueryFailed(f"could not read the warehouse schema: {exc.message}") from None
        return parse_rows(answer.payload, limit=10**9)[2]

    def cancel(self) -> None:
        self._inflight.cancel_all()

    def close(self) -> None:
        if self._sandbox is not None:
            self._inflight.cancel_all()
            self._sandbox.release()
            self._sandbox = None

    def identity(self) -> str:
        return f"chdb:{self.path}"


def __getattr__(name: str):
    # ``warehouse.chdb.load_demo_from_duckdb`` stays importable, but loads chdb into this
    # process (the loader is trusted code) only when someone asks for it.
    if name == "load_demo_from_duckdb":
        from warehouse.chdb_loader import load_demo_from_duckdb

        return load_demo_from_duckdb
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
