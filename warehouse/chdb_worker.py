"""The chdb engine's own process: no secrets in its environment, no files beyond its folder.

chdb is ClickHouse linked into the process that loads it, and ClickHouse's
scalar ``file('/path')`` reads any file that process can -- in local mode it
ignores ``user_files_path`` and ``readonly``. Loaded in the server, that meant
``/proc/self/environ``: the LLM key and the Slack token (issue #15). So the
connector (:mod:`warehouse.chdb_sandbox`) runs chdb here, in a child process
that

1. is started with a scrubbed environment (``PATH``, locale, ``TZ`` and a
   private ``TMPDIR``/``HOME``; nothing else), so its own
   ``/proc/self/environ`` holds no secret;
2. confines itself with Landlock (:mod:`warehouse._landlock`) *before* chdb is
   loaded: it may read the Python installation and system libraries, read and
   write its data folder and private temp folder, and read a handful of its
   own ``/proc`` entries -- not ``/proc/<pid>/environ`` of any process, not
   the project folder (``.env``, the API key store), no TCP connections.

The parent writes requests and reads answers as frames on the child's
stdin/stdout: a 4-byte big-endian length, then a JSON header; an answer with
rows is followed by one more frame holding them in ``RESULT_FORMAT``, already
capped (:func:`cap_json_rows`), so a giant value never crosses the pipe.
"""

from __future__ import annotations

import json
import os
import re
import struct
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from warehouse._inflight import engine_message
from warehouse._landlock import confine
from warehouse._result_caps import MAX_CELL_BYTES, MAX_RESULT_BYTES, cap_value

RESULT_FORMAT = "JSONCompactEachRowWithNamesAndTypes"
_FRAME = struct.Struct(">I")
_QUERY_ID = re.compile(r"^[0-9a-f]{32}$")
# What the engine reads about itself under /proc (pthread stack bounds, memory and CPU limits).
_PROC_SELF = ("maps", "status", "statm", "stat", "limits", "cgroup", "mountinfo", "mounts")
_PROC_SYSTEM = ("/proc/meminfo", "/proc/cpuinfo", "/proc/stat", "/proc/loadavg", "/proc/sys/kernel/osrelease",
                "/proc/sys/vm/overcommit_memory", "/proc/sys/kernel/random/boot_id")
_SYSTEM_READ = ("/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/usr/share/zoneinfo",
                "/etc/localtime", "/etc/ld.so.cache", "/sys/fs/cgroup", "/sys/devices/system/cpu")
_DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")


def connection_string(path: Path, settings: dict[str, Any]) -> str:
    """``/folder?name=value&...``; chdb passes each pair to the engine as a startup setting."""
    pairs = "&".join(f"{name}={quote(str(_setting_text(v)), safe='')}" for name, v in settings.items())
    return f"{path}?{pairs}" if pairs else str(path)


def _setting_text(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_frame(stream: BinaryIO, data: bytes) -> None:
    stream.write(_FRAME.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: BinaryIO) -> bytes | None:
    """One frame, or None at the end of the stream."""
    head = stream.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return None
    (size,) = _FRAME.unpack(head)
    data = stream.read(size)
    return data if len(data) == size else None


def cap_json_rows(
    chunks: Iterable[bytes], max_rows: int, max_cell_bytes: int | None, max_result_bytes: int | None
) -> tuple[bytes, list[str], int]:
    """The first ``max_rows`` + 1 rows of a ``RESULT_FORMAT`` stream within the byte caps.

    Returns the kept lines (the two header lines first), the reasons rows were
    left out by the byte cap, and how many cells were cut. Reading stops at
    the first row that does not fit, so the engine's later chunks are never read.
    """
    kept, used, cut, rows, reasons = [], 0, 0, -2, []
    for line in _lines(chunks):
        if rows >= 0 and max_cell_bytes is not None and len(line) > max_cell_bytes:
            line, cells = _capped_line(line, max_cell_bytes)
            cut += cells
        if rows >= 0 and max_result_bytes is not None and used + len(line) > max_result_bytes:
            reasons.append(MAX_RESULT_BYTES)
            break
        kept.append(line)
        used += len(line) if rows >= 0 else 0
        rows += 1
        if rows > max_rows:
            break
    return b"\n".join(kept) + b"\n", reasons + ([MAX_CELL_BYTES] if cut else []), cut


def _lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The stream's lines. chdb formats each block on its own -- names and types first --
    so the two header lines are kept from the first block only."""
    header_seen = False
    for chunk in chunks:
        lines = [line for line in chunk.split(b"\n") if line]
        if len(lines) >= 2:
            lines = lines[2:] if header_seen else lines
            header_seen = True
        yield from lines


def _capped_line(line: bytes, limit: int) -> tuple[bytes, int]:
    # Floats stay text (ClickHouse quotes 64-bit floats and decimals; the parent parses them exactly).
    values = json.loads(line, parse_float=str)
    capped = [cap_value(v, limit) for v in values]
    text = json.dumps([v for v, _ in capped], ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8"), sum(was_cut for _, was_cut in capped)


def _described_header(conn, sql: str, params) -> bytes:
    try:
        described = conn.query(f"DESCRIBE ({sql.strip().rstrip(';')})", "JSONCompactEachRow", params=params)
    except Exception:  # noqa: BLE001 - a statement DESCRIBE cannot wrap: no columns, still an empty answer
        return b""
    rows = [json.loads(line) for line in described.bytes().splitlines() if line.strip()]
    return (json.dumps([r[0] for r in rows]) + "\n" + json.dumps([r[1] for r in rows]) + "\n").encode()


def sandbox_paths(data: Path, tmp: Path) -> dict[str, list[Path]]:
    """What the worker may touch once confined."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    pid = os.getpid()
    return {
        "read_only": ([Path(p) for p in sorted(prefixes)] + _package_dir("chdb")
                      + [Path(p) for p in _SYSTEM_READ]),
        "read_write": [data, tmp] + [Path(d) for d in _DEVICES],
        "read_files": [Path(f"/proc/{pid}/{name}") for name in _PROC_SELF] + [Path(p) for p in _PROC_SYSTEM],
    }


def _package_dir(name: str) -> list[Path]:
    import importlib.util

    spec = importlib.util.find_spec(name)
    locations = (spec.submodule_search_locations or []) if spec else []
    return [Path(p).parent for p in locations]


class Worker:
    """Runs requests on chdb, one thread and one chdb connection per query."""

    def __init__(self, path: Path, out: BinaryIO, chdb_module):
        self.path, self.out, self.chdb = path, out, chdb_module
        self._write = threading.Lock()
        self._control = chdb_module.connect(connection_string(path, {"readonly": 1}))

    def send(self, header: dict[str, Any], payload: bytes | None = None) -> None:
        with self._write:
            write_frame(self.out, json.dumps(header).encode())
            if payload is not None:
                write_frame(self.out, payload)

    def handle(self, request: dict[str, Any]) -> None:
        if request.get("op") == "kill":
            self._kill(request)
        else:
            threading.Thread(target=self._query, args=(request,), daemon=True).start()

    def _query(self, request: dict[str, Any]) -> None:
        try:
            conn = self.chdb.connect(connection_string(self.path, request["settings"]))
            chunks = self._chunks(conn, request)
            try:
                payload, reasons, cut = cap_json_rows(
                    chunks, request["max_rows"], request.get("max_cell_bytes"),
                    request.get("max_result_bytes"))
            finally:
                chunks.close()  # cancels the rest of the stream before the connection goes
                conn.close()
        except Exception as exc:  # noqa: BLE001 - every engine failure goes back as a message
            message = engine_message(exc).removeprefix("Streaming query failed: ")
            self.send({"id": request["id"], "ok": False, "error": message})
            return
        self.send({"id": request["id"], "ok": True, "truncation": reasons, "cells_cut": cut}, payload)

    @staticmethod
    def _chunks(conn, request: dict[str, Any]) -> Iterator[bytes]:
        """The result in the engine's blocks; stops (and cancels the query) when the caller stops."""
        params = request.get("params") or None
        try:
            stream = conn.send_query(request["sql"], RESULT_FORMAT, params=params)
        except Exception as exc:
            if "Streaming query is not supported" not in str(exc):
                raise
            # Not a SELECT: run it plainly, so read-only mode (not the streaming API) refuses it.
            yield conn.query(request["sql"], RESULT_FORMAT, params=params).bytes()
            return
        empty = True
        try:
            for chunk in stream:
                empty = False
                yield chunk.bytes() if hasattr(chunk, "bytes") else bytes(chunk)
        finally:
            stream.cancel()
        if empty:  # no block at all, so no header: the columns of an empty answer come from DESCRIBE
            yield _described_header(conn, request["sql"], params)

    def _kill(self, request: dict[str, Any]) -> None:
        query_id = str(request.get("query_id", ""))
        if _QUERY_ID.match(query_id):  # our own uuid hex, never text from elsewhere
            try:
                self._control.query(f"KILL QUERY WHERE Settings['log_comment'] = '{query_id}' ASYNC", "CSV")
            except Exception:  # noqa: BLE001, S110 - the query may have ended already
                pass

    def serve(self, requests: BinaryIO) -> None:
        while (frame := read_frame(requests)) is not None:
            self.handle(json.loads(frame))


def main(argv: list[str]) -> None:
    """``python -c ... <data folder> <temp folder>``,
    started by :class:`warehouse.chdb_sandbox.ChdbSandbox`."""
    data, tmp = Path(argv[0]), Path(argv[1])
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever the engine prints goes to the log, never into the frames
    try:
        landlock, unconfined = confine(**sandbox_paths(data, tmp)), None
    except OSError as exc:  # e.g. a seccomp profile refusing the syscalls: run, and say so
        landlock, unconfined = 0, str(exc)
    try:
        import chdb  # only now: the engine starts its threads confined

        worker = Worker(data, out, chdb)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        write_frame(out, json.dumps({"ready": False, "error": engine_message(exc)}).encode())
        os._exit(1)
    worker.send({"ready": True, "landlock": landlock, "unconfined": unconfined})
    worker.serve(sys.stdin.buffer)
    os._exit(0)  # the parent is gone; do not wait for the engine's threads
