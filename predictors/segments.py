"""RFM segments of paying users at an as-of date (issue #22; docs/models.md, "RFM segments").

A paying user has at least one revenue event (revenue > 0) before ``as_of``. Over those events:
recency is whole days from the last one's date to ``as_of`` (1 = the day before), frequency is
their count and monetary their revenue in USD, rounded to cents (a float sum depends on the
order of its terms: equal spenders must tie exactly). Each measure gets a quintile score 1-5
(5 = best: most recent, most frequent, most revenue) and the R and F scores name the segment
(``SEGMENT_GRID``).

Quintiles with ties: score = 1 + floor(5 * (rank - 1) / n), where rank is RANK() (tied values
share their lowest rank) ordered from worst to best. Equal measures always get equal scores;
with many ties (a third of payers paid once) the five groups are not equal in size, which
beats giving identical users different scores (NTILE splits ties by an arbitrary order).
Not a trained model: no registry, and ``model_version`` names the definition and the as-of date.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from predictors.features.base import FeatureQuery, FrameSource, ts

TABLE = "user_segments"
DEFINITION = "rfm-1"  # bump when the scores or the grid change
SCORE_COLUMNS = ("r_score", "f_score", "m_score")

# The common R x F grid of RFM segment names, first match wins (R rows, F columns):
#            F=1             F=2                  F=3                  F=4         F=5
#   R=5  new customers   potential loyalists  potential loyalists  champions   champions
#   R=4  promising       potential loyalists  potential loyalists  loyal       loyal
#   R=3  about to sleep  about to sleep       need attention       loyal       loyal
#   R=2  hibernating     hibernating          at risk              at risk     can't lose them
#   R=1  lost            hibernating          at risk              at risk     can't lose them
# "lost" is the grid's hibernating corner at its lowest (R=1, F=1): oldest and bought once.
SEGMENT_GRID: tuple[tuple[str, tuple[int, int], tuple[int, int]], ...] = (
    ("champions", (5, 5), (4, 5)),
    ("loyal", (3, 4), (4, 5)),
    ("potential loyalists", (4, 5), (2, 3)),
    ("new customers", (5, 5), (1, 1)),
    ("promising", (4, 4), (1, 1)),
    ("need attention", (3, 3), (3, 3)),
    ("about to sleep", (3, 3), (1, 2)),
    ("at risk", (1, 2), (3, 4)),
    ("can't lose them", (1, 2), (5, 5)),
    ("lost", (1, 1), (1, 1)),
    ("hibernating", (1, 2), (1, 2)),
)
SEGMENTS: tuple[str, ...] = tuple(name for name, _, _ in SEGMENT_GRID)


def rfm_segment(r_score: int, f_score: int) -> str:
    """The segment of one pair of scores (the grid above)."""
    for name, (r_low, r_high), (f_low, f_high) in SEGMENT_GRID:
        if r_low <= r_score <= r_high and f_low <= f_score <= f_high:
            return name
    raise ValueError(f"scores must be 1-5, got R={r_score} F={f_score}")


def _segment_case() -> str:
    arms = [f"WHEN r_score BETWEEN {r[0]} AND {r[1]} AND f_score BETWEEN {f[0]} AND {f[1]} "
            f"THEN '{name.replace(chr(39), chr(39) * 2)}'" for name, r, f in SEGMENT_GRID]
    return "CASE " + " ".join(arms) + " END"


def _quintile(order: str) -> str:
    return f"CAST(1 + floor(5 * (rank() OVER (ORDER BY {order}) - 1) / count(*) OVER ()) AS INTEGER)"


_SQL = """
WITH payers AS (
    SELECT user_id, {as_of_date} - max(CAST(event_time AS DATE)) AS recency_days,
           count(*) AS frequency, round(sum(revenue), 2) AS monetary
    FROM events WHERE event_time < {cut} AND revenue > 0
    GROUP BY user_id
),
scored AS (
    SELECT user_id, recency_days, frequency, monetary,
           {r} AS r_score, {f} AS f_score, {m} AS m_score
    FROM payers
)
SELECT user_id, {segment} AS rfm_segment, r_score, f_score, m_score, recency_days, frequency, monetary
FROM scored ORDER BY user_id
"""


def rfm_query(as_of: dt.date) -> FeatureQuery:
    """One row per paying user: segment, the three scores and the measures behind them."""
    return FeatureQuery(_SQL.format(as_of_date=f"DATE '{as_of:%Y-%m-%d}'", cut=ts(as_of),
                                    r=_quintile("recency_days DESC"), f=_quintile("frequency"),
                                    m=_quintile("monetary"), segment=_segment_case()))


def rfm_segments(source: FrameSource, as_of: dt.date, scored_at: dt.datetime) -> pd.DataFrame:
    """The ``user_segments`` rows (plus recency_days, frequency, monetary) at ``as_of``."""
    frame = source.frame(rfm_query(as_of))
    frame["model_version"] = f"{DEFINITION}@{as_of:%Y-%m-%d}"
    frame["scored_at"] = pd.Timestamp(scored_at)
    return frame


def user_segments(source: FrameSource, as_of: dt.date, scored_at: dt.datetime):
    """``(user_segments rows, cluster_profiles rows, clustering)``: one row per user installed before
    ``as_of`` with their behavioural cluster (``predictors/clusters.py``) and, for paying users, their
    RFM segment and scores (NULL for users who never paid)."""
    from predictors.clusters import cluster_users

    rfm = rfm_segments(source, as_of, scored_at)
    clustering = cluster_users(source, as_of)
    version = f"{DEFINITION}+{clustering.version.split('@')[0]}(k={clustering.k})@{as_of:%Y-%m-%d}"
    rows = clustering.users[["user_id", "cluster"]].merge(
        rfm[["user_id", "rfm_segment", *SCORE_COLUMNS]], on="user_id", how="outer")
    for column in SCORE_COLUMNS:
        rows[column] = rows[column].astype("Int64")
    rows["cluster"] = rows["cluster"].astype("Int64")
    rows = rows.sort_values("user_id", kind="stable").reset_index(drop=True)
    rows["model_version"] = version
    rows["scored_at"] = pd.Timestamp(scored_at)
    profiles = clustering.profiles.assign(model_version=version, scored_at=pd.Timestamp(scored_at))
    return rows, profiles, clustering
