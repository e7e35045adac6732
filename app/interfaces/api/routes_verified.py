"""``/api/v1/verified``: mark an answer of your scope as verified, list your scope's verified queries."""
from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.interfaces.api.deps import ApiDep, StateDep
from app.interfaces.api.errors import ERROR_RESPONSES, ErrorBody
from app.interfaces.api.security import CallerDep
from app.interfaces.shared.verifying import VerifiedQueryOut, VerifyRequest, verified_of, verify_request

router = APIRouter(prefix="/api/v1", tags=["verified"], responses=ERROR_RESPONSES)


@router.post("/verified", response_model=VerifiedQueryOut, status_code=201,
             summary="Verify an answer's plan, or corrected SQL for its question (or a question with SQL)",
             description="From then on the question is answered with this plan or SQL for your scope. "
                         "SQL is run once as you (your access policy and privacy threshold) before it is "
                         "kept; SQL that does not run is refused with the reason.",
             responses={404: {"model": ErrorBody, "description": "No such answer in your scope."},
                        422: {"model": ErrorBody, "description": "An invalid body, or SQL that does not "
                              "run (the message says why)."},
                        403: {"model": ErrorBody, "description": "Your access policy or the privacy "
                              "threshold refuses the SQL, or the origin is not allowed."}})
async def verify(request: VerifyRequest, state: StateDep, api: ApiDep, caller: CallerDep) -> VerifiedQueryOut:
    actor = f"key:{caller.key_id}" if caller.key_id else f"scope:{caller.scope}"
    assistant = await run_in_threadpool(state.assistant) if request.sql is not None else None
    return await run_in_threadpool(verify_request, assistant, api.answers, request, caller.scope,
                                   caller.key_id, actor)


@router.get("/verified", response_model=list[VerifiedQueryOut], summary="The verified queries of your scope")
async def list_verified(api: ApiDep, caller: CallerDep) -> list[VerifiedQueryOut]:
    return await run_in_threadpool(verified_of, api.answers, caller.scope)
