"""Stable colours per category, so "TikTok" is the same colour in every answer.

A category's colour comes from a hash of its name (md5, not ``hash()``,
which changes between processes).  Two categories in one chart that hash to
the same colour are separated by probing to the next free colour, in name
order so the outcome does not depend on row order.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

# Tableau 10 followed by ten more mid-to-dark colours: every one readable on white.
PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#79706e", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d",
    "#17becf", "#bcbd22", "#393b79", "#843c39",
)
PRIMARY = "#4e79a7"           # single-series charts
ANOMALY = "#d62728"
MOVING_AVERAGE = "#555555"
RESERVED = {"other": "#9e9e9e", "(null)": "#c7c7c7"}


def home_index(category: str) -> int:
    digest = hashlib.md5(category.strip().lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % len(PALETTE)


def colour_for(category: str) -> str:
    """The colour a category gets when nothing else in the chart competes for it."""
    return RESERVED.get(category.strip().lower()) or PALETTE[home_index(category)]


def assign_colours(categories: Iterable[str]) -> dict[str, str]:
    """Colours for the categories of one chart: stable, and distinct while the palette lasts."""
    names = sorted(set(categories))
    taken: set[int] = set()
    colours: dict[str, str] = {}
    for name in names:
        if name.strip().lower() in RESERVED:
            colours[name] = RESERVED[name.strip().lower()]
            continue
        index = home_index(name)
        for step in range(len(PALETTE)):
            if (index + step) % len(PALETTE) not in taken:
                index = (index + step) % len(PALETTE)
                break
        taken.add(index)
        colours[name] = PALETTE[index]
    return colours
