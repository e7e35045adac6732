"""A signed-request client for the Slack bot mounted in the real FastAPI app, Slack's API mocked locally."""
from __future__ import annotations

import hashlib
import hmac
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from mock_slack_api import TEAM_ID, MockSlackApi

from app.interfaces.assembly import create_app
from app.settings import Settings

BOT_TOKEN = "xoxb-0000-test-bot-token-do-not-leak"
SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543-test-secret"
CHANNEL = "C0CHAN001"
USER = "U0USER001"


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    """What Slack sends in X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:<timestamp>:<body>"))."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackTestClient:
    def __init__(self, client: TestClient, secret: str = SIGNING_SECRET):
        self.client = client
        self.secret = secret

    @property
    def state(self):
        return self.client.app.state

    def drain(self) -> None:
        """Wait until every listener the bot started has finished (then the mock's record is complete)."""
        self.state.slack.drain()

    def post(self, body: bytes, content_type: str, *, timestamp: int | None = None,
             signature: str | None = None, headers: dict | None = None):
        ts = str(int(time.time()) if timestamp is None else timestamp)
        sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature or slack_signature(self.secret, ts, body), **(headers or {})}
        return self.client.post("/slack/events", content=body, headers=sent)

    def event(self, event: dict, event_id: str, **kwargs):
        payload = {"token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0APP001", "type": "event_callback",
                   "event_id": event_id, "event_time": int(time.time()), "event": event}
        return self.post(json.dumps(payload).encode(), "application/json", **kwargs)

    def command(self, text: str, **kwargs):
        form = {"token": "legacy", "team_id": TEAM_ID, "channel_id": CHANNEL, "user_id": USER,
                "command": "/ask", "text": text, "response_url": "http://127.0.0.1:9/unused",
                "trigger_id": "1.2.3"}
        return self.post(urlencode(form).encode(), "application/x-www-form-urlencoded", **kwargs)

    def click(self, action_id: str, value: str, message_ts: str, thread_ts: str, **kwargs):
        payload = {"type": "block_actions", "team": {"id": TEAM_ID}, "user": {"id": USER},
                   "api_app_id": "A0APP001", "channel": {"id": CHANNEL}, "trigger_id": "1.2.4",
                   "response_url": "http://127.0.0.1:9/unused",
                   "container": {"type": "message", "message_ts": message_ts, "channel_id": CHANNEL},
                   "message": {"type": "message", "ts": message_ts, "thread_ts": thread_ts, "text": ""},
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                                "action_ts": "1.5"}]}
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)


def mention(text: str, ts: str, thread_ts: str | None = None) -> dict:
    event = {"type": "app_mention", "user": USER, "text": f"<@UBOT0001> {text}", "ts": ts, "channel": CHANNEL,
             "event_ts": ts}
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def direct_message(text: str, ts: str) -> dict:
    return {"type": "message", "channel_type": "im", "user": USER, "text": text, "ts": ts,
            "channel": "D0DM0001", "event_ts": ts}


@pytest.fixture()
def slack_api():
    api = MockSlackApi()
    yield api
    api.close()


@pytest.fixture()
def slack_settings(demo_db_path, tmp_path, slack_api):
    return Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", slack_bot_token=BOT_TOKEN,
                    slack_signing_secret=SIGNING_SECRET, slack_api_base_url=slack_api.base_url)


@pytest.fixture()
def make_slack(slack_settings):
    """``make_slack(**overrides)``: a signed-request client on a fresh app with the bot mounted."""
    clients = []

    def make(**overrides) -> SlackTestClient:
        client = TestClient(create_app(slack_settings.model_copy(update=overrides)))
        client.__enter__()
        clients.append(client)
        return SlackTestClient(client)

    yield make
    for client in clients:
        client.__exit__(None, None, None)
