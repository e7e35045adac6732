"""Behavioural clusters (#22): k chosen by silhouette finds planted groups, clusters are numbered by size
and described by the features that set them apart, the demo's clusters are stable across seeds
(adjusted Rand >= 0.8), and `asklytics score` writes them with the RFM segments."""
from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest

from predictors.clusters import (
    FEATURES,
    choose_k,
    cluster_users,
    fit_kmeans,
    profiles,
    stability,
    standardized,
)
from predictors.features.base import ConnectionSource
from predictors.segments import user_segments
from tests.predictors.conftest import AS_OF

SCORED_AT = dt.datetime(2026, 7, 1, 3, 0, 0)


def _planted(sizes=(600, 300, 100), seed=0) -> pd.DataFrame:
    """Three groups of users far apart in log space: idle, active non-payers, whales."""
    rng = np.random.default_rng(seed)
    centers = [  # days_since_install, days_since_last_seen, sessions_total, sessions_30d, active_days_30d,
        # level_ups_total, purchases_total, revenue_total
        (120, 100, 2, 0, 0, 1, 0, 0),
        (60, 2, 40, 20, 12, 20, 0, 0),
        (90, 3, 150, 40, 20, 60, 20, 400),
    ]
    frames = []
    for group, (size, center) in enumerate(zip(sizes, centers, strict=True)):
        values = np.exp(np.log1p(center) + rng.normal(0, 0.08, (size, len(FEATURES)))) - 1
        frame = pd.DataFrame(np.clip(values, 0, None), columns=list(FEATURES))
        frames.append(frame.assign(group=group))
    planted = pd.concat(frames, ignore_index=True)
    return planted.assign(user_id=[f"u{i:05d}" for i in range(len(planted))])


def test_silhouette_finds_the_planted_groups_numbered_by_size():
    planted = _planted()
    matrix, _, _ = standardized(planted)
    k, silhouettes = choose_k(matrix)
    assert k == 3 and set(silhouettes) == set(range(3, 9)) and silhouettes[3] == max(silhouettes.values())
    labels = fit_kmeans(matrix, k)
    # cluster 1 is the largest group (600 idle users), 3 the smallest (100 whales)
    assert pd.crosstab(planted.group, labels).to_numpy().tolist() == [[600, 0, 0], [0, 300, 0], [0, 0, 100]]


def test_each_cluster_is_described_by_what_sets_it_apart():
    planted = _planted()
    matrix, _, _ = standardized(planted)
    users = planted.assign(cluster=fit_kmeans(matrix, 3))
    table = profiles(users, matrix, 3).set_index("cluster")
    assert table.users.tolist() == [600, 300, 100] and table.share.sum() == pytest.approx(1.0)
    # the z-score of a cluster is the mean of its standardized rows: the population is mean 0, sd 1
    assert table.loc[3, "z_revenue_total"] == pytest.approx(matrix[users.cluster == 3, 7].mean(), abs=1e-3)
    assert table.loc[3, "description"].startswith("much more spend since install (average $4")
    assert "much more purchases" in table.loc[3, "description"]
    # the idle majority is the population's centre of mass: smaller z, no "much"
    assert table.loc[1, "description"].startswith("last seen longer ago (average 100 days vs 61 days")
    assert "fewer sessions in the last 30 days" in table.loc[1, "description"]
    assert "more" not in table.loc[1, "description"] and "much" not in table.loc[1, "description"]
    assert table.loc[1, "median_sessions_total"] == pytest.approx(planted.sessions_total[:600].median())


@pytest.fixture(scope="module")
def demo_clustering(demo_db_path, tmp_path_factory):
    copy = tmp_path_factory.mktemp("clusters") / "demo.duckdb"
    shutil.copy(demo_db_path, copy)  # the session's shared connection to the demo has another configuration
    connection = duckdb.connect(str(copy), read_only=True)
    try:
        yield user_segments(ConnectionSource(connection), AS_OF, SCORED_AT)
    finally:
        connection.close()


def test_demo_clusters_cover_every_user_and_keep_the_rfm_segments(demo_clustering, demo_sql):
    rows, table, clustering = demo_clustering
    users = demo_sql.execute("SELECT count(*) FROM installs WHERE install_time < ?", [AS_OF]).fetchone()[0]
    payers = demo_sql.execute("SELECT count(DISTINCT user_id) FROM events "
                              "WHERE revenue > 0 AND event_time < ?", [AS_OF]).fetchone()[0]
    assert len(rows) == rows.user_id.nunique() == users
    assert rows.cluster.notna().all() and set(rows.cluster) == set(range(1, clustering.k + 1))
    assert rows.rfm_segment.notna().sum() == payers and rows.r_score.notna().sum() == payers
    assert clustering.k == max(clustering.silhouettes, key=clustering.silhouettes.get)
    assert table.users.tolist() == sorted(table.users.tolist(), reverse=True)
    assert all(table.description.str.len() > 20)
    assert set(rows.model_version) == {f"rfm-1+kmeans-1(k={clustering.k})@2026-07-01"}


def test_demo_clusters_are_stable_across_seeds(demo_clustering):
    _, _, clustering = demo_clustering
    agreement = stability(clustering.extra["matrix"], clustering.k, clustering.users.cluster.to_numpy())
    assert min(agreement.values()) >= 0.8, agreement


def test_too_few_users_is_a_clear_error():
    connection = duckdb.connect()
    connection.execute("CREATE TABLE installs (user_id VARCHAR, install_time TIMESTAMP)")
    connection.execute("CREATE TABLE events (user_id VARCHAR, event_time TIMESTAMP, event_name VARCHAR, "
                       "revenue DOUBLE)")
    connection.execute("INSERT INTO installs VALUES ('u1', TIMESTAMP '2026-06-01')")
    with pytest.raises(ValueError, match="clustering needs 50"):
        cluster_users(ConnectionSource(connection), AS_OF)
