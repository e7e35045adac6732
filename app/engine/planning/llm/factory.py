"""Build the LLM planner, narrator and model describer from settings, or None when no LLM is configured.

The LangChain modules are imported here, only when an LLM is configured: they are the
optional ``[llm]`` extra, and a missing install is an actionable error, not a traceback.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.engine.planning.llm.errors import LLMNotConfigured
from app.engine.planning.llm.provider import llm_configured, provider_label
from app.engine.planning.llm.tools import DEFAULT_TOOLS

MISSING_EXTRA = ("an LLM is configured but LangChain is not installed: pip install 'asklytics[llm]' "
                 "(or unset ASKLYTICS_LLM_PROVIDER to use the offline planner)")


def build_llm_planner(settings: Any, *, semantic_catalog: str,
                      tools_enabled: tuple[str, ...] = DEFAULT_TOOLS):
    """An ``LLMPlanner``, or None when no LLM is configured."""
    def load():
        from app.engine.planning.llm.planner import LLMPlanner  # the [llm] extra

        return LLMPlanner

    return _with_chat_model(settings, load, max_retries=settings.llm_max_retries,
                            semantic_catalog=semantic_catalog, tools_enabled=tools_enabled)


def build_narrator(settings: Any):
    """An ``LLMNarrator``, or None when no LLM is configured (the template narrates)."""
    def load():
        from app.engine.planning.llm.narrative import LLMNarrator  # the [llm] extra

        return LLMNarrator

    return _with_chat_model(settings, load)


def build_describer(settings: Any):
    """A ``ModelDescriber`` (``model init --describe``), or None when no LLM is configured."""
    def load():
        from app.engine.planning.llm.describer import ModelDescriber  # the [llm] extra

        return ModelDescriber

    return _with_chat_model(settings, load)


def _with_chat_model(settings: Any, load: Callable[[], type], **options: Any):
    """``load()``'s class built on the configured chat model, or None when no LLM is configured;
    a missing [llm] extra is an actionable error."""
    if not llm_configured(settings):
        return None
    try:
        built_on = load()
        from app.engine.planning.llm.provider import build_chat_model
    except ModuleNotFoundError as exc:
        raise LLMNotConfigured(f"{MISSING_EXTRA} ({exc.name} is missing)") from None
    return built_on(build_chat_model(settings), provider_label=provider_label(settings), **options)
