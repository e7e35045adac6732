"""``asklytics metrics``: the catalog, validation, and queries on the demo warehouse."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.interfaces.cli import cli
from semantic_layer import DEMO_MODEL_PATH, Filter, OrderBy, SemanticQuery, load_semantic_model, run_query

INVALID = Path(__file__).resolve().parents[2] / "semantic_layer" / "fixtures" / "invalid"


@pytest.fixture
def invoke(demo_db_path, monkeypatch):
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(demo_db_path))
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(cli, ["metrics", *args])
        return result, " ".join(result.output.split())  # rich wraps long lines

    return run


def test_list_shows_the_catalog(invoke):
    result, text = invoke("list")
    assert result.exit_code == 0
    assert "roas" in text and "Return on ad spend" in text and "retention_d30" in text
    result, _ = invoke("list", "--json")
    names = {m["name"] for m in json.loads(result.stdout)}
    assert names == set(load_semantic_model().metrics)


def test_validate_passes_on_the_demo_model(invoke):
    result, text = invoke("validate")
    assert result.exit_code == 0 and "no problems" in text


def test_validate_reports_file_path_and_hint_and_exits_1(invoke):
    result, text = invoke("validate", "--path", str(INVALID / "unknown_measure.yaml"))
    assert result.exit_code == 1
    assert "unknown_measure.yaml" in text and "metrics[0].type_params.measure" in text
    assert "unknown measure 'costs'" in text and "fix: use one of" in text


def test_query_top5_ios_roas_matches_the_service(invoke, duckdb_wh):
    result, _ = invoke("query", "--metric", "roas", "--by", "campaign_name", "--where", "platform = 'iOS'",
                       "--from", "2026-06-01", "--to", "2026-06-30", "--order", "-roas", "--limit", "5",
                       "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    expected = run_query(load_semantic_model(DEMO_MODEL_PATH), SemanticQuery(
        metrics=["roas"], dimensions=["campaign_name"],
        filters=[Filter(dimension="platform", values=["iOS"])],
        time_range=(date(2026, 6, 1), date(2026, 6, 30)), order_by=[OrderBy(field="roas")], limit=5),
        duckdb_wh)
    # DuckDB's parallel float sums differ in the last bits from run to run.
    assert [r[0] for r in payload["rows"]] == [r[0] for r in expected.rows]
    assert [r[1] for r in payload["rows"]] == pytest.approx([r[1] for r in expected.rows], rel=1e-9)
    assert len(payload["rows"]) == 5 and payload["semantic_query"]["filters"] == ["platform = 'iOS'"]
    assert payload["sql"].startswith("SELECT") and "LIMIT 5" in payload["sql"]
    ranked = [r[1] for r in payload["rows"]]
    assert ranked == sorted(ranked, reverse=True)


def test_query_table_output_and_grain(invoke):
    result, text = invoke("query", "-m", "installs", "-m", "paid_installs", "--grain", "month")
    assert result.exit_code == 0, result.output
    assert "metric_time" in text and "2026-01-01" in text and "2026-06-01" in text


def test_explain_prints_sql_without_running(invoke):
    result, text = invoke("query", "--metric", "cpi", "--by", "media_source", "--explain")
    assert result.exit_code == 0
    assert text.startswith("SELECT") and "NULLIF" in text and "ad_spend" in text


@pytest.mark.parametrize(("args", "message"), [
    (("--metric", "roaz"), "unknown metric 'roaz'; did you mean 'roas'"),
    (("--metric", "cost", "--by", "fraud_type"), "not available for 'cost'"),
    (("--metric", "cost", "--where", "platform = 'iOS' OR 1=1"), "cannot use filter"),
    (("--metric", "cost", "--from", "2026-06-01"), "give both --from and --to"),
    (("--metric", "cost", "--grain", "fortnight"), "unknown time grain 'fortnight'"),
    (("--metric", "cost", "--order", "-installs"), "order_by field"),
])
def test_bad_flags_fail_clearly(invoke, args, message):
    result, text = invoke("query", *args)
    assert result.exit_code == 1
    assert message in text and "Traceback" not in text
