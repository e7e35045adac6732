"""Installs: when, through which campaign (or organically), and by whom.

Paid installs are spread over (campaign, day) cells in proportion to the
campaign's volume and the day's seasonality; organic installs over days. All
arrays come out in install-time order, which is also install_id order.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.demo import catalog
from warehouse.demo.calendar import (
    DAY,
    N_DAYS,
    START_S,
    install_seasonality,
    organic_day_factor,
    paid_day_factor,
    seconds_of_day,
)
from warehouse.demo.campaigns import CampaignPlan
from warehouse.demo.devices import Devices, assign_devices
from warehouse.demo.fraud import assign_fraud, click_to_install_seconds, spike_mask
from warehouse.demo.users import UserTraits, draw_traits

INSTALLS_PER_SCALE = 200_000
ORGANIC_SHARE = 0.33
SPIKE_VOLUME = 1.5  # the fraud spike arrives as extra installs on top of real ones


@dataclass(frozen=True)
class Installs:
    campaign: np.ndarray  # index into the plan, -1 = organic
    install_ts: np.ndarray
    click_ts: np.ndarray  # -1 = no click (organic)
    platform: np.ndarray
    country: np.ndarray
    kind: np.ndarray  # catalog.LEGIT or a fraud type
    devices: Devices
    traits: UserTraits
    expected_paid: np.ndarray  # (campaign, day) expected paid installs, for spend

    def __len__(self) -> int:
        return len(self.install_ts)


def _paid_cells(rng, plan: CampaignPlan, n_paid: int):
    weights = plan.volume[:, None] * plan.active() * (install_seasonality() * paid_day_factor())[None, :]
    campaign_grid, day_grid = np.indices(weights.shape)
    weights = np.where(spike_mask(plan, campaign_grid, day_grid), weights * SPIKE_VOLUME, weights)
    share = weights.ravel() / weights.sum()
    cells = np.repeat(np.arange(share.size), rng.multinomial(n_paid, share))
    return cells // N_DAYS, cells % N_DAYS, n_paid * share.reshape(weights.shape)


def _organic_days(rng, n_organic: int) -> np.ndarray:
    weights = install_seasonality() * organic_day_factor()
    return np.repeat(np.arange(N_DAYS), rng.multinomial(n_organic, weights / weights.sum()))


def _organic_geo(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    country = rng.choice(len(catalog.COUNTRIES), size=n, p=catalog.COUNTRY_WEIGHTS)
    platform = (rng.random(n) < catalog.ANDROID_SHARE[country]).astype(np.int64)
    return platform, country


def _click_times(rng, plan: CampaignPlan, campaign, install_ts, kind) -> np.ndarray:
    paid = campaign >= 0
    ctit = click_to_install_seconds(rng, kind[paid])
    since_start = install_ts[paid] - (START_S + plan.start_day[campaign[paid]] * DAY)
    click_ts = np.full(len(install_ts), -1, dtype=np.int64)
    click_ts[paid] = install_ts[paid] - np.clip(ctit, 1, np.maximum(since_start, 1))
    return click_ts


def _quality(plan: CampaignPlan, campaign: np.ndarray, kind: np.ndarray) -> np.ndarray:
    # Click injection steals credit for organic users, so they behave organically.
    organic_like = (campaign < 0) | (kind == catalog.CLICK_INJECTION)
    return np.where(organic_like, catalog.ORGANIC_QUALITY, plan.quality[np.maximum(campaign, 0)])


def sample_installs(rngs: dict[str, np.random.Generator], plan: CampaignPlan, scale: float) -> Installs:
    rng = rngs["installs"]
    n_total = max(50, round(INSTALLS_PER_SCALE * scale))
    n_organic = round(n_total * ORGANIC_SHARE)
    campaign, paid_day, expected = _paid_cells(rng, plan, n_total - n_organic)
    org_platform, org_country = _organic_geo(rng, n_organic)
    kind = np.concatenate([assign_fraud(rngs["fraud"], plan, campaign, paid_day),
                           np.zeros(n_organic, dtype=np.int8)])
    campaign = np.concatenate([campaign, np.full(n_organic, -1)])
    day = np.concatenate([paid_day, _organic_days(rng, n_organic)])
    platform = np.concatenate([plan.platform[campaign[: len(paid_day)]], org_platform])
    country = np.concatenate([plan.country[campaign[: len(paid_day)]], org_country])
    install_ts = START_S + day * DAY + seconds_of_day(rng, len(day), uniform_hours=kind == catalog.BOT)
    order = np.argsort(install_ts, kind="stable")
    campaign, install_ts, platform, country, kind = (
        a[order] for a in (campaign, install_ts, platform, country, kind))
    return Installs(
        campaign=campaign,
        install_ts=install_ts,
        click_ts=_click_times(rngs["fraud"], plan, campaign, install_ts, kind),
        platform=platform,
        country=country,
        kind=kind,
        devices=assign_devices(rngs["devices"], platform, kind),
        traits=draw_traits(rngs["users"], _quality(plan, campaign, kind), platform, country),
        expected_paid=expected,
    )
