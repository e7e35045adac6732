"""Browser origins as keys store them: ``scheme://host[:port]``, lower case, no path.

A browser's ``Origin`` header is exactly that form, so a stored origin is compared with it as a
string. ``null`` (sandboxed frames, files) and wildcards are refused: an origin per key names one
host page.
"""
from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


class OriginError(ValueError):
    """Not an origin; the message says what one looks like."""


def normalize_origin(text: str) -> str:
    """``https://App.Example.com:443`` -> ``https://app.example.com``; OriginError when not an origin."""
    raw = text.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (parts is None or parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname
            or parts.path not in ("", "/") or parts.query or parts.fragment or parts.username
            or "*" in raw):
        raise OriginError(f"{text!r} is not an origin: write scheme://host[:port], "
                          "e.g. https://app.example.com or http://localhost:3000")
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" if port in (None, DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"


def normalize_origins(texts) -> list[str]:
    """Each origin normalized, duplicates dropped, in the order given."""
    return list(dict.fromkeys(normalize_origin(t) for t in texts))


def same_origin(origin: str, host: str | None) -> bool:
    """Whether a browser's ``Origin`` is the server's own (the page was served by it): its host[:port]
    is the request's ``Host`` (the scheme is not compared: a TLS proxy may sit in front)."""
    return host is not None and urlsplit(origin).netloc.lower() == host.strip().lower()


def allowed_server_wide(server_origins: frozenset[str], origin: str) -> bool:
    """``ASKLYTICS_CORS_ORIGINS`` (``*``: any origin)."""
    return "*" in server_origins or origin in server_origins


def server_origin_set(texts) -> frozenset[str]:
    """The server-wide origins, normalized like a key's (an entry that is no origin is kept as written)."""
    found = set()
    for text in texts:
        try:
            found.add(normalize_origin(text))
        except OriginError:
            found.add(text.strip())
    return frozenset(found)
