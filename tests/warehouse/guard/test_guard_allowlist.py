"""The function allow-list itself: real names only, never a denied one, consistent with sqlglot,
and every statement the product writes passes it."""
from __future__ import annotations

import datetime as dt
import json
import sys

import duckdb
import pytest
import sqlglot
import yaml
from conftest import HERE, contract_schema
from sqlglot import exp

from warehouse.guard.allowlist import ENGINE_FUNCTIONS, TYPED_FUNCTIONS, is_listed
from warehouse.guard.errors import GuardError
from warehouse.guard.functions import is_denied, restrict_functions

REPO = HERE.parents[2]


def test_typed_names_are_sqlglot_function_names():
    canonical = {f.sql_name() for f in exp.ALL_FUNCTIONS}
    assert TYPED_FUNCTIONS <= canonical, sorted(TYPED_FUNCTIONS - canonical)


@pytest.mark.parametrize("dialect", sorted(ENGINE_FUNCTIONS))
def test_no_allowed_name_is_denied(dialect):
    assert not [n for n in ENGINE_FUNCTIONS[dialect] if is_denied(n)]
    assert not [n for n in TYPED_FUNCTIONS if is_denied(n.lower())]


def test_duckdb_names_are_duckdb_functions():
    rows = duckdb.connect().execute("SELECT function_name FROM duckdb_functions()").fetchall()
    known = {r[0].lower() for r in rows}
    assert ENGINE_FUNCTIONS["duckdb"] <= known, sorted(ENGINE_FUNCTIONS["duckdb"] - known)


def test_clickhouse_names_are_clickhouse_functions(chdb_wh):
    known = {r[0].lower() for r in chdb_wh.execute("SELECT name FROM system.functions").rows}
    assert ENGINE_FUNCTIONS["clickhouse"] <= known, sorted(ENGINE_FUNCTIONS["clickhouse"] - known)


@pytest.mark.parametrize("dialect", sorted(ENGINE_FUNCTIONS))
def test_a_listed_name_is_accepted_however_sqlglot_parses_it(dialect):
    """Where sqlglot models a listed engine function as a typed node, that node is listed too."""
    refused = []
    for name in sorted(ENGINE_FUNCTIONS[dialect]):
        tree = _first_parse(name, dialect)
        try:
            if tree is not None:
                restrict_functions(tree, dialect)
        except GuardError as error:
            refused.append(f"{name}: {error.message}")
    assert not refused, "\n".join(refused)


def _first_parse(name: str, dialect: str) -> exp.Expression | None:
    for arguments in ("x", "x, y", "", "x, y, z"):
        try:
            return sqlglot.parse_one(f"SELECT {name}({arguments}) FROM t", read=dialect)
        except Exception:  # noqa: BLE001, S112 - sqlglot raises IndexError/ValueError on some bad arities too
            continue
    return None


@pytest.mark.parametrize("name, listed", [
    ("sumif", True), ("uniqexactif", True), ("avgornull", True), ("quantilesif", True),
    ("countdistinct", True), ("sumifornull", True), ("fileif", False), ("hostnameif", False), ("if", True),
    ("ornull", False),
])
def test_clickhouse_combinators_extend_listed_aggregates_only(name, listed):
    assert is_listed(name, "clickhouse") is listed


def product_statements() -> list[tuple[str, str, str]]:
    """(source, dialect, sql) for every statement the product writes or keeps as gold."""
    statements = _legit() + _semantic_layer() + _eval_gold() + _spider_gold() + _predictor_features()
    return statements


def _legit():
    cases = yaml.safe_load((HERE / "legit_queries.yaml").read_text(encoding="utf-8"))
    return [("legit", "duckdb", c["sql"]) for c in cases] + [
        ("legit", "clickhouse", c["clickhouse"]) for c in cases if "clickhouse" in c]


def _semantic_layer():
    from semantic_layer import DEMO_MODEL_PATH, Filter, OrderBy, SemanticQuery, load_semantic_model
    from semantic_layer.compiler import compile_semantic_query
    from semantic_layer.query import SemanticQueryError

    model, june = load_semantic_model(DEMO_MODEL_PATH), (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    ios = Filter(dimension="platform", op="=", values=("iOS",))
    queries = [SemanticQuery(dimensions=[d]) for d in model.dimensions if d != "metric_time"]
    queries += [SemanticQuery(metrics=[f"count_distinct:{d}"], time_range=june, filters=[ios])
                for d, spec in model.dimensions.items() if spec.type == "categorical"]
    for metric in model.metrics:
        queries.append(SemanticQuery(metrics=[metric], time_range=june))
        queries += [SemanticQuery(metrics=[metric], dimensions=["metric_time"], grain=g, time_range=june)
                    for g in ("day", "week", "month", "quarter", "year")]
        queries += [SemanticQuery(metrics=[metric], dimensions=[d], time_range=june, filters=[ios],
                                  order_by=[OrderBy(field=metric)], limit=5)
                    for d in model.dimensions if d != "metric_time"]
    out = []
    for dialect in ("duckdb", "clickhouse"):
        for query in queries:
            try:
                compiled = compile_semantic_query(model, query, dialect)
                out.append(("semantic", dialect, compiled.sql(dialect=dialect)))
            except SemanticQueryError:
                continue  # a combination the model rejects never reaches the guard
    return out


def _eval_gold():
    from evals.suite import load_suite

    return [(f"eval:{path.stem}", "duckdb", case.gold_sql)
            for path in sorted((REPO / "evals" / "suites").glob("*.yaml"))
            for case in load_suite(path).cases if case.gold_sql]


def _spider_gold():
    out = []
    for name in ("dev.json", "bird_dev.json"):
        fixture = REPO / "tests" / "evals" / "fixtures" / "spider" / name
        items = json.loads(fixture.read_text(encoding="utf-8"))
        out += [("spider", "sqlite", item.get("query") or item["SQL"]) for item in items]
    return out


def _predictor_features():
    from predictors.features import churn, fraud, ltv
    from predictors.features.dialects import translate

    cut, end = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    queries = [churn.feature_query(cut), churn.label_query(cut), fraud.feature_query(cut),
               fraud.label_query(cut, end), ltv.feature_query(cut), ltv.label_query(cut, end)]
    return [("predictors", "duckdb", q.sql) for q in queries] + [
        ("predictors", "clickhouse", translate(q.sql, list(q.params), "clickhouse")[0]) for q in queries]


def test_every_statement_the_product_writes_passes_the_function_rule():
    sys.path.insert(0, str(REPO / "tests" / "semantic_layer"))
    from gold_harness import METRICS, SHAPES  # the semantic layer's hand-written gold SQL

    statements = product_statements() + [("semantic-gold", d, shape.gold_sql(m, d))
                                         for shape in SHAPES for m in METRICS
                                         for d in ("duckdb", "clickhouse")]
    refused = []
    for source, dialect, sql in statements:
        try:
            restrict_functions(sqlglot.parse_one(sql, read=dialect), dialect)
        except GuardError as error:
            refused.append(f"{source} ({dialect}): {error.message}\n  {sql[:200]}")
    assert len(statements) > 2000
    assert not refused, "\n".join(refused[:10])


def test_the_target_dialects_list_applies_to_the_emitted_sql():
    """A DuckDB function transpiled to ClickHouse keeps its name; ClickHouse's list decides."""

    from warehouse.guard import guard_sql

    sql = "SELECT jaro_similarity('asklytics', 'analytics') AS j"
    guarded = guard_sql(sql, schema=contract_schema(), dialect="duckdb")
    assert guarded.sql.upper().startswith("SELECT JARO_SIMILARITY")
    with pytest.raises(GuardError) as refused:
        guard_sql(sql, schema=contract_schema(), dialect="duckdb", target_dialect="clickhouse")
    assert refused.value.code == "forbidden_function" and "in clickhouse" in refused.value.message


def test_a_call_wrapped_in_a_column_is_a_qualified_call():
    """sqlglot can hold ``main.lower(...)`` as a Column whose ``this`` is the call (hand-built trees)."""
    call = exp.Anonymous(this="lower", expressions=[exp.Literal.string("x")])
    tree = exp.select(exp.Column(this=call, table=exp.to_identifier("main")))
    with pytest.raises(GuardError, match="through a qualifier"):
        restrict_functions(tree, "duckdb")
