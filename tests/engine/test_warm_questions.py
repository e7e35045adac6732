"""The warm start's rehearsal (#19): a question of each shape the planner and compiler treat
differently, in the model's own words, answered into Answers nobody sees and recorded nowhere."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.engine import warm_up as warm_up_module
from app.engine.assistant import Assistant
from app.engine.warm_questions import SHAPES, rehearsal_questions
from app.engine.warm_up import rehearse, warm_up
from app.settings import Settings
from appdb.tables import answers, audit_log, conversation_turns
from semantic_layer import (
    SemanticModel,
    SemanticQuery,
    SemanticQueryError,
    compile_semantic_query,
    expressions,
)


@pytest.fixture(scope="module")
def assistant(demo_db_path, duckdb_wh, tmp_path_factory):
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path_factory.mktemp("warm"),
                        planner="offline", cache_enabled=False)
    yield Assistant(settings, warehouse=duckdb_wh)


def test_the_demo_model_offers_a_question_of_every_shape(assistant):
    questions = rehearsal_questions(assistant.model, assistant.router.offline.values.index.known)
    assert list(questions) == list(SHAPES)
    assert questions["total"] == ["cost last week"]  # the model's first simple metric, in its words
    assert questions["ratio ranking"][0] == "which campaign id has the highest ctr"
    filtered = questions["top n with a filter"][0]
    assert filtered.startswith("top 5 campaign id by ctr for ")
    value = filtered.removeprefix("top 5 campaign id by ctr for ").removesuffix(" last month")
    assert any(value in known for known in assistant.router.offline.values.index.known.values())


def test_a_model_without_a_ratio_metric_rehearses_the_other_shapes(assistant):
    spec = assistant.model.spec
    simple = tuple(m for m in spec.metrics if m.type == "simple")
    plain = SemanticModel(spec.model_copy(update={"metrics": simple}))
    assert set(rehearsal_questions(plain)) == {"breakdown", "total", "time series"}
    assert rehearsal_questions(SemanticModel(spec.model_copy(update={"metrics": ()}))) == {}


def test_the_rehearsal_answers_each_shape(assistant):
    rehearsed = {answer.question: answer for answer in rehearse(assistant)}
    assert len(rehearsed) == len(SHAPES)
    queries = [answer.semantic_query for answer in rehearsed.values()]
    assert all(answer.status == "answered" and answer.sql for answer in rehearsed.values())
    breakdown, total, series, ranking, top = queries
    assert breakdown["dimensions"] == ["campaign_id"] and total["dimensions"] == []
    assert series["dimensions"] == ["metric_time__day"]
    assert ranking["metrics"] == ["ctr"] and ranking["limit"] == 1
    assert ranking["order_by"] == [["ctr", "desc"]]
    assert top["limit"] == 5 and top["filters"] and top["metrics"] == ["ctr"]


def test_a_candidate_the_planner_cannot_plan_gives_way_to_the_next(assistant, monkeypatch):
    monkeypatch.setattr(warm_up_module, "rehearsal_questions", lambda model, known: {
        "total": ["xyzzy plugh frobnicate", "cost last week"], "nothing": ["xyzzy plugh"]})
    assert [answer.question for answer in rehearse(assistant)] == ["cost last week"]


def test_a_warm_up_records_nothing(demo_db_path, duckdb_wh, tmp_path):
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path, planner="offline",
                        cache_enabled=False)
    fresh = Assistant(settings, warehouse=duckdb_wh)
    steps = warm_up(fresh)
    assert {"expressions", "rehearsal", "rollups"} <= set(steps)
    with fresh.app_database.connect() as connection:
        for table in (conversation_turns, answers, audit_log):
            assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0, table.name


def test_the_models_expressions_are_parsed_before_a_query_needs_them(assistant):
    expressions._parsed.cache_clear()
    parsed = expressions.prepare_expressions(assistant.model)
    assert parsed > 5  # the demo model's CASE and arithmetic expressions
    misses = expressions._parsed.cache_info().misses
    compiled = 0
    for metric in assistant.model.metrics:  # every metric's own compile path: simple, ratio, derived
        try:
            compile_semantic_query(assistant.model, SemanticQuery(metrics=[metric]))
            compiled += 1
        except SemanticQueryError:
            pass
    assert compiled > 30
    assert expressions._parsed.cache_info().misses == misses
