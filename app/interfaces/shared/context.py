"""What the REST API keeps besides the assistant: keys, token signer, rate limiter, the answer log,
feedback, the server-wide browser origins."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.engine.app_database import open_app_database
from app.interfaces.shared.answer_log import AnswerLog
from app.interfaces.shared.auth import KeyStore, RateLimiter, open_key_store, open_rate_limiter
from app.interfaces.shared.auth.failures import FailedLogins
from app.interfaces.shared.auth.mode import AuthMode
from app.interfaces.shared.auth.origins import server_origin_set
from app.interfaces.shared.auth.tokens import TokenSigner
from app.interfaces.shared.feedback import FeedbackService
from app.settings import Settings
from appdb import Database
from appdb.signing import signing_secret


@dataclass
class ApiContext:
    settings: Settings
    database: Database
    keys: KeyStore
    limiter: RateLimiter
    feedback: FeedbackService
    auth: AuthMode
    failed_logins: FailedLogins
    answers: AnswerLog
    tokens: TokenSigner
    cors_origins: frozenset[str] = field(default_factory=frozenset)  # ASKLYTICS_CORS_ORIGINS

    @classmethod
    def from_settings(cls, settings: Settings, database: Database | None = None) -> ApiContext:
        """``database``: the application database (e.g. the ``AppState``'s), else one opened here."""
        database = database or open_app_database(settings)
        keys = open_key_store(settings, database)
        return cls(settings, database, keys, open_rate_limiter(settings),
                   FeedbackService(settings.data_dir, database), AuthMode.at_start(settings, keys),
                   FailedLogins(settings.login_failure_limit, settings.login_failure_window_s),
                   AnswerLog(database), TokenSigner(lambda: signing_secret(database)),
                   server_origin_set(settings.resolved_cors_origins()))
