"""Answer each Slack delivery once.

Slack resends an event when it saw no 200 within 3 seconds (``X-Slack-Retry-Num``
counts the attempts) and the resend carries the same ``event_id``. The first
delivery claims the id; later ones are acknowledged without running anything.
A retry whose first delivery never reached us still claims the id, so it runs.

Slash commands and button clicks have no event id and Slack does not retry them, so
a second copy is a replay of the same signed request (the signature check accepts it
for 5 minutes). They are claimed by the signed request itself, a hash of its
timestamp and raw body: two real invocations always differ (each has its own
``trigger_id`` and timestamp), so only copies are dropped. ``trigger_id`` alone would
do for commands, but the hash needs no field to be present and covers clicks too.

While Redis is unreachable, claims are kept in this process: a copy that reaches the
same replica is still dropped, rather than every delivery failing.
"""
from __future__ import annotations

import hashlib
import logging

from app.engine.redis_client import RedisUnavailable, redis_options
from app.interfaces.slack.ttl_store import LocalTtlStore, open_ttl_store

log = logging.getLogger(__name__)
EVENT_ID_TTL_S = 3600  # Slack retries within minutes, and replays older than 5 minutes fail the signature
UNCLAIMED_TYPES = {"url_verification", "ssl_check"}  # answered by bolt, nothing runs twice


class DeliveryDeduper:
    def __init__(self, store):
        self._store = store
        self._local = LocalTtlStore(EVENT_ID_TTL_S)

    @classmethod
    def from_settings(cls, settings) -> DeliveryDeduper:
        return cls(open_ttl_store(settings.redis_url, "asklytics:slack:event", EVENT_ID_TTL_S,
                                  **redis_options(settings)))

    def first_delivery(self, body: dict, retry_num: str | None, signed_request: str | None = None) -> bool:
        """``signed_request``: what Slack signed (see ``signed_request``);
        claims requests without an event id."""
        key = claim_key(body, signed_request)
        if key is None or self._claim(key):
            return True
        log.info("skipping a repeated Slack delivery (retry %s) of %s", retry_num or "-", key)
        return False

    def _claim(self, key: str) -> bool:
        try:
            return self._store.add(key)
        except RedisUnavailable:  # the breaker logged it; claim in this replica meanwhile
            return self._local.add(key)


def claim_key(body: dict, signed_request: str | None) -> str | None:
    if body.get("type") in UNCLAIMED_TYPES:
        return None
    if body.get("event_id"):
        return str(body["event_id"])
    if signed_request is not None:
        return "request:" + hashlib.sha256(signed_request.encode()).hexdigest()
    return None


def signed_request(request) -> str | None:
    """The base string Slack signed (``v0:<timestamp>:<body>``) of a bolt request over HTTP: equal
    only for copies of one request. None in Socket Mode, where frames are neither signed nor replayable."""
    timestamp = _first(request.headers, "x-slack-request-timestamp")
    if request.mode != "http" or not timestamp:
        return None
    return f"v0:{timestamp}:{request.raw_body}"


def retry_number(headers: dict) -> str | None:
    return _first(headers, "x-slack-retry-num")


def _first(headers: dict, name: str) -> str | None:
    values = headers.get(name) or []
    return values[0] if values else None
