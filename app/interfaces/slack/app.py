"""The bolt App from settings, its FastAPI mount at ``/slack/events``, and Socket Mode.

Bolt checks every HTTP request's signature before any listener runs
(HMAC-SHA256 of ``v0:timestamp:body`` with the signing secret, compared in
constant time, requests older than 5 minutes rejected) and answers 401
otherwise. The token and secret stay inside SecretStr until the client is
built; slack_sdk redacts the Authorization header in its debug logs.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from fastapi import FastAPI, Request
from slack_bolt import App, BoltResponse
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from starlette.concurrency import run_in_threadpool

from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.state import AppState
from app.interfaces.slack.handlers import SlackBot
from app.interfaces.slack.services import SlackServices
from app.settings import Settings

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
LISTENER_THREADS = 4  # questions answered at once; the rest queue (the warehouse is the bottleneck anyway)
# what bolt answers a bad signature
INVALID_REQUEST = BoltResponse(status=401, body={"error": "invalid request"})


@dataclass
class SlackMount:
    bolt: App
    executor: ThreadPoolExecutor  # runs the listeners after the ack

    def drain(self) -> None:
        """Finish every answer in flight (graceful shutdown; tests use it to know all work is done)."""
        self.executor.shutdown(wait=True)


def slack_configured(settings: Settings) -> bool:
    return settings.slack_signing_secret is not None and settings.slack_bot_token is not None


def build_web_client(settings: Settings) -> WebClient:
    if settings.slack_bot_token is None:
        raise ValueError("Set ASKLYTICS_SLACK_BOT_TOKEN (the bot token, xoxb-...) to run the Slack bot.")
    base_url = settings.slack_api_base_url or WebClient.BASE_URL
    return WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=_with_slash(base_url))


def build_bolt_app(settings: Settings, services: SlackServices, *, verify_requests: bool = True,
                   executor: ThreadPoolExecutor | None = None) -> App:
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    if verify_requests and not secret:
        raise ValueError("Set ASKLYTICS_SLACK_SIGNING_SECRET: "
                         "every request to /slack/events is verified with it.")
    # token_verification_enabled=False: no auth.test call while the web app starts
    # (bolt does it on first use).
    bolt = App(client=build_web_client(settings), signing_secret=secret, token_verification_enabled=False,
               request_verification_enabled=verify_requests,
               logger=logging.getLogger("app.interfaces.slack.bolt"), listener_executor=executor)
    SlackBot(services).register(bolt)
    return bolt


def mount_slack(app: FastAPI, state: AppState, api: ApiContext) -> SlackMount:
    """Add ``POST /slack/events`` to the web app; bolt's dispatch runs off the event loop."""
    executor = ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="slack-listener")
    bolt = build_bolt_app(state.settings, SlackServices.build(state, api), executor=executor)

    async def slack_events(request: Request):
        body = await request.body()
        if not _is_unix_time(request.headers.get("x-slack-request-timestamp")):
            return to_starlette_response(INVALID_REQUEST)  # slack_sdk's int() would raise: a 500 before
        response = await run_in_threadpool(bolt.dispatch, to_bolt_request(request, body))
        return to_starlette_response(response)

    app.add_api_route(EVENTS_PATH, slack_events, methods=["POST"], include_in_schema=False)
    app.state.slack = SlackMount(bolt, executor)
    return app.state.slack


def run_socket_mode(settings: Settings) -> None:
    """Connect out to Slack (no public URL needed); blocks until stopped."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    if settings.slack_app_token is None:
        raise ValueError("Set ASKLYTICS_SLACK_APP_TOKEN (xapp-..., scope connections:write) for Socket Mode.")
    state = AppState(settings)
    services = SlackServices.build(state, ApiContext.from_settings(settings, state.database))
    bolt = build_bolt_app(settings, services,
                          verify_requests=False)  # Socket Mode frames are authenticated by the app token
    try:
        SocketModeHandler(bolt, settings.slack_app_token.get_secret_value()).start()
    finally:
        state.close()


def _is_unix_time(value: str | None) -> bool:
    """Whole seconds in ASCII digits, as Slack sends; the signature check decides the rest."""
    return value is not None and 0 < len(value) <= 12 and value.isascii() and value.isdigit()


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"
