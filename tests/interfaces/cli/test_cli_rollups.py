"""``asklytics rollups build|status`` and ``demo build`` building the rollups, on tiny real demos."""
from __future__ import annotations

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from app.interfaces.cli import cli

TINY = "0.02"  # 4,000 installs


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def rollup_rows(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() "
                                           "WHERE table_name LIKE 'rollup_%'").fetchall()]
        return {n: con.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0] for n in names}


def test_demo_build_builds_the_rollups_and_status_says_current(tmp_path):
    path = tmp_path / "demo.duckdb"
    built = run("demo", "build", "--scale", TINY, "--path", str(path))
    assert built.exit_code == 0, built.output
    assert "Rollups built" in built.output and "retention_daily" in built.output
    rows = rollup_rows(path)
    assert set(rows) == {"rollup_installs_daily", "rollup_events_daily", "rollup_active_users_daily",
                         "rollup_retention_daily"} and all(rows.values())
    status = run("rollups", "status", "--path", str(path))
    assert status.exit_code == 0, status.output
    assert status.output.count("current") == 4 and "2026-06-30" in status.output
    again = run("rollups", "build", "--path", str(path), "--name", "installs_daily")
    assert again.exit_code == 0, again.output
    assert "incremental" in again.output and "full" not in again.output
    assert rollup_rows(path) == rows


def test_no_rollups_and_status_before_a_build(tmp_path):
    path = tmp_path / "demo.duckdb"
    built = run("demo", "build", "--scale", TINY, "--path", str(path), "--no-rollups")
    assert built.exit_code == 0, built.output
    assert rollup_rows(path) == {}
    status = run("rollups", "status", "--path", str(path))
    assert status.exit_code == 0 and status.output.count("not built") == 4
    unknown = run("rollups", "build", "--path", str(path), "--name", "nope")
    assert unknown.exit_code == 1 and "unknown rollup 'nope'" in unknown.output
    full = run("rollups", "build", "--path", str(path), "--full")
    assert full.exit_code == 0 and full.output.count("full") >= 4
    assert len(rollup_rows(path)) == 4
