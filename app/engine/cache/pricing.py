"""What an avoided LLM call would have cost, from the price table in settings.

Prices are USD per 1,000 tokens, ``[prompt, completion]``, keyed by model name or
``provider/model``; the longest key that the planner label ends with wins, so
``gpt-4o-mini`` is not priced as ``gpt-4o``. Unknown models cost 0 (reported as such).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

# Public list prices at the time of writing; override with ASKLYTICS_LLM_PRICES.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.00015, 0.0006),
    "gpt-4o": (0.0025, 0.01),
    "gpt-4.1-mini": (0.0004, 0.0016),
    "gpt-4.1": (0.002, 0.008),
    "claude-haiku-4-5": (0.001, 0.005),
    "claude-sonnet-4-6": (0.003, 0.015),
    "claude-sonnet-4-5": (0.003, 0.015),
    "claude-opus-4-1": (0.015, 0.075),
}


def price_for(planner_label: str, prices: Mapping[str, Sequence[float]] | None = None) -> tuple[float, float]:
    """``(prompt, completion)`` USD per 1k tokens for ``"llm:openai/gpt-4o-mini"``; (0, 0) if unknown."""
    table = {**DEFAULT_PRICES, **(prices or {})}
    model = planner_label.removeprefix("llm:")
    matches = [key for key in table if model == key or model.endswith("/" + key)]
    if not matches:
        return (0.0, 0.0)
    prompt, completion = table[max(matches, key=len)][:2]
    return (float(prompt), float(completion))


def cost_usd(planner_label: str, prompt_tokens: int, completion_tokens: int,
             prices: Mapping[str, Sequence[float]] | None = None) -> float:
    prompt, completion = price_for(planner_label, prices)
    return prompt_tokens / 1000 * prompt + completion_tokens / 1000 * completion
