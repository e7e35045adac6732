"""Posting a digest: to a Slack channel (Block Kit, then each chart PNG in the message's thread, the
way the Slack bot posts an answer's chart) or to a webhook (JSON, optionally signed).

A failed post raises ``DeliveryError`` with a message fit for ``last_error``; nothing is recorded as
posted then, so the next run tries again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
from urllib.parse import urlsplit

from app.interfaces.shared.monitors.digest import Digest, slack_blocks, slack_text, webhook_body
from app.settings import Settings
from charts.png import render_chart_png
from common.errors import AsklyticsError

log = logging.getLogger(__name__)
WEBHOOK_TIMEOUT_S = 10.0
SIGNATURE_HEADER = "X-Asklytics-Signature"


class DeliveryError(AsklyticsError):
    def __init__(self, message: str):
        super().__init__(message, code="delivery_failed")


def deliver(settings: Settings, digest: Digest) -> None:
    if digest.audience == "slack":
        post_to_slack(settings, digest)
    else:
        post_to_webhook(settings, digest)


def post_to_slack(settings: Settings, digest: Digest) -> None:
    client = _slack_client(settings)
    from slack_sdk.errors import SlackApiError

    try:
        posted = client.chat_postMessage(channel=digest.target, text=slack_text(digest),
                                         blocks=slack_blocks(digest), unfurl_links=False)
        for item in digest.items:
            chart = render_chart_png(item.evaluation.chart, settings.slack_chromium_path)
            if chart.png:
                client.files_upload_v2(channel=digest.target, thread_ts=posted["ts"], file=chart.png,
                                       filename=f"{item.monitor['id']}.png",
                                       title=f"{item.monitor['name']}: {item.words}"[:200])
            elif chart.note:  # the digest stands; say why the chart is missing
                client.chat_postMessage(channel=digest.target, thread_ts=posted["ts"], text=chart.note)
    except SlackApiError as exc:
        raise DeliveryError(f"Slack refused the digest for {digest.target}: "
                            f"{exc.response.get('error', 'error')}") from None
    except OSError as exc:  # connection refused, timeout, DNS
        raise DeliveryError(f"Slack could not be reached: {type(exc).__name__}") from None


def _slack_client(settings: Settings):
    if settings.slack_bot_token is None:
        raise DeliveryError("set ASKLYTICS_SLACK_BOT_TOKEN (xoxb-..., scopes chat:write and files:write) "
                            "to post digests to Slack")
    try:
        from slack_sdk import WebClient
    except ModuleNotFoundError:
        raise DeliveryError("posting to Slack needs the [slack] extra: "
                            "pip install 'asklytics[slack]'") from None
    base_url = settings.slack_api_base_url or WebClient.BASE_URL
    return WebClient(token=settings.slack_bot_token.get_secret_value(),
                     base_url=base_url if base_url.endswith("/") else base_url + "/")


def webhook_problem(url: str) -> str | None:
    """Why a webhook URL is not acceptable as written, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"webhook URL {url!r} must be an http:// or https:// URL with a host"
    return None


def _check_address(settings: Settings, url: str) -> None:
    if settings.monitor_allow_private_webhooks:
        return
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        raise DeliveryError(f"the webhook host {host!r} does not resolve") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise DeliveryError(f"the webhook host {host!r} is a private or local address; set "
                                "ASKLYTICS_MONITOR_ALLOW_PRIVATE_WEBHOOKS=true to allow it")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_to_webhook(settings: Settings, digest: Digest) -> None:
    import httpx

    problem = webhook_problem(digest.target)
    if problem:
        raise DeliveryError(problem)
    _check_address(settings, digest.target)
    body = json.dumps(webhook_body(digest, dt.datetime.now(dt.UTC)), default=str).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Asklytics-Monitors/1"}
    if settings.monitor_webhook_secret is not None:
        headers[SIGNATURE_HEADER] = signature(settings.monitor_webhook_secret.get_secret_value(), body)
    try:
        response = httpx.post(digest.target, content=body, headers=headers, timeout=WEBHOOK_TIMEOUT_S,
                              follow_redirects=False)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"the webhook could not be reached: {type(exc).__name__}") from None
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"the webhook answered HTTP {response.status_code}")
