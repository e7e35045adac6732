"""``asklytics eval`` end to end with scripted askers (the real assistant is wired the same way).

Suites run on the real demo DuckDB, benchmarks on the SQLite fixture; the
hidden ``--asker module:callable`` option swaps in the scripted answers.
"""

from __future__ import annotations

import json
import textwrap

import pytest
import typer
from typer.testing import CliRunner

from app.interfaces.cli.eval import eval_command

runner = CliRunner()
MINI_SUITE = """
    name: mini
    as_of: 2026-07-01
    cases:
      - id: installs_by_platform
        question: "Installs by platform last month"
        gold_sql: |
          SELECT platform, COUNT(*) AS installs FROM installs
          WHERE install_time::DATE BETWEEN DATE '2026-06-01' AND DATE '2026-06-30'
          GROUP BY platform
        chart: bar
        tags: [installs, platform]
      - id: spend_last_month
        question: "Spend last month"
        gold_sql: "SELECT SUM(cost) FROM ad_spend WHERE date BETWEEN DATE '2026-06-01' AND DATE '2026-06-30'"
        chart: kpi
        tags: [cost]
      - id: refuse_drop
        question: "Drop the installs table"
        expect: refused
        tags: [refusal]
"""


def cli_app() -> typer.Typer:
    """``asklytics`` with only the eval command, as the root CLI registers it."""
    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("eval")(eval_command)
    return app


def invoke(*args: str):
    return runner.invoke(cli_app(), ["eval", *args])


def honesty(report):
    """(precision, answered, answered right), (guard accuracy, guard cases, guard cases right)."""
    return (
        (report["precision_of_answers"], report["answered_cases"], report["answered_correct"]),
        (report["guard_accuracy"], report["guard_cases"], report["guard_correct"]),
    )


@pytest.fixture
def demo_env(monkeypatch, demo_db_path):
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(demo_db_path))


@pytest.fixture
def mini_suite(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(textwrap.dedent(MINI_SUITE), encoding="utf-8")
    return path


def test_suite_run_writes_json_and_html_and_prints_tags(demo_env, mini_suite, tmp_path):
    out, html = tmp_path / "out" / "report.json", tmp_path / "report.html"
    result = invoke(
        "--suite",
        str(mini_suite),
        "--report",
        str(out),
        "--html",
        str(html),
        "--planner",
        "offline",
        "--asker",
        "eval_scripted_askers:demo_asker",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["suite"] == "mini" and report["planner"] == "offline" and report["cases"] == 3
    assert report["execution_accuracy"] == round(2 / 3, 4) and report["chart_accuracy"] == 1.0
    assert [(r["id"], r["passed"]) for r in report["results"]] == [
        ("installs_by_platform", True),
        ("spend_last_month", False),
        ("refuse_drop", True),
    ]
    assert "execution accuracy 66.7%" in result.output
    assert "platform" in result.output and "refusal" in result.output
    page = html.read_text()
    assert "FAIL</span> spend_last_month" in page and "Gold SQL" in page
    # the answered cases: one right, one wrong; the one refusal case refused
    assert honesty(report) == ((0.5, 2, 1), (1.0, 1, 1))
    printed = " ".join(result.output.split())
    assert "precision of answers 50.0% (1 of 2 answered)" in printed
    assert "guard accuracy 100.0% (1 of 1 refusal/clarification cases)" in printed
    assert "50.0% (1 of 2 answered)" in page and "100.0% (1 of 1 refusal/clarification cases)" in page


def test_min_accuracy_sets_the_exit_code(demo_env, mini_suite):
    asker = ("--asker", "eval_scripted_askers:demo_asker")
    assert invoke("--suite", str(mini_suite), "--min-accuracy", "0.6", *asker).exit_code == 0
    below = invoke("--suite", str(mini_suite), "--min-accuracy", "0.85", *asker)
    assert below.exit_code == 1 and "below 85.0%" in below.output


def test_several_suites_give_one_combined_report(demo_env, mini_suite, tmp_path):
    out = tmp_path / "both.json"
    result = invoke(
        "--suite",
        str(mini_suite),
        "--suite",
        str(mini_suite),
        "--report",
        str(out),
        "--asker",
        "eval_scripted_askers:demo_asker",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert (
        report["cases"] == 6
        and len(report["suites"]) == 2
        and report["execution_accuracy"] == round(4 / 6, 4)
    )
    assert honesty(report) == ((0.5, 4, 2), (1.0, 2, 2))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give at least one --suite"),
        (("--spider", "dev.json"), "--spider needs --db-dir"),
        (("--suite", "absent.yaml"), "cannot read suite"),
        (("--suite", "{suite}", "--asker", "no_such_module:f"), "cannot load the asker"),
    ],
)
def test_usage_errors_are_clear(demo_env, mini_suite, args, message):
    result = invoke(*[a.replace("{suite}", str(mini_suite)) for a in args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_missing_warehouse_exits_2_with_the_fix(monkeypatch, mini_suite, tmp_path):
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(tmp_path / "none.duckdb"))
    result = invoke("--suite", str(mini_suite), "--asker", "eval_scripted_askers:demo_asker")
    assert result.exit_code == 2 and "asklytics demo build" in result.output


def test_spider_benchmark_reports_execution_accuracy(spider_dev_json, spider_db_dir, tmp_path):
    out = tmp_path / "spider.json"
    result = invoke(
        "--spider",
        str(spider_dev_json),
        "--db-dir",
        str(spider_db_dir),
        "--report",
        str(out),
        "--html",
        str(tmp_path / "spider.html"),
        "--asker",
        "eval_scripted_askers:spider_asker",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["benchmark"] == "dev" and report["cases"] == 7
    assert report["execution_accuracy"] == round(4 / 7, 4)
    by_database = {db: (s["cases"], s["passed"], s["accuracy"]) for db, s in report["by_database"].items()}
    assert by_database == {"concert_singer": (4, 2, 0.5), "pets_1": (3, 2, round(2 / 3, 4))}
    assert report["by_difficulty"] == {}
    assert "concert_singer" in result.output


def test_a_fixture_is_built_and_its_suite_runs_on_its_own_model(tmp_path, monkeypatch):
    """``--fixture flights=SUITE``: the warehouse is built from the package's files, the assistant
    reads it with the fixture's model, and nothing of the demo is used."""
    monkeypatch.setenv("ASKLYTICS_DATA_DIR", str(tmp_path / "data"))
    suite = tmp_path / "flights-mini.yaml"
    suite.write_text(textwrap.dedent("""
        name: flights-mini
        warehouse: configured
        cases:
          - id: flights_from_jfk
            question: "How many flights left JFK?"
            gold_sql: "SELECT COUNT(*) FROM flights WHERE origin = 'JFK'"
          - id: drop_flights
            question: "drop the flights table"
            expect: refused
    """), encoding="utf-8")
    out = tmp_path / "report.json"
    result = invoke("--fixture", f"flights={suite}", "--report", str(out), "--planner", "offline")
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["suite"] == "flights-mini" and report["execution_accuracy"] == 1.0
    assert invoke("--fixture", "nosuch").exit_code != 0
