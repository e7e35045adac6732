"""``asklytics model import-dbt`` end to end (#18): the fixture dbt project -> model.yaml, then a DuckDB
warehouse shaped like the project's models, `metrics validate` against it, and imported simple and
ratio metrics run through the semantic layer, equal to hand-written SQL."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from app.interfaces.cli import cli
from semantic_layer import Filter, SemanticQuery, load_semantic_model, run_query
from warehouse.duckdb import DuckDBWarehouse

PROJECT = Path(__file__).resolve().parents[2] / "semantic_layer" / "fixtures" / "dbt_project"

CUSTOMERS = [("c1", "Alice", "EU"), ("c2", "Bob", "US"), ("c3", "Carla", "EU"), ("c4", "Dan", "APAC")]
# order_id, customer_id, ordered_at, status, order_total, is_food_order
ORDERS = [
    ("o1", "c1", "2023-12-30 18:00:00", "completed", 12.5, True),
    ("o2", "c1", "2024-01-03 09:30:00", "completed", 30.0, False),
    ("o3", "c2", "2024-01-05 12:00:00", "shipped", 22.0, True),
    ("o4", "c3", "2024-01-20 20:15:00", "returned", 8.0, True),
    ("o5", "c3", "2024-02-02 08:00:00", "shipped", 41.0, True),
    ("o6", "c4", "2024-02-10 13:45:00", "completed", 15.0, False),
    ("o7", "c2", "2024-02-11 19:00:00", "cancelled", 19.5, False),
    ("o8", "c1", "2024-02-28 23:59:00", "completed", 26.0, True),
]
# order_item_id, order_id, is_food_item, product_price
ITEMS = [("i1", "o1", True, 7.5), ("i2", "o1", False, 5.0), ("i3", "o2", False, 30.0),
         ("i4", "o3", True, 22.0), ("i5", "o4", True, 8.0), ("i6", "o5", True, 30.0),
         ("i7", "o5", False, 11.0), ("i8", "o6", False, 15.0), ("i9", "o7", False, 19.5),
         ("i10", "o8", True, 20.0), ("i11", "o8", False, 6.0)]
EU_ORDERS = "FROM orders o JOIN customers c ON c.customer_id = o.customer_id WHERE c.region = 'EU'"
GOLD = {
    "eu_order_total by status": f"SELECT o.status, SUM(o.order_total) {EU_ORDERS} GROUP BY 1 ORDER BY 1",
    "fulfilled by month": "SELECT CAST(date_trunc('month', ordered_at) AS DATE), SUM(order_total) "
                          "FROM orders WHERE status IN ('completed', 'shipped') AND "
                          "CAST(ordered_at AS DATE) >= '2024-01-01' GROUP BY 1 ORDER BY 1",
    "eu food share": "SELECT CAST(SUM(CASE WHEN o.is_food_order THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) "
                     + EU_ORDERS,
    "food revenue pct by month": "SELECT CAST(date_trunc('month', ordered_at) AS DATE), SUM(CASE WHEN "
                                 "is_food_item THEN product_price ELSE 0 END) / SUM(product_price) FROM "
                                 "order_items WHERE CAST(ordered_at AS DATE) BETWEEN '2024-01-01' AND "
                                 "'2024-02-29' GROUP BY 1 ORDER BY 1",
}

def _warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE TABLE customers (customer_id VARCHAR, customer_name VARCHAR, region VARCHAR, "
                     "first_ordered_at DATE, last_seen_at TIMESTAMP, lifetime_spend DOUBLE)")
        conn.executemany("INSERT INTO customers VALUES (?, ?, ?, DATE '2023-12-01', "
                         "TIMESTAMP '2024-03-01 10:00:00', 100)", CUSTOMERS)
        conn.execute("CREATE TABLE orders (order_id VARCHAR, customer_id VARCHAR, store_id VARCHAR, "
                     "ordered_at TIMESTAMP, status VARCHAR, order_total DOUBLE, is_food_order BOOLEAN)")
        conn.executemany("INSERT INTO orders VALUES (?, ?, 's1', CAST(? AS TIMESTAMP), ?, ?, ?)", ORDERS)
        conn.execute("CREATE TABLE order_items (order_item_id VARCHAR, order_id VARCHAR, "
                     "ordered_at TIMESTAMP, is_food_item BOOLEAN, product_price DOUBLE)")
        conn.executemany("INSERT INTO order_items SELECT ?, o.order_id, o.ordered_at, ?, ? FROM orders o "
                         "WHERE o.order_id = ?", [(i, food, price, order) for i, order, food, price in ITEMS])


@pytest.fixture
def env(tmp_path, monkeypatch):
    database = tmp_path / "shop.duckdb"
    _warehouse(database)
    monkeypatch.setenv("ASKLYTICS_DEMO", "false")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
    monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(database))
    monkeypatch.setenv("ASKLYTICS_CACHE_ENABLED", "false")
    monkeypatch.chdir(tmp_path)
    return database


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return " ".join(result.output.split())


def _gold(database: Path) -> dict[str, list[tuple]]:
    """The hand-written SQL's rows (read before the semantic layer opens the file)."""
    with duckdb.connect(str(database), read_only=True) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in GOLD.items()}


def test_import_validate_and_answer_like_hand_written_sql(env):
    out = Path("model.yaml")
    said = _run("model", "import-dbt", str(PROJECT), "--out", str(out))
    assert "wrote model.yaml: 3 semantic models, 20 metrics" in said
    assert "skipped 12" in said
    assert "metric 'weekly_order_total' (models/marts/orders.yml): cumulative" in said
    text = out.read_text()
    assert f"from the dbt project {PROJECT}" in text.splitlines()[0]
    assert "# skipped: metric 'order_to_food_conversion'" in text
    assert "exists; pass --force" in _run("model", "import-dbt", str(PROJECT), "--out", str(out), code=1)
    _run("model", "import-dbt", str(PROJECT), "--out", str(out), "--force")

    assert "model.yaml: no problems" in _run("metrics", "validate", "--path", str(out), "--no-warehouse")
    assert "model.yaml and the warehouse it queries: no problems" in _run("metrics", "validate", "--path",
                                                                           str(out))
    model = load_semantic_model(out)
    gold = _gold(env)
    with DuckDBWarehouse(env) as wh:
        def rows(query: SemanticQuery) -> list[tuple]:
            return sorted(run_query(model, query, wh).rows)

        # a simple metric whose filter joins to another semantic model, by a dimension of its own
        got = rows(SemanticQuery(metrics=["eu_order_total"], dimensions=["order_status"]))
        assert got == gold["eu_order_total by status"] and len(got) == 3
        # two filters (IN and a date), by month
        got = rows(SemanticQuery(metrics=["fulfilled_order_total_2024"], dimensions=["metric_time__month"]))
        assert got == gold["fulfilled by month"] == [(dt.date(2024, 1, 1), 52.0), (dt.date(2024, 2, 1), 82.0)]
        # a ratio whose numerator had a filter and the whole ratio another (pushed to generated metrics)
        got = rows(SemanticQuery(metrics=["eu_food_order_share"]))
        assert got[0][0] == pytest.approx(gold["eu food share"][0][0]) == pytest.approx(4 / 5)
        # a ratio of two sums, by a dimension, within a time range and a query filter
        got = rows(SemanticQuery(metrics=["food_revenue_pct"], dimensions=["metric_time__month"],
                                 time_range=(dt.date(2024, 1, 1), dt.date(2024, 2, 29)),
                                 filters=[Filter(dimension="is_food_item", op="in", values=[True, False])]))
        expected = gold["food revenue pct by month"]
        assert [r[0] for r in got] == [r[0] for r in expected] and len(expected) == 2
        assert [r[1] for r in got] == pytest.approx([r[1] for r in expected])
        # a derived metric whose inputs had aliases
        got = rows(SemanticQuery(metrics=["order_total_per_customer"]))
        assert got[0][0] == pytest.approx(sum(o[4] for o in ORDERS) / 4)

def test_bad_projects_are_clear_errors_without_traceback(env, tmp_path):
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "models" / "a.yml").write_text("semantic_models:\n  - name: a\n   bad: [\n")
    said = _run("model", "import-dbt", str(project), "--out", "m.yaml", code=1)
    assert "error: cannot import the dbt project" in said and "models/a.yml: not valid YAML (line 3" in said
    (project / "models" / "a.yml").write_text(
        "semantic_models:\n  - name: a\n    model: ref('a')\n    measures:\n      - {name: m, agg: sum}\n"
        "metrics:\n  - {name: x, type: simple, type_params: {measure: mm}}\n")
    said = _run("model", "import-dbt", str(project), "--out", "m.yaml", code=1)
    assert "metric 'x' (models/a.yml) uses unknown measure 'mm'" in said
    (project / "models" / "a.yml").write_text("version: 2\nmodels:\n  - name: a\n")
    assert "no semantic_models: found" in _run("model", "import-dbt", str(project), "--out", "m.yaml",
                                               code=1)
    assert "unknown --dialect 'nope'" in _run("model", "import-dbt", str(PROJECT), "--dialect", "nope",
                                              code=1)
    assert not Path("m.yaml").exists()
