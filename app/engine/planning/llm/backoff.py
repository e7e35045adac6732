"""Call a chat model, retrying transient provider failures with exponential backoff.

Transient: what LangChain's provider-neutral ``ModelError`` classes mark
``is_retryable`` (rate limits, 5xx, connection errors, timeouts), plus HTTP
408/409/429/5xx from unclassified clients -- what the OpenAI and Anthropic
SDKs themselves retry. Anything else
(a 400 for a bad request, 401 for a wrong key) is raised at once: retrying
cannot fix it. After the last try the caller gets one :class:`LLMUnavailable`
saying what went wrong, never the SDK's traceback.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.exceptions import ModelError

from app.engine.planning.llm.errors import LLMError, LLMUnavailable

RETRYABLE_STATUS = frozenset({408, 409, 429})
_PROVIDER_MODULES = frozenset({"openai", "anthropic", "httpx", "langchain_openai", "langchain_anthropic"})
_CONNECTION_ERRORS = (
    "APIConnectionError",
    "APITimeoutError",
    "ConnectError",
    "ReadTimeout",
    "TimeoutException",
)


_STATUS_HINTS = {
    429: " (rate limited)",
    401: " (check the API key)",
    404: " (check the model name and base URL)",
}


@dataclass(frozen=True)
class BackoffPolicy:
    retries: int = 2  # extra tries after the first
    base_delay_s: float = 0.5  # doubles each retry
    max_delay_s: float = 8.0


DEFAULT_BACKOFF = BackoffPolicy()


def invoke_with_backoff(
    call: Callable[[], Any], *, policy: BackoffPolicy, label: str, sleep: Callable[[float], None] = time.sleep
) -> Any:
    """``call()`` with retries on transient errors; raises LLMUnavailable or LLMError."""
    for attempt in range(policy.retries + 1):
        try:
            return call()
        except Exception as error:  # provider SDKs raise their own hierarchies
            if not is_transient(error):
                if not is_provider_error(error):
                    raise  # our bug or a fake model's: keep the traceback
                raise LLMError(
                    f"the language model ({label}) rejected the request: {describe(error)}"
                ) from None
            if attempt == policy.retries:
                raise LLMUnavailable(
                    f"the language model ({label}) did not answer after {attempt + 1} tries: "
                    f"{describe(error)}. Try again later, or set ASKLYTICS_PLANNER=offline."
                ) from None
            sleep(min(policy.base_delay_s * 2**attempt, policy.max_delay_s))
    raise AssertionError("unreachable")


def is_transient(error: BaseException) -> bool:
    if isinstance(error, ModelError) and error.is_retryable:  # LangChain's provider-neutral verdict
        return True
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return status in RETRYABLE_STATUS or status >= 500
    if isinstance(error, (TimeoutError, ConnectionError)):
        return True
    return any(cls.__name__ in _CONNECTION_ERRORS for cls in type(error).__mro__)


def is_provider_error(error: BaseException) -> bool:
    module = type(error).__module__.split(".")[0]
    return isinstance(error, ModelError) or module in _PROVIDER_MODULES or hasattr(error, "status_code")


def describe(error: BaseException) -> str:
    """``HTTP 429 (rate limited)``, ``timed out`` -- short, and without request bodies or keys."""
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return f"HTTP {status}" + _STATUS_HINTS.get(status, "")
    names = {cls.__name__ for cls in type(error).__mro__}
    if names & {"APITimeoutError", "ModelTimeoutError", "ReadTimeout", "TimeoutException"} or isinstance(
        error, TimeoutError
    ):
        return "timed out"
    if names & {"APIConnectionError", "ModelConnectionError", "ConnectError"} or isinstance(
        error, ConnectionError
    ):
        return "could not connect"
    return type(error).__name__
