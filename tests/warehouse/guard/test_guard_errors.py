"""The guard's API contract: messages, codes, Expression input, limits, fail-closed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from conftest import contract_schema
from sqlglot import exp

import warehouse.guard as guard_pkg
from warehouse.guard import (
    RULES,
    GuardedSQL,
    GuardError,
    UnknownColumn,
    guard_sql,
)

SCHEMA = contract_schema()
DOC = Path(__file__).resolve().parents[3] / "docs" / "sql-guard.md"


def refusal(sql, **kwargs) -> GuardError:
    kwargs.setdefault("dialect", "duckdb")
    with pytest.raises(GuardError) as refused:
        guard_sql(sql, schema=SCHEMA, **kwargs)
    return refused.value


def test_unknown_column_names_it_and_suggests_the_closest():
    error = refusal("SELECT revenu FROM events")
    assert isinstance(error, UnknownColumn) and error.code == "unknown_column"
    assert error.message == "column `revenu` not found in `events`; did you mean `revenue`?"
    assert "event_name" in error.hint


def test_unknown_qualified_column_resolves_the_alias_to_its_table():
    error = refusal("SELECT i.plataform FROM installs i JOIN events e USING (user_id)")
    assert error.message == "column `plataform` not found in `installs`; did you mean `platform`?"


def test_unknown_column_of_a_cte_lists_the_cte_columns():
    error = refusal("WITH daily AS (SELECT CAST(event_time AS DATE) AS day FROM events) "
                    "SELECT dya FROM daily")
    assert error.message == "column `dya` not found in `daily`; did you mean `day`?"


def test_unknown_table_suggests_and_lists_tables():
    error = refusal("SELECT * FROM instals")
    assert (error.code, error.message) == (
        "unknown_table", "table `instals` is not available; did you mean `installs`?")
    assert error.hint == "tables: ad_spend, campaigns, events, installs"


def test_ambiguous_column_says_how_to_qualify():
    error = refusal("SELECT user_id FROM events e JOIN installs i ON e.user_id = i.user_id")
    assert error.code == "ambiguous_column"
    assert "e.user_id" in error.hint


def test_narrowed_tables_are_the_only_ones_suggested():
    error = refusal("SELECT * FROM installs", allowed_tables=["events"])
    assert error.code == "unknown_table" and error.hint == "tables: events"
    guarded = guard_sql("SELECT revenue FROM events", schema=SCHEMA, dialect="duckdb",
                        allowed_tables=["events"])
    assert guarded.tables == {"events"}


def test_to_dict_is_what_the_cli_prints():
    payload = refusal("SELECT * FROM instals").to_dict()
    assert set(payload) == {"code", "message"} and payload["code"] == "unknown_table"


def test_accepted_result_carries_sql_tree_limit_and_tables():
    guarded = guard_sql("SELECT e.revenue FROM events e JOIN installs i USING (user_id)", schema=SCHEMA,
                        dialect="duckdb", max_rows=50)
    assert isinstance(guarded, GuardedSQL)
    assert guarded.sql == "SELECT e.revenue FROM events AS e JOIN installs AS i USING (user_id) LIMIT 50"
    assert guarded.limit == 50 and guarded.tables == frozenset({"events", "installs"})
    assert guarded.expression.sql("duckdb") == guarded.sql


def test_transpiles_to_the_target_dialect():
    guarded = guard_sql("SELECT date_trunc('month', install_time) AS m FROM installs", schema=SCHEMA,
                        dialect="duckdb", target_dialect="clickhouse")
    assert guarded.sql == "SELECT dateTrunc('MONTH', install_time) AS m FROM installs LIMIT 1000"


def test_comments_never_reach_the_warehouse():
    guarded = guard_sql("SELECT revenue /* ; DROP TABLE events */ FROM events -- bye", schema=SCHEMA,
                        dialect="duckdb")
    assert "/*" not in guarded.sql and "--" not in guarded.sql and "DROP" not in guarded.sql


@pytest.mark.parametrize(("sql", "limit"), [
    ("SELECT revenue FROM events FETCH FIRST 3 ROWS ONLY", 3),
    ("SELECT revenue FROM events FETCH FIRST ROW ONLY", 1),
    ("SELECT revenue FROM events LIMIT NULL", 1000),
    ("SELECT revenue FROM events LIMIT 0", 0),
])
def test_limit_forms(sql, limit):
    assert guard_sql(sql, schema=SCHEMA, dialect="duckdb").limit == limit


@pytest.mark.parametrize("limit_by",
                         ["LIMIT 2 BY user_id", "LIMIT 2 OFFSET 1 BY user_id", "LIMIT 1, 2 BY user_id"])
def test_clickhouse_limit_by_is_kept_and_capped_outside(limit_by):
    guarded = guard_sql(f"SELECT user_id, revenue FROM events {limit_by}", schema=SCHEMA,
                        dialect="clickhouse", max_rows=10)
    assert guarded.sql.startswith("SELECT * FROM (SELECT user_id, revenue FROM events LIMIT ")
    assert guarded.sql.endswith(" BY user_id) AS capped LIMIT 10") and guarded.limit == 10


def test_expression_input_is_checked_and_not_mutated():
    tree = sqlglot.parse_one("SELECT revenue FROM events", read="duckdb")
    before = tree.sql("duckdb")
    guarded = guard_sql(tree, schema=SCHEMA, dialect="duckdb", max_rows=7)
    assert guarded.sql.endswith("LIMIT 7") and tree.sql("duckdb") == before


def test_expression_with_a_nested_write_is_refused_as_a_write():
    delete = exp.Delete(this=exp.to_table("events"), returning=exp.Returning(expressions=[exp.Star()]))
    tree = exp.select("*").from_(exp.Subquery(this=delete, alias=exp.TableAlias(this=exp.to_identifier("d"))))
    assert refusal(tree).code == "forbidden_statement"


def test_expression_with_an_injected_identifier_is_refused():
    injected = exp.Identifier(this="events; DROP TABLE installs", quoted=False)
    tree = exp.select("revenue").from_(exp.Table(this=injected))
    assert refusal(tree).code == "multiple_statements"


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"dialect": "postgres"}, "unsupported_dialect"),
    ({"dialect": "duckdb", "target_dialect": "mysql"}, "unsupported_dialect"),
    ({"dialect": "duckdb", "max_rows": 0}, "invalid_limit"),
    ({"dialect": "duckdb", "max_rows": True}, "invalid_limit"),
])
def test_bad_arguments_are_guard_errors(kwargs, code):
    assert refusal("SELECT revenue FROM events", **kwargs).code == code


def test_non_schema_is_refused_not_crashed():
    with pytest.raises(GuardError) as refused:
        guard_sql("SELECT 1", schema={"events": {}}, dialect="duckdb")
    assert refused.value.code == "guard_internal"


def test_absurd_nesting_is_a_guard_error():
    sql = "SELECT " + "(" * 3000 + "1" + ")" * 3000
    assert refusal(sql).code in {"sql_syntax", "guard_internal"}


def test_rules_are_an_ordered_tuple_of_named_steps():
    names = [rule.__name__ for rule in RULES]
    assert names[0] == "parse_statement"
    assert names.index("reject_write_nodes") < names.index("cap_rows") < names.index("transpile_to_target")
    assert names.index("transpile_to_target") < names.index("recheck_emitted")


def _error_classes():
    return [obj for obj in vars(guard_pkg).values() if isinstance(obj, type) and issubclass(obj, GuardError)]


def test_codes_are_unique_and_documented_in_module_and_doc():
    codes = [cls.code for cls in _error_classes() if cls is not GuardError]
    assert len(codes) == len(set(codes))
    doc = DOC.read_text(encoding="utf-8")
    for code in codes:
        assert re.search(rf"`{code}`", doc), f"{code} missing from docs/sql-guard.md"
        assert code in guard_pkg.__doc__, f"{code} missing from the module docstring"


def test_table_name_used_after_aliasing_points_to_the_alias():
    error = refusal("SELECT events.revenue FROM events e")
    assert error.code == "unknown_table"
    assert error.message == "`events` is not a table or alias in this part of the query"
    assert error.hint == "qualify columns with one of: `e`"


def test_double_quoted_text_gets_a_single_quote_hint():
    error = refusal('SELECT COUNT(*) FROM events WHERE event_name = "purchase"')
    assert error.code == "unknown_column"
    assert error.hint.startswith("for a text value use single quotes: 'purchase'")
