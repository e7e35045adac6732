"""``POST /api/v1/feedback``: thumbs up or down on an answer."""
from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.interfaces.api.deps import ApiDep, StateDep
from app.interfaces.api.errors import ERROR_RESPONSES, ErrorBody
from app.interfaces.api.security import CallerDep
from app.interfaces.shared.feedback import FeedbackRequest, FeedbackResult

router = APIRouter(prefix="/api/v1", tags=["feedback"], responses=ERROR_RESPONSES)


@router.post("/feedback", response_model=FeedbackResult, summary="Rate an answer (thumbs up or down)",
             responses={404: {"model": ErrorBody,
                              "description": "No recent answer with that id in your scope."}})
async def give_feedback(request: FeedbackRequest, state: StateDep, api: ApiDep,
                        caller: CallerDep) -> FeedbackResult:
    assistant = await run_in_threadpool(state.assistant)
    answer = api.answers.get(request.answer_id, caller.scope)
    return await run_in_threadpool(api.feedback.record, assistant, answer, request, caller.scope)
