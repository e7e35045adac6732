"""Your own warehouse and semantic model (#18, first part): ASKLYTICS_SEMANTIC_MODEL as a file or a
folder, ASKLYTICS_DEMO=false, and the model checked against the live warehouse at start-up and in
``asklytics metrics validate``. A small shop-sales warehouse, nothing like the demo, written here."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from app.engine.assistant import Assistant
from app.engine.semantic_source import load_configured_model, semantic_model_path
from app.interfaces.cli import cli
from app.interfaces.cli.serve import check_model_and_warehouse
from app.settings import Settings
from common.errors import ConfigurationError
from semantic_layer import (
    DEMO_MODEL_PATH,
    ModelDoesNotFitWarehouse,
    check_against_schema,
    load_semantic_model,
)
from semantic_layer.loader import validate_model_file
from warehouse.duckdb import DuckDBWarehouse

SHOP_MODEL = textwrap.dedent("""\
    version: 1
    dialect: duckdb
    semantic_models:
      - name: orders
        table: shop_orders
        description: One row per order.
        entities:
          - {name: order, type: primary, expr: order_id}
        dimensions:
          - {name: order_date, type: time, expr: ordered_at, description: Day of the order.,
             type_params: {time_granularity: day}}
          - {name: store_country, type: categorical, expr: country, description: Country of the store.,
             synonyms: [country, market]}
          - {name: channel, type: categorical, expr: sales_channel, description: Web or app.}
        measures:
          - {name: order_total, agg: sum, expr: amount, agg_time_dimension: order_date}
          - {name: order_count, agg: count, expr: order_id, agg_time_dimension: order_date}
    metrics:
      - name: sales
        type: simple
        description: Order amounts in EUR.
        units: EUR
        synonyms: [revenue, turnover]
        type_params: {measure: order_total}
      - name: orders
        type: simple
        description: Number of orders.
        units: count
        type_params: {measure: order_count}
    """)


@pytest.fixture(scope="module")
def shop(tmp_path_factory) -> Path:
    """A DuckDB file with a shop_orders table (its own names and types)."""
    path = tmp_path_factory.mktemp("shop") / "shop.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            "CREATE TABLE shop_orders (order_id VARCHAR, ordered_at DATE, country VARCHAR, "
            "sales_channel VARCHAR, amount DOUBLE)"
        )
        rows = [
            (
                f"o{i}",
                dt.date(2026, 5, 1) + dt.timedelta(days=i % 40),
                ("FR", "IT", "ES")[i % 3],
                ("web", "app")[i % 2],
                10.0 + i,
            )
            for i in range(300)
        ]
        conn.executemany("INSERT INTO shop_orders VALUES (?, ?, ?, ?, ?)", rows)
    return path


@pytest.fixture(scope="module")
def shop_model(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("model") / "shop.yaml"
    path.write_text(SHOP_MODEL)
    return path


def _own(shop: Path, model: Path, **extra) -> Settings:
    return Settings(
        demo=False,
        warehouse="duckdb",
        warehouse_path=shop,
        semantic_model=model,
        as_of=dt.date(2026, 7, 1),
        cache_enabled=False,
        planner="offline",
        **extra,
    )


# --- the model: a file or a folder ----------------------------------------------------------------


def test_a_folder_of_yaml_files_is_one_model(tmp_path):
    raw = yaml.safe_load(DEMO_MODEL_PATH.read_text())
    metrics = raw.pop("metrics")
    (tmp_path / "tables.yaml").write_text(yaml.safe_dump(raw))
    (tmp_path / "metrics").mkdir()
    half = len(metrics) // 2
    (tmp_path / "metrics" / "a.yml").write_text(yaml.safe_dump({"metrics": metrics[:half]}))
    (tmp_path / "metrics" / "b.yaml").write_text(yaml.safe_dump({"metrics": metrics[half:]}))
    assert load_semantic_model(tmp_path).version_hash == load_semantic_model(DEMO_MODEL_PATH).version_hash


def test_a_folder_whose_files_disagree_says_which(tmp_path):
    (tmp_path / "a.yaml").write_text("dialect: duckdb\n")
    (tmp_path / "b.yaml").write_text("dialect: clickhouse\n")
    spec, violations = validate_model_file(tmp_path)
    assert spec is None and any("dialect is set differently" in v.message for v in violations)


def test_an_empty_folder_is_a_clear_problem(tmp_path):
    _, violations = validate_model_file(tmp_path)
    assert violations and "no .yaml or .yml files" in violations[0].message


def test_demo_false_without_a_model_says_how_to_set_one():
    with pytest.raises(ConfigurationError, match="ASKLYTICS_SEMANTIC_MODEL"):
        semantic_model_path(Settings(demo=False))
    assert semantic_model_path(Settings()) == DEMO_MODEL_PATH


def test_an_invalid_configured_model_lists_its_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("metrics:\n  - {name: x, type: simple, type_params: {measure: nope}}\n")
    with pytest.raises(ConfigurationError, match="unknown measure 'nope'"):
        load_configured_model(Settings(demo=False, semantic_model=bad))


# --- the model against the live warehouse ---------------------------------------------------------


def test_the_demo_model_fits_the_demo_warehouse(duckdb_wh):
    assert check_against_schema(load_semantic_model(), duckdb_wh.schema()) == []


def test_the_shop_model_fits_the_shop(shop, shop_model):
    with DuckDBWarehouse(shop) as wh:
        assert check_against_schema(load_semantic_model(shop_model), wh.schema()) == []


def test_every_mismatch_is_listed_with_a_hint(tmp_path, shop_model):
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as conn:  # a renamed column, a text date, a text amount
        conn.execute(
            "CREATE TABLE shop_orders (order_id VARCHAR, ordered_at VARCHAR, cntry VARCHAR, "
            "sales_channel VARCHAR, amount VARCHAR)"
        )
    with DuckDBWarehouse(path) as wh:
        problems = {
            (v.path, v.message, v.hint)
            for v in check_against_schema(load_semantic_model(shop_model), wh.schema())
        }
    text = "\n".join(" | ".join(p) for p in sorted(problems))
    assert "column 'country' is not in table 'shop_orders'" in text and "did you mean 'cntry'" in text
    assert "time dimension 'order_date' reads 'ordered_at', which is VARCHAR" in text
    assert "measure 'order_total' sums or averages 'amount', which is VARCHAR" in text
    assert len(problems) == 3


def test_a_missing_table_names_the_tables_there_are(duckdb_wh, shop_model):
    problems = check_against_schema(load_semantic_model(shop_model), duckdb_wh.schema())
    assert len(problems) == 1 and "table 'shop_orders' is not in the warehouse" in problems[0].message
    assert "installs" in problems[0].hint


# --- answering on your own warehouse ---------------------------------------------------------------


def test_the_assistant_answers_on_the_shop_with_its_own_names(shop, shop_model):
    assistant = Assistant(_own(shop, shop_model))
    try:
        answer = assistant.ask("turnover by market in May")
        assert answer.status == "answered", answer.error
        gold = assistant.warehouse.execute(
            "SELECT country, SUM(amount) FROM shop_orders WHERE ordered_at "
            "BETWEEN '2026-05-01' AND '2026-05-31' GROUP BY country"
        ).rows
        assert sorted(map(tuple, answer.rows)) == sorted(gold)
        assert "shop_orders" in answer.sql and "installs" not in answer.sql
    finally:
        assistant.close()


def test_a_model_that_does_not_fit_stops_the_assistant_and_serve(tmp_path, shop_model):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    settings = _own(empty, shop_model)
    with pytest.raises(ModelDoesNotFitWarehouse, match="shop_orders"):
        check_model_and_warehouse(settings)
    assistant = Assistant(settings)
    try:
        with pytest.raises(ModelDoesNotFitWarehouse):
            _ = assistant.warehouse
    finally:
        assistant.close()


# --- asklytics metrics validate -------------------------------------------------------------------


@pytest.fixture
def validate(monkeypatch):
    def run(warehouse: Path, model: Path, *args: str):
        monkeypatch.setenv("ASKLYTICS_DEMO", "false")
        monkeypatch.setenv("ASKLYTICS_WAREHOUSE", "duckdb")
        monkeypatch.setenv("ASKLYTICS_WAREHOUSE_PATH", str(warehouse))
        monkeypatch.setenv("ASKLYTICS_SEMANTIC_MODEL", str(model))
        result = CliRunner().invoke(cli, ["metrics", "validate", *args])
        return result, " ".join(result.output.split())

    return run


def test_validate_checks_the_configured_model_against_the_warehouse(validate, shop, shop_model, tmp_path):
    result, text = validate(shop, shop_model)
    assert result.exit_code == 0 and "and the warehouse it queries: no problems" in text
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    result, text = validate(empty, shop_model)
    assert result.exit_code == 1 and "table 'shop_orders' is not in the warehouse" in text
    assert "import data first" in text
    result, text = validate(empty, shop_model, "--no-warehouse")
    assert result.exit_code == 0 and "no problems" in text


def test_an_eval_suite_may_run_on_the_configured_warehouse(tmp_path):
    from evals.suite import load_suite

    base = "name: s\nas_of: 2026-07-01\ncases:\n  - {id: a, question: orders in May, gold_sql: SELECT 1}\n"
    (tmp_path / "ok.yaml").write_text("warehouse: configured\n" + base)
    assert load_suite(tmp_path / "ok.yaml").warehouse == "configured"
    (tmp_path / "bad.yaml").write_text("warehouse: mine\n" + base)
    with pytest.raises(Exception, match="warehouse"):
        load_suite(tmp_path / "bad.yaml")


@pytest.mark.parametrize("question", [
    "which users are most likely to churn?", "predicted LTV of our customers",
    "why is user u000123 likely to churn?", "is install i0000042 fraudulent?", "churn",
])
def test_predictions_are_refused_on_a_warehouse_without_their_tables(shop, shop_model, question):
    """Not offered, not attempted: the answer says why, in words, and nothing runs."""
    assistant = Assistant(_own(shop, shop_model))
    try:
        answer = assistant.ask(question)
        assert answer.status == "refused", (answer.status, answer.clarification)
        assert "not available for this warehouse" in answer.answer and "installs" in answer.answer
        assert answer.sql is None
    finally:
        assistant.close()


def test_the_llm_is_not_offered_predictor_tools_the_warehouse_cannot_feed(shop, shop_model, demo_db_path,
                                                                          duckdb_wh):
    from app.engine.planning.llm.tools import DEFAULT_TOOLS
    from app.engine.tools import REGISTRY

    assistant = Assistant(_own(shop, shop_model))
    demo = Assistant(Settings(warehouse_path=demo_db_path, planner="offline"), warehouse=duckdb_wh)
    try:
        tools = set(REGISTRY.names())
        assert tools and tools <= set(DEFAULT_TOOLS) == set(demo.offered_tools)
        # the predictors need the demo's attribution tables; the insight tools work on any model
        predictors = {n for n in tools if REGISTRY.get(n).unavailable(assistant.warehouse.schema())}
        assert {"predict_churn", "score_fraud", "predict_ltv"} <= predictors
        offered = assistant.offered_tools
        assert predictors.isdisjoint(offered) and offered  # the semantic-query and SQL tools stay
        assert tools - predictors <= set(offered)  # explain_change, detect_anomalies
    finally:
        assistant.close()  # not the demo one: it would close the shared demo warehouse
