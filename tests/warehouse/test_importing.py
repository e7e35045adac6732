"""``warehouse.importing``: CSV, Parquet and JSON files into a DuckDB file, on real DuckDB.

The files are written here, in the shape of a vendor's raw-data export (AppsFlyer's column
names, such as "Install Time" and "Media Source"); Parquet is written with DuckDB's COPY.
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import duckdb
import pytest

from warehouse._import_names import part_base, safe_identifier
from warehouse.duckdb import DuckDBWarehouse
from warehouse.errors import ImportRefused, QueryFailed
from warehouse.importing import import_files, plan_import, snake_case_names

VENDOR_HEADER = "Install Time,Media Source,Campaign,Event Revenue USD,Install Date"


def vendor_csv(path: Path, month: int, rows: int = 3) -> Path:
    lines = [VENDOR_HEADER] + [
        f"2026-{month:02d}-{day + 1:02d} 10:15:00,googleadwords_int,Summer Sale,{day + 0.5},"
        f"2026-{month:02d}-{day + 1:02d}" for day in range(rows)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def write_parquet(path: Path, rows: int = 4) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as conn:
        conn.execute(f"""COPY (SELECT range AS "Cost ID", 'Campaign ' || range AS "Campaign",
                                      DATE '2026-01-01' + range::INTEGER AS "Date", range * 1.5 AS "Cost"
                               FROM range({rows})) TO '{path}' (FORMAT parquet)""")
    return path


def columns_of(db: Path, table: str) -> list[tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return [(r[0], r[1]) for r in conn.execute(f'DESCRIBE "{table}"').fetchall()]


def tables_of(db: Path) -> list[str]:
    if not db.exists():
        return []
    with duckdb.connect(str(db), read_only=True) as conn:
        return sorted(r[0] for r in conn.execute("SHOW TABLES").fetchall())


def count(db: Path, table: str) -> int:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "out" / "mine.duckdb"


def test_csv_keeps_vendor_column_names_and_infers_types(tmp_path, db):
    summary = import_files([vendor_csv(tmp_path / "Installs Report.csv", 1)], db)
    assert [(t.table, t.rows, t.columns) for t in summary.tables] == [("installs_report", 3, 5)]
    assert columns_of(db, "installs_report") == [
        ("Install Time", "TIMESTAMP"), ("Media Source", "VARCHAR"), ("Campaign", "VARCHAR"),
        ("Event Revenue USD", "DOUBLE"), ("Install Date", "DATE")]
    assert summary.failures == () and summary.target == db


def test_parquet_written_with_copy(tmp_path, db):
    summary = import_files([write_parquet(tmp_path / "cost.parquet")], db)
    assert summary.tables[0].rows == 4
    names, types = zip(*columns_of(db, "cost"), strict=True)
    assert names == ("Cost ID", "Campaign", "Date", "Cost")
    assert types[:3] == ("BIGINT", "VARCHAR", "DATE") and types[3].startswith("DECIMAL")


def test_json_array_and_ndjson_recognise_timestamps(tmp_path, db):
    records = [{"Event Time": f"2026-01-0{i} 08:00:00", "Event Name": "af_purchase", "Day": f"2026-01-0{i}",
                "Revenue": i * 1.25} for i in range(1, 4)]
    (tmp_path / "purchases.json").write_text(json.dumps(records))
    (tmp_path / "sessions.ndjson").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    summary = import_files([tmp_path / "purchases.json", tmp_path / "sessions.ndjson"], db)
    assert {t.table: t.rows for t in summary.tables} == {"purchases": 3, "sessions": 3}
    expected = [("Event Time", "TIMESTAMP"), ("Event Name", "VARCHAR"), ("Day", "DATE"),
                ("Revenue", "DOUBLE")]
    assert columns_of(db, "purchases") == expected and columns_of(db, "sessions") == expected


def test_a_folder_is_searched_recursively_leaving_out_other_and_hidden_files(tmp_path, db):
    export = tmp_path / "export"
    vendor_csv(export / "installs.csv", 1)
    write_parquet(export / "cost" / "cost.parquet")
    (export / "README.md").write_text("notes")
    vendor_csv(export / ".cache" / "old.csv", 1)
    summary = import_files([export], db)
    assert sorted(t.table for t in summary.tables) == ["cost", "installs"]
    assert [p.name for p in summary.skipped] == ["README.md"]


def test_a_glob_picks_the_matching_files(tmp_path, db):
    vendor_csv(tmp_path / "a" / "installs.csv", 1)
    vendor_csv(tmp_path / "b" / "uninstalls.csv", 2)
    write_parquet(tmp_path / "a" / "cost.parquet")
    summary = import_files([str(tmp_path / "**" / "*.csv")], db)
    assert sorted(t.table for t in summary.tables) == ["installs", "uninstalls"]


def test_a_multi_part_export_becomes_one_table(tmp_path, db):
    for month in (1, 2, 3):
        vendor_csv(tmp_path / f"installs_2026-0{month}.csv", month)
    summary = import_files([tmp_path], db)
    (table,) = summary.tables
    assert (table.table, table.rows, len(table.sources)) == ("installs", 9, 3)
    assert columns_of(db, "installs")[0] == ("Install Time", "TIMESTAMP")


def test_one_dated_file_keeps_its_whole_name_and_separate_splits_parts(tmp_path, db):
    vendor_csv(tmp_path / "one" / "installs_2026-01.csv", 1)
    for month in (1, 2):
        vendor_csv(tmp_path / "two" / f"events_part-000{month}.csv", month)
    summary = import_files([tmp_path / "one", tmp_path / "two"], db, separate=True)
    assert sorted(t.table for t in summary.tables) == [
        "events_part_0001", "events_part_0002", "installs_2026_01"]


def test_parts_with_different_columns_are_refused_with_the_way_out(tmp_path, db):
    (tmp_path / "spend_1.csv").write_text("Date,Cost\n2026-01-01,5\n")
    (tmp_path / "spend_2.csv").write_text("Date,Cost,Clicks\n2026-01-02,6,10\n")
    summary = import_files([tmp_path], db)
    (failed,) = summary.failures
    assert failed.table == "spend" and "'Clicks'" in failed.reason
    assert "--separate" in failed.reason and "--table spend" in failed.reason
    assert tables_of(db) == []
    forced = import_files([tmp_path], db, table="spend")
    assert forced.tables[0].rows == 2
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute('SELECT "Clicks" FROM spend ORDER BY "Date"').fetchall() == [(None,), (10,)]


def test_table_option_loads_every_file_into_one_table(tmp_path, db):
    vendor_csv(tmp_path / "jan.csv", 1)
    vendor_csv(tmp_path / "feb.csv", 2)
    summary = import_files([tmp_path / "jan.csv", tmp_path / "feb.csv"], db, table="installs")
    assert [(t.table, t.rows) for t in summary.tables] == [("installs", 6)]


def test_an_existing_table_is_an_error_naming_it_and_the_flag(tmp_path, db):
    source = vendor_csv(tmp_path / "installs.csv", 1)
    import_files([source], db)
    vendor_csv(source, 2, rows=5)
    summary = import_files([source], db)
    (failed,) = summary.failures
    assert failed.table == "installs" and "installs already exists" in failed.reason
    assert "--replace" in failed.reason and count(db, "installs") == 3


def test_replace_replaces_and_a_failed_replace_keeps_the_old_table(tmp_path, db):
    source = vendor_csv(tmp_path / "installs.csv", 1)
    import_files([source], db)
    vendor_csv(source, 2, rows=5)
    summary = import_files([source], db, replace=True)
    assert summary.tables[0].replaced and count(db, "installs") == 5
    broken = tmp_path / "installs.json"
    broken.write_text('[{"Campaign": ')
    failed = import_files([broken], db, replace=True)
    assert failed.failures and "could not read installs.json" in failed.failures[0].reason
    assert count(db, "installs") == 5


def test_snake_case_rewrites_column_names(tmp_path, db):
    import_files([vendor_csv(tmp_path / "installs.csv", 1)], db, snake_case=True)
    assert [c for c, _ in columns_of(db, "installs")] == [
        "install_time", "media_source", "campaign", "event_revenue_usd", "install_date"]


@pytest.mark.parametrize(("columns", "expected"), [
    (["Install Time", "mediaSource", "HTTPStatus", "Revenue ($)"],
     ["install_time", "media_source", "http_status", "revenue"]),
    (["Campaign", "campaign", "CAMPAIGN"], ["campaign", "campaign_2", "campaign_3"]),
    (["2nd Event", "order", "%%"], ["_2nd_event", "_order", "unnamed"]),
])
def test_snake_case_names(columns, expected):
    assert snake_case_names(columns) == expected


@pytest.mark.parametrize(("file_name", "table"), [
    ("Installs Report.csv", "installs_report"), ("2026 installs.csv", "_2026_installs"),
    ("order.csv", "_order"), ("in-app events.ndjson", "in_app_events"), ("data.csv.gz", "data"),
    ("---.json", "imported"),
])
def test_table_names_are_safe_identifiers(tmp_path, file_name, table):
    (tmp_path / file_name).write_text("a\n1\n")
    assert [g.table for g in plan_import([tmp_path / file_name]).groups] == [table]


@pytest.mark.parametrize(("stem", "base"), [
    ("installs_2026-01", "installs"), ("installs_20260131", "installs"),
    ("installs_2026-01-01_2026-01-31", "installs"), ("events_part-0001", "events"),
    ("events.part3", "events"), ("Raw Data 2", "Raw Data"), ("q3_2025", "q3"),
    ("installs", None), ("2026-01", None), ("installs_v2", None),
])
def test_part_markers(stem, base):
    assert part_base(stem) == base


def test_safe_identifier_falls_back_and_prefixes():
    assert safe_identifier("Ünïcode Näme", "x") == "n_code_n_me"
    assert safe_identifier("***", "imported") == "imported"
    assert safe_identifier("select", "x", {"select"}) == "_select"


def test_gzipped_csv_and_tsv_are_read(tmp_path, db):
    (tmp_path / "clicks.tsv").write_text("Click Time\tMedia Source\n2026-01-01 00:00:01\tfb\n")
    with gzip.open(tmp_path / "views.csv.gz", "wt") as handle:
        handle.write("View Time,Media Source\n2026-01-01 00:00:01,fb\n")
    import_files([tmp_path], db)
    assert columns_of(db, "clicks") == [("Click Time", "TIMESTAMP"), ("Media Source", "VARCHAR")]
    assert columns_of(db, "views") == [("View Time", "TIMESTAMP"), ("Media Source", "VARCHAR")]


def test_a_value_past_the_type_sample_is_read_in_full(tmp_path, db):
    lines = ["id,amount", *(f"{i},{i}" for i in range(300_000)), "300000,12.5 (refunded)"]
    (tmp_path / "orders.csv").write_text("\n".join(lines) + "\n")
    summary = import_files([tmp_path / "orders.csv"], db)
    assert summary.tables[0].rows == 300_001
    assert columns_of(db, "orders") == [("id", "BIGINT"), ("amount", "VARCHAR")]


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: (p / "notes.xlsx").write_text("x") and p / "notes.xlsx", "unsupported file type"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "no CSV, Parquet or JSON files in the folder"),
    (lambda p: p / "missing.csv", "no such file or folder"),
    (lambda p: str(p / "*.parquet"), "no file matches"),
])
def test_refusals_come_before_anything_is_written(tmp_path, db, make, message):
    vendor_csv(tmp_path / "fine.csv", 1)
    with pytest.raises(ImportRefused, match=message):
        import_files([tmp_path / "fine.csv", make(tmp_path)], db)
    assert not db.exists()


def test_a_folder_holding_only_other_files_is_refused(tmp_path, db):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("x")
    with pytest.raises(ImportRefused, match=r"1 other file\(s\) left out"):
        import_files([tmp_path / "docs"], db)


def test_two_files_that_would_share_a_table_are_refused(tmp_path, db):
    vendor_csv(tmp_path / "a" / "installs.csv", 1)
    vendor_csv(tmp_path / "b" / "installs.csv", 2)
    with pytest.raises(ImportRefused, match="would all become the table installs.*--table installs"):
        import_files([tmp_path], db)


def test_table_option_refusals(tmp_path, db):
    vendor_csv(tmp_path / "a.csv", 1)
    write_parquet(tmp_path / "b.parquet")
    with pytest.raises(ImportRefused, match="use --table installs_report"):
        import_files([tmp_path / "a.csv"], db, table="Installs Report")
    with pytest.raises(ImportRefused, match="csv and parquet"):
        import_files([tmp_path], db, table="mixed")
    with pytest.raises(ImportRefused, match="choose one"):
        import_files([tmp_path], db, table="a", separate=True)


def test_a_broken_file_fails_its_table_only(tmp_path, db):
    vendor_csv(tmp_path / "installs.csv", 1)
    (tmp_path / "cost.parquet").write_text("not parquet")
    (tmp_path / "blank.csv").write_text("")
    write_parquet(tmp_path / "spend.parquet")
    summary = import_files([tmp_path], db)
    assert sorted(t.table for t in summary.tables) == ["installs", "spend"]
    reasons = {f.table: f.reason for f in summary.failures}
    assert "could not read cost.parquet" in reasons["cost"] and "is empty" in reasons["blank"]
    assert tables_of(db) == ["installs", "spend"]


def test_targets_that_cannot_be_written(tmp_path):
    source = vendor_csv(tmp_path / "installs.csv", 1)
    (tmp_path / "folder.duckdb").mkdir()
    with pytest.raises(ImportRefused, match="is a folder"):
        import_files([source], tmp_path / "folder.duckdb")
    (tmp_path / "plain").write_text("a file, not a folder")
    with pytest.raises(ImportRefused, match="cannot create its folder"):
        import_files([source], tmp_path / "plain" / "mine.duckdb")
    with pytest.raises(ImportRefused, match="names a data file, not a DuckDB file"):
        import_files([source], tmp_path / "installs.csv")
    (tmp_path / "notes.db").write_text("not a database")
    with pytest.raises(ImportRefused, match="not a valid DuckDB database file"):
        import_files([source], tmp_path / "notes.db")
    assert source.read_text().startswith(VENDOR_HEADER)


def test_progress_counts_files(tmp_path, db):
    for month in (1, 2):
        vendor_csv(tmp_path / f"installs_2026-0{month}.csv", month)
    write_parquet(tmp_path / "cost.parquet")
    seen = []
    import_files([tmp_path], db, progress=lambda table, done: seen.append((table, done)))
    assert seen[-1] == ("done", 3) and {t for t, _ in seen} == {"cost", "installs", "done"}


def test_the_imported_file_is_served_by_the_hardened_warehouse(tmp_path, db):
    source = vendor_csv(tmp_path / "installs.csv", 1)
    import_files([source], db)
    warehouse = DuckDBWarehouse(db)
    try:
        assert warehouse.execute("SELECT count(*) FROM installs").rows == [(3,)]
        assert "Install Time" in {c.name for c in warehouse.schema().tables["installs"].columns}
        with pytest.raises(QueryFailed):  # the serving connection still has no file access
            warehouse.execute(f"SELECT * FROM read_csv('{source}')")
    finally:
        warehouse.close()


DOC = Path(__file__).resolve().parents[2] / "docs" / "own-data.md"
# A naming example in docs/own-data.md: | `file` | `table` | or | `part`, `part` | `table` |
_DOC_ROW = re.compile(r"^\| `([^`]+)`(?:, `([^`]+)`)? \| `([^`]+)` \|$", re.MULTILINE)


def test_the_documented_naming_examples_hold(tmp_path):
    examples = _DOC_ROW.findall(DOC.read_text(encoding="utf-8"))
    assert len(examples) >= 6
    for number, (first, second, table) in enumerate(examples):
        folder = tmp_path / str(number)
        folder.mkdir()
        for name in filter(None, (first, second)):
            (folder / name).write_text("a\n1\n")
        assert [g.table for g in plan_import([folder]).groups] == [table], (first, second)
