"""``asklytics monitor add|list|remove|run``: clear errors for bad input, a dry run that shows the
digest, and the rows the server's scheduler would read."""
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
    monkeypatch.setenv("ASKLYTICS_AS_OF", "2026-03-12")
    monkeypatch.setenv("ASKLYTICS_CACHE_ENABLED", "false")
    monkeypatch.setenv("COLUMNS", "200")  # the list table unwrapped
    return tmp_path


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


ADD = ("monitor", "add", "--name", "Paid installs", "--metric", "installs", "--schedule", "daily 08:00",
       "--webhook", "https://hooks.example.com/asklytics")


def test_add_list_dry_run_and_remove(env):
    added = _run(*ADD, "--where", "platform IN ('iOS', 'Android')", "--dimension", "acquisition_type",
                 "--json")
    assert added.exit_code == 0, added.output
    monitor = json.loads(added.stdout)
    assert (monitor["metric"], monitor["filters"], monitor["dimensions"], monitor["owner"][:4]) == (
        "installs", ["platform IN ('iOS', 'Android')"], ["acquisition_type"], "cli:")

    listed = json.loads(_run("monitor", "list", "--json").stdout)
    assert [m["id"] for m in listed] == [monitor["id"]]
    table = _run("monitor", "list")
    assert monitor["id"] in table.stdout and "daily 08:00" in table.stdout and "never" in table.stdout

    assert "no monitor is due" in _run("monitor", "run", "--due").stdout  # its first run is tomorrow 08:00

    dry = _run("monitor", "run", "--id", monitor["id"], "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.stdout)
    (digest,) = report["digests"]
    (anomaly,) = digest["webhook_body"]["monitors"][0]["anomalies"]
    assert (anomaly["period_start"], anomaly["direction"]) == ("2026-03-10", "drop")
    top = anomaly["drivers"][0]
    assert (top["dimension"], top["segment"]) == ("acquisition_type", "paid")
    # a dry run leaves no trace
    assert json.loads(_run("monitor", "list", "--json").stdout)[0]["last_run_at"] is None

    assert _run("monitor", "remove", monitor["id"]).exit_code == 0
    assert json.loads(_run("monitor", "list", "--json").stdout) == []
    gone = _run("monitor", "remove", monitor["id"])
    assert gone.exit_code == 1 and "no monitor" in gone.output and "Traceback" not in gone.output


@pytest.mark.parametrize("extra, says", [
    (("--metric", "revenu"), "unknown metric 'revenu'"),
    (("--schedule", "at dawn"), "'daily 08:00'"),
    (("--where", "platform ~ 'iOS'"), "platform ~ 'iOS'"),
    (("--dimension", "planet"), "unknown dimension 'planet'"),
    (("--grain", "hour"), "grain"),
    (("--webhook", "not a url"), "must be an http:// or https:// URL"),
])
def test_bad_input_is_a_clear_error_and_nothing_is_stored(env, extra, says):
    result = _run(*ADD, *extra)
    assert result.exit_code == 1 and says in result.output and "Traceback" not in result.output
    assert json.loads(_run("monitor", "list", "--json").stdout) == []


def test_run_needs_a_monitor_that_exists_and_one_way_to_pick(env):
    unknown = _run("monitor", "run", "--id", "m-000000000000")
    assert unknown.exit_code == 1 and "no monitor 'm-000000000000'" in unknown.output
    both = _run("monitor", "run", "--due", "--id", "m-000000000000")
    assert both.exit_code == 1 and "not both" in both.output
    dry_due = _run("monitor", "run", "--dry-run")
    assert dry_due.exit_code == 1 and "--dry-run needs --id" in dry_due.output


def test_a_threshold_rule_alerts_past_it_besides_the_anomalies(env):
    # installs 2026-03-05..11: 902, 1066, 1195, 1224, 891, 431 (the outage: an anomaly), 905
    added = _run(*ADD, "--threshold", "below 900", "--json")
    assert added.exit_code == 0, added.output
    monitor = json.loads(added.stdout)
    assert monitor["threshold"] == {"op": "<", "value": 900.0}
    assert "alert if < 900" in _run("monitor", "list").stdout

    report = json.loads(_run("monitor", "run", "--id", monitor["id"], "--dry-run", "--json").stdout)
    (digest,) = report["digests"]
    found = digest["webhook_body"]["monitors"][0]["anomalies"]
    assert [(f["period_start"], f["anomalous"], f["threshold_breach"], f["direction"]) for f in found] == [
        ("2026-03-09", False, "installs < 900", "below"),  # 891: within its normal range, under the rule
        ("2026-03-10", True, "installs < 900", "drop")]
    assert found[0]["actual"] == 891.0 and found[0]["expected"] is None
    assert found[0]["drivers"]  # explained against the same weekday a week earlier, like an anomaly


def test_a_threshold_it_cannot_read_is_one_line_saying_how_to_write_it(env):
    result = _run(*ADD, "--threshold", "about 5")
    assert result.exit_code == 1
    assert "cannot read the threshold 'about 5'" in result.output and "'> 5%'" in result.output
    assert "Traceback" not in result.output
