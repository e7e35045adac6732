"""From CSV exports to a right answer in four commands (#18): import, model init, metrics validate,
ask -- on an AppsFlyer-shaped export nobody described, with no edits to the generated model."""
from __future__ import annotations

import csv
import datetime as dt

import duckdb
from typer.testing import CliRunner

from app.interfaces.cli import cli

HEADER = ["Install Time", "Media Source", "Campaign", "Country Code", "Platform", "AppsFlyer ID"]


def _export(folder, month: int, start: int, count: int) -> None:
    with (folder / f"installs_2026-{month:02d}.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(start, start + count):
            writer.writerow([(dt.datetime(2026, 5, 1) + dt.timedelta(minutes=90 * i)).isoformat(sep=" "),
                             ("googleadwords_int", "Facebook Ads", "tiktokglobal_int")[i % 3],
                             ("spring", "brand")[i % 2], ("US", "DE", "FR")[i % 3 // 2],
                             ("ios", "android")[i % 2], f"af{i}"])


def test_csv_exports_to_a_right_answer_in_four_commands(tmp_path, monkeypatch):
    exports = tmp_path / "exports"
    exports.mkdir()
    _export(exports, 5, 0, 500)
    _export(exports, 6, 500, 400)
    target, model = tmp_path / "mine.duckdb", tmp_path / "model.yaml"
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, list(args))
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    assert "900 rows imported" in run("import", str(exports), "--into", str(target), "--snake-case")
    monkeypatch.setenv("ASKLYTICS_DEMO", "false")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(target))
    monkeypatch.setenv("ASKLYTICS_AS_OF", "2026-07-01")
    monkeypatch.setenv("ASKLYTICS_CACHE_ENABLED", "false")
    monkeypatch.setenv("ASKLYTICS_PLANNER", "offline")
    assert "wrote" in run("model", "init", "--out", str(model))
    monkeypatch.setenv("ASKLYTICS_SEMANTIC_MODEL", str(model))
    assert "no problems" in run("metrics", "validate")
    result = runner.invoke(cli, ["ask", "how many installs in June by platform", "--json"])
    assert result.exit_code == 0, result.output
    import json

    answer = json.loads(result.stdout)
    assert answer["status"] == "answered"
    with duckdb.connect(str(target), read_only=True) as conn:
        gold = conn.execute("SELECT platform, COUNT(*) FROM installs WHERE CAST(install_time AS DATE) "
                            "BETWEEN '2026-06-01' AND '2026-06-30' GROUP BY 1").fetchall()
    assert sorted(map(tuple, answer["rows"])) == sorted(gold)
