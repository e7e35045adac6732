"""The guard over SQLite (the eval harness's Spider/BIRD engine): accepted
queries return the unguarded rows, and the connector refuses file access on
its own too. The database is a small real file built from the demo's
campaigns and spend, so the rows are known data."""
from __future__ import annotations

import sqlite3

import pytest
from conftest import assert_rows_equal

from warehouse.errors import WarehouseError
from warehouse.guard import GuardError, guard_sql

QUERIES = {
    "group_by": "SELECT media_source, COUNT(*) AS n FROM campaigns GROUP BY media_source",
    "join_sum": ("SELECT c.channel, SUM(s.cost) AS cost FROM ad_spend s "
                 "JOIN campaigns c ON c.campaign_id = s.campaign_id GROUP BY c.channel"),
    "cte_window": (
        "WITH spend AS (SELECT campaign_id, SUM(cost) AS cost FROM ad_spend GROUP BY campaign_id) "
        "SELECT campaign_id, RANK() OVER (ORDER BY cost DESC) AS rnk FROM spend"
    ),
    "top3": "SELECT campaign_id, SUM(clicks) AS clicks FROM ad_spend GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3",
    "main_qualified": "SELECT COUNT(*) FROM main.campaigns WHERE platform = 'iOS'",
    "case_insensitive": "SELECT COUNT(*) FROM CAMPAIGNS WHERE Platform = 'Android'",
}


@pytest.fixture(scope="module")
def sqlite_wh(tmp_path_factory, duckdb_wh):
    from warehouse.sqlite import SqliteWarehouse

    path = tmp_path_factory.mktemp("sqlite") / "demo.sqlite"
    with sqlite3.connect(path) as conn:
        for table in ("campaigns", "ad_spend"):
            result = duckdb_wh.execute(f"SELECT * FROM {table}")
            names = result.column_names()
            conn.execute(f"CREATE TABLE {table} ({', '.join(names)})")
            rows = [tuple(str(v) if hasattr(v, "isoformat") else v for v in row) for row in result.rows]
            conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(names))})", rows)
    wh = SqliteWarehouse(path, timeout_s=30, max_rows=100_000)
    yield wh
    wh.close()


@pytest.fixture(scope="module")
def sqlite_schema(sqlite_wh):
    return sqlite_wh.schema()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_guarded_sqlite_returns_the_unguarded_rows(name, sqlite_wh, sqlite_schema):
    sql = QUERIES[name]
    guarded = guard_sql(sql, schema=sqlite_schema, dialect="sqlite", max_rows=1000)
    assert_rows_equal(sqlite_wh.execute(guarded.sql).rows, sqlite_wh.execute(sql).rows,
                      ordered=name == "top3")


def test_duckdb_sql_is_transpiled_to_sqlite(sqlite_wh, sqlite_schema, duckdb_wh):
    sql = ("SELECT media_source, COUNT(*) FILTER (WHERE platform = 'iOS') AS ios FROM campaigns "
           "GROUP BY media_source")
    guarded = guard_sql(sql, schema=sqlite_schema, dialect="duckdb", target_dialect="sqlite")
    assert_rows_equal(sqlite_wh.execute(guarded.sql).rows, duckdb_wh.execute(sql).rows, ordered=False)


@pytest.mark.parametrize("sql", [
    "ATTACH DATABASE '{path}' AS other",
    "SELECT load_extension('{path}')",
    "CREATE TABLE stolen (a)",
])
def test_sqlite_connector_refuses_without_the_guard(sql, sqlite_wh, sqlite_schema, tmp_path):
    statement = sql.format(path=tmp_path / "x.db")
    with pytest.raises(GuardError):
        guard_sql(statement, schema=sqlite_schema, dialect="sqlite")
    with pytest.raises(WarehouseError):
        sqlite_wh.execute(statement)
