"""The executor answers from the demo model's rollups when they are built, says so in the answer,
and never under a row policy (a rollup table carries no caller's row filter)."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from app.engine.access import AccessPolicy, row_policy, table_links
from app.engine.assistant import Assistant
from app.engine.pipeline.execute import PlanExecutor
from app.engine.planning.plan import SemanticQueryPlan
from app.settings import Settings
from semantic_layer import DEMO_MODEL_PATH, SemanticQuery, load_semantic_model
from semantic_layer.rollup_build import DuckDBRollupWriter, build_rollups
from warehouse.access.policed import PolicedWarehouse
from warehouse.duckdb import DuckDBWarehouse

Q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
REVENUE_BY_PLATFORM = SemanticQuery(metrics=["revenue"], dimensions=["platform"], time_range=Q2)


@pytest.fixture(scope="module")
def rolled_up(demo_db_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("executor-rollups") / "demo.duckdb"
    shutil.copy(demo_db_path, path)
    writer = DuckDBRollupWriter(path)
    try:
        build_rollups(load_semantic_model(DEMO_MODEL_PATH), writer)
    finally:
        writer.close()
    wh = DuckDBWarehouse(path, max_rows=1000)
    yield path, wh
    wh.close()


def test_the_answer_comes_from_the_rollup_and_says_so(rolled_up, duckdb_wh):
    path, wh = rolled_up
    assistant = Assistant(Settings(warehouse_path=path, planner="offline", cache_enabled=False), warehouse=wh)
    answer = assistant.ask("iOS vs Android revenue last quarter")
    assert answer.status == "answered", answer.error
    assert "rollup_events_daily" in answer.sql and "events AS events" not in answer.sql
    assert "Answered from pre-aggregated rollups: events_daily (built through 2026-06-30)." in answer.answer
    base = PlanExecutor(load_semantic_model(DEMO_MODEL_PATH), duckdb_wh, max_rows=1000)  # no rollups there
    expected = base.run(SemanticQueryPlan(query=SemanticQuery.from_contract(answer.semantic_query)))
    assert "rollup_" not in expected.sql and not expected.notes
    assert [r[0] for r in answer.rows] == [r[0] for r in expected.result.rows]
    assert [r[1] for r in answer.rows] == pytest.approx([r[1] for r in expected.result.rows], rel=1e-9)


def test_a_row_policy_reads_the_base_tables(rolled_up):
    _, wh = rolled_up
    model = load_semantic_model(DEMO_MODEL_PATH)
    policy = AccessPolicy(row_filters=("platform = 'iOS'",))
    policed = PolicedWarehouse(wh, row_policy(policy, table_links(model, wh.schema())))
    governed = PlanExecutor(model, policed, max_rows=1000).run(SemanticQueryPlan(query=REVENUE_BY_PLATFORM))
    assert "rollup_" not in governed.sql and not governed.notes
    assert [r[0] for r in governed.result.rows] == ["iOS"]
    free = PlanExecutor(model, wh, max_rows=1000).run(SemanticQueryPlan(query=REVENUE_BY_PLATFORM))
    assert "rollup_events_daily" in free.sql and sorted(r[0] for r in free.result.rows) == ["Android", "iOS"]


def test_the_warm_start_answers_once_from_every_rollup(rolled_up):
    """``warm_up``'s rollup step reads each built rollup once, so the first question that needs one
    does not pay for the engine loading its pages and the rollup code running for the first time."""
    from app.engine.warm_up import rehearse_rollups, rollup_queries
    from semantic_layer.compiler import rollups_used

    path, wh = rolled_up
    assistant = Assistant(Settings(warehouse_path=path, planner="offline", cache_enabled=False), warehouse=wh)
    states = assistant.executor._rollup_states()
    read = [[c.rollup.name for c in rollups_used(assistant.model, query, "duckdb", states)[1]]
            for query in rollup_queries(assistant.model)]
    assert read == [[rollup.name] for rollup in assistant.model.spec.rollups]
    assert rehearse_rollups(assistant) == len(assistant.model.spec.rollups)
