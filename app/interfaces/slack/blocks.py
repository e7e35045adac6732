"""Block Kit for an Answer: text, compact table, chart note, badge, Show SQL and feedback buttons.

Model and data text is escaped (``&``, ``<``, ``>``) so a value such as
``<!channel>`` or ``<https://evil|click>`` is shown, never interpreted.
"""
from __future__ import annotations

import re

from app.engine.contract import Answer
from app.interfaces.slack.tables import compact_table

SECTION_LIMIT = 2900  # Slack's section text limit is 3000
BUTTON_TEXT_LIMIT = 75
MAX_CLARIFY_OPTIONS = 5
ERROR_PREFIX = ":warning: "
# Server-side failures: chat users get what to do, not server paths (those stay in the log).
FRIENDLY_ERRORS = {
    "warehouse_unavailable": "The data is not reachable right now; please try again later.",
    "conversations_unavailable": "I cannot see this thread's earlier questions right now; please try again "
                                 "in a minute, or ask in a new message.",
    "internal_error": "Sorry, something went wrong while answering that. Please try again in a moment.",
}
_MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")


def escape_mrkdwn(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_text(text: str) -> str:
    """The narrative's Markdown bold (``**x**``) as Slack's (``*x*``), after escaping."""
    return _MARKDOWN_BOLD.sub(r"*\1*", escape_mrkdwn(text))


def answer_blocks(answer: Answer, chart_note: str | None = None) -> list[dict]:
    builders = {"answered": _answered, "clarification_needed": _clarification,
                "refused": _refused, "error": _error}
    return builders[answer.status](answer, chart_note)


def fallback_text(answer: Answer) -> str:
    """The notification text (and what screen readers get)."""
    if answer.status == "error" and answer.error is not None:
        return _short(FRIENDLY_ERRORS.get(answer.error.code, answer.error.message))
    if answer.status == "clarification_needed" and answer.clarification is not None:
        return _short(answer.clarification.question)
    return _short(answer.answer or "Done.")


def _answered(answer: Answer, chart_note: str | None) -> list[dict]:
    blocks = [section(slack_text(answer.answer or "Here is the result."))]
    table = compact_table(answer.columns, answer.rows, answer.truncated)
    if table:
        blocks.append(section(f"```{escape_mrkdwn(table)}```"))
    if chart_note:
        blocks.append(context(f":frame_with_picture: {escape_mrkdwn(chart_note)}"))
    blocks.append(context(badge(answer)))
    buttons = _answer_buttons(answer)
    if buttons:
        blocks.append({"type": "actions", "block_id": "answer_actions", "elements": buttons})
    return blocks


def _clarification(answer: Answer, _note: str | None) -> list[dict]:
    clarification = answer.clarification
    question = clarification.question if clarification else (answer.answer or "Could you say more?")
    blocks = [section(f":thinking_face: {escape_mrkdwn(question)}")]
    options = clarification.options[:MAX_CLARIFY_OPTIONS] if clarification else []
    if options:
        elements = [button(f"clarify_{i}", option, option) for i, option in enumerate(options)]
        blocks.append({"type": "actions", "block_id": "clarify_options", "elements": elements})
    return blocks


def _refused(answer: Answer, _note: str | None) -> list[dict]:
    reason = answer.answer or (answer.error.message if answer.error else "I can't help with that one.")
    return [section(f":no_entry_sign: {escape_mrkdwn(_short(reason))}")]


def _error(answer: Answer, _note: str | None) -> list[dict]:
    greeting = answer.error is not None and answer.error.code == "empty_question"  # a bare mention is a hello
    return [section((":wave: " if greeting else ERROR_PREFIX) + escape_mrkdwn(fallback_text(answer)))]


def _answer_buttons(answer: Answer) -> list[dict]:
    if not answer.answer_id:
        return []
    buttons = [button("show_sql", "Show SQL", answer.answer_id)] if answer.sql else []
    buttons.append(button("feedback_up", ":thumbsup: Right", answer.answer_id))
    buttons.append(button("feedback_down", ":thumbsdown: Wrong", answer.answer_id))
    return buttons


def badge(answer: Answer) -> str:
    source = "cached" if answer.cached else "fresh"
    rows = f"{answer.row_count:,} row{'s' if answer.row_count != 1 else ''}"
    return f"{escape_mrkdwn(answer.planner)} planner · {source} · {rows}"


def sql_blocks(sql: str) -> list[dict]:
    return [section(f"```{escape_mrkdwn(_short(sql, SECTION_LIMIT - 6))}```")]


def notice_blocks(text: str) -> list[dict]:
    return [section(escape_mrkdwn(text))]


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _short(text)}}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _short(text)}]}


def button(action_id: str, label: str, value: str) -> dict:
    return {"type": "button", "action_id": action_id, "value": value[:2000],
            "text": {"type": "plain_text", "text": _short(label, BUTTON_TEXT_LIMIT), "emoji": True}}


def _short(text: str, limit: int = SECTION_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
