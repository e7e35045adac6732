"""A server's warm-up request (#19): one ``POST /api/v1/ask`` through the whole app before ``/readyz``
says ready, answered like any other and recorded nowhere.

The warm start (app/engine/warm_up.py) loads the assistant's parts and rehearses a question inside
the engine; the first request of a process still paid one-off costs around ``Assistant.ask``: the
middleware and the route's dependencies run for the first time, the first hop to a worker thread
of the server's event loop, the rate limiter's, conversation store's and cache's first connections
(Redis), the answer log's first statements, the response's serializer. This request goes through
the real ASGI app on the server's own event loop, so each of those is paid here instead.

It is told apart by a key in its ASGI scope that only code in this process can set (an HTTP client
controls headers, never the scope's keys; the value is an object of this module): its caller is
``WARM_UP_SCOPE`` without a key, nothing is counted against a rate limit, the cache is looked up
without being counted and nothing is stored in it, the conversation turn is written then deleted,
and the answer log's rows are written in a transaction that is rolled back. Each worker process
(``serve --workers N``) sends its own, to itself.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import threading

log = logging.getLogger(__name__)

SCOPE_KEY = "asklytics.warm_up"
_MARK = object()  # the value only this module can put in a scope
PATH = "/api/v1/ask"


def is_warm_up_request(scope) -> bool:
    return scope.get(SCOPE_KEY) is _MARK


async def send_warm_up_request(app, question: str) -> tuple[int, dict]:
    """Ask ``question`` through ``app`` (ASGI, in process) as the warm-up caller: (status, JSON body)."""
    body = json.dumps({"question": question}).encode()
    scope = {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
        "method": "POST", "scheme": "http", "path": PATH, "raw_path": PATH.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0), "state": {},
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
        SCOPE_KEY: _MARK,
    }
    sent_body = False
    finished = asyncio.Event()
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict:
        nonlocal sent_body
        if not sent_body:
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}
        await finished.wait()  # nobody hangs up before the answer is sent
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                finished.set()

    await app(scope, receive, send)
    finished.set()
    try:
        answer = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        answer = {}
    return status, answer


def run_warm_up_request(app, loop: asyncio.AbstractEventLoop, question: str | None,
                        stop: threading.Event) -> str:
    """From the warm-up thread: the request on the server's event loop ``loop``; what came of it
    (logged when it was not an answer: the warm-up costs nothing but its warmth). ``stop`` (the
    server shutting down) ends the wait: the loop may be the one waiting for this thread."""
    if question is None:
        return "skipped"
    future = asyncio.run_coroutine_threadsafe(send_warm_up_request(app, question), loop)
    while True:
        try:
            status, answer = future.result(timeout=0.2)
            break
        except concurrent.futures.TimeoutError:
            if stop.is_set():
                future.cancel()
                return "stopped"
        except Exception as exc:  # noqa: BLE001 -- logged; the first real request loads what is left
            log.warning("the warm-up request failed: %s: %s", type(exc).__name__, exc)
            return "failed"
    outcome = answer.get("status", "no answer") if isinstance(answer, dict) else "no answer"
    if status != 200 or outcome != "answered":
        log.warning("the warm-up request %r got %s (%s)", question, status, outcome)
    return outcome
