"""A langchain_core fake chat model that speaks in tool calls.

``GenericFakeChatModel`` replays scripted ``AIMessage``s; this subclass adds
``bind_tools`` (recording the tool specs) and records the messages of every
call, so tests can see what the planner sent back to the model.
"""

from __future__ import annotations

import itertools
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from pydantic import Field

_ids = itertools.count(1)


class ToolCallingFakeModel(GenericFakeChatModel):
    bound_tools: list[Any] = Field(default_factory=list)
    received: list[list[Any]] = Field(default_factory=list)

    def bind_tools(self, tools: Any, **kwargs: Any) -> ToolCallingFakeModel:
        self.bound_tools = list(tools)
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.received.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def scripted(*replies: AIMessage | str) -> ToolCallingFakeModel:
    return ToolCallingFakeModel(messages=iter(replies))


def tool_call(
    name: str,
    args: dict[str, Any],
    *,
    tokens: tuple[int, int] = (100, 20),
    extra_calls: tuple[tuple[str, dict[str, Any]], ...] = (),
) -> AIMessage:
    """An assistant reply calling ``name(**args)`` (plus ``extra_calls``), with token usage."""
    calls = [
        {"name": n, "args": a, "id": f"call_{next(_ids)}", "type": "tool_call"}
        for n, a in ((name, args),) + extra_calls
    ]
    return AIMessage(content="", tool_calls=calls, usage_metadata=_usage(tokens))


def prose(text: str, *, tokens: tuple[int, int] = (80, 10)) -> AIMessage:
    return AIMessage(content=text, usage_metadata=_usage(tokens))


def _usage(tokens: tuple[int, int]) -> dict[str, int]:
    return {"input_tokens": tokens[0], "output_tokens": tokens[1], "total_tokens": sum(tokens)}
