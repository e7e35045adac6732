"""A small ClickHouse HTTP-interface server backed by chdb, for connector tests.

There is no ClickHouse server (or Docker) on the test machines, so
``tests/warehouse/test_clickhouse_connector.py`` starts this script in a
subprocess (chdb allows one data folder per process) and points the real
clickhouse-connect client at it. It speaks the part of the HTTP protocol the
client uses:

- the query in the ``query`` URL parameter and/or the POST body;
- ClickHouse settings as URL parameters, applied to that one query: each
  request runs on its own chdb connection opened with those settings, which is
  how the server scopes them too (so ``readonly=1`` and
  ``max_execution_time`` are enforced by the real engine, not emulated);
- ``query_id``, ``param_<name>`` bound parameters, Basic auth or
  ``X-ClickHouse-User``/``X-ClickHouse-Key`` headers;
- the output format from the query's ``FORMAT`` clause (Native for
  clickhouse-connect) or ``default_format``;
- errors as HTTP 500 (403 for authentication) with
  ``X-ClickHouse-Exception-Code`` and the engine's message as the body.

Not emulated: HTTP compression of responses, sessions, progress headers.
``KILL QUERY WHERE query_id ...`` is rewritten to match the ``log_comment``
this server tags each query with, because chdb does not take a client query id.

``--config-file`` starts the engine with a ClickHouse config (e.g. a cluster in
``remote_servers``); ``--setting NAME=VALUE`` stands for the server user's profile: it
applies to every query before the request's own settings.

Every request is appended as one JSON line to ``--log`` (without the
password) so tests can check which settings reached the server.

Run: ``python ch_http_server.py --data DIR [--load-duckdb FILE] [--init-sql FILE] --user U --password P``
(the DuckDB tables are loaded first, then the statements run);
it prints ``LISTENING <port>`` once ready. Tests use :func:`running_server`.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qsl, urlparse

import chdb

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from warehouse.chdb_process import connection_string

TRANSPORT_PARAMS = {
    "query",
    "query_id",
    "database",
    "default_format",
    "session_id",
    "session_timeout",
    "session_check",
    "compress",
    "decompress",
    "user",
    "password",
    "quota_key",
    "wait_end_of_query",
    "client_protocol_version",
    "role",
    "buffer_size",
    "enable_http_compression",
    "send_progress_in_http_headers",
    "http_headers_progress_interval_ms",
}
_CODE = re.compile(r"Code: (\d+)\.")
_KILL_BY_ID = re.compile(r"\bquery_id\b")


class Config:
    data: Path
    user: str
    password: str
    log: Path | None
    profile: ClassVar[dict[str, str]] = {}
    log_lock = threading.Lock()


def split_params(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """URL parameters -> (transport, settings, bound query parameters)."""
    transport, settings, bound = {}, {}, {}
    for key, value in pairs:
        if key.startswith("param_"):
            bound[key[len("param_") :]] = value
        elif key in TRANSPORT_PARAMS:
            transport[key] = value
        else:
            settings[key] = value
    return transport, settings, bound


def run_query(sql: str, settings: dict[str, str], bound: dict[str, str], query_id: str, fmt: str) -> bytes:
    if sql.lstrip().upper().startswith("KILL QUERY"):
        sql = _KILL_BY_ID.sub("Settings['log_comment']", sql)
    settings = {**Config.profile, **settings, "log_comment": query_id}  # the profile, then the request's
    conn = chdb.connect(connection_string(Config.data, settings))
    try:
        result = conn.query(sql, fmt, params=bound)
        return result.bytes() if hasattr(result, "bytes") else bytes(result or b"")
    finally:
        conn.close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:
        pass  # keep the test output clean; requests go to --log instead

    def do_GET(self) -> None:
        if urlparse(self.path).path == "/ping":
            return self._reply(200, b"Ok.\n", {})
        self._handle(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._handle(self.rfile.read(length) if length else b"")

    def _handle(self, body: bytes) -> None:
        transport, settings, bound = split_params(
            parse_qsl(urlparse(self.path).query, keep_blank_values=True)
        )
        user, password = self._credentials(transport)
        query_id = transport.get("query_id") or "no-query-id"
        sql = "\n".join(p for p in (transport.get("query", ""), body.decode("utf-8")) if p)
        self._record(user, transport, settings, bound, sql)
        if (user, password) != (Config.user, Config.password):
            message = (f"Code: 516. DB::Exception: {user}: Authentication failed: password is incorrect, "
                       "or there is no user with such name. (AUTHENTICATION_FAILED)\n")
            return self._reply(403, message.encode(), {"X-ClickHouse-Exception-Code": "516"})
        try:
            payload = run_query(
                sql, settings, bound, query_id, transport.get("default_format", "TabSeparated")
            )
        except Exception as exc:  # noqa: BLE001 - every engine error becomes an HTTP error, as in ClickHouse
            code = _CODE.search(str(exc))
            headers = {"X-ClickHouse-Exception-Code": code.group(1) if code else "1000"}
            return self._reply(500, (str(exc).strip() + "\n").encode(), headers)
        self._reply(200, payload, {"X-ClickHouse-Query-Id": query_id, "X-ClickHouse-Timezone": "UTC"})

    def _credentials(self, transport: dict[str, str]) -> tuple[str, str]:
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            return user, password
        user = self.headers.get("X-ClickHouse-User") or transport.get("user", "default")
        return user, self.headers.get("X-ClickHouse-Key") or transport.get("password", "")

    def _record(self, user, transport, settings, bound, sql) -> None:
        if Config.log is None:
            return
        entry = {
            "user": user,
            "transport": {k: v for k, v in transport.items() if k != "password"},
            "settings": settings,
            "params": bound,
            "query": sql,
        }
        with Config.log_lock, Config.log.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")

    def _reply(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


def main() -> None:
    args = _arguments()
    Config.data, Config.user, Config.password = Path(args.data).resolve(), args.user, args.password
    Config.log = Path(args.log) if args.log else None
    Config.profile = dict(pair.split("=", 1) for pair in args.setting)
    Config.data.mkdir(parents=True, exist_ok=True)
    # The engine starts once per process, with the first connection's options: keep it open.
    engine = chdb.connect(connection_string(Config.data, {"config-file": args.config_file})) \
        if args.config_file else None
    if args.load_duckdb:
        from warehouse.chdb_loader import load_demo_from_duckdb

        load_demo_from_duckdb(Path(args.load_duckdb), Config.data)
    if args.init_sql:
        _run_init(Path(args.init_sql).read_text())
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"LISTENING {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        if engine is not None:
            engine.close()


def _run_init(script: str) -> None:
    # Trusted test setup: statements separated by ';' on their own line ends.
    conn = chdb.connect(str(Config.data))
    try:
        for statement in (s.strip() for s in script.split(";\n")):
            if statement:
                conn.query(statement.rstrip(";"))
    finally:
        conn.close()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="chdb data folder (created if missing)")
    parser.add_argument("--init-sql", help="file of ClickHouse statements run once at startup")
    parser.add_argument("--load-duckdb", help="copy this DuckDB warehouse's tables in at startup")
    parser.add_argument("--user", default="default")
    parser.add_argument("--password", default="")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", help="append one JSON line per request here")
    parser.add_argument("--config-file", help="ClickHouse config file the engine starts with")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a profile setting applied to every query (repeatable)")
    return parser.parse_args()


@contextmanager
def running_server(
    data: Path,
    *,
    user: str,
    password: str,
    log: Path | None = None,
    init_sql: Path | None = None,
    load_duckdb: Path | None = None,
    config_file: Path | None = None,
    settings: dict[str, str] | None = None,
) -> Iterator[int]:
    """Start this server in a subprocess (its own chdb folder) and yield its port."""
    command = [sys.executable, __file__, "--data", str(data), "--user", user, "--password", password]
    for flag, value in (("--log", log), ("--init-sql", init_sql), ("--load-duckdb", load_duckdb),
                        ("--config-file", config_file)):
        if value is not None:
            command += [flag, str(value)]
    for name, value in (settings or {}).items():
        command += ["--setting", f"{name}={value}"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # blocks until ready, or "" if it died
        if not line.startswith("LISTENING"):
            raise RuntimeError(f"test ClickHouse server did not start: {line}{process.stderr.read()}")
        yield int(line.split()[1])
    finally:
        process.terminate()
        process.wait(30)


if __name__ == "__main__":
    main()
