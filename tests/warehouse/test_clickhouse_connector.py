"""The ClickHouse HTTP connector against a real HTTP server running ClickHouse's engine.

``ch_http_server.py`` runs in a subprocess (its own chdb data folder) and
answers the real clickhouse-connect client; settings such as ``readonly`` and
``max_execution_time`` are enforced by the engine there, and every request is
logged so the tests can check what reached the server.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from ch_http_server import running_server

from warehouse.clickhouse import ClickHouseWarehouse, ServerAddress
from warehouse.errors import QueryCancelled, QueryFailed, QueryTimeout, WarehouseUnavailable
from warehouse.registry import connect

USER, PASSWORD = "analyst", "pa55-w0rd-XYZ"
ROWS = 20_000
INIT_SQL = f"""
CREATE TABLE installs (
    install_id String, campaign_id Nullable(String), install_time DateTime64(6),
    platform String, is_fraud Bool, score Float64, install_date Date
) ENGINE = MergeTree ORDER BY tuple();
INSERT INTO installs SELECT
    'i' || toString(number),
    if(number % 4 = 0, NULL, 'c' || toString(number % 3)),
    toDateTime64('2026-01-01 00:00:00', 6, 'UTC') + number * 60,
    if(number % 2 = 0, 'iOS', 'Android'),
    number % 10 = 0,
    number / 8,
    toDate('2026-01-01') + number % 30
FROM numbers({ROWS});
CREATE TABLE asklytics_meta (key String, value String) ENGINE = MergeTree ORDER BY key;
INSERT INTO asklytics_meta VALUES ('scale', '1')
"""
# Far more work than any test timeout allows.
ENDLESS = "SELECT count() FROM numbers(100000000) a, installs b WHERE a.number + b.score = -1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ch-http")
    (folder / "init.sql").write_text(INIT_SQL)
    log = folder / "requests.jsonl"
    with running_server(
        folder / "data", user=USER, password=PASSWORD, log=log, init_sql=folder / "init.sql"
    ) as port:
        yield {"url": f"http://{USER}:{PASSWORD}@127.0.0.1:{port}/default", "port": port, "log": log}


@pytest.fixture(scope="module")
def wh(server):
    warehouse = ClickHouseWarehouse(server["url"], timeout_s=2.0, max_rows=50, max_memory_bytes=1_000_000_000)
    yield warehouse
    warehouse.close()


def _logged(server, query_id: str) -> dict:
    entries = [json.loads(line) for line in server["log"].read_text().splitlines()]
    return next(e for e in entries if e["transport"].get("query_id") == query_id)


def test_rows_and_clickhouse_types(wh):
    result = wh.execute(
        "SELECT install_id, campaign_id, install_time, is_fraud, score, install_date "
        "FROM installs WHERE install_id IN ('i0', 'i1') ORDER BY install_id"
    )
    assert [(c.name, c.type) for c in result.columns] == [
        ("install_id", "String"),
        ("campaign_id", "Nullable(String)"),
        ("install_time", "DateTime64(6)"),
        ("is_fraud", "Bool"),
        ("score", "Float64"),
        ("install_date", "Date"),
    ]
    assert result.rows == [
        ("i0", None, dt.datetime(2026, 1, 1, 0, 0), True, 0.0, dt.date(2026, 1, 1)),
        ("i1", "c1", dt.datetime(2026, 1, 1, 0, 1), False, 0.125, dt.date(2026, 1, 2)),
    ]
    assert not result.truncated


def test_limits_reach_the_server_as_settings_with_the_query_id(wh, server):
    result = wh.execute("SELECT count() FROM installs")
    assert result.rows == [(ROWS,)]
    request = _logged(server, result.query_id)
    assert request["user"] == USER
    assert {
        k: request["settings"][k]
        for k in (
            "readonly",
            "max_execution_time",
            "max_result_rows",
            "result_overflow_mode",
            "max_memory_usage",
        )
    } == {
        "readonly": "1",
        "max_execution_time": "2.0",
        "max_result_rows": "51",
        "result_overflow_mode": "break",
        "max_memory_usage": "1000000000",
    }


def test_row_cap_truncates(wh):
    result = wh.execute("SELECT install_id FROM installs ORDER BY install_time")
    assert result.row_count == 50 and result.truncated
    assert result.rows[-1] == ("i49",)


def test_named_parameters_are_bound_server_side(wh, server):
    result = wh.execute("SELECT count() FROM installs WHERE platform = {p:String}", {"p": "iOS"})
    assert result.rows == [(ROWS // 2,)]
    assert _logged(server, result.query_id)["params"] == {"p": "iOS"}


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO installs SELECT * FROM installs LIMIT 1",
        "DROP TABLE installs",
        "CREATE TABLE t (a Int8) ENGINE = Memory",
        "SELECT * FROM file('/etc/passwd', 'LineAsString')",
        "SELECT * FROM url('http://127.0.0.1:1/x', 'LineAsString')",
        "SELECT 1 SETTINGS readonly = 0",
        "SELECT 1 SETTINGS max_execution_time = 100000",
    ],
)
def test_readonly_setting_makes_the_server_refuse(wh, sql):
    with pytest.raises(QueryFailed) as err:
        wh.execute(sql)
    assert "READONLY" in err.value.message and "\n" not in err.value.message
    assert wh.execute("SELECT count() FROM installs").rows == [(ROWS,)]


def test_engine_errors_are_one_line_and_keep_the_server_message(wh):
    with pytest.raises(QueryFailed) as err:
        wh.execute("SELECT no_such_column FROM installs")
    assert err.value.message.startswith("Code: 47.") and "no_such_column" in err.value.message
    assert PASSWORD not in err.value.message


def test_timeout_is_enforced_by_the_server_and_connector_recovers(wh):
    with pytest.raises(QueryTimeout) as err:
        wh.execute(ENDLESS)
    assert "2 s limit" in err.value.message
    assert wh.execute("SELECT 1").rows == [(1,)]


def test_cancel_kills_the_running_query_by_its_id(server):
    wh = ClickHouseWarehouse(server["url"], timeout_s=120)
    outcome: dict[str, BaseException] = {}

    def run() -> None:
        try:
            wh.execute(ENDLESS)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    query_id = _running_query_id(wh)
    wh.cancel()
    worker.join(60)
    assert isinstance(outcome.get("error"), QueryCancelled)
    kills = [line for line in server["log"].read_text().splitlines() if "KILL QUERY" in line]
    assert any(query_id in line for line in kills)
    assert wh.execute("SELECT 1").rows == [(1,)]
    wh.close()


def _running_query_id(wh: ClickHouseWarehouse) -> str:
    for _ in range(500):
        if ids := wh._inflight.running_ids():
            time.sleep(0.5)  # let the server start executing it
            return ids[0]
        time.sleep(0.01)
    raise AssertionError("the query never started")


def test_concurrent_queries(wh):
    def count_day(n: int) -> tuple[int, int]:
        rows = wh.execute(
            f"SELECT count() FROM installs WHERE install_date = toDate('2026-01-01') + {n}"
        ).rows
        return n, rows[0][0]

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = dict(pool.map(count_day, range(16)))
    assert answers == {n: len([i for i in range(ROWS) if i % 30 == n]) for n in range(16)}


def test_schema(wh):
    schema = wh.schema()
    assert schema.table_names() == ["installs"]
    installs = schema.table("installs")
    assert installs.row_count == ROWS
    assert installs.column("platform").values == ("Android", "iOS")
    assert installs.column("campaign_id").values == ("c0", "c1", "c2")
    assert installs.column("install_id").values == ()


def test_wrong_password_is_unavailable_and_never_echoed(server):
    url = server["url"].replace(PASSWORD, "wrong-Secret-42")
    with pytest.raises(WarehouseUnavailable) as err:
        ClickHouseWarehouse(url)
    assert "wrong-Secret-42" not in err.value.message and "AUTHENTICATION_FAILED" in err.value.message


def test_unreachable_server_is_unavailable_without_the_password():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    with pytest.raises(WarehouseUnavailable) as err:
        ClickHouseWarehouse(f"http://{USER}:{PASSWORD}@127.0.0.1:{free_port}/default", timeout_s=2)
    assert PASSWORD not in err.value.message and f"127.0.0.1:{free_port}" in err.value.message


def test_server_going_away_makes_queries_unavailable(tmp_path):
    with running_server(tmp_path / "data", user=USER, password=PASSWORD) as port:
        wh = ClickHouseWarehouse(f"http://{USER}:{PASSWORD}@127.0.0.1:{port}/default", timeout_s=5)
        assert wh.execute("SELECT 41 + 1").rows == [(42,)]
    with pytest.raises(WarehouseUnavailable) as err:
        wh.execute("SELECT 1")
    assert PASSWORD not in err.value.message
    wh.close()


def test_identity_and_registry_hide_the_password(server):
    with connect("clickhouse", url=server["url"], timeout_s=5, max_rows=10) as wh:
        assert isinstance(wh, ClickHouseWarehouse)
        assert PASSWORD not in wh.identity() and USER in wh.identity()
        assert (wh.name, wh.dialect) == ("clickhouse", "clickhouse")


def test_url_parsing():
    address = ServerAddress.parse("https://bob:p%40ss@ch.example.com/analytics")
    assert (address.host, address.port, address.username, address.password, address.database) == (
        "ch.example.com",
        8443,
        "bob",
        "p@ss",
        "analytics",
    )
    assert ServerAddress.parse("http://localhost").port == 8123
    with pytest.raises(WarehouseUnavailable):
        ServerAddress.parse("localhost:8123")


def test_empty_answer_still_has_columns(wh):
    # Native over HTTP sends no block for zero rows; the connector asks DESCRIBE.
    result = wh.execute(
        "SELECT platform, count() AS installs FROM installs WHERE install_date > {d:Date} GROUP BY platform",
        {"d": "2030-01-01"},
    )
    assert result.rows == [] and not result.truncated
    assert [(c.name, c.type) for c in result.columns] == [("platform", "String"), ("installs", "UInt64")]
