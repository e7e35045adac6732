"""Reference data of the synthetic world: sources, countries, devices, prices.

Pure data, no randomness. The numbers are chosen so that the tables show the
differences an analyst expects (iOS and rich countries pay more, a couple of
ad networks carry most of the fraud) without any one of them being a label.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MediaSource:
    name: str
    token: str  # how the source is spelled inside campaign names
    volume: float  # relative share of paid installs
    quality: float  # multiplies engagement and payer propensity
    fraud_rate: float  # baseline share of fraudulent paid installs
    formats: tuple[tuple[str, str], ...]  # (channel, ad_format) options, first is forced once
    tactics: tuple[str, ...]


MEDIA_SOURCES: tuple[MediaSource, ...] = (
    MediaSource("Facebook", "Facebook", 1.6, 1.10, 0.020, (("social", "image"), ("social", "video")),
                ("Lookalike", "Broad", "Interest", "Retargeting", "Advantage")),
    MediaSource("Google", "Google", 1.5, 1.00, 0.018,
                (("search", "text"), ("video", "video"), ("display", "banner")),
                ("UAC", "Brand", "Generic", "YouTube", "Discovery")),
    MediaSource("TikTok", "TikTok", 1.1, 0.80, 0.035, (("video", "video"), ("social", "video")),
                ("Spark", "Broad", "Interest", "Creators")),
    MediaSource("Unity", "Unity", 0.8, 0.70, 0.040, (("video", "playable"), ("video", "video")),
                ("Rewarded", "Interstitial", "Playable")),
    MediaSource("AppLovin", "AppLovin", 0.9, 0.90, 0.110,
                (("display", "banner"), ("video", "playable"), ("display", "image")),
                ("MAX", "Rewarded", "Banner", "ROAS")),
    MediaSource("ironSource", "ironSource", 0.8, 0.60, 0.140, (("video", "video"), ("display", "playable")),
                ("Rewarded", "Offerwall", "Interstitial")),
    MediaSource("Snapchat", "Snapchat", 0.5, 0.75, 0.030, (("social", "video"), ("social", "image")),
                ("Lenses", "Stories", "Broad")),
    MediaSource("Apple Search Ads", "AppleSearchAds", 0.7, 1.50, 0.006, (("search", "text"),),
                ("Brand", "Generic", "Competitor", "Discovery")),
)
SOURCE_NAMES = tuple(s.name for s in MEDIA_SOURCES)
SOURCE_INDEX = {s.name: i for i, s in enumerate(MEDIA_SOURCES)}
# The visible fraud spike: one source's fraud share jumps for three weeks.
SPIKE_SOURCE = "TikTok"
SPIKE_FRAUD_RATE = 0.32


@dataclass(frozen=True)
class Country:
    code: str
    weight: float  # share of installs
    payer_rate: float  # baseline chance a user ever pays
    price: float  # multiplies prices (purchasing power)
    engagement: float


COUNTRIES: tuple[Country, ...] = (
    Country("US", 0.24, 0.060, 1.00, 1.10),
    Country("GB", 0.08, 0.050, 0.95, 1.00),
    Country("DE", 0.08, 0.048, 0.95, 1.00),
    Country("FR", 0.07, 0.038, 0.90, 0.95),
    Country("JP", 0.08, 0.065, 1.15, 1.15),
    Country("BR", 0.11, 0.026, 0.45, 0.95),
    Country("IN", 0.13, 0.014, 0.30, 0.85),
    Country("CA", 0.06, 0.050, 0.90, 1.00),
    Country("KR", 0.07, 0.055, 0.95, 1.10),
    Country("AU", 0.08, 0.050, 1.00, 1.00),
)
COUNTRY_CODES = tuple(c.code for c in COUNTRIES)
COUNTRY_WEIGHTS = np.array([c.weight for c in COUNTRIES]) / sum(c.weight for c in COUNTRIES)
COUNTRY_PAYER = np.array([c.payer_rate for c in COUNTRIES])
COUNTRY_PRICE = np.array([c.price for c in COUNTRIES])
COUNTRY_ENGAGEMENT = np.array([c.engagement for c in COUNTRIES])

PLATFORMS = ("iOS", "Android")
IOS, ANDROID = 0, 1
PLATFORM_PAYER = np.array([1.5, 0.8])
PLATFORM_PRICE = np.array([1.1, 0.95])
PLATFORM_ENGAGEMENT = np.array([1.05, 1.0])
# Android share of organic installs, per country (iOS is strong in US/JP/GB).
ANDROID_SHARE = np.array([0.45, 0.5, 0.6, 0.6, 0.35, 0.85, 0.92, 0.5, 0.7, 0.5])

ORGANIC_QUALITY = 1.2

DEVICE_MODELS = (
    # iOS, most popular first
    ("iPhone15,2", "iPhone16,1", "iPhone14,5", "iPhone16,2", "iPhone14,7", "iPhone13,2",
     "iPhone15,4", "iPhone12,1", "iPhone17,1", "iPhone14,2", "iPhone12,8", "iPhone13,4"),
    # Android
    ("SM-S918B", "SM-A546B", "SM-A146P", "Pixel 8", "Redmi Note 12", "SM-G991B", "CPH2581",
     "Pixel 7a", "moto g54", "V2250", "RMX3761", "SM-A057F", "2201117TG", "Infinix X6833B",
     "SM-M146B", "Pixel 6"),
)
OS_VERSIONS = (
    ("18.5", "18.4", "18.3", "17.7", "18.1", "17.5", "16.7", "26.0"),
    ("14", "15", "13", "12", "11", "10"),
)


def zipf_weights(n: int, exponent: float = 0.9) -> np.ndarray:
    """Popularity weights for an ordered list: the first items dominate."""
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return weights / weights.sum()


EVENT_NAMES = ("session_start", "tutorial_complete", "level_up", "add_to_cart", "purchase",
               "subscription_start")
SESSION, TUTORIAL, LEVEL_UP, ADD_TO_CART, PURCHASE, SUBSCRIPTION = range(6)
PRICE_POINTS = np.array([0.99, 1.99, 4.99, 9.99, 19.99, 49.99, 99.99])
SUBSCRIPTION_PRICE = np.array([9.99, 7.99])  # by platform

FRAUD_TYPES = ("click_injection", "bot", "device_farm", "sdk_spoofing")
LEGIT, CLICK_INJECTION, BOT, DEVICE_FARM, SDK_SPOOFING = range(5)
