"""``asklytics db``, ``policy`` and ``audit``: the application database from the command line."""
from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from app.interfaces.cli import cli


@pytest.fixture()
def env(tmp_path, monkeypatch, demo_db_path):
    for name in [n for n in os.environ if n.startswith("ASKLYTICS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(demo_db_path))
    return tmp_path


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_db_upgrade_then_current(env):
    assert "revision none" in _run("db", "current").stdout
    upgraded = _run("db", "upgrade")
    assert upgraded.exit_code == 0 and "revision 0004" in upgraded.stdout
    assert "revision 0004" in _run("db", "current").stdout


def test_a_policy_is_set_listed_deleted_and_every_change_audited(env):
    assert _run("policy", "set", "--tenant", "agency", "--row-filter", "media_source = 'TikTok'",
                "--metrics", "cost, installs", "--no-sql").exit_code == 0
    listed = json.loads(_run("policy", "list", "--json").stdout)
    assert [(p["subject"], p["metrics"], p["row_filters"], p["allow_sql"]) for p in listed] == [
        ("agency", ["cost", "installs"], ["media_source = 'TikTok'"], False)]
    assert _run("policy", "delete", "--tenant", "agency").exit_code == 0
    again = _run("policy", "delete", "--tenant", "agency")
    assert again.exit_code == 1 and "no policy" in again.stderr
    audited = json.loads(_run("audit", "--json").stdout)
    assert [a["action"] for a in audited] == ["policy_delete", "policy_set"]
    assert all(a["actor"].startswith("cli") for a in audited)


def test_a_policy_sets_a_minimum_group_size(env):
    assert _run("policy", "set", "--tenant", "agency", "--min-group-size", "50").exit_code == 0
    (listed,) = json.loads(_run("policy", "list", "--json").stdout)
    assert (listed["subject"], listed["min_group_size"], listed["row_filters"]) == ("agency", 50, [])
    assert "50" in _run("policy", "list").stdout
    (audited,) = json.loads(_run("audit", "--json", "--action", "policy_set").stdout)
    assert audited["detail"]["min_group_size"] == 50
    assert _run("policy", "set", "--tenant", "agency").exit_code == 0  # replaced: no threshold of its own
    assert json.loads(_run("policy", "list", "--json").stdout)[0]["min_group_size"] is None


@pytest.mark.parametrize("args", [
    ("policy", "set", "--tenant", "x", "--row-filter", "media_source = (SELECT 'TikTok')"),
    ("policy", "set", "--tenant", "x", "--key", "y"),
    ("policy", "set", "--tenant", "x", "--min-group-size", "1"),
    ("audit", "--since", "last tuesday"),
])
def test_mistakes_are_clear_errors(env, args):
    done = _run(*args)
    assert done.exit_code != 0 and "Traceback" not in done.output
    assert done.stderr.startswith("error:")


def test_sql_runs_and_answers_from_the_cli_are_audited(env):
    assert _run("sql", "run", "SELECT COUNT(*) FROM campaigns").exit_code == 0
    assert _run("ask", "installs last month").exit_code == 0
    assert _run("keys", "create", "--scope", "acme").exit_code == 0
    audited = json.loads(_run("audit", "--json").stdout)
    assert [a["action"] for a in audited] == ["key_create", "answer", "sql_run"]
    assert audited[2]["detail"]["sql"].startswith("SELECT")
    answers = json.loads(_run("audit", "--json", "--action", "answer").stdout)
    assert [a["action"] for a in answers] == ["answer"]
    recent = json.loads(_run("audit", "--json", "--since", "1h", "--scope", "acme").stdout)
    assert [a["action"] for a in recent] == ["key_create"]
