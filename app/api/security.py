"""Who is calling: an API key (``Authorization: Bearer``) resolved to a tenant scope, then rate limited.

Auth is enforced when ``ASKLYTICS_REQUIRE_AUTH`` is set or any key exists; the
embedded default (loopback, no keys) serves everyone as scope ``default``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.api.errors import ApiError

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
        if context.settings.require_auth or context.keys.has_keys():
            raise ApiError(401, "unauthorized", "send an API key as 'Authorization: Bearer <key>' "
                           "(create one with `asklytics keys create --scope NAME`)", {"WWW-Authenticate": "Bearer"})
        return Caller(DEFAULT_SCOPE, None)
    key = context.keys.verify(token)
    if key is None:
        raise ApiError(401, "unauthorized", "unknown or revoked API key", {"WWW-Authenticate": "Bearer"})
    return Caller(key.scope, key.key_id)


def rate_limited_caller(request: Request, caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
    identity = caller.rate_identity
    if caller.key_id is None and request.client is not None:
        identity = f"ip:{request.client.host}"
    wait = request.app.state.api.limiter.take(identity)
    if wait > 0:
        seconds = max(1, int(wait + 0.999))
        raise ApiError(429, "rate_limited", f"too many requests; retry in {seconds} s", {"Retry-After": str(seconds)})
    return caller


CallerDep = Annotated[Caller, Depends(rate_limited_caller)]
