"""``/api/v1/verified``: mark an answer of your scope as verified, list your scope's verified queries."""
from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.interfaces.api.deps import ApiDep
from app.interfaces.api.errors import ERROR_RESPONSES, ErrorBody
from app.interfaces.api.security import CallerDep
from app.interfaces.shared.verifying import VerifiedQueryOut, VerifyRequest, verified_of, verify_answer

router = APIRouter(prefix="/api/v1", tags=["verified"], responses=ERROR_RESPONSES)


@router.post("/verified", response_model=VerifiedQueryOut, status_code=201,
             summary="Verify an answer: its question is answered with this plan from now on",
             responses={404: {"model": ErrorBody,
                              "description": "No answered question with that id in your scope."}})
async def verify(request: VerifyRequest, api: ApiDep, caller: CallerDep) -> VerifiedQueryOut:
    actor = f"key:{caller.key_id}" if caller.key_id else f"scope:{caller.scope}"
    return await run_in_threadpool(verify_answer, api.answers, request.answer_id, caller.scope, actor)


@router.get("/verified", response_model=list[VerifiedQueryOut], summary="The verified queries of your scope")
async def list_verified(api: ApiDep, caller: CallerDep) -> list[VerifiedQueryOut]:
    return await run_in_threadpool(verified_of, api.answers, caller.scope)
