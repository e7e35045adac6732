"""``asklytics import`` end to end: real files, a real DuckDB file in tmp_path, no mocks."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from app.interfaces.cli import cli
from warehouse.duckdb import DuckDBWarehouse

HEADER = "Install Time,Media Source,Campaign,Event Revenue USD"


def run(*args: str):
    return CliRunner().invoke(cli, ["import", *args])


def said(result) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def write_csv(path: Path, rows: int = 2, month: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [HEADER] + [f"2026-{month:02d}-0{day + 1} 09:30:00,Facebook Ads,Spring,{day}.25"
                        for day in range(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def rows_in(db: Path, table: str) -> int:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def export(tmp_path) -> Path:
    folder = tmp_path / "export"
    for month in (1, 2):
        write_csv(folder / f"installs_2026-0{month}.csv", rows=3, month=month)
    with duckdb.connect() as conn:
        conn.execute(f"COPY (SELECT range AS id, range * 2.5 AS cost FROM range(5)) "
                     f"TO '{folder / 'cost.parquet'}' (FORMAT parquet)")
    (folder / "events.ndjson").write_text('{"Event Name": "af_purchase", "Event Time": "2026-01-02 10:00"}\n')
    (folder / "README.txt").write_text("what this export is")
    return folder


def test_a_folder_is_imported_with_a_summary(export, tmp_path):
    db = tmp_path / "mine.duckdb"
    result = run(str(export), "--into", str(db))
    assert result.exit_code == 0, result.output
    text = said(result)
    for heading in ("table", "rows", "columns", "source files", "seconds"):
        assert heading in text
    assert "installs_2026-01.csv" in text and "README.txt" in text and "3 table(s), 12 rows imported" in text
    assert rows_in(db, "installs") == 6 and rows_in(db, "cost") == 5 and rows_in(db, "events") == 1


def test_the_result_is_served_by_the_hardened_warehouse(export, tmp_path):
    db = tmp_path / "mine.duckdb"
    assert run(str(export), "--into", str(db)).exit_code == 0
    warehouse = DuckDBWarehouse(db)
    try:
        result = warehouse.execute("SELECT count(*) FROM installs WHERE \"Media Source\" = 'Facebook Ads'")
        assert result.rows == [(6,)]
    finally:
        warehouse.close()


def test_a_quoted_glob(export, tmp_path):
    db = tmp_path / "mine.duckdb"
    result = run(str(export / "*.csv"), "--into", str(db))
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(db), read_only=True) as conn:
        assert [r[0] for r in conn.execute("SHOW TABLES").fetchall()] == ["installs"]


def test_an_existing_table_is_an_error_and_replace_replaces(export, tmp_path):
    db = tmp_path / "mine.duckdb"
    source = write_csv(tmp_path / "spend.csv", rows=2)
    assert run(str(source), "--into", str(db)).exit_code == 0
    write_csv(source, rows=4)
    refused = run(str(source), "--into", str(db))
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "table spend already exists" in said(refused) and "--replace" in said(refused)
    assert rows_in(db, "spend") == 2
    replaced = run(str(source), "--into", str(db), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "spend (replaced)" in said(replaced) and rows_in(db, "spend") == 4


def test_snake_case_and_table(export, tmp_path):
    db = tmp_path / "mine.duckdb"
    result = run(str(export / "installs_2026-01.csv"), "--into", str(db), "--snake-case",
                 "--table", "installs")
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(db), read_only=True) as conn:
        names = [r[0] for r in conn.execute("DESCRIBE installs").fetchall()]
    assert names == ["install_time", "media_source", "campaign", "event_revenue_usd"]


def test_separate_keeps_one_table_per_part(export, tmp_path):
    db = tmp_path / "mine.duckdb"
    result = run(str(export / "installs_2026-01.csv"), str(export / "installs_2026-02.csv"),
                 "--into", str(db), "--separate")
    assert result.exit_code == 0, result.output
    assert rows_in(db, "installs_2026_01") == 3 and rows_in(db, "installs_2026_02") == 3


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: (p / "sheet.xlsx").write_bytes(b"PK") and p / "sheet.xlsx", "unsupported file type"),
    (lambda p: (p / "nothing").mkdir() or p / "nothing", "no CSV, Parquet or JSON files in the folder"),
    (lambda p: p / "missing.csv", "no such file or folder"),
])
def test_refusals_are_clear_and_write_nothing(tmp_path, make, message):
    db = tmp_path / "mine.duckdb"
    result = run(str(write_csv(tmp_path / "ok.csv")), str(make(tmp_path)), "--into", str(db))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert message in said(result) and "nothing was imported" in said(result)
    assert not db.exists()


def test_a_target_that_cannot_be_written(tmp_path):
    (tmp_path / "plain").write_text("a file")
    result = run(str(write_csv(tmp_path / "ok.csv")), "--into", str(tmp_path / "plain" / "mine.duckdb"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot write" in said(result)


def test_a_broken_file_loses_nothing_else(tmp_path):
    db = tmp_path / "mine.duckdb"
    write_csv(tmp_path / "in" / "installs.csv")
    (tmp_path / "in" / "cost.parquet").write_text("not parquet at all")
    result = run(str(tmp_path / "in"), "--into", str(db))
    assert result.exit_code == 1 and "Traceback" not in result.output
    text = said(result)
    assert "table cost: could not read cost.parquet" in text
    assert "1 of 2 table(s) not imported; the 1 imported table(s) are kept" in text
    assert rows_in(db, "installs") == 2


def test_the_summary_counts_cells_read_as_missing(tmp_path):
    db = tmp_path / "mine.duckdb"
    (tmp_path / "flights.csv").write_text("tailnum,dep_delay,arr_delay\nN1,NA,3\nNA,2,NA\nN2,NA,1\n")
    result = run(str(tmp_path / "flights.csv"), "--into", str(db))
    assert result.exit_code == 0, result.output
    text = said(result)
    assert "missing-value markers (NA, N/A," in text and "read as NULL" in text
    assert "flights: dep_delay 2, arr_delay 1" in text
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM flights WHERE tailnum = 'NA'").fetchone() == (1,)


def test_into_is_required_and_listed_in_help():
    missing = run("somewhere.csv")
    assert missing.exit_code == 2 and "--into" in missing.output
    assert "import" in CliRunner().invoke(cli, ["--help"]).output
    help_text = " ".join(CliRunner().invoke(cli, ["import", "--help"]).output.split())
    for flag in ("--into", "--table", "--separate", "--replace", "--snake-case"):
        assert flag in help_text


def test_every_flag_is_documented():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "own-data.md").read_text(encoding="utf-8")
    section = doc.split("## Get your data in", 1)[1].split("\n## ", 1)[0]
    help_text = CliRunner().invoke(cli, ["import", "--help"]).output
    flags = set(re.findall(r"--[a-z][a-z-]+", help_text)) - {"--help"}
    assert flags and {flag for flag in flags if f"`{flag}" not in section} == set()
