"""``asklytics slack socket``: run the Slack bot over Socket Mode (no public URL needed)."""
from __future__ import annotations

import typer

from app.interfaces.cli.common import console, fail, load_settings
from common.errors import AsklyticsError

slack_app = typer.Typer(no_args_is_help=True, help="The Slack bot: run it over Socket Mode.")


@slack_app.callback()
def _group() -> None:
    """The Slack bot (HTTP mode needs no command: ``asklytics serve`` mounts /slack/events)."""


@slack_app.command("socket")
def socket() -> None:
    """Connect out to Slack with the app-level token and answer until stopped (Ctrl-C)."""
    settings = load_settings()
    if not settings.slack_socket_mode:
        fail("Socket Mode is off: set ASKLYTICS_SLACK_SOCKET_MODE=true "
             "(HTTP mode serves /slack/events instead).")
    from app.interfaces.assembly import run_slack_socket_mode

    console.print("Slack bot connecting over Socket Mode…")
    try:
        run_slack_socket_mode(settings)
    except ValueError as exc:  # a missing token or secret: say which setting
        fail(str(exc))
    except AsklyticsError as exc:  # the [slack] extra is not installed
        fail(exc.message)
