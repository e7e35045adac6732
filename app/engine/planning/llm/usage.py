"""Token usage of LLM calls, summed over a planning or narrative run.

The answer contract reports ``usage: {llm_calls, prompt_tokens,
completion_tokens}``. LangChain puts what the provider reported on
``AIMessage.usage_metadata`` (``input_tokens`` / ``output_tokens``); a server
that reports nothing (some OpenAI-compatible ones) still counts as a call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Usage:
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @classmethod
    def of_message(cls, message: Any) -> Usage:
        """One call's usage from an ``AIMessage``."""
        metadata = getattr(message, "usage_metadata", None) or {}
        return cls(
            llm_calls=1,
            prompt_tokens=int(metadata.get("input_tokens") or 0),
            completion_tokens=int(metadata.get("output_tokens") or 0),
        )

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            llm_calls=self.llm_calls + other.llm_calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )

    def to_contract(self) -> dict[str, int]:
        """The answer contract's ``usage`` object."""
        return {
            "llm_calls": self.llm_calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
        }
