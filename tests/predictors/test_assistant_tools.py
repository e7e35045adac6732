"""Prediction questions through the real Assistant: planner -> tool call -> trained model."""
from __future__ import annotations

import shutil

import pytest

from app.engine.assistant import Assistant
from app.settings import Settings


@pytest.fixture(scope="module")
def assistant(trained, demo_db_path):
    path = _copy(demo_db_path, trained["root"] / "assistant")
    a = Assistant(Settings(warehouse_path=path, data_dir=trained["root"] / "data", cache_enabled=False))
    yield a
    a.close()


def _copy(source, folder):
    """A private copy: DuckDB allows one configuration per file in a process."""
    folder.mkdir(parents=True, exist_ok=True)
    return shutil.copyfile(source, folder / "demo.duckdb")


def _active_user(assistant) -> str:
    rows = assistant.warehouse.execute(
        "SELECT user_id FROM events WHERE event_name = 'session_start' AND event_time >= '2026-06-20' "
        "GROUP BY user_id ORDER BY COUNT(*) DESC, user_id LIMIT 1").rows
    return rows[0][0]


def test_explain_churn_for_one_user(assistant):
    user = _active_user(assistant)
    answer = assistant.ask(f"why is user {user} likely to churn?")
    assert answer.status == "answered", answer.error
    assert answer.tool_calls[0].name == "explain_churn"
    assert "model" in answer.tool_calls[0].result_summary
    assert answer.rows and answer.sql is None
    assert answer.answer.startswith("**Prediction") or "prediction" in answer.answer.lower()


def test_fraud_scores_for_a_source(assistant):
    answer = assistant.ask("which TikTok installs last week look fraudulent?")
    assert answer.status == "answered", answer.error
    assert answer.tool_calls[0].name == "score_fraud"
    names = [c.name for c in answer.columns]
    assert "fraud_probability" in names and answer.rows


def test_missing_models_are_an_actionable_error(demo_db_path, tmp_path):
    path = _copy(demo_db_path, tmp_path / "nomodels")
    a = Assistant(Settings(warehouse_path=path, data_dir=tmp_path / "data", cache_enabled=False))
    try:
        answer = a.ask("which TikTok installs last week look fraudulent?")
    finally:
        a.close()
    assert answer.status == "error"
    assert "asklytics train" in answer.error.message
