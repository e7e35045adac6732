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
                         "rollup_active_users_platform_daily", "rollup_active_users_country_daily",
                         "rollup_active_users_media_source_daily", "rollup_users_monthly",
                         "rollup_retention_daily"}
    assert all(rows.values())
    status = run("rollups", "status", "--path", str(path))
    assert status.exit_code == 0, status.output
    assert status.output.count("current") == 8 and "2026-06-30" in status.output
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
    assert status.exit_code == 0 and status.output.count("not built") == 8
    unknown = run("rollups", "build", "--path", str(path), "--name", "nope")
    assert unknown.exit_code == 1 and "unknown rollup 'nope'" in unknown.output
    full = run("rollups", "build", "--path", str(path), "--full")
    assert full.exit_code == 0 and full.output.count("full") >= 8
    assert len(rollup_rows(path)) == 8


def test_rollup_tables_are_hidden_from_planners_people_and_model_init(tmp_path, monkeypatch):
    """The guard admits rollup tables (the compiler reads them); nothing else shows them."""
    from fastapi.testclient import TestClient

    from app.engine.assistant import Assistant
    from app.interfaces.assembly import create_app
    from app.settings import Settings
    from retrieval.documents import column_docs

    path = tmp_path / "demo.duckdb"
    assert run("demo", "build", "--scale", TINY, "--path", str(path)).exit_code == 0
    settings = Settings(warehouse_path=path, data_dir=tmp_path / "data", cache_enabled=False)
    assistant = Assistant(settings)
    try:
        assert assistant.warehouse.schema().table("rollup_events_daily") is not None
        visible = assistant.visible_schema
        assert visible.table("events") is not None and visible.table("installs") is not None
        assert not [t for t in visible.table_names() if t.startswith("rollup_")]
        assert not [d for d in column_docs(visible) if "rollup_" in d.text]
    finally:
        assistant.close()
    with TestClient(create_app(settings)) as client:
        tables = [t["name"] for t in client.get("/api/v1/schema").json()["tables"]]
    assert "events" in tables and not [t for t in tables if t.startswith("rollup_")]
    monkeypatch.setenv("ASKLYTICS_DEMO", "false")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(path))
    out = tmp_path / "model.yaml"
    init = run("model", "init", "--out", str(out))
    assert init.exit_code == 0, init.output
    text = out.read_text()
    assert "table: events" in text and "table: rollup_" not in text and "rollup_day" not in text
