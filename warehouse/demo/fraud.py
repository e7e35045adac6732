"""Fraud labels and the traces each fraud type leaves on an install.

The traces overlap with legitimate traffic on purpose (some real users click
seconds before installing, carriers put many users behind one IP), so a
fraud model can learn them without any single column being the label.
"""
from __future__ import annotations

import numpy as np

from warehouse.demo import catalog
from warehouse.demo.calendar import FRAUD_SPIKE, in_range
from warehouse.demo.campaigns import CampaignPlan
from warehouse.demo.catalog import BOT, CLICK_INJECTION, DEVICE_FARM, LEGIT, SDK_SPOOFING

# Fraud-type mix (click_injection, bot, device_farm, sdk_spoofing); click
# injection needs Android's install broadcast, so iOS fraud is of other kinds.
TYPE_MIX = {
    catalog.ANDROID: np.array([0.35, 0.25, 0.25, 0.15]),
    catalog.IOS: np.array([0.0, 0.38, 0.34, 0.28]),
}
# Click-to-install seconds: (median, log-sd) per install kind; a share of
# each kind comes from a second, overlapping mode.
CTIT_MAIN = {LEGIT: (900, 1.1), CLICK_INJECTION: (12, 0.7), BOT: (240, 0.6),
             DEVICE_FARM: (600, 0.9), SDK_SPOOFING: (900, 1.1)}
CTIT_ALT = {LEGIT: (0.05, 35, 0.7), CLICK_INJECTION: (0.25, 110, 0.8)}
MAX_CTIT = 7 * 86_400


def campaign_fraud_rates(rng: np.random.Generator, plan: CampaignPlan) -> np.ndarray:
    base = np.array([catalog.MEDIA_SOURCES[s].fraud_rate for s in plan.source])
    return np.clip(base * rng.lognormal(0, 0.3, len(plan)), 0.0, 0.5)


def spike_mask(plan: CampaignPlan, campaign: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Paid installs inside the spike source's fraud-spike weeks."""
    spike_source = catalog.SOURCE_INDEX[catalog.SPIKE_SOURCE]
    return (plan.source[campaign] == spike_source) & in_range(day, FRAUD_SPIKE)


def assign_fraud(rng, plan: CampaignPlan, campaign: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Install kind per paid install: LEGIT or one of the four fraud types."""
    rate = campaign_fraud_rates(rng, plan)[campaign]
    rate = np.where(spike_mask(plan, campaign, day), catalog.SPIKE_FRAUD_RATE, rate)
    is_fraud = rng.random(len(campaign)) < rate
    kinds = np.full(len(campaign), LEGIT, dtype=np.int8)
    for platform, mix in TYPE_MIX.items():
        rows = is_fraud & (plan.platform[campaign] == platform)
        kinds[rows] = rng.choice([CLICK_INJECTION, BOT, DEVICE_FARM, SDK_SPOOFING], size=rows.sum(), p=mix)
    return kinds


def click_to_install_seconds(rng: np.random.Generator, kinds: np.ndarray) -> np.ndarray:
    seconds = np.empty(len(kinds))
    for kind, (median, sd) in CTIT_MAIN.items():
        rows = kinds == kind
        seconds[rows] = rng.lognormal(np.log(median), sd, rows.sum())
    for kind, (share, median, sd) in CTIT_ALT.items():
        rows = (kinds == kind) & (rng.random(len(kinds)) < share)
        seconds[rows] = rng.lognormal(np.log(median), sd, rows.sum())
    return np.clip(np.ceil(seconds), 1, MAX_CTIT).astype(np.int64)
