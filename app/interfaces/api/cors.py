"""CORS per key: which browser origins may call the API (and ``/mcp``).

A preflight (``OPTIONS`` with ``Access-Control-Request-Method``) carries no key, so it is answered
for the origins of ``ASKLYTICS_CORS_ORIGINS`` and those some active key allows. Responses to such
an origin carry ``Access-Control-Allow-Origin``, errors included, so a page reads why it was
refused. Whether the actual call may run is the caller's own key's (or token's) business:
``check_origin`` in app/interfaces/shared/callers.py refuses with 403 ``origin_not_allowed`` a key
that does not allow the calling origin, before the route runs. The allowed origins are read from
the database at every cross-origin request, so ``asklytics keys update`` counts at once (browsers
remember a preflight for ``max-age`` seconds).
"""
from __future__ import annotations

import json
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.interfaces.shared.auth.origins import allowed_server_wide, same_origin

ALLOWED_METHODS = ("GET", "POST", "DELETE")
ALLOWED_HEADERS = frozenset({"authorization", "content-type"})
EXPOSED_HEADERS = "Retry-After"
PREFLIGHT_MAX_AGE_S = 600


class KeyedCorsMiddleware:
    def __init__(self, app: ASGIApp, server_origins: frozenset[str], key_origins: Callable[[], set[str]]):
        self.app = app
        self.server_origins = server_origins
        self.key_origins = key_origins  # every origin some active key allows (one query)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None or same_origin(origin, headers.get("host")):
            return await self.app(scope, receive, send)
        allowed = await self._allowed(origin)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            return await _preflight(origin, allowed, headers, send)
        if not allowed:  # the browser withholds the response; a keyed route refuses with 403 first
            return await self.app(scope, receive, send)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers") or []) + _cors_headers(origin)}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _allowed(self, origin: str) -> bool:
        if allowed_server_wide(self.server_origins, origin):
            return True
        return origin in await run_in_threadpool(self.key_origins)


def _cors_headers(origin: str) -> list[tuple[bytes, bytes]]:
    return [(b"access-control-allow-origin", origin.encode("latin-1")), (b"vary", b"Origin"),
            (b"access-control-expose-headers", EXPOSED_HEADERS.encode())]


async def _preflight(origin: str, allowed: bool, headers: Headers, send: Send) -> None:
    method = headers["access-control-request-method"].upper()
    listed = headers.get("access-control-request-headers", "").split(",")
    asked = {h.strip().lower() for h in listed if h.strip()}
    if not allowed or method not in ALLOWED_METHODS or not asked <= ALLOWED_HEADERS:
        reason = (f"origin {origin} is not allowed" if not allowed else
                  f"only {', '.join(ALLOWED_METHODS)} with the headers Authorization, Content-Type")
        body = json.dumps({"error": {"code": "cors_refused", "message": reason}}).encode()
        return await _respond(send, 400, [(b"content-type", b"application/json"), (b"vary", b"Origin")], body)
    extra = [(b"access-control-allow-methods", ", ".join(ALLOWED_METHODS).encode()),
             (b"access-control-allow-headers", b"Authorization, Content-Type"),
             (b"access-control-max-age", str(PREFLIGHT_MAX_AGE_S).encode())]
    await _respond(send, 204, _cors_headers(origin) + extra, b"")


async def _respond(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    headers = headers + [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
