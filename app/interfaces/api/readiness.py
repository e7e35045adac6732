"""What ``/readyz`` reports: every dependency with its status, and whether this replica should get traffic.

Only the warehouse is required: without it no question can be answered. Redis is
not: while it is down each component degrades on its own (docs/cache.md, "When Redis
is down"), so taking every replica out of the load balancer because their shared Redis
is down would turn a degraded service into no service. Statuses: ``up``, ``off`` (not
configured), ``degraded`` (serving with less), ``down``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import redis
from sqlglot import exp

from app.engine.redis_client import RedisUnavailable, breaker_for, open_redis, redis_options
from app.interfaces.shared.state import AppState
from warehouse.errors import WarehouseError

STARTING = ("loading the semantic model, the warehouse, the planners' indexes and the embedding model; "
            "ready in a moment")
MAX_PROBED_TABLES = 50  # bounds a probe's cost on a warehouse with very many tables
REDIS_ROLE = ("shared state of every replica: rate limits, semantic cache, conversations, "
              "Slack deliveries and threads")


@dataclass
class Component:
    status: str
    required: bool = False
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "required": self.required, **self.detail}


def check_readiness(state: AppState, *, slack_mounted: bool) -> tuple[int, dict[str, Any]]:
    """``(http status, body)``: 503 while a warm start loads or when a required component is down,
    else 200."""
    if state.warm is not None and state.warm.status == "starting":
        return 503, {"status": "starting", "warm_start": state.warm.as_json(),
                     "error": {"code": "starting", "message": STARTING}}
    warehouse = check_warehouse(state)
    components = {"warehouse": warehouse, **dependent_components(state.settings, slack_mounted)}
    if state.warm is not None and state.warm.status == "failed" and warehouse.status == "up":
        components["warm_start"] = Component("degraded", detail={
            "error": state.warm.error, "effect": "parts that did not load load on the first question"})
    body: dict[str, Any] = {"status": _overall(components.values()),
                            "components": {name: c.as_json() for name, c in components.items()}}
    if state.warm is not None:
        body["warm_start"] = state.warm.as_json()
    if warehouse.status == "down":
        body["error"] = warehouse.detail["error"]
        return 503, body
    return 200, body


def check_warehouse(state: AppState) -> Component:
    """The engine answers, and the first row of every table it shows can be read.

    ``SELECT 1`` alone passed on a damaged DuckDB file. Reading a row per table catches a bad
    header, catalog or table start at once (cheap: the engine's buffer cache keeps those pages);
    damage deeper in a table is found by the first query that reads it, and the connector
    reports it on every call from then on, so readiness turns red with it.
    """
    engine = {"engine": state.settings.warehouse}
    try:
        warehouse = state.warehouse()
        warehouse.execute("SELECT 1")
        for table in warehouse.schema().table_names()[:MAX_PROBED_TABLES]:
            warehouse.execute(_first_row(table, warehouse.dialect))
    except WarehouseError as exc:
        return Component("down", True, {**engine, "error": {"code": exc.code, "message": exc.message}})
    return Component("up", True, engine)


def _first_row(table: str, dialect: str) -> str:
    source = exp.Table(this=exp.to_identifier(table, quoted=True))
    return exp.select("*").from_(source).limit(1).sql(dialect=dialect)


def check_redis(settings) -> Component:
    """A PING within the configured timeout; no network while the breaker says Redis just failed."""
    breaker = breaker_for(settings.redis_url, settings.redis_cooldown_s)
    if breaker.is_open:
        return Component("down", detail={"role": REDIS_ROLE, "error": breaker.last_error,
                                         "retry_in_s": round(breaker.retry_in_s(), 1)})
    try:
        _probe_client(settings.redis_url, **redis_options(settings)).ping()
    except RedisUnavailable as exc:
        return Component("down", detail={"role": REDIS_ROLE, "error": exc.reason})
    except redis.RedisError as exc:  # it answers, but refuses (authentication, loading, ...)
        return Component("down", detail={"role": REDIS_ROLE, "error": type(exc).__name__})
    return Component("up", detail={"role": REDIS_ROLE})


@lru_cache(maxsize=8)
def _probe_client(url: str, *, timeout_s: float, cooldown_s: float):
    """One client per server for the probes, so each probe reuses its connection."""
    return open_redis(url, component="redis", timeout_s=timeout_s, cooldown_s=cooldown_s)


def dependent_components(settings, slack_mounted: bool) -> dict[str, Component]:
    """Redis and what each component does while it is up or down."""
    if not settings.redis_url:
        shared = {"backend": "memory"}
        components = {"rate_limit": Component("up", detail=shared),
                      "conversations": Component("up", detail=shared),
                      "cache": Component("up" if settings.cache_enabled else "off", detail=shared)}
    else:
        shared_state = check_redis(settings)
        components = {"redis": shared_state, **_on_redis(shared_state.status == "up", settings.cache_enabled)}
    if slack_mounted:
        components["slack"] = _slack(components.get("redis"))
    return components


def _on_redis(up: bool, cache_enabled: bool) -> dict[str, Component]:
    backend = {"backend": "redis"}

    def without_redis(status: str, effect: str) -> Component:
        if up:
            return Component("up", detail=backend)
        return Component(status, detail={**backend, "effect": effect})

    cache = without_redis("degraded", "questions are planned without the cache")
    return {
        "rate_limit": without_redis("degraded",
                                    "each replica limits on its own (in process) until Redis answers"),
        "cache": cache if cache_enabled else Component("off", detail=backend),
        "conversations": without_redis("down", "new questions are answered but not remembered; "
                                               "follow-ups get 503 conversations_unavailable"),
    }


def _slack(redis: Component | None) -> Component:
    if redis is None or redis.status == "up":
        return Component("up", detail={"mode": "http"})
    return Component("degraded", detail={"mode": "http",
                                         "effect": "repeated deliveries are dropped per replica; "
                                                   "replies in threads are asked to retry"})


def _overall(components) -> str:
    statuses = [(c.status, c.required) for c in components]
    if ("down", True) in statuses:
        return "unavailable"
    return "ready" if all(status in ("up", "off") for status, _ in statuses) else "degraded"
