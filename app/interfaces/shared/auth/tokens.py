"""Short-lived tokens for public pages: ``askt_<claims>.<signature>``, minted with an API key.

A page that embeds ``<asklytics-chat>`` should not carry a long-lived key: the host app's server
asks ``POST /api/v1/tokens`` with its key and writes the token into the page. A token stands for
its key (scope, access policy, rate budget) until it expires, for the origins it names (the key's,
or fewer). It is checked without the database's key hash: an HMAC-SHA256 over the claims with a
secret kept in the application database (appdb/signing.py), then the key's row is read, so
revoking the key ends its tokens at once and an origin removed from the key is removed from them.

The claims are signed, not encrypted: whoever holds a token can read its key id, scope, origins
and expiry (none of them is a secret).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

TOKEN_PREFIX = "askt_"
DEFAULT_TTL_S = 900
MIN_TTL_S = 30
MAX_TTL_S = 86_400
_CONTEXT = b"asklytics-token-v1."  # what is signed besides the claims: no other use of the secret matches


@dataclass(frozen=True)
class TokenClaims:
    key_id: str
    scope: str
    origins: tuple[str, ...]
    issued_at: int
    expires_at: int

    def encoded(self) -> str:
        data = {"k": self.key_id, "s": self.scope, "o": list(self.origins), "iat": self.issued_at,
                "exp": self.expires_at}
        return _b64(json.dumps(data, separators=(",", ":"), sort_keys=True).encode())


class TokenError(ValueError):
    """A token that cannot be used: ``code`` is ``token_expired`` or ``token_invalid``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class TokenSigner:
    """Signs and reads tokens; the secret is fetched on first use (``secret``: a callable)."""

    def __init__(self, secret: Callable[[], bytes]):
        self._load_secret = secret
        self._secret: bytes | None = None
        self._lock = threading.Lock()

    def mint(self, key_id: str, scope: str, origins, ttl_s: int,
             *, now: float | None = None) -> tuple[str, TokenClaims]:
        issued = int(time.time() if now is None else now)
        claims = TokenClaims(key_id, scope, tuple(origins), issued, issued + int(ttl_s))
        body = claims.encoded()
        return f"{TOKEN_PREFIX}{body}.{self._sign(body)}", claims

    def read(self, raw: str, *, now: float | None = None) -> TokenClaims:
        """The claims of a genuine, unexpired token; TokenError otherwise."""
        body, dot, signature = raw.removeprefix(TOKEN_PREFIX).partition(".")
        if not raw.startswith(TOKEN_PREFIX) or not dot or not hmac.compare_digest(
                self._sign(body).encode(), signature.encode()):
            raise TokenError("token_invalid", "invalid token (not signed by this server); "
                             "get a new one from POST /api/v1/tokens")
        claims = _decoded(body)
        current = time.time() if now is None else now
        if claims.expires_at <= current:
            expired = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(claims.expires_at))
            raise TokenError("token_expired", f"the token expired at {expired}; "
                             "get a new one from POST /api/v1/tokens")
        return claims

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._key(), _CONTEXT + body.encode(), hashlib.sha256).digest())

    def _key(self) -> bytes:
        with self._lock:
            if self._secret is None:
                self._secret = self._load_secret()
            return self._secret


def is_token(raw: str) -> bool:
    return raw.startswith(TOKEN_PREFIX)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _decoded(body: str) -> TokenClaims:
    """Claims of a body whose signature matched (so it was written by ``mint``)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        return TokenClaims(str(data["k"]), str(data["s"]), tuple(data["o"]), int(data["iat"]),
                           int(data["exp"]))
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise TokenError("token_invalid", "invalid token (unreadable claims)") from None
