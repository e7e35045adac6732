"""The chdb connector and the DuckDB -> chdb loader, on the scale-1 demo data.

Every connector on the session's ``chdb_path`` folder shares one worker process
(extra connectors on it with other limits are fine).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from warehouse.chdb import ChdbWarehouse
from warehouse.chdb_loader import clickhouse_type
from warehouse.errors import QueryCancelled, QueryFailed, QueryTimeout, WarehouseUnavailable
from warehouse.registry import connect

CONTRACT_TABLES = ["ad_spend", "campaigns", "events", "installs"]
# Billions of pairs: longer than any limit used here.
ENDLESS = "SELECT count() FROM events a, events b WHERE a.revenue + b.revenue < -1"


@pytest.fixture(scope="module")
def fast_wh(chdb_path, chdb_wh):
    """A second connector on the same folder with a 1 s limit and a 10-row cap."""
    warehouse = ChdbWarehouse(chdb_path, timeout_s=1.0, max_rows=10)
    yield warehouse
    warehouse.close()


def test_loader_copies_every_table_with_equal_row_counts(chdb_wh, duckdb_wh):
    for table in CONTRACT_TABLES + ["asklytics_meta"]:
        expected = duckdb_wh.execute(f"SELECT count(*) FROM {table}").rows[0][0]
        assert chdb_wh.execute(f"SELECT count() FROM {table}").rows == [(expected,)], table


def test_loader_maps_types_and_contract_nullability(chdb_wh):
    installs = {c.name: c.type for c in chdb_wh.schema().table("installs").columns}
    assert installs["campaign_id"] == "Nullable(String)"
    assert installs["click_time"] == "Nullable(DateTime64(6))"
    assert installs["fraud_type"] == "Nullable(String)"
    assert installs["install_id"] == "String" and installs["install_time"] == "DateTime64(6)"
    assert installs["is_fraud"] == "Bool"
    events = {c.name: c.type for c in chdb_wh.schema().table("events").columns}
    assert (events["event_id"], events["revenue"], events["event_time"]) == (
        "Int64",
        "Float64",
        "DateTime64(6)",
    )
    assert {c.name: c.type for c in chdb_wh.schema().table("campaigns").columns}["start_date"] == "Date"


def test_clickhouse_type_mapping():
    assert clickhouse_type("VARCHAR", nullable=False) == "String"
    assert clickhouse_type("DECIMAL(18,3)", nullable=True) == "Nullable(Decimal(18, 3))"
    assert clickhouse_type("TIMESTAMP", nullable=False) == "DateTime64(6)"
    with pytest.raises(ValueError, match="INTERVAL"):
        clickhouse_type("INTERVAL", nullable=False)


def test_values_match_duckdb_row_for_row(chdb_wh, duckdb_wh):
    sql = (
        "SELECT install_id, campaign_id, install_time, click_time, is_fraud, fraud_type "
        "FROM installs ORDER BY install_id LIMIT 200"
    )
    assert chdb_wh.execute(sql).rows == duckdb_wh.execute(sql).rows


def test_python_types_of_values(chdb_wh):
    result = chdb_wh.execute(
        "SELECT toDate(min(install_time)) AS d, min(install_time) AS t, count() AS n, "
        "avg(is_fraud) AS r, any(platform) AS p FROM installs"
    )
    day, first, count, rate, platform = result.rows[0]
    assert isinstance(day, dt.date) and isinstance(first, dt.datetime) and isinstance(count, int)
    assert isinstance(rate, float) and platform in ("iOS", "Android")
    assert [c.type for c in result.columns] == ["Date", "DateTime64(6)", "UInt64", "Float64", "String"]


def test_row_cap_truncates(fast_wh):
    result = fast_wh.execute("SELECT install_id FROM installs ORDER BY install_id")
    assert result.row_count == 10 and result.truncated
    assert not fast_wh.execute("SELECT install_id FROM installs ORDER BY install_id LIMIT 10").truncated


def test_named_parameters(chdb_wh, duckdb_wh):
    expected = duckdb_wh.execute("SELECT count(*) FROM installs WHERE platform = 'iOS'").rows
    assert (
        chdb_wh.execute("SELECT count() FROM installs WHERE platform = {p:String}", {"p": "iOS"}).rows
        == expected
    )
    with pytest.raises(QueryFailed, match="named parameters"):
        chdb_wh.execute("SELECT ?", ["x"])


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO campaigns SELECT * FROM campaigns LIMIT 1",
        "ALTER TABLE installs DELETE WHERE 1",
        "DROP TABLE events",
        "TRUNCATE TABLE events",
        "CREATE TABLE t (a Int8) ENGINE = Memory",
        "SELECT * FROM file('/etc/passwd', 'LineAsString')",
        "SELECT * FROM url('http://127.0.0.1:1/x', 'LineAsString')",
        "SELECT * FROM s3('http://127.0.0.1:1/bucket/x.csv')",
        "SELECT * FROM executable('id', 'LineAsString', 'x String')",
        "SELECT * FROM remote('127.0.0.1:9000', system.one)",
        "INSERT INTO FUNCTION file('/tmp/asklytics-leak.csv', 'CSV') SELECT 1",
        "SET readonly = 0",
        "SELECT 1 SETTINGS max_execution_time = 100000",
        "SELECT 1 SETTINGS max_result_rows = 0",
    ],
)
def test_engine_refuses_writes_table_functions_and_settings_changes(chdb_wh, sql):
    with pytest.raises(QueryFailed) as err:
        chdb_wh.execute(sql)
    assert "READONLY" in err.value.message and "\n" not in err.value.message


def test_scalar_file_function_reads_nothing_outside_the_sandbox(chdb_wh, tmp_path):
    """Read-only mode does not stop ``SELECT file('/path')`` (chdb applies no user_files_path);
    the worker's Landlock sandbox does. Without Landlock the guard is the only stop."""
    if not chdb_wh.landlock:
        pytest.skip("no Landlock on this kernel: the worker runs with a scrubbed environment only")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for users")
    with pytest.raises(QueryFailed, match="Permission denied"):
        chdb_wh.execute(f"SELECT file('{secret}')")
    assert chdb_wh.execute(f"SELECT file('{secret}', 'unreadable')").rows == [("unreadable",)]


def test_timeout_stops_a_cross_join_and_connector_recovers(fast_wh):
    with pytest.raises(QueryTimeout) as err:
        fast_wh.execute(ENDLESS)
    assert "1 s limit" in err.value.message
    assert fast_wh.execute("SELECT 1").rows == [(1,)]


def test_cancel_from_another_thread(chdb_path, chdb_wh):
    wh = ChdbWarehouse(chdb_path, timeout_s=120)
    outcome: dict[str, BaseException] = {}

    def run() -> None:
        try:
            wh.execute(ENDLESS)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    for _ in range(500):
        if wh._inflight.running_ids():
            break
        time.sleep(0.01)
    time.sleep(0.5)  # let the engine start executing
    wh.cancel()
    worker.join(60)
    assert isinstance(outcome.get("error"), QueryCancelled)
    assert wh.execute("SELECT 1").rows == [(1,)]
    wh.close()


def test_concurrent_queries_get_their_own_answers(chdb_wh, duckdb_wh):
    expected = dict(duckdb_wh.execute("SELECT campaign_id, count(*) FROM installs GROUP BY 1").rows)
    ids = sorted(k for k in expected if k is not None)[:16]

    def count_for(campaign_id: str) -> tuple[str, int]:
        sql = "SELECT count() FROM installs WHERE campaign_id = {c:String}"
        return campaign_id, chdb_wh.execute(sql, {"c": campaign_id}).rows[0][0]

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = dict(pool.map(count_for, ids))
    assert answers == {k: expected[k] for k in ids}


def test_schema_matches_duckdb_tables_counts_and_values(chdb_wh, duckdb_wh):
    chdb_schema, duck_schema = chdb_wh.schema(), duckdb_wh.schema()
    assert chdb_schema.table_names() == duck_schema.table_names()
    assert "asklytics_meta" not in chdb_schema.table_names()
    for name in duck_schema.table_names():
        chdb_table, duck_table = chdb_schema.table(name), duck_schema.table(name)
        assert chdb_table.row_count == duck_table.row_count, name
        assert {c.name: c.values for c in chdb_table.columns} == {
            c.name: c.values for c in duck_table.columns
        }
    assert chdb_schema.table("campaigns").column("platform").values == ("Android", "iOS")
    assert chdb_wh.schema() is chdb_schema


def test_a_second_data_folder_runs_in_its_own_worker(chdb_wh, tmp_path):
    """chdb holds one folder per process; each folder gets its own worker process, so the
    server can open two (the loader, which runs chdb in this process, still cannot)."""
    with ChdbWarehouse(tmp_path) as other:
        assert other.execute("SELECT 41 + 1 AS answer").rows == [(42,)]
        assert other.schema().table_names() == []
    assert chdb_wh.execute("SELECT count() FROM campaigns").rows[0][0] > 0


def test_a_killed_worker_fails_its_query_and_is_replaced(tmp_path):
    import os
    import signal

    from warehouse.chdb_sandbox import WorkerGone

    with ChdbWarehouse(tmp_path, timeout_s=20) as wh:
        first = wh._require_sandbox().pid
        outcome: dict[str, BaseException] = {}

        def run() -> None:
            try:
                wh.execute("SELECT count() FROM numbers(100000000000)")
            except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
                outcome["error"] = exc

        query = threading.Thread(target=run)
        query.start()
        for _ in range(500):
            if wh._inflight.running_ids():
                break
            time.sleep(0.01)
        time.sleep(0.5)  # the request is in the worker
        os.kill(first, signal.SIGKILL)
        query.join(30)
        assert isinstance(outcome.get("error"), WorkerGone)
        assert wh.execute("SELECT 1").rows == [(1,)]
        assert wh._require_sandbox().pid not in (None, first)


def test_missing_folder_is_unavailable(tmp_path):
    with pytest.raises(WarehouseUnavailable, match="asklytics demo build --engine chdb"):
        ChdbWarehouse(tmp_path / "missing")


def test_registry_and_identity(chdb_path, chdb_wh):
    with connect("chdb", path=chdb_path, timeout_s=5, max_rows=10) as wh:
        assert isinstance(wh, ChdbWarehouse)
        assert wh.identity() == f"chdb:{chdb_path.resolve()}"
        assert (wh.name, wh.dialect) == ("chdb", "clickhouse")
    assert chdb_wh.execute("SELECT 1").rows == [(1,)]  # closing one connector leaves the others working
