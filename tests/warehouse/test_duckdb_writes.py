"""Batch writes into a DuckDB file that a connector is reading (#19): in place when the file is free,
else a copy moved over it; the reading connector switches to the new file between queries."""
from __future__ import annotations

import os
import threading

import duckdb
import pytest

from warehouse.duckdb import DuckDBWarehouse
from warehouse.duckdb_writes import open_for_writing


@pytest.fixture()
def small_file(tmp_path):
    path = tmp_path / "small.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE numbers AS SELECT range AS n FROM range(10)")
    return path


def test_a_free_file_is_written_in_place(small_file):
    inode = os.stat(small_file).st_ino
    with open_for_writing(small_file) as connection:
        connection.execute("INSERT INTO numbers VALUES (10)")
    assert os.stat(small_file).st_ino == inode
    with duckdb.connect(str(small_file), read_only=True) as connection:
        assert connection.execute("SELECT COUNT(*) FROM numbers").fetchone()[0] == 11


def test_a_read_file_is_replaced_and_the_reader_switches_between_queries(small_file):
    reader = DuckDBWarehouse(small_file)
    try:
        assert reader.execute("SELECT COUNT(*) FROM numbers").rows == [(10,)]
        assert reader.schema().table("scores") is None
        inode = os.stat(small_file).st_ino
        with open_for_writing(small_file) as connection:  # the reader holds the file: a copy
            connection.execute("CREATE TABLE scores AS SELECT n, n / 10 AS p FROM numbers")
            connection.execute("DELETE FROM numbers WHERE n >= 5")
            assert reader.execute("SELECT COUNT(*) FROM numbers").rows == [(10,)]  # not yet published
        assert os.stat(small_file).st_ino != inode
        assert reader.generation == 0
        assert reader.execute("SELECT COUNT(*) FROM numbers").rows == [(5,)]
        assert reader.generation == 1
        assert reader.schema().table("scores") is not None  # the schema is read afresh
        assert reader.execute("SELECT COUNT(*) FROM scores").rows == [(10,)]
    finally:
        reader.close()
    assert [p.name for p in small_file.parent.iterdir() if ".writing-" in p.name] == []


def test_a_failed_write_leaves_the_file_as_it_was(small_file):
    reader = DuckDBWarehouse(small_file)
    inode = os.stat(small_file).st_ino
    try:
        with pytest.raises(RuntimeError), open_for_writing(small_file) as connection:
            connection.execute("DELETE FROM numbers")
            raise RuntimeError("the scoring failed half-way")
        assert os.stat(small_file).st_ino == inode
        assert reader.execute("SELECT COUNT(*) FROM numbers").rows == [(10,)]
        assert reader.generation == 0
    finally:
        reader.close()
    assert [p.name for p in small_file.parent.iterdir() if ".writing-" in p.name] == []


def test_a_query_running_during_the_switch_finishes_on_the_old_file(small_file):
    reader = DuckDBWarehouse(small_file)
    started, release = threading.Event(), threading.Event()
    results = {}
    original = reader._run

    def held_run(cursor, sql, params):
        if "slow" in sql:
            started.set()
            assert release.wait(60)
        return original(cursor, sql, params)

    reader._run = held_run
    try:
        slow = threading.Thread(target=lambda: results.update(
            slow=reader.execute("SELECT COUNT(*) AS slow FROM numbers").rows))
        slow.start()
        assert started.wait(60)
        with open_for_writing(small_file) as connection:
            connection.execute("DELETE FROM numbers WHERE n >= 3")
        switched = threading.Thread(target=lambda: results.update(
            after=reader.execute("SELECT COUNT(*) FROM numbers").rows))
        switched.start()  # waits for the slow query: the old file stays open until it ends
        release.set()
        slow.join(60)
        switched.join(60)
        assert results == {"slow": [(10,)], "after": [(3,)]}
    finally:
        reader.close()
