"""Daily ad spend per campaign: impressions, clicks and cost.

A campaign's CPI is the geometric mean of the market price for its country,
platform and source and the CPI that would put its return on spend at its
hidden target ROAS (0.12-2.8): prices look like real markets (a few USD in
the US, cents in India) and ROAS stays plausible at every scale while
differing clearly between campaigns. That model sets each campaign's share of
its source's spend on a day (following the installs it is paying for, billed
even on the day attribution broke) and each source's total over the window;
the source's spend on each day comes from its true saturating response curve
(``response.py``), so spend -> installs has diminishing returns per source.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from warehouse.demo import catalog
from warehouse.demo.calendar import paid_day_factor
from warehouse.demo.campaigns import CampaignPlan
from warehouse.demo.response import source_curves, source_day_spend

CHANNEL_CTR = {"search": 0.024, "social": 0.012, "video": 0.009, "display": 0.006}
MIN_DAILY_COST = 1.0
# Market CPI in USD (Android) per country, and multipliers per platform and source.
COUNTRY_CPI = {"US": 3.0, "GB": 2.4, "DE": 2.4, "FR": 1.9, "JP": 3.2, "BR": 0.5, "IN": 0.25, "CA": 2.6,
               "KR": 2.4, "AU": 2.8}
PLATFORM_CPI = np.array([1.5, 1.0])  # iOS, Android
SOURCE_CPI = {"Facebook": 1.1, "Google": 1.0, "TikTok": 0.8, "Unity": 0.75, "AppLovin": 0.9,
              "ironSource": 0.65, "Snapchat": 0.8, "Apple Search Ads": 1.3}


@dataclass(frozen=True)
class AdSpend:
    day: np.ndarray
    campaign: np.ndarray
    impressions: np.ndarray
    clicks: np.ndarray
    cost: np.ndarray
    curves: dict = field(default_factory=dict)  # the true response curve per source (response.py)


def market_cpi(plan: CampaignPlan) -> np.ndarray:
    country = np.array([COUNTRY_CPI[catalog.COUNTRY_CODES[c]] for c in plan.country])
    source = np.array([SOURCE_CPI[catalog.SOURCE_NAMES[s]] for s in plan.source])
    return country * source * PLATFORM_CPI[plan.platform]


def campaign_cpi(plan: CampaignPlan, paid_installs: np.ndarray, revenue: np.ndarray) -> np.ndarray:
    per_install = np.divide(revenue, paid_installs, out=np.zeros(len(plan)), where=paid_installs > 0)
    market = market_cpi(plan)
    on_target = np.where(per_install > 0, per_install / plan.target_roas, market)
    return np.clip(np.sqrt(market * on_target), 0.08, 10.0)


def _billed_installs(expected: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """Installs the network bills per (campaign, day): it saw them even during the tracking outage."""
    return 0.6 * expected / paid_day_factor()[None, :] + 0.4 * actual


def build_ad_spend(rng, plan: CampaignPlan, expected: np.ndarray, actual: np.ndarray,
                   revenue: np.ndarray) -> AdSpend:
    """``expected``/``actual``: (campaign, day) paid installs; ``revenue``: attributed, per campaign."""
    cpi = campaign_cpi(plan, actual.sum(axis=1), revenue)
    day, campaign = np.nonzero(plan.active().T)  # ordered by day, then campaign
    billed = _billed_installs(expected, actual)[campaign, day]
    priced = cpi[campaign] * billed * rng.lognormal(0, 0.12, len(day))
    curves, cost = _on_the_curves(plan, expected, campaign, day, priced)
    install_per_click = rng.lognormal(np.log(0.12), 0.3, len(plan))
    clicks = np.maximum(1, np.rint(billed / install_per_click[campaign] * rng.lognormal(0, 0.1, len(day))))
    base_ctr = np.array([CHANNEL_CTR[c] for c in plan.channel]) * rng.lognormal(0, 0.2, len(plan))
    ctr = np.clip(base_ctr[campaign] * rng.lognormal(0, 0.08, len(day)), 0.005, 0.03)
    impressions = np.rint(clicks / ctr)
    return AdSpend(day, campaign, impressions.astype(np.int64), clicks.astype(np.int64), cost, curves)


def _on_the_curves(plan: CampaignPlan, expected: np.ndarray, campaign: np.ndarray, day: np.ndarray,
                   priced: np.ndarray) -> tuple[dict, np.ndarray]:
    """Each source's day spends what its true curve asks for that day's installs, split over its
    campaigns in proportion to the CPI model's cost (``priced``)."""
    grid = np.zeros(expected.shape)
    grid[campaign, day] = priced
    curves = source_curves(plan, expected, grid)
    source = plan.source[campaign]
    per_source_day = np.zeros((len(catalog.MEDIA_SOURCES), expected.shape[1]))
    np.add.at(per_source_day, (source, day), priced)
    target = source_day_spend(plan, expected, curves)
    cost = priced * target[source, day] / per_source_day[source, day]
    return curves, np.maximum(np.round(cost, 2), MIN_DAILY_COST)
