"""Verified queries in the assistant: an exact match runs the verified plan (labelled), a fresh plan
equal to a verified one is labelled too, tenants do not share them, access policies apply to them,
and with the semantic cache off (evals) they are not used."""
from __future__ import annotations

import pytest

from app.engine.assistant import Assistant
from app.engine.cache.keys import normalize_question
from app.settings import Settings
from appdb import open_database, sqlite_url
from appdb.policies import set_policy
from appdb.verified import add_verified
from tests.engine.planning.llm.stub_servers import StubLLMServer, openai_text, openai_tool_call


@pytest.fixture()
def database(tmp_path):
    opened = open_database(sqlite_url(tmp_path / "app" / "asklytics.db"))
    yield opened
    opened.close()


@pytest.fixture()
def assistant(demo_db_path, tmp_path, database):
    built = Assistant(Settings(warehouse_path=demo_db_path, data_dir=tmp_path), database=database)
    yield built
    built.close()


def _verify(database, scope, question, *, sql=None, semantic_query=None):
    with database.begin() as connection:
        return add_verified(connection, scope=scope, question=question,
                            normalized_question=normalize_question(question), semantic_query=semantic_query,
                            sql=sql, verified_by="cli:reviewer")


def test_a_verified_answer_is_reused_for_the_same_question_and_labelled(assistant, database):
    first = assistant.ask("installs by platform last month")
    verified_id = _verify(database, "default", first.question, sql=first.sql,
                          semantic_query=first.semantic_query)
    again = assistant.ask("Installs by platform, last month?")
    assert again.verified is not None and (again.verified.id, again.verified.match) == (verified_id, "exact")
    assert again.rows == first.rows and "verified query" in again.answer


def test_verified_sql_answers_its_question(assistant, database):
    _verify(database, "default", "how many campaigns do we run in total",
            sql="SELECT COUNT(*) AS campaigns FROM campaigns")
    answer = assistant.ask("How many campaigns do we run in total?")
    assert answer.status == "answered" and answer.rows == [[60]] and answer.verified.match == "exact"
    assert assistant.ask("how many campaigns do we run in total", scope="other-tenant").verified is None


def test_a_fresh_plan_equal_to_a_verified_one_is_labelled(assistant, database):
    first = assistant.ask("installs by platform last month")
    _verify(database, "default", "platform installs for june", semantic_query=first.semantic_query,
            sql=first.sql)
    reworded = assistant.ask("installs by platform last month")
    assert reworded.verified is not None and reworded.verified.match == "same_query"


def test_access_policies_apply_to_verified_queries(assistant, database):
    with database.begin() as connection:
        set_policy(connection, "tenant", "agency", metrics=None, dimensions=None,
                   row_filters=["media_source = 'TikTok'"], allow_sql=True, actor="test")
    _verify(database, "agency", "campaigns per network",
            sql="SELECT media_source, COUNT(*) AS n FROM campaigns GROUP BY 1")
    answer = assistant.ask("campaigns per network", scope="agency")
    assert answer.verified.match == "exact" and [row[0] for row in answer.rows] == ["TikTok"]


def test_with_the_cache_off_verified_queries_are_not_used(demo_db_path, tmp_path, database):
    _verify(database, "default", "how many campaigns do we run in total",
            sql="SELECT COUNT(*) AS campaigns FROM campaigns")
    assistant = Assistant(Settings(warehouse_path=demo_db_path, data_dir=tmp_path, cache_enabled=False),
                          database=database)
    answer = assistant.ask("how many campaigns do we run in total")
    assistant.close()
    assert answer.verified is None


def test_verified_queries_are_the_llm_planner_s_first_examples(demo_db_path, tmp_path, database):
    sql = "SELECT media_source, COUNT(*) AS campaigns FROM campaigns GROUP BY 1 ORDER BY 2 DESC"
    _verify(database, "team", "how many campaigns does each network run", sql=sql)
    _verify(database, "team", "total spend by week", semantic_query={"metrics": ["cost"]})
    _verify(database, "other-team", "campaigns of each network, counted", sql="SELECT 'other tenant'")
    replies = [openai_tool_call("run_sql", {"sql": sql}), openai_text("Campaigns per network.")]
    with StubLLMServer(replies) as server:
        settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path, planner="llm",
                            llm_provider="openai", llm_model="gpt-4o-mini", llm_base_url=server.url,
                            llm_api_key="sk-test", cache_enabled=False)
        assistant = Assistant(settings, database=database)
        answer = assistant.ask("number of campaigns per network", scope="team")
        assistant.close()
    assert answer.status == "answered", answer.error
    system = server.requests[0].body["messages"][0]["content"]
    examples = [block for block in system.split("\n\n") if block.startswith("Q: ")]
    assert examples[0] == f"Q: how many campaigns does each network run\nA: {sql}"  # first, as verified
    assert "total spend by week" not in system  # no word in common with the question
    assert "other tenant" not in system  # another tenant's memory
