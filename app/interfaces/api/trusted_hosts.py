"""Answer only to known Host names, so a DNS-rebinding web page cannot read the API.

A page on ``evil.example`` whose name is re-pointed at 127.0.0.1 reaches a
loopback server from the victim's browser, same-origin as far as the browser
knows; its requests still say ``Host: evil.example``. Loopback names are always
served (no outside page can be given one), plus the bind host when it is a
specific address, plus ``ASKLYTICS_TRUSTED_HOSTS``. Every path is covered:
the API, the web UI, /docs, health probes and Slack.
"""
from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_BINDS = {"", "0.0.0.0", "::"}
HOST_HEADER = re.compile(r"^(?:\[(?P<v6>[0-9a-f:.]+)\]|(?P<name>[^:\[\]]*))(?::\d{1,5})?$")


def trusted_host_patterns(settings) -> list[str]:
    configured = [_normalise(item) for item in settings.trusted_hosts.split(",") if item.strip()]
    bind = [] if settings.host in WILDCARD_BINDS else [_normalise(settings.host)]
    return list(dict.fromkeys([*LOOPBACK_NAMES, *bind, *configured]))


def host_of(header: str) -> str:
    """The name in a Host header, without port, brackets, trailing dot or case.

    A malformed header is returned whole, lower-cased, so it matches no trusted name."""
    header = header.strip().lower()
    parsed = HOST_HEADER.match(header)
    return (parsed["v6"] or parsed["name"]).rstrip(".") if parsed else header


def host_is_trusted(host: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        if pattern == "*" or host == pattern:
            return True
        if pattern.startswith("*.") and host.endswith(pattern[1:]):
            return True
    return False


def _normalise(name: str) -> str:
    return name.strip().strip("[]").rstrip(".").lower()


class TrustedHostsMiddleware:
    def __init__(self, app: ASGIApp, patterns: list[str]):
        self.app, self.patterns = app, patterns

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        header = dict(scope.get("headers") or ()).get(b"host", b"").decode("latin-1")
        if host_is_trusted(host_of(header), self.patterns):
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})  # before accept: an HTTP 403
        await _reject(send, header)


async def _reject(send: Send, header: str) -> None:
    message = (f"this server does not answer to host {header[:100]!r}; "
               "add the name to ASKLYTICS_TRUSTED_HOSTS if it is yours")
    body = json.dumps({"error": {"code": "untrusted_host", "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})
