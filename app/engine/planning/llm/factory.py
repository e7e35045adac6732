"""Build the LLM planner and narrator from settings, or None when no LLM is configured.

The LangChain modules are imported here, only when an LLM is configured: they are the
optional ``[llm]`` extra, and a missing install is an actionable error, not a traceback.
"""
from __future__ import annotations

from typing import Any

from app.engine.planning.llm.errors import LLMNotConfigured
from app.engine.planning.llm.provider import llm_configured, provider_label
from app.engine.planning.llm.tools import DEFAULT_TOOLS

MISSING_EXTRA = ("an LLM is configured but LangChain is not installed: pip install 'asklytics[llm]' "
                 "(or unset ASKLYTICS_LLM_PROVIDER to use the offline planner)")


def build_llm_planner(settings: Any, *, semantic_catalog: str,
                      tools_enabled: tuple[str, ...] = DEFAULT_TOOLS):
    """An ``LLMPlanner``, or None when no LLM is configured."""
    if not llm_configured(settings):
        return None
    try:
        from app.engine.planning.llm.planner import LLMPlanner  # the [llm] extra
        from app.engine.planning.llm.provider import build_chat_model
    except ModuleNotFoundError as exc:
        raise LLMNotConfigured(f"{MISSING_EXTRA} ({exc.name} is missing)") from None
    return LLMPlanner(
        build_chat_model(settings),
        provider_label=provider_label(settings),
        max_retries=settings.llm_max_retries,
        semantic_catalog=semantic_catalog,
        tools_enabled=tools_enabled,
    )


def build_narrator(settings: Any):
    """An ``LLMNarrator``, or None when no LLM is configured (the template narrates)."""
    if not llm_configured(settings):
        return None
    try:
        from app.engine.planning.llm.narrative import LLMNarrator  # the [llm] extra
        from app.engine.planning.llm.provider import build_chat_model
    except ModuleNotFoundError as exc:
        raise LLMNotConfigured(f"{MISSING_EXTRA} ({exc.name} is missing)") from None
    return LLMNarrator(build_chat_model(settings), provider_label=provider_label(settings))


def build_describer(settings: Any):
    """A ``ModelDescriber`` (``model init --describe``), or None when no LLM is configured."""
    if not llm_configured(settings):
        return None
    try:
        from app.engine.planning.llm.describer import ModelDescriber  # the [llm] extra
        from app.engine.planning.llm.provider import build_chat_model
    except ModuleNotFoundError as exc:
        raise LLMNotConfigured(f"{MISSING_EXTRA} ({exc.name} is missing)") from None
    return ModelDescriber(build_chat_model(settings), provider_label=provider_label(settings))
