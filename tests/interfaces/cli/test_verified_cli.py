"""``asklytics verified`` and ``asklytics eval --verified``: verify an answer from the answer log and
SQL written by hand, export them as a suite, and replay them (planned afresh, scored by execution)."""
from __future__ import annotations

import json
import os

import pytest
import yaml
from typer.testing import CliRunner

from app.engine.assistant import Assistant
from app.interfaces.cli import cli
from app.settings import Settings
from appdb import open_database, sqlite_url
from appdb.answers import insert_answer


@pytest.fixture()
def env(tmp_path, monkeypatch, demo_db_path):
    for name in [n for n in os.environ if n.startswith("ASKLYTICS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(demo_db_path))
    return tmp_path


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _logged_answer(env, demo_db_path, question: str) -> str:
    database = open_database(sqlite_url(env / "asklytics.db"))
    assistant = Assistant(Settings(warehouse_path=demo_db_path, data_dir=env, cache_enabled=False),
                          database=database)
    answer = assistant.ask(question)
    assistant.close()
    with database.begin() as connection:
        insert_answer(connection, answer.model_dump(mode="json"), "default")
    database.close()
    return answer.answer_id


def test_verify_export_and_replay(env, demo_db_path):
    answer_id = _logged_answer(env, demo_db_path, "installs by platform last month")
    assert _run("verified", "add", "--from-answer", answer_id).exit_code == 0
    assert _run("verified", "add", "--question", "spend by media source last month", "--sql",
                "SELECT c.media_source, SUM(s.cost) FROM ad_spend s JOIN campaigns c USING (campaign_id) "
                "WHERE s.date BETWEEN DATE '2026-06-01' AND DATE '2026-06-30' GROUP BY 1").exit_code == 0
    listed = json.loads(_run("verified", "list", "--json").stdout)
    assert [v["question"] for v in listed] == ["installs by platform last month",
                                               "spend by media source last month"]
    suite = env / "verified.yaml"
    assert _run("verified", "export", "--suite", str(suite)).exit_code == 0
    cases = yaml.safe_load(suite.read_text())["cases"]
    assert [c["id"] for c in cases] == [v["id"] for v in listed] and all(c["gold_sql"] for c in cases)
    replay = _run("eval", "--verified", "--report", str(env / "report.json"))
    assert replay.exit_code == 0, replay.output
    report = json.loads((env / "report.json").read_text())
    suites = report if isinstance(report, list) else report.get("suites", [report])
    results = [r for s in suites for r in s["results"]]
    assert [(r["id"], r["passed"]) for r in results] == [(v["id"], True) for v in listed]
    actions = [a["action"] for a in json.loads(_run("audit", "--json").stdout)]
    assert actions[:3] == ["export", "verified_add", "verified_add"]
    assert _run("verified", "remove", listed[0]["id"]).exit_code == 0
    assert len(json.loads(_run("verified", "list", "--json").stdout)) == 1


def test_replaying_nothing_says_how_to_add_some(env):
    done = _run("eval", "--verified")
    assert done.exit_code == 1 and "asklytics verified add" in " ".join(done.stderr.split())
