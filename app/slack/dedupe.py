"""Answer each Slack delivery once.

Slack resends an event when it saw no 200 within 3 seconds (``X-Slack-Retry-Num``
counts the attempts) and the resend carries the same ``event_id``. The first
delivery claims the id; later ones are acknowledged without running anything.
A retry whose first delivery never reached us still claims the id, so it runs.
"""
from __future__ import annotations

import logging

from app.slack.ttl_store import open_ttl_store

log = logging.getLogger(__name__)
EVENT_ID_TTL_S = 3600  # Slack retries within minutes; an hour is ample


class DeliveryDeduper:
    def __init__(self, store):
        self._store = store

    @classmethod
    def from_settings(cls, settings) -> DeliveryDeduper:
        return cls(open_ttl_store(settings.redis_url, "asklytics:slack:event", EVENT_ID_TTL_S))

    def first_delivery(self, body: dict, retry_num: str | None) -> bool:
        event_id = body.get("event_id")
        if not event_id:
            return True  # commands and button clicks are not retried by Slack
        if self._store.add(str(event_id)):
            return True
        log.info("skipping Slack retry %s of event %s", retry_num or "?", event_id)
        return False


def retry_number(headers: dict) -> str | None:
    values = headers.get("x-slack-retry-num") or []
    return values[0] if values else None
