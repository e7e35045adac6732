"""``POST /api/v1/tokens``: a short-lived token for a public page, made with an API key."""
from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.interfaces.api.deps import ApiDep
from app.interfaces.api.errors import ERROR_RESPONSES, ErrorBody
from app.interfaces.api.security import CallerDep
from app.interfaces.shared.page_tokens import TokenOut, TokenRequest, issue_token

router = APIRouter(prefix="/api/v1", tags=["tokens"], responses=ERROR_RESPONSES)


@router.post("/tokens", response_model=TokenOut, status_code=201,
             summary="A short-lived token standing for your API key (for a page that embeds the widget)",
             responses={403: {"model": ErrorBody, "description": "Called with a token, or without a key."}})
async def create_token(api: ApiDep, caller: CallerDep, request: TokenRequest | None = None) -> TokenOut:
    return await run_in_threadpool(issue_token, api, caller, request or TokenRequest())
