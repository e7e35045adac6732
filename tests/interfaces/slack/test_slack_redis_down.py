"""Redis configured but unreachable: the bot still answers new questions once each, and asks a reply
in a thread to retry rather than answer it without the thread's earlier questions."""
from __future__ import annotations

from conftest import mention
from test_replies import _texts

QUESTION = "installs by platform last month"


def test_the_bot_degrades_per_component_while_redis_is_down(make_slack, slack_api, closed_redis_url):
    slack = make_slack(slack_chromium_path=None, redis_url=closed_redis_url, redis_timeout_s=0.2,
                       redis_cooldown_s=300)
    assert slack.event(mention(QUESTION, "1700005000.000100"), "Ev0REDIS001").status_code == 200
    answer = slack_api.wait_for("chat.postMessage")[0].params
    assert answer["thread_ts"] == "1700005000.000100"
    assert "*Android* has the top Installs" in _texts(answer["blocks"])

    # Slack's retry of the same event: claimed in this replica while Redis is down, so not answered twice.
    retry = slack.event(mention(QUESTION, "1700005000.000100"), "Ev0REDIS001",
                        headers={"X-Slack-Retry-Num": "1"})
    assert retry.status_code == 200
    # A reply in the thread: its conversation is in Redis, so it is asked to retry,
    # not answered out of context.
    slack.event(mention("just iOS", "1700005000.000300", thread_ts="1700005000.000100"), "Ev0REDIS002")
    slack.drain()
    posts = [c.params for c in slack_api.calls("chat.postMessage")]
    assert len(posts) == 2
    assert posts[1]["thread_ts"] == "1700005000.000100"
    assert "cannot see this thread's earlier questions" in posts[1]["text"]

    ready = slack.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["components"]["slack"]["status"] == "degraded"
    assert ready.json()["components"]["redis"]["status"] == "down"


def test_readyz_lists_the_bot_when_it_is_mounted(make_slack):
    slack = make_slack()
    assert slack.client.get("/readyz").json()["components"]["slack"] == {"status": "up", "required": False,
                                                                         "mode": "http"}
