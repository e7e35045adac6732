"""A local stand-in for Slack's Web API: an HTTP server on 127.0.0.1 in a thread that records every call.

The bot's WebClient is pointed at ``base_url``; ``files.getUploadURLExternal``
hands out upload URLs on this same server, so the whole ``files_upload_v2``
flow (get URL, upload bytes, complete) stays local and is recorded.
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

BOT_USER_ID = "UBOT0001"
TEAM_ID = "T0TEAM01"


@dataclass
class Call:
    method: str  # "chat.postMessage", or "upload" for the file bytes
    params: dict = field(default_factory=dict)
    body: bytes = b""
    authorization: str = ""
    at: float = field(default_factory=time.monotonic)  # when the server received it (benchmarks)


class MockSlackApi:
    def __init__(self):
        self._calls: list[Call] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._held: dict[str, threading.Event] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/api/"

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if method is None or call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout_s: float = 120.0) -> list[Call]:
        """Bounded poll until ``count`` calls of ``method`` were recorded (the bot works after its ack)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = self.calls(method)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        seen = [c.method for c in self.calls()]
        raise AssertionError(f"{count} x {method} not seen in {timeout_s}s; calls: {seen}")

    def hold(self, method: str) -> threading.Event:
        """Calls of ``method`` wait (at most 60 s) until the returned event is set:
        work in flight stays in flight."""
        gate = self._held[method] = threading.Event()
        return gate

    def record(self, call: Call) -> dict:
        with self._lock:
            self._calls.append(call)
            gate = self._held.get(call.method)
        if gate is not None:
            gate.wait(timeout=60)
        with self._lock:
            ts = f"1700000000.{next(self._ts):06d}"
        return self._reply(call, ts)

    def _reply(self, call: Call, ts: str) -> dict:
        if call.method == "auth.test":
            return {"ok": True, "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": "B0BOT001",
                    "team": "Demo"}
        if call.method == "chat.postMessage":
            return {"ok": True, "channel": call.params.get("channel"), "ts": ts, "message": {"ts": ts}}
        if call.method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if call.method == "files.getUploadURLExternal":
            file_id = f"F{ts.replace('.', '')}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.root}/upload/{file_id}"}
        if call.method == "files.completeUploadExternal":
            files = json.loads(call.params.get("files", "[]"))
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return {"ok": True}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def _handler_for(api: MockSlackApi):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.startswith("/upload/"):
                api.record(Call("upload", {"path": self.path}, body))
                return self._send(200, b"OK", "text/plain")
            call = Call(self.path.removeprefix("/api/").split("?")[0], _params(self.headers, body), body,
                        self.headers.get("Authorization", ""))
            self._send(200, json.dumps(api.record(call)).encode(), "application/json")

        def _send(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):  # keep test output clean
            pass

    return Handler


def _params(headers, body: bytes) -> dict:
    if "application/json" in (headers.get("Content-Type") or ""):
        return json.loads(body or b"{}")
    return dict(parse_qsl(body.decode("utf-8")))
