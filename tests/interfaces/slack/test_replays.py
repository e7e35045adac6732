"""Malformed and replayed signed requests: a clean 401 for a timestamp that is not a number,
one answer per request."""
from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
from conftest import CHANNEL, SIGNING_SECRET, USER, mention, slack_signature
from mock_slack_api import TEAM_ID


@pytest.mark.parametrize("timestamp", ["abc", "1700000000.5", "0x65f0", "", " 1700000000", "-1", "1e9"])
def test_a_timestamp_that_is_not_a_number_gets_401_and_triggers_nothing(make_slack, slack_api, timestamp):
    slack = make_slack()
    body = json.dumps({"type": "event_callback", "team_id": TEAM_ID, "event_id": "Ev0BADTS01",
                       "event": mention("installs by platform last month", "1700004000.000100")}).encode()
    # Signed with the real secret over the same timestamp text: only the timestamp is wrong.
    response = slack.client.post("/slack/events", content=body, headers={
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": slack_signature(SIGNING_SECRET, timestamp, body)})
    assert response.status_code == 401
    assert "Traceback" not in response.text and "ValueError" not in response.text
    slack.drain()
    assert slack_api.calls() == []


def _asked(slack_api) -> list:
    return [c for c in slack_api.calls("chat.postMessage") if "asked:" in c.params.get("text", "")]


def test_a_replayed_slash_command_is_answered_once(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    now = int(time.time())
    first = slack.command("installs by platform last month", timestamp=now)
    replay = slack.command("installs by platform last month", timestamp=now)  # the same signed bytes again
    assert (first.status_code, replay.status_code) == (200, 200)
    slack.drain()
    assert len(_asked(slack_api)) == 1
    assert len(slack_api.calls("chat.postMessage")) == 2  # the question's parent and its one answer


def test_the_same_command_typed_twice_is_answered_twice(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    now = int(time.time())
    slack.command("installs by platform last month", timestamp=now)
    slack.command("installs by platform last month", timestamp=now + 1)  # a new invocation, signed anew
    slack.drain()
    assert len(_asked(slack_api)) == 2


def test_a_replayed_button_click_runs_once(make_slack, slack_api):
    slack = make_slack(slack_chromium_path=None)
    now = int(time.time())
    for _ in range(2):
        slack.click("clarify_0", "installs by platform last month", "1700004100.000200", "1700004100.000100",
                    timestamp=now)
    slack.drain()
    answers = [c for c in slack_api.calls("chat.postMessage")
               if c.params.get("thread_ts") == "1700004100.000100"]
    assert len(answers) == 1


def test_an_unsigned_copy_with_another_timestamp_is_still_refused(make_slack, slack_api):
    """The claim is made after the signature check: a copy re-timestamped by an attacker is a 401,
    not a claim."""
    slack = make_slack()
    form = {"team_id": TEAM_ID, "channel_id": CHANNEL, "user_id": USER, "command": "/ask",
            "text": "installs by platform last month", "trigger_id": "1.2.9"}
    body = urlencode(form).encode()
    signed_at = str(int(time.time()))
    response = slack.client.post("/slack/events", content=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(int(signed_at) + 1),
        "X-Slack-Signature": slack_signature(SIGNING_SECRET, signed_at, body)})
    assert response.status_code == 401
    slack.drain()
    assert slack_api.calls() == []
