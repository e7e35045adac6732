"""Building chat models from settings, transient-error classification, prompt files."""

from __future__ import annotations

import pytest
from langchain_anthropic import ChatAnthropic
from langchain_openai import ChatOpenAI

from app.engine.planning.llm.backoff import BackoffPolicy, invoke_with_backoff, is_transient
from app.engine.planning.llm.errors import LLMError, LLMNotConfigured, LLMUnavailable
from app.engine.planning.llm.factory import build_llm_planner
from app.engine.planning.llm.provider import build_chat_model, llm_configured, provider_label
from app.settings import Settings
from prompts import PromptError, fill_template, load_prompt, placeholders, render_prompt


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_openai_model_has_our_timeout_and_no_sdk_retries():
    model = build_chat_model(
        settings(llm_provider="openai", llm_model="gpt-4o-mini", llm_api_key="sk-1", llm_timeout_s=12)
    )
    assert isinstance(model, ChatOpenAI) and model.model_name == "gpt-4o-mini"
    assert (model.request_timeout, model.max_retries) == (12, 0)


def test_anthropic_model_has_a_bounded_max_tokens():
    model = build_chat_model(
        settings(llm_provider="anthropic", llm_model="claude-sonnet-4-6", llm_api_key="k")
    )
    assert isinstance(model, ChatAnthropic) and model.max_tokens == 4096 and model.max_retries == 0


def test_openai_compatible_uses_the_base_url_and_a_placeholder_key():
    model = build_chat_model(
        settings(
            llm_provider="openai_compatible", llm_model="qwen2.5", llm_base_url="http://localhost:11434/v1"
        )
    )
    assert model.openai_api_base == "http://localhost:11434/v1"
    assert model.openai_api_key.get_secret_value() == "not-needed"


@pytest.mark.parametrize(
    "values, message",
    [
        ({"llm_provider": "openai", "llm_model": "gpt-4o-mini"}, "needs an API key: set OPENAI_API_KEY"),
        ({"llm_provider": "anthropic", "llm_model": "claude-sonnet-4-6"}, "set ANTHROPIC_API_KEY"),
        ({"llm_provider": "openai_compatible", "llm_model": "llama3.1"}, "needs ASKLYTICS_LLM_BASE_URL"),
        ({"llm_provider": "openai", "llm_api_key": "k"}, "no llm_model configured"),
    ],
)
def test_incomplete_settings_say_what_to_set(values, message, monkeypatch):
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ASKLYTICS_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(LLMNotConfigured, match=message):
        build_chat_model(settings(**values))


def test_no_llm_settings_means_no_llm_planner(monkeypatch):
    monkeypatch.delenv("ASKLYTICS_LLM_PROVIDER", raising=False)
    assert not llm_configured(settings()) and build_llm_planner(settings(), semantic_catalog="") is None
    planner = build_llm_planner(
        settings(llm_provider="openai", llm_model="gpt-4o", llm_api_key="k", llm_max_retries=1),
        semantic_catalog="- cost",
    )
    assert (planner.label, planner.max_retries) == ("llm:openai/gpt-4o", 1)
    assert provider_label(settings(llm_provider="anthropic", llm_model="m")) == "anthropic/m"


class HttpError(Exception):
    def __init__(self, status_code):
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code


@pytest.mark.parametrize(
    "error, transient",
    [
        (HttpError(429), True),
        (HttpError(503), True),
        (HttpError(408), True),
        (HttpError(400), False),
        (HttpError(401), False),
        (TimeoutError(), True),
        (ValueError(), False),
    ],
)
def test_transient_errors(error, transient):
    assert is_transient(error) is transient


def test_backoff_doubles_and_is_capped_then_raises_a_clean_error():
    sleeps = []

    def always_busy():
        raise HttpError(503)

    policy = BackoffPolicy(retries=4, base_delay_s=1.0, max_delay_s=3.0)
    with pytest.raises(LLMUnavailable, match="after 5 tries: HTTP 503"):
        invoke_with_backoff(always_busy, policy=policy, label="p/m", sleep=sleeps.append)
    assert sleeps == [1.0, 2.0, 3.0, 3.0]


def test_non_provider_bugs_keep_their_traceback_and_bad_requests_are_not_retried():
    def bug():
        raise KeyError("oops")

    with pytest.raises(KeyError):
        invoke_with_backoff(bug, policy=BackoffPolicy(), label="p/m", sleep=lambda s: None)
    with pytest.raises(LLMError, match="rejected the request: HTTP 400"):
        invoke_with_backoff(
            lambda: (_ for _ in ()).throw(HttpError(400)),
            policy=BackoffPolicy(),
            label="p/m",
            sleep=lambda s: pytest.fail("no retry for a 400"),
        )


def test_prompts_load_by_name_and_fill_only_plain_slots():
    template = load_prompt("planner_system")
    assert placeholders(template) == {
        "as_of",
        "dialect",
        "catalog",
        "schema",
        "context",
        "examples",
        "previous",
    }
    filled = fill_template("Q: {question} / {x.__class__} / {0}", {"question": "as of {as_of}?"})
    assert filled == "Q: as of {as_of}? / {x.__class__} / {0}"  # no re-expansion, no attribute access
    with pytest.raises(PromptError, match="without a value: as_of"):
        render_prompt("planner_system", dialect="duckdb")
    for bad in ("../settings", "planner_system.md", "Planner"):
        with pytest.raises(PromptError, match="invalid prompt name"):
            load_prompt(bad)
    with pytest.raises(PromptError, match="known: .*narrative_system"):
        load_prompt("nope")
