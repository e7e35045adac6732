"""Who is calling: an API key (``Authorization: Bearer``) resolved to a tenant scope, then rate limited.

The rules are the doors' shared ones (app/interfaces/shared/callers.py): whether a key is needed
is the app's ``AuthMode``, failed logins are limited before any hashing, and callers are rate
limited per key; a browser call from another origin must be allowed server-wide or by the caller's
key (docs/embedding.md). Here they are FastAPI dependencies.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.interfaces.api.warm_request import is_warm_up_request
from app.interfaces.shared.callers import DEFAULT_SCOPE, WARM_UP_SCOPE, Caller, admit, check_origin, identify

__all__ = ["DEFAULT_SCOPE", "Caller", "CallerDep", "authenticate", "rate_limited_caller"]

# Declares the scheme in the OpenAPI document; missing credentials are judged by ``identify``, not by
# FastAPI, because the loopback default without keys serves callers that send none.
bearer = HTTPBearer(auto_error=False, description="An API key from `asklytics keys create`.")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authenticate(request: Request, credentials: BearerDep) -> Caller:
    if is_warm_up_request(request.scope):  # the server's own, from inside the process: no key, no origin
        return Caller(WARM_UP_SCOPE, None, rehearsal=True)
    token = credentials.credentials if credentials is not None else None
    caller = identify(request.app.state.api, token, _client_address(request))
    check_origin(request.app.state.api, caller, request.headers.get("origin"), request.headers.get("host"))
    return caller


def _client_address(request: Request) -> str:
    # The connecting peer; X-Forwarded-For has replaced it only when it came from
    # one of ASKLYTICS_TRUSTED_PROXIES (app/interfaces/cli/serve.py sets uvicorn up so).
    return request.client.host if request.client is not None else "unknown"


def rate_limited_caller(request: Request, caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
    if caller.rehearsal:  # nothing counted against anyone; the limiter's connection opened
        request.app.state.api.limiter.warm()
        return caller
    admit(request.app.state.api, caller, _client_address(request))
    return caller


CallerDep = Annotated[Caller, Depends(rate_limited_caller)]
