"""Hidden per-user traits that drive events: engagement, lifetime, spending.

One latent engagement propensity per user sets both how often they play at
first and how long they stay, which is why a user's first days predict their
later activity (and churn and LTV are learnable but noisy).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.demo import catalog

MEAN_LIFETIME_DAYS = 4.5
SUBSCRIBER_SHARE = 0.22  # of payers
NO_SDK_SHARE = 0.025  # real users whose SDK never reports (looks like sdk_spoofing)


@dataclass(frozen=True)
class UserTraits:
    engagement: np.ndarray
    lifetime_days: np.ndarray
    payer: np.ndarray
    purchase_chance: np.ndarray  # per session, payers only
    price_tier: np.ndarray  # usual price point (float index into PRICE_POINTS)
    subscriber: np.ndarray
    price_factor: np.ndarray
    silent: np.ndarray  # real user who never sends an event


def draw_traits(rng, quality: np.ndarray, platform: np.ndarray, country: np.ndarray) -> UserTraits:
    n = len(quality)
    engagement = (rng.lognormal(0, 0.85, n) * catalog.COUNTRY_ENGAGEMENT[country]
                  * catalog.PLATFORM_ENGAGEMENT[platform] * np.sqrt(quality))
    payer_chance = (catalog.COUNTRY_PAYER[country] * catalog.PLATFORM_PAYER[platform]
                    * quality * engagement ** 0.7)
    payer = rng.random(n) < np.clip(payer_chance, 0, 0.7)
    return UserTraits(
        engagement=engagement,
        lifetime_days=rng.exponential(MEAN_LIFETIME_DAYS * engagement ** 1.4),
        payer=payer,
        purchase_chance=rng.beta(2, 9, n),
        price_tier=0.6 + 1.1 * rng.standard_normal(n) + 0.35 * np.log(engagement),
        subscriber=payer & (rng.random(n) < SUBSCRIBER_SHARE),
        price_factor=catalog.COUNTRY_PRICE[country] * catalog.PLATFORM_PRICE[platform],
        silent=rng.random(n) < NO_SDK_SHARE,
    )
