"""Redis clients fail fast: the configured timeout, one attempt, then the breaker skips Redis for a while."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
import redis

from app.engine.redis_client import RedisBreaker, RedisUnavailable, breaker_for, open_redis
from app.interfaces.shared.auth.ratelimit import RedisWindowLimiter


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_stalled_server_costs_one_timeout_then_is_skipped(stalled_redis):
    client = open_redis(stalled_redis.url, component="cache", timeout_s=0.2, cooldown_s=60)
    for _ in range(5):
        with pytest.raises(RedisUnavailable) as caught:
            client.get("k")
        assert caught.value.code == "cache_unavailable"
    assert stalled_redis.accepted == 1  # one connection, one read that timed out; the other four never left
    breaker = breaker_for(stalled_redis.url)
    assert (breaker.failures, breaker.skipped, breaker.last_error) == (1, 4, "timed out")


def test_a_refused_connection_is_skipped_after_the_first_failure(closed_redis_url):
    client = open_redis(closed_redis_url, component="conversations", timeout_s=0.2, cooldown_s=60)
    pipe = client.pipeline()
    pipe.incr("k")
    with pytest.raises(RedisUnavailable):
        pipe.execute()
    for call in (lambda: client.get("k"), lambda: list(client.scan_iter(match="x*"))):
        with pytest.raises(RedisUnavailable) as caught:
            call()
        assert caught.value.code == "conversations_unavailable"
        assert isinstance(caught.value, redis.ConnectionError)  # redis-py's own handling still applies
    breaker = breaker_for(closed_redis_url)
    assert (breaker.failures, breaker.skipped, breaker.last_error) == (1, 2, "connection failed")


def test_every_client_gets_the_configured_timeouts_and_no_retries(closed_redis_url):
    client = open_redis(closed_redis_url, component="cache", timeout_s=0.25, cooldown_s=1)
    options = client.connection_pool.connection_kwargs
    assert (options["socket_connect_timeout"], options["socket_timeout"]) == (0.25, 0.25)
    assert options["retry"].get_retries() == 0


def test_the_breaker_lets_one_call_probe_after_the_cooldown():
    clock = FakeClock()
    breaker = RedisBreaker(5, clock=clock)
    breaker.before_call("cache")  # closed: goes ahead
    breaker.failed(redis.TimeoutError("slow"), "127.0.0.1:6379")
    clock.now = 4.9
    with pytest.raises(RedisUnavailable) as caught:
        breaker.before_call("cache")
    assert caught.value.retry_after_s == pytest.approx(0.1)
    clock.now = 5.0
    breaker.before_call("cache")  # the probe
    with pytest.raises(RedisUnavailable):
        breaker.before_call("cache")  # the others keep skipping while it is out
    breaker.succeeded()
    breaker.before_call("cache")
    assert (breaker.failures, breaker.skipped) == (1, 2)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_redis(port: int, folder) -> subprocess.Popen:
    server = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind",
                               "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            return server
        except redis.ConnectionError:
            time.sleep(0.05)
    server.kill()
    raise AssertionError("redis-server did not start")


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary")
def test_a_redis_that_dies_and_comes_back_is_used_again(tmp_path):
    port = _free_port()
    server = _start_redis(port, tmp_path)
    url = f"redis://127.0.0.1:{port}/0"
    limiter = RedisWindowLimiter(url, 2, timeout_s=0.2, cooldown_s=0.2)
    try:
        assert [limiter.take("a"), limiter.take("a")] == [0.0, 0.0]
        assert limiter.take("a") > 0  # the shared window: 2 per minute
        server.terminate()
        server.wait(timeout=10)
        # Redis is gone: the replica limits on its own (2 per minute too), neither open nor closed.
        assert [limiter.take("b"), limiter.take("b")] == [0.0, 0.0] and limiter.take("b") > 0
        assert limiter.fallback.take("c") == 0.0
        server = _start_redis(port, tmp_path)
        time.sleep(0.3)  # past the cooldown: the next call probes Redis and finds it
        assert limiter.take("a") == 0.0  # a fresh server: a fresh shared window
        assert redis.Redis(port=port).keys("asklytics:rate:a:*")
    finally:
        server.terminate()
        server.wait(timeout=10)
