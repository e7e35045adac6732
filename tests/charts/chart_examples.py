"""Named result shapes for the chart tests, built in code like the demo data.

Each example is (columns, rows, choose_chart keyword arguments).  The values
use the same Python types the warehouses return (date, datetime, Decimal,
None) and the ClickHouse type names chdb reports.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

START = dt.date(2026, 1, 1)
SOURCES = ["Facebook", "Google", "TikTok", "Unity", "AppLovin", "ironSource", "Snapchat", "Apple Search Ads"]
COUNTRIES = ["US", "GB", "DE", "FR", "JP", "BR", "IN", "CA"]
CHANNELS = ["social", "search", "video", "display"]
FORMATS = ["video", "image", "playable", "banner", "text"]
FRAUD_TYPES = ["click_injection", "bot", "device_farm", "sdk_spoofing"]


def days(count: int, start: dt.date = START, step: int = 1) -> list[dt.date]:
    return [start + dt.timedelta(days=i * step) for i in range(count)]


def campaign_names(count: int) -> list[str]:
    return [f"{SOURCES[i % 8].replace(' ', '')}_{'iOS' if i % 2 else 'Android'}_{COUNTRIES[i % 8]}_"
            f"{['Lookalike', 'Broad', 'Retarget'][i % 3]}_{i:03d}" for i in range(count)]


def daily(count: int, base: float = 1000.0, seed: int = 7) -> list[float]:
    """A weekly rhythm with noise and one spike, like the demo's installs."""
    rng = random.Random(seed)
    values = [base * (1 + 0.2 * math.sin(i * 2 * math.pi / 7)) + rng.gauss(0, base * 0.03)
              for i in range(count)]
    if count > 40:
        values[count // 2] *= 2.5
    return [round(v, 2) for v in values]


def ranked(labels: list[str], seed: int = 3, scale: float = 100.0) -> list[tuple[str, float]]:
    rng = random.Random(seed)
    return sorted(((name, round(rng.uniform(1, scale), 2)) for name in labels), key=lambda r: -r[1])


def shuffled(rows: list, seed: int = 5) -> list:
    copy = list(rows)
    random.Random(seed).shuffle(copy)
    return copy


def lognormal(count: int, seed: int = 11) -> list[float]:
    rng = random.Random(seed)
    return [round(rng.lognormvariate(1.0, 1.2), 2) for _ in range(count)]


def by_day_and(labels: list[str], count: int, label: str = "media_source", measure: str = "installs"
               ) -> tuple[list, list]:
    columns = [("date", "DATE"), (label, "VARCHAR"), (measure, "BIGINT")]
    rows = [(d, lab, int(100 + 10 * j + i % 7))
            for i, d in enumerate(days(count)) for j, lab in enumerate(labels)]
    return columns, rows


def example(name: str):
    return EXAMPLES[name]()


EXAMPLES = {
    "kpi": lambda: ([("revenue", "DOUBLE")], [(Decimal("18234.50"),)], {"units": {"revenue": "USD"},
                                                                         "previous_value": 16000.0}),
    "bar": lambda: ([("platform", "VARCHAR"), ("installs", "BIGINT")], [("iOS", 81234), ("Android", 120456)],
                    {"units": {"installs": "count"}}),
    "horizontal_bar": lambda: ([("campaign_name", "VARCHAR"), ("roas", "DOUBLE")],
                               ranked(campaign_names(12), scale=5.0), {"intent": "rank"}),
    "grouped_bar": lambda: ([("media_source", "VARCHAR"), ("platform", "VARCHAR"), ("installs", "BIGINT")],
                            [(s, p, 1000 + 37 * i + (200 if p == "iOS" else 0))
                             for i, s in enumerate(SOURCES[:5]) for p in ("iOS", "Android")], {}),
    "stacked_bar": lambda: ([("month", "DATE"), ("platform", "VARCHAR"), ("installs", "BIGINT")],
                            [(dt.date(2026, m, 1), p, 30000 + 1000 * m + (5000 if p == "iOS" else 0))
                             for m in range(1, 7) for p in ("iOS", "Android")], {"intent": "share"}),
    "line": lambda: ([("date", "DATE"), ("installs", "BIGINT")], list(zip(days(120), daily(120))), {}),
    "multi_line": lambda: by_day_and(SOURCES, 60) + ({},),
    "area": lambda: by_day_and(CHANNELS, 90, label="channel") + ({"intent": "share"},),
    "scatter": lambda: ([("campaign_name", "VARCHAR"), ("cost", "DOUBLE"), ("installs", "BIGINT")],
                        [(n, round(500 + 97.0 * i, 2), 40 + 3 * i + (i * 7) % 11)
                         for i, n in enumerate(campaign_names(40))], {}),
    "histogram": lambda: ([("ltv", "DOUBLE")], [(v,) for v in lognormal(500)], {"units": {"ltv": "USD"}}),
    "pie": lambda: ([("channel", "VARCHAR"), ("installs", "BIGINT")],
                    [("social", 52000), ("search", 31000), ("video", 24000), ("display", 9000)],
                    {"intent": "share"}),
    "table": lambda: ([("campaign_id", "VARCHAR"), ("campaign_name", "VARCHAR"), ("platform", "VARCHAR")],
                      [(f"c{i:03d}", n, "iOS") for i, n in enumerate(campaign_names(5))], {}),
}
