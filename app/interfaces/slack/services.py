"""What the Slack handlers share: the assistant, recent answers, feedback, threads, tenants, limits."""
from __future__ import annotations

from dataclasses import dataclass

from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.state import AppState
from app.interfaces.slack.dedupe import DeliveryDeduper
from app.interfaces.slack.tenancy import open_user_limiter, scope_for, user_identity
from app.interfaces.slack.threads import ThreadConversations


@dataclass
class SlackServices:
    state: AppState
    api: ApiContext  # the REST API's answer log and feedback service, so both interfaces share them
    threads: ThreadConversations
    deduper: DeliveryDeduper
    limiter: object

    @classmethod
    def build(cls, state: AppState, api: ApiContext) -> SlackServices:
        settings = state.settings
        return cls(state, api, ThreadConversations.from_settings(settings),
                   DeliveryDeduper.from_settings(settings), open_user_limiter(settings))

    @property
    def settings(self):
        return self.state.settings

    def scope(self, team_id: str, channel_id: str | None) -> str:
        return scope_for(self.settings, team_id, channel_id)

    def seconds_to_wait(self, team_id: str, user_id: str) -> float:
        return self.limiter.take(user_identity(team_id, user_id))
