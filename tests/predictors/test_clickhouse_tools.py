"""The five predictor tools give the same rows on a ClickHouse warehouse as on DuckDB.

ClickHouse runs in process (chdb) and as a server behind HTTP (the chdb-backed
test server of ``tests/warehouse/ch_http_server.py`` with the real
clickhouse-connect client, which binds the named parameters its own way).
Every connector caps rows at 1,000 per query as the app's do, so cohorts are
read in keyset pages on each engine.
"""
from __future__ import annotations

import math
import shutil

import pytest

from predictors.tools import ToolError, run_tool
from tests.predictors.conftest import AS_OF, copy_demo


@pytest.fixture(scope="module")
def engines(demo_db_path, chdb_path, tmp_path_factory):
    from warehouse.chdb import ChdbWarehouse
    from warehouse.duckdb import DuckDBWarehouse

    duck = DuckDBWarehouse(copy_demo(demo_db_path, tmp_path_factory.mktemp("ch-tools")), timeout_s=60,
                           max_rows=1000)
    chdb = ChdbWarehouse(chdb_path, timeout_s=60, max_rows=1000)
    yield {"duckdb": duck, "chdb": chdb}
    duck.close()
    chdb.close()


@pytest.fixture(scope="module")
def clickhouse_http(chdb_path, tmp_path_factory):
    """A copy of the chdb demo folder served over HTTP (the server process opens its own folder)."""
    from tests.warehouse.ch_http_server import running_server
    from warehouse.clickhouse import ClickHouseWarehouse

    data = tmp_path_factory.mktemp("ch-tools-http") / "data"
    shutil.copytree(chdb_path, data, symlinks=True)
    with running_server(data, user="asklytics", password="x-secret") as port:
        wh = ClickHouseWarehouse(f"http://asklytics:x-secret@127.0.0.1:{port}/default", timeout_s=60,
                                 max_rows=1000)
        yield wh
        wh.close()


@pytest.fixture(scope="module")
def ids(engines):
    def first(sql: str) -> str:
        return engines["duckdb"].execute(sql).rows[0][0]

    return {
        "user_id": first("SELECT user_id FROM events WHERE event_name = 'session_start' "
                         "AND event_time >= TIMESTAMP '2026-06-25' ORDER BY user_id LIMIT 1"),
        "payer": first("SELECT user_id FROM events "
                       "WHERE revenue > 0 AND event_time >= TIMESTAMP '2026-06-20' "
                       "ORDER BY user_id LIMIT 1"),
        "install_id": first("SELECT install_id FROM installs WHERE fraud_type = 'click_injection' "
                            "AND install_time >= TIMESTAMP '2026-06-01' ORDER BY install_id LIMIT 1"),
    }


CALLS = {
    "score_fraud-tiktok-week": ("score_fraud", {"media_source": "TikTok", "install_date_from": "2026-06-24",
                                                "install_date_to": "2026-06-30", "limit": 50}),
    "score_fraud-by-id": ("score_fraud", {"install_id": "install_id"}),
    "explain_fraud": ("explain_fraud", {"install_id": "install_id"}),
    "predict_churn-ios-de": ("predict_churn", {"platform": "iOS", "country": "DE", "limit": 50}),
    "predict_churn-by-id": ("predict_churn", {"user_id": "user_id"}),
    "explain_churn": ("explain_churn", {"user_id": "user_id"}),
    "explain_churn-short-id": ("explain_churn", {"user_id": "short"}),
    "predict_ltv-tiktok": ("predict_ltv", {"media_source": "TikTok", "install_date_from": "2026-06-01",
                                           "limit": 50}),
    "predict_ltv-payer": ("predict_ltv", {"user_id": "payer"}),
}


def _arguments(arguments: dict, ids: dict) -> dict:
    named = {"install_id": ids["install_id"], "user_id": ids["user_id"], "payer": ids["payer"],
             "short": "u" + ids["user_id"][1:].lstrip("0")}
    return {k: named.get(v, v) if k in ("user_id", "install_id") else v for k, v in arguments.items()}


def _same_row(left: tuple, right: tuple) -> bool:
    return len(left) == len(right) and all(
        math.isclose(a, b, abs_tol=1e-4) if isinstance(a, float) else a == b for a, b in zip(left, right))


@pytest.mark.parametrize("engine", ["chdb", "clickhouse_http"])
@pytest.mark.parametrize("call", sorted(CALLS))
def test_tool_rows_on_clickhouse_equal_those_on_duckdb(call, engine, trained, engines, ids, request):
    tool, arguments = CALLS[call]
    arguments = _arguments(arguments, ids)
    clickhouse = engines["chdb"] if engine == "chdb" else request.getfixturevalue("clickhouse_http")
    env = {"registry": trained["registry"], "as_of": AS_OF}
    on_duckdb = run_tool(tool, arguments, warehouse=engines["duckdb"], **env)
    on_chdb = run_tool(tool, arguments, warehouse=clickhouse, **env)
    assert on_duckdb.rows, "a comparison of empty answers proves nothing"
    assert [c.name for c in on_chdb.columns] == [c.name for c in on_duckdb.columns]
    assert len(on_chdb.rows) == len(on_duckdb.rows)
    mismatches = [(a, b) for a, b in zip(on_duckdb.rows, on_chdb.rows) if not _same_row(a, b)]
    assert not mismatches, mismatches[:3]
    assert on_chdb.narrative == on_duckdb.narrative
    assert on_chdb.arguments == on_duckdb.arguments and on_chdb.model_version == on_duckdb.model_version


def test_a_cohort_over_many_pages_matches(trained, engines):
    """Over 1,000 installs: several keyset pages of features on each engine."""
    arguments = {"media_source": "TikTok", "install_date_from": "2026-06-01", "limit": 1000}
    env = {"registry": trained["registry"], "as_of": AS_OF}
    on_duckdb = run_tool("score_fraud", arguments, warehouse=engines["duckdb"], **env)
    on_chdb = run_tool("score_fraud", arguments, warehouse=engines["chdb"], **env)
    assert on_duckdb.extra["matched"] > 1000 and on_chdb.extra == on_duckdb.extra
    assert all(_same_row(a, b) for a, b in zip(on_duckdb.rows, on_chdb.rows, strict=True))


def test_an_unknown_id_is_not_found_on_chdb(trained, engines):
    with pytest.raises(ToolError) as missing:
        run_tool("explain_fraud", {"install_id": "i9999999"}, warehouse=engines["chdb"],
                 registry=trained["registry"], as_of=AS_OF)
    assert missing.value.code == "not_found"
