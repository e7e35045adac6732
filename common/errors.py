"""The one exception base: a stable ``code`` for programs, a ``message`` for people.

Every error the product shows (a refused SQL statement, an unknown metric, a warehouse that
is down, a tool that cannot run, a request a front door refuses) is an ``AsklyticsError``,
so a front door maps any of them to its answer the same way. The message is written for the
person asking and for an LLM planner that retries; it never holds a stack trace.
"""
from __future__ import annotations


class AsklyticsError(Exception):
    """``code``: a class default, or given per instance; ``message``: what to tell the user."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ConfigurationError(AsklyticsError):
    """Settings that cannot work together (``ASKLYTICS_DEMO=false`` without a model, ...)."""

    code = "configuration"
