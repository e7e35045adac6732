"""Prediction tables for the semantic layer's tests, written into a copy of the demo warehouse.

The semantic layer reads the contract's prediction tables; what matters to its
tests is their shape and that one run is picked, not how good the models are.
So instead of training three models (minutes), scores are derived from the ids
with a hash (deterministic per build), the latest run is written with the
scorer's own ``write_table`` (the production DDL), and an older run of other
values is appended: a query that does not keep to the latest run double counts
and reads the wrong values, and the gold tests see it.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from predictors.features.base import ConnectionSource
from predictors.scoring import ScoredTable, write_table
from predictors.segments import user_segments

LATEST = dt.datetime(2026, 7, 1, 3, 0, 0)
OLDER = dt.datetime(2026, 6, 1, 3, 0, 0)

# Per table: the rows of the latest run, as SQL over the demo tables.
_LATEST_ROWS = {
    "fraud_scores": ("SELECT install_id, (hash(install_id) % 1000) / 1000.0 AS fraud_probability "
                     "FROM installs"),
    # Churn is scored for users active in the 30 days before as_of, as the real scorer does.
    "churn_scores": ("SELECT user_id, (hash(user_id || 'churn') % 1000) / 1000.0 AS churn_probability "
                     "FROM installs WHERE user_id IN (SELECT user_id FROM events "
                     "WHERE event_time >= TIMESTAMP '2026-06-01')"),
    "ltv_predictions": ("SELECT user_id, ltv / 2 AS ltv_p10, ltv AS ltv_p50, ltv * 3 AS ltv_p90 FROM "
                        "(SELECT user_id, (hash(user_id || 'ltv') % 2000) / 100.0 AS ltv FROM installs)"),
}
# The older run: other values for a part of the same ids (must be ignored).
_OLDER_COLUMNS = {
    "fraud_scores": "install_id, 0.99, 'v0', ?",
    "churn_scores": "user_id, 0.01, 'v0', ?",
    "ltv_predictions": "user_id, 500.0, 600.0, 700.0, 'v0', ?",
    "user_segments": "user_id, 'lost', 9, 1, 1, 1, 'v0', ?",
}


def write_prediction_tables(path: Path) -> None:
    """Add the three prediction tables and the segments (latest run ``v1``; RFM segments and behavioural
    clusters computed by the real scorer, with cluster_profiles), plus an older run ``v0`` (cluster 9,
    segment 'lost'), to a DuckDB file."""
    connection = duckdb.connect(str(path))
    try:
        for table, sql in _LATEST_ROWS.items():
            frame = connection.sql(sql).df()
            frame["model_version"] = "v1"
            frame["scored_at"] = LATEST
            write_table(connection, ScoredTable(table, frame))
        segments, profiles, _ = user_segments(ConnectionSource(connection), LATEST.date(), LATEST)
        write_table(connection, ScoredTable("user_segments", segments))
        write_table(connection, ScoredTable("cluster_profiles", profiles))
        for table, older in _OLDER_COLUMNS.items():
            key = "install_id" if table == "fraud_scores" else "user_id"
            connection.execute(f"INSERT INTO {table} SELECT {older} FROM {table} "
                               f"WHERE hash({key}) % 3 = 0", [OLDER])
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
