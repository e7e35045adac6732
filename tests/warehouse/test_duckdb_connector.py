"""The hardened DuckDB connector, on a small DuckDB file built here.

No SQL guard stands in front of these queries: they prove the engine itself
refuses file access, writes, extensions and configuration changes.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import duckdb
import pytest

from warehouse.duckdb import DuckDBWarehouse
from warehouse.errors import QueryCancelled, QueryFailed, QueryTimeout, WarehouseUnavailable
from warehouse.registry import connect
from warehouse.values import jsonable, jsonable_rows

INSTALLS = 20_000


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("duckdb-connector") / "tiny.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            f"""CREATE TABLE installs AS SELECT
                  'i' || range AS install_id,
                  CASE WHEN range % 4 = 0 THEN NULL ELSE 'c' || (range % 3) END AS campaign_id,
                  TIMESTAMP '2026-01-01' + to_seconds(range * 60) AS install_time,
                  CASE WHEN range % 2 = 0 THEN 'iOS' ELSE 'Android' END AS platform,
                  range % 10 = 0 AS is_fraud,
                  range / 7.0 AS score,
                  DATE '2026-01-01' + (range % 30)::INTEGER AS install_date,
                  (range % 100)::DECIMAL(10, 2) AS price
                FROM range({INSTALLS})"""
        )
        conn.execute("CREATE TABLE asklytics_meta AS SELECT 'scale' AS key, '1' AS value")
    return path


@pytest.fixture(scope="module")
def wh(tiny_db):
    warehouse = DuckDBWarehouse(tiny_db, timeout_s=1.0, max_rows=50)
    yield warehouse
    warehouse.close()


def test_returns_rows_with_duckdb_type_names_and_python_values(wh):
    result = wh.execute(
        "SELECT install_id, campaign_id, install_time, is_fraud, score, install_date, price "
        "FROM installs WHERE install_id = 'i1'"
    )
    assert [c.type for c in result.columns] == [
        "VARCHAR",
        "VARCHAR",
        "TIMESTAMP",
        "BOOLEAN",
        "DOUBLE",
        "DATE",
        "DECIMAL(10,2)",
    ]
    assert result.column_names()[0] == "install_id"
    assert result.rows == [
        (
            "i1",
            "c1",
            dt.datetime(2026, 1, 1, 0, 1),
            False,
            pytest.approx(1 / 7),
            dt.date(2026, 1, 2),
            Decimal("1.00"),
        )
    ]
    assert not result.truncated and result.query_id and result.elapsed_ms >= 0


def test_parameters_are_bound(wh):
    result = wh.execute("SELECT count(*) FROM installs WHERE platform = ? AND is_fraud = ?", ["iOS", True])
    assert result.rows == [(INSTALLS // 10,)]


def test_row_cap_truncates_and_marks_result(wh):
    capped = wh.execute("SELECT install_id FROM installs ORDER BY install_time")
    assert capped.row_count == 50 and capped.truncated
    assert capped.rows[0] == ("i0",) and capped.rows[-1] == ("i49",)
    exact = wh.execute("SELECT install_id FROM installs ORDER BY install_time LIMIT 50")
    assert exact.row_count == 50 and not exact.truncated


HOSTILE = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM glob('/etc/*')",
    "COPY installs TO '/tmp/asklytics-x.csv'",
    "COPY (SELECT 1) TO '/tmp/asklytics-y.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '/tmp/asklytics-export'",
    "ATTACH '/tmp/asklytics-x.db'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "SET memory_limit = '64GB'",
    "SET threads = 64",
    "CREATE TABLE t AS SELECT 1",
    "CREATE VIEW v AS SELECT 1",
    "DELETE FROM installs",
    "UPDATE installs SET platform = 'x'",
    "INSERT INTO installs SELECT * FROM installs LIMIT 1",
    "DROP TABLE installs",
]


@pytest.mark.parametrize("sql", HOSTILE)
def test_engine_refuses_file_access_writes_extensions_and_settings(wh, sql):
    with pytest.raises(QueryFailed) as err:
        wh.execute(sql)
    assert "\n" not in err.value.message and "Traceback" not in err.value.message
    assert wh.execute("SELECT count(*) FROM installs").rows == [(INSTALLS,)]


def test_hardening_settings_are_in_force(wh):
    names = [
        "enable_external_access",
        "autoinstall_known_extensions",
        "autoload_known_extensions",
        "allow_community_extensions",
        "lock_configuration",
        "threads",
    ]
    sql = "SELECT " + ", ".join(f"current_setting('{n}')" for n in names)
    assert wh.execute(sql).rows == [(False, False, False, False, True, 2)]
    assert wh.execute("SELECT current_setting('access_mode')").rows == [("read_only",)]


def test_no_file_written_by_copy(wh, tmp_path):
    target = tmp_path / "leak.csv"
    with pytest.raises(QueryFailed):
        wh.execute(f"COPY installs TO '{target}'")
    assert not target.exists()


# Trillions of pairs: no machine finishes this in the test timeouts.
SLOW_CROSS_JOIN = "SELECT count(*) FROM range(100000000) a, installs b WHERE a.range + b.score = -1"


def test_timeout_interrupts_a_cross_join_and_connector_still_works(wh):
    with pytest.raises(QueryTimeout) as err:
        wh.execute(SLOW_CROSS_JOIN)
    assert "1 s limit" in err.value.message and err.value.code == "query_timeout"
    assert wh.execute("SELECT count(*) FROM installs").rows == [(INSTALLS,)]


def test_cancel_from_another_thread_interrupts(tiny_db):
    wh = DuckDBWarehouse(tiny_db, timeout_s=120, max_rows=10)
    outcome: dict[str, BaseException] = {}

    def run() -> None:
        try:
            wh.execute(SLOW_CROSS_JOIN)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    _wait_until_running(wh)
    wh.cancel()
    worker.join(60)
    assert not worker.is_alive()
    assert isinstance(outcome.get("error"), QueryCancelled)
    assert wh.execute("SELECT 1").rows == [(1,)]


def _wait_until_running(wh: DuckDBWarehouse) -> None:
    for _ in range(500):
        if wh._inflight.running_ids():
            time.sleep(0.2)  # let the engine start executing, not just register
            return
        time.sleep(0.01)
    raise AssertionError("the query never started")


def test_concurrent_queries_from_threads_each_get_their_own_answer(wh):
    def count_for(n: int) -> tuple[int, int]:
        rows = wh.execute(f"SELECT count(*) FROM installs WHERE install_date = DATE '2026-01-01' + {n}").rows
        return n, rows[0][0]

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = dict(pool.map(count_for, range(16)))
    expected = wh.execute(
        "SELECT (install_date - DATE '2026-01-01')::INTEGER, count(*) FROM installs GROUP BY 1"
    ).rows
    assert answers == {n: c for n, c in expected if n < 16}


def test_engine_errors_become_query_failed_with_engine_message(wh):
    with pytest.raises(QueryFailed) as err:
        wh.execute("SELECT no_such_column FROM installs")
    assert "no_such_column" in err.value.message and "\n" not in err.value.message


def test_schema_lists_tables_types_counts_and_low_cardinality_values(wh):
    schema = wh.schema()
    assert schema.table_names() == ["installs"]  # asklytics_meta is internal
    installs = schema.table("installs")
    assert installs.row_count == INSTALLS
    assert installs.column("platform").values == ("Android", "iOS")
    assert installs.column("campaign_id").values == ("c0", "c1", "c2")
    assert installs.column("install_id").values == ()  # 20k distinct: not listed
    assert installs.column("install_time").type == "TIMESTAMP"
    assert wh.schema() is schema  # cached


def test_missing_file_is_unavailable_with_a_hint(tmp_path):
    with pytest.raises(WarehouseUnavailable) as err:
        DuckDBWarehouse(tmp_path / "nope.duckdb")
    assert "asklytics demo build" in err.value.message


def test_registry_builds_it_and_identity_names_the_file(tiny_db):
    with connect("duckdb", path=tiny_db, timeout_s=5, max_rows=10) as wh:
        assert isinstance(wh, DuckDBWarehouse)
        assert wh.identity() == f"duckdb:{tiny_db.resolve()}"
        assert (wh.name, wh.dialect) == ("duckdb", "duckdb")


def test_closed_connector_is_unavailable(tiny_db):
    wh = DuckDBWarehouse(tiny_db)
    wh.close()
    with pytest.raises(WarehouseUnavailable):
        wh.execute("SELECT 1")


def test_jsonable_values():
    row = (
        dt.date(2026, 1, 2),
        dt.datetime(2026, 1, 2, 3, 4, 5),
        Decimal("1.50"),
        float("nan"),
        None,
        True,
        3,
    )
    assert jsonable_rows([row]) == [["2026-01-02", "2026-01-02T03:04:05", 1.5, None, None, True, 3]]
    assert jsonable({"a": [float("inf"), Decimal(2)]}) == {"a": [None, 2.0]}
