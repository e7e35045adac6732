"""Session times of real users: a decaying rate until the user churns.

A user's visit rate is ``R0 * engagement**P * (FLOOR + (1 - FLOOR) * exp(-t / TAU))``
from install until their hidden lifetime ends (or the window does). The two
terms are drawn separately (uniform and truncated exponential), then thinned
by weekday and hour so visits get the weekly and daily rhythm. A visit may
chain a few more sessions within hours (binges), and some churned users come
back for a short spell weeks later, so recency alone never settles churn.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.demo.calendar import DAY, END_S, session_keep_probability

R0 = 0.42  # visits per day right after install at engagement 1
FLOOR = 0.3  # share of the initial rate a still-active user keeps
TAU = 7.0  # days over which the novelty wears off
OVERSAMPLE = 1.6  # compensates the mean thinning probability (~0.62)
ENGAGEMENT_POWER = 0.8
BINGE = 0.7  # extra sessions per visit at engagement 1
COMEBACK_SHARE = 0.3
COMEBACK_GAP_DAYS = 35.0
COMEBACK_SPAN_DAYS = 7.0


@dataclass(frozen=True)
class Sessions:
    user: np.ndarray  # index into the chunk's users, sorted by (user, ts)
    ts: np.ndarray
    first: np.ndarray  # the session that is the install's first open


def _later_offsets(rng, horizon: np.ndarray, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Session offsets (days) after install, before the horizon."""
    decay_mass = 1.0 - np.exp(-horizon / TAU)
    n_flat = rng.poisson(rate * FLOOR * horizon)
    n_decay = rng.poisson(rate * (1.0 - FLOOR) * TAU * decay_mass)
    flat_users = np.repeat(np.arange(len(horizon)), n_flat)
    decay_users = np.repeat(np.arange(len(horizon)), n_decay)
    flat_t = rng.random(len(flat_users)) * horizon[flat_users]
    decay_t = -TAU * np.log1p(-rng.random(len(decay_users)) * decay_mass[decay_users])
    return np.concatenate([flat_users, decay_users]), np.concatenate([flat_t, decay_t])


def _comebacks(rng, lifetime_days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (days) of the visits of users who return after churning."""
    n = len(lifetime_days)
    start = lifetime_days + rng.exponential(COMEBACK_GAP_DAYS, n)
    visits = np.where(rng.random(n) < COMEBACK_SHARE, 1 + rng.poisson(2, n), 0)
    users = np.repeat(np.arange(n), visits)
    return users, start[users] + rng.random(len(users)) * COMEBACK_SPAN_DAYS


def _binges(rng, users: np.ndarray, ts: np.ndarray, engagement: np.ndarray):
    """Follow-up sessions minutes to hours after a visit."""
    source = np.repeat(np.arange(len(ts)), rng.poisson(BINGE * engagement[users] ** 0.3))
    return users[source], ts[source] + rng.integers(600, 4 * 3600, len(source))


def _visits(rng, install_ts, engagement, lifetime_days) -> tuple[np.ndarray, np.ndarray]:
    horizon = np.minimum(lifetime_days, (END_S - install_ts) / DAY)
    rate = R0 * OVERSAMPLE * engagement ** ENGAGEMENT_POWER
    users, offsets = _later_offsets(rng, horizon, rate)
    back_users, back_offsets = _comebacks(rng, lifetime_days)
    users, offsets = np.concatenate([users, back_users]), np.concatenate([offsets, back_offsets])
    ts = install_ts[users] + np.floor(offsets * DAY).astype(np.int64)
    keep = (ts < END_S) & (rng.random(len(ts)) < session_keep_probability(np.minimum(ts, END_S - 1)))
    return users[keep], ts[keep]


def draw_sessions(rng, install_ts: np.ndarray, engagement: np.ndarray, lifetime_days: np.ndarray) -> Sessions:
    n = len(install_ts)
    users, ts = _visits(rng, install_ts, engagement, lifetime_days)
    users, ts = np.concatenate([np.arange(n), users]), np.concatenate([install_ts, ts])
    binge_users, binge_ts = _binges(rng, users, ts, engagement)
    users, ts = np.concatenate([users, binge_users]), np.concatenate([ts, binge_ts])
    first = np.zeros(len(ts), dtype=bool)
    first[:n] = True
    keep = ts < END_S
    users, ts, first = users[keep], ts[keep], first[keep]
    order = np.lexsort((~first, ts, users))
    return Sessions(user=users[order], ts=ts[order], first=first[order])
