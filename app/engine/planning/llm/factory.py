"""The LLM planner and narrator as the settings describe them, or None when no LLM is set."""

from __future__ import annotations

from typing import Any

from app.engine.planning.llm.narrative import LLMNarrator
from app.engine.planning.llm.planner import LLMPlanner
from app.engine.planning.llm.provider import build_chat_model, llm_configured, provider_label
from app.engine.planning.llm.tools import DEFAULT_TOOLS


def build_llm_planner(
    settings: Any, *, semantic_catalog: str, tools_enabled: tuple[str, ...] = DEFAULT_TOOLS
) -> LLMPlanner | None:
    if not llm_configured(settings):
        return None
    return LLMPlanner(
        build_chat_model(settings),
        provider_label=provider_label(settings),
        max_retries=settings.llm_max_retries,
        semantic_catalog=semantic_catalog,
        tools_enabled=tools_enabled,
    )


def build_narrator(settings: Any) -> LLMNarrator | None:
    if not llm_configured(settings):
        return None
    return LLMNarrator(build_chat_model(settings), provider_label=provider_label(settings))
