"""Only requests Slack signed with our secret, and recently, get through; the rest trigger nothing."""
from __future__ import annotations

import json
import time

from conftest import SIGNING_SECRET, SlackTestClient, mention, slack_signature
from fastapi.testclient import TestClient

from app.interfaces.assembly import create_app
from app.settings import Settings


def _assert_nothing_triggered(slack, slack_api) -> None:
    slack.drain()
    assert slack_api.calls() == []


def test_a_valid_signature_passes_url_verification(make_slack, slack_api):
    slack = make_slack()
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"}).encode()
    response = slack.post(body, "application/json")
    assert response.status_code == 200
    assert response.json() == {"challenge": "c-123"}


def test_a_bad_signature_gets_401_and_triggers_nothing(make_slack, slack_api):
    slack = make_slack()
    forged = SlackTestClient(slack.client, secret="not-the-signing-secret")
    response = forged.event(mention("installs by platform last month", "1700000001.000100"), "Ev0FORGED1")
    assert response.status_code == 401
    _assert_nothing_triggered(slack, slack_api)


def test_a_tampered_body_gets_401(make_slack, slack_api):
    slack = make_slack()
    ts = str(int(time.time()))
    signed = json.dumps({"type": "event_callback", "event_id": "Ev1"}).encode()
    sent = json.dumps({"type": "event_callback", "event_id": "Ev2"}).encode()
    response = slack.post(sent, "application/json", timestamp=int(ts),
                          signature=slack_signature(SIGNING_SECRET, ts, signed))
    assert response.status_code == 401
    _assert_nothing_triggered(slack, slack_api)


def test_a_replayed_old_timestamp_gets_401_and_triggers_nothing(make_slack, slack_api):
    slack = make_slack()
    six_minutes_ago = int(time.time()) - 6 * 60
    # correctly signed, but a capture replayed after Slack's 5-minute window
    response = slack.event(mention("installs by platform last month", "1700000002.000100"), "Ev0REPLAY1",
                           timestamp=six_minutes_ago)
    assert response.status_code == 401
    _assert_nothing_triggered(slack, slack_api)


def test_a_missing_signature_gets_401(make_slack, slack_api):
    slack = make_slack()
    response = slack.client.post("/slack/events", content=b'{"type":"event_callback"}',
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    _assert_nothing_triggered(slack, slack_api)


def test_the_bot_is_not_mounted_without_a_signing_secret(demo_db_path, tmp_path):
    app = create_app(Settings(warehouse_path=demo_db_path, data_dir=tmp_path))
    with TestClient(app) as client:
        assert client.post("/slack/events", content=b"{}").status_code in (404, 405)
        assert not hasattr(app.state, "slack")
