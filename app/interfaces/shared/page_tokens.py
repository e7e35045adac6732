"""Minting a short-lived token for a public page (``POST /api/v1/tokens``, docs/embedding.md): with an
API key only (a token cannot make tokens, or one leaked token would live forever), for the key's
origins or fewer. The token stands for the key: its scope, its access policy (read afresh at every
call, shown here as it is now) and its rate budget. Not audited: a host app mints one per page view."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.engine.access import policy_for
from app.interfaces.shared.auth.origins import OriginError, normalize_origins
from app.interfaces.shared.auth.tokens import DEFAULT_TTL_S, MAX_TTL_S, MIN_TTL_S
from app.interfaces.shared.callers import Caller
from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.errors import RequestError


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ttl_s: int = Field(DEFAULT_TTL_S, ge=MIN_TTL_S, le=MAX_TTL_S,
                       description="Seconds the token is valid (default 15 minutes, at most a day).")
    origins: list[str] | None = Field(None, max_length=20, description=(
        "Browser origins the token may be used from: some of the key's (default: all of them)."))


class PolicyOut(BaseModel):
    metrics: list[str] | None = Field(description="Metrics allowed; null: every metric.")
    dimensions: list[str] | None = Field(description="Dimensions allowed; null: every dimension.")
    row_filters: list[str]
    allow_sql: bool


class TokenOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>' (the widget's token attribute).")
    token_type: str = "Bearer"
    expires_at: int = Field(description="Unix time the token stops working.")
    expires_in: int = Field(description="Seconds from now.")
    key_id: str
    scope: str
    origins: list[str] = Field(description="Browser origins the token may call from (besides the "
                               "server-wide ASKLYTICS_CORS_ORIGINS).")
    policy: PolicyOut | None = Field(description=(
        "The key's access policy now (tenant's and key's merged); null: none."))


def issue_token(api: ApiContext, caller: Caller, request: TokenRequest) -> TokenOut:
    if caller.via_token:
        raise RequestError(403, "forbidden", "a token cannot make tokens; call with the API key")
    key = api.keys.get(caller.key_id) if caller.key_id else None
    if key is None:
        raise RequestError(403, "forbidden", "tokens are made with an API key (`asklytics keys create`), "
                           "and this server runs without keys")
    origins = list(key.origins) if request.origins is None else _narrowed(key.origins, request.origins)
    token, claims = api.tokens.mint(key.key_id, key.scope, origins, request.ttl_s)
    return TokenOut(token=token, expires_at=claims.expires_at, expires_in=request.ttl_s, key_id=key.key_id,
                    scope=key.scope, origins=origins, policy=_policy(api, key.scope, key.key_id))


def _narrowed(allowed: tuple[str, ...], asked: list[str]) -> list[str]:
    try:
        origins = normalize_origins(asked)
    except OriginError as exc:
        raise RequestError(422, "invalid_request", str(exc)) from None
    outside = [o for o in origins if o not in allowed]
    if outside:
        raise RequestError(422, "invalid_request", f"the key does not allow {', '.join(outside)}; a token "
                           "may name some of the key's origins only")
    return origins


def _policy(api: ApiContext, scope: str, key_id: str) -> PolicyOut | None:
    policy = policy_for(api.database, scope, key_id)
    if policy is None:
        return None
    return PolicyOut(metrics=sorted(policy.metrics) if policy.metrics is not None else None,
                     dimensions=sorted(policy.dimensions) if policy.dimensions is not None else None,
                     row_filters=list(policy.row_filters), allow_sql=policy.allow_sql)
