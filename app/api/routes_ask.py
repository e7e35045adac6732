"""``POST /api/v1/ask``: one question in, one Answer (the contract) out."""
from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.api.deps import StateDep
from app.contract import Answer

router = APIRouter(prefix="/api/v1", tags=["ask"])


class AskRequest(BaseModel):
    question: str = Field(..., examples=["Top 5 iOS campaigns by ROAS last month"])
    conversation_id: str | None = Field(None, description="Continue a conversation (follow-ups).")


@router.post("/ask", response_model=Answer, summary="Ask a question, get the answer object")
async def ask(request: AskRequest, state: StateDep) -> Answer:
    assistant = await run_in_threadpool(state.assistant)
    return await run_in_threadpool(assistant.ask, request.question, request.conversation_id)
