"""The 60 campaigns: their public attributes and hidden performance traits.

The first campaigns are laid out so every media source, country, platform,
channel and ad format the contract names appears at least once; the rest are
drawn at random. Hidden traits (volume, quality, target ROAS) stay in memory
and shape installs, revenue and spend.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from warehouse.demo import catalog
from warehouse.demo.calendar import N_DAYS, WINDOW_START

N_CAMPAIGNS = 60
N_LATE_STARTS = 16  # the other 44 run from the first day of the window


@dataclass(frozen=True)
class CampaignPlan:
    campaign_id: list[str]
    campaign_name: list[str]
    source: np.ndarray  # index into catalog.MEDIA_SOURCES
    platform: np.ndarray  # index into catalog.PLATFORMS
    country: np.ndarray  # index into catalog.COUNTRIES
    channel: list[str]
    ad_format: list[str]
    start_day: np.ndarray  # day index in the window
    volume: np.ndarray  # relative paid-install volume per active day
    quality: np.ndarray  # engagement and payer multiplier of its users
    target_roas: np.ndarray  # sets the campaign's CPI from the revenue it brings

    def __len__(self) -> int:
        return len(self.campaign_id)

    def start_dates(self) -> list[dt.date]:
        return [WINDOW_START + dt.timedelta(days=int(d)) for d in self.start_day]

    def active(self) -> np.ndarray:
        """Boolean (campaign, day) matrix of the days each campaign runs."""
        return np.arange(N_DAYS)[None, :] >= self.start_day[:, None]


def _sources(rng: np.random.Generator) -> np.ndarray:
    volumes = np.array([s.volume for s in catalog.MEDIA_SOURCES])
    rest = rng.choice(len(volumes), size=N_CAMPAIGNS - len(volumes), p=volumes / volumes.sum())
    return np.concatenate([np.arange(len(volumes)), rest])


def _countries(rng: np.random.Generator) -> np.ndarray:
    n = len(catalog.COUNTRIES)
    rest = rng.choice(n, size=N_CAMPAIGNS - n, p=catalog.COUNTRY_WEIGHTS)
    return np.concatenate([rng.permutation(n), rest])


def _platforms(rng: np.random.Generator, sources: np.ndarray) -> np.ndarray:
    platforms = rng.integers(0, 2, size=N_CAMPAIGNS)
    platforms[:2] = (catalog.IOS, catalog.ANDROID)
    apple = sources == catalog.SOURCE_INDEX["Apple Search Ads"]
    platforms[apple] = catalog.IOS
    return platforms


def _formats(rng: np.random.Generator, sources: np.ndarray) -> list[tuple[str, str]]:
    seen: set[int] = set()
    chosen = []
    for source in sources:
        options = catalog.MEDIA_SOURCES[source].formats
        pick = 0 if source not in seen else rng.integers(len(options))
        seen.add(int(source))
        chosen.append(options[pick])
    return chosen


def _names(rng, sources, platforms, countries) -> list[str]:
    names: list[str] = []
    for source, platform, country in zip(sources, platforms, countries):
        spec = catalog.MEDIA_SOURCES[source]
        stem = f"{spec.token}_{catalog.PLATFORMS[platform]}_{catalog.COUNTRY_CODES[country]}"
        tactics = [spec.tactics[i] for i in rng.permutation(len(spec.tactics))]
        free = [f"{stem}_{t}" for t in tactics if f"{stem}_{t}" not in names]
        names.append(free[0] if free else f"{stem}_{tactics[0]}{len(names) + 1}")
    return names


def _start_days(rng: np.random.Generator) -> np.ndarray:
    start = np.zeros(N_CAMPAIGNS, dtype=np.int64)
    late = rng.choice(np.arange(8, N_CAMPAIGNS), size=N_LATE_STARTS, replace=False)
    start[late] = rng.integers(9, 152, size=N_LATE_STARTS)
    return start


def plan_campaigns(rng: np.random.Generator) -> CampaignPlan:
    sources = _sources(rng)
    countries = _countries(rng)
    platforms = _platforms(rng, sources)
    formats = _formats(rng, sources)
    source_volume = np.array([catalog.MEDIA_SOURCES[s].volume for s in sources])
    source_quality = np.array([catalog.MEDIA_SOURCES[s].quality for s in sources])
    return CampaignPlan(
        campaign_id=[f"c{i + 1:03d}" for i in range(N_CAMPAIGNS)],
        campaign_name=_names(rng, sources, platforms, countries),
        source=sources,
        platform=platforms,
        country=countries,
        channel=[f[0] for f in formats],
        ad_format=[f[1] for f in formats],
        start_day=_start_days(rng),
        volume=(source_volume * np.sqrt(catalog.COUNTRY_WEIGHTS[countries])
                * rng.lognormal(0, 0.6, N_CAMPAIGNS)),
        quality=source_quality * rng.lognormal(0, 0.25, N_CAMPAIGNS),
        target_roas=np.clip(np.sqrt(source_quality) * rng.lognormal(np.log(0.7), 0.55, N_CAMPAIGNS),
                            0.12, 2.8),
    )
