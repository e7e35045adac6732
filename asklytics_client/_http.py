"""What the sync and async clients share: retry timing, error decoding, Server-Sent Events parsing."""
from __future__ import annotations

import json
import random
from dataclasses import dataclass

import httpx
from pydantic import ValidationError

from asklytics_client.errors import AsklyticsError
from asklytics_client.models import Answer, StreamEvent

RETRY_STATUSES = frozenset({429, 503})  # rate limited; the warehouse or shared state is unavailable


@dataclass(frozen=True)
class RetryPolicy:
    """Retry a 429 or 503 (and a refused connection) up to ``retries`` times. The wait is the
    server's ``Retry-After`` when it sends one, else ``backoff * 2**attempt`` with jitter; never more
    than ``max_wait`` seconds."""

    retries: int = 3
    backoff: float = 0.5
    max_wait: float = 30.0

    def should_retry(self, attempt: int, status: int | None) -> bool:
        return attempt < self.retries and (status is None or status in RETRY_STATUSES)

    def wait(self, attempt: int, response: httpx.Response | None) -> float:
        retry_after = response.headers.get("retry-after") if response is not None else None
        if retry_after is not None and retry_after.strip().isdigit():
            return min(float(retry_after), self.max_wait)
        return min(self.backoff * 2**attempt * (0.5 + random.random() / 2), self.max_wait)


def headers(api_key: str | None, extra: dict[str, str] | None) -> dict[str, str]:
    found = {"Accept": "application/json", "User-Agent": "asklytics-client/0.1"}
    if api_key:
        found["Authorization"] = f"Bearer {api_key}"
    return {**found, **(extra or {})}


def failure(response: httpx.Response, attempts: int) -> AsklyticsError:
    """The error a non-2xx response stands for (an error body, or an answer whose status is error)."""
    try:
        body = response.json()
    except ValueError:
        return AsklyticsError(response.status_code, f"http_{response.status_code}",
                              response.reason_phrase or "the server sent no error body", attempts=attempts)
    if isinstance(body, dict) and isinstance(body.get("error"), dict) and "status" not in body:
        error = body["error"]
        return AsklyticsError(response.status_code, str(error.get("code", "error")),
                              str(error.get("message", "")), attempts=attempts)
    try:
        answer = Answer.model_validate(body)
    except ValidationError:
        return AsklyticsError(response.status_code, f"http_{response.status_code}", str(body)[:500],
                              attempts=attempts)
    error = answer.error
    return AsklyticsError(response.status_code, error.code if error else "error",
                          error.message if error else answer.answer, answer=answer, attempts=attempts)


def unreachable(exc: httpx.TransportError, attempts: int) -> AsklyticsError:
    return AsklyticsError(0, "unreachable", f"cannot reach the Asklytics server: {exc}", attempts=attempts)


class SseParser:
    """Feeds lines of a ``text/event-stream``; returns an event at each blank line that ends one."""

    def __init__(self) -> None:
        self._event, self._data = "message", []

    def feed(self, line: str) -> StreamEvent | None:
        if line.startswith("event:"):
            self._event = line[6:].strip()
        elif line.startswith("data:"):
            self._data.append(line[5:].removeprefix(" "))
        elif not line.strip() and self._data:
            event = StreamEvent(event=self._event, data=json.loads("\n".join(self._data)))
            self._event, self._data = "message", []
            return event
        return None
