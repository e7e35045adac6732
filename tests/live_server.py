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


def data_dir_with_models(trained: dict, folder: Path) -> Path:
    """A fresh data folder holding the session's three trained predictor models."""
    data = folder / "data"
    shutil.copytree(trained["registry"].root, data / "models")
    return data
