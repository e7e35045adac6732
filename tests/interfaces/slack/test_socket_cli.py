"""The Socket Mode command refuses clearly when it is not configured (it never reaches Slack in tests)."""
from __future__ import annotations

from typer.testing import CliRunner

from app.interfaces.cli.slack import slack_app


def test_socket_mode_off_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASKLYTICS_SLACK_SOCKET_MODE", raising=False)
    result = CliRunner().invoke(slack_app, ["socket"])
    assert result.exit_code == 1
    assert "ASKLYTICS_SLACK_SOCKET_MODE=true" in result.output


def test_socket_mode_without_an_app_token_names_the_setting(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASKLYTICS_SLACK_SOCKET_MODE", "true")
    monkeypatch.setenv("ASKLYTICS_SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.delenv("ASKLYTICS_SLACK_APP_TOKEN", raising=False)
    result = CliRunner().invoke(slack_app, ["socket"])
    assert result.exit_code == 1
    assert "ASKLYTICS_SLACK_APP_TOKEN" in result.output
    assert "Traceback" not in result.output
