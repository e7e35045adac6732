"""Byte caps on results (issue #15 item 4): on real DuckDB, chdb and ClickHouse over HTTP.

``SELECT repeat('a', 1e9)`` returned a gigabyte and ``string_agg`` a 330 MB
cell. Now every cell is at most ``max_cell_bytes`` (cut on a character
boundary, flagged ``max_cell_bytes``) and a result at most
``max_result_bytes`` (rows past it left out, flagged ``max_result_bytes``,
``truncated`` set), on every engine.
"""
from __future__ import annotations

import pytest
from ch_http_server import running_server

from warehouse._result_caps import (
    MAX_CELL_BYTES,
    MAX_RESULT_BYTES,
    MAX_ROWS,
    ResultBudget,
    cap_value,
    value_size,
)
from warehouse.chdb import ChdbWarehouse
from warehouse.clickhouse import ClickHouseWarehouse
from warehouse.duckdb import DuckDBWarehouse, _text_cut_by_engine

CELL, RESULT, ROWS = 1_000, 50_000, 1_000
CAPS = {"max_rows": ROWS, "max_cell_bytes": CELL, "max_result_bytes": RESULT}

# The same questions in each engine's words (ClickHouse caps repeat() at a million).
SQL = {
    "duckdb": {
        "giant_cell": "SELECT repeat('a', 5000000) AS s, 7 AS n",
        "multibyte_cell": "SELECT repeat('é', 100000) AS s",
        "aggregated_cell": "SELECT string_agg(CAST(range AS VARCHAR), ',') AS s FROM range(1000000)",
        "long_list": "SELECT list(repeat('x', 100)) AS l FROM range(1000)",
        "many_rows": "SELECT range AS i, repeat('x', 900) AS s FROM range(1000) ORDER BY range",
        "row_cap": "SELECT range AS i FROM range(2000)",
        "ordered": "SELECT v FROM (VALUES ('b'), ('a'), ('c')) t(v) ORDER BY v DESC",
    },
    "clickhouse": {
        "giant_cell": "SELECT repeat('a', 1000000) AS s, 7 AS n",
        "multibyte_cell": "SELECT repeat('é', 100000) AS s",
        "aggregated_cell": ("SELECT arrayStringConcat(groupArray(toString(number)), ',') AS s "
                            "FROM numbers(1000000)"),
        "long_list": "SELECT groupArray(repeat('x', 100)) AS l FROM numbers(1000)",
        "many_rows": "SELECT number AS i, repeat('x', 900) AS s FROM numbers(1000) ORDER BY number",
        "row_cap": "SELECT number AS i FROM numbers(2000)",
        "ordered": "SELECT v FROM (SELECT arrayJoin(['b', 'a', 'c']) AS v) ORDER BY v DESC",
    },
}


@pytest.fixture(scope="module")
def capped_duckdb(demo_db_path):
    with DuckDBWarehouse(demo_db_path, **CAPS) as warehouse:
        yield warehouse


@pytest.fixture(scope="module")
def capped_chdb(chdb_path, chdb_wh):
    with ChdbWarehouse(chdb_path, **CAPS) as warehouse:
        yield warehouse


@pytest.fixture(scope="module")
def capped_http(tmp_path_factory):
    data = tmp_path_factory.mktemp("caps-http") / "data"
    with (running_server(data, user="asklytics", password="x-secret") as port,
          ClickHouseWarehouse(f"http://asklytics:x-secret@127.0.0.1:{port}/default", **CAPS) as warehouse):
        yield warehouse


ENGINES = ["capped_duckdb", "capped_chdb", "capped_http"]


def _run(request, engine: str, case: str):
    warehouse = request.getfixturevalue(engine)
    return warehouse.execute(SQL[warehouse.dialect][case])


@pytest.mark.parametrize("engine", ENGINES)
def test_a_giant_cell_is_cut_and_flagged_and_the_row_kept(engine, request):
    result = _run(request, engine, "giant_cell")
    (text, n), = result.rows
    assert (len(text), n) == (CELL, 7) and set(text) == {"a"}
    assert result.truncation == (MAX_CELL_BYTES,) and not result.truncated


@pytest.mark.parametrize("engine", ENGINES)
def test_multibyte_text_is_cut_on_a_character_boundary(engine, request):
    (text,), = _run(request, engine, "multibyte_cell").rows
    assert set(text) == {"é"} and CELL - 1 <= len(text.encode("utf-8")) <= CELL


@pytest.mark.parametrize("engine", ENGINES)
def test_an_aggregated_cell_is_cut(engine, request):
    result = _run(request, engine, "aggregated_cell")
    (text,), = result.rows
    assert text.startswith("0,1,2,") and len(text) == CELL and MAX_CELL_BYTES in result.truncation


@pytest.mark.parametrize("engine", ENGINES)
def test_a_long_list_keeps_the_elements_that_fit(engine, request):
    result = _run(request, engine, "long_list")
    (values,), = result.rows
    assert 0 < len(values) < 1000 and value_size(values) <= CELL and set(values) == {"x" * 100}
    assert MAX_CELL_BYTES in result.truncation


@pytest.mark.parametrize("engine", ENGINES)
def test_rows_past_the_result_cap_are_left_out(engine, request):
    result = _run(request, engine, "many_rows")
    assert result.truncated and result.truncation == (MAX_RESULT_BYTES,)
    assert 0 < result.row_count < ROWS
    assert [r[0] for r in result.rows] == list(range(result.row_count))  # the first rows, in order
    assert sum(value_size(v) for row in result.rows for v in row) <= RESULT


@pytest.mark.parametrize("engine", ENGINES)
def test_the_row_cap_is_still_a_row_cap(engine, request):
    result = _run(request, engine, "row_cap")
    assert result.row_count == ROWS and result.truncated and result.truncation == (MAX_ROWS,)


@pytest.mark.parametrize("engine", ENGINES)
def test_order_survives(engine, request):
    result = _run(request, engine, "ordered")
    assert result.rows == [("c",), ("b",), ("a",)] and result.truncation == ()


def test_duckdb_cuts_text_columns_in_the_engine(capped_duckdb):
    cursor = capped_duckdb._cursor()
    try:
        wrapped = _text_cut_by_engine(cursor, "SELECT event_name, revenue FROM events", None, 1000)
        assert wrapped.startswith('SELECT left("event_name", 1001) AS "event_name", "revenue" FROM (')
        plain = "SELECT revenue FROM events"
        assert _text_cut_by_engine(cursor, plain, None, 1000) == plain
        same_names = "SELECT a.user_id, b.user_id FROM events a JOIN installs b USING (user_id)"
        assert _text_cut_by_engine(cursor, same_names, None, 1000) == same_names
        assert _text_cut_by_engine(cursor, "SET threads = 1", None, 1000) == "SET threads = 1"
    finally:
        cursor.close()


def test_cap_value_by_type():
    assert cap_value("abc", 2) == ("ab", True)
    assert cap_value("abc", 3) == ("abc", False)
    assert cap_value("ééé", 5) == ("éé", True)
    assert cap_value(b"\x00" * 10, 4) == (b"\x00" * 4, True)
    assert cap_value(["ab", "cd", "ef"], 5) == (["ab", "cd"], True)
    assert cap_value(("ab",) * 3, 4) == (("ab", "ab"), True)
    assert cap_value({"a": "xxxx", "b": "yyyy"}, 6) == ({"a": "xxxx"}, True)
    assert cap_value(12345678901234567890, 1) == (12345678901234567890, False)


def test_budget_counts_and_stops():
    budget = ResultBudget(max_rows=3, max_cell_bytes=4, max_result_bytes=20)
    assert budget.add(("abcdef", 1))  # 4 + 8 bytes, one cell cut
    assert not budget.add(("abcd", 1))  # would make 24
    assert budget.rows == [("abcd", 1)] and budget.truncated
    assert budget.truncation() == (MAX_RESULT_BYTES, MAX_CELL_BYTES)
    rows = ResultBudget(max_rows=1)
    assert rows.add((1,)) and not rows.add((2,)) and rows.truncation() == (MAX_ROWS,)
