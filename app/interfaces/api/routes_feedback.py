"""``POST /api/v1/feedback``: thumbs up or down on an answer; ``GET``: the rated answers of your scope
(the review page's list of "Wrong" answers)."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from app.interfaces.api.deps import ApiDep, StateDep
from app.interfaces.api.errors import ERROR_RESPONSES, ErrorBody
from app.interfaces.api.security import CallerDep
from app.interfaces.shared.feedback import FeedbackRequest, FeedbackResult
from app.interfaces.shared.review import RatedAnswerOut, rated_answers_of

router = APIRouter(prefix="/api/v1", tags=["feedback"], responses=ERROR_RESPONSES)


@router.post("/feedback", response_model=FeedbackResult, summary="Rate an answer (thumbs up or down)",
             responses={404: {"model": ErrorBody,
                              "description": "No recent answer with that id in your scope."}})
async def give_feedback(request: FeedbackRequest, state: StateDep, api: ApiDep,
                        caller: CallerDep) -> FeedbackResult:
    assistant = await run_in_threadpool(state.assistant)
    answer = api.answers.get(request.answer_id, caller.scope)
    return await run_in_threadpool(api.feedback.record, assistant, answer, request, caller.scope)


@router.get("/feedback", response_model=list[RatedAnswerOut],
            summary="Answers of your scope rated down (or up), most recently rated first, for review")
async def rated_answers(api: ApiDep, caller: CallerDep, rating: Literal["up", "down"] = "down",
                        limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[RatedAnswerOut]:
    return await run_in_threadpool(rated_answers_of, api.database, caller.scope, rating, limit)
