"""The demo's true spend -> installs response: one saturating (Hill) curve per media source.

A source's expected paid installs on a day are a Hill function of what it spent that day::

    installs(x) = top * x**slope / (x**slope + half**slope)

``top`` is the most installs the source could deliver in a day, ``half`` the daily spend that buys
half of that, ``slope`` the curve's shape (1: concave from the first dollar; above 1: an S whose
steep part starts later). Installs are drawn first (their volume, seasonality and incidents are
those of ``installs.py``), so the generator inverts the curve: the source's spend on a day is the
spend at which its curve gives that day's undisturbed expected paid installs. Observed installs then
scatter around the curve by sampling noise (Poisson-like, about 10% on a source's day at scale 1),
the fraud spike's extra installs (TikTok, April; not paid for by the curve) and the tracking outage
(March 10: spend billed, most installs not attributed).

``SOURCE_RESPONSE`` fixes per source how close its busiest day comes to saturation (``peak``: its
undisturbed expected installs on that day over ``top``) and the slope; ``half`` is then set so the
source's total spend over the window is what the CPI model of ``spend.py`` would bill, so CPI and
ROAS keep their levels. The fitted parameters are written to ``asklytics_meta`` (key
``response_curves``, JSON) so a benchmark can score an allocation against the truth
(docs/models.md, "Budget reallocation").
"""
from __future__ import annotations

import json

import numpy as np

from warehouse.demo import catalog
from warehouse.demo.calendar import paid_day_factor
from warehouse.demo.campaigns import CampaignPlan
from warehouse.demo.fraud import spike_mask
from warehouse.demo.installs import SPIKE_VOLUME

META_KEY = "response_curves"
# source -> (peak: share of saturation reached on its busiest day, slope)
SOURCE_RESPONSE = {
    "Facebook": (0.80, 1.0),
    "Google": (0.55, 1.2),
    "TikTok": (0.45, 1.1),
    "Unity": (0.50, 1.0),
    "AppLovin": (0.60, 1.3),
    "ironSource": (0.70, 1.0),
    "Snapchat": (0.40, 1.2),
    "Apple Search Ads": (0.75, 1.4),
}


def hill(spend, top: float, half: float, slope: float):
    """Expected daily installs at ``spend`` (array or number) on the curve (top, half, slope)."""
    x = np.maximum(np.asarray(spend, dtype=float), 0.0) ** slope
    return top * x / (x + half ** slope)


def spend_for(installs: np.ndarray, top: float, half: float, slope: float) -> np.ndarray:
    """The inverse of :func:`hill`: the daily spend that gives ``installs`` (each below ``top``)."""
    u = installs / top
    return half * (u / (1.0 - u)) ** (1.0 / slope)


def undisturbed_installs(plan: CampaignPlan, expected: np.ndarray) -> np.ndarray:
    """(source, day) expected paid installs without the outage's loss and the fraud spike's extra."""
    campaign_grid, day_grid = np.indices(expected.shape)
    cells = expected / paid_day_factor()[None, :]
    cells = np.where(spike_mask(plan, campaign_grid, day_grid), cells / SPIKE_VOLUME, cells)
    by_source = np.zeros((len(catalog.MEDIA_SOURCES), expected.shape[1]))
    np.add.at(by_source, plan.source, cells)
    return by_source


def source_curves(plan: CampaignPlan, expected: np.ndarray, billed_cost: np.ndarray) -> dict[str, dict]:
    """The true curve of each source: ``billed_cost`` is the (campaign, day) cost of the CPI model,
    whose per-source total the curve's spend keeps."""
    installs = undisturbed_installs(plan, expected)
    totals = np.zeros(len(catalog.MEDIA_SOURCES))
    np.add.at(totals, plan.source, billed_cost.sum(axis=1))
    curves = {}
    for index, name in enumerate(catalog.SOURCE_NAMES):
        peak, slope = SOURCE_RESPONSE[name]
        top = float(installs[index].max() / peak)
        unit = spend_for(installs[index], top, 1.0, slope).sum()  # total spend when half = 1
        curves[name] = {"top": round(top, 4), "half": round(float(totals[index] / unit), 4), "slope": slope}
    return curves


def source_day_spend(plan: CampaignPlan, expected: np.ndarray, curves: dict[str, dict]) -> np.ndarray:
    """(source, day) spend on the true curves that buys each day's undisturbed expected installs."""
    installs = undisturbed_installs(plan, expected)
    return np.vstack([spend_for(installs[i], **curves[name]) for i, name in enumerate(catalog.SOURCE_NAMES)])


def curves_json(curves: dict[str, dict]) -> str:
    return json.dumps(curves, sort_keys=True)


def read_curves(value: str) -> dict[str, dict]:
    """``asklytics_meta.response_curves`` back into {source: {top, half, slope}}."""
    return {source: {k: float(v) for k, v in params.items()} for source, params in json.loads(value).items()}
