"""Behavioural clusters of users at an as-of date (issue #22; docs/models.md, "Behavioural clusters").

Every user installed before ``as_of`` gets eight activity, spend and tenure features from the data
before ``as_of`` (``FEATURES``). Counts and money are heavy-tailed (a few whales, most users pay
nothing), so each feature is taken as log(1 + x) and then standardized (mean 0, sd 1); k-means runs
on that. k is the one of ``K_RANGE`` with the highest silhouette on a fixed random sample of users,
the final fit uses every user. Clusters are numbered 1..k from the largest to the smallest, so the
numbers do not depend on k-means' arbitrary label order.

A cluster is described by its distinguishing features: the cluster's mean of each standardized
feature is its z-score against the whole population (the population's mean is 0 and its sd 1), and
the features with the largest |z| are written in plain words with the cluster's average next to
everyone's (``cluster_profiles`` keeps each cluster's z-scores, averages and medians). Not a
trained model: nothing is registered; ``model_version`` names the definition, k and the as-of
date, and ``asklytics score`` refits at each run (same data and seed, same clusters).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from predictors.features.base import FeatureQuery, FrameSource, ts

DEFINITION = "kmeans-1"  # bump when the features, the transform or the selection rule change
K_RANGE = range(3, 9)
SEED = 0
SELECTION_SAMPLE = 20_000  # users the silhouette of each k is computed on (fixed sample)
N_INIT = 4
MIN_USERS = 50
DESCRIBED_FEATURES = 3  # at most this many distinguishing features per cluster
DISTINGUISHING_Z = 0.5  # below this |z| a feature does not set a cluster apart

FEATURES: tuple[str, ...] = (
    "days_since_install", "days_since_last_seen", "sessions_total", "sessions_30d", "active_days_30d",
    "level_ups_total", "purchases_total", "revenue_total",
)
# feature -> (words when the cluster is above the population, words when below, unit of its median);
# "{much}" becomes "much " for |z| >= 1.5
WORDS: dict[str, tuple[str, str, str]] = {
    "days_since_install": ("installed {much}longer ago", "installed {much}more recently", "days"),
    "days_since_last_seen": ("last seen {much}longer ago", "seen {much}more recently", "days"),
    "sessions_total": ("{much}more sessions since install", "{much}fewer sessions since install", "count"),
    "sessions_30d": ("{much}more sessions in the last 30 days", "{much}fewer sessions in the last 30 days",
                     "count"),
    "active_days_30d": ("{much}more active days in the last 30 days",
                        "{much}fewer active days in the last 30 days", "count"),
    "level_ups_total": ("{much}more level-ups", "{much}fewer level-ups", "count"),
    "purchases_total": ("{much}more purchases", "{much}fewer purchases", "count"),
    "revenue_total": ("{much}more spend since install", "{much}less spend since install", "usd"),
}

_SQL = """
WITH ev AS (SELECT user_id, event_time, event_name, revenue FROM events WHERE event_time < {cut}),
per_user AS (
    SELECT user_id,
           count(*) FILTER (WHERE event_name = 'session_start') AS sessions_total,
           count(*) FILTER (WHERE event_name = 'session_start' AND event_time >= {cut} - INTERVAL 30 DAY)
               AS sessions_30d,
           count(DISTINCT CAST(event_time AS DATE)) FILTER (WHERE event_time >= {cut} - INTERVAL 30 DAY)
               AS active_days_30d,
           count(*) FILTER (WHERE event_name = 'level_up') AS level_ups_total,
           count(*) FILTER (WHERE revenue > 0) AS purchases_total,
           coalesce(sum(revenue), 0) AS revenue_total,
           max(event_time) AS last_seen
    FROM ev GROUP BY user_id
)
SELECT i.user_id,
       date_diff('day', i.install_time, {cut}) AS days_since_install,
       date_diff('day', coalesce(p.last_seen, i.install_time), {cut}) AS days_since_last_seen,
       coalesce(p.sessions_total, 0) AS sessions_total, coalesce(p.sessions_30d, 0) AS sessions_30d,
       coalesce(p.active_days_30d, 0) AS active_days_30d, coalesce(p.level_ups_total, 0) AS level_ups_total,
       coalesce(p.purchases_total, 0) AS purchases_total, coalesce(p.revenue_total, 0) AS revenue_total
FROM installs i LEFT JOIN per_user p ON p.user_id = i.user_id
WHERE i.install_time < {cut}
ORDER BY i.user_id
"""


def feature_query(as_of: dt.date) -> FeatureQuery:
    """One row per user installed before ``as_of``: the clustering features, from data before it."""
    return FeatureQuery(_SQL.format(cut=ts(as_of)))


def standardized(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(matrix, mean, sd): log(1 + x) of each feature, standardized over these users."""
    logged = np.log1p(frame[list(FEATURES)].astype("float64").clip(lower=0).to_numpy())
    mean, sd = logged.mean(axis=0), logged.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)  # a constant feature stays 0 everywhere
    return (logged - mean) / sd, mean, sd


def fit_kmeans(matrix: np.ndarray, k: int, seed: int = SEED) -> np.ndarray:
    """Labels 1..k of a k-means fit, numbered by cluster size (largest first; ties by centroid)."""
    from sklearn.cluster import KMeans

    model = KMeans(n_clusters=k, n_init=N_INIT, random_state=seed).fit(matrix)
    sizes = np.bincount(model.labels_, minlength=k)
    order = sorted(range(k), key=lambda c: (-sizes[c], tuple(np.round(model.cluster_centers_[c], 6))))
    number = np.empty(k, dtype=np.int64)
    number[order] = np.arange(1, k + 1)
    return number[model.labels_]


def choose_k(matrix: np.ndarray, seed: int = SEED) -> tuple[int, dict[int, float]]:
    """The k of ``K_RANGE`` with the highest silhouette on a fixed sample, and every k's silhouette."""
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(seed)
    sample = matrix[rng.choice(len(matrix), SELECTION_SAMPLE, replace=False)] \
        if len(matrix) > SELECTION_SAMPLE else matrix
    scores = {}
    for k in K_RANGE:
        if k >= len(sample):
            break
        labels = fit_kmeans(sample, k, seed)
        scores[k] = round(float(silhouette_score(sample, labels, sample_size=min(len(sample), 10_000),
                                                 random_state=seed)), 4)
    best = max(scores, key=lambda k: (scores[k], -k))
    return best, scores


def stability(matrix: np.ndarray, k: int, labels: np.ndarray, seeds=(1, 2, 3, 4)) -> dict[int, float]:
    """Adjusted Rand index between the clusters of ``SEED`` and a refit with each other seed."""
    from sklearn.metrics import adjusted_rand_score

    return {seed: round(float(adjusted_rand_score(labels, fit_kmeans(matrix, k, seed))), 4) for seed in seeds}


@dataclass
class Clustering:
    """Users with their cluster, and what sets each cluster apart."""

    users: pd.DataFrame  # user_id, cluster (1..k), the features
    k: int
    silhouettes: dict[int, float]
    profiles: pd.DataFrame  # one row per cluster: users, share, description, z_<f>, mean_<f>, median_<f>
    version: str
    extra: dict = field(default_factory=dict)


def cluster_users(source: FrameSource, as_of: dt.date) -> Clustering:
    frame = source.frame(feature_query(as_of))
    if len(frame) < MIN_USERS:
        raise ValueError(f"only {len(frame)} users installed before {as_of}; clustering needs {MIN_USERS}")
    matrix, _, _ = standardized(frame)
    k, silhouettes = choose_k(matrix)
    labels = fit_kmeans(matrix, k)
    users = frame.assign(cluster=labels)
    return Clustering(users, k, silhouettes, profiles(users, matrix, k),
                      f"{DEFINITION}@{as_of:%Y-%m-%d}", {"matrix": matrix})


def profiles(users: pd.DataFrame, matrix: np.ndarray, k: int) -> pd.DataFrame:
    """Per cluster: size, share, z-score and median of each feature, and the plain-words description."""
    labels = users["cluster"].to_numpy()
    overall = users[list(FEATURES)].mean()
    rows = []
    for cluster in range(1, k + 1):
        inside = labels == cluster
        z = matrix[inside].mean(axis=0)
        means = users.loc[inside, list(FEATURES)].mean()
        medians = users.loc[inside, list(FEATURES)].median()
        row = {"cluster": cluster, "users": int(inside.sum()), "share": round(float(inside.mean()), 4)}
        row["description"] = describe(dict(zip(FEATURES, z, strict=True)), means, overall)
        row.update({f"z_{f}": round(float(v), 3) for f, v in zip(FEATURES, z, strict=True)})
        row.update({f"mean_{f}": round(float(means[f]), 4) for f in FEATURES})
        row.update({f"median_{f}": float(medians[f]) for f in FEATURES})
        rows.append(row)
    return pd.DataFrame(rows)


def _amount(feature: str, value: float) -> str:
    kind = WORDS[feature][2]
    if kind == "usd":
        return f"${value:,.2f}"
    if kind == "days":
        return f"{value:,.0f} days"
    return f"{value:,.1f}"


def describe(z: dict[str, float], means: pd.Series, overall: pd.Series) -> str:
    """'more sessions in the last 30 days (average 12.4 vs 2.3 for all users, z +1.8); ...'"""
    ranked = sorted(z, key=lambda f: -abs(z[f]))
    chosen = [f for f in ranked if abs(z[f]) >= DISTINGUISHING_Z][:DESCRIBED_FEATURES]
    if not chosen:
        return "close to the average user on every feature (no |z| of 0.5 or more)"
    parts = []
    for f in chosen:
        words = (WORDS[f][0] if z[f] > 0 else WORDS[f][1]).format(much="much " if abs(z[f]) >= 1.5 else "")
        parts.append(f"{words} (average {_amount(f, means[f])} vs {_amount(f, overall[f])} "
                     f"for all users, z {z[f]:+.1f})")
    return "; ".join(parts)
