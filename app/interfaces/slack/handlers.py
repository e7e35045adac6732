"""Bolt listeners: mentions, DMs, ``/ask`` and the reply's buttons.

Bolt runs listeners on its thread pool after acknowledging (events are acked
automatically, commands and actions call ``ack()`` first), so Slack gets its
200 within 3 seconds while the question is answered afterwards.
"""
from __future__ import annotations

import re

from slack_bolt import App, BoltResponse

from app.interfaces.shared.errors import RequestError
from app.interfaces.shared.feedback import FeedbackRequest
from app.interfaces.slack.asking import SlackQuestion, answer_in_thread, clean_question
from app.interfaces.slack.blocks import escape_mrkdwn, notice_blocks, sql_blocks
from app.interfaces.slack.dedupe import retry_number, signed_request
from app.interfaces.slack.services import SlackServices

ASK_USAGE = "Ask a question after the command, for example: `/ask installs by platform last month`."
GONE = "That answer is no longer available here; ask again to get a fresh one."
THANKS = {"up": "Thanks! Marked as right; similar questions will learn from it.",
          "down": "Thanks! Marked as wrong; it will not be reused from the cache."}
_SLACK_ID = re.compile(r"^[A-Z0-9]+$")


class SlackBot:
    def __init__(self, services: SlackServices):
        self.services = services

    def register(self, bolt: App) -> None:
        bolt.middleware(self.skip_retries)
        bolt.event("app_mention")(self.on_mention)
        bolt.event("message")(self.on_message)
        bolt.command("/ask")(self.on_ask_command)
        bolt.action("show_sql")(self.on_show_sql)
        bolt.action(re.compile(r"^feedback_(up|down)$"))(self.on_feedback)
        bolt.action(re.compile(r"^clarify_\d+$"))(self.on_clarify)

    def skip_retries(self, body, request, next):
        if self.services.deduper.first_delivery(body, retry_number(request.headers), signed_request(request)):
            return next()
        return BoltResponse(status=200, body="")

    def on_mention(self, event, body, client) -> None:
        answer_in_thread(self.services, client, _event_question(event, body))

    def on_message(self, event, body, client) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return  # only people's direct messages; edits, joins and bots' posts are not questions
        answer_in_thread(self.services, client, _event_question(event, body))

    def on_ask_command(self, ack, command, client) -> None:
        text = clean_question(command.get("text", ""))
        if not text:
            ack(ASK_USAGE)
            return
        ack()
        user = command["user_id"]
        who = f"<@{user}> asked" if _SLACK_ID.match(user) else "Asked"
        parent = client.chat_postMessage(channel=command["channel_id"], text=f"{who}: {escape_mrkdwn(text)}")
        answer_in_thread(self.services, client, SlackQuestion(
            command["team_id"], command["channel_id"], user, parent["ts"], text, react_ts=parent["ts"]))

    def on_show_sql(self, ack, body, client) -> None:
        ack()
        clicked = _clicked(body)
        scope = self.services.scope(clicked.team, clicked.channel)
        answer = self.services.api.answers.get(clicked.text, scope)
        blocks = sql_blocks(answer.sql) if answer is not None and answer.sql else notice_blocks(GONE)
        _whisper(client, clicked, blocks, "SQL of the answer")

    def on_feedback(self, ack, body, action, client) -> None:
        ack()
        clicked = _clicked(body)
        rating = "up" if action["action_id"] == "feedback_up" else "down"
        scope = self.services.scope(clicked.team, clicked.channel)
        answer = self.services.api.answers.get(clicked.text, scope)
        try:
            self.services.api.feedback.record(self.services.state.assistant(), answer,
                                              FeedbackRequest(answer_id=clicked.text, rating=rating), scope)
        except RequestError:
            _whisper(client, clicked, notice_blocks(GONE), GONE)
            return
        _whisper(client, clicked, notice_blocks(THANKS[rating]), THANKS[rating])

    def on_clarify(self, ack, body, client) -> None:
        ack()
        answer_in_thread(self.services, client, _clicked(body))


def _event_question(event: dict, body: dict) -> SlackQuestion:
    return SlackQuestion(body.get("team_id") or event.get("team", ""), event["channel"],
                         event.get("user", ""), event.get("thread_ts") or event["ts"],
                         clean_question(event.get("text", "")), react_ts=event["ts"])


def _clicked(body: dict) -> SlackQuestion:
    """A button click as a question in the clicked message's thread (text: the button's value)."""
    message = body.get("message") or {}
    user = body.get("user") or {}
    # Enterprise Grid org-wide installs may send no team object; the clicker's team is on the user then.
    team = (body.get("team") or {}).get("id") or user.get("team_id", "")
    return SlackQuestion(team, body["channel"]["id"], user.get("id", ""),
                         message.get("thread_ts") or message.get("ts", ""),
                         body["actions"][0].get("value", ""))


def _whisper(client, clicked: SlackQuestion, blocks: list[dict], text: str) -> None:
    """Only the person who clicked sees it, in the same thread."""
    client.chat_postEphemeral(channel=clicked.channel, user=clicked.user, thread_ts=clicked.thread_ts,
                              text=escape_mrkdwn(text), blocks=blocks)
