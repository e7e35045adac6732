"""``asklytics cache stats|clear`` on the shared Redis cache, and ``GET /api/v1/cache/stats``."""
from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.engine.cache.keys import CacheScope
from app.engine.cache.semantic import open_semantic_cache
from app.engine.planning.plan import SemanticQueryPlan
from app.interfaces.assembly import create_app
from app.interfaces.cli import cli
from app.settings import Settings
from semantic_layer import SemanticQuery


def _invoke(*args: str):
    result = CliRunner().invoke(cli, ["cache", *args])
    return result, " ".join(result.output.split())


def test_cli_stats_and_clear_on_redis(redis_url, monkeypatch, tmp_path):
    monkeypatch.setenv("ASKLYTICS_REDIS_URL", redis_url)
    monkeypatch.chdir(tmp_path)  # no stray .env
    cache = open_semantic_cache(Settings())
    scope = CacheScope("cli-test", "duckdb:x", "v", dt.date(2026, 7, 1))
    plan = SemanticQueryPlan(query=SemanticQuery(metrics=["installs"]))
    cache.put(scope, "installs", None, plan, usage={"llm_calls": 1})
    cache.record(cache.lookup_exact(scope, "Installs?"))
    result, _ = _invoke("stats", "--json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["backend"] == "redis" and stats["entries"] >= 1 and stats["exact_hits"] >= 1
    assert stats["llm_calls_avoided"] >= 1
    result, text = _invoke("stats")
    assert result.exit_code == 0 and "exact_hits" in text
    result, text = _invoke("clear")
    assert result.exit_code == 0 and "removed" in text
    assert cache.lookup_exact(scope, "installs") is None and cache.stats().entries == 0


def test_cli_explains_the_in_process_cache(monkeypatch, tmp_path):
    for name in ("ASKLYTICS_REDIS_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    result, text = _invoke("stats")
    assert result.exit_code == 0 and "in-process" in text


def test_cli_reports_an_unreachable_redis_plainly(monkeypatch, tmp_path):
    monkeypatch.setenv("ASKLYTICS_REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.chdir(tmp_path)
    result, text = _invoke("stats")
    assert result.exit_code == 1 and "cannot reach the cache" in text and "Traceback" not in result.output


def test_api_cache_stats(demo_db_path, tmp_path):
    settings = Settings(warehouse_path=demo_db_path, data_dir=tmp_path / "data", planner="offline")
    with TestClient(create_app(settings)) as client:
        for question in ("installs by platform last month", "Installs by platform, last month"):
            assert client.post("/api/v1/ask", json={"question": question}).json()["status"] == "answered"
        stats = client.get("/api/v1/cache/stats").json()
    assert stats["backend"] == "memory" and stats["enabled"] is True
    assert (stats["exact_hits"], stats["misses"], stats["entries"]) == (1, 1, 1)
    assert stats["lookups"] == 2 and stats["hit_rate"] == 0.5
