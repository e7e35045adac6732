"""A churn question about a user who already left is answered with the facts, not an error.

The README's own example ("why is user u000123 likely to churn?") used to fail: that user last
opened the app in February, and the churn model scores only users active in the last 30 days.
"""
from __future__ import annotations

import datetime as dt

import pytest

from predictors.lapsed import lapsed_user_answer
from predictors.tools import ToolError, run_tool
from tests.predictors.conftest import AS_OF, copy_demo


@pytest.fixture(scope="module")
def engines(trained, demo_db_path, chdb_path, tmp_path_factory):
    from warehouse.chdb import ChdbWarehouse
    from warehouse.duckdb import DuckDBWarehouse

    duck = DuckDBWarehouse(copy_demo(demo_db_path, tmp_path_factory.mktemp("lapsed")), timeout_s=60,
                           max_rows=1000)
    chdb = ChdbWarehouse(chdb_path, timeout_s=60, max_rows=1000)
    yield {"duckdb": duck, "chdb": chdb, "registry": trained["registry"]}
    duck.close()
    chdb.close()


def _lapsed_user(warehouse) -> tuple[str, dt.date]:
    """A user installed before as_of whose last session is long before it (by hand-written SQL)."""
    sql = ("SELECT i.user_id, CAST(MAX(e.event_time) AS DATE) FROM installs i JOIN events e "
           "ON e.user_id = i.user_id AND e.event_name = 'session_start' GROUP BY i.user_id "
           "HAVING MAX(e.event_time) < TIMESTAMP '2026-04-01' ORDER BY i.user_id LIMIT 1")
    user_id, last = warehouse.execute(sql).rows[0]
    return user_id, last


@pytest.mark.parametrize("engine", ["duckdb", "chdb"])
@pytest.mark.parametrize("tool", ["explain_churn", "predict_churn"])
def test_a_user_who_already_left_gets_when_they_were_last_seen(engines, engine, tool):
    user_id, last = _lapsed_user(engines["duckdb"])
    result = run_tool(tool, {"user_id": user_id}, warehouse=engines[engine], registry=engines["registry"],
                      as_of=AS_OF)
    assert [c.name for c in result.columns][:3] == ["user_id", "install_date", "last_session"]
    row = result.rows[0]
    assert row[0] == user_id and str(row[2]) == str(last) and row[3] == (AS_OF - last).days
    assert "already churned" in result.narrative and str(last) in result.narrative


def test_the_readme_example_is_answered(engines):
    result = run_tool("explain_churn", {"user_id": "u000123"}, warehouse=engines["duckdb"],
                      registry=engines["registry"], as_of=AS_OF)
    assert result.rows[0][0] == "u0000123"  # the leading zeros people drop are put back


def test_an_unknown_user_is_still_not_found(engines):
    with pytest.raises(ToolError) as missing:
        run_tool("explain_churn", {"user_id": "u9999999"}, warehouse=engines["duckdb"],
                 registry=engines["registry"], as_of=AS_OF)
    assert missing.value.code == "not_found"


def test_an_active_user_is_not_reported_as_lapsed(engines):
    from predictors.features.base import WarehouseSource

    active = engines["duckdb"].execute(
        "SELECT user_id FROM events "
        "WHERE event_name = 'session_start' AND event_time >= TIMESTAMP '2026-06-25' "
        "ORDER BY user_id LIMIT 1").rows[0][0]
    assert lapsed_user_answer(WarehouseSource(engines["duckdb"]), active, AS_OF) is None
