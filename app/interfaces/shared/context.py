"""What the REST API keeps besides the assistant: keys, rate limiter, recent answers, feedback."""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from app.engine.contract import Answer
from app.interfaces.shared.auth import KeyStore, RateLimiter, open_key_store, open_rate_limiter
from app.interfaces.shared.auth.failures import FailedLogins
from app.interfaces.shared.auth.mode import AuthMode
from app.interfaces.shared.feedback import FeedbackService
from app.settings import Settings

MAX_REMEMBERED_ANSWERS = 5_000


class AnswerLog:
    """Recent answers by id and scope, so feedback and conversation views can find them.

    In-process and bounded: feedback on an answer this process no longer holds is
    a 404 that says so (with several replicas, send feedback to the same one).
    """

    def __init__(self, capacity: int = MAX_REMEMBERED_ANSWERS):
        self._answers: OrderedDict[tuple[str, str], Answer] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def add(self, answer: Answer, scope: str) -> None:
        if not answer.answer_id:
            return
        with self._lock:
            self._answers[(scope, answer.answer_id)] = answer
            while len(self._answers) > self._capacity:
                self._answers.popitem(last=False)

    def get(self, answer_id: str | None, scope: str) -> Answer | None:
        with self._lock:
            return self._answers.get((scope, answer_id or ""))


@dataclass
class ApiContext:
    settings: Settings
    keys: KeyStore
    limiter: RateLimiter
    feedback: FeedbackService
    auth: AuthMode
    failed_logins: FailedLogins
    answers: AnswerLog = field(default_factory=AnswerLog)

    @classmethod
    def from_settings(cls, settings: Settings) -> ApiContext:
        keys = open_key_store(settings)
        return cls(settings, keys, open_rate_limiter(settings), FeedbackService(settings.data_dir),
                   AuthMode.at_start(settings, keys),
                   FailedLogins(settings.login_failure_limit, settings.login_failure_window_s))
