"""``Client`` (blocking) and ``AsyncClient``: typed calls to the Asklytics REST API.

    from asklytics_client import Client

    with Client("http://127.0.0.1:8000", api_key="ask_...") as client:
        answer = client.ask("Top 5 iOS campaigns by ROAS last month")
        print(answer.answer, answer.sql, answer.records())

Every call returns the server's shapes as pydantic models (models.py). A 429 or 503 is retried
with backoff (``RetryPolicy``); any other failure raises ``AsklyticsError`` with the server's code
and message.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any, Self

import httpx
from pydantic import TypeAdapter

from asklytics_client import _http
from asklytics_client._http import RetryPolicy, SseParser
from asklytics_client.models import (
    Answer,
    AskRequest,
    ConversationOut,
    ConversationRef,
    ConversationSummary,
    FeedbackRequest,
    FeedbackResult,
    MetricOut,
    Rating,
    StreamEvent,
    Suggestion,
    TokenOut,
    TokenRequest,
)

API = "/api/v1"
STREAM_HEADERS = {"Accept": "text/event-stream"}
METRICS = TypeAdapter(list[MetricOut])
SUGGESTIONS = TypeAdapter(list[Suggestion])
CONVERSATIONS = TypeAdapter(list[ConversationSummary])


def _ask_body(question: str, conversation_id: str | None) -> dict[str, Any]:
    return AskRequest(question=question, conversation_id=conversation_id).model_dump(exclude_none=True)


def _feedback_body(answer_id: str, rating: Rating, comment: str | None, corrected_sql: str | None) -> dict:
    return FeedbackRequest(answer_id=answer_id, rating=rating, comment=comment,
                           corrected_sql=corrected_sql).model_dump(exclude_none=True)


def _token_body(ttl_s: int, origins: list[str] | None) -> dict[str, Any]:
    return TokenRequest(ttl_s=ttl_s, origins=origins).model_dump(exclude_none=True)


class Client:
    """The blocking client. ``retries``/``backoff``/``max_wait``: see ``RetryPolicy``."""

    def __init__(self, base_url: str, api_key: str | None = None, *, timeout: float = 120.0,
                 retries: int = 3, backoff: float = 0.5, max_wait: float = 30.0,
                 headers: dict[str, str] | None = None, transport: httpx.BaseTransport | None = None):
        self.retry = RetryPolicy(retries, backoff, max_wait)
        self._http = httpx.Client(base_url=base_url.rstrip("/"), headers=_http.headers(api_key, headers),
                                  timeout=timeout, transport=transport)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- calls ------------------------------------------------------------------------------------
    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        """One answer (a refusal or a clarification is an answer too); AsklyticsError when it failed."""
        body = _ask_body(question, conversation_id)
        return Answer.model_validate_json(self._call("POST", "/ask", json=body))

    def stream(self, question: str, conversation_id: str | None = None) -> Iterator[StreamEvent]:
        """The answer's steps as they happen; the ``answer`` event carries the whole answer."""
        body = _ask_body(question, conversation_id)
        request = self._http.build_request("POST", API + "/ask/stream", json=body, headers=STREAM_HEADERS)
        response = self._send(request, stream=True)
        try:
            parser = SseParser()
            for line in response.iter_lines():
                event = parser.feed(line)
                if event is not None:
                    yield event
        finally:
            response.close()

    def metrics(self) -> list[MetricOut]:
        return METRICS.validate_json(self._call("GET", "/metrics"))

    def suggestions(self, limit: int = 6) -> list[Suggestion]:
        return SUGGESTIONS.validate_json(self._call("GET", "/suggestions", params={"limit": limit}))

    def schema(self) -> dict[str, Any]:
        """The warehouse tables and columns the assistant can see."""
        return httpx.Response(200, content=self._call("GET", "/schema")).json()

    def feedback(self, answer_id: str, rating: Rating, *, comment: str | None = None,
                 corrected_sql: str | None = None) -> FeedbackResult:
        body = _feedback_body(answer_id, rating, comment, corrected_sql)
        return FeedbackResult.model_validate_json(self._call("POST", "/feedback", json=body))

    def create_token(self, ttl_s: int = 900, origins: list[str] | None = None) -> TokenOut:
        """A short-lived token for a public page (the client must hold an API key, not a token)."""
        body = _token_body(ttl_s, origins)
        return TokenOut.model_validate_json(self._call("POST", "/tokens", json=body))

    def new_conversation(self) -> str:
        return ConversationRef.model_validate_json(self._call("POST", "/conversations")).conversation_id

    def conversations(self) -> list[ConversationSummary]:
        return CONVERSATIONS.validate_json(self._call("GET", "/conversations"))

    def conversation(self, conversation_id: str) -> ConversationOut:
        return ConversationOut.model_validate_json(self._call("GET", f"/conversations/{conversation_id}"))

    def delete_conversation(self, conversation_id: str) -> None:
        self._call("DELETE", f"/conversations/{conversation_id}")

    def ready(self) -> bool:
        """Whether the server can answer (its warehouse is up): ``GET /readyz``."""
        try:
            return self._http.get("/readyz").status_code == 200
        except httpx.TransportError:
            return False

    # --- plumbing ---------------------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs: Any) -> bytes:
        response = self._send(self._http.build_request(method, API + path, **kwargs))
        return response.content

    def _send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        for attempt in range(self.retry.retries + 1):
            try:
                response = self._http.send(request, stream=stream)
            except (httpx.ConnectError, httpx.RemoteProtocolError) as exc:
                if not self.retry.should_retry(attempt, None):
                    raise _http.unreachable(exc, attempt + 1) from None
                time.sleep(self.retry.wait(attempt, None))
                continue
            if response.is_success:
                return response
            if stream:
                response.read()
            if not self.retry.should_retry(attempt, response.status_code):
                raise _http.failure(response, attempt + 1)
            time.sleep(self.retry.wait(attempt, response))
        raise AssertionError("unreachable: the last attempt returns or raises")


class AsyncClient:
    """The same calls as ``Client``, awaitable (``async with AsyncClient(...) as client``)."""

    def __init__(self, base_url: str, api_key: str | None = None, *, timeout: float = 120.0,
                 retries: int = 3, backoff: float = 0.5, max_wait: float = 30.0,
                 headers: dict[str, str] | None = None, transport: httpx.AsyncBaseTransport | None = None):
        self.retry = RetryPolicy(retries, backoff, max_wait)
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), headers=_http.headers(api_key, headers),
                                       timeout=timeout, transport=transport)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        body = _ask_body(question, conversation_id)
        return Answer.model_validate_json(await self._call("POST", "/ask", json=body))

    async def stream(self, question: str, conversation_id: str | None = None) -> AsyncIterator[StreamEvent]:
        body = _ask_body(question, conversation_id)
        request = self._http.build_request("POST", API + "/ask/stream", json=body, headers=STREAM_HEADERS)
        response = await self._send(request, stream=True)
        try:
            parser = SseParser()
            async for line in response.aiter_lines():
                event = parser.feed(line)
                if event is not None:
                    yield event
        finally:
            await response.aclose()

    async def metrics(self) -> list[MetricOut]:
        return METRICS.validate_json(await self._call("GET", "/metrics"))

    async def suggestions(self, limit: int = 6) -> list[Suggestion]:
        return SUGGESTIONS.validate_json(await self._call("GET", "/suggestions", params={"limit": limit}))

    async def schema(self) -> dict[str, Any]:
        return httpx.Response(200, content=await self._call("GET", "/schema")).json()

    async def feedback(self, answer_id: str, rating: Rating, *, comment: str | None = None,
                       corrected_sql: str | None = None) -> FeedbackResult:
        body = _feedback_body(answer_id, rating, comment, corrected_sql)
        return FeedbackResult.model_validate_json(await self._call("POST", "/feedback", json=body))

    async def create_token(self, ttl_s: int = 900, origins: list[str] | None = None) -> TokenOut:
        body = _token_body(ttl_s, origins)
        return TokenOut.model_validate_json(await self._call("POST", "/tokens", json=body))

    async def new_conversation(self) -> str:
        return ConversationRef.model_validate_json(await self._call("POST", "/conversations")).conversation_id

    async def conversations(self) -> list[ConversationSummary]:
        return CONVERSATIONS.validate_json(await self._call("GET", "/conversations"))

    async def conversation(self, conversation_id: str) -> ConversationOut:
        body = await self._call("GET", f"/conversations/{conversation_id}")
        return ConversationOut.model_validate_json(body)

    async def delete_conversation(self, conversation_id: str) -> None:
        await self._call("DELETE", f"/conversations/{conversation_id}")

    async def ready(self) -> bool:
        try:
            return (await self._http.get("/readyz")).status_code == 200
        except httpx.TransportError:
            return False

    async def _call(self, method: str, path: str, **kwargs: Any) -> bytes:
        response = await self._send(self._http.build_request(method, API + path, **kwargs))
        return response.content

    async def _send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        for attempt in range(self.retry.retries + 1):
            try:
                response = await self._http.send(request, stream=stream)
            except (httpx.ConnectError, httpx.RemoteProtocolError) as exc:
                if not self.retry.should_retry(attempt, None):
                    raise _http.unreachable(exc, attempt + 1) from None
                await asyncio.sleep(self.retry.wait(attempt, None))
                continue
            if response.is_success:
                return response
            if stream:
                await response.aread()
            if not self.retry.should_retry(attempt, response.status_code):
                raise _http.failure(response, attempt + 1)
            await asyncio.sleep(self.retry.wait(attempt, response))
        raise AssertionError("unreachable: the last attempt returns or raises")
