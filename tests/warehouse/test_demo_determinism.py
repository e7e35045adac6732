"""Same seed and scale give identical tables; builds are atomic and refuse to clobber.

Builds here are small (scale 0.15 and below) into pytest's tmp_path.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse.demo import build_demo_warehouse

SMALL = 0.15  # 30,000 installs: two event chunks, so chunk seeding is covered too
ORDER_BY = {
    "campaigns": "campaign_id",
    "ad_spend": "date, campaign_id",
    "installs": "install_id",
    "events": "event_id",
    "asklytics_meta": "key",
}


def table_digests(path: Path) -> dict[str, str]:
    """md5 of every table's rows, in primary-key order."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            table: con.execute(
                f"SELECT md5(string_agg(CAST({table} AS VARCHAR), chr(10) ORDER BY {order})) FROM {table}"
            ).fetchone()[0]
            for table, order in ORDER_BY.items()
        }


@pytest.fixture(scope="module")
def twin_builds(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("twins")
    paths = folder / "first.duckdb", folder / "second.duckdb"
    for path in paths:
        build_demo_warehouse(path, scale=SMALL, seed=7)
    return paths


def test_same_seed_and_scale_give_identical_tables(twin_builds):
    first, second = (table_digests(p) for p in twin_builds)
    assert first == second
    assert all(first.values())  # every table has rows to compare


def test_another_seed_gives_other_data(twin_builds, tmp_path):
    other = build_demo_warehouse(tmp_path / "other.duckdb", scale=SMALL, seed=8).path
    ours, theirs = table_digests(twin_builds[0]), table_digests(other)
    assert ours["installs"] != theirs["installs"] and ours["events"] != theirs["events"]


def test_rows_are_stored_in_key_order(twin_builds):
    with duckdb.connect(str(twin_builds[0]), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events WHERE event_id <> rowid + 1").fetchone()[0] == 0
        installs = con.execute("SELECT install_id FROM installs ORDER BY rowid").fetchall()
        assert installs == sorted(installs)
        times = con.execute("SELECT install_time FROM installs ORDER BY rowid").fetchall()
        assert times == sorted(times)


def test_report_matches_the_file_and_progress_completes(tmp_path):
    steps: list[tuple[str, float]] = []
    report = build_demo_warehouse(tmp_path / "d.duckdb", scale=0.01, seed=1,
                                  progress=lambda step, done: steps.append((step, done)))
    with duckdb.connect(str(report.path), read_only=True) as con:
        for table, rows in report.rows.items():
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == rows
    assert report.rows["installs"] == 2000 and report.seconds > 0
    fractions = [done for _, done in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert {"installs", "events", "ad spend"} <= {step for step, _ in steps}


def test_a_tiny_fractional_scale_still_keeps_the_spend_contract(tmp_path):
    path = build_demo_warehouse(tmp_path / "tiny.duckdb", scale=0.002, seed=3).path
    with duckdb.connect(str(path), read_only=True) as con:
        expected = con.execute("SELECT sum(DATE '2026-06-30' - start_date + 1) FROM campaigns").fetchone()[0]
        assert con.execute("SELECT count(*) FROM ad_spend WHERE cost > 0").fetchone()[0] == expected
        assert con.execute("SELECT count(*) FROM installs").fetchone()[0] == 400


def test_refuses_to_overwrite_unless_asked(tmp_path):
    path = tmp_path / "demo.duckdb"
    path.write_bytes(b"precious")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        build_demo_warehouse(path, scale=0.002)
    assert path.read_bytes() == b"precious"
    build_demo_warehouse(path, scale=0.002, overwrite=True)
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM installs").fetchone()[0] == 400


def test_an_interrupted_build_leaves_no_file(tmp_path):
    def interrupt(step: str, done: float) -> None:
        if step == "events":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_demo_warehouse(tmp_path / "demo.duckdb", scale=0.01, progress=interrupt)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("scale", [0, -1, float("nan")])
def test_rejects_a_scale_that_is_not_positive(tmp_path, scale):
    with pytest.raises(ValueError, match="scale"):
        build_demo_warehouse(tmp_path / "demo.duckdb", scale=scale)
