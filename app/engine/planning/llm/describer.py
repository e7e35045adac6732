"""Ask an LLM for descriptions and synonyms of a generated model (``model init --describe``).

One call per catalog batch (:mod:`semantic_layer.describe_catalog`), with the prompts
``model_describe_system`` / ``model_describe_user``. The reply is data: parsed and validated by
:func:`semantic_layer.describe.parse_suggestions`, never run. A batch whose reply is not the JSON
asked for, or whose call fails (provider down, wrong key), adds nothing and says why in
``warnings``; the other batches still count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from app.engine.planning.llm.backoff import BackoffPolicy, invoke_with_backoff
from app.engine.planning.llm.errors import LLMError
from app.engine.planning.llm.usage import Usage
from prompts import load_prompt, render_prompt
from semantic_layer.describe import DescribeReplyError, Suggestions, parse_suggestions

DESCRIBE_BACKOFF = BackoffPolicy(retries=2)


@dataclass
class DescribeResult:
    suggestions: Suggestions
    warnings: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    failed_batches: int = 0


class ModelDescriber:
    def __init__(
        self,
        chat_model: Any,
        *,
        provider_label: str,
        backoff: BackoffPolicy = DESCRIBE_BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.chat_model = chat_model
        self.provider_label = provider_label
        self.backoff = backoff
        self.sleep = sleep

    def describe(self, batches: list[str]) -> DescribeResult:
        """Suggestions for every batch that got a usable reply."""
        result = DescribeResult(Suggestions())
        for number, batch in enumerate(batches, start=1):
            where = f"part {number} of {len(batches)}" if len(batches) > 1 else "the catalog"
            try:
                reply = invoke_with_backoff(
                    lambda batch=batch, number=number: self.chat_model.invoke(
                        self._messages(batch, number, len(batches))
                    ),
                    policy=self.backoff,
                    label=self.provider_label,
                    sleep=self.sleep,
                )
            except LLMError as error:
                result.failed_batches += 1
                result.warnings.append(f"{where}: {error.message}")
                if number == 1 and len(batches) > 1:  # the provider is down or refuses us: stop asking
                    result.failed_batches = len(batches)
                    result.warnings.append("the other parts were not sent")
                    break
                continue
            result.usage = result.usage + Usage.of_message(reply)
            try:
                found = parse_suggestions(str(reply.text))
            except DescribeReplyError as error:
                result.failed_batches += 1
                result.warnings.append(f"{where}: the model's reply was not used: {error.message}")
                continue
            result.suggestions.update(found)
            result.warnings += [f"{where}: skipped {item}" for item in found.skipped]
        return result

    def _messages(self, batch: str, number: int, total: int) -> list[Any]:
        part = f" (part {number} of {total}; describe only the items shown here)" if total > 1 else ""
        user = render_prompt("model_describe_user", part=part, catalog=batch)
        return [SystemMessage(load_prompt("model_describe_system")), HumanMessage(user)]

