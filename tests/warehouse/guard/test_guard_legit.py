"""Legitimate analytics queries (legit_queries.yaml): accepted, and the guarded
SQL returns the same rows as the unguarded query -- on DuckDB, and on chdb
after transpiling (or through the hand-written ClickHouse version)."""
from __future__ import annotations

import pytest
from conftest import CONTRACT_TABLES, assert_rows_equal, load_cases

from warehouse.guard import guard_sql

LEGIT = load_cases("legit_queries.yaml")
CAP = 1000
IDS = [c["id"] for c in LEGIT]


@pytest.fixture(scope="session")
def demo_schema(duckdb_wh):
    return duckdb_wh.schema()


@pytest.fixture(scope="session")
def chdb_schema(chdb_wh):
    return chdb_wh.schema()


def test_set_is_large_enough():
    assert len(LEGIT) >= 60


def test_hand_written_contract_schema_matches_the_demo(demo_schema):
    for table, columns in CONTRACT_TABLES.items():
        real = demo_schema.table(table)
        assert real is not None, table
        assert {c.name: c.type for c in real.columns}.items() >= columns.items()


def _assert_same(case, got, expected):
    if case.get("capped"):
        assert len(expected) > CAP, "a capped case must return more rows than the cap unguarded"
        assert_rows_equal(got, expected[:CAP], ordered=True)
    elif case.get("top"):
        assert len(got) == case["top"]
        assert_rows_equal(got, expected, ordered=True)
    else:
        assert len(expected) <= CAP
        assert_rows_equal(got, expected, ordered=False)


@pytest.mark.parametrize("case", LEGIT, ids=IDS)
def test_guarded_duckdb_returns_the_unguarded_rows(case, duckdb_wh, demo_schema):
    guarded = guard_sql(case["sql"], schema=demo_schema, dialect="duckdb", max_rows=CAP)
    assert guarded.limit == (case.get("top") or CAP)
    expected = duckdb_wh.execute(case["sql"]).rows
    _assert_same(case, duckdb_wh.execute(guarded.sql).rows, expected)


@pytest.mark.parametrize("case", LEGIT, ids=IDS)
def test_chdb_returns_the_duckdb_rows(case, duckdb_wh, demo_schema, chdb_wh, chdb_schema):
    expected = duckdb_wh.execute(case["sql"]).rows
    if "clickhouse" in case:
        assert case.get("clickhouse_reason"), "a hand-written ClickHouse version needs its reason"
        guarded = guard_sql(case["clickhouse"], schema=chdb_schema, dialect="clickhouse", max_rows=CAP)
    else:
        guarded = guard_sql(case["sql"], schema=demo_schema, dialect="duckdb",
                            target_dialect="clickhouse", max_rows=CAP)
    _assert_same(case, chdb_wh.execute(guarded.sql).rows, expected)
