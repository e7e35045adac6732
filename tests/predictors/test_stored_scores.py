"""Cohort listings read the stored batch scores of the same model version, and agree with live scoring."""
from __future__ import annotations

import duckdb
import pytest

from predictors.features.base import ConnectionSource
from predictors.scoring import score_model, write_table
from predictors.tools import run_tool
from tests.predictors.conftest import AS_OF, copy_demo


@pytest.fixture(scope="module")
def scored_env(trained, demo_db_path, tmp_path_factory):
    """A copy of the demo with churn and fraud scores written by the trained models."""
    from warehouse.duckdb import DuckDBWarehouse

    path = copy_demo(demo_db_path, tmp_path_factory.mktemp("stored"))
    connection = duckdb.connect(str(path))
    try:
        for name in ("churn", "fraud"):
            write_table(
                connection, score_model(name, ConnectionSource(connection), trained["registry"], AS_OF)
            )
    finally:
        connection.close()
    warehouse = DuckDBWarehouse(path, timeout_s=60, max_rows=1000)
    yield {"warehouse": warehouse, "registry": trained["registry"], "as_of": AS_OF}
    warehouse.close()


@pytest.fixture(scope="module")
def live_env(trained, demo_db_path, tmp_path_factory):
    from warehouse.duckdb import DuckDBWarehouse

    warehouse = DuckDBWarehouse(
        copy_demo(demo_db_path, tmp_path_factory.mktemp("live")), timeout_s=60, max_rows=1000
    )
    yield {"warehouse": warehouse, "registry": trained["registry"], "as_of": AS_OF}
    warehouse.close()


def test_all_users_most_likely_to_churn_come_from_the_stored_scores(scored_env):
    result = run_tool("predict_churn", {"limit": 10}, **scored_env)
    assert len(result.rows) == 10 and "stored batch scores" in result.narrative
    probabilities = [row[1] for row in result.rows]
    assert probabilities == sorted(probabilities, reverse=True)


@pytest.mark.parametrize(("tool", "arguments"), [
    ("predict_churn", {"platform": "iOS", "country": "DE", "limit": 5}),
    ("score_fraud", {"media_source": "TikTok", "install_date_from": "2026-06-20",
                     "install_date_to": "2026-06-30", "limit": 5}),
])
def test_stored_and_live_scores_agree_for_a_cohort(scored_env, live_env, tool, arguments):
    stored = run_tool(tool, arguments, **scored_env)
    live = run_tool(tool, arguments, **live_env)
    assert "stored batch scores" in stored.narrative and "stored" not in live.narrative
    assert [(r[0], round(r[1], 4)) for r in stored.rows] == [(r[0], round(r[1], 4)) for r in live.rows]


def test_a_single_id_is_still_scored_live(scored_env):
    user = (
        scored_env["warehouse"]
        .execute("SELECT user_id FROM churn_scores ORDER BY user_id LIMIT 1")
        .rows[0][0]
    )
    result = run_tool("predict_churn", {"user_id": user}, **scored_env)
    assert "stored" not in result.narrative and result.rows[0][0] == user
