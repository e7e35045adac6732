"""Monitor runs on the demo warehouse: a webhook receiver, Slack's Web API mocked locally, and one
assistant per module (evaluating a monitor runs the insight tools on the real warehouse)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "slack"))

from mock_slack_api import MockSlackApi
from monitor_support import AS_OF, BOT_TOKEN
from webhook_receiver import WebhookReceiver

from app.engine.assistant import Assistant
from app.settings import Settings


@pytest.fixture()
def webhook():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture()
def slack_api():
    api = MockSlackApi()
    yield api
    api.close()


@pytest.fixture()
def monitor_settings(demo_db_path, tmp_path, slack_api):
    return Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", as_of=AS_OF, cache_enabled=False,
                    slack_bot_token=BOT_TOKEN, slack_api_base_url=slack_api.base_url,
                    monitor_allow_private_webhooks=True, public_url="https://asklytics.example.com")


@pytest.fixture(scope="module")
def demo_assistant(demo_db_path, tmp_path_factory):
    """Shared by the runners of a module: the warehouse and model load once."""
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path_factory.mktemp("assistant"),
                        as_of=AS_OF, cache_enabled=False)
    assistant = Assistant(settings)
    yield assistant
    assistant.close()
