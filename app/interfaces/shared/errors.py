"""The error a front door raises for a request it refuses: an HTTP status, a code, a message.

The REST API answers it as ``{"error": {"code", "message"}}`` with the status; the Slack bot
and the web routes raise it too (they never import the API to do so).
"""
from __future__ import annotations

from common.errors import AsklyticsError


class RequestError(AsklyticsError):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message, code=code)
        self.status, self.headers = status, headers or {}
