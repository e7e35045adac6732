"""The plan executor on the real demo warehouse: compile, guard, execute."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.pipeline.execute import ExecutionError, PlanExecutor
from app.engine.planning.plan import ClarificationPlan, SemanticQueryPlan, SqlPlan, ToolCallPlan
from semantic_layer import DEMO_MODEL_PATH, SemanticQuery, load_semantic_model

JUNE = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


@pytest.fixture(scope="module")
def executor(duckdb_wh):
    return PlanExecutor(load_semantic_model(DEMO_MODEL_PATH), duckdb_wh, max_rows=1000)


def test_semantic_plan_matches_hand_written_sql(executor, duckdb_wh):
    query = SemanticQuery(metrics=["installs"], dimensions=["platform"], time_range=JUNE)
    execution = executor.run(SemanticQueryPlan(query=query))
    gold = duckdb_wh.execute(
        "SELECT platform, COUNT(*) FROM installs "
        "WHERE install_time::DATE BETWEEN '2026-06-01' AND '2026-06-30' GROUP BY 1"
    )
    assert sorted(execution.result.rows) == sorted(gold.rows)
    assert execution.semantic_query["metrics"] == ["installs"]
    assert execution.tool_calls[0].name == "query_metrics"
    assert "LIMIT" in execution.sql.upper()


def test_previous_period_value_for_a_kpi(executor, duckdb_wh):
    query = SemanticQuery(metrics=["cost"], time_range=JUNE)
    execution = executor.run(SemanticQueryPlan(query=query, compare_previous=True))
    may = duckdb_wh.execute("SELECT SUM(cost) FROM ad_spend WHERE date BETWEEN '2026-05-02' AND '2026-05-31'")
    assert execution.previous_value == pytest.approx(may.rows[0][0])


def test_sql_plan_is_guarded(executor):
    with pytest.raises(ExecutionError) as err:
        executor.run(SqlPlan(sql="SELECT 1; DROP TABLE installs"))
    assert err.value.code == "multiple_statements"


def test_unknown_column_error_is_actionable(executor):
    execution, message = executor.check(SqlPlan(sql="SELECT revenu FROM events"))
    assert execution is None and "revenue" in message


def test_a_plan_that_runs_is_checked_once_and_its_execution_kept(executor):
    execution, message = executor.check(SqlPlan(sql="SELECT COUNT(*) AS n FROM installs"))
    assert message is None and execution.result.rows[0][0] > 0


def test_sql_plan_capped(executor):
    execution = executor.run(SqlPlan(sql="SELECT user_id FROM installs"))
    assert execution.result.row_count == 1000
    assert execution.sql.rstrip().upper().endswith("LIMIT 1000")


def test_unknown_metric_becomes_execution_error(executor):
    with pytest.raises(ExecutionError) as err:
        executor.run(SemanticQueryPlan.model_construct(query=SemanticQuery(metrics=["roaz"]),
                                                       compare_previous=False))
    assert "roas" in err.value.message


def test_tool_without_runner_says_how_to_enable(executor):
    with pytest.raises(ExecutionError) as err:
        executor.run(ToolCallPlan(tool="predict_churn", arguments={"user_id": "u000123"}))
    assert err.value.code == "tool_unavailable"


def test_nothing_to_execute(executor):
    with pytest.raises(ExecutionError):
        executor.run(ClarificationPlan(question="Which metric?"))


class RecordingWarehouse:
    """A real DuckDB warehouse that remembers the SQL it ran."""

    def __init__(self, warehouse):
        self.inner, self.statements = warehouse, []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def execute(self, sql, *args, **kwargs):
        self.statements.append(sql)
        return self.inner.execute(sql, *args, **kwargs)


def test_the_previous_period_is_read_from_the_rollups_the_answer_reads(demo_db_path, tmp_path):
    """DAU last month read the rollup, and its comparison with the month before scanned every event."""
    import shutil

    from semantic_layer import run_query
    from semantic_layer.rollup_build import DuckDBRollupWriter, build_rollups
    from warehouse.duckdb import DuckDBWarehouse

    model = load_semantic_model(DEMO_MODEL_PATH)
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_path, path)
    writer = DuckDBRollupWriter(path)
    try:
        build_rollups(model, writer, names=["active_users_daily"])
    finally:
        writer.close()
    warehouse = RecordingWarehouse(DuckDBWarehouse(path, max_rows=1000))
    try:
        executor = PlanExecutor(model, warehouse, max_rows=1000)
        query = SemanticQuery(metrics=["dau"], time_range=JUNE)
        execution = executor.run(SemanticQueryPlan(query=query, compare_previous=True))
        answered = [sql for sql in warehouse.statements if "dau" in sql.lower()]
        assert len(answered) == 2 and all("rollup_active_users_daily" in sql for sql in answered)
        may = query.model_copy(update={"time_range": (dt.date(2026, 5, 2), dt.date(2026, 5, 31))})
        assert execution.previous_value == pytest.approx(run_query(model, may, warehouse.inner).rows[0][0])
    finally:
        warehouse.inner.close()
