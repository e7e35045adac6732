"""Which tenant a Slack workspace or channel belongs to, and the per-user rate limit."""
from __future__ import annotations

from app.engine.redis_client import redis_options
from app.interfaces.shared.auth.ratelimit import RedisWindowLimiter, TokenBucketLimiter


def scope_for(settings, team_id: str, channel_id: str | None) -> str:
    """A channel mapping wins over its workspace's; unmapped workspaces are their own tenant."""
    mapping = settings.slack_scopes
    if channel_id and f"{team_id}/{channel_id}" in mapping:
        return mapping[f"{team_id}/{channel_id}"]
    return mapping.get(team_id, f"slack:{team_id}")


def open_user_limiter(settings):
    per_minute = settings.slack_rate_limit_per_minute
    if settings.redis_url:
        return RedisWindowLimiter(settings.redis_url, per_minute, prefix="asklytics:slack:rate",
                                  **redis_options(settings))
    return TokenBucketLimiter(per_minute)


def user_identity(team_id: str, user_id: str) -> str:
    return f"slack:{team_id}:{user_id}"
