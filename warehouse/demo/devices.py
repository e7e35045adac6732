"""Device model, OS version and IP of every install.

Real users follow market shares and mostly have their own IP, but about one
in eight sits behind a carrier NAT shared with others. Most bots come from
shared proxy IPs; device farms from a few racks that reuse two phone models
and three IPs each (some installs hide behind proxies or report another
model); SDK spoofers make up random devices.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.demo import catalog
from warehouse.demo.catalog import BOT, DEVICE_FARM, SDK_SPOOFING

MODELS = catalog.DEVICE_MODELS[0] + catalog.DEVICE_MODELS[1]
MODEL_OFFSET = np.array([0, len(catalog.DEVICE_MODELS[0])])
OS_NAMES = catalog.OS_VERSIONS[0] + catalog.OS_VERSIONS[1]
OS_OFFSET = np.array([0, len(catalog.OS_VERSIONS[0])])
NAT_SHARE = 0.12
FARM_PROXY_SHARE = 0.3  # farm installs routed through mobile proxies (own IP)
FARM_SPOOFED_MODEL = 0.3  # farm installs reporting a random popular model
# IP ids live in separate ranges so pools never collide with unique IPs.
NAT_BASE, BOT_BASE, FARM_BASE, UNIQUE_BASE = 1_000_000, 2_000_000, 3_000_000, 1 << 40


@dataclass(frozen=True)
class Devices:
    model: np.ndarray  # index into MODELS
    os_version: np.ndarray  # index into OS_NAMES
    ip: np.ndarray  # int64 id, hashed by the writer


def _popular(rng, platform: np.ndarray, lists: tuple[tuple[str, ...], ...], offset: np.ndarray) -> np.ndarray:
    out = np.empty(len(platform), dtype=np.int64)
    for p, names in enumerate(lists):
        rows = platform == p
        out[rows] = offset[p] + rng.choice(len(names), size=rows.sum(), p=catalog.zipf_weights(len(names)))
    return out


def _uniform(rng, platform: np.ndarray, lists, offset: np.ndarray) -> np.ndarray:
    sizes = np.array([len(names) for names in lists])
    return offset[platform] + (rng.random(len(platform)) * sizes[platform]).astype(np.int64)


def _pool(rng, n: int, members_per_ip: float, base: int) -> np.ndarray:
    """Ids from a pool whose sizes are skewed: a few IPs carry many installs."""
    size = max(2, int(n / members_per_ip))
    return base + rng.choice(size, size=n, p=catalog.zipf_weights(size, 0.7))


def _ips(rng, kinds: np.ndarray) -> np.ndarray:
    ips = rng.integers(UNIQUE_BASE, 1 << 62, size=len(kinds))
    nat = np.isin(kinds, (catalog.LEGIT, catalog.CLICK_INJECTION)) & (rng.random(len(kinds)) < NAT_SHARE)
    ips[nat] = _pool(rng, nat.sum(), 9.0, NAT_BASE)
    proxied = (kinds == BOT) & (rng.random(len(kinds)) < 0.6)
    ips[proxied] = _pool(rng, proxied.sum(), 25.0, BOT_BASE)
    return ips


def _farm_traits(rng, platform: np.ndarray, devices: Devices, farm_rows: np.ndarray) -> None:
    """Most farm installs share their rack's IPs and phone models; some hide one or the other."""
    rows = np.flatnonzero(farm_rows)
    n_farms = max(2, len(rows) // 240)  # per platform: a rack holds either iPhones or Androids
    farm = platform[rows] * n_farms + rng.integers(0, n_farms, size=len(rows))
    models = rng.integers(0, 6, size=(2 * n_farms, 2))  # cheap, popular-ish phones
    racked = rng.random(len(rows)) >= FARM_SPOOFED_MODEL
    pick = models[farm, rng.integers(0, 2, size=len(rows))]
    devices.model[rows[racked]] = MODEL_OFFSET[platform[rows[racked]]] + pick[racked]
    devices.os_version[rows] = OS_OFFSET[platform[rows]] + rng.integers(0, 4, 2 * n_farms)[farm]
    shared = rng.random(len(rows)) >= FARM_PROXY_SHARE
    devices.ip[rows[shared]] = FARM_BASE + farm[shared] * 3 + rng.integers(0, 3, size=shared.sum())


def assign_devices(rng: np.random.Generator, platform: np.ndarray, kinds: np.ndarray) -> Devices:
    devices = Devices(
        model=_popular(rng, platform, catalog.DEVICE_MODELS, MODEL_OFFSET),
        os_version=_popular(rng, platform, catalog.OS_VERSIONS, OS_OFFSET),
        ip=_ips(rng, kinds),
    )
    faked = np.isin(kinds, (BOT, SDK_SPOOFING))
    devices.model[faked] = _uniform(rng, platform[faked], catalog.DEVICE_MODELS, MODEL_OFFSET)
    devices.os_version[faked] = _uniform(rng, platform[faked], catalog.OS_VERSIONS, OS_OFFSET)
    _farm_traits(rng, platform, devices, kinds == DEVICE_FARM)
    return devices
