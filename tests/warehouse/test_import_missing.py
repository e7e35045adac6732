"""Missing-value markers (``NA``, ``N/A``, ``NaN``, ...) in CSV imports, on real DuckDB files.

A column becomes its real type with its markers as NULL only when every other value parses as
that type; a marker among text values (Namibia's country code ``NA``) stays a value.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from warehouse.importing import MISSING_MARKERS, import_files


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def read(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def types(db: Path, table: str) -> dict[str, str]:
    return {row[0]: row[1] for row in read(db, f'DESCRIBE "{table}"')}


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "mine.duckdb"


def test_a_number_column_with_na_is_a_number_and_na_is_null(tmp_path, db):
    csv = write(tmp_path / "flights.csv", "flight,dep_delay,air_time", "1,NA,227", "2,4,NA", "3,-2,160",
                "4,NA,183")
    summary = import_files([csv], db)
    assert types(db, "flights") == {"flight": "BIGINT", "dep_delay": "BIGINT", "air_time": "BIGINT"}
    assert read(db, "SELECT dep_delay, air_time FROM flights ORDER BY flight") == [
        (None, 227), (4, None), (-2, 160), (None, 183)]
    assert read(db, "SELECT sum(dep_delay), count(dep_delay) FROM flights") == [(2, 2)]
    assert summary.tables[0].missing == (("dep_delay", 2), ("air_time", 1))


def test_country_codes_keep_namibia(tmp_path, db):
    csv = write(tmp_path / "installs.csv", "country,installs", "US,10", "NA,3", "FR,7", "NA,1", "DE,2")
    summary = import_files([csv], db)
    assert types(db, "installs") == {"country": "VARCHAR", "installs": "BIGINT"}
    assert read(db, "SELECT country FROM installs") == [("US",), ("NA",), ("FR",), ("NA",), ("DE",)]
    assert summary.tables[0].missing == ()


def test_dates_and_timestamps_with_na(tmp_path, db):
    csv = write(tmp_path / "planes.csv", "tailnum,year,registered,last_seen,retired",
                "N10156,2004,2004-01-05,05/01/2026 10:00:00,NA",
                "N102UW,NA,NA,N/A,NA",
                "N103US,1999,1999-12-31,07/01/2026 11:30:00,2020-03-01")
    summary = import_files([csv], db)
    assert types(db, "planes") == {"tailnum": "VARCHAR", "year": "BIGINT", "registered": "DATE",
                                   "last_seen": "TIMESTAMP", "retired": "DATE"}
    assert read(db, "SELECT year, registered, last_seen, retired FROM planes WHERE tailnum = 'N103US'") == [
        (1999, dt.date(1999, 12, 31), dt.datetime(2026, 1, 7, 11, 30), dt.date(2020, 3, 1))]
    assert read(db, "SELECT year, registered, last_seen FROM planes WHERE tailnum = 'N102UW'") == [
        (None, None, None)]
    assert dict(summary.tables[0].missing) == {"year": 1, "registered": 1, "last_seen": 1, "retired": 2}


@pytest.mark.parametrize("marker", MISSING_MARKERS)
def test_every_marker_is_missing_in_a_number_column(tmp_path, db, marker):
    csv = write(tmp_path / "cost.csv", "day,cost", "1,2.5", f"2,{marker}", "3,1.25")
    import_files([csv], db)
    assert types(db, "cost")["cost"] == "DOUBLE"
    assert read(db, "SELECT cost FROM cost ORDER BY day") == [(2.5,), (None,), (1.25,)]


def test_a_column_with_text_besides_the_markers_stays_text(tmp_path, db):
    csv = write(tmp_path / "orders.csv", "id,amount,note", "1,10,NA", "2,NA,", "3,unknown,None", "4,7,ok")
    summary = import_files([csv], db)
    assert types(db, "orders") == {"id": "BIGINT", "amount": "VARCHAR", "note": "VARCHAR"}
    assert read(db, "SELECT amount, note FROM orders ORDER BY id") == [
        ("10", "NA"), ("NA", None), ("unknown", "None"), ("7", "ok")]
    assert summary.tables[0].missing == ()


def test_a_column_of_markers_only_is_left_as_it_is(tmp_path, db):
    csv = write(tmp_path / "t.csv", "id,gust", "1,NA", "2,NA")
    import_files([csv], db)
    assert read(db, "SELECT gust FROM t") == [("NA",), ("NA",)]


def test_nan_in_a_float_column_is_null(tmp_path, db):
    csv = write(tmp_path / "weather.csv", "hour,temp", "1,10.5", "2,NaN", "3,11.0")
    summary = import_files([csv], db)
    assert read(db, "SELECT sum(temp), count(temp) FROM weather") == [(21.5, 2)]
    assert summary.tables[0].missing == (("temp", 1),)


def test_a_marker_past_the_sample_and_snake_case(tmp_path, db):
    rows = [f"{i},{i % 50}" for i in range(30_000)] + ["30000,NA"]
    csv = write(tmp_path / "events.csv", "Event ID,Dep Delay", *rows)
    summary = import_files([csv], db, snake_case=True)
    assert types(db, "events") == {"event_id": "BIGINT", "dep_delay": "BIGINT"}
    assert read(db, "SELECT count(*), count(dep_delay) FROM events") == [(30_001, 30_000)]
    assert summary.tables[0].missing == (("dep_delay", 1),)


def test_parts_of_one_export_with_and_without_markers(tmp_path, db):
    folder = tmp_path / "export"
    folder.mkdir()
    write(folder / "installs_2026-01.csv", "country,revenue", "US,1.5", "NA,2.0")
    write(folder / "installs_2026-02.csv", "country,revenue", "FR,NA", "DE,3.0")
    summary = import_files([folder], db)
    assert types(db, "installs") == {"country": "VARCHAR", "revenue": "DOUBLE"}
    assert read(db, "SELECT country, revenue FROM installs ORDER BY country") == [
        ("DE", 3.0), ("FR", None), ("NA", 2.0), ("US", 1.5)]
    assert summary.tables[0].missing == (("revenue", 1),)


def test_parquet_and_json_are_read_as_they_are(tmp_path, db):
    (tmp_path / "events.ndjson").write_text('{"code": "NA", "value": "NA"}\n{"code": "US", "value": "1"}\n')
    summary = import_files([tmp_path / "events.ndjson"], db)
    assert read(db, "SELECT code, value FROM events") == [("NA", "NA"), ("US", "1")]
    assert summary.tables[0].missing == ()
