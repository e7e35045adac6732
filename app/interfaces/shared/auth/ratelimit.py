"""Per-key rate limiting: a token bucket in process, a shared window in Redis when configured.

``take(identity)`` returns 0 when the request may go ahead, else the seconds
to wait (the ``Retry-After`` of a 429). Buckets refill continuously, so a
client at the limit is slowed down rather than locked out for a whole minute.
"""
from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from typing import Protocol

import redis

from app.engine.redis_client import (
    REDIS_COOLDOWN_S,
    REDIS_TIMEOUT_S,
    RedisUnavailable,
    open_redis,
    redis_options,
)

log = logging.getLogger(__name__)
MAX_TRACKED_IDENTITIES = 50_000


class RateLimiter(Protocol):
    def take(self, identity: str) -> float: ...

    def warm(self) -> None:
        """Open what the first ``take`` would (a server's warm-up), counting nothing."""


class TokenBucketLimiter:
    def __init__(self, per_minute: int, clock=time.monotonic):
        self.capacity = float(per_minute)
        self.refill_per_s = per_minute / 60.0
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # identity -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, identity: str) -> float:
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.pop(identity, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.refill_per_s)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.refill_per_s
            self._buckets[identity] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self._buckets) > MAX_TRACKED_IDENTITIES:
                self._buckets.popitem(last=False)
        return wait

    def warm(self) -> None:
        """Nothing to open in process."""


class RedisWindowLimiter:
    """Fixed one-minute windows shared by every replica (INCR + EXPIRE, one round trip).

    While Redis is unreachable each replica limits on its own, with an in-process token
    bucket of the same rate: failing closed would turn a cache-server outage into an
    outage of the whole API, failing open would drop the protection; per replica, the
    worst case is N replicas x the limit for as long as Redis is down (docs/api.md).
    """

    def __init__(self, url: str, per_minute: int, prefix: str = "asklytics:rate", *,
                 timeout_s: float = REDIS_TIMEOUT_S, cooldown_s: float = REDIS_COOLDOWN_S):
        self._redis = open_redis(url, component="rate_limit", timeout_s=timeout_s, cooldown_s=cooldown_s)
        self.per_minute = per_minute
        self._prefix = prefix
        self.fallback = TokenBucketLimiter(per_minute)

    def take(self, identity: str) -> float:
        try:
            return self._take_shared(identity)
        except RedisUnavailable:  # logged once by the breaker, not per request
            return self.fallback.take(identity)
        except redis.RedisError as exc:  # answering but refusing (out of memory, read-only replica)
            log.warning("Redis rate limit failed, limiting in process: %s", exc)
            return self.fallback.take(identity)

    def warm(self) -> None:
        """The client's first connection (a PING): the first request's ``take`` reuses it."""
        try:
            self._redis.ping()
        except redis.RedisError:  # Redis down: the breaker logged it; requests limit in process
            pass

    def _take_shared(self, identity: str) -> float:
        window = int(time.time() // 60)
        key = f"{self._prefix}:{identity}:{window}"
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, 61)
        count, _ = pipe.execute()
        if count <= self.per_minute:
            return 0.0
        return max(1.0, math.ceil((window + 1) * 60 - time.time()))


def open_rate_limiter(settings) -> RateLimiter:
    if settings.redis_url:
        return RedisWindowLimiter(settings.redis_url, settings.rate_limit_per_minute,
                                  **redis_options(settings))
    return TokenBucketLimiter(settings.rate_limit_per_minute)
