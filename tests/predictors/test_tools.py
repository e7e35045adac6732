"""The planner tools on the real demo warehouse connector and the trained models."""
from __future__ import annotations

import datetime as dt

import pytest

from predictors.tool_answers import chance_phrase
from predictors.tools import ToolArguments, ToolError, run_tool
from tests.predictors.conftest import AS_OF, copy_demo


@pytest.fixture(scope="module")
def tool_env(trained, demo_db_path, tmp_path_factory):
    from warehouse.duckdb import DuckDBWarehouse

    path = copy_demo(demo_db_path, tmp_path_factory.mktemp("tools"))
    warehouse = DuckDBWarehouse(path, timeout_s=60, max_rows=1000)
    yield {"warehouse": warehouse, "registry": trained["registry"], "as_of": AS_OF}
    warehouse.close()


def _first_id(env, sql: str) -> str:
    return env["warehouse"].execute(sql).rows[0][0]


def test_argument_shapes_match_the_planner_schemas():
    from app.engine.tools import REGISTRY
    from app.engine.tools.predictions import PredictorTool

    predictors = [tool for tool in REGISTRY if isinstance(tool, PredictorTool)]  # not the insight tools
    assert len(predictors) >= 5
    for tool in predictors:
        assert set(tool.arguments.model_fields) <= set(ToolArguments.model_fields), tool.name


def test_score_fraud_by_filter_returns_rows_labelled_with_the_model_version(trained, tool_env):
    version = trained["artifacts"]["fraud"].version
    arguments = {"media_source": "TikTok", "install_date_from": "2026-06-24", "install_date_to": "2026-06-30",
                 "limit": 5}
    result = run_tool("score_fraud", arguments, **tool_env)
    assert [c.name for c in result.columns] == ["install_id", "fraud_probability", "model_version"]
    assert len(result.rows) == 5 and {row[2] for row in result.rows} == {version}
    probabilities = [row[1] for row in result.rows]
    assert probabilities == sorted(probabilities, reverse=True)
    assert version in result.narrative and "TikTok" in str(result.arguments)
    ids = ", ".join(f"'{row[0]}'" for row in result.rows)
    sources = tool_env["warehouse"].execute(
        "SELECT DISTINCT c.media_source, min(i.install_time) FROM installs i "
        f"JOIN campaigns c USING (campaign_id) WHERE install_id IN ({ids}) GROUP BY 1").rows
    assert [s[0] for s in sources] == ["TikTok"] and sources[0][1].date() >= dt.date(2026, 6, 24)


def test_predict_ltv_and_churn_by_id(tool_env):
    user = _first_id(tool_env, "SELECT user_id FROM events WHERE event_name = 'session_start' "
                               "AND event_time >= TIMESTAMP '2026-06-25' ORDER BY user_id LIMIT 1")
    churn = run_tool("predict_churn", {"user_id": user}, **tool_env)
    assert churn.rows[0][0] == user and 0.0 <= churn.rows[0][1] <= 1.0
    ltv = run_tool("predict_ltv", {"user_id": user}, **tool_env)
    assert [c.name for c in ltv.columns] == ["user_id", "ltv_p10", "ltv_p50", "ltv_p90", "ltv_expected",
                                             "payer_probability", "model_version"]
    _, p10, p50, p90, mean, chance, _ = ltv.rows[0]
    assert 0.0 <= p10 <= p50 <= p90 and mean >= 0.0 and 0.0 <= chance <= 1.0
    assert ltv.narrative.startswith(f"User {user}: predicted 60-day revenue p10 ${p10:,.2f}")
    assert " chance of paying at all: " in ltv.narrative and "typical" in ltv.narrative
    assert [chance_phrase(p) for p in (0.001, 0.37, 0.999)] == ["under a 1%", "a 37%", "over a 99%"]


def test_predict_ltv_for_a_cohort_ranks_by_expected_revenue(tool_env):
    result = run_tool("predict_ltv", {"media_source": "TikTok", "limit": 5}, **tool_env)
    expected = [row[4] for row in result.rows]
    assert len(expected) == 5 and expected == sorted(expected, reverse=True)
    assert "predicted 60-day revenue $" in result.narrative and "likely payers" in result.narrative
    assert result.extra["matched"] > 5


def test_explain_tools_answer_in_plain_words(trained, tool_env):
    install = _first_id(tool_env, "SELECT install_id FROM installs WHERE fraud_type = 'click_injection' "
                                  "AND install_time >= TIMESTAMP '2026-06-01' ORDER BY install_id LIMIT 1")
    result = run_tool("explain_fraud", {"install_id": install}, **tool_env)
    assert f"The install {install} has a" in result.narrative and "typical" in result.narrative
    assert "fraud risk the most" in result.narrative
    assert result.model_version == trained["artifacts"]["fraud"].version
    assert [c.name for c in result.columns] == ["feature", "value", "typical", "shap_value", "effect"]


def test_tool_errors_are_precise(tool_env):
    with pytest.raises(ToolError) as unknown_user:
        run_tool("explain_churn", {"user_id": "u9999999"}, **tool_env)
    assert unknown_user.value.code == "not_found"
    with pytest.raises(ToolError) as bad_argument:
        run_tool("score_fraud", {"installs": "x"}, **tool_env)
    assert bad_argument.value.code == "invalid_arguments" and "installs" in bad_argument.value.message
    with pytest.raises(ToolError) as missing_id:
        run_tool("explain_fraud", {}, **tool_env)
    assert "install_id" in missing_id.value.message
    with pytest.raises(ToolError, match="unknown tool"):
        run_tool("predict_weather", {}, **tool_env)


def test_cohorts_larger_than_the_connector_row_cap_are_read_in_pages(tool_env):
    from warehouse.duckdb import DuckDBWarehouse

    arguments = {"media_source": "TikTok", "install_date_from": "2026-06-24", "install_date_to": "2026-06-30",
                 "limit": 1000}
    whole = run_tool("score_fraud", arguments, **tool_env)
    small_pages = DuckDBWarehouse(tool_env["warehouse"].path, timeout_s=60, max_rows=150)
    try:
        paged = run_tool("score_fraud", arguments, **{**tool_env, "warehouse": small_pages})
    finally:
        small_pages.close()
    assert len(whole.rows) > 300 and paged.rows == whole.rows


def test_an_id_typed_without_its_leading_zeros_is_found(tool_env):
    user = _first_id(tool_env, "SELECT user_id FROM events WHERE event_name = 'session_start' "
                               "AND event_time >= TIMESTAMP '2026-06-25' ORDER BY user_id LIMIT 1")
    short = "u" + user[1:].lstrip("0")
    result = run_tool("explain_churn", {"user_id": short}, **tool_env)
    assert f"The user {user} has a" in result.narrative and result.arguments["user_id"] == user
