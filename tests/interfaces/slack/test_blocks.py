"""Block Kit layout and escaping: data and model text is shown, never interpreted by Slack."""
from __future__ import annotations

import datetime as dt

from app.engine.contract import Answer, ChartOut, Clarification, ColumnOut, ErrorOut
from app.interfaces.slack.asking import clean_question
from app.interfaces.slack.blocks import MAX_CLARIFY_OPTIONS, answer_blocks, escape_mrkdwn, fallback_text
from app.interfaces.slack.tables import MAX_TABLE_ROWS, compact_table
from app.interfaces.slack.tenancy import scope_for
from app.settings import Settings


def _answer(**fields) -> Answer:
    base = {"conversation_id": "c-1", "question": "q", "status": "answered", "answer_id": "a-1",
            "sql": "SELECT 1"}
    return Answer(**(base | fields))


def test_control_characters_in_data_and_text_are_escaped():
    answer = _answer(answer="Top: <!channel> & <https://evil.example|click> **bold**",
                     columns=[ColumnOut(name="campaign", type="VARCHAR")], rows=[["<@U123> & co"]],
                     row_count=1)
    blocks = answer_blocks(answer)
    text = blocks[0]["text"]["text"]
    assert text == "Top: &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; *bold*"
    assert "&lt;@U123&gt; &amp; co" in blocks[1]["text"]["text"]
    assert "<!channel>" not in str(blocks) and "<@U123>" not in str(blocks)


def test_escape_is_exactly_the_three_slack_characters():
    assert escape_mrkdwn("a&b<c>d*e_f`") == "a&amp;b&lt;c&gt;d*e_f`"


def test_a_small_result_is_a_compact_aligned_table():
    columns = [ColumnOut(name="day", type="DATE"), ColumnOut(name="installs", type="BIGINT"),
               ColumnOut(name="roas", type="DOUBLE")]
    table = compact_table(columns, [[dt.date(2026, 6, 1), 12345, 1.5], [dt.date(2026, 6, 2), 7, None]])
    assert table.splitlines() == ["day         installs  roas",
                                  "----------  --------  ----",
                                  "2026-06-01    12,345  1.50",
                                  "2026-06-02         7     –"]


def test_big_results_get_no_table():
    columns = [ColumnOut(name="n", type="BIGINT")]
    assert compact_table(columns, [[i] for i in range(MAX_TABLE_ROWS + 1)]) is None
    assert compact_table(columns, []) is None


def test_the_badge_shows_planner_and_cache():
    blocks = answer_blocks(_answer(answer="x", planner="llm", cached=True, row_count=1))
    assert {"type": "mrkdwn", "text": "llm planner · cached · 1 row"} in blocks[-2]["elements"]


def test_no_sql_means_no_show_sql_button():
    blocks = answer_blocks(_answer(answer="x", sql=None))
    assert [e["action_id"] for e in blocks[-1]["elements"]] == ["feedback_up", "feedback_down"]


def test_a_chart_note_is_shown_when_there_is_no_image():
    chart = ChartOut(type="bar", reason="r", figure={"data": []})
    blocks = answer_blocks(_answer(answer="x", chart=chart), chart_note="Chart not shown: no browser.")
    assert any(b["type"] == "context" and "Chart not shown" in b["elements"][0]["text"] for b in blocks)


def test_clarification_options_become_buttons():
    options = [f"option {i}" for i in range(8)]
    answer = _answer(status="clarification_needed",
                     clarification=Clarification(question="Which <one>?", options=options))
    section, actions = answer_blocks(answer)
    assert section["text"]["text"] == ":thinking_face: Which &lt;one&gt;?"
    assert [e["value"] for e in actions["elements"]] == options[:MAX_CLARIFY_OPTIONS]


def test_errors_are_one_short_friendly_block():
    answer = _answer(status="error",
                     error=ErrorOut(code="timeout", message="The query took too long. " * 300))
    (block,) = answer_blocks(answer)
    assert block["text"]["text"].startswith(":warning: The query took too long.")
    assert len(block["text"]["text"]) < 3000
    assert fallback_text(answer).endswith("…")


def test_slack_wire_text_becomes_the_question():
    wire = "<@U0BOT> installs on <https://x.example|the dashboard> &amp; spend &lt;= 5   <!here>"
    assert clean_question(wire) == "installs on the dashboard & spend <= 5"


def test_channel_mapping_wins_over_the_workspace():
    settings = Settings(slack_scopes={"T1": "acme", "T1/C9": "acme-finance"})
    assert scope_for(settings, "T1", "C9") == "acme-finance"
    assert scope_for(settings, "T1", "C2") == "acme"
    assert scope_for(settings, "T2", "C9") == "slack:T2"


def test_server_failures_do_not_show_server_details():
    answer = _answer(status="error",
                     error=ErrorOut(code="warehouse_unavailable", message="no file at /srv/secret/x"))
    assert "/srv" not in str(answer_blocks(answer))
