"""Who is calling, for every door that takes API keys over the network (the REST API, MCP over HTTP).

A bearer token -- an API key, or a short-lived token minted with one (auth/tokens.py) -- is resolved
to a tenant scope with the app's key store and ``AuthMode`` (decided at start-up,
app/interfaces/shared/auth/mode.py): the embedded default (loopback, no keys) serves everyone as
scope ``default``. A browser call from another origin must be allowed server-wide
(``ASKLYTICS_CORS_ORIGINS``) or by the caller's key (``check_origin``). Failed logins are limited
per client address and per key id before any hashing (app/interfaces/shared/auth/failures.py);
callers are then rate limited per key (or per address without one). The doors only read the token
and the address off their own request type.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.interfaces.shared.auth.keys import claimed_key_id
from app.interfaces.shared.auth.origins import allowed_server_wide, same_origin
from app.interfaces.shared.auth.tokens import TokenError, is_token
from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.errors import RequestError

DEFAULT_SCOPE = "default"
# The tenant of a server's warm-up request (app/interfaces/api/warm_request.py): ':' is not allowed in
# a key's scope (auth/keys.py, SCOPE_FORMAT), so no caller shares it.
WARM_UP_SCOPE = "asklytics:warm-up"


@dataclass(frozen=True)
class Caller:
    scope: str
    key_id: str | None
    origins: tuple[str, ...] = ()  # browser origins the key (or token) allows
    via_token: bool = False
    rehearsal: bool = False  # the server's own warm-up request: answered, recorded nowhere

    @property
    def rate_identity(self) -> str:
        return f"key:{self.key_id}" if self.key_id else "anonymous"


def identify(context: ApiContext, token: str | None, client_address: str) -> Caller:
    """The caller a bearer token (or none) stands for; RequestError 401 or 429 otherwise."""
    token = token.strip() if token is not None else None
    if not token:
        if context.auth.required:
            raise unauthorized(context, "send an API key as 'Authorization: Bearer <key>' "
                               "(create one with `asklytics keys create --scope NAME`)")
        return Caller(DEFAULT_SCOPE, None)
    if is_token(token):
        return _token_caller(context, token)
    attempt = _login_identities(token, client_address)
    key = context.keys.verify(token, before_hashing=lambda: _refuse_while_failing(context, attempt))
    if key is None:
        context.failed_logins.record(attempt)
        raise unauthorized(context, "unknown or revoked API key")
    return Caller(key.scope, key.key_id, key.origins)


def _token_caller(context: ApiContext, token: str) -> Caller:
    """A token costs one HMAC, not a hash, so a wrong one is not counted as a failed login (a page left
    open past its token's expiry must not lock its visitors' address out)."""
    try:
        claims = context.tokens.read(token)
    except TokenError as exc:
        raise RequestError(401, exc.code, exc.message, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    key = context.keys.get(claims.key_id)
    if key is None:
        raise RequestError(401, "token_invalid", "the API key this token was made with is revoked",
                           {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    origins = tuple(o for o in claims.origins if o in key.origins)  # an origin taken off the key leaves
    return Caller(key.scope, key.key_id, origins, via_token=True)


def check_origin(context: ApiContext, caller: Caller, origin: str | None, host: str | None) -> None:
    """A browser call from another origin than the server's: allowed server-wide or by the caller's key
    (or token); RequestError 403 otherwise, before anything runs."""
    if origin is None or same_origin(origin, host) or allowed_server_wide(context.cors_origins, origin):
        return
    if origin in caller.origins:
        return
    if caller.key_id is None:
        message = f"calls from {origin} are not allowed: present an API key that allows this origin"
    else:
        message = (f"this {'token' if caller.via_token else 'API key'} does not allow calls from {origin} "
                   f"(add it with `asklytics keys update {caller.key_id} --add-origin {origin}`)")
    raise RequestError(403, "origin_not_allowed", message)


def admit(context: ApiContext, caller: Caller, client_address: str) -> None:
    """Take one request from the caller's rate budget; RequestError 429 when it is spent."""
    identity = caller.rate_identity if caller.key_id else f"ip:{client_address}"
    wait = context.limiter.take(identity)
    if wait > 0:
        raise too_many("too many requests", wait)


def unauthorized(context: ApiContext, message: str) -> RequestError:
    if context.auth.required and not context.keys.has_keys():
        message = ("no API key is valid on this server (none created, or all revoked); "
                   "create one with `asklytics keys create --scope NAME`")
    return RequestError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


def too_many(what: str, wait: float) -> RequestError:
    seconds = max(1, int(wait + 0.999))
    return RequestError(429, "rate_limited", f"{what}; retry in {seconds} s", {"Retry-After": str(seconds)})


def _login_identities(token: str, client_address: str) -> list[str]:
    """Who a failed login counts against: the client address, and the key id the token claims."""
    key_id = claimed_key_id(token)
    return [f"ip:{client_address}"] + ([f"key:{key_id}"] if key_id else [])


def _refuse_while_failing(context: ApiContext, identities: list[str]) -> None:
    wait = context.failed_logins.wait(identities)
    if wait > 0:
        raise too_many("too many failed logins", wait)
