"""Result byte caps reach the engines from the settings, and the answer says what was cut."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.engine.pipeline.narrative import NarrativeInput, describe
from app.engine.warehouse import open_warehouse
from app.interfaces.assembly import create_app
from app.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent / "planning" / "llm"))
from stub_servers import StubLLMServer, openai_text, openai_tool_call


@pytest.mark.parametrize("engine", ["duckdb", "chdb"])
def test_settings_reach_the_connector(engine, demo_db_path, chdb_path, tmp_path):
    path = demo_db_path if engine == "duckdb" else chdb_path
    settings = Settings(warehouse=engine, warehouse_path=path, data_dir=tmp_path, max_cell_bytes=123,
                        max_result_bytes=4567)
    with open_warehouse(settings) as warehouse:
        assert (warehouse.max_cell_bytes, warehouse.max_result_bytes) == (123, 4567)
        (value,), = warehouse.execute("SELECT repeat('x', 1000) AS s").rows
        assert len(value) == 123


def test_narrative_names_each_cut():
    rows = [("a", 1.0), ("b", 2.0)]
    bytes_cut = describe(NarrativeInput(columns=["k", "v"], rows=rows, units={}, truncated=True,
                                        truncation=("max_result_bytes",)))
    assert "Showing the first 2 rows: the full result is larger than the size limit." in bytes_cut
    rows_cut = describe(NarrativeInput(columns=["k", "v"], rows=rows, units={}, truncated=True,
                                       truncation=("max_rows",)))
    assert "Showing the first 2 rows (the result was truncated)." in rows_cut
    cells_cut = describe(NarrativeInput(columns=["k", "v"], rows=rows, units={},
                                        truncation=("max_cell_bytes",)))
    assert "Some long values were cut short." in cells_cut and "Showing" not in cells_cut


def _ask(demo_db_path, tmp_path, sql: str, **caps) -> dict:
    replies = [openai_tool_call("run_sql", {"sql": sql}), openai_text("There are 987,654,321 of them.")]
    with StubLLMServer(replies) as server:
        settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", planner="auto",
                            llm_confidence_threshold=1.0, llm_provider="openai", llm_model="gpt-4o-mini",
                            llm_base_url=server.url, llm_api_key="sk-test", cache_enabled=False, **caps)
        with TestClient(create_app(settings)) as client:
            response = client.post("/api/v1/ask", json={"question": "list every event name in one cell"})
    assert response.status_code == 200, response.text
    return response.json()


def test_answer_flags_a_cut_cell(demo_db_path, tmp_path):
    answer = _ask(demo_db_path, tmp_path, "SELECT string_agg(event_name, ',') AS names FROM events",
                  max_cell_bytes=1000)
    assert answer["status"] == "answered", answer["error"]
    assert len(answer["rows"][0][0]) == 1000
    assert answer["truncated"] and answer["truncation"] == ["max_cell_bytes"]
    assert "cut short" in answer["answer"]
    assert "max_cell_bytes" in answer["tool_calls"][0]["result_summary"]


def test_answer_flags_rows_left_out_by_the_byte_cap(demo_db_path, tmp_path):
    answer = _ask(demo_db_path, tmp_path, "SELECT event_id, event_name FROM events ORDER BY event_id",
                  max_result_bytes=2000)
    assert answer["status"] == "answered", answer["error"]
    assert answer["truncated"] and answer["truncation"] == ["max_result_bytes"]
    assert 0 < answer["row_count"] < 1000
    assert "larger than the size limit" in answer["answer"]
