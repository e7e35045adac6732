"""Access policies through every path of the assistant: offline plans (with totals, comparisons
and narratives), planner SQL, the LLM's run_sql, the semantic cache (plans and results), the
predictor tools, and the allow-lists. The oracle: the same question, unpoliced, on a copy of the
warehouse cut down by hand to the policy's rows (tests/policy_warehouses.py) -- the answers must
be the same, narrative included, so nothing outside the policy reached them.
"""
from __future__ import annotations

import math

import pytest

from app.engine.assistant import Assistant
from app.engine.planning.plan import SqlPlan, ToolCallPlan
from app.settings import Settings
from appdb import open_database, sqlite_url
from appdb.policies import set_policy
from tests.engine.planning.llm.stub_servers import StubLLMServer, openai_text, openai_tool_call
from tests.policy_warehouses import POLICIES

TENANTS = {"tiktok": "agency", "brazil": "br-manager"}
QUESTIONS = (
    "spend by media source last month", "installs by country last month", "revenue by country last month",
    "total revenue this year", "top 5 campaigns by ROAS last month", "paying users last month",
    "ARPU by platform last month", "D7 retention by country last quarter",
    "fraud rate by media source last month",
    "organic installs last month", "spend last month", "revenue by week last quarter",
    "average churn probability by country", "CPI by channel last month",
)
PLANNER_SQL = (
    ("SELECT c.media_source, SUM(s.cost) AS cost FROM ad_spend s JOIN campaigns c USING (campaign_id) "
    "GROUP BY 1"),
    "SELECT (SELECT COUNT(*) FROM installs) AS installs, (SELECT COUNT(*) FROM campaigns) AS campaigns",
    ("WITH paid AS (SELECT user_id FROM installs WHERE campaign_id IS NOT NULL) "
     "SELECT COUNT(*) FROM events WHERE user_id IN (SELECT user_id FROM paid)"),
    "SELECT country, COUNT(*) FROM installs GROUP BY 1 UNION ALL SELECT 'all', COUNT(*) FROM installs",
    "SELECT a.campaign_name FROM campaigns a JOIN campaigns b ON a.campaign_id = b.campaign_id",
)


def _rows(rows) -> list:
    return sorted((tuple(round(v, 6) if isinstance(v, float) and math.isfinite(v) else v for v in row)
                   for row in rows), key=repr)


@pytest.fixture(scope="module")
def policy_database(tmp_path_factory):
    database = open_database(sqlite_url(tmp_path_factory.mktemp("policies") / "asklytics.db"))
    with database.begin() as connection:
        for policy, tenant in TENANTS.items():
            set_policy(connection, "tenant", tenant, metrics=None, dimensions=None,
                       row_filters=[POLICIES[policy]], allow_sql=True, actor="test")
        set_policy(connection, "tenant", "narrow", metrics=["installs", "cost"], dimensions=["platform"],
                   row_filters=[], allow_sql=False, actor="test")
    yield database
    database.close()


@pytest.fixture(scope="module")
def assistants(policy_warehouses, policy_database, tmp_path_factory):
    """The policed assistant on the full warehouse, and one unpoliced oracle per cut copy."""
    def build(path, **settings):
        folder = tmp_path_factory.mktemp("assistant")
        return Assistant(Settings(warehouse_path=path, data_dir=folder, cache_enabled=False, **settings),
                         database=policy_database)
    built = {"full": build(policy_warehouses["full"])}
    built.update({name: build(policy_warehouses[name]) for name in POLICIES})
    yield built
    for assistant in built.values():
        assistant.close()


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("question", QUESTIONS)
def test_an_offline_answer_under_a_policy_is_the_cut_warehouse_answer(assistants, policy, question):
    policed = assistants["full"].ask(question, scope=TENANTS[policy])
    oracle = assistants[policy].ask(question)
    assert policed.status == oracle.status == "answered", (policed.error, oracle.error)
    assert _rows(policed.rows) == _rows(oracle.rows)
    assert policed.answer == oracle.answer  # narrative, totals and the previous period's comparison
    assert policed.semantic_query == oracle.semantic_query


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("sql", PLANNER_SQL)
def test_planner_sql_runs_on_the_policy_rows_only(assistants, policy, sql):
    full = assistants["full"]
    executor = full.executor_for(full.policy_for(TENANTS[policy]))
    got = executor.run(SqlPlan(sql=sql))
    expected = assistants[policy].executor.run(SqlPlan(sql=sql))
    assert _rows(got.result.rows) == _rows(expected.result.rows)


def test_the_llm_run_sql_tool_is_policed(policy_warehouses, policy_database, tmp_path):
    replies = [openai_tool_call("run_sql", {"sql": PLANNER_SQL[0]}), openai_text("Spend by source.")]
    with StubLLMServer(replies) as server:
        settings = Settings(warehouse_path=policy_warehouses["full"], data_dir=tmp_path, planner="llm",
                            llm_provider="openai", llm_model="gpt-4o-mini", llm_base_url=server.url,
                            llm_api_key="sk-test", cache_enabled=False)
        assistant = Assistant(settings, database=policy_database)
        answer = assistant.ask("how much did each network cost?", scope="agency")
        assistant.close()
    assert answer.status == "answered" and answer.planner.startswith("llm:"), answer.error
    assert [row[0] for row in answer.rows] == ["TikTok"]


def test_the_semantic_cache_never_serves_one_policy_another_s_answer(policy_warehouses, policy_database,
                                                                    tmp_path):
    settings = Settings(warehouse_path=policy_warehouses["full"], data_dir=tmp_path, cache_result_ttl_s=600)
    assistant = Assistant(settings, database=policy_database)
    question = "spend by media source last month"
    everyone = assistant.ask(question, scope="agency-unrestricted")
    with policy_database.begin() as connection:  # the same tenant name gets a policy later
        set_policy(connection, "tenant", "agency-unrestricted", metrics=None, dimensions=None,
                   row_filters=[POLICIES["tiktok"]], allow_sql=True, actor="test")
    policed = assistant.ask(question, scope="agency-unrestricted")
    again = assistant.ask(question, scope="agency-unrestricted")
    assistant.close()
    assert len(everyone.rows) > 1 and not policed.cached
    assert [row[0] for row in policed.rows] == ["TikTok"]
    assert again.cached and again.rows == policed.rows  # a hit, but only within the same policy


def test_a_key_policy_narrows_its_tenant(assistants, policy_database):
    with policy_database.begin() as connection:
        set_policy(connection, "key", "0123456789ab", metrics=None, dimensions=None,
                   row_filters=["platform = 'iOS'"], allow_sql=True, actor="test")
    full = assistants["full"]
    tenant_only = full.ask("installs by country last month", scope="agency")
    with_key = full.ask("installs by country last month", scope="agency", key_id="0123456789ab")
    ios = full.ask("installs by platform last month", scope="agency", key_id="0123456789ab")
    assert sum(r[1] for r in with_key.rows) < sum(r[1] for r in tenant_only.rows)
    assert [row[0] for row in ios.rows] == ["iOS"]


@pytest.mark.parametrize(("question", "code"), [
    ("revenue by platform last month", "access_denied"),  # a metric outside the list
    ("installs by country last month", "access_denied"),  # a dimension outside the list
    ("installs by platform last month", None),
    ("spend by platform last month", None),
])
def test_allowed_metrics_and_dimensions(assistants, question, code):
    answer = assistants["full"].ask(question, scope="narrow")
    assert (answer.error.code if answer.error else None) == code, answer.error
    if code:
        assert answer.rows == [] and "access policy" in answer.answer


def test_free_sql_can_be_switched_off(assistants):
    full = assistants["full"]
    executor = full.executor_for(full.policy_for("narrow"))
    from app.engine.pipeline.execute import ExecutionError

    with pytest.raises(ExecutionError, match="not free SQL") as refused:
        executor.run(SqlPlan(sql="SELECT COUNT(*) FROM installs"))
    assert refused.value.code == "access_denied"


@pytest.fixture(scope="module")
def tool_assistant(policy_warehouses, policy_database, trained):
    settings = Settings(warehouse_path=policy_warehouses["full"], data_dir=trained["root"] / "data",
                        cache_enabled=False)
    assistant = Assistant(settings, database=policy_database)
    yield assistant
    assistant.close()


def _user_outside_and_inside(assistant):
    rows = assistant.warehouse.execute(
        "SELECT c.media_source = 'TikTok', MIN(i.user_id) FROM installs i JOIN campaigns c "
        "USING (campaign_id) WHERE i.user_id IN "
        "(SELECT user_id FROM events WHERE event_time >= TIMESTAMP '2026-06-20') GROUP BY 1").rows
    found = dict(rows)
    return found[False], found[True]


@pytest.mark.parametrize("tool", ["explain_churn", "predict_churn", "predict_ltv"])
def test_predictor_tools_do_not_see_users_outside_the_policy(tool_assistant, tool):
    outside, inside = _user_outside_and_inside(tool_assistant)
    executor = tool_assistant.executor_for(tool_assistant.policy_for("agency"))
    from app.engine.pipeline.execute import ExecutionError

    with pytest.raises(ExecutionError) as refused:
        executor.run(ToolCallPlan(tool=tool, arguments={"user_id": outside}))
    assert refused.value.code == "not_found" and outside in refused.value.message
    seen = executor.run(ToolCallPlan(tool=tool, arguments={"user_id": inside}))
    assert seen.result.rows


def test_a_fraud_listing_under_a_policy_lists_only_its_installs(tool_assistant):
    executor = tool_assistant.executor_for(tool_assistant.policy_for("br-manager"))
    listed = executor.run(ToolCallPlan(tool="score_fraud", arguments={"install_date_from": "2026-06-25",
                                                                      "limit": 20}))
    ids = [row[0] for row in listed.result.rows]
    assert ids
    quoted = ", ".join(f"'{i}'" for i in ids)
    countries = tool_assistant.warehouse.execute(
        f"SELECT DISTINCT country FROM installs WHERE install_id IN ({quoted})").rows
    assert countries == [("BR",)]


def test_policies_stored_in_either_database_apply(app_database_url, policy_warehouses, tmp_path):
    database = open_database(app_database_url)
    with database.begin() as connection:
        set_policy(connection, "tenant", "agency", metrics=None, dimensions=None,
                   row_filters=[POLICIES["tiktok"]], allow_sql=True, actor="test")
    assistant = Assistant(Settings(warehouse_path=policy_warehouses["full"], data_dir=tmp_path,
                                   cache_enabled=False), database=database)
    answer = assistant.ask("spend by media source last month", scope="agency")
    assistant.close()
    database.close()
    assert [row[0] for row in answer.rows] == ["TikTok"]


@pytest.mark.parametrize("question", ["spend of the Lookalike campaign last month",
                                      "spend for the US campaign",
                                      "installs for the Interest campaign last month"])
def test_a_clarification_never_names_what_the_policy_hides(assistants, question):
    full = assistants["full"]
    hidden = {row[0] for row in full.warehouse.execute(
        "SELECT campaign_name FROM campaigns WHERE media_source <> 'TikTok'").rows}
    unpoliced = full.ask(question)
    policed = full.ask(question, scope="agency")
    assert unpoliced.status == "clarification_needed"
    assert any(name in unpoliced.answer for name in hidden)  # the planner did reach for them
    shown = " ".join([policed.answer, *(policed.clarification.options if policed.clarification else [])])
    assert not any(name in shown for name in hidden)


def test_a_clarification_among_visible_names_keeps_its_options(assistants):
    answer = assistants["full"].ask("spend of the Creators campaign last month", scope="agency")
    assert answer.status == "clarification_needed" and len(answer.clarification.options) == 2
    assert all("TikTok_" in option for option in answer.clarification.options)
