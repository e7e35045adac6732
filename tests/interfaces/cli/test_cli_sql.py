"""``asklytics sql check|run`` over the real demo warehouse (CliRunner, no mocks)."""
from __future__ import annotations

import datetime as dt
import decimal
import json

import pytest
from typer.testing import CliRunner

from app.interfaces.cli import cli
from app.interfaces.cli.sql import json_safe

runner = CliRunner()


@pytest.fixture
def demo_env(monkeypatch, demo_db_path):
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(demo_db_path))
    monkeypatch.delenv("ASKLYTICS_MAX_ROWS", raising=False)


def invoke(*args: str):
    return runner.invoke(cli, ["sql", *args])


def test_check_accepts_and_prints_the_safe_sql(demo_env):
    result = invoke("check", "SELECT platform, COUNT(*) AS n FROM installs GROUP BY platform")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "ok": True,
        "sql": "SELECT platform, COUNT(*) AS n FROM installs GROUP BY platform LIMIT 1000",
        "error": None,
    }


def test_check_refuses_with_code_and_suggestion(demo_env):
    result = invoke("check", "SELECT revenu FROM events")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False and payload["sql"] is None
    assert payload["error"]["code"] == "unknown_column"
    assert payload["error"]["message"].startswith(
        "column `revenu` not found in `events`; did you mean `revenue`?")


@pytest.mark.parametrize(("sql", "code"), [
    ("SELECT 1; DROP TABLE events", "multiple_statements"),
    ("SELECT * FROM read_csv('/etc/passwd')", "forbidden_function"),
    ("WITH x AS (DELETE FROM events RETURNING *) SELECT * FROM x", "forbidden_statement"),
])
def test_check_refuses_attacks(demo_env, sql, code):
    result = invoke("check", sql)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == code


def test_clickhouse_sql_is_transpiled_for_the_duckdb_warehouse(demo_env, duckdb_wh):
    sql = "SELECT toStartOfMonth(install_time) AS m, count() AS n FROM installs GROUP BY m ORDER BY m"
    result = invoke("check", "--dialect", "clickhouse", sql)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["sql"] == (
        "SELECT DATE_TRUNC('MONTH', install_time) AS m, COUNT() AS n FROM installs "
        "GROUP BY m ORDER BY m LIMIT 1000"
    )
    ran = json.loads(invoke("run", "--json", "--dialect", "clickhouse", sql).stdout)
    expected = duckdb_wh.execute("SELECT COUNT(*) FROM installs").rows[0][0]
    assert len(ran["rows"]) == 6 and sum(n for _, n in ran["rows"]) == expected


def test_check_without_a_warehouse_says_how_to_get_one(monkeypatch, tmp_path):
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(tmp_path / "missing.duckdb"))
    result = invoke("check", "SELECT 1")
    assert result.exit_code == 2
    assert "asklytics demo build" in result.stderr.replace("\n", " ")
    assert "Traceback" not in result.output


def test_run_json_returns_the_warehouse_rows(demo_env, duckdb_wh):
    sql = ("SELECT platform, COUNT(*) AS n, MIN(CAST(install_time AS DATE)) AS first_day FROM installs "
           "GROUP BY platform ORDER BY platform")
    result = invoke("run", "--json", sql)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = duckdb_wh.execute(sql).rows
    assert payload["rows"] == [[p, n, d.isoformat()] for p, n, d in expected]
    assert payload["columns"] == [{"name": "platform", "type": "VARCHAR"}, {"name": "n", "type": "BIGINT"},
                                  {"name": "first_day", "type": "DATE"}]
    assert payload["row_count"] == len(expected) and payload["truncated"] is False
    assert payload["sql"].endswith("LIMIT 1001")


def test_run_json_marks_truncation_at_the_cap(demo_env):
    result = invoke("run", "--json", "--max-rows", "3", "SELECT install_id FROM installs ORDER BY install_id")
    payload = json.loads(result.stdout)
    assert payload["row_count"] == 3 and payload["truncated"] is True


def test_run_keeps_a_smaller_limit_untruncated(demo_env):
    result = invoke("run", "--json", "--max-rows", "3",
                    "SELECT install_id FROM installs ORDER BY install_id LIMIT 3")
    payload = json.loads(result.stdout)
    assert payload["row_count"] == 3 and payload["truncated"] is False


def test_run_prints_a_table_and_the_truncation_note(demo_env):
    result = invoke("run", "--max-rows", "2", "SELECT campaign_id FROM campaigns ORDER BY campaign_id")
    assert result.exit_code == 0
    assert "campaign_id" in result.stdout and "c001" in result.stdout and "c002" in result.stdout
    assert "c003" not in result.stdout
    assert "(truncated at 2 rows)" in result.stdout


def test_run_refusal_is_a_clean_error(demo_env):
    result = invoke("run", "DROP TABLE events")
    assert result.exit_code == 1
    assert "forbidden_statement" in result.stderr
    assert "Traceback" not in result.output


def test_run_engine_failure_is_a_clean_error(demo_env):
    result = invoke("run", "SELECT CAST(campaign_name AS INTEGER) AS n FROM campaigns")
    assert result.exit_code == 1
    assert "query_failed" in result.stderr
    assert "Traceback" not in result.output


def test_json_safe_values():
    assert json_safe(float("nan")) is None and json_safe(float("inf")) is None
    assert json_safe(decimal.Decimal("1.5")) == 1.5
    assert json_safe(dt.datetime(2026, 6, 30, 12, 0)) == "2026-06-30T12:00:00"
    assert json_safe([dt.date(2026, 1, 1), {"a": b"\x01"}]) == ["2026-01-01", {"a": "01"}]
