"""``/ask``, the Show SQL, feedback and clarification buttons, tenants and the per-user rate limit."""
from __future__ import annotations

import json
from urllib.parse import urlencode

from conftest import CHANNEL, USER, mention
from mock_slack_api import TEAM_ID
from test_replies import _action_ids, _texts

from appdb import open_database, sqlite_url
from appdb.feedback import list_feedback


def _ask_and_get_reply(slack, slack_api, question: str, ts: str) -> dict:
    slack.event(mention(question, ts), f"Ev{ts.replace('.', '')}")
    return slack_api.wait_for("chat.postMessage")[-1].params


def _button_value(reply: dict, action_id: str) -> str:
    return next(e["value"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == action_id)


def test_the_ask_command_posts_the_question_and_answers_in_its_thread(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    response = slack.command("installs by platform last month")
    assert response.status_code == 200 and response.text == ""
    parent, reply = (c.params for c in slack_api.wait_for("chat.postMessage", 2))
    assert parent["channel"] == CHANNEL and "thread_ts" not in parent
    assert parent["text"] == f"<@{USER}> asked: installs by platform last month"
    slack.drain()
    parent_ts = slack_api.calls("reactions.add")[0].params["timestamp"]
    assert reply["thread_ts"] == parent_ts
    assert "*Android* has the top Installs" in _texts(reply["blocks"])


def test_an_empty_ask_command_explains_the_usage(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    response = slack.command("   ")
    assert response.status_code == 200 and "/ask installs by platform last month" in response.text
    slack.drain()
    assert slack_api.calls("chat.postMessage") == []


def test_show_sql_reveals_the_sql_to_the_clicker(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    reply = _ask_and_get_reply(slack, slack_api, "installs by platform last month", "1700001000.000100")
    answer_id = _button_value(reply, "show_sql")
    assert slack.click("show_sql", answer_id, "1700001000.000200", reply["thread_ts"]).status_code == 200
    shown = slack_api.wait_for("chat.postEphemeral")[0].params
    sql = slack.state.api.answers.get(answer_id, f"slack:{TEAM_ID}").sql
    assert shown["user"] == USER and shown["thread_ts"] == "1700001000.000100"
    escaped = sql.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert shown["blocks"][0]["text"]["text"] == f"```{escaped}```"


def test_feedback_buttons_use_the_web_uis_feedback(make_slack, slack_api, slack_settings):
    slack = make_slack(slack_chromium_path=None)
    reply = _ask_and_get_reply(slack, slack_api, "installs by platform last month", "1700001100.000100")
    answer_id = _button_value(reply, "feedback_down")
    slack.click("feedback_down", answer_id, "1700001100.000200", reply["thread_ts"])
    thanks = slack_api.wait_for("chat.postEphemeral")[0].params
    assert "Marked as wrong" in thanks["text"]
    database = open_database(sqlite_url(slack_settings.data_dir / "asklytics.db"))
    with database.connect() as connection:
        row = list_feedback(connection)[0]  # the newest
    database.close()
    assert (row["answer_id"], row["rating"], row["scope"]) == (answer_id, "down", f"slack:{TEAM_ID}")
    assert row["question"] == "installs by platform last month"


def test_feedback_on_an_unknown_answer_says_so(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    slack.click("feedback_up", "a-does-not-exist", "1700001200.000200", "1700001200.000100")
    notice = slack_api.wait_for("chat.postEphemeral")[0].params
    assert "no longer available" in notice["text"]


def test_a_clarification_button_answers_in_the_same_thread(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    reply = _ask_and_get_reply(slack, slack_api, "show me stuff", "1700001300.000100")
    assert _action_ids(reply["blocks"])[0] == "clarify_0"
    option = _button_value(reply, "clarify_0")
    slack.click("clarify_0", option, "1700001300.000200", reply["thread_ts"])
    answered = slack_api.wait_for("chat.postMessage", 2)[1].params
    assert answered["thread_ts"] == "1700001300.000100"
    assert "show_sql" in _action_ids(answered["blocks"])
    assert option.lower() in _texts(answered["blocks"]).lower()


def test_refusals_are_short_and_friendly(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    reply = _ask_and_get_reply(slack, slack_api, "drop table users", "1700001400.000100")
    text = reply["blocks"][0]["text"]["text"]
    assert text.startswith(":no_entry_sign: I only read the data") and "can't change" in text
    assert len(reply["blocks"]) == 1


def test_a_channel_maps_to_its_tenant_scope(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None,
                       slack_scopes={TEAM_ID: "acme", f"{TEAM_ID}/{CHANNEL}": "acme-growth"})
    reply = _ask_and_get_reply(slack, slack_api, "installs by platform last month", "1700001500.000100")
    answer_id = _button_value(reply, "show_sql")
    assert slack.state.api.answers.get(answer_id, "acme-growth") is not None
    assert slack.state.api.answers.get(answer_id, f"slack:{TEAM_ID}") is None


def test_the_per_user_rate_limit_answers_with_the_wait(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None, slack_rate_limit_per_minute=1)
    slack.event(mention("installs by platform last month", "1700001600.000100"), "Ev0RATE0001")
    slack.event(mention("total revenue last month", "1700001601.000100"), "Ev0RATE0002")
    slack.drain()
    texts = sorted(_texts(c.params["blocks"]) for c in slack_api.calls("chat.postMessage"))
    limited = [t for t in texts if t.startswith("You are asking quickly; please try again in")]
    assert len(texts) == 2 and len(limited) == 1
    assert len(slack_api.calls("reactions.add")) == 1  # the limited question did no work


def test_a_broken_warehouse_gets_a_short_apology_not_a_trace(make_slack, slack_api, tmp_path):
    slack = make_slack(slack_chromium_path=None, warehouse_path=tmp_path)  # a folder is no DuckDB file
    slack.event(mention("installs by platform last month", "1700001700.000100"), "Ev0BROKEN01")
    reply = slack_api.wait_for("chat.postMessage")[0].params
    slack.drain()
    assert reply["blocks"] == [{"type": "section", "text": {"type": "mrkdwn", "text": (
        ":warning: The data is not reachable right now; please try again later.")}}]  # no server path
    assert len(slack_api.calls("reactions.remove")) == 1


def test_a_too_long_question_is_refused_before_any_work(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None, max_question_length=20)
    slack.event(mention("installs by platform for every single day of last month", "1700001800.000100"),
                "Ev0LONG0001")
    text = slack_api.wait_for("chat.postMessage")[0].params["blocks"][0]["text"]["text"]
    assert text == ":warning: That question is 55 characters; the limit is 20."



def test_a_click_without_a_team_object_uses_the_users_team(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    reply = _ask_and_get_reply(slack, slack_api, "installs by platform last month", "1700002000.000100")
    payload = {"type": "block_actions", "team": None, "user": {"id": USER, "team_id": TEAM_ID},
               "channel": {"id": CHANNEL}, "trigger_id": "1.2.5", "api_app_id": "A0APP001",
               "message": {"type": "message", "ts": "1700002000.000200", "thread_ts": reply["thread_ts"]},
               "actions": [{"type": "button", "action_id": "show_sql", "block_id": "b", "action_ts": "1.6",
                            "value": _button_value(reply, "show_sql")}]}
    slack.post(urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded")
    assert "SELECT" in slack_api.wait_for("chat.postEphemeral")[0].params["blocks"][0]["text"]["text"].upper()


def test_a_bare_mention_gets_an_example_not_an_error(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    slack.event(mention("", "1700002100.000100"), "Ev0BARE0001")
    text = slack_api.wait_for("chat.postMessage")[0].params["blocks"][0]["text"]["text"]
    assert text == ":wave: Ask me a question about your data, for example: installs by platform last month."
