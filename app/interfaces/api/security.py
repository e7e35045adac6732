"""Who is calling: an API key (``Authorization: Bearer``) resolved to a tenant scope, then rate limited.

Whether a key is needed is the app's ``AuthMode`` (decided at start-up, see
app/interfaces/shared/auth/mode.py); the embedded default (loopback, no keys) serves everyone as
scope ``default``. Failed logins are limited per client address and per key id
before any hashing (app/interfaces/shared/auth/failures.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.interfaces.shared.auth.keys import claimed_key_id
from app.interfaces.shared.errors import RequestError

DEFAULT_SCOPE = "default"


@dataclass(frozen=True)
class Caller:
    scope: str
    key_id: str | None

    @property
    def rate_identity(self) -> str:
        return f"key:{self.key_id}" if self.key_id else "anonymous"


# Declares the scheme in the OpenAPI document; missing credentials are judged below, not by FastAPI,
# because the loopback default without keys serves callers that send none.
bearer = HTTPBearer(auto_error=False, description="An API key from `asklytics keys create`.")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authenticate(request: Request, credentials: BearerDep) -> Caller:
    context = request.app.state.api
    token = credentials.credentials.strip() if credentials is not None else None
    if token is None:
        if context.auth.required:
            raise _unauthorized(context, "send an API key as 'Authorization: Bearer <key>' "
                                "(create one with `asklytics keys create --scope NAME`)")
        return Caller(DEFAULT_SCOPE, None)
    attempt = _login_identities(request, token)
    key = context.keys.verify(token, before_hashing=lambda: _refuse_while_failing(context, attempt))
    if key is None:
        context.failed_logins.record(attempt)
        raise _unauthorized(context, "unknown or revoked API key")
    return Caller(key.scope, key.key_id)


def _unauthorized(context, message: str) -> RequestError:
    if context.auth.required and not context.keys.has_keys():
        message = ("no API key is valid on this server (all revoked, or keys.json removed); "
                   "create one with `asklytics keys create --scope NAME`")
    return RequestError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


def _login_identities(request: Request, token: str) -> list[str]:
    """Who a failed login counts against: the client address, and the key id the token claims."""
    key_id = claimed_key_id(token)
    return [f"ip:{_client_address(request)}"] + ([f"key:{key_id}"] if key_id else [])


def _refuse_while_failing(context, identities: list[str]) -> None:
    wait = context.failed_logins.wait(identities)
    if wait > 0:
        raise _too_many("too many failed logins", wait)


def _client_address(request: Request) -> str:
    # The connecting peer; X-Forwarded-For has replaced it only when it came from
    # one of ASKLYTICS_TRUSTED_PROXIES (app/interfaces/cli/serve.py sets uvicorn up so).
    return request.client.host if request.client is not None else "unknown"


def _too_many(what: str, wait: float) -> RequestError:
    seconds = max(1, int(wait + 0.999))
    return RequestError(429, "rate_limited", f"{what}; retry in {seconds} s", {"Retry-After": str(seconds)})


def rate_limited_caller(request: Request, caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
    identity = caller.rate_identity
    if caller.key_id is None:
        identity = f"ip:{_client_address(request)}"
    wait = request.app.state.api.limiter.take(identity)
    if wait > 0:
        raise _too_many("too many requests", wait)
    return caller


CallerDep = Annotated[Caller, Depends(rate_limited_caller)]
