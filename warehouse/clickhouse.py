"""A ClickHouse server over HTTP (clickhouse-connect): the engine beyond one machine.

Every query carries its own limits as ClickHouse settings: ``readonly=1``
(no writes, no settings changes inside the query, no table functions such as
``file()``/``url()``), ``max_execution_time``, ``max_result_rows`` and
``max_result_bytes`` with ``result_overflow_mode='break'`` and
``max_memory_usage``; rows are read block by block and reading stops at the
connector's row and byte caps (:mod:`warehouse._result_caps`); and a fresh
``query_id``, so ``cancel()`` can ``KILL`` exactly our queries from a second
client. For defence in depth, give the configured user a profile with
``readonly=2`` (read-only, settings changeable by the connector) on the server.

The password in the URL never appears in an error message.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlparse

import clickhouse_connect
from clickhouse_connect.driver.exceptions import ClickHouseError, OperationalError

from warehouse._clickhouse_limits import read_only_limits
from warehouse._clickhouse_values import inner_type
from warehouse._inflight import InFlight, stop_error, timeout_error
from warehouse._result_caps import DEFAULT_MAX_CELL_BYTES, DEFAULT_MAX_RESULT_BYTES, ResultBudget
from warehouse._schema_scan import build_schema, quote_backtick
from warehouse.base import Column, Result, Schema, Warehouse
from warehouse.errors import QueryCancelled, QueryFailed, WarehouseError, WarehouseUnavailable

# Past the server's own max_execution_time, the watchdog KILLs and the HTTP read gives up.
GRACE_S = 2.0
TIMEOUT_EXCEEDED, QUERY_WAS_CANCELLED = 159, 394
AUTH_CODES = {192, 193, 194, 516}  # unknown user, wrong password, auth failed

# clickhouse-connect wraps the server's text:
# "... server response: Code: 47. DB::Exception: ... (for url ...)".
_SERVER_MESSAGE = re.compile(r"(Code: \d+\. DB::Exception: .*?)(?: \(for url [^)]*\))?$")

_COLUMNS_SQL = (
    "SELECT table, name, type FROM system.columns WHERE database = currentDatabase() ORDER BY table, position"
)


@dataclass(frozen=True)
class ServerAddress:
    """``http://user:password@host:8123/database`` taken apart."""

    interface: str
    host: str
    port: int
    username: str
    password: str
    database: str

    @classmethod
    def parse(cls, url: str) -> ServerAddress:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise WarehouseUnavailable(
                "the ClickHouse URL must look like http://user:password@host:8123/database"
            )
        port = parsed.port or (8443 if parsed.scheme == "https" else 8123)
        database = unquote(parsed.path.strip("/")) or "default"
        username = unquote(parsed.username or "default")
        return cls(parsed.scheme, parsed.hostname, port, username, unquote(parsed.password or ""), database)

    def redacted(self) -> str:
        return f"{self.interface}://{self.username}@{self.host}:{self.port}/{self.database}"

    def scrub(self, text: str) -> str:
        """The text with the password removed, however the driver quoted it."""
        return text.replace(self.password, "***") if self.password else text


class ClickHouseWarehouse(Warehouse):
    name = "clickhouse"
    dialect = "clickhouse"

    def __init__(
        self, url: str, *, timeout_s: float = 30.0, max_rows: int = 1000, max_memory_bytes: float = 4e9,
        max_cell_bytes: int = DEFAULT_MAX_CELL_BYTES, max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES,
    ):
        self.address = ServerAddress.parse(url)
        self.timeout_s = float(timeout_s)
        self.max_rows = int(max_rows)
        self.max_memory_bytes = int(max_memory_bytes)
        self.max_cell_bytes = int(max_cell_bytes)
        self.max_result_bytes = int(max_result_bytes)
        self._client = self._open_client()
        self._kill_client = None
        self._kill_lock = threading.Lock()
        self._inflight = InFlight()

    def _open_client(self):
        try:
            return clickhouse_connect.get_client(
                interface=self.address.interface,
                host=self.address.host,
                port=self.address.port,
                username=self.address.username,
                password=self.address.password,
                database=self.address.database,
                connect_timeout=min(10.0, self.timeout_s),
                send_receive_timeout=self.timeout_s + 2 * GRACE_S,
                # No HTTP session: ClickHouse refuses concurrent queries in one session.
                autogenerate_session_id=False,
            )
        except Exception as exc:  # noqa: BLE001 - any driver/network failure means "cannot reach"
            raise self._unavailable(exc) from None

    def _settings(self, query_id: str) -> dict[str, Any]:
        limits = read_only_limits(self.timeout_s, self.max_rows, self.max_memory_bytes, self.max_result_bytes)
        return {**limits, "query_id": query_id}

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Result:
        query_id = uuid.uuid4().hex
        started = time.perf_counter()
        client = self._require_client()
        kill = lambda: self._kill([query_id])
        with self._inflight.track(query_id, kill, self.timeout_s + GRACE_S) as running:
            try:
                columns, budget = self._stream(client, sql, params, query_id)
            except Exception as exc:  # noqa: BLE001 - driver, HTTP and server errors alike
                raise stop_error(running, self.timeout_s) or self._failure(exc) from None
        if not columns:
            columns = self._describe(client, sql, params, query_id)
        elapsed_ms = (time.perf_counter() - started) * 1000
        return Result(columns, budget.rows, budget.truncated, elapsed_ms, query_id, budget.truncation())

    def _stream(self, client, sql: str, params, query_id: str) -> tuple[list[Column], ResultBudget]:
        """Rows block by block into the budget; leaving the stream early closes the response,
        so the rest of a large result is never downloaded."""
        budget = ResultBudget(self.max_rows, self.max_cell_bytes, self.max_result_bytes)
        settings = self._settings(query_id)
        with client.query_row_block_stream(sql, parameters=params, settings=settings) as stream:
            source = stream.source
            columns = [Column(n, t.name)
                       for n, t in zip(source.column_names, source.column_types, strict=True)]
            for block in stream:
                if not all(budget.add(tuple(row)) for row in block):
                    break
        return columns, budget

    def _describe(self, client, sql: str, params, query_id: str) -> list[Column]:
        """Columns of a query that returned no rows.

        Over HTTP the Native format carries names and types only with data
        blocks, so an empty answer ("this quarter") arrives without columns;
        ``DESCRIBE (query)`` gets them without running the query again.
        """
        describe = f"DESCRIBE ({sql.strip().rstrip(';')})"
        settings = {**self._settings(query_id), "query_id": f"{query_id}-describe"}
        try:
            rows = client.query(describe, parameters=params, settings=settings).result_rows
        except ClickHouseError:
            return []  # a statement DESCRIBE cannot wrap: no columns is still a correct empty answer
        return [Column(row[0], row[1]) for row in rows]

    def _require_client(self):
        if self._client is None:
            raise WarehouseUnavailable(f"the ClickHouse connection to {self.address.redacted()} is closed")
        return self._client

    def _failure(self, exc: BaseException) -> WarehouseError:
        code = getattr(exc, "code", None)
        if code == TIMEOUT_EXCEEDED:
            return timeout_error(self.timeout_s)
        if code == QUERY_WAS_CANCELLED:
            return QueryCancelled("the query was cancelled on the ClickHouse server")
        if code is None and "timed out" in str(exc).lower():
            return timeout_error(self.timeout_s)  # the HTTP read gave up: server overloaded or gone
        if code in AUTH_CODES or (code is None and isinstance(exc, OperationalError)):
            return self._unavailable(exc)
        return QueryFailed(self._message(exc))

    def _unavailable(self, exc: BaseException) -> WarehouseUnavailable:
        return WarehouseUnavailable(
            f"cannot use ClickHouse at {self.address.redacted()}: {self._message(exc)}; "
            "check ASKLYTICS_CLICKHOUSE_URL (host, port, user, password) and that the server is up"
        )

    def _message(self, exc: BaseException) -> str:
        """The server's one-line message, without driver preamble or the password."""
        text = " ".join(str(exc).split())
        engine = _SERVER_MESSAGE.search(text)
        return self.address.scrub(engine.group(1) if engine else text or type(exc).__name__)

    def _kill(self, query_ids: list[str]) -> None:
        ids = ", ".join(f"'{q}'" for q in query_ids)  # our own uuid hex, never user text
        self._killer().command(f"KILL QUERY WHERE query_id IN ({ids}) ASYNC")

    def _killer(self):
        # A second client: the first one is blocked reading the running query's response.
        with self._kill_lock:
            if self._kill_client is None:
                self._kill_client = self._open_client()
            return self._kill_client


    def _scan_schema(self) -> Schema:
        try:
            columns = self._schema_rows(_COLUMNS_SQL)
            return build_schema(columns, self._schema_rows, _is_text, quote_backtick)
        except ClickHouseError as exc:
            raise QueryFailed(f"could not read the warehouse schema: {self._message(exc)}") from None

    def _schema_rows(self, sql: str) -> list[tuple[Any, ...]]:
        settings = {"readonly": 1, "max_execution_time": self.timeout_s}
        return [tuple(r) for r in self._require_client().query(sql, settings=settings).result_rows]

    def cancel(self) -> None:
        self._inflight.cancel_all()

    def close(self) -> None:
        for client in (self._client, self._kill_client):
            if client is not None:
                client.close()
        self._client = self._kill_client = None

    def identity(self) -> str:
        return f"clickhouse:{self.address.redacted()}"


def _is_text(type_name: str) -> bool:
    return inner_type(type_name) == "String"
