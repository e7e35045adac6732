"""Who is calling, for every door that takes API keys over the network (the REST API, MCP over HTTP).

A bearer token is resolved to a tenant scope with the app's key store and ``AuthMode`` (decided at
start-up, app/interfaces/shared/auth/mode.py): the embedded default (loopback, no keys) serves
everyone as scope ``default``. Failed logins are limited per client address and per key id before
any hashing (app/interfaces/shared/auth/failures.py); callers are then rate limited per key (or per
address without one). The doors only read the token and the address off their own request type.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.interfaces.shared.auth.keys import claimed_key_id
from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.errors import RequestError

DEFAULT_SCOPE = "default"


@dataclass(frozen=True)
class Caller:
    scope: str
    key_id: str | None

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
    attempt = _login_identities(token, client_address)
    key = context.keys.verify(token, before_hashing=lambda: _refuse_while_failing(context, attempt))
    if key is None:
        context.failed_logins.record(attempt)
        raise unauthorized(context, "unknown or revoked API key")
    return Caller(key.scope, key.key_id)


def admit(context: ApiContext, caller: Caller, client_address: str) -> None:
    """Take one request from the caller's rate budget; RequestError 429 when it is spent."""
    identity = caller.rate_identity if caller.key_id else f"ip:{client_address}"
    wait = context.limiter.take(identity)
    if wait > 0:
        raise too_many("too many requests", wait)


def unauthorized(context: ApiContext, message: str) -> RequestError:
    if context.auth.required and not context.keys.has_keys():
        message = ("no API key is valid on this server (all revoked, or keys.json removed); "
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
