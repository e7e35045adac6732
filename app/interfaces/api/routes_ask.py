"""``POST /api/v1/ask`` (one Answer, the contract) and ``POST /api/v1/ask/stream`` (its steps as SSE)."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse

from app.engine.contract import Answer
from app.interfaces.api.asking import (
    AskRequest,
    ask_question,
    check_question,
    http_status,
    stream_answer,
)
from app.interfaces.api.deps import ApiDep, StateDep
from app.interfaces.api.errors import ERROR_RESPONSES
from app.interfaces.api.security import CallerDep

router = APIRouter(prefix="/api/v1", tags=["ask"], responses=ERROR_RESPONSES)

ANSWER_ERRORS = {
    500: {"model": Answer,
          "description": "Unexpected failure; the Answer's error says so (and it was logged)."},
    504: {"model": Answer, "description": "The query ran past ASKLYTICS_QUERY_TIMEOUT_S."},
}
# One Server-Sent Event as schemathesis and OpenAPI tools read it: its name and its JSON data.
SSE_EVENT_SCHEMA = {"type": "object", "required": ["event", "data"], "properties": {
    "event": {"type": "string", "enum": ["accepted", "plan", "sql", "rows", "chart", "answer", "error",
                                                 "done"]},
    "data": {"type": "string", "description": "JSON: the step's fields; for `answer`, the whole Answer."}}}
STREAM_DOC = {200: {"content": {"text/event-stream": {"schema": SSE_EVENT_SCHEMA, "example": (
    'event: plan\ndata: {"planner":"offline",...}\n\nevent: sql\ndata: {"sql":"SELECT ..."}\n\n'
    'event: rows\ndata: {...}\n\nevent: chart\ndata: {...}\n\nevent: answer\ndata: {...the Answer...}\n\n'
    'event: done\ndata: {"answer_id":"a-...","status":"answered"}\n\n')}},
    "description": "Server-Sent Events, each sent as its step finishes: accepted, plan, sql (before the "
                   "query runs), rows, chart, answer (with the narrative), done; `error` instead of "
                   "`answer` when the warehouse cannot be opened."}}


@router.post("/ask", response_model=Answer, summary="Ask a question, get the answer object",
             responses=ANSWER_ERRORS)
async def ask(request: AskRequest, state: StateDep, api: ApiDep, caller: CallerDep) -> Response:
    answer = await ask_question(state, api, caller, request)
    # Serialized by pydantic-core in one pass (the figure JSON makes answers large), not dict -> json.dumps.
    return Response(answer.model_dump_json(), status_code=http_status(answer), media_type="application/json")


@router.post("/ask/stream", summary="Ask a question, follow its progress as Server-Sent Events",
             response_class=StreamingResponse, responses=STREAM_DOC)
async def ask_stream(request: AskRequest, state: StateDep, api: ApiDep,
                     caller: CallerDep) -> StreamingResponse:
    check_question(api, request)  # before the stream starts, so these stay real 422s
    return StreamingResponse(stream_answer(state, api, caller, request), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
