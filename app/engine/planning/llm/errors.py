"""Errors of the LLM planner; each has a ``code`` and a message a user can act on."""

from __future__ import annotations

from typing import Any

from common.errors import AsklyticsError


class LLMError(AsklyticsError):
    code = "llm_error"


class LLMNotConfigured(LLMError):
    """Settings ask for an LLM but lack what the provider needs."""

    code = "llm_not_configured"


class LLMUnavailable(LLMError):
    """The provider kept failing (HTTP 5xx/429, connection errors, timeouts) after retries."""

    code = "llm_unavailable"


class LLMPlanningFailed(LLMError):
    """The model did not produce a plan that passed the checks within the retry budget.

    ``attempts`` and ``usage`` are kept so the answer can still report them.
    """

    code = "llm_plan_failed"

    def __init__(self, message: str, attempts: list[Any], usage: Any):
        super().__init__(message)
        self.attempts = attempts
        self.usage = usage
