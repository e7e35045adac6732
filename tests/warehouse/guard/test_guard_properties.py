"""Property tests: the guard fails closed whatever it is given.

- only GuardError subclasses ever escape, for any text or token soup;
- whatever it accepts re-parses to one read-only query with no write node;
- the emitted LIMIT is min(requested, cap): never above the cap, never raised.
"""
from __future__ import annotations

import sqlglot
from conftest import CONTRACT_TABLES, contract_schema, load_cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from warehouse.guard import GuardError, guard_sql
from warehouse.guard.functions import restrict_functions
from warehouse.guard.parse import SUPPORTED_DIALECTS
from warehouse.guard.statements import FORBIDDEN_NODES, QUERY_ROOTS

SCHEMA = contract_schema()
DIALECTS = st.sampled_from(SUPPORTED_DIALECTS)
SEEDS = [c["sql"] for c in load_cases("attacks.yaml")] + [c["sql"] for c in load_cases("legit_queries.yaml")]
COLUMNS = sorted({c for cols in CONTRACT_TABLES.values() for c in cols})
TOKENS = [
    # keywords, read-only and not
    "SELECT", "FROM", "WHERE", "WITH", "AS", "JOIN", "ON", "USING", "GROUP", "BY", "ORDER", "LIMIT", "OFFSET",
    "UNION", "ALL", "INSERT", "INTO", "DELETE", "UPDATE", "SET", "DROP", "TABLE", "CREATE", "TEMP", "COPY",
    "TO", "PRAGMA", "ATTACH", "INSTALL", "LOAD", "CALL", "SETTINGS", "FOR", "QUALIFY", "OVER", "PARTITION",
    "RETURNING", "VALUES", "CASE", "WHEN", "THEN", "ELSE", "END", "AND", "OR", "NOT", "NULL",
    # table functions and other functions
    "read_csv", "query", "glob", "url", "file", "s3", "range", "numbers", "duckdb_secrets", "getvariable",
    "count", "sum",
    # punctuation, comments and literals
    "(", ")", ",", ";", "*", "=", "<", ">", "+", "-", ".", "'", '"', "--", "/*", "*/",
    "1", "5", "1000", "'x.csv'", "'/etc/passwd'", "system.tables",
] + sorted(CONTRACT_TABLES) + COLUMNS

relaxed = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _guard_or_none(sql, dialect, target=None, max_rows=1000):
    """The accepted result, or None when refused with a GuardError (anything else fails)."""
    try:
        return guard_sql(sql, schema=SCHEMA, dialect=dialect, target_dialect=target, max_rows=max_rows)
    except GuardError as refused:
        assert refused.code and refused.message
        return None


def _assert_read_only(sql: str, dialect: str) -> None:
    statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    assert len(statements) == 1
    tree = statements[0]
    assert isinstance(tree, QUERY_ROOTS)
    assert not any(isinstance(node, FORBIDDEN_NODES) for node in tree.walk())
    for query in tree.find_all(exp.Query):
        assert not any(query.args.get(a) for a in ("into", "locks", "settings", "format"))
    restrict_functions(tree, dialect)


def _assert_capped(sql: str, dialect: str, cap: int) -> None:
    """The outermost query carries a plain LIMIT of at most ``cap`` (not a per-group LIMIT BY)."""
    tree = sqlglot.parse_one(sql, read=dialect)
    limit, offset = tree.args.get("limit"), tree.args.get("offset")
    assert isinstance(limit, exp.Limit) and not limit.expressions
    assert offset is None or not offset.expressions
    assert int(limit.expression.name) <= cap


token_soup = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=25).map(" ".join)


@st.composite
def mutated_seed(draw):
    """A known query with a random slice cut out or a random token spliced in."""
    sql = draw(st.sampled_from(SEEDS))
    at = draw(st.integers(0, len(sql)))
    if draw(st.booleans()):
        return sql[:at] + sql[at + draw(st.integers(1, 12)):]
    return sql[:at] + " " + draw(st.sampled_from(TOKENS)) + " " + sql[at:]


@relaxed
@given(sql=st.one_of(st.text(max_size=200), token_soup, mutated_seed()), dialect=DIALECTS, target=DIALECTS)
def test_only_guard_errors_escape_and_accepted_sql_is_read_only(sql, dialect, target):
    guarded = _guard_or_none(sql, dialect, target)
    if guarded is not None:
        _assert_read_only(guarded.sql, target)
        _assert_capped(guarded.sql, target, 1000)
        assert guarded.limit <= 1000


@st.composite
def simple_query(draw):
    table = draw(st.sampled_from(sorted(CONTRACT_TABLES)))
    columns = draw(st.lists(st.sampled_from(sorted(CONTRACT_TABLES[table])), min_size=1, max_size=3,
                            unique=True))
    sql = f"SELECT {', '.join(columns)} FROM {table}"
    if draw(st.booleans()):
        sql = f"{sql} UNION ALL {sql}"
    return sql


@relaxed
@given(query=simple_query(), requested=st.one_of(st.none(), st.integers(0, 10**7)),
       offset=st.one_of(st.none(), st.integers(0, 500)), cap=st.integers(1, 5000), dialect=DIALECTS)
def test_limit_is_min_of_requested_and_cap(query, requested, offset, cap, dialect):
    sql = (query + ("" if requested is None else f" LIMIT {requested}")
           + ("" if offset is None else f" OFFSET {offset}"))
    guarded = guard_sql(sql, schema=SCHEMA, dialect=dialect, max_rows=cap)
    # In ClickHouse a LIMIT after UNION ALL binds to the last branch, not the union.
    binds_to_branch = dialect == "clickhouse" and " UNION " in query
    expected = cap if requested is None or binds_to_branch else min(requested, cap)
    assert guarded.limit == expected
    emitted = sqlglot.parse_one(guarded.sql, read=dialect)
    assert int(emitted.args["limit"].expression.name) == expected
    if offset is not None and not binds_to_branch:
        assert int(emitted.args["offset"].expression.name) == offset


@relaxed
@given(query=simple_query(), rows=st.integers(0, 10**6), offset=st.one_of(st.none(), st.integers(0, 100)),
       cap=st.integers(1, 5000))
def test_clickhouse_limit_by_is_capped_outside(query, rows, offset, cap):
    offset_sql = "" if offset is None else f" OFFSET {offset}"
    sql = f"{query.split(' UNION ')[0]} LIMIT {rows}{offset_sql} BY 1"
    guarded = guard_sql(sql, schema=SCHEMA, dialect="clickhouse", max_rows=cap)
    assert guarded.limit == cap
    _assert_capped(guarded.sql, "clickhouse", cap)


@relaxed
@given(cap=st.integers(1, 5000), inner=st.integers(0, 10**6), dialect=DIALECTS)
def test_inner_limits_are_left_alone(cap, inner, dialect):
    sql = f"SELECT * FROM (SELECT revenue FROM events ORDER BY revenue LIMIT {inner}) t"
    guarded = guard_sql(sql, schema=SCHEMA, dialect=dialect, max_rows=cap)
    emitted = sqlglot.parse_one(guarded.sql, read=dialect)
    assert int(emitted.args["limit"].expression.name) == cap
    assert int(emitted.find(exp.Subquery).this.args["limit"].expression.name) == inner


def test_every_accepted_seed_is_read_only_in_both_targets():
    accepted = 0
    for sql in SEEDS:
        for target in ("duckdb", "clickhouse"):
            guarded = _guard_or_none(sql, "duckdb", target)
            if guarded is not None:
                _assert_read_only(guarded.sql, target)
                accepted += 1
    assert accepted >= 100  # the legit half of the seeds, in two targets
