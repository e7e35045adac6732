"""What a failed call raises: one error type with the server's code and message."""
from __future__ import annotations

from asklytics_client.models import Answer


class AsklyticsError(Exception):
    """The server refused or failed a call. ``status`` is the HTTP status (0: the server could not
    be reached), ``code`` and ``message`` the server's error, ``answer`` the answer object when the
    server sent one (a failed ``ask``), ``attempts`` how many requests were made (retries included)."""

    def __init__(self, status: int, code: str, message: str, *, answer: Answer | None = None,
                 attempts: int = 1):
        super().__init__(f"{message} ({code}, HTTP {status})" if status else f"{message} ({code})")
        self.status, self.code, self.message = status, code, message
        self.answer, self.attempts = answer, attempts
