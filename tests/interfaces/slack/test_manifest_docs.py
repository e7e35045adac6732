"""The manifest and the setup page match what the bot really handles."""
from __future__ import annotations

from pathlib import Path

import yaml

from app.interfaces.slack.app import EVENTS_PATH

REPO = Path(__file__).resolve().parents[3]
MANIFEST = yaml.safe_load((REPO / "app" / "interfaces" / "slack" / "manifest.yaml").read_text())
DOC = (REPO / "docs" / "slack.md").read_text()


def test_every_url_in_the_manifest_is_the_events_endpoint():
    urls = [MANIFEST["settings"]["event_subscriptions"]["request_url"],
            MANIFEST["settings"]["interactivity"]["request_url"],
            *(command["url"] for command in MANIFEST["features"]["slash_commands"])]
    assert all(url.endswith(EVENTS_PATH) for url in urls)


def test_the_manifest_subscribes_to_the_handled_triggers():
    assert MANIFEST["settings"]["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    assert [c["command"] for c in MANIFEST["features"]["slash_commands"]] == ["/ask"]
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True


def test_every_bot_scope_is_explained_in_the_docs():
    for scope in MANIFEST["oauth_config"]["scopes"]["bot"]:
        assert f"`{scope}`" in DOC, scope


def test_the_docs_name_every_slack_setting():
    from app.settings import Settings

    for name in Settings.model_fields:
        if name.startswith("slack_"):
            assert f"ASKLYTICS_{name.upper()}" in DOC, name
