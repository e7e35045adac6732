"""A damaged DuckDB file: answers are a 503 that says what to do, and readiness is red, never a green 200.

The damage is real: bytes of a copy of the demo file are overwritten, so DuckDB's own
block checksums (or its header check) find it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from app.interfaces.assembly import create_app
from app.settings import Settings
from warehouse.duckdb import DuckDBWarehouse
from warehouse.errors import WarehouseUnavailable

HEADERS_BYTES = 3 * 4096  # DuckDB's file header and its two database headers precede block 0
QUESTION = "installs by platform"  # reads the platform of every install, in every row group


def _blocks(path: Path, table: str, row_groups) -> tuple[list[int], int]:
    with duckdb.connect(str(path), read_only=True) as con:
        block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
        rows = con.execute(f"SELECT row_group_id, block_id FROM pragma_storage_info('{table}') "
                           "WHERE block_id >= 0").fetchall()
    return sorted({block for group, block in rows if row_groups(group)}), block_size


def _damage(source: Path, target: Path, table: str, row_groups) -> Path:
    """A copy of ``source`` with the middle of every block of ``table``'s chosen row groups overwritten."""
    shutil.copy(source, target)
    blocks, block_size = _blocks(target, table, row_groups)
    assert blocks
    with target.open("r+b") as out:
        for block in blocks:
            out.seek(HEADERS_BYTES + block * block_size + block_size // 2)
            out.write(b"\xa5" * 4096)
    return target


@pytest.fixture()
def damaged_deep(demo_db_path, tmp_path) -> Path:
    """installs' second row group damaged: its first rows still read fine."""
    return _damage(demo_db_path, tmp_path / "deep.duckdb", "installs", lambda group: group >= 1)


@pytest.fixture()
def damaged_start(demo_db_path, tmp_path) -> Path:
    """installs' first row group damaged."""
    return _damage(demo_db_path, tmp_path / "start.duckdb", "installs", lambda group: group == 0)


def _client(path: Path, tmp_path: Path) -> TestClient:
    settings = Settings(warehouse_path=path, data_dir=tmp_path / "data", cache_enabled=False)
    return TestClient(create_app(settings))


def _assert_actionable(error: dict, path: Path) -> None:
    assert error["code"] == "warehouse_unavailable"
    assert str(path.resolve()) in error["message"] and "not a valid DuckDB database" in error["message"]
    assert "asklytics demo build" in error["message"] and "ASKLYTICS_WAREHOUSE_PATH" in error["message"]


def test_damage_found_by_a_question_is_a_503_and_turns_readiness_red(damaged_deep, tmp_path):
    with _client(damaged_deep, tmp_path) as client:
        answer = client.post("/api/v1/ask", json={"question": QUESTION})
        assert answer.status_code == 503, answer.json()
        _assert_actionable(answer.json()["error"], damaged_deep)
        ready = client.get("/readyz")
        assert ready.status_code == 503
        _assert_actionable(ready.json()["error"], damaged_deep)
        assert ready.json()["components"]["warehouse"]["status"] == "down"


def test_damage_at_a_table_start_turns_readiness_red_before_any_question(damaged_start, tmp_path):
    with _client(damaged_start, tmp_path) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        _assert_actionable(ready.json()["error"], damaged_start)
        answer = client.post("/api/v1/ask", json={"question": QUESTION})
        assert answer.status_code == 503
        _assert_actionable(answer.json()["error"], damaged_start)


def test_a_file_that_is_not_a_duckdb_database_says_how_to_fix_it(demo_db_path, tmp_path):
    broken = tmp_path / "header.duckdb"
    shutil.copy(demo_db_path, broken)
    with broken.open("r+b") as out:
        out.write(b"\x00" * 4096)
    with _client(broken, tmp_path) as client:
        ready = client.get("/readyz")
        answer = client.post("/api/v1/ask", json={"question": QUESTION})
    assert (ready.status_code, answer.status_code) == (503, 503)
    _assert_actionable(ready.json()["error"], broken)
    _assert_actionable(answer.json()["error"], broken)


def test_the_connector_reports_the_damage_on_every_later_call(damaged_deep):
    warehouse = DuckDBWarehouse(damaged_deep, timeout_s=30, max_rows=10)
    try:
        assert warehouse.execute("SELECT 1").rows == [(1,)]
        with pytest.raises(WarehouseUnavailable, match="not a valid DuckDB database"):
            warehouse.execute("SELECT platform, count(*) FROM installs GROUP BY platform")
        with pytest.raises(WarehouseUnavailable, match="asklytics demo build"):
            warehouse.execute("SELECT 1")  # the file does not heal; nothing it says can be trusted now
    finally:
        warehouse.close()


def test_an_ordinary_query_error_is_not_taken_for_damage(duckdb_wh):
    from warehouse.errors import QueryFailed

    with pytest.raises(QueryFailed):
        duckdb_wh.execute("SELECT no_such_column FROM installs")
    assert duckdb_wh.execute("SELECT 1").rows == [(1,)]
