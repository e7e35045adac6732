"""``check_against_schema`` with the warehouse: semantic models defined by ``sql:`` are run with
LIMIT 0 and their columns checked as a table's; a query the database refuses is one problem."""

from __future__ import annotations

import textwrap

import duckdb
import pytest
from typer.testing import CliRunner

from app.interfaces.cli import cli
from semantic_layer import check_against_schema, load_semantic_model
from warehouse.duckdb import DuckDBWarehouse

MODEL = textwrap.dedent("""\
    version: 1
    dialect: duckdb
    semantic_models:
      - name: orders
        table: shop_orders
        entities:
          - {{name: order, type: primary, expr: order_id}}
        dimensions:
          - {{name: order_date, type: time, expr: ordered_at, description: Order day.,
             type_params: {{time_granularity: day}}}}
        measures:
          - {{name: order_total, agg: sum, expr: amount, agg_time_dimension: order_date}}
      - name: daily
        sql: |
          {sql}
        entities:
          - {{name: day_key, type: primary, expr: day}}
        dimensions:
          - {{name: day, type: time, description: The day., type_params: {{time_granularity: day}}}}
          - {{name: top_country, type: categorical, description: Top country of the day.}}
        measures:
          - {{name: day_orders, agg: sum, expr: orders, agg_time_dimension: day}}
          - {{name: day_amount, agg: average, expr: amount, agg_time_dimension: day}}
    metrics:
      - {{name: sales, type: simple, description: Sales., units: EUR, type_params: {{measure: order_total}}}}
      - {{name: orders_per_day, type: simple, description: Orders., units: count,
         type_params: {{measure: day_orders}}}}
    """)
GOOD = ("SELECT ordered_at AS day, COUNT(*) AS orders, SUM(amount) AS amount, MAX(country) AS top_country "
        "FROM shop_orders GROUP BY 1")


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    path = tmp_path_factory.mktemp("shop") / "shop.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE TABLE shop_orders AS SELECT 'o' || i AS order_id, DATE '2026-05-01' + "
                     "(i % 9)::INTEGER AS ordered_at, ['FR', 'IT'][i % 2 + 1] AS country, 10.0 + i AS amount "
                     "FROM range(50) t(i)")
    with DuckDBWarehouse(path) as warehouse:
        yield warehouse


def problems(tmp_path, warehouse, sql: str, *, with_warehouse: bool = True, extra: str = ""):
    path = tmp_path / "model.yaml"
    path.write_text(MODEL.format(sql=sql).replace("    sql: |", f"{extra}    sql: |", 1))
    model = load_semantic_model(path)
    return check_against_schema(model, warehouse.schema(), warehouse if with_warehouse else None)


def test_a_good_sql_model_passes(shop, tmp_path):
    assert problems(tmp_path, shop, GOOD) == []


def test_a_query_the_database_refuses_is_one_problem_with_its_error(shop, tmp_path):
    found = problems(tmp_path, shop, GOOD.replace("SUM(amount)", "SUM(amount_eur)"))
    assert [(p.path, p.message) for p in found] == [
        ("semantic_models.daily.sql", "its sql does not run on the warehouse")]
    assert found[0].hint.startswith("fix the query: ") and "amount_eur" in found[0].hint
    assert "\n" not in found[0].hint


def test_columns_the_query_does_not_return_are_listed_with_the_closest(shop, tmp_path):
    found = problems(tmp_path, shop, GOOD.replace("AS orders,", "AS order_count,"))
    assert [(p.path, p.message) for p in found] == [("semantic_models.daily.measures.day_orders",
                                                     "column 'orders' is not in the columns its sql returns")]
    assert "use a column its sql returns" in found[0].hint and "'order_count'" in found[0].hint


def test_types_are_checked_as_a_tables(shop, tmp_path):
    sql = ("SELECT CAST(ordered_at AS VARCHAR) AS day, COUNT(*) AS orders, MAX(country) AS amount, "
           "MAX(country) AS top_country FROM shop_orders GROUP BY 1")
    found = problems(tmp_path, shop, sql)
    assert {(p.path, p.message) for p in found} == {
        ("semantic_models.daily.dimensions.day", "time dimension 'day' reads 'day', which is VARCHAR"),
        ("semantic_models.daily.measures.day_amount",
         "measure 'day_amount' sums or averages 'amount', which is VARCHAR"),
    }


def test_a_table_the_query_reads_must_exist_unless_the_model_says_what_to_do(shop, tmp_path):
    sql = GOOD.replace("FROM shop_orders", "FROM shop_order")
    found = problems(tmp_path, shop, sql)
    assert [(p.path, p.message) for p in found] == [
        ("semantic_models.daily.sql", "its sql reads table 'shop_order', which is not in the warehouse")]
    assert "did you mean 'shop_orders'" in found[0].hint
    waiting = "    when_missing: run the nightly job first\n"
    assert problems(tmp_path, shop, sql, extra=waiting) == []


def test_without_the_warehouse_sql_models_are_not_run(shop, tmp_path):
    assert problems(tmp_path, shop, GOOD.replace("SUM(amount)", "SUM(nope)"), with_warehouse=False) == []


def test_the_demo_model_fits_the_demo_warehouse_sql_models_included(duckdb_wh, scored_duckdb_wh):
    model = load_semantic_model()
    assert any(t.sql for t in model.spec.semantic_models)
    assert check_against_schema(model, duckdb_wh.schema(), duckdb_wh) == []
    assert check_against_schema(model, scored_duckdb_wh.schema(), scored_duckdb_wh) == []  # predictions too


def test_metrics_validate_reports_a_broken_sql_model(shop, tmp_path, monkeypatch):
    path = tmp_path / "model.yaml"
    path.write_text(MODEL.format(sql=GOOD.replace("SUM(amount)", "SUM(amount_eur)")))
    monkeypatch.setenv("ASKLYTICS_DEMO", "false")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(shop.path))
    runner = CliRunner()
    result = runner.invoke(cli, ["metrics", "validate", "--path", str(path)])
    text = " ".join(result.output.split())
    assert result.exit_code == 1, text
    assert "semantic_models.daily.sql: its sql does not run on the warehouse" in text
    assert "fix: fix the query:" in text and "amount_eur" in text
    result = runner.invoke(cli, ["metrics", "validate", "--path", str(path), "--no-warehouse"])
    assert result.exit_code == 0 and "no problems" in " ".join(result.output.split())
