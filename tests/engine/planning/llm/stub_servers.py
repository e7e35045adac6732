"""Local stand-ins for the OpenAI and Anthropic HTTP APIs, for the real SDK clients.

A ``StubLLMServer`` runs in a thread on loopback at a random port and answers
each POST with the next scripted :class:`StubReply` (status, JSON body,
headers, optional delay), recording every request so tests can read what the
client sent. The body builders produce each provider's documented wire
format: OpenAI chat completions with ``tool_calls`` and ``usage``; Anthropic
Messages with ``tool_use`` content blocks and ``usage``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

_ids = itertools.count(1)


@dataclass
class StubReply:
    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class StubLLMServer:
    """``with StubLLMServer([reply, ...]) as server: ... server.url ... server.requests``."""

    def __init__(self, replies: list[StubReply]):
        self.replies = list(replies)
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def next_reply(self, request: RecordedRequest) -> StubReply:
        with self._lock:
            self.requests.append(request)
            if not self.replies:
                return StubReply({"error": {"message": "stub script exhausted"}}, status=400)
            return self.replies.pop(0)


def _handler_for(stub: StubLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            reply = stub.next_reply(
                RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            time.sleep(reply.delay_s)
            self._send(reply)

        def _send(self, reply: StubReply) -> None:
            payload = json.dumps(reply.body).encode()
            try:
                self.send_response(reply.status)
                for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


# --- OpenAI chat completions -------------------------------------------------


def openai_tool_call(name: str, args: dict[str, Any], *, tokens=(120, 30), model="gpt-4o-mini") -> StubReply:
    call = {
        "id": f"call_{next(_ids)}",
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(args)},
    }
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    return StubReply(_openai_completion(message, "tool_calls", tokens, model))


def openai_text(text: str, *, tokens=(120, 30), model="gpt-4o-mini", usage: bool = True) -> StubReply:
    body = _openai_completion({"role": "assistant", "content": text}, "stop", tokens, model)
    if not usage:
        body.pop("usage")
    return StubReply(body)


def openai_error(status: int, message: str = "server error", **headers: str) -> StubReply:
    kind = "rate_limit_exceeded" if status == 429 else "server_error"
    return StubReply(
        {"error": {"message": message, "type": kind, "code": kind}}, status=status, headers=headers
    )


def _openai_completion(message: dict[str, Any], finish: str, tokens, model: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{next(_ids)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": {"prompt_tokens": tokens[0], "completion_tokens": tokens[1], "total_tokens": sum(tokens)},
    }


# --- Anthropic Messages -------------------------------------------------------


def anthropic_tool_use(
    name: str, args: dict[str, Any], *, tokens=(150, 40), text: str | None = None, model="claude-sonnet-4-6"
) -> StubReply:
    blocks = [{"type": "text", "text": text}] if text else []
    blocks.append({"type": "tool_use", "id": f"toolu_{next(_ids):04d}", "name": name, "input": args})
    return StubReply(_anthropic_message(blocks, "tool_use", tokens, model))


def anthropic_text(text: str, *, tokens=(150, 40), model="claude-sonnet-4-6") -> StubReply:
    return StubReply(_anthropic_message([{"type": "text", "text": text}], "end_turn", tokens, model))


def anthropic_error(status: int, kind: str = "overloaded_error", message: str = "Overloaded") -> StubReply:
    return StubReply({"type": "error", "error": {"type": kind, "message": message}}, status=status)


def _anthropic_message(blocks: list[dict[str, Any]], stop: str, tokens, model: str) -> dict[str, Any]:
    return {
        "id": f"msg_{next(_ids):04d}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": blocks,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": tokens[0], "output_tokens": tokens[1]},
    }
