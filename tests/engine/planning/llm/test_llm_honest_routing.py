"""#17 with an LLM configured: the same honesty rules, through the real client and a local stub server.

A question the offline planner cannot account for goes to the LLM (auto mode); without an LLM it
gets the offline clarification. The LLM's query_metrics tool can say cohorts, shares and
per-period averages, and those plans run on the warehouse with the right numbers. One stub
server and one assistant per mode serve the module; each test scripts the replies it needs.
"""
from __future__ import annotations

import pytest
from stub_servers import StubLLMServer, openai_error, openai_text, openai_tool_call

from app.engine.assistant import Assistant
from app.settings import Settings

UNACCOUNTED = "revenue by battery level last month"


def _settings(demo_db_path, data_dir, url: str | None, planner: str = "auto") -> Settings:
    llm = {
        "llm_provider": "openai",
        "llm_model": "gpt-4o-mini",
        "llm_base_url": url,
        "llm_api_key": "sk-test",
    }
    return Settings(warehouse_path=demo_db_path, data_dir=data_dir, planner=planner, cache_enabled=False,
                    **(llm if url else {}))


@pytest.fixture(scope="module")
def server():
    with StubLLMServer([]) as stub:
        yield stub


@pytest.fixture()
def scripted(server):
    def script(*replies):
        server.replies[:] = list(replies)
        server.requests.clear()
        return server
    return script


@pytest.fixture(scope="module")
def assistants(server, demo_db_path, duckdb_wh, tmp_path_factory):
    data = tmp_path_factory.mktemp("llm-honest")
    return {mode: Assistant(_settings(demo_db_path, data, url, planner), warehouse=duckdb_wh)
            for mode, url, planner in (("offline_only", None, "auto"), ("auto", server.url, "auto"),
                                       ("llm", server.url, "llm"))}


def test_without_an_llm_an_unaccounted_question_gets_the_honest_clarification(assistants):
    answer = assistants["offline_only"].ask(UNACCOUNTED)
    assert answer.status == "clarification_needed" and answer.planner == "offline"
    assert "“battery”" in answer.answer and answer.sql is None


def test_with_an_llm_an_unaccounted_question_goes_to_it(assistants, scripted):
    server = scripted(openai_tool_call("ask_clarification", {
        "question": "There is no battery field; revenue by platform or country instead?",
        "options": ["revenue by platform last month", "revenue by country last month"]}))
    answer = assistants["auto"].ask(UNACCOUNTED)
    assert answer.planner == "llm:openai/gpt-4o-mini" and len(server.requests) == 1
    assert answer.status == "clarification_needed" and "no battery field" in answer.answer


def test_a_fully_accounted_question_never_reaches_the_llm(assistants, scripted):
    server = scripted()
    answer = assistants["auto"].ask("installs by platform last month")
    assert answer.status == "answered" and answer.planner == "offline" and not server.requests


def test_if_the_llm_fails_the_offline_clarification_stands(assistants, scripted):
    scripted(*[openai_error(500)] * 8)
    answer = assistants["auto"].ask(UNACCOUNTED)
    assert answer.status == "clarification_needed" and answer.sql is None  # never a guess


@pytest.mark.parametrize(("arguments", "gold"), [
    ({"metrics": ["revenue"], "time_range": ["2026-06-01", "2026-06-30"],
      "cohort": {"install_range": ["2026-05-01", "2026-05-31"]}},
     ("SELECT SUM(e.revenue) FROM events e JOIN installs i ON i.user_id = e.user_id "
     "WHERE i.install_time::DATE BETWEEN '2026-05-01' AND '2026-05-31' "
     "AND e.event_time::DATE BETWEEN '2026-06-01' AND '2026-06-30'")),
    ({"metrics": ["installs"], "time_range": ["2026-06-01", "2026-06-30"],
      "share": {"of": "installs", "where": [{"dimension": "platform", "values": ["iOS"]}]}},
     ("SELECT COUNT(*) FILTER (WHERE platform = 'iOS') * 1.0 / COUNT(*) FROM installs "
     "WHERE install_time::DATE BETWEEN '2026-06-01' AND '2026-06-30'")),
    ({"metrics": ["clicks"], "time_range": ["2026-06-01", "2026-06-30"], "per_period": "day"},
     "SELECT SUM(clicks) / 30.0 FROM ad_spend WHERE date BETWEEN '2026-06-01' AND '2026-06-30'"),
    ({"metrics": ["count_distinct:device_model"],
      "filters": [{"dimension": "platform", "values": ["Android"]}]},
     "SELECT COUNT(DISTINCT device_model) FROM installs WHERE platform = 'Android'"),
    ({"metrics": ["cost"], "dimensions": ["campaign_name"], "time_range": ["2026-06-01", "2026-06-30"],
      "having": ["cost > 1000"], "count_groups": True},
     ("SELECT COUNT(*) FROM (SELECT c.campaign_name FROM ad_spend s JOIN campaigns c "
      "ON c.campaign_id = s.campaign_id WHERE s.date BETWEEN '2026-06-01' AND '2026-06-30' "
      "GROUP BY c.campaign_name HAVING SUM(s.cost) > 1000)")),
    # named periods: the first block is January's
    ({"metrics": ["installs"], "periods": [["2026-01-01", "2026-01-31"], ["2026-06-01", "2026-06-30"]]},
     "SELECT COUNT(*) FROM installs WHERE install_time::DATE BETWEEN '2026-01-01' AND '2026-01-31'"),
])
def test_the_llm_can_say_cohorts_shares_averages_and_distinct_counts(assistants, scripted, duckdb_wh,
                                                                     arguments, gold):
    scripted(openai_tool_call("query_metrics", arguments), openai_text("Done."))
    answer = assistants["llm"].ask("a question for the model")
    assert answer.status == "answered", answer.error
    assert answer.rows[0][-1] == pytest.approx(duckdb_wh.execute(gold).rows[0][0], rel=1e-9)
