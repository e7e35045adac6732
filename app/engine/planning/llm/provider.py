"""Build the LangChain chat model named by the settings, with ``init_chat_model``.

Providers: ``openai``, ``anthropic``, and ``openai_compatible`` -- the OpenAI
client pointed at another server's base URL (Ollama, vLLM, llama.cpp server),
which often needs no key, so a placeholder is sent. The SDKs' own retries are
turned off (``max_retries=0``): :mod:`app.engine.planning.llm.backoff` retries
transient provider errors itself, so retries are counted once and show up in
our logs, and a stuck provider ends in one clean error.
"""

from __future__ import annotations

from typing import Any

from app.engine.planning.llm.errors import LLMNotConfigured

PLACEHOLDER_API_KEY = "not-needed"  # Ollama and most local servers ignore the key
ANTHROPIC_MAX_TOKENS = 4096
_INIT_PROVIDER = {"openai": "openai", "anthropic": "anthropic", "openai_compatible": "openai"}


def build_chat_model(settings: Any) -> Any:
    """The chat model for ``settings.llm_provider`` / ``llm_model``; raises LLMNotConfigured."""
    from langchain.chat_models import init_chat_model

    provider = _required(settings, "llm_provider")
    return init_chat_model(
        _required(settings, "llm_model"),
        model_provider=_INIT_PROVIDER[provider],
        timeout=settings.llm_timeout_s,
        max_retries=0,
        **_connection_kwargs(settings, provider),
    )


def provider_label(settings: Any) -> str:
    """``openai/gpt-4o-mini``; the answer shows it as ``llm:<label>``."""
    return f"{_required(settings, 'llm_provider')}/{_required(settings, 'llm_model')}"


def llm_configured(settings: Any) -> bool:
    return bool(settings.llm_provider and settings.llm_model)


def _connection_kwargs(settings: Any, provider: str) -> dict[str, Any]:
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if provider == "openai_compatible":
        if not settings.llm_base_url:
            raise LLMNotConfigured(
                "llm_provider=openai_compatible needs ASKLYTICS_LLM_BASE_URL, "
                "e.g. http://localhost:11434/v1 for Ollama"
            )
        return {"base_url": settings.llm_base_url, "api_key": key or PLACEHOLDER_API_KEY}
    if not key:
        env = "OPENAI_API_KEY" if provider == "openai" else "ANTHROPIC_API_KEY"
        raise LLMNotConfigured(
            f"llm_provider={provider} needs an API key: set {env} or ASKLYTICS_LLM_API_KEY"
        )
    kwargs: dict[str, Any] = {"api_key": key}
    if provider == "anthropic":
        # The Messages API requires max_tokens; a plan or a summary needs far less than the
        # model maximum the client would otherwise ask for.
        kwargs["max_tokens"] = ANTHROPIC_MAX_TOKENS
    if settings.llm_base_url:  # a proxy or gateway in front of the provider
        kwargs["base_url"] = settings.llm_base_url
    return kwargs


def _required(settings: Any, field: str) -> str:
    value = getattr(settings, field)
    if not value:
        raise LLMNotConfigured(f"no {field} configured: set ASKLYTICS_{field.upper()}")
    return value
