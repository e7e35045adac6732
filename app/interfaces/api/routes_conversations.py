"""Conversations of the caller's scope: create, list, get with turns, delete."""
from __future__ import annotations

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.engine.contract import Answer
from app.engine.conversations import new_conversation_id
from app.interfaces.api.deps import ApiDep, StateDep
from app.interfaces.api.errors import ERROR_RESPONSES, ErrorBody
from app.interfaces.api.security import CallerDep
from app.interfaces.shared.errors import RequestError

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"], responses=ERROR_RESPONSES)
ConversationId = Path(..., max_length=64, pattern=r"^[A-Za-z0-9_.-]+$", examples=["c-7f3a9b2c4d5e6f70"])
NOT_FOUND = {404: {"model": ErrorBody, "description": "No such conversation in your scope."}}


class ConversationRef(BaseModel):
    conversation_id: str = Field(..., examples=["c-7f3a9b2c4d5e6f70"])


class ConversationSummary(BaseModel):
    conversation_id: str
    title: str = Field(..., description="The first question.")
    turn_count: int
    updated_at: float


class TurnOut(BaseModel):
    question: str
    status: str
    answer_id: str | None
    created_at: float
    answer: Answer | None = Field(None, description="The full answer while this process still holds it.")


class ConversationOut(BaseModel):
    conversation_id: str
    turns: list[TurnOut]


@router.post("", response_model=ConversationRef, status_code=201, summary="Start a conversation")
def create_conversation(caller: CallerDep) -> ConversationRef:
    # Nothing is stored until the first question: an id is all a new conversation is.
    return ConversationRef(conversation_id=new_conversation_id())


@router.get("", response_model=list[ConversationSummary], summary="Your conversations, most recent first")
async def list_conversations(state: StateDep, caller: CallerDep) -> list[ConversationSummary]:
    store = (await run_in_threadpool(state.assistant)).conversations
    summaries = []
    for conversation_id in store.list_ids(caller.scope)[:200]:
        turns = store.turns(conversation_id, caller.scope)
        if turns:
            summaries.append(ConversationSummary(conversation_id=conversation_id,
                                                 title=turns[0].question[:120], turn_count=len(turns),
                                                 updated_at=turns[-1].created_at))
    return summaries


@router.get("/{conversation_id}", response_model=ConversationOut, responses=NOT_FOUND,
            summary="One conversation with its turns")
async def get_conversation(state: StateDep, api: ApiDep, caller: CallerDep,
                           conversation_id: str = ConversationId) -> ConversationOut:
    store = (await run_in_threadpool(state.assistant)).conversations
    turns = store.turns(conversation_id, caller.scope)
    if not turns:
        raise RequestError(404, "not_found", f"no conversation {conversation_id} in your scope")
    return ConversationOut(conversation_id=conversation_id, turns=[
        TurnOut(question=t.question, status=t.status, answer_id=t.answer_id, created_at=t.created_at,
                answer=api.answers.get(t.answer_id, caller.scope)) for t in turns])


@router.delete("/{conversation_id}", status_code=204, responses=NOT_FOUND, summary="Delete a conversation")
async def delete_conversation(state: StateDep, caller: CallerDep,
                              conversation_id: str = ConversationId) -> Response:
    store = (await run_in_threadpool(state.assistant)).conversations
    if not store.delete(conversation_id, caller.scope):
        raise RequestError(404, "not_found", f"no conversation {conversation_id} in your scope")
    return Response(status_code=204)
