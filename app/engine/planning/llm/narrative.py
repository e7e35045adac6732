"""The answer's text written by an LLM, kept only when its numbers check out.

The model sees the question and the first rows; its reply is accepted when
every number in it is supported by those rows (:mod:`number_check`).
Otherwise -- or when the provider fails, or there are no rows -- the caller's
deterministic template text is returned. A narrative is never worth failing
an answer for, so provider errors end here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from app.engine.planning.llm.backoff import BackoffPolicy, invoke_with_backoff
from app.engine.planning.llm.errors import LLMError
from app.engine.planning.llm.number_check import digits_of, unsupported_numbers
from app.engine.planning.llm.usage import Usage
from prompts import load_prompt, render_prompt

log = logging.getLogger(__name__)
MAX_ROWS_SHOWN = 50
NARRATIVE_BACKOFF = BackoffPolicy(retries=1)  # a summary is optional: give up early


class LLMNarrator:
    def __init__(
        self,
        chat_model: Any,
        *,
        provider_label: str,
        backoff: BackoffPolicy = NARRATIVE_BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
        max_rows: int = MAX_ROWS_SHOWN,
    ):
        self.chat_model = chat_model
        self.provider_label = provider_label
        self.backoff = backoff
        self.sleep = sleep
        self.max_rows = max_rows

    def summarize(
        self, question: str, columns: Sequence[Any], rows: Sequence[Sequence[Any]], fallback: str
    ) -> tuple[str, Usage]:
        """``(text, usage)``: the model's summary if every number is in the rows, else ``fallback``."""
        shown = [list(row) for row in rows[: self.max_rows]]
        if not shown:
            return fallback, Usage()
        try:
            reply = invoke_with_backoff(
                lambda: self.chat_model.invoke(self._messages(question, columns, shown)),
                policy=self.backoff,
                label=self.provider_label,
                sleep=self.sleep,
            )
        except LLMError as error:
            log.warning("narrative falls back to the template: %s", error.message)
            return fallback, Usage()
        return self._checked(reply.text.strip(), question, shown, len(rows), fallback), Usage.of_message(
            reply
        )

    def _messages(self, question: str, columns: Sequence[Any], rows: list[list[Any]]) -> list[Any]:
        user = render_prompt(
            "narrative_user",
            question=question,
            columns=", ".join(column_names(columns)),
            row_count=len(rows),
            rows="\n".join("\t".join(_cell(v) for v in row) for row in rows),
        )
        return [SystemMessage(load_prompt("narrative_system")), HumanMessage(user)]

    def _checked(self, text: str, question: str, rows: list[list[Any]], row_count: int, fallback: str) -> str:
        allowed = digits_of(question) | {float(row_count), float(len(rows))}
        missing = unsupported_numbers(text, rows, also_allowed=allowed)
        if not text or missing:
            log.info("narrative falls back to the template; unsupported numbers: %s", missing)
            return fallback
        return text


def summarize(
    chat_model: Any,
    question: str,
    columns: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    fallback: str,
    *,
    provider_label: str = "llm",
) -> tuple[str, Usage]:
    """One-off :meth:`LLMNarrator.summarize` with default settings."""
    return LLMNarrator(chat_model, provider_label=provider_label).summarize(question, columns, rows, fallback)


def column_names(columns: Sequence[Any]) -> list[str]:
    """Names from strings, ``warehouse.base.Column`` objects or ``{"name": ...}`` dicts."""
    return [c if isinstance(c, str) else c["name"] if isinstance(c, dict) else c.name for c in columns]


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
