"""Ranges pushed into derived tables (FILTER_RANGE) and pruned columns change what is read, never a result.

Every query below runs twice on each engine: with the demo model as it is, and with a copy whose
retention SQL has its placeholders removed (the derived table over every install x every event).
"""
from __future__ import annotations

from datetime import date

import pytest

from semantic_layer import (
    DEMO_MODEL_PATH,
    Cohort,
    Filter,
    SemanticQuery,
    explain,
    load_semantic_model,
    run_query,
)
from semantic_layer.model import SemanticModel
from semantic_layer.pushdown import derived_sql, placeholders

MAY = (date(2026, 5, 1), date(2026, 5, 31))
Q1 = (date(2026, 1, 1), date(2026, 3, 31))
QUERIES = {
    "d7_by_country_may": SemanticQuery(metrics=["retention_d7"], dimensions=["country"], time_range=MAY),
    "d1_d7_d30_weekly_q1": SemanticQuery(metrics=["retention_d1", "retention_d7", "retention_d30"],
                                         dimensions=["metric_time__week"], time_range=Q1),
    "d1_cohort_march_ios": SemanticQuery(
        metrics=["retention_d1"],
        cohort=Cohort(install_range=(date(2026, 3, 1), date(2026, 3, 31)),
                      filters=[Filter(dimension="platform", values=["iOS"])])),
    "cohort_and_range_overlap": SemanticQuery(
        metrics=["retention_d7", "cohort_installs"], dimensions=["media_source"], time_range=MAY,
        cohort=Cohort(install_range=(date(2026, 5, 20), date(2026, 6, 10)))),
    "cohort_grain_with_revenue": SemanticQuery(
        metrics=["retention_d30", "revenue"], time_range=Q1,
        cohort=Cohort(install_range=Q1, grain="month")),
    "no_range": SemanticQuery(metrics=["retention_d7"], dimensions=["platform"]),
}


def _unmarked(model: SemanticModel) -> SemanticModel:
    """The same model with every FILTER_RANGE removed from its derived tables."""
    tables = [t.model_copy(update={"sql": derived_sql(t, model.dialect).sql(dialect=model.dialect)})
              if t.sql else t for t in model.spec.semantic_models]
    return SemanticModel(model.spec.model_copy(update={"semantic_models": tuple(tables)}))


@pytest.fixture(scope="module")
def models():
    model = load_semantic_model(DEMO_MODEL_PATH)
    return model, _unmarked(model)


def test_the_demo_retention_table_is_marked(models):
    marked, unmarked = models
    assert list(placeholders(derived_sql(marked.tables["install_retention"], "duckdb", {}))) == []
    assert "FILTER_RANGE" in marked.tables["install_retention"].sql
    assert "FILTER_RANGE" not in unmarked.tables["install_retention"].sql


@pytest.mark.parametrize("engine", ["duckdb_wh", "chdb_wh"])
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_pushed_ranges_give_the_results_of_the_unmarked_sql(name, engine, models, request):
    warehouse = request.getfixturevalue(engine)
    marked, unmarked = models
    fast = run_query(marked, QUERIES[name], warehouse, max_rows=10_000)
    full = run_query(unmarked, QUERIES[name], warehouse, max_rows=10_000)
    assert fast.rows and len(fast.rows) == len(full.rows)
    for mine, theirs in zip(fast.rows, full.rows):
        # float sums may differ in the last bits with the order the engine adds them in
        assert [pytest.approx(v, rel=1e-9) if isinstance(v, float) else v for v in theirs] == list(mine)


def test_the_range_reaches_inside_the_derived_table(models):
    marked, _ = models
    sql = explain(marked, QUERIES["d7_by_country_may"], "duckdb")
    inner = sql[sql.index("FROM installs AS i"):sql.index(") AS install_retention")]
    assert "'2026-05-01'" in inner and "'2026-05-02'" in inner and "'2026-06-30'" in inner
    # only the flag the query reads is computed
    assert "active_d1" not in sql and "active_d30" not in sql


def test_a_placeholder_without_a_range_disappears(models):
    marked, _ = models
    sql = explain(marked, SemanticQuery(metrics=["retention_d7"]), "clickhouse")
    assert "FILTER_RANGE" not in sql and "WHERE" not in sql.split(") AS install_retention")[0]
