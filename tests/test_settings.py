"""Settings: documented precedence, aliases, derived paths, and docs coverage."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.settings import DEMO_AS_OF, Settings

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    """Isolate from the developer's environment and any .env in the repo."""
    for name in list(__import__("os").environ):
        if name.startswith("ASKLYTICS_") or name in {"REDIS_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"}:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_every_setting_is_documented():
    doc = (REPO / "docs" / "configuration.md").read_text()
    documented = set(re.findall(r"`(ASKLYTICS_[A-Z0-9_]+)`", doc))
    expected = {f"ASKLYTICS_{name.upper()}" for name in Settings.model_fields}
    assert expected - documented == set(), "document these settings in docs/configuration.md"
    assert documented - expected == set(), "docs/configuration.md names settings that do not exist"


def test_defaults_are_the_embedded_demo():
    s = Settings()
    assert s.warehouse == "duckdb"
    assert s.resolved_warehouse_path() == Path("data/demo.duckdb")
    assert s.resolved_cache_dir() == Path("data/cache")
    assert s.redis_url is None and s.llm_provider is None
    assert (s.host, s.port) == ("127.0.0.1", 8000)


def test_precedence_flag_over_env_over_dotenv_over_default(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text("ASKLYTICS_MAX_ROWS=200\nASKLYTICS_PORT=8100\nASKLYTICS_HOST=0.0.0.0\n")
    monkeypatch.setenv("ASKLYTICS_MAX_ROWS", "300")
    monkeypatch.setenv("ASKLYTICS_PORT", "8200")
    s = Settings(port=8300)
    assert s.port == 8300  # flag
    assert s.max_rows == 300  # env beats .env
    assert s.host == "0.0.0.0"  # .env beats default
    assert s.query_timeout_s == 30.0  # default


def test_well_known_aliases(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    s = Settings()
    assert s.redis_url == "redis://127.0.0.1:6379/3"
    assert s.llm_api_key.get_secret_value() == "sk-test"
    assert "sk-test" not in repr(s)


def test_prefixed_name_beats_alias(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://a:6379/0")
    monkeypatch.setenv("ASKLYTICS_REDIS_URL", "redis://b:6379/0")
    assert Settings().redis_url == "redis://b:6379/0"


def test_as_of_resolution(monkeypatch):
    assert Settings().resolved_as_of() == DEMO_AS_OF
    assert Settings(demo=False).resolved_as_of(today=dt.date(2027, 1, 2)) == dt.date(2027, 1, 2)
    monkeypatch.setenv("ASKLYTICS_AS_OF", "2026-05-15")
    assert Settings(demo=False).resolved_as_of() == dt.date(2026, 5, 15)


def test_chdb_default_path():
    assert Settings(warehouse="chdb").resolved_warehouse_path() == Path("data/demo.chdb")


@pytest.mark.parametrize(
    "field, value", [("warehouse", "oracle"), ("max_rows", "0"), ("port", "70000"), ("as_of", "July")]
)
def test_invalid_values_are_rejected(monkeypatch, field, value):
    monkeypatch.setenv(f"ASKLYTICS_{field.upper()}", value)
    with pytest.raises(ValidationError):
        Settings()
