"""Function names in every identifier form (function_attacks.yaml), on both engines.

Issue #15: ``SELECT "current_setting"('secret_directory')`` ran on DuckDB and
``SELECT "file"('/proc/self/environ')`` on chdb, because the guard compared
the name with its quotes. Each formerly denied function, one member of each
denied family and a set of unknown functions is called here in every form,
from DuckDB and from ClickHouse SQL, through the plan executor on the real
DuckDB and chdb engines: the guard refuses every one with
``forbidden_function`` and the engine never sees the statement. A control
shows the engines do run these forms when nothing guards them.
"""
from __future__ import annotations

import pytest
import yaml
from conftest import HERE, contract_schema

from app.engine.pipeline.execute import ExecutionError, PlanExecutor
from app.engine.planning.plan import SqlPlan
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model
from warehouse.guard import GuardError, guard_sql

CORPUS = yaml.safe_load((HERE / "function_attacks.yaml").read_text(encoding="utf-8"))
NAMES = sorted(
    {n for group in ("formerly_denied", "denied_families") for names in CORPUS[group].values() for n in names}
    | set(CORPUS["unknown"])
)
SCHEMA_OF = {"duckdb": "main", "clickhouse": "default", "sqlite": "main"}
TEXT_TYPE = {"duckdb": "VARCHAR", "clickhouse": "String", "sqlite": "TEXT"}

FORMS = {
    "plain": "SELECT {name}('x')",
    "upper": "SELECT {upper}('x')",
    "mixed_case": "SELECT {mixed}('x')",
    "double_quoted": "SELECT \"{name}\"('x')",
    "double_quoted_upper": "SELECT \"{upper}\"('x')",
    "double_quoted_mixed": "SELECT \"{mixed}\"('x')",
    "backquoted": "SELECT `{name}`('x')",
    "schema_qualified": "SELECT {schema}.{name}('x')",
    "quoted_qualified": "SELECT \"{schema}\".\"{name}\"('x')",
    "system_qualified": "SELECT system.{name}('x')",
    "catalog_qualified": "SELECT system.{schema}.{name}('x')",
    "method_style": "SELECT 'x'.{name}()",
    "no_arguments_quoted": "SELECT \"{name}\"()",
    "in_where": "SELECT count(*) FROM events WHERE \"{name}\"('x') IS NOT NULL",
    "in_table_position": "SELECT * FROM \"{name}\"('x')",
    "in_cte": "WITH s AS (SELECT \"{name}\"('x') AS v) SELECT v FROM s",
    "nested_in_cast": "SELECT upper(CAST(\"{name}\"('x') AS {text}))",
    "in_window": "SELECT \"{name}\"('x') OVER () FROM events",
}
# Forms a dialect has no syntax for: DuckDB has no backquoted identifiers.
UNSUPPORTED = {("duckdb", "backquoted")}
# sqlglot checks the arity of the functions it models even when the name is quoted, so a
# one-argument call of a zero-argument one (``"current_role"('x')``) is a parse refusal.
REFUSED = {"forbidden_function", "sql_syntax"}


def _mixed(name: str) -> str:
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(name))


def render(form: str, name: str, dialect: str) -> str:
    return FORMS[form].format(name=name, upper=name.upper(), mixed=_mixed(name),
                              schema=SCHEMA_OF[dialect], text=TEXT_TYPE[dialect])


class RecordingWarehouse:
    """A real connector that remembers every statement that reached it."""

    def __init__(self, inner):
        self.inner, self.dialect, self.executed = inner, inner.dialect, []

    def schema(self):
        return self.inner.schema()

    def execute(self, sql, params=None):
        self.executed.append(sql)
        return self.inner.execute(sql, params)


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


def test_corpus_covers_every_family_and_dialect():
    dialects = {"duckdb", "clickhouse", "sqlite"}
    assert set(CORPUS["formerly_denied"]) == set(CORPUS["denied_families"]) == dialects
    assert len(NAMES) > 120


# Every (source dialect, identifier form) pair the source dialect can write (DuckDB has no backquotes).
SOURCE_FORMS = [(source, form) for source in ("duckdb", "clickhouse") for form in sorted(FORMS)
                if (source, form) not in UNSUPPORTED]


@pytest.mark.parametrize(("source", "form"), SOURCE_FORMS)
@pytest.mark.parametrize("engine", ["duckdb_wh", "chdb_wh"])
def test_every_form_is_refused_and_never_reaches_the_engine(engine, form, source, model, request):
    """Source and engine in every pairing: guarded in the source dialect, transpiled to the engine's."""
    warehouse = RecordingWarehouse(request.getfixturevalue(engine))
    executor = PlanExecutor(model, warehouse, max_rows=100)
    passed, codes = [], []
    for name in NAMES:
        sql = render(form, name, source)
        try:
            executor.run(SqlPlan(sql=sql, dialect=source))
            passed.append(sql)
        except ExecutionError as refused:
            codes.append(refused.code)
            if refused.code not in REFUSED:
                passed.append(f"{sql} -> {refused.code}: {refused.message}")
    assert not passed, f"{len(passed)} not refused as forbidden_function:\n" + "\n".join(passed[:20])
    assert warehouse.executed == []
    assert codes.count("forbidden_function") >= 0.9 * len(codes)


@pytest.mark.parametrize("form", ["plain", "upper", "double_quoted", "double_quoted_mixed", "backquoted",
                                  "schema_qualified", "quoted_qualified", "in_table_position"])
def test_sqlite_forms_are_refused(form):
    """The eval harness's SQLite: the SQLite-only names, bracket-quoted too."""
    names = CORPUS["formerly_denied"]["sqlite"] + CORPUS["denied_families"]["sqlite"] + CORPUS["unknown"]
    statements = [render(form, n, "sqlite") for n in names] + [f"SELECT [{n}]('x')" for n in names]
    accepted = []
    for sql in statements:
        try:
            guard_sql(sql, schema=contract_schema(), dialect="sqlite")
            accepted.append(sql)
        except GuardError as refused:
            if refused.code not in REFUSED:
                accepted.append(f"{sql} -> {refused.code}")
    assert not accepted, "\n".join(accepted[:20])


# The statements of the report, unguarded: the engines run them, so the guard is what stops them.
ENGINE_RUNS = {
    "duckdb_wh": ["SELECT \"current_setting\"('threads')", "SELECT main.current_setting('threads')",
                  "SELECT \"CURRENT_SETTING\"('threads')", "SELECT system.main.current_setting('threads')"],
    "chdb_wh": ["SELECT \"hostName\"()", "SELECT `getSetting`('readonly')", "SELECT \"sleepEachRow\"(0)",
                "SELECT hostname()"],
}


@pytest.mark.parametrize("engine", sorted(ENGINE_RUNS))
def test_control_the_engines_run_these_forms_unguarded(engine, request):
    warehouse = request.getfixturevalue(engine)
    for sql in ENGINE_RUNS[engine]:
        assert warehouse.execute(sql).rows, sql
        with pytest.raises(GuardError) as refused:
            guard_sql(sql, schema=warehouse.schema(), dialect=warehouse.dialect)
        assert refused.value.code == "forbidden_function", sql


@pytest.mark.parametrize("sql, dialect", [
    ("SELECT \"current_setting\"('secret_directory')", "duckdb"),
    ("SELECT \"file\"('/proc/self/environ')", "clickhouse"),
    ("SELECT `file`('/proc/self/environ')", "clickhouse"),
    ("SELECT \"getenv\"('OPENAI_API_KEY')", "duckdb"),
])
def test_the_reported_statements_name_the_function(sql, dialect):
    with pytest.raises(GuardError) as refused:
        guard_sql(sql, schema=contract_schema(), dialect=dialect)
    name = sql.split("(")[0].split()[-1].strip('"`')
    assert refused.value.code == "forbidden_function"
    assert f"`{name}`" in refused.value.message and '"' not in refused.value.message
