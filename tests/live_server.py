"""A real Asklytics server (the composition root's app under uvicorn) on a free loopback port, in a
thread: what the MCP, client and embedding tests call over the network (a plain module: tests/ is
not a package)."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    server: object
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def serve(settings) -> LiveServer:
    import uvicorn

    from app.interfaces.assembly import create_app

    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the test server did not start (see the log above)")
        time.sleep(0.05)
    return LiveServer(f"http://127.0.0.1:{port}", server, thread)


class QueryGate:
    """Installed on a warehouse connector, holds every query until ``opened`` is set; ``waiting`` is
    released once per query that reached it. Lets a test see what a server sends while a query is
    still running, without timing anything."""

    def __init__(self, warehouse):
        self.warehouse = warehouse
        self._execute = warehouse.execute
        self.opened = threading.Event()
        self.waiting = threading.Semaphore(0)
        warehouse.execute = self

    def __call__(self, sql, params=None):
        self.waiting.release()
        assert self.opened.wait(120), "the test never opened the gate"
        return self._execute(sql, params)

    def remove(self) -> None:
        self.opened.set()
        del self.warehouse.execute


def hold_queries(live: LiveServer) -> QueryGate:
    """A gate on the live server's warehouse, put in after its assistant (planner, value index) is built."""
    state = live.server.config.app.state.asklytics
    state.assistant().router  # noqa: B018 -- building the planner reads the warehouse
    return QueryGate(state.warehouse())


def data_dir_with_models(trained: dict, folder: Path) -> Path:
    """A fresh data folder holding the session's three trained predictor models."""
    data = folder / "data"
    shutil.copytree(trained["registry"].root, data / "models")
    return data


def doc_snippet(document: Path, name: str) -> str:
    """The fenced block after ``<!-- snippet: NAME -->`` in a doc."""
    import re

    pattern = rf"<!-- snippet: {re.escape(name)} -->\s*```\w*\n(.*?)```"
    found = re.search(pattern, document.read_text(), re.DOTALL)
    assert found, f"no snippet {name!r} in {document}"
    return found.group(1)


def run_async(make_coroutine):
    """``asyncio.run(make_coroutine())`` in a thread of its own: Playwright's sync API keeps an event
    loop running in the test thread once a browser test has run in the session."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as worker:
        return worker.submit(lambda: asyncio.run(make_coroutine())).result()
