"""``asklytics model init``: a first model from a warehouse nobody described (#18). The generated
model validates, fits the warehouse, finds joins by value containment, and answers simple
questions with no edits -- on the demo and on a vendor-style export with spaces in its names."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
import yaml

from app.engine.assistant import Assistant
from app.settings import Settings
from semantic_layer import check_against_schema, load_semantic_model
from semantic_layer.bootstrap import bootstrap_model, render_yaml
from warehouse.duckdb import DuckDBWarehouse


def _generate(warehouse: DuckDBWarehouse, out):
    model = bootstrap_model(warehouse.schema(), lambda sql: warehouse.execute(sql).rows)
    out.write_text(render_yaml(model, "test"))
    return model


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """An orders export with vendor column names, and a customers table it joins to."""
    path = tmp_path_factory.mktemp("export") / "export.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            'CREATE TABLE "Orders Export" ("Order ID" VARCHAR, "Ordered At" TIMESTAMP, '
            '"Country" VARCHAR, "Sales Channel" VARCHAR, "Amount EUR" DOUBLE, customer_id VARCHAR)'
        )
        conn.execute("""INSERT INTO "Orders Export" SELECT 'o' || i, TIMESTAMP '2026-05-01 10:00:00'
                        + i * INTERVAL 3 HOUR, ['FR', 'IT', 'ES'][i % 3 + 1], ['web', 'app'][i % 2 + 1],
                        10 + i, 'c' || (i % 50) FROM range(300) t(i)""")
        conn.execute("CREATE TABLE customers (customer_id VARCHAR, tier VARCHAR, signed_up DATE)")
        conn.execute(
            "INSERT INTO customers SELECT 'c' || i, ['gold', 'basic'][i % 2 + 1], "
            "DATE '2026-01-01' + CAST(i AS INTEGER) FROM range(60) t(i)"
        )
    return path


def test_the_demo_warehouse_gets_a_model_that_fits_and_joins(duckdb_wh, tmp_path):
    model = _generate(duckdb_wh, tmp_path / "m.yaml")
    loaded = load_semantic_model(tmp_path / "m.yaml")
    assert check_against_schema(loaded, duckdb_wh.schema()) == []
    tables = {t["name"]: t for t in model["semantic_models"]}
    keys = {
        (t, e["expr"] if "expr" in e else e["name"], e["type"])
        for t, m in tables.items()
        for e in m.get("entities", [])
    }
    assert ("campaigns", "campaign_id", "primary") in keys and ("installs", "campaign_id", "foreign") in keys
    assert ("installs", "install_id", "primary") in keys and ("ad_spend", "campaign_id", "foreign") in keys
    dims = {d["name"]: d for d in tables["installs"]["dimensions"]}
    assert dims["platform"]["type"] == "categorical" and dims["install_time_date"]["type"] == "time"
    assert "ip_hash" not in dims  # 200k distinct values: an attribute, not a dimension
    assert {"total_cost", "ad_spend_count", "total_revenue"} <= {m["name"] for m in model["metrics"]}


def test_a_join_needs_the_values_not_just_the_name(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE TABLE shops (shop_id INTEGER, city VARCHAR)")
        conn.execute("INSERT INTO shops VALUES (1, 'Lyon'), (2, 'Turin')")
        conn.execute("CREATE TABLE sales (sale_id INTEGER, shop_id INTEGER, amount DOUBLE)")
        conn.execute("INSERT INTO sales VALUES (1, 1, 5), (2, 3, 7)")  # shop 3 does not exist
    with DuckDBWarehouse(path) as wh:
        model = _generate(wh, tmp_path / "m.yaml")
    sales = next(t for t in model["semantic_models"] if t["name"] == "sales")
    assert not any(e["type"] == "foreign" for e in sales.get("entities", []))
    assert yaml.safe_load((tmp_path / "m.yaml").read_text().split("\n", 4)[-1]) is not None
    assert "Edit before relying on it" in (tmp_path / "m.yaml").read_text()


def test_a_vendor_export_answers_simple_questions_with_no_edits(export, tmp_path):
    with DuckDBWarehouse(export) as wh:
        _generate(wh, tmp_path / "m.yaml")
        assert check_against_schema(load_semantic_model(tmp_path / "m.yaml"), wh.schema()) == []
    settings = Settings(
        demo=False,
        warehouse="duckdb",
        warehouse_path=export,
        semantic_model=tmp_path / "m.yaml",
        as_of=dt.date(2026, 7, 1),
        cache_enabled=False,
        planner="offline",
    )
    assistant = Assistant(settings)
    try:
        answer = assistant.ask("total amount eur by country")
        assert answer.status == "answered", answer.error
        gold = assistant.warehouse.execute(
            'SELECT "Country", SUM("Amount EUR") FROM "Orders Export" GROUP BY 1'
        ).rows
        assert sorted(map(tuple, answer.rows)) == sorted(gold)
        answer = assistant.ask("orders export count by tier")  # through the customer join
        assert answer.status == "answered", answer.error
        gold = assistant.warehouse.execute(
            'SELECT c.tier, COUNT(*) FROM "Orders Export" o JOIN customers c USING (customer_id) GROUP BY 1'
        ).rows
        assert sorted(map(tuple, answer.rows)) == sorted(gold)
    finally:
        assistant.close()


def test_model_init_writes_a_model_that_validates(export, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from app.interfaces.cli import cli

    monkeypatch.setenv("ASKLYTICS_DEMO", "false")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(export))
    out = tmp_path / "model.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["model", "init", "--out", str(out)])
    text = " ".join(result.output.split())
    assert result.exit_code == 0, text
    assert "wrote" in text and "2 tables" in text and "asklytics metrics validate" in text
    result = runner.invoke(cli, ["model", "init", "--out", str(out)])
    assert result.exit_code == 1 and "--force" in result.output
    monkeypatch.setenv("ASKLYTICS_SEMANTIC_MODEL", str(out))
    result = runner.invoke(cli, ["metrics", "validate"])
    assert result.exit_code == 0 and "no problems" in result.output


def test_model_init_on_an_empty_warehouse_says_to_import_first(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from app.interfaces.cli import cli

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(empty))
    result = CliRunner().invoke(cli, ["model", "init", "--out", str(tmp_path / "m.yaml")])
    assert result.exit_code == 1 and "import your data first" in " ".join(result.output.split())
