"""Slack gets its 200 while the answer is still being worked on
(the 3-second limit never waits on the warehouse)."""
from __future__ import annotations

from conftest import mention


def test_an_event_is_acknowledged_before_the_answer_is_posted(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    gate = slack_api.hold("reactions.add")  # the listener's first Slack call blocks until released
    try:
        response = slack.event(mention("installs by platform last month", "1700003000.000100"), "Ev0ACK00001")
        assert response.status_code == 200
        slack_api.wait_for("reactions.add")  # the work has started ...
        assert slack_api.calls("chat.postMessage") == []  # ... and is not done, yet Slack already has its ack
    finally:
        gate.set()
    assert slack_api.wait_for("chat.postMessage")[0].params["thread_ts"] == "1700003000.000100"


def test_a_command_is_acknowledged_before_the_answer_is_posted(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    gate = slack_api.hold("chat.postMessage")  # the question's parent message blocks
    try:
        response = slack.command("total revenue last month")
        assert response.status_code == 200 and response.text == ""
        slack_api.wait_for("chat.postMessage")
        assert slack_api.calls("reactions.add") == []
    finally:
        gate.set()
    assert len(slack_api.wait_for("chat.postMessage", 2)) == 2
