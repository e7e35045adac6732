"""The parent side of the chdb worker process (:mod:`warehouse.chdb_worker`).

One worker per data folder, shared by every connector on that folder and
started on first use. Requests from any thread go down the worker's stdin; a
reader thread hands each answer to the request that is waiting for it. A
worker that exits or stops answering fails the requests in flight with a
clear error and is started again by the next query, so an engine crash or a
hang costs queries, never the server.

Only ``SCRUBBED_ENV_NAMES`` pass from this process's environment to the
worker; its ``TMPDIR`` and ``HOME`` are a private folder removed on release.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from warehouse.chdb_worker import read_frame, write_frame
from warehouse.errors import QueryFailed, WarehouseUnavailable

log = logging.getLogger(__name__)
SCRUBBED_ENV_NAMES = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ")
STARTUP_TIMEOUT_S = 120.0
_ROOT = Path(__file__).resolve().parents[1]
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from warehouse.chdb_worker import main; main(sys.argv[2:])")


class WorkerGone(WarehouseUnavailable):
    """The worker process exited or stopped answering."""


@dataclass(frozen=True)
class WorkerAnswer:
    payload: bytes
    truncation: tuple[str, ...]
    cells_cut: int


class ChdbSandbox:
    """The worker process of one chdb data folder; ``claim`` it, ``release`` it when done."""

    _registry_lock = threading.Lock()
    _by_path: ClassVar[dict[Path, ChdbSandbox]] = {}

    def __init__(self, path: Path):
        self.path = path
        self.landlock = 0  # the Landlock ABI the worker confined itself with (0: none available)
        self._users = 0
        self._lock = threading.Lock()  # process start/stop and request writes
        self._pending: dict[int, Future] = {}
        self._next_id = 0
        self._process: subprocess.Popen | None = None
        self._tmp: Path | None = None

    @classmethod
    def claim(cls, path: Path) -> ChdbSandbox:
        with cls._registry_lock:
            sandbox = cls._by_path.setdefault(path, cls(path))
            sandbox._users += 1
        try:
            sandbox.ensure_started()
        except BaseException:
            sandbox.release()
            raise
        return sandbox

    def release(self) -> None:
        with self._registry_lock:
            self._users -= 1
            if self._users > 0:
                return
            self._by_path.pop(self.path, None)
        self.stop()

    def query(self, sql: str, settings: dict[str, Any], params: dict[str, Any] | None, *,
              max_rows: int, max_cell_bytes: int | None, max_result_bytes: int | None,
              wait_s: float) -> WorkerAnswer:
        """Run one query in the worker; raises QueryFailed with the engine's message."""
        request = {"op": "query", "sql": sql, "settings": settings, "params": params or {},
                   "max_rows": max_rows, "max_cell_bytes": max_cell_bytes,
                   "max_result_bytes": max_result_bytes}
        future = self._submit(request)
        try:
            header, payload = future.result(timeout=wait_s)
        except FutureTimeout:
            # The engine ignored its own limit and the KILL: only a new process frees it.
            self.restart(f"no answer within {wait_s:g} s")
            raise WorkerGone(f"the chdb worker did not answer within {wait_s:g} s "
                             "and was restarted") from None
        if not header.get("ok"):
            raise QueryFailed(header.get("error") or "the chdb worker failed the query")
        return WorkerAnswer(payload or b"", tuple(header.get("truncation") or ()),
                            int(header.get("cells_cut") or 0))

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def kill(self, query_id: str) -> None:
        """Ask the engine to stop the query tagged ``query_id`` (fire and forget)."""
        try:
            self._write({"op": "kill", "query_id": query_id})
        except (OSError, WarehouseUnavailable):
            pass  # no worker, no query to stop

    def ensure_started(self) -> None:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()

    def _start(self) -> None:
        if self._tmp is not None:  # the folder of a worker that died on its own
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._tmp = Path(tempfile.mkdtemp(prefix="asklytics-chdb-"))
        log = open(self._tmp / "worker.log", "wb")  # noqa: SIM115 - the child keeps it open
        env = {name: os.environ[name] for name in SCRUBBED_ENV_NAMES if name in os.environ}
        env.update(TMPDIR=str(self._tmp), HOME=str(self._tmp))
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT, str(_ROOT), str(self.path), str(self._tmp)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env, cwd=self._tmp,
            close_fds=True, start_new_session=True,
        )
        log.close()
        ready = self._read_ready(self._process)
        self.landlock = int(ready.get("landlock") or 0)
        if not self.landlock:
            log.warning("the chdb worker for %s runs without Landlock (%s): SQL that gets past the guard "
                        "could read any file this user can read", self.path,
                        ready.get("unconfined") or "not supported by this kernel")
        threading.Thread(target=self._read_answers, args=(self._process,), daemon=True,
                         name=f"chdb-worker-{self._process.pid}").start()

    def _read_ready(self, process: subprocess.Popen) -> dict[str, Any]:
        result: dict[str, Any] = {}
        reader = threading.Thread(target=lambda: result.update(frame=read_frame(process.stdout)), daemon=True)
        reader.start()
        reader.join(STARTUP_TIMEOUT_S)
        frame = result.get("frame")
        ready = json.loads(frame) if frame else {}
        if not ready.get("ready"):
            reason = ready.get("error") or self._log_tail() or "it exited while starting"
            self._terminate(process)
            raise WarehouseUnavailable(f"cannot start the chdb worker for {self.path}: {reason}")
        return ready

    def _submit(self, request: dict[str, Any]) -> Future:
        self.ensure_started()
        future: Future = Future()
        with self._lock:
            self._next_id += 1
            request["id"] = self._next_id
            self._pending[self._next_id] = future
            process = self._process
            try:
                write_frame(process.stdin, json.dumps(request).encode())
            except (OSError, ValueError):
                self._pending.pop(request["id"], None)
                raise WorkerGone(f"the chdb worker for {self.path} has exited; "
                                 "the next query starts a new one") from None
        return future

    def _write(self, request: dict[str, Any]) -> None:
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                return
            write_frame(self._process.stdin, json.dumps(request).encode())

    def _read_answers(self, process: subprocess.Popen) -> None:
        try:
            while (frame := read_frame(process.stdout)) is not None:
                header = json.loads(frame)
                payload = read_frame(process.stdout) if header.get("ok") else None
                with self._lock:
                    future = self._pending.pop(header.get("id"), None)
                if future is not None and not future.done():
                    future.set_result((header, payload))
        except (OSError, ValueError):
            pass  # the pipe was closed under us: the worker is being replaced
        self._fail_pending(process, "the chdb worker process exited while running the query")

    def _fail_pending(self, process: subprocess.Popen, message: str) -> None:
        with self._lock:
            if process is not self._process:
                return  # an old worker: its requests were failed when it was replaced
            pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(WorkerGone(message))

    def restart(self, reason: str) -> None:
        """Stop the worker (the next query starts a new one); its requests fail with ``reason``."""
        with self._lock:
            process, pending, self._pending = self._process, self._pending, {}
            tmp, self._process, self._tmp = self._tmp, None, None
        for future in pending.values():
            if not future.done():
                future.set_exception(WorkerGone(f"the chdb worker was restarted: {reason}"))
        if process is not None:
            self._terminate(process)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    def stop(self) -> None:
        self.restart("closed")

    @classmethod
    def stop_all(cls) -> None:
        """At exit: no worker outlives the server, no temp folder is left behind."""
        with cls._registry_lock:
            sandboxes = list(cls._by_path.values())
        for sandbox in sandboxes:
            sandbox.stop()

    def _log_tail(self) -> str:
        try:
            lines = (self._tmp / "worker.log").read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1][:500] if lines else ""

    @staticmethod
    def _terminate(process: subprocess.Popen) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass  # already gone
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        if process.stdin is not None:
            try:
                process.stdin.close()
            except OSError:
                pass  # a broken pipe to a dead process


atexit.register(ChdbSandbox.stop_all)
