"""The minimum group size through every path of the assistant: offline answers, a second question
about the total, filters that leave out a few people, the previous period, the LLM's run_sql,
the semantic cache, verified queries, the executor the MCP tools use (with and without an access
policy) and the predictor tools. The oracle: the distinct users behind each cell, read straight
from the demo file with SQL written here -- no shown cell is made of 1..k-1 of them, and the cells
an answer leaves out stand together for at least k (or for none).
"""
from __future__ import annotations

import json
from collections import defaultdict
from itertools import combinations

import pytest

from app.engine.access import AccessPolicy
from app.engine.assistant import Assistant
from app.engine.cache import open_semantic_cache
from app.engine.cache.keys import normalize_question
from app.engine.pipeline.execute import ExecutionError
from app.engine.planning.plan import SemanticQueryPlan, SqlPlan, ToolCallPlan
from app.settings import Settings
from appdb import open_database, sqlite_url
from appdb.verified import add_verified
from semantic_layer import DEMO_MODEL_PATH, SemanticModel, SemanticQuery, load_semantic_model, parse_filter
from semantic_layer.schema import Privacy
from tests.engine.planning.llm.stub_servers import StubLLMServer, openai_text, openai_tool_call

K = 2000  # the demo's smallest countries hold 1,566..1,999 installs in June: some cells are small
JUNE = "BETWEEN DATE '2026-06-01' AND DATE '2026-06-30'"
INSTALLS = ("FROM installs i LEFT JOIN campaigns c USING (campaign_id) "
            f"WHERE CAST(i.install_time AS DATE) {JUNE}")
PAYERS = ("FROM events e JOIN installs i ON e.user_id = i.user_id LEFT JOIN campaigns c USING (campaign_id) "
          f"WHERE e.revenue IS NOT NULL AND e.revenue <> 0 AND CAST(e.event_time AS DATE) {JUNE}")
# question -> (the dimensions' SQL, FROM...WHERE of the people behind its cells)
ORACLES = {
    "installs by country last month": ("i.country", INSTALLS),
    "installs by country and platform last month": ("i.country, i.platform", INSTALLS),
    "installs by media source last month": ("c.media_source", INSTALLS),
    "installs by campaign last month": ("c.campaign_name", INSTALLS),
    "installs by day last month": ("CAST(i.install_time AS DATE)", INSTALLS),
    "top 9 countries by installs last month": ("i.country", INSTALLS),
    "revenue by country last month": ("i.country", PAYERS),
    "revenue by media source last month": ("c.media_source", PAYERS),
}
LEVELS = {"installs by campaign last month": 300, "installs by day last month": 1300,
          "revenue by media source last month": 600, "revenue by country last month": 600}


def people(demo_sql, dimensions: str, source: str, extra: str = "") -> dict[tuple, set]:
    """Each cell's distinct users (the user id, or the install id: one install per user)."""
    rows = demo_sql.execute(f"SELECT DISTINCT {dimensions}, i.user_id {source} {extra}").fetchall()
    cells: dict[tuple, set] = defaultdict(set)
    for row in rows:
        cells[tuple(row[:-1])].add(row[-1])
    return cells


def assert_private(cells: dict[tuple, set], shown: list[tuple], k: int) -> None:
    """No shown cell of 1..k-1 users; in every margin (each proper subset of the dimensions, the
    total included) the left-out cells hold 0 or >= k users, or the margin itself is below k."""
    assert len(shown) == len(set(shown))
    for key in shown:
        assert not 0 < len(cells.get(key, ())) < k, (key, len(cells[key]))
    width = len(next(iter(cells)))
    for size in range(width):
        for kept in combinations(range(width), size):
            groups: dict[tuple, list] = defaultdict(list)
            for key in cells:
                groups[tuple(key[i] for i in kept)].append(key)
            for members in groups.values():
                left_out = set().union(*(cells[key] for key in members if key not in shown))
                everyone = set().union(*(cells[key] for key in members))
                assert not left_out or len(left_out) >= k or len(everyone) < k, (kept, members)


def shown_keys(answer, width: int) -> list[tuple]:
    return [tuple(_plain(v) for v in row[:width]) for row in answer.rows]


def _plain(value):
    return str(value) if hasattr(value, "isoformat") else value


def _keys(cells):
    return {tuple(_plain(v) for v in key): users for key, users in cells.items()}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    opened = open_database(sqlite_url(tmp_path_factory.mktemp("privacy-db") / "asklytics.db"))
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def build(demo_db_path, database, tmp_path_factory):
    built = []

    def make(**settings) -> Assistant:
        settings.setdefault("cache_enabled", False)
        assistant = Assistant(Settings(warehouse_path=demo_db_path, data_dir=tmp_path_factory.mktemp("a"),
                                       **settings), database=database)
        built.append(assistant)
        return assistant
    yield make
    for assistant in built:
        assistant.close()


@pytest.fixture(scope="module")
def private(build):
    return build(min_group_size=K)


@pytest.mark.parametrize("question", ORACLES)
def test_no_offline_answer_shows_a_cell_below_k(build, demo_sql, question):
    k = LEVELS.get(question, K)
    answer = build(min_group_size=k).ask(question)
    dimensions, source = ORACLES[question]
    cells = _keys(people(demo_sql, dimensions, source))
    assert answer.status == "answered", answer.error
    shown = shown_keys(answer, len(next(iter(cells))))
    assert_private(cells, shown, k)
    small = [key for key, users in cells.items() if 0 < len(users) < k]
    assert small, "the case must have small cells to hide"
    assert len(shown) < len(cells) and "groups of fewer than" in answer.answer


def test_the_threshold_is_off_by_default(build):
    assistant = build()
    assert assistant.privacy is None
    assert len(assistant.ask("installs by country last month").rows) == 10


def test_a_total_asked_separately_does_not_reveal_the_hidden_countries(private, demo_sql):
    total = private.ask("installs last month")
    by_country = private.ask("installs by country last month")
    cells = _keys(people(demo_sql, "i.country", INSTALLS))
    hidden = set(cells) - set(shown_keys(by_country, 1))
    difference = total.rows[0][0] - sum(row[1] for row in by_country.rows)
    assert difference == sum(len(cells[key]) for key in hidden)  # one install per user
    assert any(len(cells[key]) < K for key in hidden)
    assert len(set().union(*(cells[key] for key in hidden))) >= K  # what the difference reveals


@pytest.mark.parametrize("condition", [
    "country != 'GB'", "country NOT IN ('GB')",
    "country IN ('US', 'BR', 'IN', 'JP', 'DE', 'AU', 'FR', 'CA', 'KR')",
])
def test_a_filter_that_leaves_out_a_small_group_is_refused(private, condition):
    query = SemanticQuery(metrics=["installs"], filters=[parse_filter(condition)],
                          time_range=("2026-06-01", "2026-06-30"))
    with pytest.raises(ExecutionError) as raised:
        private.executor.run(SemanticQueryPlan(query=query))
    assert raised.value.code == "privacy_threshold" and "leaves out fewer than" in raised.value.message


def test_a_filter_keeping_a_large_group_runs(private):
    query = SemanticQuery(metrics=["installs"], filters=[parse_filter("country = 'US'")],
                          time_range=("2026-06-01", "2026-06-30"))
    assert private.executor.run(SemanticQueryPlan(query=query)).result.rows == [(9345,)]


def test_a_previous_period_below_k_is_not_compared_with(build, demo_sql):
    counts = dict(demo_sql.execute(
        "SELECT strftime(install_time, '%m'), COUNT(DISTINCT user_id) FROM installs WHERE country = 'US' "
        "AND CAST(install_time AS DATE) BETWEEN DATE '2026-05-01' AND DATE '2026-06-30' GROUP BY 1"
    ).fetchall())
    assert counts["06"] > counts["05"]
    answer = build(min_group_size=counts["06"]).ask("installs in US last month")
    assert answer.rows == [[counts["06"]]]
    assert "previous period" in answer.answer and "not compared" in answer.answer
    assert str(f"{counts['05']:,}") not in answer.answer


def test_a_single_small_number_is_not_shown(private):
    answer = private.ask("installs in GB last month")
    assert answer.status == "answered" and answer.rows == []
    assert "fewer than 2000 users" in answer.answer and "1,566" not in answer.answer


def test_free_sql_over_people_is_refused_and_over_spend_runs(private):
    for sql in ("SELECT country, COUNT(*) FROM installs GROUP BY 1",
                "WITH campaigns AS (SELECT * FROM installs) SELECT COUNT(*) FROM campaigns",
                "SELECT media_source FROM campaigns WHERE campaign_id IN (SELECT campaign_id FROM installs)",
                "SELECT user_id, revenue FROM events LIMIT 5"):
        with pytest.raises(ExecutionError) as raised:
            private.executor.run(SqlPlan(sql=sql))
        assert raised.value.code == "privacy_threshold", sql
    spend = private.executor.run(SqlPlan(sql="SELECT media_source, SUM(cost) FROM ad_spend "
                                             "JOIN campaigns USING (campaign_id) GROUP BY 1"))
    assert spend.result.row_count > 1


def test_the_llm_run_sql_is_held_to_the_threshold(demo_db_path, database, tmp_path):
    personal = "SELECT country, COUNT(*) AS installs FROM installs GROUP BY 1"
    spend = ("SELECT c.media_source, SUM(s.cost) AS cost FROM ad_spend s "
             "JOIN campaigns c USING (campaign_id) GROUP BY 1")
    replies = [openai_tool_call("run_sql", {"sql": personal}), openai_tool_call("run_sql", {"sql": spend}),
               openai_text("Spend by source.")]
    with StubLLMServer(replies) as server:
        settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path, planner="llm",
                            llm_provider="openai", llm_model="gpt-4o-mini", llm_base_url=server.url,
                            llm_api_key="sk-test", cache_enabled=False, min_group_size=K)
        assistant = Assistant(settings, database=database)
        answer = assistant.ask("how many installs per country, and what did each network cost?")
        assistant.close()
    assert answer.status == "answered" and answer.planner.startswith("llm:"), answer.error
    assert answer.sql is not None and "installs" not in answer.sql.lower()
    assert "free SQL over installs" in json.dumps(server.requests[1].body)  # the refusal went back


def test_the_cache_never_serves_an_answer_checked_at_another_threshold(build, demo_db_path, demo_sql):
    shared = open_semantic_cache(Settings(warehouse_path=demo_db_path, cache_result_ttl_s=600))
    question = "installs by country last month"
    everyone = build(cache_enabled=True, cache_result_ttl_s=600)
    everyone.cache = shared
    private = build(cache_enabled=True, cache_result_ttl_s=600, min_group_size=K)
    private.cache = shared
    assert len(everyone.ask(question).rows) == 10
    first, again = private.ask(question), private.ask(question)
    cells = _keys(people(demo_sql, "i.country", INSTALLS))
    assert not first.cached and again.cached and again.rows == first.rows
    assert_private(cells, shown_keys(again, 1), K)


def test_a_verified_query_is_held_to_the_threshold(build, database, demo_sql):
    question = "installs per country for june"
    query = {"metrics": ["installs"], "dimensions": ["country"], "time_range": ["2026-06-01", "2026-06-30"]}
    with database.begin() as connection:
        add_verified(connection, scope="verified-tenant", question=question,
                     normalized_question=normalize_question(question), semantic_query=query, sql=None,
                     verified_by="cli:reviewer")
    answer = build(cache_enabled=True, min_group_size=K).ask(question, scope="verified-tenant")
    assert answer.verified is not None and answer.verified.match == "exact"
    assert_private(_keys(people(demo_sql, "i.country", INSTALLS)), shown_keys(answer, 1), K)


def test_the_mcp_executor_is_held_to_the_threshold_with_and_without_a_policy(private, demo_sql):
    query = SemanticQuery(metrics=["installs"], dimensions=["country"],
                          time_range=("2026-06-01", "2026-06-30"))
    open_result = private.executor_for(None).run(SemanticQueryPlan(query=query)).result
    assert_private(_keys(people(demo_sql, "i.country", INSTALLS)), [(r[0],) for r in open_result.rows], K)
    ios = private.executor_for(AccessPolicy(row_filters=("platform = 'iOS'",)))
    policed = ios.run(SemanticQueryPlan(query=query)).result
    cells = _keys(people(demo_sql, "i.country", INSTALLS, "AND i.platform = 'iOS'"))
    assert_private(cells, [(r[0],) for r in policed.rows], K)
    assert 0 < policed.row_count < 10


def test_predictor_tools_are_refused(private):
    with pytest.raises(ExecutionError) as raised:
        private.executor.run(ToolCallPlan(tool="score_fraud", arguments={"media_source": "TikTok"}))
    assert raised.value.code == "privacy_threshold"


def _model(min_group_size: int | None, country: int | None = None) -> SemanticModel:
    spec = load_semantic_model(DEMO_MODEL_PATH).spec
    tables = []
    for table in spec.semantic_models:
        dims = tuple(d.model_copy(update={"min_group_size": country}) if d.name == "country" else d
                     for d in table.dimensions)
        tables.append(table.model_copy(update={"dimensions": dims}))
    privacy = Privacy(min_group_size=min_group_size) if min_group_size else None
    return SemanticModel(spec.model_copy(update={"privacy": privacy, "semantic_models": tuple(tables)}))


def test_the_model_and_its_dimensions_set_the_threshold_and_the_setting_turns_it_off(demo_db_path, database,
                                                                                     tmp_path, demo_sql):
    def ask(model, question, **settings):
        assistant = Assistant(Settings(warehouse_path=demo_db_path, data_dir=tmp_path, cache_enabled=False,
                                       **settings), model=model, database=database)
        try:
            return assistant.ask(question)
        finally:
            assistant.close()
    cells = _keys(people(demo_sql, "i.country", INSTALLS))
    by_model = ask(_model(1800), "installs by country last month")
    assert_private(cells, shown_keys(by_model, 1), 1800)
    assert {("GB",), ("KR",)} & set(shown_keys(by_model, 1)) == set()
    by_dimension = ask(_model(1800, country=2500), "installs by country last month")
    assert_private(cells, shown_keys(by_dimension, 1), 2500)
    assert len(by_dimension.rows) < len(by_model.rows)
    assert len(ask(_model(1800, country=2500), "installs by platform last month").rows) == 2
    assert len(ask(_model(1800), "installs by country last month", min_group_size=0).rows) == 10
