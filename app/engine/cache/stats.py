"""Cache counters: hits by tier, misses, stores, evictions, LLM work avoided.

Counters live in the backend (Redis: shared by all replicas) as floats, so the
CLI and the API read the same numbers the app wrote.
"""
from __future__ import annotations

from pydantic import BaseModel, computed_field

from app.engine.cache.pricing import cost_usd


class CacheStats(BaseModel):
    backend: str
    enabled: bool = True
    entries: int = 0
    exact_hits: int = 0
    semantic_hits: int = 0
    misses: int = 0
    stores: int = 0
    evictions: int = 0
    llm_calls_avoided: int = 0
    prompt_tokens_avoided: int = 0
    completion_tokens_avoided: int = 0
    cost_saved_usd: float = 0.0

    @computed_field
    @property
    def lookups(self) -> int:
        return self.exact_hits + self.semantic_hits + self.misses

    @computed_field
    @property
    def hit_rate(self) -> float:
        return round((self.exact_hits + self.semantic_hits) / self.lookups, 4) if self.lookups else 0.0

    @classmethod
    def from_counters(cls, backend: str, counters: dict[str, float], entries: int) -> CacheStats:
        known = {name: value for name, value in counters.items() if name in cls.model_fields}
        ints = {name: int(value) for name, value in known.items() if name != "cost_saved_usd"}
        cost = round(float(counters.get("cost_saved_usd", 0.0)), 6)
        return cls(backend=backend, entries=entries, **ints, cost_saved_usd=cost)

    def as_dict(self) -> dict[str, float | int | str | bool]:
        return self.model_dump()


def hit_counters(tier: str, planner: str, usage: dict[str, int], prices=None) -> dict[str, float]:
    """What one hit adds: the tier's counter and the LLM work the stored answer had cost."""
    prompt, completion = usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
    return {
        f"{tier}_hits": 1,
        "llm_calls_avoided": usage.get("llm_calls", 0),
        "prompt_tokens_avoided": prompt,
        "completion_tokens_avoided": completion,
        "cost_saved_usd": cost_usd(planner, prompt, completion, prices),
    }
