"""``asklytics demo build`` end to end, on tiny real builds in tmp_path."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from app.interfaces.cli import cli

TINY = "0.02"  # 4,000 installs


def run(*args: str):
    return CliRunner().invoke(cli, ["demo", "build", *args])


def installs_in(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT install_id, install_time, ip_hash FROM installs "
                           "ORDER BY install_id").fetchall()


@pytest.fixture
def built(tmp_path) -> Path:
    path = tmp_path / "nested" / "demo.duckdb"
    result = run("--scale", TINY, "--path", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_build_creates_parent_folders_and_leaves_only_the_file(built):
    assert len(installs_in(built)) == 4000
    # the write lock of `rollups build` (warehouse/duckdb_writes.py) stays beside the file, hidden
    assert [p.name for p in built.parent.iterdir() if p.name != ".demo.duckdb.write-lock"] == ["demo.duckdb"]


def test_build_summary_lists_rows_per_table(tmp_path):
    result = run("--scale", TINY, "--path", str(tmp_path / "demo.duckdb"), "--seed", "5")
    assert result.exit_code == 0, result.output
    for table in ("campaigns", "ad_spend", "installs", "events"):
        assert table in result.output
    assert "4,000" in result.output and "seed 5" in result.output


def test_existing_file_is_an_error_that_mentions_force(built):
    before = built.read_bytes()
    result = run("--scale", TINY, "--path", str(built))
    assert result.exit_code == 1
    assert "--force" in result.output and "Traceback" not in result.output
    assert built.read_bytes() == before


def test_if_absent_keeps_the_existing_file(built):
    before = built.read_bytes()
    result = run("--scale", "0.01", "--path", str(built), "--if-absent")
    assert result.exit_code == 0 and "nothing to do" in result.output
    assert built.read_bytes() == before


def test_force_rebuilds(built):
    before = installs_in(built)
    result = run("--scale", TINY, "--path", str(built), "--seed", "9", "--force")
    assert result.exit_code == 0, result.output
    after = installs_in(built)
    assert len(after) == 4000 and after != before


def test_default_path_comes_from_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no stray .env from the repo
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ASKLYTICS_WAREHOUSE_PATH", raising=False)
    monkeypatch.delenv("ASKLYTICS_WAREHOUSE", raising=False)
    result = run("--scale", TINY)
    assert result.exit_code == 0, result.output
    assert len(installs_in(tmp_path / "data" / "demo.duckdb")) == 4000


@pytest.mark.parametrize("args, message", [
    (("--scale", "0"), "--scale must be a positive number"),
    (("--engine", "postgres"), "unknown engine"),
])
def test_bad_arguments_are_clear_errors(tmp_path, args, message):
    result = run(*args, "--path", str(tmp_path / "demo.duckdb"))
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "demo.duckdb").exists()


CHDB_COUNT = """
import sys
from warehouse.chdb import ChdbWarehouse
with ChdbWarehouse(sys.argv[1]) as wh:
    print(wh.execute("SELECT count() FROM installs").rows[0][0])
"""


def test_chdb_engine_builds_duckdb_then_copies_it(tmp_path):
    # chdb holds one data folder per process, so this runs in child processes
    # and never disturbs the test session's own chdb warehouse.
    command = [sys.executable, "-c", "from app.interfaces.cli import cli; cli()", "demo", "build",
               "--scale", TINY, "--engine", "chdb", "--path", str(tmp_path / "demo.chdb")]
    env = {"ASKLYTICS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(command, check=False, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(installs_in(tmp_path / "demo.duckdb")) == 4000
    count = subprocess.run([sys.executable, "-c", CHDB_COUNT, str(tmp_path / "demo.chdb")], check=False,
                           capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[3])
    assert count.returncode == 0, count.stderr
    assert count.stdout.strip() == "4000"
