"""Rows of the segment tools (#22), read from the tables ``asklytics score`` wrote (latest run).

``segment_overview``: RFM segment sizes and revenue ("segment our paying users"); ``segment_members``:
the users of an RFM segment or behavioural cluster with filters ("who are our champions in
Brazil?"); ``cluster_profile``: what sets a cluster apart ("describe cluster 3"). Every query is
our own SQL with bound parameters, run through the read-only warehouse connector (translated to
its dialect by ``WarehouseSource``); nothing in it comes from a model.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from predictors.clusters import FEATURES as CLUSTER_FEATURES
from predictors.clusters import WORDS
from predictors.describe import label
from predictors.features.base import Cohort, FeatureQuery, FrameSource, ts
from predictors.segments import SEGMENTS
from warehouse.base import Column

LATEST = "scored_at = (SELECT max(scored_at) FROM {table})"
NOT_SCORED = "segments are not scored yet; run `asklytics score --model rfm`"


class SegmentLookupError(LookupError):
    """Nothing matches (no such cluster); the message is for the user."""


@dataclass
class SegmentAnswer:
    columns: list[Column]
    rows: list[tuple]
    narrative: str
    model_version: str
    extra: dict = field(default_factory=dict)


_MEMBERS = """
WITH s AS (
    SELECT user_id, rfm_segment, cluster, model_version FROM user_segments
    WHERE scored_at = (SELECT max(scored_at) FROM user_segments) AND {who}
),
members AS (
    SELECT s.user_id, s.rfm_segment, s.cluster, s.model_version, i.country, i.platform,
           coalesce(c.media_source, 'organic') AS media_source, CAST(i.install_time AS DATE) AS install_date
    FROM s JOIN installs i ON i.user_id = s.user_id LEFT JOIN campaigns c ON c.campaign_id = i.campaign_id
    WHERE {where}
),
spend AS (
    SELECT e.user_id, sum(e.revenue) AS revenue, count(*) AS purchases, max(e.event_time) AS last_purchase
    FROM events e JOIN members m ON m.user_id = e.user_id
    WHERE e.revenue > 0 AND e.event_time < {cut}
    GROUP BY e.user_id
)
"""


def _types(frame: pd.DataFrame) -> list[Column]:
    kinds = {"f": "DOUBLE", "i": "BIGINT", "u": "BIGINT"}
    return [Column(c, kinds.get(frame[c].dtype.kind, "VARCHAR")) for c in frame.columns]


def _rows(frame: pd.DataFrame) -> list[tuple]:
    def plain(value):
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            return None
        return value.item() if hasattr(value, "item") else value

    return [tuple(plain(v) for v in row) for row in frame.itertuples(index=False)]


def _version(frame: pd.DataFrame) -> str:
    return str(frame["model_version"].iloc[0]) if len(frame) and "model_version" in frame else ""


def segment_overview(source: FrameSource, cohort: Cohort, as_of: dt.date) -> SegmentAnswer:
    """One row per RFM segment of the cohort's paying users: users, share, revenue, purchases, recency."""
    where, params = cohort.where("user_id")
    sql = _MEMBERS.format(who="rfm_segment IS NOT NULL", where=where, cut=ts(as_of)) + f"""
SELECT m.rfm_segment, count(*) AS users, coalesce(sum(sp.revenue), 0) AS revenue,
       avg(sp.purchases) AS purchases_per_user,
       avg(date_diff('day', CAST(sp.last_purchase AS DATE), DATE '{as_of:%Y-%m-%d}'))
           AS avg_days_since_last_purchase,
       any_value(m.model_version) AS model_version
FROM members m LEFT JOIN spend sp ON sp.user_id = m.user_id
GROUP BY m.rfm_segment
"""
    frame = source.frame(FeatureQuery(sql, params))
    version = _version(frame)
    if frame.empty:
        return SegmentAnswer([], [], "No paying users match these filters.", version, {"matched": 0})
    total_users, total_revenue = int(frame["users"].sum()), float(frame["revenue"].sum())
    frame["users"] = frame["users"].astype("int64")
    frame["share_of_users"] = frame["users"] / total_users
    frame["share_of_revenue"] = frame["revenue"] / total_revenue if total_revenue else 0.0
    frame["revenue_per_user"] = frame["revenue"] / frame["users"]
    order = {name: rank for rank, name in enumerate(SEGMENTS)}
    frame = frame.sort_values(["revenue", "rfm_segment"], ascending=[False, True], kind="stable",
                              key=lambda col: col if col.name != "rfm_segment" else col.map(order))
    frame = frame[["rfm_segment", "users", "share_of_users", "revenue", "share_of_revenue",
                   "revenue_per_user",
                   "purchases_per_user", "avg_days_since_last_purchase"]]
    top = frame.iloc[0]
    champions = frame[frame["rfm_segment"] == "champions"]
    narrative = (f"{total_users:,} paying users in {len(frame)} RFM segments, "
                 f"${total_revenue:,.2f} of revenue before {as_of}. "
                 f"The most revenue comes from {top['rfm_segment']} "
                 f"({int(top['users']):,} users, {top['share_of_revenue']:.0%} of the revenue)")
    if len(champions) and champions.iloc[0]["rfm_segment"] != top["rfm_segment"]:
        c = champions.iloc[0]
        narrative += f"; champions are {int(c['users']):,} users with {c['share_of_revenue']:.0%} of it"
    narrative += f". Segments of run {version} (docs/models.md, \"RFM segments\")."
    return SegmentAnswer(_types(frame), _rows(frame), narrative, version, {"matched": total_users})


def segment_members(source: FrameSource, cohort: Cohort, as_of: dt.date, rfm_segment: str | None,
                    cluster: int | None, limit: int) -> SegmentAnswer:
    """The users of a segment and/or cluster matching the cohort, most revenue first."""
    who, who_params = ["TRUE"], []
    if rfm_segment is not None:
        who.append("rfm_segment = ?")
        who_params.append(rfm_segment)
    if cluster is not None:
        who.append("cluster = ?")
        who_params.append(int(cluster))
    where, params = cohort.where("user_id")
    head = _MEMBERS.format(who=" AND ".join(who), where=where, cut=ts(as_of))
    counted = source.frame(FeatureQuery(
        head + "SELECT count(*) AS n, coalesce(sum(sp.revenue), 0) AS revenue, "
               "any_value(m.model_version) AS model_version "
               "FROM members m LEFT JOIN spend sp ON sp.user_id = m.user_id", [*who_params, *params]))
    matched = int(counted.iloc[0]["n"]) if len(counted) else 0
    version = str(counted.iloc[0]["model_version"]) if matched else ""
    name = _who(rfm_segment, cluster)
    if matched == 0:
        return SegmentAnswer([], [], f"No {name} match these filters.", version, {"matched": 0})
    top = source.frame(FeatureQuery(head + f"""
SELECT m.user_id, m.rfm_segment, m.cluster, m.country, m.platform, m.media_source, m.install_date,
       coalesce(sp.revenue, 0) AS revenue, coalesce(sp.purchases, 0) AS purchases,
       date_diff('day', CAST(sp.last_purchase AS DATE), DATE '{as_of:%Y-%m-%d}') AS days_since_last_purchase
FROM members m LEFT JOIN spend sp ON sp.user_id = m.user_id
ORDER BY revenue DESC, m.user_id LIMIT {int(limit)}""", [*who_params, *params]))
    top = top.sort_values(["revenue", "user_id"], ascending=[False, True], kind="stable")
    top["install_date"] = top["install_date"].astype(str)
    top["cluster"] = top["cluster"].astype("Int64")
    shown = f"; showing the {len(top)} with the most revenue" if len(top) < matched else ""
    narrative = (f"{matched:,} {name} match; together ${float(counted.iloc[0]['revenue']):,.2f} of revenue "
                 f"before {as_of}{shown}. Segments of run {version}.")
    return SegmentAnswer(_types(top), _rows(top), narrative, version, {"matched": matched})


def _who(rfm_segment: str | None, cluster: int | None) -> str:
    parts = []
    if rfm_segment is not None:
        parts.append(f"'{rfm_segment}' users")
    if cluster is not None:
        parts.append(f"users of cluster {cluster}" if not parts else f"in cluster {cluster}")
    return " ".join(parts) or "users"


def cluster_profile(source: FrameSource, cluster: int | None) -> SegmentAnswer:
    """Every cluster in one line each, or one cluster's features against the population."""
    profiles = source.frame(FeatureQuery(
        "SELECT * FROM cluster_profiles WHERE scored_at = (SELECT max(scored_at) FROM cluster_profiles)"))
    if profiles.empty:
        raise SegmentLookupError(f"behavioural {NOT_SCORED}")
    profiles = profiles.sort_values("cluster").reset_index(drop=True)
    version, k = _version(profiles), len(profiles)
    if cluster is None:
        frame = profiles[["cluster", "users", "share", "description"]].copy()
        frame["cluster"], frame["users"] = frame["cluster"].astype("int64"), frame["users"].astype("int64")
        lines = "; ".join(f"cluster {r.cluster} ({r.share:.0%}): {r.description.split(' (')[0]}"
                          for r in frame.itertuples())
        narrative = (f"{k} behavioural clusters of {int(frame['users'].sum()):,} users: {lines}. "
                     f"Run {version}.")
        return SegmentAnswer(_types(frame), _rows(frame), narrative, version, {"k": k})
    chosen = profiles[profiles["cluster"] == cluster]
    if chosen.empty:
        raise SegmentLookupError(f"there is no cluster {cluster}: the latest run has clusters 1-{k}")
    row = chosen.iloc[0]
    weights = profiles["users"].astype("float64")
    records = []
    for f in CLUSTER_FEATURES:
        z = float(row[f"z_{f}"])
        everyone = float((profiles[f"mean_{f}"] * weights).sum() / weights.sum())
        records.append({"feature": label(f) if f not in _OWN_LABELS else _OWN_LABELS[f],
                        "cluster_average": float(row[f"mean_{f}"]), "all_users_average": everyone,
                        "cluster_median": float(row[f"median_{f}"]), "z_score": z,
                        "effect": (WORDS[f][0] if z > 0 else WORDS[f][1]).format(much="")})
    frame = pd.DataFrame(records).sort_values("z_score", key=lambda s: -s.abs(), kind="stable")
    narrative = (f"Cluster {cluster} holds {int(row['users']):,} users ({float(row['share']):.0%}): "
                 f"{row['description']}. Behavioural clusters of run {version}; z is the cluster's mean "
                 "of the standardized log feature (0 = the average user).")
    return SegmentAnswer(_types(frame), _rows(frame), narrative, version,
                         {"k": k, "users": int(row["users"])})


_OWN_LABELS = {"days_since_last_seen": "days since last seen",
               "active_days_30d": "active days in the last 30 days",
               "level_ups_total": "level-ups since install"}
