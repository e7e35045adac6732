"""Redis clients that fail fast: short timeouts, no retries, and a circuit breaker per server.

Every Redis user (rate limits, semantic cache, conversations, Slack state) opens its
client here. A call waits at most ``timeout_s`` to connect and to read; a failed call
opens the server's breaker, and for ``cooldown_s`` every client of that server fails
at once without touching the network (then one call probes it again). Failures
surface as ``RedisUnavailable``, which names the component it cost, so each caller
decides how to degrade (docs/cache.md, "When Redis is down").

The breaker lives in the connection class, so pipelines, scans and plain commands all
pass it; it is shared by every client of one URL in the process.
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from common.errors import AsklyticsError

log = logging.getLogger(__name__)

REDIS_TIMEOUT_S = 0.5
REDIS_COOLDOWN_S = 5.0
# What a user is told when the component they need is down; the address stays in the log.
UNAVAILABLE_MESSAGES = {
    "cache": "The semantic cache (Redis) is unreachable right now; try again in a few seconds.",
    "conversations": "Conversations are kept in Redis, which is unreachable right now, so this follow-up "
                     "cannot see its earlier questions. Try again in a few seconds, or ask without a "
                     "conversation id to start a new conversation.",
}
DEFAULT_MESSAGE = "Shared state (Redis) is unreachable right now; try again in a few seconds."


class RedisUnavailable(redis.ConnectionError, AsklyticsError):
    """Redis could not be used for ``component`` (refused, timed out, or skipped by the breaker).

    A ``redis.ConnectionError`` for code that catches Redis failures; ``str()`` names the cause
    for the log, ``message`` is what the user is told (no server address)."""

    def __init__(self, component: str, reason: str, retry_after_s: float = REDIS_COOLDOWN_S):
        Exception.__init__(self, f"Redis unavailable for {component}: {reason}")
        self.component, self.reason, self.retry_after_s = component, reason, retry_after_s
        self.code = f"{component}_unavailable"
        self.message = UNAVAILABLE_MESSAGES.get(component, DEFAULT_MESSAGE)


class RedisBreaker:
    """After a failed call, skip the server for ``cooldown_s``; then let one call probe it."""

    def __init__(self, cooldown_s: float, clock=time.monotonic):
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._open_until = 0.0  # 0: closed
        self._lock = threading.Lock()
        self.failures = 0  # calls that reached the network and failed
        self.skipped = 0  # calls refused while open, without touching the network
        self.last_error: str | None = None

    @property
    def is_open(self) -> bool:
        return self._clock() < self._open_until

    def retry_in_s(self) -> float:
        return max(0.0, self._open_until - self._clock())

    def before_call(self, component: str) -> None:
        with self._lock:
            now = self._clock()
            if now < self._open_until:
                self.skipped += 1
                raise RedisUnavailable(component, f"skipped after a failure ({self.last_error})",
                                       self._open_until - now)
            if self._open_until:  # cooldown over: this call probes, the others keep skipping meanwhile
                self._open_until = now + self.cooldown_s

    def failed(self, exc: Exception, address: str) -> None:
        reason = "timed out" if isinstance(exc, redis.TimeoutError) else "connection failed"
        with self._lock:
            was_closed = not self._open_until
            self.failures += 1
            self.last_error = reason
            self._open_until = self._clock() + self.cooldown_s if self.cooldown_s > 0 else 0.0
        if was_closed:
            log.warning("Redis at %s %s (%s); skipping it for %s s", address, reason, exc, self.cooldown_s)

    def succeeded(self) -> None:
        if self._open_until:
            with self._lock:
                self._open_until = 0.0
            log.info("Redis answers again")


class _BreakerConnection:
    """Mixed into a pool's connection class (plain, TLS or Unix socket alike)."""

    breaker: RedisBreaker
    component: str

    def connect(self):
        self.breaker.before_call(self.component)
        with self._watch():
            super().connect()

    def send_packed_command(self, command, check_health=True):
        with self._watch():
            super().send_packed_command(command, check_health)

    def read_response(self, *args, **kwargs):
        with self._watch():
            response = super().read_response(*args, **kwargs)
        self.breaker.succeeded()
        return response

    @contextmanager
    def _watch(self):
        try:
            yield
        except RedisUnavailable:
            raise
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            self.breaker.failed(exc, self._host_error())
            raise RedisUnavailable(self.component, self.breaker.last_error or "failed",
                                   self.breaker.cooldown_s) from exc


_breakers: dict[str, RedisBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(url: str, cooldown_s: float = REDIS_COOLDOWN_S) -> RedisBreaker:
    """The one breaker of this server in this process (every client of ``url`` shares it)."""
    with _breakers_lock:
        return _breakers.setdefault(url, RedisBreaker(cooldown_s))


def open_redis(url: str, *, component: str, timeout_s: float = REDIS_TIMEOUT_S,
               cooldown_s: float = REDIS_COOLDOWN_S, decode_responses: bool = False) -> redis.Redis:
    """A client of ``url`` for ``component`` (named in its errors); no network traffic until first use."""
    # No retries: a dead server costs one timeout per call at most, and the breaker spares the next ones.
    pool = redis.ConnectionPool.from_url(url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s,
                                         retry=Retry(NoBackoff(), 0), decode_responses=decode_responses)
    base = pool.connection_class
    pool.connection_class = type(f"Breaker{base.__name__}", (_BreakerConnection, base),
                                 {"breaker": breaker_for(url, cooldown_s), "component": component})
    return redis.Redis(connection_pool=pool)


def redis_options(settings) -> dict[str, float]:
    """The timeout and breaker settings every ``open_redis`` call of the app passes on."""
    return {"timeout_s": settings.redis_timeout_s, "cooldown_s": settings.redis_cooldown_s}
