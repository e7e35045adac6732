"""A measure table aggregated per join key before the join (semantic_layer/eager.py): the same rows as
the plain join, checked against SQL written by hand and against the compiler with the rewrite off, on the
DuckDB demo warehouse."""
from __future__ import annotations

from datetime import date

import pytest

from semantic_layer import (
    DEMO_MODEL_PATH,
    Filter,
    SemanticQuery,
    compile_semantic_query,
    eager,
    load_semantic_model,
    run_query,
)

DAY = (date(2026, 2, 3), date(2026, 2, 3))
WEEK = (date(2026, 2, 1), date(2026, 2, 7))


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


def _sql(model, query, dialect: str = "duckdb") -> str:
    return compile_semantic_query(model, query, dialect).sql(dialect=dialect)


def _close(found: dict, expected: dict) -> bool:
    return set(found) == set(expected) and all(
        all(abs((a or 0) - (b or 0)) <= 1e-9 * max(1.0, abs(b or 0)) for a, b in zip(found[k], expected[k]))
        for k in expected)


def _by_key(rows, width: int) -> dict:
    return {tuple(r[:width]): tuple(float(v) if v is not None else None for v in r[width:]) for r in rows}


def test_revenue_and_distinct_users_by_install_and_event_columns_equal_hand_written_sql(model, duckdb_wh,
                                                                                          demo_sql):
    query = SemanticQuery(metrics=["revenue", "active_users", "sum_squares:revenue"],
                          dimensions=["device_model", "event_name"], time_range=DAY)
    assert "partial_0" in _sql(model, query)
    found = _by_key(run_query(model, query, duckdb_wh).rows, 2)
    expected = _by_key(demo_sql.execute(
        "SELECT i.device_model, e.event_name, coalesce(sum(e.revenue), 0), count(DISTINCT e.user_id), "
        "coalesce(sum(e.revenue * e.revenue), 0) FROM events e JOIN installs i USING (user_id) "
        "WHERE e.event_time::DATE = DATE '2026-02-03' GROUP BY 1, 2").fetchall(), 2)
    assert found and _close(found, expected)


def test_counts_with_filters_on_the_table_and_on_a_joined_one_equal_hand_written_sql(model, duckdb_wh,
                                                                                       demo_sql):
    query = SemanticQuery(metrics=["installs", "fraud_installs"], dimensions=["media_source"],
                          time_range=WEEK, filters=[Filter(dimension="platform", values=("iOS",)),
                                                    Filter(dimension="channel", op="in",
                                                           values=("social", "search"))])
    sql = _sql(model, query)
    assert "partial_0" in sql
    found = _by_key(run_query(model, query, duckdb_wh).rows, 1)
    expected = _by_key(demo_sql.execute(
        "SELECT c.media_source, count(*), count(*) FILTER (WHERE i.is_fraud) FROM installs i "
        "JOIN campaigns c USING (campaign_id) WHERE i.install_time::DATE BETWEEN DATE '2026-02-01' AND "
        "DATE '2026-02-07' AND i.platform = 'iOS' AND c.channel IN ('social', 'search') GROUP BY 1"
    ).fetchall(), 1)
    assert found and _close(found, expected)


@pytest.mark.parametrize("query", [
    SemanticQuery(metrics=["revenue", "event_count"], dimensions=["country", "media_source"],
                  time_range=WEEK),
    SemanticQuery(metrics=["arpu"], dimensions=["os_version"], time_range=DAY),
    SemanticQuery(metrics=["cost", "installs"], dimensions=["campaign_name"], time_range=WEEK),
    SemanticQuery(metrics=["revenue"], time_range=DAY, filters=[Filter(dimension="event_name",
                                                                       values=("purchase",))]),
    SemanticQuery(metrics=["cpi"], dimensions=["ad_format"], time_range=WEEK),
], ids=["revenue-two-joined-tables", "arpu-distinct", "two-tables", "ungrouped-own-filter", "ratio"])
def test_the_rewrite_returns_the_rows_of_the_plain_join(model, duckdb_wh, monkeypatch, query):
    rewritten = run_query(model, query, duckdb_wh)
    monkeypatch.setattr(eager, "DIALECTS", frozenset())
    assert "partial_0" not in _sql(model, query)
    plain = run_query(model, query, duckdb_wh)
    width = len(query.dimensions)
    assert rewritten.rows and _close(_by_key(rewritten.rows, width), _by_key(plain.rows, width))


def test_long_ranges_clickhouse_and_averages_keep_the_plain_join(model):
    long = SemanticQuery(metrics=["revenue"], dimensions=["country"],
                         time_range=(date(2026, 1, 1), date(2026, 2, 1)))
    assert "partial_0" not in _sql(model, long)
    month = long.model_copy(update={"time_range": (date(2026, 1, 1), date(2026, 1, 31))})
    assert "partial_0" in _sql(model, month)
    assert "partial_0" not in _sql(model, month, "clickhouse")
    by_day = month.model_copy(update={"dimensions": ("metric_time",), "grain": "day"})
    assert "partial_0" not in _sql(model, by_day)  # the bucket is no plain column
