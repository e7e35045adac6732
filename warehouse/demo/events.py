"""In-app events for one chunk of users, fully vectorized.

Real users (and click-injected users, who are real people whose install was
stolen) get sessions from :mod:`sessions` plus tutorial, level-ups, carts and
purchases inside them. Device farms imitate a few days of light play without
paying; bots fire one short burst; SDK spoofers and a few real users whose SDK
never reports send nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.demo import catalog
from warehouse.demo.calendar import (
    DAY,
    END_S,
    SALE_DAYS,
    SALE_PURCHASE_BOOST,
    SDK_OUTAGE_DAY,
    SDK_OUTAGE_KEEP,
    START_S,
    in_range,
)
from warehouse.demo.catalog import (
    ADD_TO_CART,
    BOT,
    DEVICE_FARM,
    LEVEL_UP,
    PURCHASE,
    SESSION,
    SUBSCRIPTION,
    TUTORIAL,
)
from warehouse.demo.installs import Installs
from warehouse.demo.sessions import Sessions, draw_sessions


@dataclass(frozen=True)
class EventBatch:
    user: np.ndarray  # install index (global once a chunk is finished)
    ts: np.ndarray
    code: np.ndarray  # index into catalog.EVENT_NAMES
    revenue: np.ndarray

    @staticmethod
    def of(user, ts, code: int, revenue=None) -> EventBatch:
        revenue = np.zeros(len(user)) if revenue is None else revenue
        return EventBatch(user, ts, np.full(len(user), code, dtype=np.int8), revenue)

    @staticmethod
    def concat(batches: list[EventBatch]) -> EventBatch:
        return EventBatch(*(np.concatenate([getattr(b, f) for b in batches])
                            for f in ("user", "ts", "code", "revenue")))

    def where(self, keep: np.ndarray) -> EventBatch:
        return EventBatch(self.user[keep], self.ts[keep], self.code[keep], self.revenue[keep])


@dataclass(frozen=True)
class Players:
    """Chunk-local view of the users who play, with farm behaviour overridden."""

    index: np.ndarray  # position in the chunk
    engagement: np.ndarray
    lifetime_days: np.ndarray
    payer: np.ndarray
    subscriber: np.ndarray
    purchase_chance: np.ndarray
    price_tier: np.ndarray
    price_factor: np.ndarray
    platform: np.ndarray


def _cents(amount: np.ndarray) -> np.ndarray:
    return np.maximum(np.round(amount, 2), 0.29)


def _after(rng, ts: np.ndarray, low_s: int, high_s: int) -> np.ndarray:
    return ts + rng.integers(low_s, high_s, size=len(ts))


def _players(rng, installs: Installs, chunk: slice) -> Players:
    kind, t = installs.kind[chunk], installs.traits
    real = np.isin(kind, (catalog.LEGIT, catalog.CLICK_INJECTION)) & ~t.silent[chunk]
    index = np.flatnonzero(real | (kind == DEVICE_FARM))
    farm = kind[index] == DEVICE_FARM
    pick = lambda a: a[chunk][index]
    return Players(
        index=index,
        engagement=np.where(farm, 0.8, pick(t.engagement)),
        lifetime_days=np.where(farm, rng.uniform(1, 4, len(index)), pick(t.lifetime_days)),
        payer=pick(t.payer) & ~farm,
        subscriber=pick(t.subscriber) & ~farm,
        purchase_chance=pick(t.purchase_chance),
        price_tier=pick(t.price_tier),
        price_factor=pick(t.price_factor),
        platform=installs.platform[chunk][index],
    )


def _purchases(rng, s: Sessions, p: Players) -> EventBatch:
    on_sale = in_range((s.ts - START_S) // DAY, SALE_DAYS)
    chance = p.purchase_chance[s.user] * np.where(on_sale, SALE_PURCHASE_BOOST, 1.0)
    hit = p.payer[s.user] & (rng.random(len(s.ts)) < chance)
    users = s.user[hit]
    tier = np.clip(np.rint(p.price_tier[users] + rng.normal(0, 0.6, len(users))), 0, 6).astype(np.int64)
    revenue = _cents(catalog.PRICE_POINTS[tier] * p.price_factor[users])
    return EventBatch.of(users, _after(rng, s.ts[hit], 60, 1500), PURCHASE, revenue)


def _subscriptions(rng, s: Sessions, p: Players) -> EventBatch:
    candidate = np.flatnonzero(p.subscriber[s.user] & (rng.random(len(s.ts)) < 0.3))
    _, first = np.unique(s.user[candidate], return_index=True)  # sessions are sorted by user, ts
    rows = candidate[first]
    users = s.user[rows]
    revenue = _cents(catalog.SUBSCRIPTION_PRICE[p.platform[users]] * p.price_factor[users])
    return EventBatch.of(users, _after(rng, s.ts[rows], 120, 1800), SUBSCRIPTION, revenue)


def _play(rng, s: Sessions, p: Players) -> list[EventBatch]:
    tutorial = s.first & (rng.random(len(s.ts)) < 0.45 + 0.35 * (1 - np.exp(-p.engagement[s.user])))
    levels = np.repeat(np.arange(len(s.ts)), rng.poisson(0.45, len(s.ts)))
    cart = rng.random(len(s.ts)) < 0.04 + 0.25 * p.payer[s.user]
    return [
        EventBatch.of(s.user, s.ts, SESSION),
        EventBatch.of(s.user[tutorial], _after(rng, s.ts[tutorial], 60, 900), TUTORIAL),
        EventBatch.of(s.user[levels], _after(rng, s.ts[levels], 20, 1800), LEVEL_UP),
        EventBatch.of(s.user[cart], _after(rng, s.ts[cart], 30, 900), ADD_TO_CART),
    ]


def _bot_bursts(rng, index: np.ndarray, install_ts: np.ndarray) -> EventBatch:
    """Rapid-fire events right at install (some bots fire a second burst hours later), then silence."""
    counts = 3 + rng.poisson(6, len(index))
    users = np.repeat(np.arange(len(index)), counts)
    position = np.arange(len(users)) - np.repeat(np.cumsum(counts) - counts, counts)
    step = rng.integers(4, 90, len(index))[users]
    second = (rng.random(len(index)) < 0.3)[users] & (2 * position >= counts[users])
    delay = rng.integers(3600, 30 * 3600, len(index))[users] * second
    ts = install_ts[users] + position * step + rng.integers(0, 4, len(users)) * (position > 0) + delay
    code = np.where((position == 0) | (rng.random(len(users)) < 0.3), SESSION, LEVEL_UP).astype(np.int8)
    return EventBatch(index[users], ts, code, np.zeros(len(users)))


def chunk_events(rng: np.random.Generator, installs: Installs, start: int, stop: int) -> EventBatch:
    """Events of installs ``start:stop``, users numbered by install index."""
    chunk = slice(start, stop)
    install_ts = installs.install_ts[chunk]
    p = _players(rng, installs, chunk)
    s = draw_sessions(rng, install_ts[p.index], p.engagement, p.lifetime_days)
    played = EventBatch.concat(_play(rng, s, p) + [_purchases(rng, s, p), _subscriptions(rng, s, p)])
    played = EventBatch(p.index[played.user], played.ts, played.code, played.revenue)
    bots = np.flatnonzero(installs.kind[chunk] == BOT)
    events = EventBatch.concat([played, _bot_bursts(rng, bots, install_ts[bots])])
    outage = (events.ts - START_S) // DAY == SDK_OUTAGE_DAY
    keep = (events.ts < END_S) & (~outage | (rng.random(len(events.ts)) < SDK_OUTAGE_KEEP))
    events = events.where(keep)
    return EventBatch(events.user + start, events.ts, events.code, events.revenue)
