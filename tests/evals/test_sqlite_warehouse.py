"""The read-only SQLite connector on real fixture files."""

from __future__ import annotations

import threading

import pytest

from warehouse.errors import QueryCancelled, QueryFailed, QueryTimeout, WarehouseUnavailable
from warehouse.registry import connect
from warehouse.sqlite import SqliteWarehouse

ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


@pytest.fixture
def singers(spider_db_dir):
    wh = SqliteWarehouse(spider_db_dir / "concert_singer" / "concert_singer.sqlite", max_rows=4)
    yield wh
    wh.close()


def test_registered_by_name_with_the_sqlite_dialect(spider_db_dir):
    wh = connect("sqlite", path=spider_db_dir / "pets_1" / "pets_1.sqlite")
    assert isinstance(wh, SqliteWarehouse) and wh.dialect == "sqlite"
    assert wh.execute("SELECT count(*) FROM pets").rows == [(3,)]


def test_rows_columns_and_row_cap(singers):
    result = singers.execute("SELECT name, age FROM singer ORDER BY singer_id")
    assert [c.name for c in result.columns] == ["name", "age"]
    assert [c.type for c in result.columns] == ["TEXT", "INTEGER"]
    assert result.row_count == 4 and result.truncated
    assert result.rows[0] == ("Joe Sharp", 52)


def test_parameters_are_bound(singers):
    assert singers.execute("SELECT count(*) FROM singer WHERE country = ?", ["France"]).rows == [(4,)]


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO singer VALUES (9, 'X', 'Y', 1)",
        "DELETE FROM singer",
        "UPDATE singer SET age = 0",
        "DROP TABLE concert",
        "CREATE TABLE t (x INTEGER)",
        "ATTACH DATABASE '/tmp/other.sqlite' AS other",
    ],
)
def test_writes_and_attach_are_refused(singers, sql):
    with pytest.raises(QueryFailed):
        singers.execute(sql)
    assert singers.execute("SELECT count(*) FROM singer").rows == [(6,)]


def test_timeout_stops_a_runaway_query(spider_db_dir):
    wh = SqliteWarehouse(spider_db_dir / "pets_1" / "pets_1.sqlite", timeout_s=0.2)
    with pytest.raises(QueryTimeout, match="limit"):
        wh.execute(ENDLESS)
    assert wh.execute("SELECT 1").rows == [(1,)]


def test_cancel_interrupts_a_running_query(spider_db_dir):
    wh = SqliteWarehouse(spider_db_dir / "pets_1" / "pets_1.sqlite", timeout_s=60)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            wh.execute(ENDLESS)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    while thread.is_alive() and not wh._inflight.running_ids():
        thread.join(0.01)
    wh.cancel()
    thread.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], QueryCancelled)


def test_engine_errors_are_one_line_messages(singers):
    with pytest.raises(QueryFailed) as caught:
        singers.execute("SELECT nope FROM singer")
    assert "no such column" in caught.value.message and "\n" not in caught.value.message


def test_schema_lists_tables_columns_and_low_cardinality_values(spider_db_dir):
    schema = SqliteWarehouse(spider_db_dir / "pets_1" / "pets_1.sqlite").schema()
    assert schema.table_names() == ["has_pet", "pets", "student"]
    pets = schema.table("pets")
    assert pets.row_count == 3
    assert [c.name for c in pets.columns] == ["petid", "pettype", "pet_age", "weight"]
    assert pets.column("pettype").values == ("cat", "dog")
    assert pets.column("weight").values == ()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(WarehouseUnavailable, match="no SQLite database file"):
        SqliteWarehouse(tmp_path / "absent.sqlite")
