"""Planted, labelled incidents: ground truth for the insight benchmarks (docs/insights.md).

``asklytics demo build --incidents SEED`` edits the freshly generated tables (before they are
committed, and before rollups are built from them) with a set of incidents drawn from SEED, and
writes their labels to a JSON file outside the warehouse. Without the option nothing here runs,
so the default demo stays the same data, row for row.

Kinds (each on one segment, for one to three days):

- ``installs_vanish``: a country's or a media source's installs vanish (a store listing down, an
  attribution break): 85-95% of its installs are removed, with the events of those users.
- ``cost_jump``: a media source's cost is multiplied by 1.8-3 (a bidding bug); clicks and
  impressions stay, so CPI, CPC and CPM jump with it.
- ``fraud_spike``: 30-45% of a media source's clean installs become fraudulent, of the kinds its
  platform usually sees (``fraud.TYPE_MIX``: click injection only on Android).
- ``revenue_drop``: a platform's or a country's revenue falls to 20-40% (a broken store payment).

Incidents are placed at least a week and a day apart from each other and from the generator's own
anomalies (``calendar.py``), so every incident's baseline (the same weekday a week earlier, or the
days before it) is clean. The labels also list the built-in anomalies, so a detector that finds
them is not counted wrong.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from warehouse.demo import catalog
from warehouse.demo.calendar import (
    FRAUD_SPIKE,
    N_DAYS,
    ORGANIC_FEATURING,
    PAID_TRACKING_OUTAGE,
    SALE_DAYS,
    SDK_OUTAGE_DAY,
    WINDOW_START,
)
from warehouse.demo.fraud import TYPE_MIX

KINDS = ("installs_vanish", "cost_jump", "fraud_spike", "revenue_drop")
COUNT = 6
FIRST_DAY = 28  # four weeks of history before the first incident
MARGIN = 8  # days kept clear before and after every incident (a week-earlier baseline stays clean)
# Segments large enough to matter: the share of the metric a segment must hold (last four weeks).
MIN_SHARE = {"installs_vanish": 0.10, "cost_jump": 0.08, "fraud_spike": 0.04, "revenue_drop": 0.15}
# Which metrics of the demo model each kind moves (the first is the one it is about).
METRICS = {
    "installs_vanish": ["installs", "paid_installs", "organic_installs", "cpi", "cvr", "dau", "revenue"],
    "cost_jump": ["cost", "cpi", "cpc", "cpm", "roas"],
    "fraud_spike": ["fraud_installs", "fraud_rate"],
    "revenue_drop": ["revenue", "arpu", "arppu", "roas", "attributed_revenue"],
}
# The ratio metric each kind is explained on as well (mix and rate; docs/insights.md).
RATIO = {"installs_vanish": None, "cost_jump": "cpi", "fraud_spike": "fraud_rate", "revenue_drop": "arpu"}


@dataclass(frozen=True)
class Incident:
    id: str
    kind: str
    start: str  # ISO dates, inclusive
    end: str
    dimension: str
    segment: str
    metric: str  # the metric it is about
    ratio_metric: str | None  # a ratio it shows in (explained by the same segment)
    metrics: list[str]  # every metric it moves
    direction: str  # "drop" | "spike"
    factor: float  # what is kept (vanish, drop) or the multiplier (jump) or the fraud share (spike)


BUILT_IN = [  # the generator's own anomalies (calendar.py), labelled for the detectors
    {"id": "organic_featuring", "start": ORGANIC_FEATURING, "metrics": ["installs", "organic_installs"],
     "direction": "spike"},
    {"id": "paid_tracking_outage", "start": PAID_TRACKING_OUTAGE,
     # cost too: the networks bill 60% of the installs they expected that day (spend.py: _billed_installs)
     "metrics": ["installs", "paid_installs", "cpi", "cvr", "cost", "cpc", "cpm"], "direction": "drop"},
    {"id": "fraud_spike_tiktok", "start": FRAUD_SPIKE, "metrics": ["fraud_rate", "fraud_installs"],
     "direction": "spike"},
    {"id": "sdk_outage", "start": (SDK_OUTAGE_DAY, SDK_OUTAGE_DAY),
     "metrics": ["revenue", "sessions", "dau", "active_users", "event_count", "arpu"], "direction": "drop"},
    {"id": "sale", "start": SALE_DAYS, "metrics": ["revenue", "arpu", "arppu", "paying_users"],
     "direction": "spike"},
]


def _date(day: int) -> dt.date:
    return WINDOW_START + dt.timedelta(days=int(day))


def built_in_labels() -> list[dict]:
    return [{"id": b["id"], "start": _date(b["start"][0]).isoformat(),
             "end": _date(b["start"][1]).isoformat(), "metrics": b["metrics"], "direction": b["direction"]}
            for b in BUILT_IN]


def _place(rng: np.random.Generator, lengths: list[int]) -> list[int]:
    """Start days, each incident MARGIN days clear of the others and of the built-in anomalies."""
    taken = np.zeros(N_DAYS + MARGIN, dtype=bool)  # days with an anomaly
    for b in BUILT_IN:
        taken[b["start"][0]: b["start"][1] + 1] = True
    starts = []
    for length in lengths:
        free = [d for d in range(FIRST_DAY, N_DAYS - length)
                if not taken[max(0, d - MARGIN): d + length + MARGIN].any()]
        if not free:
            raise ValueError("no room left in the window for another incident; try another incidents seed")
        start = int(rng.choice(free))
        taken[start: start + length] = True
        starts.append(start)
    return starts


_SHARE_SQL = {
    ("installs_vanish", "country"): "SELECT country, count(*) FROM installs {where} GROUP BY 1",
    ("installs_vanish", "media_source"): "SELECT media_source, count(*) FROM installs JOIN campaigns "
                                         "USING (campaign_id) {where} GROUP BY 1",
    ("cost_jump", "media_source"): "SELECT media_source, sum(cost) FROM ad_spend JOIN campaigns "
                                   "USING (campaign_id) {where_spend} GROUP BY 1",
    ("fraud_spike", "media_source"): "SELECT media_source, count(*) FROM installs JOIN campaigns "
                                     "USING (campaign_id) {where} GROUP BY 1",
    ("revenue_drop", "platform"): "SELECT i.platform, sum(e.revenue) FROM events e JOIN installs i "
                                  "USING (user_id) {where_events} GROUP BY 1",
    ("revenue_drop", "country"): "SELECT i.country, sum(e.revenue) FROM events e JOIN installs i "
                                 "USING (user_id) {where_events} GROUP BY 1",
}
DIMENSIONS = {"installs_vanish": ("country", "media_source"), "cost_jump": ("media_source",),
              "fraud_spike": ("media_source",), "revenue_drop": ("platform", "country")}


def _segment(con, rng, kind: str, start: int) -> tuple[str, str]:
    """A dimension and one of its values holding at least MIN_SHARE of the metric in the four weeks
    before the incident."""
    dimension = str(rng.choice(DIMENSIONS[kind]))
    first, last = _date(max(0, start - 28)).isoformat(), _date(start - 1).isoformat()
    sql = _SHARE_SQL[(kind, dimension)].format(
        where=f"WHERE install_time::DATE BETWEEN '{first}' AND '{last}'",
        where_spend=f"WHERE date BETWEEN '{first}' AND '{last}'",
        where_events=f"WHERE e.event_time::DATE BETWEEN '{first}' AND '{last}'")
    rows = sorted((str(v), float(a or 0)) for v, a in con.execute(sql).fetchall() if v is not None)
    total = sum(a for _, a in rows)
    large = [v for v, a in rows if total and a / total >= MIN_SHARE[kind]]
    return dimension, str(rng.choice(large))


def _ids(con, sql: str) -> list[str]:
    return [row[0] for row in con.execute(sql).fetchall()]


def _pick(rng, ids: list[str], share: float) -> pa.Table:
    chosen = np.asarray(ids)[rng.random(len(ids)) < share] if ids else np.asarray([], dtype=str)
    return pa.table({"id": pa.array([str(i) for i in chosen], type=pa.string())})


def _in_segment(dimension: str, value: str) -> str:
    if dimension == "media_source":
        return (f"campaign_id IN (SELECT campaign_id FROM campaigns WHERE media_source = '{value}')")
    return f"{dimension} = '{value}'"


def _apply(con, rng, incident: Incident) -> None:
    days = f"BETWEEN DATE '{incident.start}' AND DATE '{incident.end}'"
    segment = _in_segment(incident.dimension, incident.segment)
    if incident.kind == "installs_vanish":
        ids = _ids(con, f"SELECT install_id FROM installs WHERE install_time::DATE {days} AND {segment} "
                        "ORDER BY install_id")
        con.register("gone", _pick(rng, ids, 1 - incident.factor))
        con.execute("DELETE FROM events WHERE user_id IN (SELECT user_id FROM installs WHERE install_id IN "
                    "(SELECT id FROM gone))")
        con.execute("DELETE FROM installs WHERE install_id IN (SELECT id FROM gone)")
        con.unregister("gone")
    elif incident.kind == "cost_jump":
        con.execute(f"UPDATE ad_spend SET cost = round(cost * {incident.factor}, 2) "
                    f"WHERE date {days} AND {segment}")
    elif incident.kind == "fraud_spike":
        for platform, mix in TYPE_MIX.items():
            ids = _ids(con, f"SELECT install_id FROM installs WHERE install_time::DATE {days} AND {segment} "
                            f"AND platform = '{catalog.PLATFORMS[platform]}' AND NOT is_fraud "
                            "ORDER BY install_id")
            flipped = _pick(rng, ids, incident.factor)
            kinds = rng.choice(len(mix), size=flipped.num_rows, p=mix)
            flipped = flipped.append_column("kind", pa.array([catalog.FRAUD_TYPES[k] for k in kinds],
                                                             type=pa.string()))
            con.register("flipped", flipped)
            con.execute("UPDATE installs SET is_fraud = true, fraud_type = flipped.kind FROM flipped "
                        "WHERE installs.install_id = flipped.id")
            con.unregister("flipped")
    elif incident.kind == "revenue_drop":
        con.execute(f"UPDATE events SET revenue = round(revenue * {incident.factor}, 2) "
                    f"WHERE revenue > 0 AND event_time::DATE {days} "
                    f"AND user_id IN (SELECT user_id FROM installs WHERE {segment})")


_FACTORS = {"installs_vanish": (0.05, 0.15), "cost_jump": (1.8, 3.0), "fraud_spike": (0.30, 0.45),
            "revenue_drop": (0.2, 0.4)}


def plant_incidents(con, seed: int, count: int = COUNT) -> list[Incident]:
    """Draw ``count`` incidents from ``seed`` and apply them to the tables on ``con``."""
    rng = np.random.default_rng(seed)
    kinds = [KINDS[i % len(KINDS)] for i in range(count)]
    rng.shuffle(kinds)
    lengths = [int(rng.integers(1, 4)) for _ in kinds]
    planted = []
    for n, (kind, length, start) in enumerate(zip(kinds, lengths, _place(rng, lengths)), 1):
        dimension, segment = _segment(con, rng, kind, start)
        low, high = _FACTORS[kind]
        factor = round(float(rng.uniform(low, high)), 2)
        incident = Incident(
            id=f"incident_{n}", kind=kind, start=_date(start).isoformat(),
            end=_date(start + length - 1).isoformat(), dimension=dimension, segment=segment,
            metric=METRICS[kind][0], ratio_metric=RATIO[kind], metrics=METRICS[kind],
            direction="spike" if kind in ("cost_jump", "fraud_spike") else "drop", factor=factor)
        _apply(con, rng, incident)
        planted.append(incident)
    return sorted(planted, key=lambda i: i.start)


def write_labels(path: Path, seed: int, warehouse: Path, incidents: list[Incident], meta: dict) -> None:
    labels = {"incidents_seed": seed, "warehouse": str(warehouse), **meta,
              "incidents": [asdict(i) for i in incidents], "built_in": built_in_labels()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(labels, indent=2) + "\n")


def default_labels_path(warehouse: Path) -> Path:
    """``demo.duckdb`` -> ``demo.incidents.json`` beside it (never inside the warehouse)."""
    return warehouse.with_name(warehouse.stem + ".incidents.json")
