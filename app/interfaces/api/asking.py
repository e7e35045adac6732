"""The ask service behind ``POST /ask`` and ``/ask/stream``: checks, the assistant call, the answer log."""
from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Collection, Iterator

from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.engine.contract import Answer
from app.engine.progress import Reporter, reporting
from app.engine.questions import question_problem
from app.interfaces.api.errors import ANSWER_ERROR_STATUS
from app.interfaces.api.security import Caller
from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.errors import RequestError
from app.interfaces.shared.state import AppState
from common.errors import AsklyticsError

QUESTION_HARD_CAP = 4000  # the schema's static bound; the configured limit is checked per request


class AskRequest(BaseModel):
    question: str = Field(..., min_length=1, max_length=QUESTION_HARD_CAP, pattern=r"\w",
                          examples=["Top 5 iOS campaigns by ROAS last month"],
                          description="The question in plain language; at most ASKLYTICS_MAX_QUESTION_LENGTH "
                                      "characters (default 1000, never over 4000).")
    conversation_id: str | None = Field(
        None, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$", examples=["c-7f3a9b2c4d5e6f70"],
        description="Continue a conversation (follow-ups); omit to start a new one.")


def check_question(api: ApiContext, request: AskRequest) -> None:
    """Reject before any work (and before a stream starts, so these stay real 422s)."""
    problem = question_problem(request.question, api.settings.max_question_length)
    if problem is not None:
        raise RequestError(422, *problem)


async def ask_question(state: AppState, api: ApiContext, caller: Caller, request: AskRequest,
                       progress: Reporter | None = None) -> Answer:
    """``progress``: called (from the worker thread) with each step as it finishes."""
    check_question(api, request)
    assistant = await run_in_threadpool(state.assistant)
    with reporting(progress):  # the worker thread runs in a copy of this context
        return await run_in_threadpool(answer_and_log, assistant, api, caller, request)


def answer_and_log(assistant, api: ApiContext, caller: Caller, request: AskRequest) -> Answer:
    """In a worker thread: the answer, then its row in the answer log. The log's commit (a sync to
    disk on SQLite) is kept off the event loop, where it held up every other request; and the row
    is written before the reply is sent, so a client can give feedback on the answer at once."""
    answer = assistant.ask(request.question, request.conversation_id, scope=caller.scope,
                           key_id=caller.key_id, rehearsal=caller.rehearsal)
    if caller.rehearsal:  # the server's warm-up request: logged in a transaction rolled back
        api.answers.rehearse(answer, caller.scope)
    else:
        api.answers.add(answer, caller.scope, key_id=caller.key_id)
    return answer


async def stream_answer(state: AppState, api: ApiContext, caller: Caller,
                        request: AskRequest) -> AsyncIterator[str]:
    """The ask's steps as Server-Sent Events, each sent as it finishes: ``accepted`` at once, then
    ``plan``, ``sql`` (before the query runs), ``rows``, ``chart``, and ``answer`` (with the
    narrative) and ``done``. A step the pipeline did not go through (a result reused from the
    cache) is sent from the answer before it, so every stream has the same steps in the same order."""
    yield sse("accepted", {"question": request.question})
    loop = asyncio.get_running_loop()
    steps: asyncio.Queue[tuple[str, dict] | None] = asyncio.Queue()

    def on_step(step: str, data: dict) -> None:  # called in the worker thread
        loop.call_soon_threadsafe(steps.put_nowait, (step, data))

    asking = asyncio.ensure_future(ask_question(state, api, caller, request, progress=on_step))
    asking.add_done_callback(lambda _: steps.put_nowait(None))  # after the steps the thread queued
    sent: set[str] = set()
    while (item := await steps.get()) is not None:
        sent.add(item[0])
        yield sse(*item)
    try:
        answer = asking.result()
    except AsklyticsError as exc:  # the warehouse could not open: the status line is long gone
        yield sse("error", {"code": exc.code, "message": exc.message})
        yield sse("done", {"answer_id": None, "status": "error"})
        return
    for event in answer_events(answer, skip=sent):
        yield event


def http_status(answer: Answer) -> int:
    if answer.status != "error" or answer.error is None:
        return 200
    return ANSWER_ERROR_STATUS.get(answer.error.code, 200)


def answer_events(answer: Answer, skip: Collection[str] = ()) -> Iterator[str]:
    """The pipeline's steps, in order, as Server-Sent Events (the last two: ``answer``, ``done``),
    without the steps in ``skip`` (already sent as they finished)."""
    if "plan" not in skip:
        yield sse("plan", {"planner": answer.planner, "status": answer.status,
                           "semantic_query": answer.semantic_query, "confidence": answer.confidence})
    if answer.sql is not None and "sql" not in skip:
        yield sse("sql", {"sql": answer.sql})
    if answer.columns and "rows" not in skip:
        yield sse("rows", {"columns": [c.model_dump() for c in answer.columns], "rows": answer.rows,
                           "row_count": answer.row_count, "truncated": answer.truncated})
    if answer.chart is not None and "chart" not in skip:
        yield sse("chart", answer.chart.model_dump(mode="json"))
    yield sse("answer", answer.model_dump(mode="json"))
    yield sse("done", {"answer_id": answer.answer_id, "status": answer.status,
                       "timings_ms": answer.timings_ms})


def sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, default=str, separators=(',', ':'))}\n\n"
