"""Mentions and DMs are answered in their thread with Block Kit; follow-ups continue;
retries are answered once."""
from __future__ import annotations

from conftest import BOT_TOKEN, CHANNEL, direct_message, mention


def _texts(blocks: list[dict]) -> str:
    parts = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [element.get("text", "") if isinstance(element.get("text"), str) else element["text"]["text"]
                  for element in block.get("elements", [])]
    return "\n".join(parts)


def _action_ids(blocks: list[dict]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_a_mention_is_answered_in_its_thread(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    response = slack.event(mention("installs by platform last month", "1700000100.000100"), "Ev0MENTION1")
    assert response.status_code == 200
    reply = slack_api.wait_for("chat.postMessage")[0].params
    assert reply["channel"] == CHANNEL and reply["thread_ts"] == "1700000100.000100"
    text = _texts(reply["blocks"])
    assert "*Android* has the top Installs: 21,356" in text and "**" not in text
    assert "Android" in text and "iOS" in text  # the compact table of the two platforms
    assert "offline planner · fresh · 2 rows" in text
    assert _action_ids(reply["blocks"]) == ["show_sql", "feedback_up", "feedback_down"]
    slack.drain()
    assert [c.params["name"] for c in slack_api.calls("reactions.add")] == ["hourglass_flowing_sand"]
    assert [c.params["timestamp"] for c in slack_api.calls("reactions.remove")] == ["1700000100.000100"]
    assert {c.authorization for c in slack_api.calls()} == {f"Bearer {BOT_TOKEN}"}


def test_a_follow_up_in_the_thread_continues_the_conversation(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    slack.event(mention("installs by network last month", "1700000200.000100"), "Ev0FIRST01")
    first = slack_api.wait_for("chat.postMessage")[0].params
    slack.event(mention("just iOS", "1700000201.000100", thread_ts="1700000200.000100"), "Ev0FOLLOW1")
    second = slack_api.wait_for("chat.postMessage", 2)[1].params
    assert second["thread_ts"] == "1700000200.000100"
    assert "Facebook" in _texts(first["blocks"])
    answers = slack.state.api.answers
    ids = [b["elements"][0]["value"] for b in second["blocks"] if b["type"] == "actions"]
    follow_up = answers.get(ids[0], "slack:T0TEAM01")
    assert follow_up.question == "just iOS" and follow_up.status == "answered"
    first_answer = answers.get(first["blocks"][-1]["elements"][0]["value"], "slack:T0TEAM01")
    assert follow_up.conversation_id == first_answer.conversation_id
    # "just iOS" narrowed the thread's question
    assert follow_up.semantic_query["filters"] == ["platform = 'iOS'"]
    assert (follow_up.semantic_query["dimensions"] == first_answer.semantic_query["dimensions"]
            == ["media_source"])


def test_a_new_thread_starts_a_new_conversation(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    slack.event(mention("installs by network last month", "1700000300.000100"), "Ev0NEWCONV1")
    slack_api.wait_for("chat.postMessage")
    slack.event(mention("just iOS", "1700000301.000100"), "Ev0NEWCONV2")  # not in the thread
    slack.drain()
    replies = [c.params for c in slack_api.calls("chat.postMessage")]
    assert [r["thread_ts"] for r in replies] == ["1700000300.000100", "1700000301.000100"]
    assert "Facebook" in _texts(replies[0]["blocks"])
    # outside the thread "just iOS" has no question to narrow, so the bot asks for a metric
    assert "Name a metric" in _texts(replies[1]["blocks"])
    assert _action_ids(replies[1]["blocks"])[:2] == ["clarify_0", "clarify_1"]


def test_a_direct_message_is_answered_in_its_thread(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    sent = slack.event(direct_message("total revenue last month", "1700000400.000100"), "Ev0DM00001")
    assert sent.status_code == 200
    reply = slack_api.wait_for("chat.postMessage")[0].params
    assert reply["channel"] == "D0DM0001" and reply["thread_ts"] == "1700000400.000100"
    assert "*Revenue*: *$63,010*" in _texts(reply["blocks"])


def test_the_bots_own_and_edited_messages_are_ignored(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    edited = direct_message("total revenue last month", "1700000500.000100") | {"subtype": "message_changed"}
    from_bot = direct_message("total revenue last month", "1700000501.000100") | {"bot_id": "B0OTHER01"}
    in_channel = direct_message("total revenue last month", "1700000502.000100") | {"channel_type": "channel"}
    for n, event in enumerate((edited, from_bot, in_channel)):
        assert slack.event(event, f"Ev0IGNORE{n}").status_code == 200
    slack.drain()
    assert slack_api.calls("chat.postMessage") == []


def test_slack_retries_are_not_answered_twice(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    event = mention("installs by platform last month", "1700000600.000100")
    assert slack.event(event, "Ev0RETRY01").status_code == 200
    for attempt in ("1", "2"):
        retried = slack.event(event, "Ev0RETRY01", headers={"X-Slack-Retry-Num": attempt,
                                                              "X-Slack-Retry-Reason": "http_timeout"})
        assert retried.status_code == 200
    slack.drain()
    assert len(slack_api.calls("chat.postMessage")) == 1
    assert len(slack_api.calls("reactions.add")) == 1


def test_secrets_never_reach_logs_or_replies(make_slack, slack_api, caplog, slack_settings):
    caplog.set_level("DEBUG")
    slack = make_slack(slack_chromium_path=None)
    slack.event(mention("installs by platform last month", "1700000700.000100"), "Ev0SECRET1")
    slack.drain()
    secret = slack_settings.slack_signing_secret.get_secret_value()
    assert slack_api.calls("chat.postMessage")
    assert BOT_TOKEN not in caplog.text and secret not in caplog.text
    for call in slack_api.calls():
        assert BOT_TOKEN.encode() not in call.body and secret.encode() not in call.body
    assert BOT_TOKEN not in repr(slack_settings) and secret not in repr(slack_settings)
