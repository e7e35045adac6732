"""The demo warehouse with prediction tables, and its copies cut down by hand to what an access
policy lets see: the oracle of the access-policy attack tests. A statement run under a policy on
the full warehouse must return exactly what it returns, unpoliced, on the cut copy -- so no row,
total or count outside the policy can have reached it.

The cuts are written out per table here (not with the code under test): a TikTok agency sees
TikTok campaigns, their spend, installs and those users' events and predictions; a Brazil
manager sees Brazilian campaigns and their spend, and installs from Brazil with their events.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.demo_copies import copy_demo

POLICIES = {"tiktok": "media_source = 'TikTok'", "brazil": "country = 'BR'"}
_SCORED = "'v1' AS model_version, TIMESTAMP '2026-07-01 00:00:00' AS scored_at FROM installs"
_PREDICTIONS = (
    (f"CREATE OR REPLACE TABLE churn_scores AS SELECT user_id, hash(user_id) % 1000 / 1000.0 "
    "AS churn_probability, "
    f"{_SCORED}"),
    (f"CREATE OR REPLACE TABLE fraud_scores AS SELECT install_id, hash(install_id) % 997 / 997.0 "
    "AS fraud_probability, "
    f"{_SCORED}"),
    (f"CREATE OR REPLACE TABLE ltv_predictions AS SELECT user_id, hash(user_id) % 100 / 10.0 AS ltv_p10, "
    f"hash(user_id) % 100 / 5.0 AS ltv_p50, hash(user_id) % 100 / 2.0 AS ltv_p90, {_SCORED}"),
)
_CUTS = {
    "tiktok": {
        "campaigns": "SELECT * FROM src.campaigns WHERE media_source = 'TikTok'",
        "installs": "SELECT * FROM src.installs WHERE campaign_id IN (SELECT campaign_id FROM campaigns)",
    },
    "brazil": {
        "campaigns": "SELECT * FROM src.campaigns WHERE country = 'BR'",
        "installs": "SELECT * FROM src.installs WHERE country = 'BR'",
    },
}
_FOLLOWERS = {
    "ad_spend": "SELECT * FROM src.ad_spend WHERE campaign_id IN (SELECT campaign_id FROM campaigns)",
    "events": "SELECT * FROM src.events WHERE user_id IN (SELECT user_id FROM installs)",
    "churn_scores": "SELECT * FROM src.churn_scores WHERE user_id IN (SELECT user_id FROM installs)",
    "ltv_predictions": "SELECT * FROM src.ltv_predictions WHERE user_id IN (SELECT user_id FROM installs)",
    "fraud_scores": "SELECT * FROM src.fraud_scores WHERE install_id IN (SELECT install_id FROM installs)",
}


def build_policy_warehouses(demo_db_path: Path, folder: Path) -> dict[str, Path]:
    full = copy_demo(demo_db_path, folder, "full.duckdb")
    with duckdb.connect(str(full)) as connection:
        for statement in _PREDICTIONS:
            connection.execute(statement)
    paths = {"full": full}
    for name, cuts in _CUTS.items():
        paths[name] = folder / f"{name}.duckdb"
        with duckdb.connect(str(paths[name])) as connection:
            connection.execute(f"ATTACH '{full}' AS src (READ_ONLY)")
            for table, select in {**cuts, **_FOLLOWERS}.items():
                connection.execute(f"CREATE TABLE {table} AS {select}")
    return paths


@pytest.fixture(scope="session")
def policy_warehouses(demo_db_path, tmp_path_factory) -> dict[str, Path]:
    """``{"full": ..., "tiktok": ..., "brazil": ...}``: DuckDB files (see the module's docstring)."""
    return build_policy_warehouses(demo_db_path, tmp_path_factory.mktemp("policy-warehouses"))
