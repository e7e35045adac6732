"""One Slack question, answered in its thread: rate limit, working reaction, assistant call, reply,
chart image."""
from __future__ import annotations

import logging
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from app.engine.contract import Answer, ErrorOut
from app.engine.redis_client import RedisUnavailable
from app.interfaces.slack.blocks import (
    FRIENDLY_ERRORS,
    answer_blocks,
    escape_mrkdwn,
    fallback_text,
    notice_blocks,
)
from app.interfaces.slack.services import SlackServices
from charts.png import NO_BROWSER, RenderedChart, browser_available, render_chart_png

log = logging.getLogger(__name__)

WORKING_REACTION = "hourglass_flowing_sand"
EMPTY_QUESTION = "Ask me a question about your data, for example: installs by platform last month."
_MENTION = re.compile(r"<[@!#][^>]*>")
_LINK = re.compile(r"<([^>|]+)(?:\|([^>]*))?>")


@dataclass(frozen=True)
class SlackQuestion:
    team: str
    channel: str
    user: str
    thread_ts: str  # replies go here; it also keys the conversation
    text: str
    react_ts: str | None = None  # the message that gets the "working on it" reaction


def clean_question(text: str) -> str:
    """Slack's wire text -> what the person typed: mentions dropped, links to their labels,
    entities decoded."""
    text = _MENTION.sub(" ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def answer_in_thread(services: SlackServices, client, question: SlackQuestion) -> None:
    wait = services.seconds_to_wait(question.team, question.user)
    if wait > 0:
        notice = f"You are asking quickly; please try again in {math.ceil(wait)} s."
        client.chat_postMessage(channel=question.channel, thread_ts=question.thread_ts, text=notice,
                                blocks=notice_blocks(notice))
        return
    with _working_reaction(client, question):
        try:
            answer = ask(services, question)
        except Exception:  # the person gets a short message; the details go to the log only
            log.exception("answering a Slack question failed")
            answer = _error_answer(question, "internal_error", FRIENDLY_ERRORS["internal_error"])
        post_answer(services, client, question, answer)


def ask(services: SlackServices, question: SlackQuestion) -> Answer:
    if not question.text:
        return _error_answer(question, "empty_question", EMPTY_QUESTION)
    limit = services.settings.max_question_length
    if len(question.text) > limit:
        return _error_answer(question, "question_too_long",
                             f"That question is {len(question.text):,} characters; the limit is {limit:,}.")
    scope = services.scope(question.team, question.channel)
    try:
        conversation_id = services.threads.conversation_for(question.team, question.channel,
                                                            question.thread_ts)
    except RedisUnavailable as exc:
        if question.thread_ts != question.react_ts:  # a reply: without its thread's conversation it would
            return _error_answer(question, exc.code, exc.message)  # answer another question
        conversation_id = None  # a new thread has no conversation yet
    answer = services.state.assistant().ask(question.text, conversation_id, scope=scope)
    try:
        services.threads.remember(question.team, question.channel, question.thread_ts, answer.conversation_id)
    except RedisUnavailable:  # the answer stands; the next reply in this thread will be asked to retry
        if "conversations" not in answer.degraded:
            answer.degraded.append("conversations")
    services.api.answers.add(answer, scope,  # Show SQL and feedback buttons find it here
                             user_id=f"slack:{question.team}/{question.user}")
    return answer


def post_answer(services: SlackServices, client, question: SlackQuestion, answer: Answer) -> None:
    """The text first (the chart takes a browser start), then the chart PNG in the same thread."""
    figure = answer.chart.figure if answer.status == "answered" and answer.chart is not None else None
    chromium = services.settings.slack_chromium_path
    note = NO_BROWSER if figure and not browser_available(chromium) else None
    client.chat_postMessage(channel=question.channel, thread_ts=question.thread_ts,
                            text=escape_mrkdwn(fallback_text(answer)), blocks=answer_blocks(answer, note))
    if figure and note is None:
        _post_chart(client, question, answer, render_chart_png(figure, chromium))


def _post_chart(client, question: SlackQuestion, answer: Answer, chart: RenderedChart) -> None:
    if chart.png:
        client.files_upload_v2(channel=question.channel, thread_ts=question.thread_ts, file=chart.png,
                               filename="chart.png", title=f"Chart: {answer.question[:120]}")
    elif chart.note:
        client.chat_postMessage(channel=question.channel, thread_ts=question.thread_ts, text=chart.note,
                                blocks=notice_blocks(chart.note))


@contextmanager
def _working_reaction(client, question: SlackQuestion):
    if question.react_ts is None:
        yield
        return
    _react(client.reactions_add, question)
    try:
        yield
    finally:
        _react(client.reactions_remove, question)


def _react(call, question: SlackQuestion) -> None:
    try:
        call(channel=question.channel, timestamp=question.react_ts, name=WORKING_REACTION)
    except SlackApiError as exc:  # a missing reaction must not cost the answer
        log.info("reaction call failed: %s", exc.response.get("error"))


def _error_answer(question: SlackQuestion, code: str, message: str) -> Answer:
    return Answer(conversation_id="", question=question.text, status="error",
                  error=ErrorOut(code=code, message=message))
