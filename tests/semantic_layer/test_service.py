"""explain / run_query: guarded like every statement, right shapes on the demo warehouse."""
from __future__ import annotations

from datetime import date

import pytest

from semantic_layer import (
    DEMO_MODEL_PATH,
    Filter,
    SemanticQuery,
    explain,
    load_semantic_model,
    run_query,
)

JUNE = (date(2026, 6, 1), date(2026, 6, 30))


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


def test_explain_with_schema_is_guarded_and_capped(model, duckdb_wh):
    query = SemanticQuery(metrics=["cost"], dimensions=["campaign_name"], time_range=JUNE)
    assert "LIMIT" not in explain(model, query, "duckdb")
    assert "LIMIT 7" in explain(model, query, "duckdb", schema=duckdb_wh.schema(), max_rows=7)


def test_run_query_applies_the_row_cap(model, duckdb_wh):
    query = SemanticQuery(metrics=["cost"], dimensions=["campaign_name"])
    result = run_query(model, query, duckdb_wh, max_rows=3)
    assert result.row_count == 3


def test_empty_period_gives_zero_rows_not_an_error(model, duckdb_wh):
    this_quarter = (date(2026, 7, 1), date(2026, 9, 30))
    for dims in ((), ("media_source",), ("metric_time",)):
        query = SemanticQuery(metrics=["roas", "installs", "dau"], dimensions=dims, time_range=this_quarter)
        assert run_query(model, query, duckdb_wh).rows == []


def test_grouping_does_not_double_count(model, duckdb_wh):
    """Installs split by campaign attributes add up to paid installs; by platform to all installs."""
    def total(metric, dims=()):
        query = SemanticQuery(metrics=[metric], dimensions=dims, time_range=JUNE)
        rows = run_query(model, query, duckdb_wh).rows
        return sum(r[-1] for r in rows)

    assert total("installs", ("media_source",)) == total("paid_installs")
    assert total("installs", ("platform", "country")) == total("installs")
    assert total("revenue", ("event_name",)) == pytest.approx(total("revenue"), rel=1e-9)
    assert total("cost", ("campaign_name",)) == pytest.approx(total("cost"), rel=1e-9)


def test_dimension_only_queries(model, duckdb_wh):
    ios = run_query(model, SemanticQuery(dimensions=["campaign_name"],
                                         filters=[Filter(dimension="platform", values=["iOS"])]), duckdb_wh)
    names = [r[0] for r in ios.rows]
    assert names == sorted(names) and names and all("iOS" in n for n in names)
    per_source = run_query(model, SemanticQuery(metrics=["campaign_count"], dimensions=["media_source"]),
                           duckdb_wh)
    assert sum(r[1] for r in per_source.rows) == 60


def test_multi_metric_query_equals_single_metric_queries(model, duckdb_wh):
    """Stacking branches must not change any metric: ask together, then one by one."""
    metrics = ["cost", "installs", "cpi", "roas", "dau", "retention_d7"]
    together = run_query(model, SemanticQuery(metrics=metrics, dimensions=["platform"], time_range=JUNE),
                         duckdb_wh)
    by_platform = {r[0]: r[1:] for r in together.rows}
    for i, metric in enumerate(metrics):
        alone = run_query(model, SemanticQuery(metrics=[metric], dimensions=["platform"], time_range=JUNE),
                          duckdb_wh)
        for platform, value in alone.rows:
            assert by_platform[platform][i] == pytest.approx(value, rel=1e-9)
